"""Event quality on real news the code was not written on (NEREL, SlavicNER).

    python -m eval.events_real [--split dev|test|all] [--verbose] [--sample N] [--json]

Gold: eval/data/events/*.json (paths, offsets and labels only; see GUIDELINES.md there). The
texts are read from ../shared/data; without it the evaluation is skipped. Each document is run
through the pipeline's per-document stages (`prepare`, then the events stage), its event
mentions merged as the system merges them, then matched one to one to the gold events:

- person: the predicted subject's text or base form is one of the gold person's name forms
  (or holds one, or is its surname), or its Latin form is close to the gold name;
- type: equal.

Figures per split and language: precision and recall of person+type, status accuracy (of
matched events), date accuracy (of matched events whose gold date is known: same start and
end), origin and host country accuracy (of the countries given for matched events whose gold
gives that country; with the share given),
dates given where gold has none, and spurious events per no-event document (every predicted
event there, group events included, is spurious).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz

from dossier.cases import merge_events
from dossier.entities.resolve import resolve_entities
from dossier.events.detect import find_events
from dossier.ingest import read_path
from dossier.model import Event, EventMention, Mention
from dossier.pipeline import prepare

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "eval" / "data" / "events"
DATA = ROOT.parent / "shared" / "data"


def _norm(text: str) -> str:
    return " ".join(anyascii(text).lower().replace("'", "").split())


def load_gold() -> list[dict[str, Any]]:
    docs = []
    for path in sorted(GOLD_DIR.glob("*.json")):
        content = json.loads(path.read_text(encoding="utf-8"))
        for d in content.get("documents", []):
            d["gold_file"] = path.stem
            docs.append(d)
    return docs


def gold_names(doc: dict[str, Any], text: str) -> dict[str, set[str]]:
    """Gold person id -> every name form written in the text (normalised)."""
    return {p["id"]: {_norm(text[a:b]) for a, b in p["mentions"]} | {_norm(p["name"])}
            for p in doc["persons"]}


def person_of(subject: Mention | None, names: dict[str, set[str]],
              gold_latin: dict[str, str]) -> str | None:
    if subject is None:
        return None
    forms = {_norm(subject.text), _norm(subject.base)}
    for pid, strings in names.items():
        if forms & strings:
            return pid
    for pid, strings in names.items():  # "the blogger Ivan Petrov" holds "ivan petrov"
        if any(len(s.split()) > 1 and s in f for s in strings for f in forms):
            return pid
    for pid, strings in names.items():  # the surname alone
        surnames = {s.split()[-1] for s in strings if s}
        if any(f.split() and f.split()[-1] in surnames and len(f.split()) == 1 for f in forms):
            return pid
    best, score = None, 0.0
    for pid, name in gold_latin.items():
        s = max(fuzz.ratio(f, _norm(name)) for f in forms)
        if s > score:
            best, score = pid, s
    return best if score >= 85 else None


def analyse_document(doc: dict[str, Any],
                     cache: Path | None = None) -> tuple[list[EventMention], list[Mention]] | None:
    """The document's event mentions and names. With `cache`, the stages before events are
    kept in a pickle there (for quick turns while working on the events stage only)."""
    path = DATA / doc["path"]
    stored = cache / (doc["path"].replace("/", "_") + ".pickle") if cache else None
    if stored is not None and stored.exists():
        document, mentions, dates = pickle.loads(stored.read_bytes())
    else:
        results = [r for r in read_path(str(path)) if r.document is not None]
        if not results:
            return None
        document, mentions, dates = prepare(results[0].document)
        if stored is not None:
            stored.write_bytes(pickle.dumps((document, mentions, dates)))
    return find_events(document, mentions, dates), mentions


def evaluate_document(doc: dict[str, Any], events: list[EventMention],
                      mentions: list[Mention]) -> dict[str, Any]:
    text = (DATA / doc["path"]).read_text(encoding="utf-8")
    names = gold_names(doc, text)
    latin = {p["id"]: p["name"] for p in doc["persons"]}
    entities = resolve_entities(mentions)
    mention_entity = {m: e.id for e in entities for m in e.mentions}
    by_id = {m.id: m for m in mentions}
    named = [e for e in events if e.subject is not None]
    merged = merge_events(named, mention_entity)
    source_subject = {e.id: e.subject for e in named}
    pairs: list[tuple[Event, str | None]] = []
    for event in merged:
        pid = None
        for source in event.sources:
            pid = person_of(by_id.get(source_subject.get(source) or ""), names, latin)
            if pid:
                break
        pairs.append((event, pid))
    gold = doc["events"]
    used_gold: set[int] = set()
    c: Counter[str] = Counter()
    log: list[str] = []
    for event, pid in pairs:
        candidates = [j for j, g in enumerate(gold)
                      if j not in used_gold and g["person"] == pid and g["type"] == event.type]
        if not candidates:
            c["spurious"] += 1
            log.append(f"SPURIOUS {pid or _who(event, by_id, source_subject)} {event.type} "
                       f"{event.status} {event.date.start}..{event.date.end}"
                       f" | {_line(event.evidence[0].text)}")
            continue
        # the closest date first; between equally close ones, the one of the same status
        j = min(candidates, key=lambda j: (_date_distance(event, gold[j]),
                                           gold[j]["status"] != event.status))
        used_gold.add(j)
        g = gold[j]
        c["matched"] += 1
        c["status_ok"] += event.status == g["status"]
        if event.status != g["status"]:
            log.append(f"STATUS {pid} {event.type}: {event.status} gold {g['status']}"
                       f" | {_line(event.evidence[0].text)}")
        for key in ("origin_country", "host_country"):
            if g.get(key):
                c[f"{key}_gold"] += 1
                found = getattr(event, key)
                c["country_gold"] += 1
                c["country_given"] += found is not None
                c["country_ok"] += found == g[key]
                if found != g[key]:
                    log.append(f"PLACE {pid} {event.type} {key}: {found} gold {g[key]}"
                               + (f" | {event.evidence[0].text[:160]}" if found else ""))
        gd = g["date"]
        if gd.get("start"):
            c["gold_dated"] += 1
            ok = (event.date.start, event.date.end) == (gd["start"], gd["end"])
            c["date_ok"] += ok
            if not ok:
                log.append(f"DATE {pid} {event.type}: {event.date.start}..{event.date.end} "
                           f"gold {gd['start']}..{gd['end']}")
        elif event.date.start:
            c["date_invented"] += 1
            log.append(f"DATE {pid} {event.type}: {event.date.start} gold unknown")
    for j, g in enumerate(gold):
        if j not in used_gold:
            start, end = g["evidence"]
            log.append(f"MISSED {g['person']} {g['type']} {g['status']} {g['date'].get('start')}"
                       f" | {_line(text[start:end])}")
    c["gold"] += len(gold)
    c["predicted"] += len(merged)
    c["group_events"] += len(events) - len(named)
    if doc.get("no_event"):
        c["no_event_docs"] += 1
        c["no_event_spurious"] += len(merged) + len(events) - len(named)
    return {"counts": c, "log": log}


def _line(text: str, width: int = 200) -> str:
    """An evidence sentence on one line of the verbose log (only ever printed, never stored)."""
    return " ".join(text.split())[:width]


def _who(event: Event, by_id: dict[str, Mention], source_subject: dict[str, str | None]) -> str:
    for source in event.sources:
        m = by_id.get(source_subject.get(source) or "")
        if m is not None:
            return f"'{m.base}'"
    return "?"


def _date_distance(event: Event, gold: dict[str, Any]) -> int:
    gd = gold["date"]
    if (event.date.start, event.date.end) == (gd.get("start"), gd.get("end")):
        return 0
    return 1 if bool(event.date.start) == bool(gd.get("start")) else 2


def figures(c: Counter[str], docs: int) -> dict[str, Any]:
    p = c["matched"] / c["predicted"] if c["predicted"] else 0.0
    r = c["matched"] / c["gold"] if c["gold"] else 0.0
    return {
        "docs": docs, "gold": c["gold"], "predicted": c["predicted"], "matched": c["matched"],
        "p": round(p, 3), "r": round(r, 3),
        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "status_acc": _share(c["status_ok"], c["matched"]),
        "date_acc": _share(c["date_ok"], c["gold_dated"]),
        # origin and host countries together: right when given, and how often given
        "country_acc": _share(c["country_ok"], c["country_given"]),
        "country_given": _share(c["country_given"], c["country_gold"]),
        "dates_invented": c["date_invented"], "group_events": c["group_events"],
        "no_event_docs": c["no_event_docs"],
        "spurious_per_no_event_doc": _share(c["no_event_spurious"], c["no_event_docs"]),
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def evaluate(split: str = "all", sample: int | None = None, verbose: bool = False,
             cache: Path | None = None) -> dict[str, Any]:
    docs = [d for d in load_gold() if split == "all" or d["split"] == split]
    if sample is not None:
        docs = docs[::max(1, len(docs) // sample)][:sample]
    totals: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    ndocs: Counter[tuple[str, str]] = Counter()
    logs: dict[str, list[str]] = {}
    for doc in docs:
        analysed = analyse_document(doc, cache)
        if analysed is None:
            continue
        result = evaluate_document(doc, *analysed)
        for key in ((doc["split"], doc["language"]), (doc["split"], "all")):
            totals[key] += result["counts"]
            ndocs[key] += 1
        if result["log"]:
            logs[doc["path"]] = result["log"]
    out: dict[str, Any] = {f"{s}/{lang}": figures(c, ndocs[(s, lang)])
                           for (s, lang), c in sorted(totals.items())}
    if verbose:
        out["log"] = logs
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="all", choices=["dev", "test", "all"])
    parser.add_argument("--sample", type=int, default=None, help="N documents spread evenly")
    parser.add_argument("--verbose", action="store_true", help="misses and extras per document")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep the stages before events in this folder (events work only)")
    args = parser.parse_args(argv)
    if not DATA.exists() or not any(GOLD_DIR.glob("*.json")):
        print("skipped: ../shared/data or eval/data/events/*.json is absent", file=sys.stderr)
        return {}
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    result = evaluate(args.split, args.sample, args.verbose, args.cache)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return result
    for path, lines in (result.get("log") or {}).items():
        print(f"-- {path}")
        for line in lines:
            print(f"   {line}")
    print("held-out real news (test part: report only; dev part: tuned on)")
    print(f"{'split/lang':<10} {'docs':>4} {'gold':>4} {'pred':>4}   P     R     F1   "
          f"status date  country(given)  noev-spur  groups")
    for key, f in result.items():
        if key == "log":
            continue
        status = f"{f['status_acc']:.2f}" if f["status_acc"] is not None else "  - "
        date = f"{f['date_acc']:.2f}" if f["date_acc"] is not None else "  - "
        country = (f"{f['country_acc']:.2f} ({f['country_given']:.2f})"
                   if f["country_acc"] is not None else "  -   (0.00)")
        spur = (f"{f['spurious_per_no_event_doc']:.2f} ({f['no_event_docs']})"
                if f["spurious_per_no_event_doc"] is not None else "-")
        print(f"{key:<10} {f['docs']:>4} {f['gold']:>4} {f['predicted']:>4}  "
              f"{f['p']:.2f}  {f['r']:.2f}  {f['f1']:.2f}   {status}  {date}  {country:>13}  "
              f"{spur:>9}  "
              f"{f['group_events']}")
    return result


if __name__ == "__main__":
    main()
