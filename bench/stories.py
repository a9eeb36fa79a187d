"""Adding one article to a story index of 100,000 documents.

    python -m bench.stories [--docs N]

`bench_stories()` is what `make bench` calls. The index is filled with synthetic documents
(random unit vectors in clusters of 1 to 5, entity ids and 30 name keys each from skewed
vocabularies, dates over five years) through `StoryIndex.place` (no scoring: how a store
restores its index). Then one real article is added end to end: its embedding
(`document_vector`), its name keys, the candidate search and scoring, and the union. The index
is in memory; it is not persisted between runs.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from dossier.model import Document
from dossier.stories.cluster import document_keys
from dossier.stories.features import DIM, Features, decode_vector, document_vector, normalise_rows
from dossier.stories.index import StoryIndex

ARTICLE = (
    "Border guards detained a journalist at the airport\n"
    "A reporter who left his country two years ago was detained on arrival at the airport on "
    "Tuesday and questioned for six hours, his lawyer Irina Valkova-Dernberg said. Prosecutors "
    "of his home country have asked for his extradition on charges of spreading false "
    "information about the army; a court will rule on his custody on Friday. "
) * 4


def build_index(docs: int, seed: int = 7) -> StoryIndex:
    rng = np.random.default_rng(seed)
    index = StoryIndex(capacity=docs + 1)
    vocabulary = [f"person:p{i}" for i in range(20_000)] + [f"location:l{i}" for i in range(500)]
    weights = 1 / np.arange(1, len(vocabulary) + 1)
    draws = rng.choice(len(vocabulary), size=(docs, 8), p=weights / weights.sum())
    names = [f"n:k{i}" for i in range(200_000)]
    name_p = 1 / np.arange(1, len(names) + 1) ** 0.8
    name_draws = rng.choice(len(names), size=(docs, 30), p=name_p / name_p.sum())
    counts = rng.integers(2, 9, size=docs)
    sizes = rng.integers(1, 6, size=docs)
    story_of = np.repeat(np.arange(docs), sizes)[:docs]
    centres = rng.standard_normal((docs, DIM)).astype(np.float32)
    vectors = normalise_rows(centres[story_of] * 50 + rng.standard_normal((docs, DIM)))
    days = 738_000 + rng.integers(0, 5 * 365, size=docs)[story_of] + rng.integers(0, 20, size=docs)
    first: dict[int, str] = {}
    for i in range(docs):
        ents = frozenset(vocabulary[e] for e in draws[i, : counts[i]])
        f = Features(f"d{i}", vectors[i], ents, frozenset(), int(days[i]), True, "en")
        keys = {names[k]: 1.0 for k in name_draws[i]}
        index.place(f, keys, first.get(int(story_of[i])))
        first.setdefault(int(story_of[i]), f.id)
    return index


def bench_stories(docs: int = 100_000, repeats: int = 5) -> dict:
    """Median over `repeats` articles (each added to the index of `docs`) of the time to add one."""
    started = time.perf_counter()
    index = build_index(docs)
    build_s = time.perf_counter() - started
    warm = Document("warm-up", "bench", None, "en", "en", None, None, "Warm Up")
    document_vector(warm)  # load the model and word lists once: a running store has them loaded
    document_keys(warm)
    timings = []
    for n in range(repeats):
        doc = Document(f"new-{n}", "bench", None, "en", "en", "2026-03-01", "declared",
                       f"({n}) {ARTICLE}")
        started = time.perf_counter()
        vector = decode_vector(document_vector(doc))
        embedded = time.perf_counter()
        keys = document_keys(doc) | {f"n:k{i}": 1.0 for i in range(n, 3000, 100)}
        keyed = time.perf_counter()
        f = Features(doc.id, vector, frozenset({"person:p17", f"person:p{19_999 - n}"}),
                     frozenset(), 739_000, True, "en")
        index.add(f, keys)
        done = time.perf_counter()
        timings.append((done - started, embedded - started, keyed - embedded, done - keyed))
    total, embed, keys_s, search = (
        float(np.median(col)) * 1000 for col in zip(*timings, strict=True)
    )
    return {
        "story_add_ms": round(total, 1),
        "story_add_embed_ms": round(embed, 1),
        "story_add_keys_ms": round(keys_s, 1),
        "story_add_search_ms": round(search, 1),
        "story_add_max_ms": round(max(t[0] for t in timings) * 1000, 1),
        "story_index_docs": docs,
        "story_index_build_s": round(build_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    args = parser.parse_args()
    print(json.dumps(bench_stories(args.docs)))


if __name__ == "__main__":
    main()
