"""Language detection on clean text, and the warning when the declared tag disagrees."""

from __future__ import annotations

import pytest

from dossier.language import detect_language
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
