"""Language detection on the clean text (lingua), among the languages in data/languages.json."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

UNDETERMINED = "und"
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 3000  # the opening of an article decides; more text only costs time


@cache
def _detector() -> LanguageDetector:
    config = json.loads((resources.files("dossier") / "data" / "languages.json").read_text())
    codes = []
    for code in config["detect"]:
        try:
            codes.append(getattr(IsoCode639_1, code.upper()))
        except AttributeError:
            continue
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or 'und' when the text does not say."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 10:
        return UNDETERMINED
    values = _detector().compute_language_confidence_values(sample)
    if not values or values[0].value < MIN_CONFIDENCE:
        return UNDETERMINED
    return values[0].language.iso_code_639_1.name.lower()
