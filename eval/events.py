"""Event detection and dating quality on the annotated examples.

    python -m eval.events [--json] [--verbose] [--sample N]

Reads examples/gold.json and runs the pipeline (ingest readers, `analyse`, then name
resolution as `link` does it) on the example files it names ("file.jsonl#2" is the second
record of a JSON Lines file).
Per document, the predicted event mentions are first merged as the system merges them
(`merge_events`: same person entity, type and compatible date), then matched one to one to the
gold events:

- person: the predicted subject mention's text or base form is one of the gold person's mention
  strings, or the resolved entity's name matches the gold name (rapidfuzz ratio >= 85);
- type: equal;
- date: both unknown, or both known and the spans overlap.

Figures: precision / recall / F1 on person + type + date, the same on person + type alone,
date accuracy (of person+type matches, the share with exactly the gold start and end), status
accuracy, and the share of predicted events that carry evidence. Events about a group with no
named person cannot match a gold event (gold is per person); they are counted apart.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz

from dossier.cases import merge_events, overlaps
from dossier.entities.resolve import resolve_entities
from dossier.ingest import read_path
from dossier.model import Analysis, DateSpan, Event, RawDocument
from dossier.pipeline import analyse

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "examples" / "gold.json"


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def load_raw(entry: dict[str, Any]) -> RawDocument | None:
    name, _, index = entry["file"].partition("#")
    path = GOLD.parent / "articles" / name
    if not path.exists():
        return None
    results = [r for r in read_path(str(path)) if r.document is not None]
    k = int(index) - 1 if index else 0
    return results[k].document if k < len(results) else None


def gold_date(d: dict[str, Any]) -> DateSpan:
    precision = d.get("precision") or "unknown"
    return DateSpan(d.get("start"), d.get("end"), precision, d.get("text") or "")


def date_match(pred: DateSpan, gold: DateSpan) -> bool:
    pk = pred.precision != "unknown" and pred.start is not None
    gk = gold.precision != "unknown" and gold.start is not None
    if pk != gk:
        return False
    return True if not pk else overlaps(pred, gold)


def _person_of(event: Event, analysis: Analysis, persons: list[dict[str, Any]],
               people: dict[str, dict[str, Any]], entity_name: dict[str, str],
               sources: dict[str, str]) -> str | None:
    """The gold person id the predicted event is about, if any."""
    mentions = {m.id: m for m in analysis.mentions}
    texts = set()
    for source in event.sources:
        subject = sources.get(source)
        if subject and subject in mentions:
            texts |= {_norm(mentions[subject].text), _norm(mentions[subject].base)}
    for p in persons:
        strings = {_norm(s) for s in p.get("mentions", [])}
        if texts & strings:
            return p["id"]
    for p in persons:  # "Bloggerul Aleksandr Șmeliov" holds the gold "Aleksandr Șmeliov"
        strings = {_norm(s) for s in p.get("mentions", []) if len(s.split()) > 1}
        if any(s in t for s in strings for t in texts):
            return p["id"]
    name = entity_name.get(event.subject or "", "")
    best, score = None, 0.0
    for p in persons:
        gold_name = people.get(p["id"], {}).get("name", "")
        s = fuzz.ratio(_norm(anyascii(name)), _norm(gold_name)) if name else 0.0
        if s > score:
            best, score = p["id"], s
    return best if score >= 85 else None


def evaluate(sample: int | None = None, verbose: bool = False) -> dict[str, Any]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    entries = gold.get("documents", [])
    if sample is not None:
        entries = entries[:sample]
    analyses: list[tuple[dict[str, Any], Analysis]] = []
    for entry in entries:
        raw = load_raw(entry)
        if raw is not None:
            analyses.append((entry, analyse(raw)))
    entities = resolve_entities([m for _, a in analyses for m in a.mentions])
    mention_entity = {m: e.id for e in entities for m in e.mentions}
    entity_name = {e.id: e.name for e in entities}
    counts: Counter[str] = Counter()
    files: dict[str, Any] = {}
    for entry, analysis in analyses:
        sources = {m.id: m.subject for m in analysis.events}
        named = [m for m in analysis.events if m.subject is not None]
        counts["group_events"] += len(analysis.events) - len(named)
        counts["with_evidence"] += sum(1 for m in analysis.events if m.evidence.text)
        counts["event_mentions"] += len(analysis.events)
        predicted = merge_events(named, mention_entity)
        gold_events = entry.get("events", [])
        pairs = []
        for event in predicted:
            pid = _person_of(event, analysis, entry.get("persons", []), gold["people"],
                             entity_name, sources)
            pairs.append((event, pid))
        used: set[int] = set()
        matched_full = 0
        matched_type = 0
        misses = []
        extra = []
        for strict in (True, False):
            for k, (event, pid) in enumerate(pairs):
                if k in used or pid is None:
                    continue
                for j, g in enumerate(gold_events):
                    if ("g", j) in used or g["person"] != pid or g["type"] != event.type:
                        continue
                    ok = date_match(event.date, gold_date(g["date"]))
                    if strict and not ok:
                        continue
                    used |= {k, ("g", j)}
                    if not ok:
                        misses.append(f"DATE {pid} {event.type}: predicted {event.date.start}.."
                                      f"{event.date.end} gold {g['date'].get('start')}.."
                                      f"{g['date'].get('end')} [{g['date'].get('text')}]")
                    if event.status != g["status"]:
                        misses.append(f"STATUS {pid} {event.type}: predicted {event.status} "
                                      f"gold {g['status']}")
                    matched_type += 1
                    matched_full += ok
                    counts["date_exact"] += (event.date.start, event.date.end) == (
                        g["date"].get("start"), g["date"].get("end"))
                    counts["status_ok"] += event.status == g["status"]
                    break
        for k, (event, pid) in enumerate(pairs):
            if k not in used:
                extra.append(f"{pid or '?'} {event.type} {event.status} {event.date.start}")
        for j, g in enumerate(gold_events):
            if ("g", j) not in used:
                misses.append(f"{g['person']} {g['type']} {g['status']} {g['date'].get('start')}")
        counts["gold"] += len(gold_events)
        counts["predicted"] += len(predicted)
        counts["matched"] += matched_full
        counts["matched_type"] += matched_type
        files[entry["file"]] = {"gold": len(gold_events), "predicted": len(predicted),
                                "matched": matched_full, "missed": misses, "spurious": extra}
    return _figures(counts, files if verbose else None)


def _prf(hit: int, predicted: int, gold: int) -> dict[str, float]:
    p = hit / predicted if predicted else 0.0
    r = hit / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def _figures(c: Counter[str], files: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "events": _prf(c["matched"], c["predicted"], c["gold"]),
        "events_person_type": _prf(c["matched_type"], c["predicted"], c["gold"]),
        "date_accuracy": round(c["date_exact"] / c["matched_type"], 4) if c["matched_type"] else 0,
        "status_accuracy": round(c["status_ok"] / c["matched_type"], 4) if c["matched_type"] else 0,
        "with_evidence": round(c["with_evidence"] / c["event_mentions"], 4)
        if c["event_mentions"] else 0,
        "gold": c["gold"], "predicted": c["predicted"], "group_events": c["group_events"],
    }
    if files is not None:
        out["files"] = files
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="per-file misses and extras")
    parser.add_argument("--sample", type=int, default=None, help="first N gold documents")
    args = parser.parse_args(argv)
    if not GOLD.exists():
        print("no examples/gold.json", file=sys.stderr)
        return {}
    figures = evaluate(args.sample, args.verbose)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        e, t = figures["events"], figures["events_person_type"]
        print("bundled examples: IN-SAMPLE (the rules were written while reading them)")
        print(f"events (person+type+date): P {e['p']:.3f} R {e['r']:.3f} F1 {e['f1']:.3f}  "
              f"gold {figures['gold']} predicted {figures['predicted']}")
        print(f"events (person+type):      P {t['p']:.3f} R {t['r']:.3f} F1 {t['f1']:.3f}")
        print(f"date accuracy {figures['date_accuracy']:.3f}  status accuracy "
              f"{figures['status_accuracy']:.3f}  with evidence {figures['with_evidence']:.3f}  "
              f"group events {figures['group_events']}")
        for name, f in (figures.get("files") or {}).items():
            print(f"-- {name}: gold {f['gold']} predicted {f['predicted']} matched {f['matched']}")
            for m in f["missed"]:
                print(f"   {'' if m.startswith(('DATE', 'STATUS')) else 'MISSED '}  {m}")
            for m in f["spurious"]:
                print(f"   SPURIOUS {m}")
    return figures


if __name__ == "__main__":
    main()
