"""How one more article, and the case commands, behave with many articles already stored.

    python -m bench.scale --docs 10000      # after bench.real, or on the examples

A large store is made by varying real analyses: each copy gets a new document id (every id
that contains it follows: mentions, events, quotes, claims), so names repeat across copies as
they do in a long-running monitoring store. Then the real commands are timed, start-up
included: ingesting one more short article (linking included), `dossier cases` and
`dossier case NAME`, and how many lines the case file prints; two ingests at once into the
big store (overlapping folders, then the same folder), with the longest any other writer had
to wait for the write lock meanwhile. One more article is also timed in-process, models
loaded: analysis, storing and linking (incremental, dossier/incremental.py), with the
linking split into its reads and its write.
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

from bench.real import Sampler, dossier_command
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
    needs it); the seconds it took. One transaction for them all: how documents are stored
    is not what this measures.

    Each copy is stored already in the story of its original (`original_stories`): a copy has
    its original's vector, keys and dates, so online clustering puts it there, and the first
    link then only restores the stories instead of scoring 10,000 documents one by one (most
    of a first link's time, and not what this measures either). The timed steps after it are
    the real code."""
    started = time.perf_counter()
    story = original_stories(analyses)
    with Store(str(db)) as store, store.conn:
        for n in range(count):
            original = analyses[n % len(analyses)]
            _, text, raw = varied(original, n // len(analyses))
            copy = analysis_from_json(text)
            copy.document.story = story[original.document.id]
            _insert(store, copy, raw, n + 1)
        store.conn.execute("INSERT OR REPLACE INTO meta VALUES ('dirty', '1')")
    return time.perf_counter() - started


def original_stories(analyses: list[Analysis]) -> dict[str, str]:
    """Original document id -> the story id its copies are stored in: the stories the real
    clustering makes of the originals, named after the first copy of each story's first
    document."""
    from dossier.pipeline import link

    out = {}
    for story in link([analysis_from_json(json.dumps(to_dict(a))) for a in analyses]).stories:
        first = varied(next(a for a in analyses if a.document.id == story.documents[0]), 0)[0]
        out |= {d: f"story-{first}" for d in story.documents}
    return out


def _insert(store: Store, analysis: Analysis, raw: bytes, seq: int) -> None:
    """What `Store.add` writes, without its transaction of its own."""
    doc = analysis.document
    store.conn.execute(
        "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (doc.id, seq, doc.source, doc.title, doc.language, doc.declared_language,
         doc.published, doc.published_basis, doc.text, json.dumps(doc.warnings), doc.url,
         doc.outlet, doc.format, doc.encoding, doc.story, "2026-01-01T00:00:00+00:00"))
    store.conn.execute("INSERT INTO raw_inputs VALUES (?, ?)", (doc.id, raw))
    store.conn.execute("INSERT INTO analyses VALUES (?, ?)", (
        doc.id, json.dumps(to_dict(analysis), ensure_ascii=False, separators=(",", ":"))))


ONE_MORE = [
    " date 2026-03-02 RU\nВ Бишкеке задержали российского активиста Тимура Беккулова. Суд "
    "арестовал его на два месяца.\n",
    " date 2026-03-04 EN\nA Kyrgyz court extended the detention of the Russian activist Timur "
    "Bekkulov in Bishkek on 4 March.\n",
    " date 2026-03-05 EN\nPolice in Tbilisi detained the Belarusian journalist Ihar Sidarenka "
    "at the request of Minsk.\n",
]


WARM_UP = " date 2026-03-03 EN\nPolice in Almaty questioned the journalist Ivan Petrov.\n"


def one_more_in_process(db: Path) -> dict:
    """One more article, in this process with the models loaded (a first article warms them
    up): analysis, `Store.add` and the incremental link, in seconds of wall time; for an
    article on the subject most of the store names (Bekkulov, in a story of thousands of
    documents) and for one on a smaller one (Sidarenka, the figures without a name)."""
    from dossier.ingest.readers import read_path
    from dossier.pipeline import analyse
    from dossier.review import relink

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, text) in enumerate([("warm_up", WARM_UP), ("bekkulov", ONE_MORE[1]),
                                          ("", ONE_MORE[2])]):
            path = Path(tmp) / f"more{n}.txt"
            path.write_text(text, encoding="utf-8")
            [result] = list(read_path(str(path)))
            started = time.perf_counter()
            analysis = analyse(result.document)
            analysed = time.perf_counter()
            with Store(str(db)) as store:
                store.add(analysis, result.document.raw)
                stored = time.perf_counter()
                incremental = store.link_increment()
                if not incremental:
                    relink(store)
                linked = time.perf_counter()
                write_s = store.last_write_s
            if name == "warm_up":
                continue
            prefix = f"scale_one_more_{name}_" if name else "scale_one_more_"
            figures |= {
                f"{prefix}work_s": round(linked - started, 3),
                f"{prefix}analyse_s": round(analysed - started, 3),
                f"{prefix}store_s": round(stored - analysed, 3),
                f"{prefix}link_s": round(linked - stored, 3),
                f"{prefix}link_write_s": round(write_s, 3),
                f"{prefix}incremental": incremental,
            }
    return figures


def timed(*args: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(dossier_command(*args), capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(args)}: {result.stderr[-500:]}")
    return time.perf_counter() - started, result.stdout


def bench_scale(analyses: list[Analysis], count: int, concurrent: bool = True) -> dict:
    """The figures of the module note; `concurrent=False` leaves out the two ingests at once
    (the quick bench)."""
    if not analyses:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "scale.db"
        build_s = build_store(db, analyses, count)
        with LockProbe(db) as probe:
            first_link_s, _ = timed("cases", "--db", str(db))  # links the whole store once
        first_lock_s = probe.longest
        in_process = one_more_in_process(db)
        article = Path(tmp) / "one.txt"
        article.write_text(ONE_MORE[0], encoding="utf-8")
        with LockProbe(db) as probe:
            one_s, _ = timed("ingest", str(article), "--db", str(db), "-q")
        one_lock_s = probe.longest
        together = concurrent_ingests(db, Path(tmp)) if concurrent else {}
        cases_s, _ = timed("cases", "--db", str(db))
        name = _biggest_case(db)
        case_s, printed = timed("case", name, "--db", str(db)) if name else (0.0, "")
    return {
        "scale_docs": count,
        "scale_build_s": round(build_s, 1),
        "scale_first_link_s": round(first_link_s, 1),
        "scale_first_link_longest_writer_wait_s": round(first_lock_s, 2),
        **in_process,
        "scale_one_more_article_s": round(one_s, 2),
        "scale_one_more_longest_writer_wait_s": round(one_lock_s, 2),
        **together,
        "scale_cases_s": round(cases_s, 2),
        "scale_case_s": round(case_s, 2),
        "scale_case_lines": printed.count("\n"),
    }


ARTICLES = [
    "A Russian activist, Timur Bekkulov, was detained in Bishkek on 1 March. Report {i}.",
    "Police in Almaty detained the journalist Ivan Petrov on 3 March. Report {i}.",
]


class LockProbe(Sampler):
    """Another writer on the store: every 50 ms it takes the write lock and lets it go, and
    keeps the longest it had to wait — how long any write transaction held the lock."""

    def __init__(self, db: Path):
        super().__init__(0.05)
        self.db, self.longest = db, 0.0
        self._conn: sqlite3.Connection | None = None

    def sample(self) -> None:
        if self._conn is None:  # made on the sampling thread; closed once it has stopped
            self._conn = sqlite3.connect(self.db, timeout=600, isolation_level=None,
                                         check_same_thread=False)
        started = time.perf_counter()
        self._conn.execute("BEGIN IMMEDIATE")
        self._conn.execute("COMMIT")
        self.longest = max(self.longest, time.perf_counter() - started)

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        if self._conn is not None:
            self._conn.close()


def concurrent_ingests(db: Path, tmp: Path) -> dict:
    """Two `dossier ingest` processes at once on the big store: overlapping folders (4 files
    each, 2 shared), then the same folder twice. Both must exit 0 with every document stored
    once."""
    folders = [tmp / "first", tmp / "second", tmp / "same"]
    for folder in folders:
        folder.mkdir()
    for i in range(6):
        text = ARTICLES[i % 2].format(i=i)
        for folder in ([folders[0]] if i < 2 else [folders[0], folders[1]] if i < 4
                       else [folders[1]]):
            (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    (folders[2] / "x.txt").write_text(ARTICLES[0].format(i="same"), encoding="utf-8")
    before = _count(db)
    codes: list[int] = []
    errors: list[str] = []
    started = time.perf_counter()
    with LockProbe(db) as probe:
        for pair in ((folders[0], folders[1]), (folders[2], folders[2])):
            runs = [subprocess.Popen(dossier_command("ingest", str(f), "--db", str(db), "-q",
                                                     "-j", "1"),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                    for f in pair]
            for run in runs:
                codes.append(run.wait())
                if codes[-1]:
                    errors.append(run.stderr.read().decode()[-300:] if run.stderr else "")
    with sqlite3.connect(db) as conn:
        total, distinct = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT id) FROM documents").fetchone()
    return {
        "scale_concurrent_exit_codes": codes,
        "scale_concurrent_errors": errors,
        "scale_concurrent_new_documents": total - before,  # 7 expected
        "scale_concurrent_duplicates": total - distinct,
        "scale_concurrent_s": round(time.perf_counter() - started, 1),
        "scale_concurrent_longest_writer_wait_s": round(probe.longest, 2),
    }


def _count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]


def _biggest_case(db: Path) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT name FROM cases ORDER BY event_count DESC LIMIT 1").fetchone()
    return row[0] if row else None


def main() -> None:
    from dossier.ingest import iter_inputs
    from dossier.pipeline import analyse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep the examples' analyses here between runs")
    args = parser.parse_args()
    if args.cache and args.cache.exists():
        analyses = [analysis_from_json(line) for line in args.cache.read_text().splitlines()]
    else:
        inputs = iter_inputs([str(ROOT / "examples" / "articles")])
        analyses = [analyse(r.document) for r in inputs if r.document]
        if args.cache:
            args.cache.write_text("\n".join(json.dumps(to_dict(a), ensure_ascii=False)
                                            for a in analyses))
    print(json.dumps(bench_scale(analyses, args.docs)))


if __name__ == "__main__":
    main()
