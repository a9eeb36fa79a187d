"""Story clustering quality: BCubed precision/recall/F1 and purity.

    python -m eval.stories [--sample N] [--entities gold|none] [--json]

Corpora (read at run time, never copied into the project):
- the seed articles in ../shared/seeds (the 2026 handover story must be one story without the
  2023 visa-rules article),
- examples/gold.json when present (documents with "file" and "story" keys),
- SlavicNER (../shared/data/slavicner): its five topics are a coarse gold. A topic spans years,
  so one topic split into many stories is fine; a story that mixes topics is an error
  (purity). `--sample N` takes the first N documents (sorted by name) per topic and language.
  Entities come from SlavicNER's own cross-lingual ids (`--entities gold`, the default: the
  clustering given good name resolution), from the project's entity stage (`--entities
  pipeline`) or are left out (`--entities none`: text and name keys alone).
  SlavicNER has no dates.

Embeddings are cached under /tmp/dossier-story-vectors (one file per text hash), so a second
run costs seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from dossier.model import Analysis, Document, Story
from dossier.stories.cluster import StoryIndex, cluster_stories, document_keys, order_key
from dossier.stories.features import DIM, Features, embed, embedding_text, encode_vector

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SLAVICNER = SHARED / "data" / "slavicner"
CACHE = Path("/tmp/dossier-story-vectors")


# ---- metrics ------------------------------------------------------------------------------


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """BCubed precision, recall and F1 of a clustering (item -> cluster) against gold."""
    items = sorted(gold)
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for item in items:
        by_pred[predicted[item]].add(item)
        by_gold[gold[item]].add(item)
    precision = recall = 0.0
    for item in items:
        same_pred = by_pred[predicted[item]]
        same_gold = by_gold[gold[item]]
        both = len(same_pred & same_gold)
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    precision /= len(items)
    recall /= len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def purity(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """Share of items whose story's majority gold label is their own; count of mixed stories."""
    by_pred: dict[str, list[str]] = defaultdict(list)
    for item, story in predicted.items():
        by_pred[story].append(gold[item])
    right = sum(Counter(labels).most_common(1)[0][1] for labels in by_pred.values())
    mixed = sum(1 for labels in by_pred.values() if len(set(labels)) > 1)
    return {"purity": round(right / len(predicted), 4), "mixed_stories": mixed,
            "stories": len(by_pred)}


# ---- vectors ------------------------------------------------------------------------------


def cached_vectors(docs: list[Document]) -> np.ndarray:
    """Embeddings of the documents, read from or written to the /tmp cache."""
    CACHE.mkdir(parents=True, exist_ok=True)
    texts = [embedding_text(d) for d in docs]
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    out = np.zeros((len(docs), DIM), dtype=np.float32)
    missing = []
    for i, key in enumerate(keys):
        path = CACHE / f"{key}.npy"
        if path.exists():
            out[i] = np.load(path)
        else:
            missing.append(i)
    for start in range(0, len(missing), 16):
        batch = missing[start:start + 16]
        vectors = embed([texts[i] for i in batch])
        for i, vector in zip(batch, vectors, strict=True):
            out[i] = vector
            np.save(CACHE / f"{keys[i]}.npy", vector)
    return out


# ---- corpora ------------------------------------------------------------------------------


def slavicner_documents(sample: int | None) -> list[tuple[Document, str, frozenset[str]]]:
    """(document, topic, gold entity ids) for SlavicNER, `sample` per topic and language."""
    out = []
    for topic_dir in sorted((SLAVICNER / "raw").iterdir()):
        for lang_dir in sorted(topic_dir.iterdir()):
            files = sorted(lang_dir.glob("*.txt"))
            for path in files[:sample] if sample else files:
                text = path.read_text(encoding="utf-8", errors="replace")
                title = text.strip().split("\n", 1)[0].strip()
                doc_id = hashlib.sha256(str(path.relative_to(SLAVICNER)).encode()).hexdigest()[:16]
                doc = Document(doc_id, str(path), title, lang_dir.name, lang_dir.name, None, None,
                               text)
                ner = SLAVICNER / "ner" / topic_dir.name / lang_dir.name / (path.stem + ".tsv")
                out.append((doc, topic_dir.name, _gold_entities(ner)))
    return out


_KINDS = {"per": "person", "org": "organization", "loc": "location", "gpe": "location"}


def _gold_entities(path: Path) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    ids = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        cols = line.split("\t")
        if len(cols) >= 6 and cols[5].strip():
            kind, _, name = cols[5].strip().lower().partition("-")
            ids.add(f"{_KINDS.get(kind, kind)}:{name}")
    return frozenset(ids)


def eval_slavicner(sample: int | None, entities: str, keys: bool = True) -> dict:
    rows = slavicner_documents(sample)
    if not rows:
        return {}
    started = time.perf_counter()
    vectors = cached_vectors([doc for doc, _, _ in rows])
    embed_s = time.perf_counter() - started
    if entities == "pipeline":
        found = _pipeline_entities([doc for doc, _, _ in rows])
        rows = [(doc, topic, found.get(doc.id, frozenset())) for doc, topic, _ in rows]
    elif entities == "none":
        rows = [(doc, topic, frozenset()) for doc, topic, _ in rows]
    index = StoryIndex()
    feats = [
        Features(doc.id, vectors[i], ents, frozenset(), None, False, doc.language)
        for i, (doc, _, ents) in enumerate(rows)
    ]
    started = time.perf_counter()
    docs = {doc.id: doc for doc, _, _ in rows}
    for f in sorted(feats, key=order_key):
        index.add(f, document_keys(docs[f.id]) if keys else None)
    cluster_s = time.perf_counter() - started
    predicted = {f.id: index.story_of(f.id) for f in feats}
    gold = {doc.id: topic for doc, topic, _ in rows}
    return {
        "documents": len(rows),
        "entities": entities,
        "name_keys": keys,
        **purity(predicted, gold),
        "bcubed": bcubed(predicted, gold),
        "cross_language_stories": _cross_language(predicted, {d.id: d.language for d, *_ in rows}),
        "embed_s": round(embed_s, 1),
        "cluster_s": round(cluster_s, 2),
    }


def _pipeline_entities(docs: list[Document]) -> dict[str, frozenset[str]]:
    """Entity ids per document from the project's own mention detection and name resolution."""
    from dossier.entities.mentions import find_mentions
    from dossier.entities.resolve import resolve_entities

    mentions = [m for doc in docs for m in find_mentions(doc)]
    out: dict[str, set[str]] = {}
    for entity in resolve_entities(mentions):
        for mention_id in entity.mentions:
            out.setdefault(mention_id.rsplit(":", 1)[0], set()).add(entity.id)
    return {doc_id: frozenset(ids) for doc_id, ids in out.items()}


def _cross_language(predicted: dict[str, str], language: dict[str, str]) -> int:
    langs: dict[str, set[str]] = defaultdict(set)
    for item, story in predicted.items():
        langs[story].add(language[item])
    return sum(1 for v in langs.values() if len(v) > 1)


def seed_analyses(paths: list[Path]) -> list[Analysis]:
    """Analyses of input files: the full pipeline when it runs, else the documents alone."""
    from dossier.ingest import iter_inputs

    raws = [r.document for r in iter_inputs([str(p) for p in paths]) if r.document]
    try:
        from dossier.pipeline import analyse

        analyses = [analyse(raw) for raw in raws]
    except Exception as error:  # another stage still being built: cluster on text and dates
        print(f"note: pipeline.analyse failed ({error!r}); using documents only", file=sys.stderr)
        analyses = [Analysis(_document(raw)) for raw in raws]
    vectors = cached_vectors([a.document for a in analyses])
    for analysis, vector in zip(analyses, vectors, strict=True):
        if not getattr(analysis, "vector", None):
            analysis.vector = encode_vector(vector)  # type: ignore[attr-defined]
    return analyses


def _document(raw) -> Document:
    from dossier.pipeline import document_id

    text = raw.body
    title = raw.title or next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    return Document(document_id(raw.raw), raw.source, title, raw.declared_language or "und",
                    raw.declared_language, raw.declared_date,
                    raw.date_basis if raw.declared_date else None, text)


def linked_stories(analyses: list[Analysis]) -> list[Story]:
    """The stories, through link() when it runs, else cluster_stories alone."""
    try:
        from dossier.pipeline import link

        return link(analyses).stories
    except Exception as error:
        print(f"note: pipeline.link failed ({error!r}); clustering alone", file=sys.stderr)
        return cluster_stories(analyses, {}, [])


def eval_seeds() -> dict:
    seeds = SHARED / "seeds"
    paths = sorted(seeds.glob("*.txt"))
    if not paths:
        return {}
    analyses = seed_analyses(paths)
    stories = linked_stories(analyses)
    story_of = {d: s.id for s in stories for d in s.documents}
    by_file = {Path(a.document.source).name[:3]: story_of[a.document.id] for a in analyses}
    handover = {by_file.get(k) for k in ("001", "002", "004")}
    return {
        "stories": {k: v for k, v in sorted(by_file.items())},
        "handover_one_story": len(handover) == 1 and None not in handover,
        "visa_rules_apart": by_file.get("003") not in handover,
        "russian_case_joins": by_file.get("000") in handover,
        "titles": {s.id: s.title for s in stories},
    }


def eval_gold() -> dict:
    """examples/gold.json: "file" (a name in examples/, "name.jsonl#2" for a line) -> "story"."""
    gold_path = ROOT / "examples" / "gold.json"
    if not gold_path.exists():
        return {}
    data = json.loads(gold_path.read_text(encoding="utf-8"))
    items = data.get("documents", []) if isinstance(data, dict) else data
    gold_story = {
        item["file"]: item["story"] for item in items
        if isinstance(item, dict) and item.get("file") and item.get("story")
    }
    files = sorted({(gold_path.parent / "articles" / name.split("#")[0])
                    for name in gold_story})
    analyses = [a for a in seed_analyses([f for f in files if f.exists()])
                if Path(a.document.source).name in gold_story]
    if not analyses:
        return {}
    story_of = {d: s.id for s in linked_stories(analyses) for d in s.documents}
    predicted = {Path(a.document.source).name: story_of[a.document.id] for a in analyses}
    gold = {name: gold_story[name] for name in predicted}
    return {"documents": len(predicted), **purity(predicted, gold),
            "bcubed": bcubed(predicted, gold), "predicted": dict(sorted(predicted.items()))}


def main(argv: list[str] | None = None) -> dict:
    """Run the evaluations and print them; returns the figures (for `make eval`)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=20, help="documents per topic and language "
                        "in SlavicNER (0: all)")
    parser.add_argument("--entities", choices=("gold", "pipeline", "none"), default="gold",
                        help="SlavicNER entities: its gold cross-lingual ids, the project's own "
                        "mention detection and resolution, or none")
    parser.add_argument("--no-keys", action="store_true", help="leave out name keys")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = {"seeds": eval_seeds(), "gold": eval_gold()}
    if SLAVICNER.exists():
        report["slavicner"] = eval_slavicner(args.sample or None, args.entities,
                                             not args.no_keys)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for name, part in report.items():
            print(f"{name}: {json.dumps(part, ensure_ascii=False) if part else 'not available'}")
    return report


if __name__ == "__main__":
    main()
