"""Decoding bytes of unknown encoding into text.

Order of trust: a byte-order mark, then strict UTF-8, then UTF-16 without BOM (the high
bytes of one script repeat in alternate positions), then UTF-8 with a few bad bytes (replaced,
with a warning), then text mixing UTF-8 lines with lines of one 8-bit encoding (decoded line
by line), then the 8-bit encodings news sites use, scored by how word-like the decoded text
looks. charset-normalizer confuses ISO-8859-2 with its neighbours on short texts, so the 8-bit
choice uses a plain plausibility score instead.
"""

from __future__ import annotations

import codecs
import unicodedata

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of word-like words below which a decoding is noise, not text.
MIN_PLAUSIBLE = 0.5
EIGHT_BIT = ("cp1251", "koi8_r", "cp1250", "iso8859_2", "iso8859_16", "cp1252")
# UTF-8 with at most this many bad bytes is a damaged UTF-8 text, not another encoding.
FEW_BAD_BYTES = 16
# UTF-16 without BOM: the two most frequent high bytes (NUL and one script's block) cover this
# share of all characters; 8-bit and UTF-8 text spread theirs over many values.
UTF16_HIGH_SHARE = 0.9


class DecodeError(ValueError):
    """The bytes are not text in any encoding we know."""


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name); see decode_with_warnings for what was repaired."""
    text, encoding, _ = decode_with_warnings(data)
    return text, encoding


def decode_with_warnings(data: bytes) -> tuple[str, str, list[str]]:
    """Return (text, encoding name, warnings about bytes replaced or encodings mixed)."""
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name, []
            except UnicodeDecodeError as exc:
                reason = f"starts with a {name} byte-order mark but is not {name}"
                raise DecodeError(reason) from exc
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and looks_like_text(text):
        return text, "utf-8", []
    # Cyrillic UTF-16 is all bytes below 0x80 (0x04 high bytes): valid UTF-8 full of controls.
    utf16 = _utf16_without_bom(data)
    if utf16:
        return (*utf16, [])
    if text is not None or looks_binary(data):
        raise DecodeError("binary data, not text")
    damaged = _utf8_with_few_bad_bytes(data)
    if damaged:
        return damaged
    mixed = _mixed_lines(data)
    if mixed:
        return mixed
    best, decoded = _best_eight_bit(data)
    if best is None:
        if _utf8_lines(data):
            raise DecodeError("mixed encodings: UTF-8 lines among lines in no known encoding")
        raise DecodeError("undecodable bytes: not UTF-8, UTF-16 or a known 8-bit encoding")
    return decoded, best, []


def _best_eight_bit(data: bytes) -> tuple[str | None, str]:
    """The most word-like 8-bit decoding, or None when none reads as text."""
    scores = {enc: _plausibility(data.decode(enc, errors="replace")) for enc in EIGHT_BIT}
    best = max(EIGHT_BIT, key=lambda enc: scores[enc])
    text = data.decode(best, errors="replace")
    if text.count("\ufffd") > len(text) / 100 or scores[best] < MIN_PLAUSIBLE:
        return None, text
    return best, text


def _utf8_with_few_bad_bytes(data: bytes) -> tuple[str, str, list[str]] | None:
    """UTF-8 with a handful of bad bytes (a damaged copy): the bytes replaced by U+FFFD."""
    bad = _bad_utf8_bytes(data)
    # Many well-formed multi-byte characters around the bad bytes show the text is UTF-8.
    if not bad or bad > FEW_BAD_BYTES or _multibyte_utf8(data) < 4 * bad:
        return None
    text = data.decode("utf-8", errors="replace")
    if not looks_like_text(text):
        return None
    return text, "utf-8", [f"{bad} undecodable byte{'s' if bad > 1 else ''} replaced"]


def _mixed_lines(data: bytes) -> tuple[str, str, list[str]] | None:
    """Lines of UTF-8 mixed with lines of one 8-bit encoding (a page pasted together):
    each line decoded in its own encoding, when the 8-bit lines read as text."""
    lines = data.splitlines(keepends=True)
    utf8 = _utf8_lines(data)
    if not utf8:
        return None
    rest = b"".join(line for i, line in enumerate(lines) if i not in utf8)
    best, _ = _best_eight_bit(rest)
    if best is None:
        return None
    text = "".join(line.decode("utf-8") if i in utf8 else line.decode(best, errors="replace")
                   for i, line in enumerate(lines))
    other = len(lines) - len(utf8)
    return text, f"utf-8+{best}", [
        f"mixed encodings: {len(utf8)} lines UTF-8, {other} lines {best}"]


def _utf8_lines(data: bytes) -> set[int]:
    """Indexes of lines that are valid UTF-8 with non-ASCII letters in them."""
    found = set()
    for i, line in enumerate(data.splitlines(keepends=True)):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        found.add(i)
    return found


def _bad_utf8_bytes(data: bytes) -> int:
    bad = 0
    position = 0
    while position < len(data):
        try:
            data[position:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            bad += exc.end - exc.start
            position += exc.end
            if bad > FEW_BAD_BYTES:
                break
    return bad


def _multibyte_utf8(data: bytes) -> int:
    """How many characters of two or more bytes decode as UTF-8."""
    return sum(1 for ch in data.decode("utf-8", errors="ignore") if ord(ch) > 127)


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


def looks_like_text(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f")
    return controls <= len(sample) * 0.01


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text shows as few distinct high bytes: NUL (ASCII) and one script's block
    (0x04 for Cyrillic), so Russian text with few spaces is recognised too."""
    sample = data[:4096]
    if len(sample) < 4 or len(data) % 2:
        return None
    for encoding, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        counts = sorted((high.count(b) for b in set(high)), reverse=True)
        if high.count(0) and sum(counts[:2]) >= UTF16_HIGH_SHARE * len(high):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if looks_like_text(text) and _plausibility(text) >= MIN_PLAUSIBLE:
                return text, encoding
    return None


def _plausibility(text: str) -> float:
    """Share of words made of letters in normal case patterns (0..1).

    A wrong 8-bit guess shows as symbols inside words (Polish "S±d" read as cp1250) or as
    case jumbles (KOI8-R read as Windows-1251 gives mostly capitals).
    """
    good = total = 0
    for word in text.split():
        word = word.strip(".,;:!?\"'()[]«»„“”—-–")
        if not word or word.isdigit():
            continue
        total += 1
        if _one_script_letters(word) and (
            word.islower() or word.istitle() or (word.isupper() and len(word) <= 4)
        ):
            good += 1
        elif all(ord(ch) < 128 for ch in word):
            good += 0.5  # ASCII punctuation or numbers inside a word say nothing either way
    return good / total if total else 0.0


def _one_script_letters(word: str) -> bool:
    """All letters, and all of one script: "Autoritгюile" is Romanian read as Windows-1251."""
    if not all(unicodedata.category(ch)[0] == "L" for ch in word):
        return False
    return len({unicodedata.name(ch, "?").split()[0] for ch in word}) == 1
