"""Decoding bytes of unknown encoding into text.

Order of trust: a byte-order mark, then strict UTF-8, then UTF-16 without BOM (NUL bytes in
alternate positions), then the 8-bit encodings news sites use, scored by how word-like the
decoded text looks. charset-normalizer confuses ISO-8859-2 with its neighbours on short texts,
so the 8-bit choice uses a plain plausibility score instead.
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


class DecodeError(ValueError):
    """The bytes are not text in any encoding we know."""


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name)."""
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                reason = f"starts with a {name} byte-order mark but is not {name}"
                raise DecodeError(reason) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not looks_like_text(text):
            raise DecodeError("binary data, not text")
        return text, "utf-8"
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    if looks_binary(data):
        raise DecodeError("binary data, not text")
    scores = {enc: _plausibility(data.decode(enc, errors="replace")) for enc in EIGHT_BIT}
    best = max(EIGHT_BIT, key=lambda enc: scores[enc])
    text = data.decode(best, errors="replace")
    if text.count("\ufffd") > len(text) / 100 or scores[best] < MIN_PLAUSIBLE:
        raise DecodeError("undecodable bytes: not UTF-8, UTF-16 or a known 8-bit encoding")
    return text, best


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
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    for encoding, share in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
        if share > 0.3:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return (text, encoding) if looks_like_text(text) else None
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
