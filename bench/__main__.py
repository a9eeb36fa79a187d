"""`make bench`: throughput of the whole pipeline on real news, then each stage's own figures.

With ../shared/data present, `bench.real` ingests real articles (SlavicNER in six languages,
NEREL, RONEC) with the real command and times natasha's NER over the Russian ones as a reference;
the full form also measures the Dask speed-up with two workers. Without it (or with
--generated), the corpus is composed from the bundled examples' sentences (about 4 KB per
article, with header lines and dates). The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.entities import bench_entities
from bench.events import bench_events
from bench.real import bench_real
from bench.scale import bench_scale
from bench.stories import bench_stories
from bench.web import bench_web
from dossier.ingest import iter_inputs
from dossier.model import Analysis
from dossier.pipeline import analyse_all, link
from dossier.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
ARTICLE_BYTES = 4000


def generate_corpus(folder: Path, count: int, seed: int = 13) -> int:
    """Write `count` articles of about 4 KB, each from sentences of one example language."""
    rng = random.Random(seed)
    by_language: dict[str, list[str]] = {}
    for result in iter_inputs([str(EXAMPLES)]):
        if result.document:
            language = result.document.declared_language or Path(result.source).name[:2]
            sentences = re.split(r"(?<=[.!?»”])\s+", result.document.body)
            by_language.setdefault(language, []).extend(s for s in sentences if len(s) > 30)
    languages = sorted(by_language)
    total = 0
    for i in range(count):
        language = languages[i % len(languages)]
        parts: list[str] = []
        while sum(len(p.encode()) for p in parts) < ARTICLE_BYTES:
            parts.append(rng.choice(by_language[language]))
        day = f"2026-{rng.randint(1, 10):02}-{rng.randint(1, 28):02}"
        text = f" date {day} {language.upper()}\n" + "\n\n".join(parts) + f"\n\n({i})\n"
        path = folder / f"{i:05}.txt"
        path.write_text(text, encoding="utf-8")
        total += path.stat().st_size
    return total


def bench_pipeline(count: int) -> tuple[dict[str, float], list[Analysis]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        size = generate_corpus(folder, count)
        started = time.perf_counter()
        with Store(str(Path(tmp) / "bench.db")) as store:
            # the same path as `dossier ingest`: parallel analysis, one transaction per document
            inputs = ((r.source, r.document) for r in iter_inputs([str(folder)]) if r.document)
            for _, raw, analysis in analyse_all(inputs, jobs=os.cpu_count() or 1):
                if isinstance(analysis, str):
                    raise RuntimeError(analysis)
                store.add(analysis, raw.raw)
            per_document = time.perf_counter() - started
            link_started = time.perf_counter()
            analyses = list(store.analyses())
            store.save_corpus(link(analyses))
            link_seconds = time.perf_counter() - link_started
        elapsed = time.perf_counter() - started
    return {
        "docs": count,
        "docs_per_s": round(count / elapsed, 2),
        "mb_per_s": round(size / 2**20 / elapsed, 4),
        "analyse_docs_per_s": round(count / per_document, 2),
        "link_s": round(link_seconds, 2),
    }, analyses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small corpus, for CI")
    parser.add_argument("--docs", type=int, default=None, help="articles to generate")
    parser.add_argument("--generated", action="store_true",
                        help="the generated corpus even when real news is at hand")
    parser.add_argument("--scale", type=int, default=None,
                        help="articles in the large store (default 10,000; quick: 300)")
    parser.add_argument("--large", action="store_true",
                        help="the large store holds 100,000 articles (issue 12's figure)")
    args = parser.parse_args()
    figures, analyses = ({}, []) if args.generated else bench_real(
        args.quick, cluster=not args.quick)
    if not analyses:
        figures, analyses = bench_pipeline(args.docs or (200 if args.quick else 2000))
        figures["peak_rss_mb"] = peak_rss_mb()
    print(f"pipeline: {figures}", flush=True)
    scale = args.scale if args.scale is not None else (
        100_000 if args.large else 300 if args.quick else 10_000)
    if scale:
        figures.update(bench_scale(analyses, scale, concurrent=not args.quick))
        print(f"scale: { {k: v for k, v in figures.items() if k.startswith('scale_')} }",
              flush=True)
    for name, run in stage_benches(analyses, args.quick):
        stage = run()
        print(f"{name}: {stage}", flush=True)
        figures.update(stage)
    print(json.dumps(figures))


def peak_rss_mb() -> float:
    """Largest resident set of this process or any analysis worker it ran."""
    peak = max(resource.getrusage(who).ru_maxrss
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return round(peak / 1024, 1)


def stage_benches(analyses: list[Analysis], quick: bool) -> list[tuple[str, Callable[[], dict]]]:
    """Each stage's own benchmark: (name, callable returning a dict of figures)."""
    docs = [a.document for a in analyses]
    return [
        ("entities", lambda: bench_entities(docs)),
        ("events", lambda: bench_events(analyses)),
        ("stories", lambda: bench_stories(docs=100_000, repeats=3 if quick else 5)),
        ("web", lambda: bench_web(n_docs=2_000 if quick else 10_000, repeats=3 if quick else 5)),
    ]


if __name__ == "__main__":
    main()
