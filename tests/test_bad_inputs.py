"""The bad-input corpus: one `dossier ingest` run over every kind of bad input we know of, next
to good files. Each bad input gets its one-line reason, the good files are stored, the run ends
with exit 1: no traceback, no hang, bounded memory.

The run happens once (module fixture); each case is its own test of what the run said.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

GOOD = ("A Russian activist, Timur Bekkulov, was detained in Bishkek on 1 March at Moscow's "
        "request. A court ordered him held for two months.")
RU = ("Правозащитники сообщили, что активиста задержали в аэропорту Бишкека по запросу России. "
      "Суд арестовал его на два месяца.")
PEAK_MEMORY = 1.5 * 2**30


def _deep(depth: int) -> bytes:
    return b"[" * depth + b"1" + b"]" * depth


def _noise(size: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.choice([*range(0x80, 0x100), 0x20]) for _ in range(size))


# name -> (content, expected reason). Each is written into the input folder.
BAD: dict[str, tuple[bytes, str]] = {
    # empty after decoding or after the header line
    "empty.txt": (b"", "empty file"),
    "spaces.txt": (b"  \n\n \t ", "empty file"),
    "bom-utf8.txt": (codecs.BOM_UTF8, "empty file: only byte-order mark or white space"),
    "bom-utf16le.txt": (codecs.BOM_UTF16_LE, "empty file: only byte-order mark or white space"),
    "bom-utf16be.txt": (codecs.BOM_UTF16_BE, "empty file: only byte-order mark or white space"),
    "bom-and-spaces.md": (codecs.BOM_UTF8 + " \n\u3000\n".encode(),
                          "empty file: only byte-order mark or white space"),
    "unicode-spaces.txt": ("\u00a0\u2003\u3000\u200b\u2028\ufeff\n".encode(),
                           "empty file: only byte-order mark or white space"),
    "utf16-spaces.txt": ("\ufeff \u00a0\n".encode("utf-16"),
                         "empty file: only byte-order mark or white space"),
    "header-only.txt": (b" date 2026-03-10 EN\n", "no article text after the header line"),
    "header-blank-lines.txt": (" date 2026-03-10 EN\n\n\u00a0\n".encode(),
                               "no article text after the header line"),
    "header-only-bom.txt": (codecs.BOM_UTF8 + b"date 2026-03-10\n",
                            "no article text after the header line"),
    # not text, or text in no encoding we know
    "png.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary data"),
    "nuls.txt": (b"\x00" * 1000, "binary data"),
    "noise.txt": (_noise(4000, 7), "undecodable bytes"),
    "bad-utf8-bom.txt": (codecs.BOM_UTF8 + b"\xff\xfe\xfd" * 50,
                         "starts with a utf-8-sig byte-order mark but is not utf-8-sig"),
    "bad-utf16-bom.txt": (codecs.BOM_UTF16_LE + b"\x00\xd8\x41",
                          "starts with a utf-16 byte-order mark but is not utf-16"),
    "utf8-and-noise.txt": ((RU + "\n").encode() * 3 + _noise(3000, 8),
                           "mixed encodings: UTF-8 lines among lines in no known encoding"),
    "too-long.txt": (b"Word " * 120_000, "article text too long (600,000 characters"),
    # JSON and JSON Lines
    "deep-array.json": (_deep(100_000), "JSON nested too deeply"),
    "deep-object.json": (b'{"text": ' * 100_000 + b'"x"' + b"}" * 100_000,
                         "JSON nested too deeply"),
    "deep-line.jsonl": (_deep(100_000) + b"\n", "JSON nested too deeply"),
    "number-only.json": (b"9" * 5000, "JSON article is not an object"),
    "not-objects.json": (b"[1, 2]", "JSON article is not an object"),
    "null.json": (b"null", "JSON article is not an object"),
    "empty-array.json": (b"[]", "JSON array without articles"),
    "no-text.json": (b'{"title": "Only a title"}', 'JSON article has no "text"'),
    "blank-text.json": (b'{"text": "\\u00a0\\u200b "}', 'JSON article has no "text"'),
    "nan-text.json": (b'{"text": NaN}', 'JSON article has no "text"'),
    "surrogate-title-only.json": (b'{"title": "\\udc80"}', 'JSON article has no "text"'),
    "malformed.jsonl": (b"{not json\n", "malformed JSON line"),
    "binary-line.jsonl": (b'{"text": "\x00\x01\x02\x03\x04\x05"}\n', "malformed JSON line"),
    "empty.jsonl": (b"", "empty file"),
    "blank-lines.jsonl": (b"\n\n  \n", "empty file"),
    "empty.json": (b"", "empty file"),
    # HTML
    "navigation-only.html": (b"<html><head><title>T</title></head><body><header><ul><li>"
                             b"<a href=/>Home</a></li><li><a href=/n>News</a></li></ul>"
                             b"</header></body></html>", "HTML page without article text"),
    "script-only.html": (b"<html><body><script>var a = 1;</script></body></html>",
                         "HTML page without article text"),
    "deep.html": (b"<html><body>" + b"<div>" * 100_000 + GOOD.encode() * 3,
                  "HTML page without article text"),
    "binary.html": (b"<html>\x00\x01\x02\x03" * 100, "binary data"),
    "empty.htm": (b"", "empty file"),
}
# Bad inputs that need more than bytes: made by `_make_special`.
SPECIAL = {
    "fifo.txt": "not a regular file: a FIFO (named pipe)",
    "link-to-dev-zero.txt": "not a regular file: a character device",
    "link-to-dev-null.md": "not a regular file: a character device",
    "socket.txt": "not a regular file: a socket",
    "dangling-link.txt": "link to a file that does not exist",
    "huge-sparse.txt": "too large for one article (200 MB",
    "huge-line.jsonl#1": "line too large for one article",
    "empty-\\xff-name.txt": "empty file",
    "newline\\x0ain-name.txt": "empty file",
}
# Named on the command line rather than found in the folder.
DIRECT = {"fifo-direct.txt": "not a regular file: a FIFO (named pipe)",
          "/dev/zero": "not a regular file: a character device"}

# Inputs that used to fail or be stored wrongly and must now be stored, with their warning.
STORED: dict[str, tuple[bytes, str | None]] = {
    "good.txt": (GOOD.encode(), None),
    "good-ru-utf16-no-bom.txt": (RU.encode("utf-16-le"), None),
    "mixed-utf8-cp1251.txt": (b"".join(f"{RU} {i}\n".encode("utf-8" if i < 2 else "cp1251")
                                       for i in range(4)),
                              "mixed encodings: 2 lines UTF-8, 2 lines cp1251"),
    "three-bad-bytes.txt": (RU.encode()[:40] + b"\xff" + RU.encode()[40:80] + b"\xfe\xfd"
                            + RU.encode()[80:], "undecodable bytes replaced"),
    "long-number.json": (b'{"text": "' + GOOD.encode() + b' Report 2.", "n": ' + b"7" * 5000
                         + b"}", None),
    "lone-surrogate.json": (b'{"text": "' + GOOD.encode() + b' Report 3 \\ud800.", '
                            b'"title": "\\udfff"}', None),
    "odd-types.json": (json.dumps({"text": GOOD + " Report 4.", "published": {"a": 1},
                                   "language": 5, "title": ["x"], "url": 7}).encode(), None),
    "one-long-line.txt": ((", ".join([GOOD[:-1]] * 60) + ".").encode(),
                          "very long lines or sentences were broken into pieces"),
}
STORED_NAME = b"good-\xff\xfe-name.txt"  # a good article under a file name that is not UTF-8


def _make_special(folder: Path, outside: Path) -> None:
    os.mkfifo(folder / "fifo.txt")
    os.symlink("/dev/zero", folder / "link-to-dev-zero.txt")
    os.symlink("/dev/null", folder / "link-to-dev-null.md")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(folder / "socket.txt"))
    server.close()  # the socket file stays
    os.symlink(folder / "gone.txt", folder / "dangling-link.txt")
    with (folder / "huge-sparse.txt").open("wb") as handle:
        handle.truncate(200 * 2**20)
    with (folder / "huge-line.jsonl").open("wb") as handle:
        handle.truncate(25 * 2**20)  # one 25 MB line of NULs
    with open(os.fsencode(folder) + b"/empty-\xff-name.txt", "wb"):
        pass
    (folder / "newline\nin-name.txt").write_bytes(b"")
    with open(os.fsencode(folder) + b"/" + STORED_NAME, "wb") as handle:
        handle.write(GOOD.encode() + b" Report 5.")
    os.mkfifo(outside / "fifo-direct.txt")


def _run_measured(command: list[str], log: Path, timeout: float = 600
                  ) -> tuple[int, int, bytes]:
    """(exit status, peak RSS in bytes of the process and the workers it waited for, stderr);
    a hang past `timeout` fails the test."""
    with log.open("wb") as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors,
                                   env={**os.environ, "COLUMNS": "400"})
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"ingest still running after {timeout} s")
            time.sleep(0.2)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return process.returncode, usage.ru_maxrss * 1024, log.read_bytes()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    folder = root / "in"
    folder.mkdir()
    for name, (content, _) in {**BAD, **STORED}.items():
        (folder / name).write_bytes(content)
    _make_special(folder, root)
    db = root / "d.db"
    command = [sys.executable, "-m", "dossier.cli", "ingest", str(folder),
               str(root / "fifo-direct.txt"), "/dev/zero", "--db", str(db)]
    returncode, peak, stderr_bytes = _run_measured(command, root / "stderr.txt")
    result = subprocess.CompletedProcess(command, returncode, b"", stderr_bytes)
    stderr = stderr_bytes.decode("utf-8", errors="replace")
    failed = {}
    for line in stderr.splitlines():
        if line.startswith("failed "):
            source, _, reason = line[len("failed "):].partition(": ")
            failed[source.removeprefix(str(folder) + "/")] = reason
    with sqlite3.connect(db) as conn:
        stored = {Path(row[0]).name: (row[0], json.loads(row[1]), row[2]) for row in
                  conn.execute("SELECT d.source, d.warnings, s.name FROM documents d LEFT JOIN"
                               " source_names s ON s.document = d.id")}
    return {"result": result, "stderr": stderr, "failed": failed, "stored": stored,
            "peak": peak, "folder": folder}


def test_run_ends_with_exit_1_no_traceback_bounded_memory(run):
    assert run["result"].returncode == 1, run["stderr"][-3000:]
    assert "Traceback" not in run["stderr"]
    # the ingest process's peak (analysis runs in it for a run this small); most of it is the
    # language models loaded for the good files (one short English article alone: ~0.85 GB)
    assert run["peak"] < PEAK_MEMORY
    expected = len(BAD) + len(SPECIAL) + len(DIRECT) - 1 + 2  # not-objects.json: 2 reasons
    assert len(run["failed"]) == expected, sorted(run["failed"])


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_reason(run, name):
    reason = BAD[name][1]
    key = name if name in run["failed"] else f"{name}#1"
    assert key in run["failed"], (name, sorted(run["failed"]))
    assert run["failed"][key].startswith(reason) or reason in run["failed"][key]
    assert "good.txt" in run["stored"]


@pytest.mark.parametrize("name", sorted(SPECIAL))
def test_special_file_reason(run, name):
    assert run["failed"].get(name, "").startswith(SPECIAL[name]), sorted(run["failed"])
    assert "good.txt" in run["stored"]


@pytest.mark.parametrize("name", sorted(DIRECT))
def test_named_on_command_line(run, name):
    found = {k: v for k, v in run["failed"].items() if k.endswith(name)}
    assert list(found.values()) == [DIRECT[name]]


@pytest.mark.parametrize("name", sorted(STORED))
def test_stored_with_warning(run, name):
    assert name in run["stored"], (name, run["failed"].get(name))
    warning = STORED[name][1]
    warnings = run["stored"][name][1]
    if warning:
        assert any(warning in w for w in warnings), warnings


def test_name_not_utf8_stored_escaped_and_kept_whole(run):
    escaped = "good-\\xff\\xfe-name.txt"
    source, _, name_bytes = run["stored"][escaped]
    assert source.endswith(escaped)
    assert bytes(name_bytes) == os.fsencode(run["folder"]) + b"/" + STORED_NAME
