"""Language detection on clean text, and the warning when the declared tag disagrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.language import LOW_ACCURACY_FROM, _detector, detect_language
from dossier.model import RawDocument
from dossier.pipeline import analyse


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Суд в Бишкеке санкционировал арест российского активиста по запросу Москвы.", "ru"),
        ("Суд у Бішкеку дозволив арешт російського активіста на запит Москви.", "uk"),
        ("Instanța din Bișkek a aprobat arestarea activistului rus la cererea Moscovei.", "ro"),
        ("A court in Bishkek approved the arrest of a Russian activist at Moscow's request.", "en"),
        ("Ein Gericht in Bischkek hat die Festnahme eines russischen Aktivisten gebilligt.", "de"),
        ("Sąd w Biszkeku zatwierdził areszt rosyjskiego aktywisty na wniosek Moskwy.", "pl"),
        ("Бішкек сотты белсендіні Мәскеудің сұрауымен қамауға алуды мақұлдады.", "kk"),
    ],
)
def test_detects_language(text, language):
    assert detect_language(text) == language


def test_too_little_text_is_undetermined():
    assert detect_language("12:40 — 3/4") == "und"


def test_wrong_declared_language_kept_and_warned():
    text = "Суд в Бишкеке санкционировал арест российского активиста по запросу Москвы."
    raw = RawDocument(source="x.txt", raw=text.encode(), format="text", body=text,
                      encoding="utf-8", declared_language="en", declared_date="2026-03-01",
                      date_basis="declared")
    doc = analyse(raw).document
    assert (doc.language, doc.declared_language) == ("ru", "en")
    assert doc.warnings == ["declared language en but text is ru"]


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "slavicner" / "raw"


@pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared/data")
def test_trigram_mode_chooses_as_the_full_models_do_on_real_news():
    """The fast mode is only used from LOW_ACCURACY_FROM characters: there it must agree with
    the full models on real articles of every SlavicNER language, cut short."""
    files = sorted(SHARED.glob("*/*/*.txt"))[::263][:16]
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")[:LOW_ACCURACY_FROM + 80]
        fast = _detector(low_accuracy=True).compute_language_confidence_values(text)[0]
        full = _detector(low_accuracy=False).compute_language_confidence_values(text)[0]
        assert fast.language == full.language, path
