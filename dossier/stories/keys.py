"""Name keys: a cheap cross-lingual lexical signal for story clustering.

Every capitalised word of a text becomes a key: its spelling-folded Latin form (the entity
stage's `fold`: Качкуркіна, Kachkurkin -> "kackurkin"), cut to a prefix so that inflected forms
(Ємельяновой, Yemelyanova) meet. A key weighs by how rare the word is in general language
(wordfreq): an unusual surname counts fully, "Kazakhstan" a little, "Putin" or "Friday" not
at all. Settings are in dossier/data/stories/settings.json.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from dossier.entities.translit import fold
from dossier.frequency import zipf_frequency

SETTINGS = Path(__file__).resolve().parents[1] / "data" / "stories" / "settings.json"
_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*[^\W\d_]")


@cache
def settings() -> dict[str, Any]:
    return json.loads(SETTINGS.read_text(encoding="utf-8"))


@cache
def _available() -> frozenset[str]:
    from wordfreq import available_languages

    return frozenset(available_languages())


@lru_cache(maxsize=200_000)
def rarity(word: str, language: str) -> float:
    """1.0 for a word unknown in general language, 0.0 for a common one."""
    conf = settings()["keys"]
    low = word.lower()
    languages = {language, "en"} & _available()
    zipf = max((zipf_frequency(low, lang) for lang in languages), default=0.0)
    common, rare = conf["common_zipf"], conf["rare_zipf"]
    return min(1.0, max(0.0, (common - zipf) / (common - rare)))


@cache
def _key(word: str) -> str:
    return fold(word).replace(" ", "")[: settings()["keys"]["prefix"]]


def name_keys(text: str, language: str) -> dict[str, float]:
    """Key -> weight (0..1] for the capitalised words of `text`."""
    conf = settings()["keys"]
    out: dict[str, float] = {}
    for match in _WORD.finditer(text):
        word = match.group(0)
        if len(word) < conf["min_length"] or not word[0].isupper() or word.isupper():
            continue
        key = _key(word)
        if len(key) < conf["min_length"] or key in out:
            continue
        weight = rarity(word, language)
        if weight > 0:
            out[key] = round(weight, 3)
    return out
