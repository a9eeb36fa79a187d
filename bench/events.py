"""Throughput of the events stage (event detection per document, then merging and case files).

    python -m bench.events            # on the seed articles in ../shared/seeds and the examples

`bench_events(analyses)` is what `make bench` calls: it re-runs `find_events` on analyses that
already hold their mentions and dates, so only the events stage is timed.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from dossier.cases import build_cases, merge_events
from dossier.entities.resolve import resolve_entities
from dossier.events.detect import find_events
from dossier.model import Analysis

ROOT = Path(__file__).resolve().parents[1]


def bench_events(analyses: list[Analysis]) -> dict:
    """Documents per second through find_events (after one warm-up document that loads the
    lexicons and lemmatizers), and event mentions per second through merging + case files."""
    if not analyses:
        return {"events_docs_per_s": 0.0}
    first = analyses[0]
    started = time.perf_counter()
    find_events(first.document, first.mentions, first.dates)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    mentions = []
    for a in analyses:
        mentions += find_events(a.document, a.mentions, a.dates)
    detect_s = time.perf_counter() - started
    entities = resolve_entities([m for a in analyses for m in a.mentions])
    mention_entity = {m: e.id for e in entities for m in e.mentions}
    started = time.perf_counter()
    events = merge_events(mentions, mention_entity)
    cases = build_cases(events, entities)
    merge_s = time.perf_counter() - started
    return {
        "events_docs_per_s": round(len(analyses) / detect_s, 2) if detect_s else 0.0,
        "events_load_s": round(load_s, 3),
        "event_mentions": len(mentions),
        "events_merged": len(events),
        "cases": len(cases),
        "events_merge_mentions_per_s": round(len(mentions) / merge_s, 1) if merge_s else 0.0,
    }


def main() -> None:
    from dossier.ingest import iter_inputs
    from dossier.pipeline import analyse

    folders = (ROOT.parent / "shared" / "seeds", ROOT / "examples" / "articles")
    inputs = [str(p) for p in folders if p.exists()]
    analyses = [analyse(r.document) for r in iter_inputs(inputs) if r.document]
    print(json.dumps(bench_events(analyses)))


if __name__ == "__main__":
    main()
