"""Entity extraction and name-resolution quality.

    python -m eval.entities [--sample N] [--json] [--only slavicner,ronec,linking,gold]

Corpora (read at run time from ../shared, never copied into the project):

SlavicNER (../shared/data/slavicner), six languages (bg cs pl ru sl uk). Offsets in its TSV files
count the title line, so the document text is the raw file as is. Gold types PER, ORG, LOC are
compared with our person, organization, location (EVT and PRO are not predicted).
Relaxed document-level match (BSNLP style), per document and per type:
- a gold entity is a distinct cross-lingual id; it is found when any predicted mention of the
  same type has its text or its base form equal (case-insensitive, spaces normalised, double
  quote marks and a final full stop dropped) to any
  gold mention string or gold base form of that id (a gold span "Name (ABBR)" also counts as
  "Name" and as "ABBR");
- a prediction is a distinct (lower-cased text, type) pair; it is correct when its text or base
  form equals any gold mention string or base form of that type in the document.
Recall = found gold entities / gold entities, precision = correct predictions / predictions,
summed over documents (micro average), per language.

Leave-one-topic-out (the honest protocol for topics never seen): SlavicNER has five topics
(asia_bibi, brexit, covid-19, nord_stream, us_election_2020); for each topic held out, whatever
is trained or tuned on SlavicNER may only use the other four, and the scores are those of the
held-out topic's documents, per language and type, summarised as the macro average and the
minimum of F1 over topics (cells with fewer than MIN_TOPIC_GOLD gold entities are shown but not
summarised). Nothing is trained or tuned on SlavicNER today (the learned tagger, ner.py, learns
from RONEC and ner-uk only), so one pass gives all five folds.

RONEC v2 (../shared/data/ronec/valid.json), Romanian, persons only: each sentence is a document
(the corpus has no document boundaries). RONEC's PERSON spans also cover common nouns and titles
("copiii", "președintele Traian Băsescu"), so gold entities are the NAMED spans only (a span with
a capitalised word that is not the sentence's first token; the count left out is reported), and
matching is by overlap: a named gold span is found when a predicted person mention overlaps it;
a predicted person mention is correct when it overlaps any PERSON span (named or not).
When a Romanian person tagger ships (models/ro-person.json.gz, trained on this very file), the
figure is 5-fold cross-validation: sentence n is in fold n mod 5, a tagger is trained on the other
four folds by scripts/train_ro_person.py's function and tested on the fifth; the shipped model is
never scored here. The same is done on name-disjoint folds (name_disjoint_folds: sentences that
share a person name, whole or its last word, are in one fold, so no test person is a training
person): the figure for names never seen. `--sample` (CI) runs the first name-disjoint fold only.

Linking (SlavicNER persons): the gold PER mentions (text, gold base form, language) are given to
`resolve_entities` as mentions, so the figure measures resolution alone. Pairwise over mention
pairs from different documents: a pair is positive in gold when both have the same cross-lingual
id, predicted positive when both land in the same entity. Cross-lingual pairs (different
languages) are reported separately.

Gold examples (examples/gold.json, when present): persons found / missed / spurious per file,
and, for every person mentioned in several files, whether it is exactly one entity.

`--sample N` takes N documents per language (evenly spread over the sorted list) and N sentences
of RONEC; CI uses it to stay under two minutes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from dossier.entities import contextual, tagger
from dossier.entities.mentions import find_mentions
from dossier.entities.resolve import resolve_entities
from dossier.entities.translit import to_latin
from dossier.model import Document, Mention

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SLAVIC = SHARED / "data" / "slavicner"
RONEC = SHARED / "data" / "ronec" / "valid.json"
GOLD = ROOT / "examples" / "gold.json"
TYPES = {"PER": "person", "ORG": "organization", "LOC": "location"}
SLAVIC_LANGS = ("ru", "uk", "bg", "cs", "pl", "sl")


# Quote marks around a name and a final full stop are no part of it: SlavicNER writes
# '"Газпром"', '«Вектор»', 'Pfizer Inc.' where the tokeniser (rightly) leaves them out.
_QUOTES = str.maketrans("", "", '"«»„“”‟″')


def _norm(text: str) -> str:
    text = " ".join(text.lower().replace("’", "'").translate(_QUOTES).split())
    return text[:-1] if text.endswith(".") and len(text) > 2 else text


_BRACKETED = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")


def _bracketed(form: str) -> set[str]:
    """A gold span that holds a name and its abbreviation in brackets (Bulgarian annotators
    write "Международният валутен фонд (МВФ)" as one span) names the entity by either part."""
    found = _BRACKETED.match(form.strip())
    return {_norm(found.group(1)), _norm(found.group(2))} if found else set()


@dataclass
class Score:
    found: int = 0
    gold: int = 0
    correct: int = 0
    predicted: int = 0

    def add(self, other: Score) -> None:
        self.found += other.found
        self.gold += other.gold
        self.correct += other.correct
        self.predicted += other.predicted

    def prf(self) -> dict[str, float]:
        p = self.correct / self.predicted if self.predicted else 0.0
        r = self.found / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "p": round(p, 4),
            "r": round(r, 4),
            "f1": round(f, 4),
            "gold": self.gold,
            "predicted": self.predicted,
        }


@dataclass
class GoldMention:
    start: int
    end: int
    text: str
    base: str
    type: str
    id: str


@dataclass
class GoldDoc:
    id: str
    language: str
    text: str
    mentions: list[GoldMention] = field(default_factory=list)


def score_document(gold: list[GoldMention], predicted: list[Mention], etype: str) -> Score:
    """The relaxed document-level match for one type (see the module docstring)."""
    strings: dict[str, set[str]] = defaultdict(set)
    for g in gold:
        if TYPES.get(g.type) == etype:
            strings[g.id] |= {_norm(g.text), _norm(g.base)}
            strings[g.id] |= {part for form in (g.text, g.base) for part in _bracketed(form)}
    all_strings = set().union(*strings.values()) if strings else set()
    preds = [m for m in predicted if m.type == etype]
    pred_forms = {_norm(m.text): {_norm(m.text), _norm(m.base)} for m in preds}
    pred_all = set().union(*pred_forms.values()) if pred_forms else set()
    found = sum(1 for forms in strings.values() if forms & pred_all)
    correct = sum(1 for forms in pred_forms.values() if forms & all_strings)
    return Score(found, len(strings), correct, len(pred_forms))


# ---- SlavicNER ------------------------------------------------------------------------------


def slavic_docs(lang: str, sample: int | None) -> list[GoldDoc]:
    paths = sorted(SLAVIC.glob(f"ner/*/{lang}/*.tsv"))
    if sample is not None and len(paths) > sample:
        step = len(paths) / sample
        paths = [paths[int(k * step)] for k in range(sample)]
    docs = []
    for path in paths:
        raw = SLAVIC / "raw" / path.parts[-3] / lang / (path.stem + ".txt")
        if not raw.exists():
            continue
        doc = GoldDoc(f"{path.parts[-3]}/{lang}/{path.stem}", lang, raw.read_text(encoding="utf-8"))
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) >= 6 and cols[0].isdigit():
                doc.mentions.append(
                    GoldMention(int(cols[0]), int(cols[1]), cols[2], cols[3], cols[4], cols[5])
                )
        docs.append(doc)
    return docs


def _document(gdoc: GoldDoc) -> Document:
    return Document(
        id=gdoc.id,
        source=gdoc.id,
        title=None,
        language=gdoc.language,
        declared_language=None,
        published=None,
        published_basis=None,
        text=gdoc.text,
    )


def _topic(gdoc: GoldDoc) -> str:
    return gdoc.id.split("/", 1)[0]


def eval_slavicner(sample: int | None) -> dict:
    """Per language over all topics, and per held-out topic (see leave_one_topic_out)."""
    out: dict = {}
    by_topic: dict = defaultdict(lambda: defaultdict(lambda: {t: Score() for t in TYPES.values()}))
    for lang in SLAVIC_LANGS:
        scores = {t: Score() for t in TYPES.values()}
        for gdoc in slavic_docs(lang, sample):
            predicted = find_mentions(_document(gdoc))
            for etype, score in scores.items():
                part = score_document(gdoc.mentions, predicted, etype)
                score.add(part)
                by_topic[_topic(gdoc)][lang][etype].add(part)
        out[lang] = {t[:3].upper(): s.prf() for t, s in scores.items()}
    return {"languages": out, "loto": leave_one_topic_out(by_topic)}


# Fewer gold entities than this in a (topic, language) cell and its F1 says little (asia_bibi
# has 4 Slovene documents): such cells are reported but left out of the macro and the minimum.
MIN_TOPIC_GOLD = 20


def leave_one_topic_out(by_topic: dict) -> dict:
    """Leave-one-topic-out figures: for each topic held out, the scores on its documents, per
    language and type. Nothing in the detector is trained or tuned on SlavicNER (the taggers
    learn from RONEC and ner-uk, the lists from general knowledge), so every topic is held out
    of everything at once and one pass over the corpus gives all five folds; if a model or
    threshold is ever fitted on SlavicNER, it must be refitted per fold on the other four topics.
    Summary per language and type: the macro average and the minimum of F1 over topics."""
    topics = {
        topic: {
            lang: {t[:3].upper(): s.prf() for t, s in types.items()}
            for lang, types in langs.items()
        }
        for topic, langs in sorted(by_topic.items())
    }
    summary: dict = {}
    for lang in SLAVIC_LANGS:
        summary[lang] = {}
        for etype in ("PER", "ORG", "LOC"):
            cells = [
                (topic, langs[lang][etype]["f1"])
                for topic, langs in topics.items()
                if lang in langs and langs[lang][etype]["gold"] >= MIN_TOPIC_GOLD
            ]
            if not cells:
                continue
            worst = min(cells, key=lambda c: c[1])
            summary[lang][etype] = {
                "macro_f1": round(sum(f for _t, f in cells) / len(cells), 4),
                "min_f1": worst[1],
                "min_topic": worst[0],
                "topics": len(cells),
            }
    return {"topics": topics, "summary": summary, "min_gold": MIN_TOPIC_GOLD}


# ---- RONEC ----------------------------------------------------------------------------------


def ronec_docs(sample: int | None) -> list[GoldDoc]:
    data = json.loads(RONEC.read_text(encoding="utf-8"))
    if sample is not None and len(data) > sample:
        step = len(data) / sample
        data = [data[int(k * step)] for k in range(sample)]
    return [_ronec_doc(sent) for sent in data]


def _ronec_doc(sent: dict) -> GoldDoc:
    text, starts = "", []
    for tok, space in zip(sent["tokens"], sent["space_after"], strict=False):
        starts.append(len(text))
        text += tok + (" " if space else "")
    doc = GoldDoc(f"ronec/{sent['id']}", "ro", text)
    k = 0
    tags = sent["ner_tags"]
    while k < len(tags):
        if tags[k] == "B-PERSON":
            n = k + 1
            while n < len(tags) and tags[n] == "I-PERSON":
                n += 1
            start, end = starts[k], starts[n - 1] + len(sent["tokens"][n - 1])
            surface = text[start:end]
            doc.mentions.append(GoldMention(start, end, surface, surface, "PER", _norm(surface)))
            k = n
        else:
            k += 1
    return doc


def eval_ronec(sample: int | None, folds: int = 5) -> dict:
    """Rules alone when no Romanian model ships; else k-fold cross-validation of the tagger
    (trained by scripts/train_ro_person.py's function on the other folds), never the shipped
    model, which has seen all of RONEC valid. Two splits: sentence n in fold n mod 5 (the
    figure reported since the tagger shipped) and name-disjoint folds (name_disjoint_folds), in
    which no person name of a test fold occurs in the training folds. With `sample` (--quick),
    only the first name-disjoint fold, on `sample` of its sentences."""
    if tagger.load("ro") is None:
        return _score_ronec(ronec_docs(sample)) | {"method": "rules"}
    data = json.loads(RONEC.read_text(encoding="utf-8"))
    disjoint = name_disjoint_folds(data, folds)
    out: dict = {"method": f"{folds}-fold cross-validation of the tagger"}
    if sample is None:
        out |= _cross_validate(data, [n % folds for n in range(len(data))], range(folds), None)
    part = _cross_validate(data, disjoint, range(1) if sample else range(folds), sample)
    out["PER_name_disjoint"] = part["PER"]
    out["name_disjoint_folds"] = len(part["folds"])
    return out


def _cross_validate(data: list[dict], fold_of: list[int], folds, sample: int | None) -> dict:
    train_ro = _trainer()
    score, unnamed, done = Score(), 0, []
    try:
        for k in folds:
            held = [s for n, s in enumerate(data) if fold_of[n] == k]
            models = train_ro([s for n, s in enumerate(data) if fold_of[n] != k])
            tagger.OVERRIDES["ro"], contextual.OVERRIDES["ro"] = models
            if sample is not None:
                held = held[:sample]
            part = _score_ronec([_ronec_doc(s) for s in held])
            score.add(part["score"])
            unnamed += part["unnamed_gold_left_out"]
            done.append(k)
    finally:
        tagger.OVERRIDES.pop("ro", None)
        contextual.OVERRIDES.pop("ro", None)
    return {"PER": score.prf(), "unnamed_gold_left_out": unnamed, "score": score, "folds": done}


def _person_keys(sent: dict) -> set[str]:
    """The named persons of a RONEC sentence: each whole name and its last word (lower case)."""
    tags = tagger.named_person_tags(sent["tokens"], sent["ner_tags"])
    keys: set[str] = set()
    current: list[str] = []
    for token, tag in zip([*sent["tokens"], "."], [*tags, "O"], strict=True):
        if tag == "I-PER":
            current.append(token)
            continue
        if current:
            keys |= {" ".join(current).lower(), current[-1].lower()}
        current = [token] if tag == "B-PER" else []
    return keys


def name_disjoint_folds(data: list[dict], folds: int = 5) -> list[int]:
    """A fold for each sentence such that sentences sharing a person name (the whole name or
    its last word: "Traian Băsescu", "Băsescu") are in one fold: the groups of sentences linked
    by shared names are dealt, largest first, to the fold with the fewest sentences.
    Deterministic (ties go to the lower fold)."""
    parent = list(range(len(data)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_with: dict[str, int] = {}
    for n, sent in enumerate(data):
        for key in sorted(_person_keys(sent)):
            if key in first_with:
                parent[root(n)] = root(first_with[key])
            else:
                first_with[key] = n
    groups: dict[int, list[int]] = defaultdict(list)
    for n in range(len(data)):
        groups[root(n)].append(n)
    sizes = [0] * folds
    fold_of = [0] * len(data)
    for members in sorted(groups.values(), key=lambda g: (-len(g), g[0])):
        k = min(range(folds), key=lambda f: (sizes[f], f))
        sizes[k] += len(members)
        for n in members:
            fold_of[n] = k
    return fold_of


def _trainer():
    import importlib.util

    path = ROOT / "scripts" / "train_ro_person.py"
    spec = importlib.util.spec_from_file_location("train_ro_person", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.train_ro


def _score_ronec(docs: list[GoldDoc]) -> dict:
    score = Score()
    unnamed = 0
    for gdoc in docs:
        predicted = [m for m in find_mentions(_document(gdoc)) if m.type == "person"]
        named = [g for g in gdoc.mentions if _named(g, gdoc.text)]
        unnamed += len(gdoc.mentions) - len(named)
        score.gold += len(named)
        score.found += sum(1 for g in named if any(_overlap(g, m) for m in predicted))
        score.predicted += len(predicted)
        score.correct += sum(1 for m in predicted if any(_overlap(g, m) for g in gdoc.mentions))
    return {"PER": score.prf(), "unnamed_gold_left_out": unnamed, "score": score}


def _named(g: GoldMention, text: str) -> bool:
    first_word = re.match(r"\W*\w+", text)
    sentence_start = first_word.end() if first_word else 0
    for word in re.finditer(r"\w+", g.text):
        if word.group(0)[:1].isupper() and g.start + word.start() >= sentence_start:
            return True
    return False


def _overlap(g: GoldMention, m: Mention) -> bool:
    return m.start < g.end and g.start < m.end


# ---- linking --------------------------------------------------------------------------------


def _pairs(groups: dict, key) -> int:
    """Pairs within each group, minus the pairs that share `key` (same document or language)."""
    total = 0
    for members in groups.values():
        n = len(members)
        same = Counter(key(m) for m in members)
        total += n * (n - 1) // 2 - sum(c * (c - 1) // 2 for c in same.values())
    return total


def _doc_key(m: Mention) -> str:
    return m.document


def _lang_key(m: Mention) -> str:
    return m.language


def eval_linking(sample: int | None) -> dict:
    mentions: list[Mention] = []
    gold_id: dict[str, str] = {}
    for lang in SLAVIC_LANGS:
        for gdoc in slavic_docs(lang, sample):
            for n, g in enumerate(gdoc.mentions):
                if g.type != "PER":
                    continue
                mid = f"{gdoc.id}:m{n}"
                mentions.append(
                    Mention(
                        mid,
                        gdoc.id,
                        g.start,
                        g.end,
                        g.text,
                        "person",
                        g.base,
                        to_latin(g.base, lang),
                        lang,
                    )
                )
                gold_id[mid] = g.id
    started = time.perf_counter()
    entities = resolve_entities(mentions)
    seconds = time.perf_counter() - started
    by_id = {m.id: m for m in mentions}
    pred_of = {mid: e.id for e in entities for mid in e.mentions}
    out = {
        "mentions": len(mentions),
        "entities": len(entities),
        "resolve_seconds": round(seconds, 2),
    }
    # a cross-lingual pair is also cross-document; same-document pairs are never counted
    for name, key in (("cross_document", _doc_key), ("cross_lingual", _lang_key)):
        gold_groups: dict = defaultdict(list)
        pred_groups: dict = defaultdict(list)
        both: dict = defaultdict(list)
        for m in mentions:
            gold_groups[gold_id[m.id]].append(m)
            pred_groups[pred_of.get(m.id, m.id)].append(m)
            both[(gold_id[m.id], pred_of.get(m.id, m.id))].append(m)
        tp = _pairs(both, key)
        gold_n, pred_n = _pairs(gold_groups, key), _pairs(pred_groups, key)
        p = tp / pred_n if pred_n else 0.0
        r = tp / gold_n if gold_n else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[name] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "gold_pairs": gold_n}
    del by_id
    return out


# ---- gold examples --------------------------------------------------------------------------


def eval_gold() -> dict | None:
    if not GOLD.exists():
        return None
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    score = Score()
    mentions: list[Mention] = []
    person_of: dict[tuple[str, str], str] = {}
    files: dict = {}
    for entry in gold.get("documents", []):
        text = _gold_text(entry["file"])
        if text is None:
            continue
        doc = Document(
            id=entry["file"],
            source=entry["file"],
            title=None,
            language=entry.get("language", "en"),
            declared_language=None,
            published=None,
            published_basis=None,
            text=text,
        )
        predicted = find_mentions(doc)
        mentions += predicted
        gm = [
            GoldMention(0, 0, s, s, "PER", p["id"])
            for p in entry.get("persons", [])
            for s in p.get("mentions", [])
        ]
        s = score_document(gm, predicted, "person")
        score.add(s)
        pred_strings = {_norm(m.text) for m in predicted if m.type == "person"}
        gold_strings = {_norm(g.text) for g in gm}
        files[entry["file"]] = {
            "missed": sorted(
                {
                    p["id"]
                    for p in entry.get("persons", [])
                    if not {_norm(x) for x in p.get("mentions", [])} & pred_strings
                }
            ),
            "spurious": sorted(pred_strings - gold_strings),
        }
        owners: dict[str, set[str]] = defaultdict(set)
        for p in entry.get("persons", []):
            for x in p.get("mentions", []):
                owners[_norm(x)].add(p["id"])
        for m in predicted:
            ids = owners.get(_norm(m.text), set())
            if m.type == "person" and len(ids) == 1:  # a string two people share says nothing
                person_of[(m.document, m.id)] = next(iter(ids))
    entities = resolve_entities(mentions)
    entity_of = {mid: e.id for e in entities for mid in e.mentions}
    per_person: dict[str, set[str]] = defaultdict(set)
    docs_of: dict[str, set[str]] = defaultdict(set)
    for (doc_id, mid), pid in person_of.items():
        per_person[pid].add(entity_of.get(mid, mid))
        docs_of[pid].add(doc_id)
    multi = [pid for pid, d in docs_of.items() if len(d) > 1]
    split = sorted(pid for pid in multi if len(per_person[pid]) > 1)
    owners: dict[str, set[str]] = defaultdict(set)
    for pid, ents in per_person.items():
        for e in ents:
            owners[e].add(pid)
    merged = sorted("+".join(sorted(p)) for p in owners.values() if len(p) > 1)
    return {
        "PER": score.prf(),
        "multi_document_people": len(multi),
        "split": split,
        "merged": merged,
        "files": files,
    }


def _gold_text(name: str) -> str | None:
    """The clean text of an example file (`file.jsonl#n`: its n-th record), read and cleaned the
    way the pipeline does it."""
    from dossier.clean import clean_text
    from dossier.ingest.readers import read_file

    file, _, index = name.partition("#")
    path = GOLD.parent / "articles" / file
    if not path.exists():
        return None
    results = [r for r in read_file(path) if r.document is not None]
    pick = int(index) - 1 if index else 0
    if not 0 <= pick < len(results):
        return None
    return clean_text(results[pick].document.body).text


# ---- main -----------------------------------------------------------------------------------


def run(sample: int | None, only: set[str]) -> dict:
    report: dict = {}
    if "slavicner" in only and SLAVIC.exists():
        found = eval_slavicner(sample)
        report["slavicner"], report["slavicner_loto"] = found["languages"], found["loto"]
    if "ronec" in only and RONEC.exists():
        report["ronec"] = eval_ronec(sample * 5 if sample else None)
        report["ronec"].pop("score", None)
    if "linking" in only and SLAVIC.exists():
        report["linking"] = eval_linking(sample)
    if "gold" in only:
        report["gold"] = eval_gold()
    return report


def _print(report: dict) -> None:
    for lang, types in report.get("slavicner", {}).items():
        mark = " <" if lang in ("ru", "uk") else ""
        row = "  ".join(
            f"{t} P {v['p']:.3f} R {v['r']:.3f} F1 {v['f1']:.3f}" for t, v in types.items()
        )
        print(f"SlavicNER {lang}: {row}{mark}")
    loto = report.get("slavicner_loto")
    if loto:
        print(
            f"SlavicNER leave-one-topic-out (F1 macro / min over {len(loto['topics'])} held-out "
            f"topics with >= {loto['min_gold']} gold entities):"
        )
        for lang, types in loto["summary"].items():
            row = "  ".join(
                f"{t} {v['macro_f1']:.3f} / {v['min_f1']:.3f} ({v['min_topic']})"
                for t, v in types.items()
            )
            print(f"  {lang}: {row or 'no topic with enough gold entities'}")
        for topic, langs in loto["topics"].items():
            row = "  ".join(
                f"{lang} " + "/".join(f"{v['f1']:.2f}" for v in types.values())
                for lang, types in langs.items()
            )
            print(f"  held out {topic} (PER/ORG/LOC F1): {row}")
    for key, name in (("PER", "sentence n mod 5"), ("PER_name_disjoint", "name-disjoint folds")):
        v = report.get("ronec", {}).get(key)
        if v:
            print(
                f"RONEC ro ({name}): PER P {v['p']:.3f} R {v['r']:.3f} F1 {v['f1']:.3f} "
                f"(gold {v['gold']})"
            )
    if "linking" in report:
        lk = report["linking"]
        for name in ("cross_document", "cross_lingual"):
            v = lk[name]
            print(
                f"Linking {name}: P {v['p']:.3f} R {v['r']:.3f} F1 {v['f1']:.3f} "
                f"({v['gold_pairs']} gold pairs; {lk['mentions']} mentions, {lk['entities']} "
                f"entities, {lk['resolve_seconds']} s)"
            )
    gold = report.get("gold")
    if gold:
        v = gold["PER"]
        print(
            f"examples/gold.json: PER P {v['p']:.3f} R {v['r']:.3f} F1 {v['f1']:.3f}; "
            f"people in several files {gold['multi_document_people']}, split {gold['split']}, "
            f"merged {gold['merged']}"
        )
    elif "gold" in report:
        print("examples/gold.json: absent, skipped")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", default="slavicner,ronec,linking,gold")
    args = parser.parse_args(argv)
    if not SHARED.exists():
        print("../shared is absent: nothing to evaluate")
        return 0
    started = time.perf_counter()
    report = run(args.sample, set(args.only.split(",")))
    report["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        _print(report)
        print(f"({report['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
