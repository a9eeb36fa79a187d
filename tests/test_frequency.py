"""dossier.frequency gives wordfreq's own Zipf figures, read from the tries kept on disk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import wordfreq

from dossier import frequency

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
LANGUAGES = ("en", "ru", "uk", "pl", "ro", "de")
ODD = ["2024", "COVID-19", "12,5", "l’homme", "rock'n'roll", "Ş", "ACELAŞI", "", "—", "e-mail"]


def words(lang: str) -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8", errors="replace")  # some are cp1251 on purpose
                    for p in sorted(EXAMPLES.glob(f"{lang}-*")))
    found = set(re.findall(r"[\w'’-]+", text))
    return sorted(found | {w.lower() for w in found} | set(ODD))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_same_figures_as_wordfreq(lang, tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(tmp_path))
    frequency._table.cache_clear()
    frequency.zipf_frequency.cache_clear()
    sample = words(lang)
    assert len(sample) > 100
    ours = [frequency.zipf_frequency(w, lang) for w in sample]
    assert ours == [wordfreq.zipf_frequency(w, lang) for w in sample]
    assert sum(z > 0 for z in ours) > len(ours) / 2
    assert list(tmp_path.glob(f"wordfreq-{lang}-*.pickle"))  # kept for the next process
    frequency._table.cache_clear()  # read back from disk: the same again
    frequency.zipf_frequency.cache_clear()
    assert [frequency.zipf_frequency(w, lang) for w in sample[:200]] == [
        wordfreq.zipf_frequency(w, lang) for w in sample[:200]]


def test_a_language_without_a_list_is_a_lookup_error(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(tmp_path))
    with pytest.raises(LookupError):
        frequency.zipf_frequency("word", "xx")
    assert not list(tmp_path.iterdir())
