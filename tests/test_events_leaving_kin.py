"""Leaving as flight, relatives, overturned sentences, dropped charges and terms served:
sentences written for these tests, hand-built mentions (only the events stage and its data
files are under test)."""

from __future__ import annotations

from dossier.cases import merge_events
from dossier.events.detect import find_events
from dossier.model import Document, Mention


def make_doc(text: str, language: str) -> Document:
    return Document(id="d1", source="test", title=None, language=language, declared_language=None,
                    published="2026-03-10", published_basis="declared", text=text)


def mention(doc: Document, surface: str, base: str, kind: str) -> Mention:
    start = doc.text.find(surface)
    assert start >= 0, surface
    return Mention(id=f"d1:m{start}", document=doc.id, start=start, end=start + len(surface),
                   text=surface, type=kind,  # type: ignore[arg-type]
                   base=base, latin=base, language=doc.language)


def found(text: str, language: str, people: dict[str, str],
          places: dict[str, str] | None = None) -> set[tuple[str, str, str]]:
    doc = make_doc(text, language)
    mentions = [mention(doc, s, b, "person") for s, b in people.items()]
    mentions += [mention(doc, s, b, "location") for s, b in (places or {}).items()]
    bases = {m.id: m.base for m in mentions}
    return {(e.type, e.status, bases.get(e.subject or "", "")) for e in
            find_events(doc, mentions, [])}


def test_leaving_a_country_is_a_flight_and_leaving_a_meeting_is_not() -> None:
    smith = {"John Smith": "John Smith"}
    assert found("John Smith left Russia after the search.", "en", smith,
                 {"Russia": "Russia"}) == {("flight", "occurred", "John Smith")}
    assert found("John Smith left the meeting after the search.", "en", smith) == set()
    assert found("John Smith left abroad after the search.", "en", smith) == {
        ("flight", "occurred", "John Smith")}


def test_going_to_a_city_at_home_is_a_trip() -> None:
    kowalski = {"Jan Kowalski": "Jan Kowalski"}
    assert found("Jan Kowalski wyjechał do Krakowa.", "pl", kowalski,
                 {"Krakowa": "Kraków"}) == set()
    assert found("Jan Kowalski wyjechał do Niemiec.", "pl", kowalski,
                 {"Niemiec": "Niemcy"}) == {("flight", "occurred", "Jan Kowalski")}


def test_a_relative_before_the_trigger_takes_no_pronoun() -> None:
    text = "Asia Nowak została uniewinniona. Jej rodzina wyjechała za granicę."
    got = found(text, "pl", {"Asia Nowak": "Asia Nowak"})
    assert ("flight", "occurred", "Asia Nowak") not in got
    assert ("sentence", "blocked", "Asia Nowak") in got


def test_an_overturned_sentence_is_blocked() -> None:
    got = found("Осъдителната присъда на Асия Биби беше отменена.", "bg",
                {"Асия Биби": "Асия Биби"})
    assert got == {("sentence", "blocked", "Асия Биби")}


def test_a_demand_to_drop_charges_is_no_event_and_a_dropped_charge_its_own_fact() -> None:
    petrov = {"Ивана Петрова": "Иван Петров"}
    assert found("Активисты требуют снять обвинения с Ивана Петрова.", "ru", petrov) == set()
    text = ("Piotr Nowak został oskarżony o kradzież w maju. W lipcu prokuratura wycofała "
            "zarzuty wobec Piotra Nowaka.")
    doc = make_doc(text, "pl")
    mentions = [mention(doc, "Piotr Nowak", "Piotr Nowak", "person"),
                mention(doc, "Piotra Nowaka", "Piotr Nowak", "person")]
    events = find_events(doc, mentions, [])
    assert {(e.type, e.status) for e in events} == {("charge", "occurred"), ("charge", "blocked")}
    same = {m.id: "piotr-nowak" for m in mentions}
    assert len(merge_events(events, same)) == 2  # the dropped charge is not merged away


def test_serving_a_term_names_the_one_who_serves_it() -> None:
    got = found("Иван Петров отбывал пожизненное заключение.", "ru",
                {"Иван Петров": "Иван Петров"})
    assert got == {("sentence", "occurred", "Иван Петров")}


def test_a_masculine_oblique_surname_is_not_read_as_a_woman() -> None:
    # "Jana" ends like a woman's given name, but "Kowalskiego" is a man's genitive
    got = found("Jan Kowalski został oskarżony o kradzież. W lipcu prokuratura zatrzymała "
                "Jana Kowalskiego.", "pl",
                {"Jan Kowalski": "Jan Kowalski", "Jana Kowalskiego": "Jan Kowalski"})
    assert got == {("charge", "occurred", "Jan Kowalski"),
                   ("detention", "occurred", "Jan Kowalski")}
