"""Organisation mentions: names in sentence case, a body's field and state, abbreviations that
name no body, and the evaluation's normalisation of quotes. The sentences are written for the
tests (general patterns of each language), not taken from any corpus."""

from __future__ import annotations

import pytest
from test_entities import _doc

from dossier.entities.mentions import find_mentions


def _orgs(text: str, lang: str) -> list[str]:
    return [m.text for m in find_mentions(_doc(text, lang)) if m.type == "organization"]


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        ("bg", "Той каза, че Европейската комисия ще реши.", "Европейската комисия"),
        ("sl", "Po podatkih je Evropski parlament glasoval.", "Evropski parlament"),
        ("cs", "Podle Globální aliance pro vakcinaci je to tak.", "Globální aliance pro vakcinaci"),
        (
            "ru",
            "По словам Всемирной организации здравоохранения, всё плохо.",
            "Всемирной организации здравоохранения",
        ),
        ("ru", "Это решил Немецкий совет по этике вчера.", "Немецкий совет по этике"),
    ],
)
def test_sentence_case_names(lang: str, text: str, name: str) -> None:
    assert name in _orgs(text, lang)


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        ("ru", "Вчера МИД Германии заявил об этом.", "МИД Германии"),
        (
            "ru",
            "Так считает Министерство здравоохранения России.",
            "Министерство здравоохранения России",
        ),
        (
            "bg",
            "Той каза, че Министерството на външните работи на Русия мълчи.",
            "Министерството на външните работи на Русия",
        ),
        ("uk", "Заяву зробило Міністерство юстиції України.", "Міністерство юстиції України"),
        ("sl", "Tako meni Ministrstvo za zdravje.", "Ministrstvo za zdravje"),
    ],
)
def test_body_with_its_field_and_state(lang: str, text: str, name: str) -> None:
    assert name in _orgs(text, lang)


def test_state_gives_the_body_its_country() -> None:
    doc = _doc("Вчера МИД Германии заявил.", "ru")
    (org,) = [m for m in find_mentions(doc) if m.type == "organization"]
    assert org.country == "DE"


def test_officer_is_no_part_of_the_body() -> None:
    doc = _doc("Jak podał Szef Agencji Rezerw Materiałowych Michał Kowalski, zapasy są.", "pl")
    found = {(m.text, m.type) for m in find_mentions(doc)}
    assert ("Michał Kowalski", "person") in found
    assert not any("Michał" in t and ty == "organization" for t, ty in found)


@pytest.mark.parametrize(
    ("lang", "text", "word"),
    [
        ("ru", "Об этом пишут СМИ, а ОРВИ растёт.", "СМИ"),
        ("ru", "Об этом пишут СМИ, а ОРВИ растёт.", "ОРВИ"),
        ("pl", "Liczba zakażeń COVID-19 rośnie w kraju.", "COVID-19"),
        ("cs", "Je to už II etapa programu.", "II"),
    ],
)
def test_abbreviations_that_name_no_body(lang: str, text: str, word: str) -> None:
    assert word not in _orgs(text, lang)


def test_no_organisation_word_inside_a_given_name() -> None:
    # Slovene "vlad-" (government) must not take Vladimir
    assert "Vladimir Putin" not in _orgs("Po besedah je Vladimir Putin odgovoril.", "sl")


def test_evaluation_ignores_quote_marks_and_final_stop() -> None:
    from eval.entities import _norm

    assert _norm("«Вектор»") == _norm('"Вектор"') == "вектор"
    assert _norm("Pfizer Inc.") == "pfizer inc"
