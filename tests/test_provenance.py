"""Where an article came from: url and source lines in a text header, file names (not
paths) on the pages."""

from __future__ import annotations

from pathlib import Path

from dossier.ingest import read_path
from dossier.ingest.provenance import provenance_lines
from dossier.web.queries import file_name


def test_url_and_source_lines_after_the_date_header(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(" date 2026-03-10 EN\nurl: https://steppe.example/a/1\nSource Steppe Wire\n"
                    "Police in Almaty detained a journalist.", encoding="utf-8")
    [result] = list(read_path(str(path)))
    doc = result.document
    assert doc is not None and doc.declared_date == "2026-03-10"
    assert (doc.url, doc.outlet) == ("https://steppe.example/a/1", "Steppe Wire")
    assert doc.body == "Police in Almaty detained a journalist."


def test_prose_that_looks_like_a_header_stays_text() -> None:
    for body in ("Source: officials said the court would rule today.\nMore text.",
                 "url not given\nText.", "Sources close to the case said so.\nText."):
        assert provenance_lines(body) == (None, None, body)
    assert provenance_lines("source: Meduza\nText.") == (None, "Meduza", "Text.")


def test_pages_show_file_names_not_paths() -> None:
    assert file_name("/home/ana/leaks/2026/a.txt") == "a.txt"
    assert file_name("examples/articles/mul-01-wire-digest.jsonl#2") == "mul-01-wire-digest.jsonl#2"
    assert file_name("C:\\Users\\ana\\b.html") == "b.html"
    assert file_name("https://x.example/a/b") == "https://x.example/a/b"
