"""Events in Czech, Slovene and Bulgarian: sentences written for these tests, hand-built
mentions and dates (so only the events stage and its data files are under test)."""

from __future__ import annotations

import json

import pytest

from dossier.events.detect import find_events
from dossier.events.lexicon import DATA_DIR, load_lexicon
from dossier.model import DateSpan, Document, EventMention, Mention

TAXONOMY = {"detention", "arrest", "questioning", "charge", "sentence", "deportation",
            "extradition_request", "extradition_approved", "extradition", "handover",
            "entry_denied", "asylum_application", "asylum_denied", "asylum_granted", "appeal",
            "release", "flight"}


def make_doc(text: str, language: str) -> Document:
    return Document(id="d1", source="test", title=None, language=language, declared_language=None,
                    published="2026-03-10", published_basis="declared", text=text)


def person(doc: Document, surface: str, base: str, kind: str = "person") -> Mention:
    start = doc.text.find(surface)
    assert start >= 0, surface
    return Mention(id=f"d1:m{start}", document=doc.id, start=start, end=start + len(surface),
                   text=surface, type=kind,  # type: ignore[arg-type]
                   base=base, latin=base, language=doc.language)


def date(doc: Document, surface: str, start: str, end: str, precision: str) -> DateSpan:
    at = doc.text.find(surface)
    assert at >= 0, surface
    return DateSpan(start, end, precision, surface, at, at + len(surface))  # type: ignore[arg-type]


def events_of(text: str, language: str, names: dict[str, str],
              dates: tuple[tuple[str, str, str, str], ...] = (),
              ) -> tuple[list[EventMention], dict[str, str]]:
    """Events of `text`; `names` maps each written form to its base form."""
    doc = make_doc(text, language)
    mentions = [person(doc, surface, base) for surface, base in names.items()]
    spans = [date(doc, *d) for d in dates]
    found = find_events(doc, mentions, spans)
    return found, {m.id: m.base for m in mentions}


def summary(events: list[EventMention], base: dict[str, str]) -> set[tuple[str, str, str | None]]:
    return {(e.type, e.status, base.get(e.subject or "")) for e in events}


@pytest.mark.parametrize("language", ["cs", "sl", "bg"])
def test_files_have_the_keys_of_the_polish_file_and_every_event_type(language: str) -> None:
    polish = json.loads((DATA_DIR / "pl.json").read_text(encoding="utf-8"))
    own = json.loads((DATA_DIR / f"{language}.json").read_text(encoding="utf-8"))
    assert set(own) == set(polish)
    lexicon = load_lexicon(language)
    assert lexicon is not None and lexicon.lemmatizer == "simplemma"
    assert {t.partition(":")[0] for t in lexicon.triggers} == TAXONOMY
    assert all(lexicon.triggers[t] for t in TAXONOMY)
    assert all(lexicon.status[s] for s in ("blocked", "possible", "pending"))


# ---- Czech --------------------------------------------------------------------------------


def test_czech_detention_with_its_date_and_agent() -> None:
    events, base = events_of("Policie ve středu zadržela novináře Jana Nováka.", "cs",
                             {"Jana Nováka": "Jan Novák"},
                             (("ve středu", "2026-03-04", "2026-03-04", "day"),))
    assert summary(events, base) == {("detention", "occurred", "Jan Novák")}
    assert events[0].date.start == "2026-03-04"
    assert events[0].attributes["agents_text"] == ["police"]


@pytest.mark.parametrize("text", [
    "Policie novináře Jana Nováka nezadržela.",  # "not" written into the verb
    "Jana Nováka policie nebyla schopna zadržet.",
    "Jan Novák nebyl zadržen.",
])
def test_czech_negated_detention_is_no_event(text: str) -> None:
    names = {n: "Jan Novák" for n in ("Jana Nováka", "Jan Novák") if n in text}
    events, _ = events_of(text, "cs", names)
    assert events == []


def test_czech_charge_then_possible_term_carried_by_the_pronoun() -> None:
    events, base = events_of("Jan Novák byl obviněn ze špionáže. Hrozí mu až deset let vězení.",
                             "cs", {"Jan Novák": "Jan Novák"})
    assert summary(events, base) == {("charge", "occurred", "Jan Novák"),
                                     ("sentence", "possible", "Jan Novák")}
    charge = next(e for e in events if e.type == "charge")
    term = next(e for e in events if e.type == "sentence")
    assert charge.attributes["charge"] == "espionage"
    assert term.attributes["years_max"] == 10 and "years_min" not in term.attributes


def test_czech_sentence_range_and_occurred_term() -> None:
    events, _ = events_of("Petru Ivanovovi hrozí pět až deset let vězení.", "cs",
                          {"Petru Ivanovovi": "Petr Ivanov"})
    assert [(e.status, e.attributes["years_min"], e.attributes["years_max"]) for e in events] == [
        ("possible", 5, 10)]
    events, _ = events_of("Novinář Jan Novák byl odsouzen k osmi letům vězení za vlastizradu.",
                          "cs", {"Jan Novák": "Jan Novák"})
    assert [(e.type, e.status, e.attributes["years_max"], e.attributes["charge"])
            for e in events] == [("sentence", "occurred", 8, "treason")]


def test_czech_extradition_blocked_request_and_approval() -> None:
    events, base = events_of("Petr Ivanov nebude vydán do Ruska.", "cs",
                             {"Petr Ivanov": "Petr Ivanov"})
    assert summary(events, base) == {("extradition", "blocked", "Petr Ivanov")}
    assert events[0].origin_country == "RU"
    events, base = events_of("Rusko požádalo o vydání Petra Ivanova do Ruska.", "cs",
                             {"Petra Ivanova": "Petr Ivanov"})
    assert summary(events, base) == {("extradition_request", "occurred", "Petr Ivanov")}
    events, base = events_of("Soud rozhodl, že vydání Petra Ivanova do Ruska je přípustné.", "cs",
                             {"Petra Ivanova": "Petr Ivanov"})
    assert summary(events, base) == {("extradition_approved", "occurred", "Petr Ivanov")}


def test_czech_lawyer_who_speaks_gets_no_event() -> None:
    events, base = events_of("Advokát Karel Dvořák řekl, že jeho klient Petr Ivanov byl vyhoštěn.",
                             "cs", {"Karel Dvořák": "Karel Dvořák", "Petr Ivanov": "Petr Ivanov"})
    assert summary(events, base) == {("deportation", "occurred", "Petr Ivanov")}


def test_czech_entry_denied_asylum_and_flight() -> None:
    events, base = events_of("Pohraničníci nepustili Petra Ivanova do země.", "cs",
                             {"Petra Ivanova": "Petr Ivanov"})
    assert summary(events, base) == {("entry_denied", "occurred", "Petr Ivanov")}
    events, base = events_of("Ruský dezertér Petr Ivanov požádal v Praze o azyl.", "cs",
                             {"Petr Ivanov": "Petr Ivanov"})
    assert summary(events, base) == {("asylum_application", "occurred", "Petr Ivanov")}
    assert events[0].origin_country == "RU"
    events, base = events_of("Petr Ivanov uprchl z Ruska.", "cs", {"Petr Ivanov": "Petr Ivanov"})
    assert summary(events, base) == {("flight", "occurred", "Petr Ivanov")}


@pytest.mark.parametrize("language, text, names", [
    ("cs", "Firma propustila ředitele Karla Dvořáka.", ["Karla Dvořáka"]),  # dismissed
    ("cs", "Trenér Karel Dvořák byl propuštěn po sérii porážek.", ["Karel Dvořák"]),
    ("cs", "Nemocnice propustila pacienta Karla Dvořáka domů.", ["Karla Dvořáka"]),
    ("cs", "Nakladatelství vydalo knihu Karla Dvořáka do konce roku.", ["Karla Dvořáka"]),
    ("cs", "Karel Dvořák se vydal do Prahy.", ["Karel Dvořák"]),  # set off for Prague
    ("cs", "Soud Karla Dvořáka nepustil na svobodu.", ["Karla Dvořáka"]),  # not released
    ("cs", "Uprchlíci ze Sýrie podle Karla Dvořáka potřebují pomoc.", ["Karla Dvořáka"]),
    ("cs", "Starosta Pavel Černý předal cenu herečce Janě Dvořákové.",
     ["Pavel Černý", "Janě Dvořákové"]),
    ("sl", "Župan Zoran Janković je izročil nagrado igralki Maji Novak.",
     ["Zoran Janković", "Maji Novak"]),
    ("sl", "Tiskovni predstavnik policije Marko Kovač je dejal, da storilca niso pridržali.",
     ["Marko Kovač"]),
    ("bg", "Треньорът Георги Иванов беше освободен след серия от загуби.", ["Георги Иванов"]),
    ("bg", "Иван Петров беше изписан от болницата в сряда.", ["Иван Петров"]),
    ("bg", "Говорителят на полицията Иван Петров каза, че извършителят не е задържан.",
     ["Иван Петров"]),
    ("bg", "Отборът на Иван Петров задържа първото място в класирането.", ["Иван Петров"]),
])
def test_trap_words_give_no_event(language: str, text: str, names: list[str]) -> None:
    events, _ = events_of(text, language, {name: name for name in names})
    assert events == []


# ---- Slovene ------------------------------------------------------------------------------


def test_slovene_detention_and_its_negation() -> None:
    events, base = events_of("Policija je v sredo pridržala novinarja Janeza Novaka.", "sl",
                             {"Janeza Novaka": "Janez Novak"},
                             (("v sredo", "2026-03-04", "2026-03-04", "day"),))
    assert summary(events, base) == {("detention", "occurred", "Janez Novak")}
    assert events[0].date.start == "2026-03-04"
    events, _ = events_of("Policija novinarja Janeza Novaka ni pridržala.", "sl",
                          {"Janeza Novaka": "Janez Novak"})
    assert events == []


def test_slovene_terms_possible_and_occurred() -> None:
    events, _ = events_of("Janezu Novaku grozi do deset let zapora.", "sl",
                          {"Janezu Novaku": "Janez Novak"})
    assert [(e.type, e.status, e.attributes["years_max"]) for e in events] == [
        ("sentence", "possible", 10)]
    assert "years_min" not in events[0].attributes
    events, _ = events_of(
        "Sodišče je Janeza Novaka konec januarja obsodilo na osem let zapora zaradi vohunstva.",
        "sl", {"Janeza Novaka": "Janez Novak"},
        (("konec januarja", "2026-01-21", "2026-01-31", "part_of_month"),))
    assert [(e.type, e.status, e.attributes["years_max"], e.attributes["charge"], e.date.text)
            for e in events] == [("sentence", "occurred", 8, "espionage", "konec januarja")]


def test_slovene_extradition_blocked_and_requested() -> None:
    events, base = events_of("Janez Novak ne bo izročen Rusiji.", "sl",
                             {"Janez Novak": "Janez Novak"})
    assert summary(events, base) == {("extradition", "blocked", "Janez Novak")}
    events, base = events_of("Rusija je zahtevala izročitev Petra Ivanova.", "sl",
                             {"Petra Ivanova": "Peter Ivanov"})
    assert summary(events, base) == {("extradition_request", "occurred", "Peter Ivanov")}


def test_slovene_lawyer_speaks_and_client_is_released() -> None:
    events, base = events_of(
        "Odvetnik Marko Kovač je dejal, da je bil Peter Ivanov izpuščen.", "sl",
        {"Marko Kovač": "Marko Kovač", "Peter Ivanov": "Peter Ivanov"})
    assert summary(events, base) == {("release", "occurred", "Peter Ivanov")}


# ---- Bulgarian ----------------------------------------------------------------------------


def test_bulgarian_detention_and_its_negation() -> None:
    events, base = events_of("Полицията задържа в сряда журналиста Иван Петров.", "bg",
                             {"Иван Петров": "Иван Петров"},
                             (("в сряда", "2026-03-04", "2026-03-04", "day"),))
    assert summary(events, base) == {("detention", "occurred", "Иван Петров")}
    assert events[0].date.start == "2026-03-04"
    events, _ = events_of("Полицията не задържа журналиста Иван Петров.", "bg",
                          {"Иван Петров": "Иван Петров"})
    assert events == []


def test_bulgarian_terms_possible_and_occurred() -> None:
    events, _ = events_of("На Иван Петров му грозят до десет години затвор.", "bg",
                          {"Иван Петров": "Иван Петров"})
    assert [(e.type, e.status, e.attributes["years_max"]) for e in events] == [
        ("sentence", "possible", 10)]
    events, _ = events_of("Съдът осъди Иван Петров на осем години затвор за шпионаж.", "bg",
                          {"Иван Петров": "Иван Петров"})
    assert [(e.type, e.status, e.attributes["years_max"], e.attributes["charge"])
            for e in events] == [("sentence", "occurred", 8, "espionage")]


def test_bulgarian_extradition_asylum_and_appeal() -> None:
    events, base = events_of("Иван Петров няма да бъде екстрадиран в Русия.", "bg",
                             {"Иван Петров": "Иван Петров"})
    assert summary(events, base) == {("extradition", "blocked", "Иван Петров")}
    assert events[0].origin_country == "RU"
    events, base = events_of("Руският дезертьор Иван Петров поиска убежище в България.", "bg",
                             {"Иван Петров": "Иван Петров"})
    assert summary(events, base) == {("asylum_application", "occurred", "Иван Петров")}
    assert (events[0].origin_country, events[0].host_country) == ("RU", "BG")
    events, base = events_of("Иван Петров обжалва присъдата.", "bg",
                             {"Иван Петров": "Иван Петров"})
    assert summary(events, base) == {("appeal", "occurred", "Иван Петров")}  # no sentence


def test_bulgarian_dismissal_and_lawyer_give_no_event_on_them() -> None:
    events, _ = events_of("Директорът Георги Димитров беше освободен от длъжност.", "bg",
                          {"Георги Димитров": "Георги Димитров"})
    assert events == []
    events, base = events_of("Адвокатът Георги Димитров каза, че Иван Петров е освободен.", "bg",
                             {"Георги Димитров": "Георги Димитров",
                              "Иван Петров": "Иван Петров"})
    assert summary(events, base) == {("release", "occurred", "Иван Петров")}


def test_a_ban_on_leaving_is_a_blocked_flight() -> None:
    found, _ = events_of("Úřady nedovolí Aně Novákové opustit zemi.", "cs",
                         {"Aně Novákové": "Ana Nováková"})
    assert [(e.type, e.status) for e in found] == [("flight", "blocked")]


def test_years_in_prison_are_a_detention() -> None:
    found, _ = events_of("Ana Nováková seděla čtyři roky ve vězení.", "cs",
                         {"Ana Nováková": "Ana Nováková"})
    assert [(e.type, e.status) for e in found] == [("detention", "occurred")]
