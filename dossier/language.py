"""Language detection on the clean text (lingua), among the languages in data/languages.json."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

UNDETERMINED = "und"
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 3000  # the opening of an article decides; more text only costs time
# From this length on, lingua's trigram-only ("low accuracy") mode is used: its models load in
# milliseconds where the full ones take about 9 s of CPU, and on 800 real news samples (full
# openings and 200-character cuts, 34 languages) it chose the same language every time;
# tests/test_language.py checks it again on SlavicNER articles. Shorter texts are decided by
# the full models of the trigram mode's three best candidates only (about 0.4 s of loading per
# language): on 600 real 90-character cuts that agreed with all 34 full models 599 times. When
# the trigram mode is already sure (SURE, which 589 of another 600 cuts reached, with one
# disagreement), its answer stands.
LOW_ACCURACY_FROM = 120
SHORT_CANDIDATES = 3
SURE = 0.95


@cache
def _detector(low_accuracy: bool = False) -> LanguageDetector:
    config = json.loads((resources.files("dossier") / "data" / "languages.json").read_text())
    codes = []
    for code in config["detect"]:
        try:
            codes.append(getattr(IsoCode639_1, code.upper()))
        except AttributeError:
            continue
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


@cache
def _full_detector(candidates: tuple[Language, ...]) -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*candidates).build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or 'und' when the text does not say."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 10:
        return UNDETERMINED
    values = _detector(low_accuracy=True).compute_language_confidence_values(sample)
    if len(sample) < LOW_ACCURACY_FROM and values and values[0].value < SURE:
        best = sorted((v.language for v in values[:SHORT_CANDIDATES] if v.value > 0), key=str)
        if best:
            values = _full_detector(tuple(best)).compute_language_confidence_values(sample)
    if not values or values[0].value < MIN_CONFIDENCE:
        return UNDETERMINED
    return values[0].language.iso_code_639_1.name.lower()
