"""Readers for plain text, HTML and JSON (Lines), from files, folders and stdin.

Every reader turns bytes into RawDocument objects and keeps the input bytes untouched in
`RawDocument.raw`. Anything wrong with an input becomes an InputError naming the file and the
reason; a folder walk goes on past it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dossier.ingest.encoding import DecodeError, decode
from dossier.ingest.provenance import provenance_lines
from dossier.model import RawDocument

SUFFIXES = {".txt": "text", ".md": "text", ".html": "html", ".htm": "html",
            ".jsonl": "json", ".json": "json"}
# One article of more than this is not a news article: refuse rather than stall the run.
MAX_ARTICLE_BYTES = 20 * 1024 * 1024
HEADER = re.compile(
    r"^\ufeff?[ \t]?date[ \t]+(?P<date>\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?)"
    r"(?:[ \t]+(?P<lang>[A-Za-z]{2,3})(?=[ \t]*$|[ \t]+\S))?[ \t]*(?P<rest>.*)$"
)


class InputError(Exception):
    """An input that could not be read; str() is a one-line reason."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass
class ReadResult:
    """What reading one input gave: a document, or an error for it."""

    source: str
    document: RawDocument | None = None
    error: InputError | None = None


def iter_inputs(paths: list[str], stdin: bytes | None = None) -> Iterator[ReadResult]:
    """Expand files, folders (recursively, sorted) and '-' and read each, never raising."""
    for path in expand_paths(paths):
        yield from read_path(path, stdin)


def expand_paths(paths: list[str]) -> list[str]:
    """The inputs a list of command-line paths stands for: folders walked, order kept."""
    expanded: list[str] = []
    for path in paths:
        if path != "-" and Path(path).is_dir():
            expanded.extend(str(f) for f in _walk(Path(path)))
        else:
            expanded.append(path)
    return expanded


def read_path(path: str, stdin: bytes | None = None) -> Iterator[ReadResult]:
    """Read one file (or '-' for stdin) into results, never raising."""
    if path == "-":
        yield from _safe(lambda: read_bytes("<stdin>", stdin or b"", None), "<stdin>")
        return
    # A path listed by expand_paths that is gone now was removed during the run: read_file's
    # FileNotFoundError says so.
    yield from _safe(lambda: read_file(Path(path)), path)


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.suffix.lower() in SUFFIXES:
                yield path


def _safe(read, source: str) -> Iterator[ReadResult]:
    try:
        yield from read()
    except InputError as exc:
        yield ReadResult(source, error=exc)
    except FileNotFoundError:
        yield ReadResult(source, error=InputError(source, "file disappeared before it was read"))
    except (IsADirectoryError, PermissionError, OSError) as exc:
        yield ReadResult(source, error=InputError(source, f"cannot read: {exc.strerror or exc}"))


def read_file(path: Path) -> Iterator[ReadResult]:
    source = str(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind == "json":
        yield from _read_json_file(path)
        return
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise InputError(source, f"too large for one article ({size / 2**20:.0f} MB; "
                                 f"limit {MAX_ARTICLE_BYTES // 2**20} MB)")
    yield from read_bytes(source, path.read_bytes(), kind)


def read_bytes(source: str, data: bytes, kind: str | None) -> Iterator[ReadResult]:
    """Read one input given as bytes; `kind` None sniffs text, HTML or JSON."""
    if not data.strip():
        raise InputError(source, "empty file")
    try:
        text, encoding = decode(data)
    except DecodeError as exc:
        raise InputError(source, str(exc)) from exc
    kind = kind or _sniff(text)
    if kind == "json":
        yield from _read_json_text(source, data, text, encoding)
        return
    reader = read_html if kind == "html" else read_text
    yield ReadResult(source, document=reader(source, data, text, encoding))


def _sniff(text: str) -> str:
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("<!doctype html", "<html", "<head", "<body")):
        return "html"
    if head.startswith(("{", "[")):
        return "json"
    return "text"


# ---- plain text ----------------------------------------------------------------------


def read_text(source: str, data: bytes, text: str, encoding: str) -> RawDocument:
    header, body = parse_header(text)
    url, outlet, body = provenance_lines(body)
    return RawDocument(
        source=source, raw=data, format="text", body=body, encoding=encoding,
        declared_date=header.date, declared_language=header.language, url=url, outlet=outlet,
        date_basis="declared" if header.date else None,
    )


@dataclass
class Header:
    date: str | None = None
    language: str | None = None
    problem: str | None = None


def parse_header(text: str) -> tuple[Header, str]:
    """Split off the optional ` date YYYY-MM-DD LANG` first line.

    The article may go on after the header on the same line; the tag may be missing or wrong
    (language detection checks it later); a partial or impossible date is not used.
    """
    first, sep, rest = text.partition("\n")
    match = HEADER.match(first)
    if not match:
        return Header(), text
    header = Header()
    raw_date = match.group("date")
    header.date = _valid_date(raw_date)
    lang = match.group("lang")
    rest_of_line = match.group("rest")
    if lang and _is_language_code(lang) and (lang.isupper() or not rest_of_line):
        header.language = lang.lower()
    elif lang:
        rest_of_line = f"{lang} {rest_of_line}".strip()
    body = (rest_of_line + sep + rest) if rest_of_line else rest
    return header, body.lstrip("\n")


def _is_language_code(tag: str) -> bool:
    from lingua import IsoCode639_1

    return len(tag) == 2 and hasattr(IsoCode639_1, tag.upper())


def _valid_date(value: str) -> str | None:
    parts = value.split("-")
    if len(parts) != 3:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        return None


# ---- HTML --------------------------------------------------------------------------


def read_html(source: str, data: bytes, text: str, encoding: str) -> RawDocument:
    import trafilatura  # imported here: loading it costs half a second

    result = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True,
    )
    body = (getattr(result, "text", None) or "").strip() if result else ""
    if not body:
        raise InputError(source, "HTML page without article text")
    published = _valid_date(getattr(result, "date", None) or "") if result else None
    return RawDocument(
        source=source, raw=data, format="html", body=body, encoding=encoding,
        title=getattr(result, "title", None),
        url=getattr(result, "url", None),
        declared_date=published,
        declared_language=_html_language(text),
        date_basis="metadata" if published else None,
        outlet=getattr(result, "sitename", None),
    )


def _html_language(html: str) -> str | None:
    match = re.search(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", html[:5000], re.I)
    return match.group(1).lower() if match else None


# ---- JSON and JSON Lines ----------------------------------------------------------------


def _read_json_file(path: Path) -> Iterator[ReadResult]:
    source = str(path)
    if path.stat().st_size == 0:
        raise InputError(source, "empty file")
    if path.suffix.lower() == ".json":
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise InputError(source, f"JSON file too large ({size / 2**20:.0f} MB); "
                                     "use JSON Lines for big collections")
        yield from read_bytes(source, path.read_bytes(), "json")
        return
    # JSON Lines are streamed: a big collection never sits in memory whole.
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if len(line) > MAX_ARTICLE_BYTES:
                error = InputError(f"{source}#{number}", "line too large for one article")
                yield ReadResult(error.source, error=error)
            elif line.strip():
                yield from _read_json_line(f"{source}#{number}", line)


def _read_json_text(source: str, data: bytes, text: str, encoding: str) -> Iterator[ReadResult]:
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        parsed = None
    if parsed is None:  # not one JSON value: JSON Lines
        for number, line in enumerate(data.splitlines(), start=1):
            if line.strip():
                yield from _read_json_line(f"{source}#{number}", line)
        return
    items = parsed if isinstance(parsed, list) else [parsed]
    for number, item in enumerate(items, start=1):
        item_source = f"{source}#{number}" if len(items) > 1 else source
        raw = json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8")
        yield _json_result(item_source, raw, item, encoding)


def _read_json_line(source: str, line: bytes) -> Iterator[ReadResult]:
    try:
        text, encoding = decode(line)
        item = json.loads(text)
    except (DecodeError, json.JSONDecodeError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        yield ReadResult(source, error=InputError(source, f"malformed JSON line: {reason}"))
        return
    yield _json_result(source, line.rstrip(b"\r\n"), item, encoding)


def _json_result(source: str, raw: bytes, item: object, encoding: str) -> ReadResult:
    if not isinstance(item, dict):
        return ReadResult(source, error=InputError(source, "JSON article is not an object"))
    body = item.get("text")
    if not isinstance(body, str) or not body.strip():
        return ReadResult(source, error=InputError(source, "JSON article has no \"text\""))
    published = _valid_date(str(item.get("published") or "")[:10])
    language = item.get("language")
    language = language.lower()[:2] if isinstance(language, str) and language else None
    document = RawDocument(
        source=source, raw=raw, format="json", body=body,
        encoding=encoding, title=_str_or_none(item.get("title")),
        url=_str_or_none(item.get("url")), declared_date=published,
        declared_language=language, date_basis="metadata" if published else None,
        outlet=_str_or_none(item.get("source")),
    )
    return ReadResult(source, document=document)


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
