"""Readers for plain text, HTML and JSON (Lines), from files, folders and stdin.

Every reader turns bytes into RawDocument objects and keeps the input bytes untouched in
`RawDocument.raw`. Anything wrong with an input becomes an InputError naming the file and the
reason; a folder walk goes on past it. Only regular files are read (a FIFO would block, a
device never ends), and never more bytes than the size limit, whatever `stat` says.
"""

from __future__ import annotations

import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from dossier.ingest.encoding import DecodeError, decode, decode_with_warnings
from dossier.ingest.provenance import provenance_lines
from dossier.model import RawDocument

SUFFIXES = {".txt": "text", ".md": "text", ".html": "html", ".htm": "html",
            ".jsonl": "json", ".json": "json"}
# One article of more than this is not a news article: refuse rather than stall the run.
MAX_ARTICLE_BYTES = 20 * 1024 * 1024
# Analysis takes time and memory in proportion to the text (about 0.1 s and a few MB per
# thousand characters); no news article is longer than this, a book or a dump is refused.
MAX_TEXT_CHARS = 500_000
# Python refuses to convert longer digit strings to int (CVE-2020-10735); such numbers are
# kept as their digits.
MAX_INT_DIGITS = 4000
# Characters that carry no text: a file made only of these is empty.
BLANK_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}
FILE_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
              (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
              (stat.S_ISDIR, "a folder"))
HEADER = re.compile(
    r"^\ufeff?[ \t]?date[ \t]+(?P<date>\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?)"
    r"(?:[ \t]+(?P<lang>[A-Za-z]{2,3})(?=[ \t]*$|[ \t]+\S))?[ \t]*(?P<rest>.*)$"
)


class InputError(Exception):
    """An input that could not be read; str() is a one-line reason."""

    def __init__(self, source: str, reason: str):
        reason = " ".join(reason.split())  # one line, whatever an exception's text held
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
    yield from _safe(lambda: read_file(Path(path)), display_name(path))


def read_input(source: str, data: bytes, kind: str | None = None) -> list[ReadResult]:
    """Read one input given as bytes into results, never raising (stdin, tests, fuzzing)."""
    return list(_safe(lambda: read_bytes(source, data, kind), source))


def display_name(path: str) -> str:
    """A file name as text that prints and stores anywhere: bytes that are not UTF-8 as \\xNN,
    control characters (a newline in a name) as \\xNN too. `source_bytes` keeps the name."""
    raw = os.fsencode(path)
    text = raw.decode("utf-8", errors="backslashreplace")
    return "".join(f"\\x{ord(ch):02x}" if ch < " " or ch == "\x7f" else ch for ch in text)


def source_bytes(path: str) -> bytes | None:
    """The file name's bytes when its display form differs from them (so nothing is lost)."""
    raw = os.fsencode(path)
    return raw if display_name(path).encode("utf-8") != raw else None


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.suffix.lower() in SUFFIXES:
                yield path


def _safe(read, source: str) -> Iterator[ReadResult]:
    """Run a reader; whatever goes wrong becomes this input's one-line reason."""
    try:
        yield from read()
    except InputError as exc:
        yield ReadResult(source, error=exc)
    except FileNotFoundError:
        yield ReadResult(source, error=InputError(source, "file disappeared before it was read"))
    except OSError as exc:
        yield ReadResult(source, error=InputError(source, f"cannot read: {exc.strerror or exc}"))
    except RecursionError:
        yield ReadResult(source, error=InputError(source, "nested too deeply to read"))
    except MemoryError:
        yield ReadResult(source, error=InputError(source, "too large to read in memory"))
    except Exception as exc:  # a reader's bug must cost this input only, not the run
        reason = f"cannot be read: {type(exc).__name__}: {exc}"
        yield ReadResult(source, error=InputError(source, reason))


def _too_large(size: int, what: str = "too large for one article") -> str:
    return f"{what} ({size / 2**20:.0f} MB; limit {MAX_ARTICLE_BYTES // 2**20} MB)"


def _open_regular(path: Path) -> int:
    """A descriptor on a regular file, or InputError saying what the path is instead.

    Opened non-blocking so a FIFO cannot hang the run; checked with fstat after opening so a
    link (or a swap of the file) to a device is caught too.
    """
    source = display_name(str(path))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(source, "link to a file that does not exist") from None
        raise
    kind = _not_regular(mode)
    if kind:
        raise InputError(source, f"not a regular file: {kind}")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    kind = _not_regular(os.fstat(fd).st_mode)
    if kind:
        os.close(fd)
        raise InputError(source, f"not a regular file: {kind}")
    return fd


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in FILE_KINDS if test(mode)), "not a plain file")


def _read_limited(path: Path, what: str = "too large for one article") -> bytes:
    """The file's bytes, refusing more than MAX_ARTICLE_BYTES as actually read."""
    fd = _open_regular(path)
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_ARTICLE_BYTES:  # refused without reading it
            raise InputError(display_name(str(path)), _too_large(size, what))
        data = handle.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:  # it grew, or stat lied
        raise InputError(display_name(str(path)), f"{what} (more than "
                                                  f"{MAX_ARTICLE_BYTES // 2**20} MB)")
    return data


def read_file(path: Path) -> Iterator[ReadResult]:
    source = display_name(str(path))
    kind = SUFFIXES.get(path.suffix.lower())
    name = source_bytes(str(path))
    if kind == "json":
        results = _read_json_file(path)
    else:
        results = read_bytes(source, _read_limited(path), kind)
    for result in results:
        if name is not None and result.document is not None:
            result.document = replace(result.document, source_bytes=name)
        yield result


def read_bytes(source: str, data: bytes, kind: str | None) -> Iterator[ReadResult]:
    """Read one input given as bytes; `kind` None sniffs text, HTML or JSON."""
    if not data.strip():
        raise InputError(source, "empty file")
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(source, _too_large(len(data)))
    try:
        text, encoding, warnings = decode_with_warnings(data)
    except DecodeError as exc:
        raise InputError(source, str(exc)) from exc
    if is_blank(text):
        raise InputError(source, "empty file: only byte-order mark or white space")
    kind = kind or _sniff(text)
    if kind == "json":
        yield from _read_json_text(source, data, text, encoding)
        return
    reader = read_html if kind == "html" else read_text
    document = reader(source, data, text, encoding)
    _check_length(source, document.body)
    if warnings:
        document = replace(document, warnings=(*document.warnings, *warnings))
    yield ReadResult(source, document=document)


def _check_length(source: str, body: str) -> None:
    if len(body) > MAX_TEXT_CHARS:
        raise InputError(source, f"article text too long ({len(body):,} characters; limit "
                                 f"{MAX_TEXT_CHARS:,})")


def is_blank(text: str) -> bool:
    """Nothing but white space, controls, byte-order marks and zero-width characters."""
    return all(unicodedata.category(ch) in BLANK_CATEGORIES for ch in text)


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
    if is_blank(body):
        raise InputError(source, "no article text after the header line")
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
    if is_blank(body):
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
    source = display_name(str(path))
    if path.suffix.lower() == ".json":
        what = "JSON file too large; use JSON Lines for big collections"
        yield from read_bytes(source, _read_limited(path, what), "json")
        return
    # JSON Lines are streamed: a big collection never sits in memory whole, and a line is
    # never read past the size limit.
    with os.fdopen(_open_regular(path), "rb") as handle:
        number = 0
        empty = True
        while line := handle.readline(MAX_ARTICLE_BYTES + 1):
            number += 1
            if len(line) > MAX_ARTICLE_BYTES:
                empty = False
                error = InputError(f"{source}#{number}", "line too large for one article")
                yield ReadResult(error.source, error=error)
                while line and not line.endswith(b"\n"):  # skip the rest of that line
                    line = handle.readline(MAX_ARTICLE_BYTES + 1)
            elif line.strip():
                empty = False
                yield from _read_json_line(f"{source}#{number}", line)
        if empty:
            raise InputError(source, "empty file")


def parse_json(text: str) -> object:
    """json.loads that keeps very long integers as their digits; RecursionError and
    JSONDecodeError are the caller's to report."""
    return json.loads(text, parse_int=_int)


def _int(digits: str) -> int | str:
    return int(digits) if len(digits) <= MAX_INT_DIGITS else digits


def _read_json_text(source: str, data: bytes, text: str, encoding: str) -> Iterator[ReadResult]:
    try:
        parsed = parse_json(text)
    except RecursionError as exc:
        raise InputError(source, "JSON nested too deeply") from exc
    except json.JSONDecodeError:
        parsed = None
    if parsed is None:  # not one JSON value: JSON Lines
        for number, line in enumerate(data.splitlines(), start=1):
            if line.strip():
                yield from _read_json_line(f"{source}#{number}", line)
        return
    items = parsed if isinstance(parsed, list) else [parsed]
    if not items:
        raise InputError(source, "JSON array without articles")
    for number, item in enumerate(items, start=1):
        item_source = f"{source}#{number}" if len(items) > 1 else source
        # A lone surrogate ("\\ud800") is kept as its JSON escape: the bytes stay valid JSON.
        raw = json.dumps(item, ensure_ascii=False, sort_keys=True).encode(
            "utf-8", errors="backslashreplace")
        yield _json_result(item_source, raw, item, encoding)


def _read_json_line(source: str, line: bytes) -> Iterator[ReadResult]:
    try:
        text, encoding = decode(line)
        item = parse_json(text)
    except (DecodeError, json.JSONDecodeError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        yield ReadResult(source, error=InputError(source, f"malformed JSON line: {reason}"))
        return
    except RecursionError:
        yield ReadResult(source, error=InputError(source, "JSON nested too deeply"))
        return
    yield _json_result(source, line.rstrip(b"\r\n"), item, encoding)


def _json_result(source: str, raw: bytes, item: object, encoding: str) -> ReadResult:
    if not isinstance(item, dict):
        return ReadResult(source, error=InputError(source, "JSON article is not an object"))
    item = {k: _no_surrogates(v) for k, v in item.items()}
    body = item.get("text")
    if not isinstance(body, str) or is_blank(body):
        return ReadResult(source, error=InputError(source, "JSON article has no \"text\""))
    try:
        _check_length(source, body)
    except InputError as exc:
        return ReadResult(source, error=exc)
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


def _no_surrogates(value: object) -> object:
    """A string with lone surrogates (valid JSON, not valid text) gets U+FFFD in their place."""
    if isinstance(value, str) and _SURROGATE.search(value):
        return _SURROGATE.sub("\ufffd", value)
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")
