"""Cleaning removes teasers, "read also" blocks, stamps, ads and credits, and keeps the article."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.clean import clean_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

ARTICLE = """Суд у Бішкеку погодив екстрадицію активіста до Росії.

3 хвилини читання 10:15 | Оновлено: 10:40

Адвокат заявив, що рішення оскаржать у Верховному суді.

Читайте також: Як живуть емігранти в Бішкеку

Реклама

Фото: Reuters

Правозахисники закликали владу не видавати чоловіка."""


def test_ukrainian_boilerplate_removed_article_kept():
    cleaned = clean_text(ARTICLE)
    assert "Адвокат заявив" in cleaned.text
    assert "Правозахисники закликали" in cleaned.text
    for junk in ("хвилини читання", "Читайте також", "Реклама", "Reuters"):
        assert junk not in cleaned.text
    assert len(cleaned.removed) == 4


def test_teaser_block_with_repeated_title():
    body = "\n".join([
        "The court ruled on Monday that the activist may be extradited.",
        "How I moved to Berlin in a year",
        "How I moved to Berlin in a year",
        "A short lede of the teaser that links to another story",
        "Society 5 min read",
        "His lawyer said they would appeal.",
    ])
    text = clean_text(body).text
    assert "Berlin" not in text and "teaser" not in text and "min read" not in text
    assert text.splitlines() == [
        "The court ruled on Monday that the activist may be extradited.",
        "His lawyer said they would appeal.",
    ]


def test_read_also_line_takes_its_link_title_with_it():
    body = "First paragraph of the story.\nAlso read\nTen places to visit in spring\nLast part."
    assert clean_text(body).text == "First paragraph of the story.\nLast part."


def test_inline_translation_artefact_and_truncated_title():
    body = ("More than 3,000 people left the country\n\n"
            "More than 3000 people left the\n\n"
            "Officials applied (you will switch to another service) new rules in March.")
    text = clean_text(body).text
    assert text == ("More than 3,000 people left the country\n\n"
                    "Officials applied new rules in March.")


@pytest.mark.parametrize("line", ["Citește și: Cum arată noua lege", "Lesen Sie auch: Neue Regeln",
                                  "Czytaj także: Nowe przepisy", "Читайте также: Новые правила",
                                  "Advertisement", "Photo: AP"])
def test_read_also_in_several_languages(line):
    assert clean_text(f"Paragraph one.\n{line}\nParagraph two.").text == (
        "Paragraph one.\nParagraph two.")


def test_nothing_left_is_a_warning():
    assert clean_text("Advertisement\nReklama").warnings == ["no article text left after cleaning"]


@pytest.mark.skipif(not (SHARED / "seeds").exists(), reason="../shared/seeds not present")
def test_seed_teasers_and_ads_removed():
    from dossier.ingest import iter_inputs

    texts = {Path(r.source).name[:3]: clean_text(r.document.body).text
             for r in iter_inputs([str(SHARED / "seeds")])}
    assert "минуты чтения" not in texts["000"] and "минут чтения" not in texts["000"]
    assert "Я переехала в Германию" not in texts["000"]
    assert "switch to another service" not in texts["003"]
    assert "yl-01" not in texts["003"]
    for junk in ("Others are reading now", "Also read", "Ads by", "Wiki Commons", "Homepage"):
        assert junk not in texts["004"]
    assert "Profimedia" not in texts["002"]
    # the articles themselves survive
    assert "Kachkurkin is now being held" in texts["004"]
    assert "Мансура Мовлаева" in texts["000"]
