"""Inflected names, outlets and places from ordinary words (issue 10, items 5 and 6).

Sentences are written for these tests from general knowledge; none comes from an evaluation
corpus.
"""

from __future__ import annotations

import pytest
from test_entities import _doc

from dossier.entities.gazetteer import lookup, ordinary_word
from dossier.entities.mentions import find_mentions
from dossier.entities.names import person_base, phrase_base
from dossier.model import Mention


def _mentions(text: str, lang: str) -> list[Mention]:
    return find_mentions(_doc(text, lang, "t"))


def _people(text: str, lang: str) -> list[tuple[str, str]]:
    return [(m.base, m.latin) for m in _mentions(text, lang) if m.type == "person"]


def _typed(text: str, lang: str) -> set[tuple[str, str]]:
    return {(m.text, m.type) for m in _mentions(text, lang)}


def test_hint_decides_between_two_genders() -> None:
    words = ["Александра", "Качкуркина"]
    assert person_base(words, "ru", hint=("masc", "accs")) == ["Александр", "Качкуркин"]
    assert person_base(words, "ru", hint=("femn", "nomn")) == ["Александра", "Качкуркина"]
    # Ukrainian: the dictionary has no feminine reading of the surname; its ending gives one
    words = ["Олександра", "Качкуркіна"]
    assert person_base(words, "uk", hint=("femn", "nomn")) == ["Олександра", "Качкуркіна"]


@pytest.mark.parametrize(
    ("text", "lang", "person"),
    [
        ("Полиция задержала Александра Качкуркина в Москве.", "ru", "Aleksandr Kachkurkin"),
        ("У Александра Качкуркина нет паспорта.", "ru", "Aleksandr Kachkurkin"),
        ("Александра Качкуркина заявила, что уедет.", "ru", "Aleksandra Kachkurkina"),
        ("Суд вынес приговор Ивану Петрову.", "ru", "Ivan Petrov"),
        ("Анну Петрову отпустили под залог.", "ru", "Anna Petrova"),
        ("Поліція затримала Олександра Качкуркіна у Києві.", "uk", "Oleksandr Kachkurkin"),
        ("Олександра Качкуркіна заявила, що поїде.", "uk", "Oleksandra Kachkurkina"),
    ],
)
def test_inflected_name_takes_the_nominative_its_sentence_requires(
    text: str, lang: str, person: str
) -> None:
    assert [latin for _, latin in _people(text, lang)] == [person]


def test_accusative_after_and_also_is_a_man() -> None:
    text = (
        "Власти экстрадировали Евгения Смирнова, а также депортировали Александра "
        "Качкуркина, которого позже обвинили в госизмене."
    )
    assert _people(text, "ru") == [
        ("Евгений Смирнов", "Yevgeniy Smirnov"),
        ("Александр Качкуркин", "Aleksandr Kachkurkin"),
    ]


@pytest.mark.parametrize(
    ("text", "lang", "outlet"),
    [
        ("Potrivit Meduza, el a fost reținut la Chișinău.", "ro", "Meduza"),
        ("Według Meduzy Iwan Pietrow uciekł.", "pl", "Meduzy"),
        ("Novaya Gazeta and Dozhd reported the arrest.", "en", "Dozhd"),
        ("Przedstawiciele Unii Europejskiej spotkali się w Warszawie.", "pl", "Unii Europejskiej"),
    ],
)
def test_outlets_and_unions_are_organisations(text: str, lang: str, outlet: str) -> None:
    found = _typed(text, lang)
    assert (outlet, "organization") in found
    assert (outlet, "person") not in found


def test_adjectives_and_inflected_cities_are_no_people() -> None:
    assert _people("He stayed at the Yevropeiskaya hotel, said Ivan Petrov.", "en") == [
        ("Ivan Petrov", "Ivan Petrov")
    ]
    for text, lang in [
        ("Spotkanie odbyło się w Bristolu.", "pl"),
        ("Setkání se konalo v Bristolu.", "cs"),
    ]:
        places = [(m.base, m.country) for m in _mentions(text, lang) if m.type == "location"]
        assert places == [("Bristol", "GB")], text
        assert _people(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("Este un caz grav. Situația este gravă, spune Ion Popescu.", "ro", "Este"),
        ("Jej zdaniem sprawa jest poważna.", "pl", "Jej"),
        ("Der Bruch des Vertrags ist klar, sagte Hans Müller.", "de", "Bruch"),
        ("Того же мнения придерживается Иван Петров.", "ru", "Того"),
    ],
)
def test_ordinary_words_are_no_places(text: str, lang: str, word: str) -> None:
    assert word not in {m.text for m in _mentions(text, lang)}


@pytest.mark.parametrize(
    ("text", "lang", "place"),
    [
        ("Ion Popescu a plecat la Londra.", "ro", "Londra"),
        ("Er war in Wien und in Genf.", "de", "Genf"),
        ("Berlin schweigt.", "de", "Berlin"),
        ("W Moskwie aresztowano dziennikarza.", "pl", "Moskwie"),
        ("Praha je hlavní město.", "cs", "Praha"),
    ],
)
def test_real_places_stay_places(text: str, lang: str, place: str) -> None:
    assert (place, "location") in _typed(text, lang)


def test_ordinary_word_test_weighs_fame_and_language() -> None:
    def ordinary(word: str, lang: str) -> bool:
        place = lookup(word)
        assert place is not None, word
        return ordinary_word(word, place, lang)

    assert ordinary("Este", "ro")  # a form of "fi" (to be)
    assert ordinary("Dort", "de")  # "there"; far commoner than Dordrecht is in English
    assert ordinary("Того", "ru")  # a form of the pronoun тот
    assert not ordinary("Одессе", "ru")  # the dictionary knows the city
    assert not ordinary("Skopie", "pl") and not ordinary("Скопие", "bg")
    assert not ordinary("Wien", "de")
    assert not ordinary("Berlin", "de")
    assert not ordinary("Praha", "cs")  # the country's own capital


def test_an_inflected_organisation_takes_the_nominative_in_russian_and_ukrainian() -> None:
    # the Ukrainian dictionary marks no number on singular adjectives
    assert phrase_base(["Генеральної", "прокуратури"], "uk") == ["Генеральна", "прокуратура"]
    assert phrase_base(["Київського", "апеляційного", "суду"], "uk") == [
        "Київський", "апеляційний", "суд"]
    assert phrase_base(["Генеральной", "прокуратуры"], "ru") == ["Генеральная", "прокуратура"]
