"""A second process, a full disk, a kill, a hostile address: none of them may lose data or
leave a half-written file, and each gets a clear one-line answer."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dossier.cli import app
from dossier.model import Analysis, Document
from dossier.outputs import atomic_file, neutralise_cell, write_atomic
from dossier.pipeline import Corpus
from dossier.store import Store
from dossier.web.app import create_app

runner = CliRunner()
CLI = [sys.executable, "-m", "dossier.cli"]


def analysis(doc_id: str, text: str = "Ruslan Abdulov was detained.") -> Analysis:
    doc = Document(id=doc_id, source=f"{doc_id}.txt", title=f"=HYPERLINK(\"x\") {doc_id}",
                   language="en", declared_language=None, published="2026-03-01",
                   published_basis="declared", text=text)
    return Analysis(document=doc)


def linked_store(path: Path, count: int, text: str = "Ruslan Abdulov was detained.") -> None:
    with Store(str(path)) as store:
        for i in range(count):
            store.add(analysis(f"d{i:05}", text), f"raw {i}".encode())
        store.save_corpus(Corpus(documents=[a.document for a in store.analyses()]))
        assert not store.dirty


# ---- the store: two writers at once ---------------------------------------------------------


def _add_range(db: str, start: int, stop: int, started: multiprocessing.synchronize.Event
               ) -> None:
    started.wait()
    with Store(db) as store:
        for i in range(start, stop):
            store.add(analysis(f"d{i:05}"), f"raw {i}".encode())


# 2,000 for the figure (DOSSIER_CONCURRENT_DOCS=2000); fewer keeps the suite quick.
CONCURRENT_DOCS = int(os.environ.get("DOSSIER_CONCURRENT_DOCS", "500"))


def test_two_processes_storing_overlapping_documents_at_once(tmp_path):
    """N documents each, half of them the same: no IntegrityError, no duplicate, no loss."""
    db = str(tmp_path / "d.db")
    Store(db).close()
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    n = CONCURRENT_DOCS
    workers = [context.Process(target=_add_range, args=(db, a, b, go))
               for a, b in ((0, n), (n // 2, n + n // 2))]
    for worker in workers:
        worker.start()
    go.set()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    with sqlite3.connect(db) as conn:
        total = n + n // 2
        assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM documents").fetchone() == (
            total, total)
        assert conn.execute("SELECT COUNT(DISTINCT seq) FROM documents").fetchone()[0] == total
        assert conn.execute("SELECT COUNT(*) FROM analyses").fetchone()[0] == total


def _hold_write_lock(db: str, seconds: float, held: multiprocessing.synchronize.Event) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('holder', '1')")
    held.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def test_writer_outwaits_a_long_write_transaction(tmp_path):
    """A relink holding the write lock for longer than SQLite's default 5 s wait: the other
    writer waits for it instead of failing with 'database is locked'."""
    db = str(tmp_path / "d.db")
    Store(db).close()
    context = multiprocessing.get_context("spawn")
    held = context.Event()
    holder = context.Process(target=_hold_write_lock, args=(db, 5.5, held))
    holder.start()
    assert held.wait(60)
    started = time.monotonic()
    with Store(db) as store:
        assert store.add(analysis("late"), b"late")
    waited = time.monotonic() - started
    holder.join(30)
    assert waited > 4.0  # it really waited for the holder
    with Store(db) as store:
        assert store.has_document("late")


def test_document_added_while_linking_keeps_the_store_dirty(tmp_path):
    db = str(tmp_path / "d.db")
    linked_store(tmp_path / "d.db", 2)
    with Store(db) as linker, Store(db) as other:
        linker.conn.execute("UPDATE meta SET value = '1' WHERE key = 'dirty'")
        linker.conn.commit()
        snapshot = list(linker.analyses())  # linking starts from what is stored now
        other.add(analysis("arrived-meanwhile"), b"meanwhile")
        linker.save_corpus(Corpus(documents=[a.document for a in snapshot]))
        assert linker.dirty  # the new document still needs a link
        linker.save_corpus(Corpus(documents=[a.document for a in linker.analyses()]))
        assert not linker.dirty


ARTICLES = [
    "A Russian activist, Timur Bekkulov, was detained in Bishkek on 1 March. Report {i}.",
    "Police in Almaty detained the journalist Ivan Petrov on 3 March. Report {i}.",
]


@pytest.mark.slow
def test_two_ingests_of_overlapping_folders_at_once(tmp_path):
    """The command line end to end: two `dossier ingest` processes on one store, the same
    files and overlapping ones; both exit 0, every document stored once."""
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for i in range(8):
        text = ARTICLES[i % 2].format(i=i)
        (first / f"{i}.txt").write_text(text, encoding="utf-8")
        if i >= 4:
            (second / f"{i}.txt").write_text(text, encoding="utf-8")
    for i in range(8, 12):
        (second / f"{i}.txt").write_text(ARTICLES[i % 2].format(i=i), encoding="utf-8")
    db = tmp_path / "d.db"
    runs = [subprocess.Popen([*CLI, "ingest", str(folder), "--db", str(db), "-j", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for folder in (first, second)]
    outcomes = [(p.wait(600), p.stderr.read().decode()) for p in runs]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert not any("Traceback" in text for _, text in outcomes)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM documents").fetchone() == (
            12, 12)
        assert conn.execute("SELECT value FROM meta WHERE key = 'dirty'").fetchone()[0] == "0"


# ---- outputs: whole or not at all ---------------------------------------------------------


def test_atomic_file_keeps_the_old_file_on_failure(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_file(target) as handle:
        handle.write("half of the new")
        raise RuntimeError("disk gone")
    assert target.read_text(encoding="utf-8") == "previous"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert list(tmp_path.iterdir()) == [target]


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.parametrize("args", [
    ["export", "--out", "{out}"],
    ["export", "--format", "csv", "--tables", "{folder}"],
])
def test_full_disk_keeps_previous_export(tmp_path, args):
    """`ulimit -f` as a full disk: one line, exit 1, the previous file untouched."""
    db = tmp_path / "d.db"
    linked_store(db, 40, text="Ruslan Abdulov was detained. " * 100)  # about 120 KB of text
    out = tmp_path / "out.file"
    out.write_text("previous export", encoding="utf-8")
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "documents.csv").write_text("previous table", encoding="utf-8")
    command = [*CLI, *(a.format(out=out, folder=folder) for a in args), "--db", str(db)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                            preexec_fn=_limit_file_size(64 * 1024))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("error: cannot write") and "File too large" in line
               and "previous file is unchanged" in line for line in lines), lines
    assert out.read_text(encoding="utf-8") == "previous export"
    assert (folder / "documents.csv").read_text(encoding="utf-8") == "previous table"


def test_kill_9_during_export_never_leaves_a_truncated_file(tmp_path):
    """20 exports killed at random moments: the final name holds the previous export or a
    whole new one, never part of one."""
    db = tmp_path / "d.db"
    linked_store(db, 300, text="Ruslan Abdulov was detained in Bishkek. " * 60)
    out = tmp_path / "all.json"
    subprocess.run([*CLI, "export", "--db", str(db), "--out", str(out)], check=True,
                   capture_output=True, timeout=120)
    complete = out.read_bytes()
    assert len(json.loads(complete)["documents"]) == 300
    out.write_text("previous", encoding="utf-8")
    rng = random.Random(14)
    outcomes = []
    for _ in range(20):
        process = subprocess.Popen([*CLI, "export", "--db", str(db), "--out", str(out)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 2.0))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        content = out.read_bytes()
        assert content in (b"previous", complete)
        outcomes.append(content == complete)
        out.write_text("previous", encoding="utf-8")


def test_csv_cells_that_would_run_as_formulas_are_text():
    for value in ("=HYPERLINK(\"http://x\")", "@SUM(A1)", "-2+3+cmd|' /C calc'!A0", "+1",
                  "\t=1", "\r=1"):
        assert neutralise_cell(value) == "'" + value
    assert neutralise_cell("Timur Bekkulov") == "Timur Bekkulov"
    assert neutralise_cell(-2) == -2  # numbers stay numbers


def test_csv_export_neutralises_titles(tmp_path):
    db = tmp_path / "d.db"
    linked_store(db, 2)
    folder = tmp_path / "tables"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "csv", "--tables",
                                 str(folder)])
    assert result.exit_code == 0, result.output
    text = (folder / "documents.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


# ---- command line and web edges -------------------------------------------------------------


def test_db_in_a_missing_folder_is_exit_2(tmp_path):
    (tmp_path / "a.txt").write_text("Police detained an activist.", encoding="utf-8")
    target = tmp_path / "no" / "such" / "d.db"
    result = subprocess.run([*CLI, "ingest", str(tmp_path / "a.txt"), "--db", str(target)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"no folder {target.parent}" in result.stderr


def test_not_a_database_is_exit_2(tmp_path):
    bogus = tmp_path / "d.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    result = runner.invoke(app, ["cases", "--db", str(bogus)])
    assert result.exit_code == 2
    assert "cannot open the store" in result.output


def test_serve_refuses_short_token_and_busy_port(tmp_path):
    db = tmp_path / "d.db"
    linked_store(db, 1)
    short = runner.invoke(app, ["serve", "--db", str(db), "--host", "0.0.0.0", "--token", "x"])
    assert short.exit_code == 2 and "at least 16 characters" in short.output
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = runner.invoke(app, ["serve", "--db", str(db), "--port", str(port)])
    assert taken.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in taken.output


def test_serve_never_prints_the_token(tmp_path):
    db = tmp_path / "d.db"
    linked_store(db, 1)
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    token = "correct-horse-battery-staple-42"
    process = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(port)],
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "DOSSIER_TOKEN": token})
    try:
        line = process.stderr.readline()
    finally:
        process.kill()
        process.wait()
    assert f"http://127.0.0.1:{port}/" in line
    assert token not in line and token[:8] not in line


def test_token_file_keeps_the_token_out_of_the_process_list(tmp_path):
    db = tmp_path / "d.db"
    linked_store(db, 1)
    short, missing = tmp_path / "short.txt", tmp_path / "none.txt"
    short.write_text("x\n", encoding="utf-8")
    refused = runner.invoke(app, ["serve", "--db", str(db), "--host", "0.0.0.0",
                                  "--token-file", str(short)])
    assert refused.exit_code == 2 and "at least 16 characters" in refused.output
    unreadable = runner.invoke(app, ["serve", "--db", str(db), "--token-file", str(missing)])
    assert unreadable.exit_code == 2 and "cannot read a token" in unreadable.output


def test_testserver_host_only_from_the_test_client(tmp_path):
    db = str(tmp_path / "d.db")
    linked_store(tmp_path / "d.db", 1)
    assert TestClient(create_app(db)).get("/").status_code == 200
    # the same Host from a real peer (what uvicorn would pass on) is refused
    outside = TestClient(create_app(db), client=("192.0.2.7", 40000))
    assert outside.get("/").status_code == 400
    local = TestClient(create_app(db), base_url="http://127.0.0.1", client=("127.0.0.1", 1))
    assert local.get("/").status_code == 200
