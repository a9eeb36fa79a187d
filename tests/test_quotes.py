"""Quotations and speakers: own sentences in six languages, plus the seed articles."""

from __future__ import annotations

import re

from seeds import read_seed

from dossier.model import Document, Mention, Quote
from dossier.quotes import find_quotes


def doc_with(text: str, language: str, names: list[str]) -> tuple[Document, list[Mention]]:
    doc = Document("d1", "test", None, language, None, "2026-01-01", "declared", text)
    mentions = []
    for name in names:
        for m in re.finditer(re.escape(name), text):
            mentions.append(Mention(f"d1:m{len(mentions) + 1}", "d1", m.start(), m.end(), name,
                                    "person", name, name, language))
    return doc, mentions


def speakers(quotes: list[Quote], mentions: list[Mention]) -> list[tuple[str, str | None]]:
    name = {m.id: m.text for m in mentions}
    return [(q.text, name.get(q.speaker) if q.speaker else None) for q in quotes]


def test_romanian_after_the_quote_and_pronoun() -> None:
    text = ("Judecătorul Ionescu a respins plângerea. „Nu avem temei să intervenim acum”, "
            "a explicat el. Avocata Popa a numit decizia o „trădare”. „Vom merge la Curtea "
            "Europeană cât mai repede”, a declarat Maria Popa, apărătoarea lui.")
    doc, mentions = doc_with(text, "ro", ["Ionescu", "Popa", "Maria Popa"])
    got = speakers(find_quotes(doc, mentions), mentions)
    assert got == [("Nu avem temei să intervenim acum", "Ionescu"),
                   ("Vom merge la Curtea Europeană cât mai repede", "Maria Popa")]


def test_russian_dash_and_scare_quotes() -> None:
    text = ("Как сообщает «Новая правда», Петров вышел на свободу. «Меня держали без "
            "объяснения причин», — сказал Петров журналистам. По словам Ивановой, «никто "
            "не извинился перед ним».")
    doc, mentions = doc_with(text, "ru", ["Петров", "Ивановой"])
    quotes = find_quotes(doc, mentions)
    got = speakers(quotes, mentions)
    assert got == [("Меня держали без объяснения причин", "Петров"),
                   ("никто не извинился перед ним", "Ивановой")]
    assert quotes[0].id == "d1:q1" and text[quotes[0].start:quotes[0].end] == quotes[0].text


def test_ukrainian_straight_quotes_and_pronoun_before() -> None:
    text = ("Правозахисник Коваленко прокоментував рішення суду. Він заявив: \"Це порушення "
            "всіх міжнародних зобов'язань країни\". Звинувачення у \"державній зраді\" він "
            "назвав вигадкою.")
    doc, mentions = doc_with(text, "uk", ["Коваленко"])
    got = speakers(find_quotes(doc, mentions), mentions)
    assert got == [("Це порушення всіх міжнародних зобов'язань країни", "Коваленко")]


def test_english_curly_quotes_said_after_and_continuation() -> None:
    text = ("Rights lawyer Anna Berg visited the detention centre on Monday.\n\n"
            "“He has not seen a doctor in weeks,” Berg said. “We fear for his health.”\n\n"
            "A neighbour said the police had “acted quickly” and warned: “Nobody here feels "
            "safe any more.”\n\nIt’s the officials’ view that ‘nothing unusual happened here’.")
    doc, mentions = doc_with(text, "en", ["Anna Berg", "Berg"])
    got = speakers(find_quotes(doc, mentions), mentions)
    assert got == [("He has not seen a doctor in weeks", "Berg"),
                   ("We fear for his health.", "Berg"),
                   ("Nobody here feels safe any more.", None),
                   ("nothing unusual happened here", None)]


def test_english_he_said_goes_to_the_last_named_person() -> None:
    text = ("Oleg Sokolov, who heads a small monitoring group, was cautious. “The pressure is "
            "growing every month,” he said.")
    doc, mentions = doc_with(text, "en", ["Oleg Sokolov"])
    got = speakers(find_quotes(doc, mentions), mentions)
    assert got == [("The pressure is growing every month", "Oleg Sokolov")]


def test_german_nested_quotes() -> None:
    text = ("„Die Behörden sagten mir nur: «Sie müssen sofort das Land verlassen»“, sagte "
            "Schmidt der Zeitung.")
    doc, mentions = doc_with(text, "de", ["Schmidt"])
    quotes = find_quotes(doc, mentions)
    assert speakers(quotes, mentions) == [
        ("Die Behörden sagten mir nur: «Sie müssen sofort das Land verlassen»", "Schmidt")]


def test_polish() -> None:
    text = ("„Nie dostaliśmy żadnych dokumentów od prokuratury”, powiedziała Nowak. "
            "Sprawę nazwano „politycznym odwetem”.")
    doc, mentions = doc_with(text, "pl", ["Nowak"])
    assert speakers(find_quotes(doc, mentions), mentions) == [
        ("Nie dostaliśmy żadnych dokumentów od prokuratury", "Nowak")]


# ---- seeds --------------------------------------------------------------------------------


def test_seed_ro_speakers() -> None:
    names = ["Tokayev", "Akhmetzhanov", "Smirnov", "Alkhastov", "Umbetalieva", "Bazhukov",
             "Kachkurkin"]
    doc, mentions = doc_with(read_seed("002")[0], "ro", names)
    got = speakers(find_quotes(doc, mentions), mentions)
    said = [who for _, who in got]
    for name in ["Tokayev", "Akhmetzhanov", "Smirnov", "Alkhastov", "Umbetalieva"]:
        assert name in said
    assert "Bazhukov" not in said and "Kachkurkin" not in said
    assert all(len(text.split()) >= 3 for text, _ in got)
    assert said.count(None) == 0 and len(got) == 8


def test_seed_en_speakers() -> None:
    names = ["Smirnov", "Murat Adam", "Jovtis", "Kachkurkin", "Putin"]
    doc, mentions = doc_with(read_seed("004")[0], "en", names)
    got = speakers(find_quotes(doc, mentions), mentions)
    said = [who for _, who in got]
    assert said.count("Jovtis") == 2 and "Smirnov" in said and "Murat Adam" in said
    assert "Putin" not in said and "Kachkurkin" not in said
    assert not any(text.startswith("caused alarm") for text, _ in got)  # two words: skipped
