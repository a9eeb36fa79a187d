"""Readers: header lines, encodings, HTML, JSON (Lines) and the bad inputs users feed us."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from dossier.ingest import iter_inputs, read_bytes
from dossier.ingest.readers import parse_header

RU = "Правозащитники сообщили, что активиста задержали в аэропорту Бишкека по запросу России."
PL = "Sąd w Warszawie zatwierdził ekstradycję aktywisty, który uciekł przed mobilizacją."
RO = "Autoritățile au reținut un activist rus, iar extrădarea lui a fost blocată de instanță."


def read_one(path: Path):
    results = list(iter_inputs([str(path)]))
    assert len(results) == 1
    return results[0]


@pytest.mark.parametrize(
    ("text", "date", "language", "body_start"),
    [
        (" date 2026-03-10 EN\nText.", "2026-03-10", "en", "Text."),
        ("date 2026-03-10 RU\nText.", "2026-03-10", "ru", "Text."),
        (" date 2026-02-03 Казахстан став зоною.\nMore.", "2026-02-03", None, "Казахстан став"),
        (" date 2026-02-22 În 2022, Kazahstanul a devenit.", "2026-02-22", None, "În 2022"),
        (" date 2026-02-22 In 2022, many fled.", "2026-02-22", None, "In 2022, many"),
        (" date 2026-03-04\nText.", "2026-03-04", None, "Text."),
        (" date 2026-03 UK\nText.", None, "uk", "Text."),  # partial date: not used
        (" date 2026-02-30 EN\nText.", None, "en", "Text."),  # impossible date
        ("Plain article without header.", None, None, "Plain article"),
        ("\ufeff date 2026-01-05 UK\nТекст.", "2026-01-05", "uk", "Текст."),
    ],
)
def test_header_line(text, date, language, body_start):
    header, body = parse_header(text)
    assert header.date == date
    assert header.language == language
    assert body.startswith(body_start)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8_r"])
def test_cyrillic_encodings(tmp_path, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(f" date 2026-03-01 RU\n{RU}\n".encode(encoding))
    result = read_one(path)
    assert result.error is None
    assert result.document.body.strip() == RU
    assert result.document.declared_date == "2026-03-01"
    assert result.document.raw == path.read_bytes()  # raw input kept byte for byte


RO_CEDILLA = RO.replace("ț", "ţ").replace("ș", "ş")  # ISO-8859-2 has only the cedilla forms


@pytest.mark.parametrize(("text", "encoding"),
                         [(PL, "iso8859_2"), (PL, "cp1250"), (RO_CEDILLA, "iso8859_2")])
def test_central_european_encodings(tmp_path, text, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    assert read_one(path).document.body == text


def test_html_keeps_article_and_metadata_drops_navigation(tmp_path):
    article = " ".join(
        f"Sentence {i} tells how the court in Bishkek approved the extradition of the activist."
        for i in range(12)
    )
    page = f"""<!DOCTYPE html><html lang="en"><head><title>Court approves extradition</title>
    <meta property="article:published_time" content="2026-03-05T10:00:00Z"></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
    <article><h1>Court approves extradition</h1><p>{article}</p></article>
    <aside class="ads">Buy cheap flights now! Advertisement</aside>
    <footer>Copyright 2026 Example News. All rights reserved.</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = read_one(path).document
    assert doc.format == "html"
    assert "Sentence 11 tells how the court" in doc.body
    assert "cheap flights" not in doc.body and "World" not in doc.body
    assert doc.declared_date == "2026-03-05" and doc.date_basis == "metadata"
    assert doc.declared_language == "en"
    assert doc.title == "Court approves extradition"


def test_json_lines_good_and_malformed(tmp_path):
    path = tmp_path / "feed.jsonl"
    good = {"text": "Activist detained.", "title": "T", "url": "https://example.org/a",
            "published": "2026-03-01T08:00:00", "language": "EN", "source": "Example"}
    lines = [json.dumps(good), "{not json", json.dumps([1, 2]), json.dumps({"title": "no text"}),
             ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    results = list(iter_inputs([str(path)]))
    docs = [r.document for r in results if r.document]
    errors = [r.error for r in results if r.error]
    assert len(docs) == 1
    assert docs[0].declared_date == "2026-03-01" and docs[0].declared_language == "en"
    assert docs[0].url == "https://example.org/a" and docs[0].source.endswith("feed.jsonl#1")
    assert [e.source.rsplit("#", 1)[1] for e in errors] == ["2", "3", "4"]
    assert "malformed JSON line" in errors[0].reason
    assert "not an object" in errors[1].reason
    assert 'no "text"' in errors[2].reason


def test_json_array_file(tmp_path):
    path = tmp_path / "items.json"
    path.write_text(json.dumps([{"text": "One."}, {"text": "Two."}]), encoding="utf-8")
    assert [r.document.body for r in iter_inputs([str(path)])] == ["One.", "Two."]


def test_stdin_sniffs_format():
    html = b"<html><body><article><p>" + b"Long enough article text. " * 20 + b"</p></article>"
    assert next(read_bytes("<stdin>", html, None)).document.format == "html"
    assert next(read_bytes("<stdin>", b'{"text": "x y"}', None)).document.format == "json"
    assert next(read_bytes("<stdin>", b"plain words", None)).document.format == "text"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary data"),
    ],
)
def test_bad_inputs_have_one_line_reasons(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = read_one(path)
    assert result.document is None
    assert reason in result.error.reason
    assert str(path) in str(result.error) and "\n" not in str(result.error)


def test_undecodable_bytes(tmp_path):
    rng = random.Random(7)
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.choice([*range(0x80, 0x100), 0x20]) for _ in range(4000)))
    assert "undecodable" in read_one(path).error.reason


def test_huge_file_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    result = read_one(path)
    assert "too large" in result.error.reason and "200 MB" in result.error.reason


def test_missing_path_and_folder_walk(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Second article.", encoding="utf-8")
    (tmp_path / "a.md").write_text("First article.", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")  # not an article suffix: skipped
    results = list(iter_inputs([str(tmp_path), str(tmp_path / "gone.txt")]))
    assert [Path(r.source).name for r in results] == ["a.md", "b.txt", "gone.txt"]
    assert "disappeared" in results[2].error.reason or "no such" in results[2].error.reason
