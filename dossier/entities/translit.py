"""Transliteration to Latin script and spelling folding for matching.

Transliteration standards (one per script language, tables in dossier/data/entities/translit/):
Russian: BGN/PCGN without diacritics; Ukrainian: the 2010 national system; Bulgarian: the 2009
official system. Other non-Latin scripts fall back to anyascii. Latin-script text is kept as is.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

from dossier.entities.resources import WORD_CACHE, folding, translit_table
from dossier.entities.script import script_of

_CYRILLIC_GUESS = {
    "і": "uk",
    "ї": "uk",
    "є": "uk",
    "ґ": "uk",
    "ы": "ru",
    "э": "ru",
    "ё": "ru",
    "ъ": "ru",
}


def guess_cyrillic_language(text: str, default: str = "ru") -> str:
    low = text.lower()
    for char, lang in _CYRILLIC_GUESS.items():
        if char in low:
            return lang
    return default


def to_latin(text: str, lang: str) -> str:
    """`text` in Latin script by the table of `lang` (or of the Cyrillic language it resembles)."""
    if script_of(text) == "latin":
        return text
    table = translit_table(lang)
    if table is None and script_of(text) == "cyrillic":
        table = translit_table(guess_cyrillic_language(text))
    if table is None:
        return anyascii(text)
    return re.sub(r"[^\W\d_]+", lambda m: _word(m.group(0), table), text)


def _word(word: str, table: dict) -> str:
    low = word.lower()
    for ending, repl in table.get("endings", {}).items():
        if low.endswith(ending) and len(low) > len(ending) + 1:
            return _case_like(word, _word(word[: -len(ending)], table) + repl)
    out: list[str] = []
    vowels = table.get("vowels", "")
    i = 0
    while i < len(low):
        two = low[i : i + 2]
        if two in table.get("digraphs", {}):
            out.append(table["digraphs"][two])
            i += 2
            continue
        ch = low[i]
        prev = low[i - 1] if i else ""
        if i == 0 and ch in table.get("initial", {}):
            piece = table["initial"][ch]
        elif prev and prev in vowels and ch in table.get("after_vowel", {}):
            piece = table["after_vowel"][ch]
        else:
            piece = table["map"].get(ch, anyascii(ch))
        out.append(piece)
        i += 1
    return _case_like(word, "".join(out))


def _case_like(source: str, latin: str) -> str:
    if source.isupper() and len(source) > 1:
        return latin.upper()
    if source[:1].isupper():
        return latin[:1].upper() + latin[1:]
    return latin


@lru_cache(maxsize=WORD_CACHE)
def fold(name: str, lang: str = "") -> str:
    """A spelling-folded key: Zhovtis and Jovtis, Movlaev and Movlaiev give the same key.

    `lang` is the language a Latin-script name was written in (German Schmeljow = Shmelyov)."""
    conf = folding()
    low = name.lower()
    if lang and script_of(low) == "latin":
        for pattern, repl in conf.get("by_language_regex", {}).get(lang, []):
            low = re.sub(pattern, repl, low)
        for old, new in conf.get("by_language", {}).get(lang, []):
            low = low.replace(old, new)
    if script_of(low) == "cyrillic":
        low = to_latin(low, guess_cyrillic_language(low))
    low = "".join(conf["letters"].get(c, c) for c in low)
    low = anyascii(low).lower()
    for old, new in conf["rules"]:
        low = low.replace(old, new)
    for pattern, repl in conf["regex"]:
        low = re.sub(pattern, repl, low)
    low = re.sub(r"(.)\1+", r"\1", low)
    return re.sub(r"[^a-z ]", "", low).strip()


@lru_cache(maxsize=WORD_CACHE)
def neutral(folded: str) -> str:
    """A folded surname without the feminine ending (Yemelyanova -> Yemelyanov) for matching."""
    for pattern, repl in folding()["neutral"]:
        folded = re.sub(pattern, repl, folded)
    return folded


_RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


@lru_cache(maxsize=1)
def _from_latin() -> dict[str, tuple[str, ...]]:
    """Latin letter groups -> the Russian letters the Russian table writes with them."""
    table = translit_table("ru") or {}
    out: dict[str, list[str]] = {}
    pairs = list(table.get("map", {}).items()) + list(table.get("initial", {}).items())
    for cyr, lat in pairs:
        if lat and cyr in _RUSSIAN and cyr not in out.get(lat, []):
            out.setdefault(lat, []).append(cyr)
    return {lat: tuple(cyrs) for lat, cyrs in out.items()}


@lru_cache(maxsize=WORD_CACHE)
def russian_readings(word: str, limit: int = 24) -> tuple[str, ...]:
    """Russian spellings a Latin transliteration may come from (Yevropeiskaya -> Европейская),
    by reading the Russian table backwards; a vowel letter's "i" or "y" after a vowel may be й
    (loose spellings write "ei" for ей). At most `limit` readings."""
    groups = _from_latin()
    low = word.lower()
    vowels = "aeiouy"
    found: list[str] = []

    def read(i: int, done: str) -> None:
        if len(found) >= limit:
            return
        if i == len(low):
            found.append(done)
            return
        for size in (4, 3, 2, 1):
            part = low[i : i + size]
            options = list(groups.get(part, ()))
            if part in ("i", "y") and i and low[i - 1] in vowels:
                options.append("й")
            for cyr in dict.fromkeys(options):
                read(i + size, done + cyr)

    read(0, "")
    return tuple(found)
