"""Throughput of the entities stage (mention detection, then resolution over all documents).

    python -m bench.entities            # on the seed articles in ../shared/seeds

`bench_entities(docs)` is what `make bench` calls.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from pathlib import Path

from dossier.entities.mentions import find_mentions
from dossier.entities.resolve import resolve_entities
from dossier.model import Document, Mention


def bench_entities(docs: list[Document]) -> dict:
    """Documents per second through find_mentions (after one warm-up document per language, which
    loads the models and gazetteers), overall and per language, and mentions per second through
    resolve_entities."""
    if not docs:
        return {"entities_docs_per_s": 0.0}
    started = time.perf_counter()
    for doc in {d.language: d for d in docs}.values():
        find_mentions(doc)  # one per language: each loads its own models
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    mentions: list[Mention] = []
    seconds: dict[str, float] = defaultdict(float)
    counts: Counter[str] = Counter()
    for doc in docs:
        one = time.perf_counter()
        mentions += find_mentions(doc)
        seconds[doc.language or "und"] += time.perf_counter() - one
        counts[doc.language or "und"] += 1
    detect_s = time.perf_counter() - started
    started = time.perf_counter()
    entities = resolve_entities(mentions)
    resolve_s = time.perf_counter() - started
    chars = sum(len(d.text) for d in docs)
    return {
        "entities_docs_per_s": round(len(docs) / detect_s, 2) if detect_s else float("inf"),
        "entities_chars_per_s": round(chars / detect_s) if detect_s else float("inf"),
        # Romanian runs the contextual classifier (an e5 pass over every sentence): slower
        "entities_docs_per_s_by_language": {
            lang: round(counts[lang] / seconds[lang], 1) for lang in sorted(counts) if seconds[lang]
        },
        "entities_load_s": round(load_s, 2),
        "entities_mentions": len(mentions),
        "entities_entities": len(entities),
        "resolve_mentions_per_s": round(len(mentions) / resolve_s) if resolve_s else float("inf"),
    }


def _seed_docs() -> list[Document]:
    seeds = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
    docs = []
    for n, path in enumerate(sorted(seeds.glob("*.txt"))):
        from dossier.language import detect_language

        text = path.read_text(encoding="utf-8")
        docs.append(
            Document(
                id=f"seed{n}",
                source=str(path),
                title=None,
                language=detect_language(text),
                declared_language=None,
                published=None,
                published_basis=None,
                text=text,
            )
        )
    return docs


if __name__ == "__main__":
    print(bench_entities(_seed_docs() * 20))
