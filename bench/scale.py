"""How one more article, and the case commands, behave with many articles already stored.

    python -m bench.scale --docs 10000      # after bench.real, or on the examples

A large store is made by varying real analyses: each copy gets a new document id (every id
that contains it follows: mentions, events, quotes, claims), so names repeat across copies as
they do in a long-running monitoring store. Then the real commands are timed, start-up
included: ingesting one more short article (linking included), `dossier cases` and
`dossier case NAME`, and how many lines the case file prints.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

from bench.real import dossier_command
from dossier.model import Analysis, to_dict
from dossier.store import Store, analysis_from_json

ROOT = Path(__file__).resolve().parents[1]


def varied(analysis: Analysis, n: int) -> tuple[str, str, bytes]:
    """(new id, analysis JSON, raw bytes) of the n-th copy of `analysis`."""
    old = analysis.document.id
    raw = f"{old}:{n}".encode()
    new = hashlib.sha256(raw).hexdigest()[:16]
    text = json.dumps(to_dict(analysis), ensure_ascii=False, separators=(",", ":"))
    return new, text.replace(old, new), raw


def build_store(db: Path, analyses: list[Analysis], count: int) -> float:
    """Store `count` varied copies of `analyses` (then linked by the first command that
    needs it); the seconds it took."""
    started = time.perf_counter()
    with Store(str(db)) as store:
        for n in range(count):
            _, text, raw = varied(analyses[n % len(analyses)], n // len(analyses))
            store.add(analysis_from_json(text), raw)
    return time.perf_counter() - started


def timed(*args: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(dossier_command(*args), capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(args)}: {result.stderr[-500:]}")
    return time.perf_counter() - started, result.stdout


def bench_scale(analyses: list[Analysis], count: int) -> dict:
    if not analyses:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "scale.db"
        build_s = build_store(db, analyses, count)
        first_link_s, _ = timed("cases", "--db", str(db))  # links the whole store once
        article = Path(tmp) / "one.txt"
        article.write_text(" date 2026-03-02 RU\nВ Бишкеке задержали российского активиста "
                           "Тимура Беккулова. Суд арестовал его на два месяца.\n",
                           encoding="utf-8")
        one_s, _ = timed("ingest", str(article), "--db", str(db), "-q")
        cases_s, _ = timed("cases", "--db", str(db))
        name = _biggest_case(db)
        case_s, printed = timed("case", name, "--db", str(db)) if name else (0.0, "")
    return {
        "scale_docs": count,
        "scale_build_s": round(build_s, 1),
        "scale_first_link_s": round(first_link_s, 1),
        "scale_one_more_article_s": round(one_s, 2),
        "scale_cases_s": round(cases_s, 2),
        "scale_case_s": round(case_s, 2),
        "scale_case_lines": printed.count("\n"),
    }


def _biggest_case(db: Path) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT name FROM cases ORDER BY event_count DESC LIMIT 1").fetchone()
    return row[0] if row else None


def main() -> None:
    from dossier.ingest import iter_inputs
    from dossier.pipeline import analyse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=10_000)
    args = parser.parse_args()
    inputs = iter_inputs([str(ROOT / "examples" / "articles")])
    analyses = [analyse(r.document) for r in inputs if r.document]
    print(json.dumps(bench_scale(analyses, args.docs)))


if __name__ == "__main__":
    main()
