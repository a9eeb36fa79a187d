"""The command line end to end: ingest, duplicates, exit status, bad inputs, kill -9, export."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import dossier.ingest
from dossier.cli import app

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
runner = CliRunner()

ARTICLES = [
    (" date 2026-03-02 RU\nВ Бишкеке задержали российского активиста Тимура Беккулова. "
     "Суд арестовал его на два месяца по запросу России."),
    (" date 2026-03-04 UK\nУ Бішкеку затримали російського активіста Тимура Беккулова. "
     "Суд заарештував його на два місяці на запит Росії."),
    ("A Russian activist, Timur Bekkulov, was detained in Bishkek on 1 March at Moscow's request. "
     "A court ordered him held for two months."),
]


def ingest(*args: str, db: Path):
    return runner.invoke(app, ["ingest", *args, "--db", str(db)])


def write_articles(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(ARTICLES):
        (folder / f"a{i}.txt").write_text(text, encoding="utf-8")


def test_ingest_then_duplicates(tmp_path):
    write_articles(tmp_path / "in")
    db = tmp_path / "d.db"
    first = ingest(str(tmp_path / "in"), db=db)
    assert first.exit_code == 0, first.output
    assert "new" in first.output
    second = ingest(str(tmp_path / "in"), db=db)
    assert second.exit_code == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 3
    # the summary row reads: 0 new, 3 duplicate, 0 failed
    assert "│   0 │         3 │      0 │" in second.output


def test_partial_failure_exit_1_and_reasons(tmp_path):
    write_articles(tmp_path / "in")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = ingest(str(tmp_path / "in"), str(tmp_path / "typo.txt"), db=tmp_path / "d.db")
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.output
    assert "bin.txt: binary data, not text" in result.output
    assert "typo.txt: no such file or folder" in result.output


def test_nothing_done_exit_2(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert ingest(str(tmp_path / "empty.txt"), db=tmp_path / "d.db").exit_code == 2
    (tmp_path / "none").mkdir()
    assert ingest(str(tmp_path / "none"), db=tmp_path / "d.db").exit_code == 2
    assert runner.invoke(app, ["ingest"]).exit_code == 2  # bad usage
    assert runner.invoke(app, ["export", "--db", str(tmp_path / "missing.db")]).exit_code == 2


def test_stdin(tmp_path):
    db = tmp_path / "d.db"
    result = runner.invoke(app, ["ingest", "-", "--db", str(db)], input=ARTICLES[2].encode())
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT source FROM documents").fetchone()[0] == "<stdin>"


def test_db_from_environment(tmp_path, monkeypatch):
    write_articles(tmp_path / "in")
    monkeypatch.setenv("DOSSIER_DB", str(tmp_path / "env.db"))
    assert runner.invoke(app, ["ingest", str(tmp_path / "in")]).exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_file_removed_mid_run(tmp_path, monkeypatch):
    write_articles(tmp_path / "in")
    victim = tmp_path / "in" / "a2.txt"
    real_read_path = dossier.ingest.read_path

    def read_and_remove(path, stdin=None):
        if path.endswith("a0.txt"):
            victim.unlink()
        yield from real_read_path(path, stdin)

    monkeypatch.setattr(dossier.ingest, "read_path", read_and_remove)  # as ingest imports it
    result = ingest(str(tmp_path / "in"), db=tmp_path / "d.db")
    assert result.exit_code == 1
    assert "a2.txt: file disappeared before it was read" in result.output
    with sqlite3.connect(tmp_path / "d.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 2


def test_folder_of_ten_thousand_files(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(10_000):
        # identical bytes: one new document, the rest duplicates; every tenth file is empty
        (folder / f"{i:05}.txt").write_bytes(b"" if i % 10 == 9 else ARTICLES[2].encode())
    started = time.perf_counter()
    result = ingest(str(folder), db=tmp_path / "d.db")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1
    assert "│   1 │      8999 │   1000 │" in result.output
    assert elapsed < 120


def test_huge_file_in_folder(tmp_path):
    write_articles(tmp_path / "in")
    with (tmp_path / "in" / "huge.txt").open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    result = ingest(str(tmp_path / "in"), db=tmp_path / "d.db")
    assert result.exit_code == 1
    assert "huge.txt: too large for one article (200 MB" in result.output


def test_kill_9_leaves_consistent_store_and_next_run_continues(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(24):
        (folder / f"{i:03}.txt").write_text(f"{ARTICLES[i % 3]}\nReport number {i}.",
                                            encoding="utf-8")
    db = tmp_path / "d.db"
    command = [sys.executable, "-m", "dossier.cli", "ingest", str(folder), "--db", str(db)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stored = _wait_for_documents(db, at_least=3, process=process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert stored >= 3
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        before = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        orphans = conn.execute(
            "SELECT COUNT(*) FROM documents d LEFT JOIN analyses a ON a.document = d.id "
            "LEFT JOIN raw_inputs r ON r.document = d.id WHERE a.document IS NULL "
            "OR r.document IS NULL").fetchone()[0]
        assert orphans == 0
    assert before < 24, "the run finished before it was killed; the test proves nothing"
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 24


def _wait_for_documents(db: Path, at_least: int, process: subprocess.Popen) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if not db.exists():
            time.sleep(0.05)
            continue
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                count = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            if count >= at_least:
                return count
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    pytest.fail(f"ingest stored nothing in time: {process.stderr.read().decode()[-2000:]}")


def test_export_json_and_csv(tmp_path):
    write_articles(tmp_path / "in")
    db = tmp_path / "d.db"
    ingest(str(tmp_path / "in"), db=db)
    out = tmp_path / "export.json"
    assert runner.invoke(app, ["export", "--db", str(db), "--out", str(out)]).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "dossier.export/1"
    assert set(data) == {"format", "documents", "entities", "events", "cases", "claims", "quotes",
                         "stories"}
    docs = {d["language"]: d for d in data["documents"]}
    assert set(docs) == {"ru", "uk", "en"}
    assert docs["ru"]["published"] == "2026-03-02" and docs["ru"]["published_basis"] == "declared"
    assert docs["ru"]["declared_language"] == "ru" and docs["ru"]["warnings"] == []
    assert docs["ru"]["text"].startswith("В Бишкеке задержали")
    # ids are stable: the same bytes give the same id in a fresh store
    ingest(str(tmp_path / "in"), db=tmp_path / "other.db")
    again = json.loads(runner.invoke(app, ["export", "--db", str(tmp_path / "other.db")]).output)
    assert sorted(d["id"] for d in again["documents"]) == sorted(d["id"] for d in data["documents"])
    folder = tmp_path / "csv"
    args = ["export", "--db", str(db), "--format", "csv", "--tables", str(folder)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    with (folder / "documents.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 3
    assert runner.invoke(app, ["export", "--db", str(db), "--format", "xml"]).exit_code == 2


@pytest.mark.skipif(not (SHARED / "seeds").exists(), reason="../shared/seeds not present")
def test_seed_articles_ingest(tmp_path):
    db = tmp_path / "seeds.db"
    assert ingest(str(SHARED / "seeds"), db=db).exit_code == 0
    data = json.loads(runner.invoke(app, ["export", "--db", str(db)]).output)
    docs = sorted(data["documents"], key=lambda d: Path(d["source"]).name)
    assert [d["language"] for d in docs] == ["ru", "uk", "ro", "en", "en"]
    assert docs[0]["declared_language"] == "en"
    assert "declared language en but text is ru" in docs[0]["warnings"]
    assert [d["published"] for d in docs[:3]] == ["2026-03-10", "2026-02-03", "2026-02-22"]
    assert all(d["published_basis"] == "declared" for d in docs[:3])
    assert all(d["published_basis"] in (None, "inferred") for d in docs[3:])
    raw_first = (SHARED / "seeds" / "000_e21f72599c54662b.txt").read_bytes()
    with sqlite3.connect(db) as conn:
        kept = conn.execute("SELECT raw FROM raw_inputs WHERE document = ?", (docs[0]["id"],))
        assert kept.fetchone()[0] == raw_first


@pytest.mark.skipif(not (SHARED / "seeds").exists(), reason="../shared/seeds not present")
def test_case_found_by_any_spelling(tmp_path):
    db = tmp_path / "seeds.db"
    assert ingest(str(SHARED / "seeds"), db=db).exit_code == 0
    names = set()
    for query in ("Качкуркина", "Kachkurkin", "Качкуркін"):
        result = runner.invoke(app, ["case", query, "--db", str(db), "--json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        names.add(data["person"]["name"])
        assert any(e["type"] == "deportation" for e in data["events"])
    assert len(names) == 1
    missing = runner.invoke(app, ["case", "Nobody Atall", "--db", str(db)])
    assert missing.exit_code == 2 and "no case matches" in missing.output
    listing = runner.invoke(app, ["cases", "--db", str(db), "--json"])
    listed = {row["name"] for row in json.loads(listing.output)}
    assert {"Semyon Bazhukov", "Kamil Kasimov"} <= listed
