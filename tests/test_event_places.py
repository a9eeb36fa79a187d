"""Origin and host countries of events: the state that persecutes or asks for the person, and
the state where it happens or that holds the person. Sentences written for these tests,
hand-built mentions (only the events stage and its data files are under test)."""

from __future__ import annotations

from dossier.events.detect import find_events
from dossier.model import Document, EventMention, Mention


def events_of(text: str, language: str, names: dict[str, str]) -> dict[str, EventMention]:
    doc = Document(id="d1", source="test", title=None, language=language, declared_language=None,
                   published="2026-03-10", published_basis="declared", text=text)
    mentions = []
    for surface, base in names.items():
        start = text.find(surface)
        assert start >= 0, surface
        mentions.append(Mention(id=f"d1:m{start}", document="d1", start=start,
                                end=start + len(surface), text=surface, type="person",
                                base=base, latin=base, language=language))
    return {e.type: e for e in find_events(doc, mentions, [])}


def countries(event: EventMention) -> tuple[str | None, str | None]:
    return event.origin_country, event.host_country


def test_removal_goes_to_its_origin_and_the_detention_before_it_too() -> None:
    events = events_of("Иван Петров был задержан в Швейцарии и затем экстрадирован в США.", "ru",
                       {"Иван Петров": "Иван Петров"})
    assert countries(events["extradition"]) == ("US", "CH")
    assert countries(events["detention"]) == ("US", "CH")  # held in Switzerland for the US


def test_the_requesting_agency_not_the_nationality_is_the_origin() -> None:
    events = events_of("По запросу ФБР в Испании задержан российский программист Иван Петров.",
                       "ru", {"Иван Петров": "Иван Петров"})
    assert countries(events["detention"]) == ("US", "ES")


def test_a_foreign_court_prosecutes_a_russian_at_home() -> None:
    events = events_of("Суд в США приговорил россиянина Ивана Петрова к трём годам тюрьмы.", "ru",
                       {"Ивана Петрова": "Иван Петров"})
    assert countries(events["sentence"]) == ("US", "US")


def test_a_court_of_a_state_in_the_genitive_and_as_an_adjective() -> None:
    events = events_of("Верховный суд Пакистана оправдал Асию Биби.", "ru",
                       {"Асию Биби": "Асия Биби"})
    assert countries(events["sentence"]) == ("PK", "PK")
    events = events_of("A Pakistani court sentenced Asia Bibi to death.", "en",
                       {"Asia Bibi": "Asia Bibi"})
    assert countries(events["sentence"]) == ("PK", "PK")


def test_flight_from_one_state_to_another_and_asylum_asked_of_a_state() -> None:
    events = events_of("Jan Novák uprchl z Ruska do Německa.", "cs", {"Jan Novák": "Jan Novák"})
    assert countries(events["flight"]) == ("RU", "DE")
    events = events_of("Иван Петров попросил политическое убежище у Великобритании.", "ru",
                       {"Иван Петров": "Иван Петров"})
    assert events["asylum_application"].host_country == "GB"


def test_the_case_of_the_country_tells_destination_from_location() -> None:
    petrov = {"Иван Петров": "Иван Петров"}
    events = events_of("Иван Петров был депортирован в Россию.", "ru", petrov)
    assert countries(events["deportation"]) == ("RU", None)
    events = events_of("Иван Петров был задержан в России.", "ru", petrov)
    assert countries(events["detention"]) == ("RU", "RU")


def test_a_sentence_that_names_no_state_takes_the_country_the_document_names_most() -> None:
    text = ("Асия Биби находилась в тюрьме в Пакистане. Пакистан её не отпускал. "
            "Её мужа приглашала Великобритания. Позже Асию Биби освободили.")
    events = events_of(text, "ru", {"Асия Биби": "Асия Биби", "Асию Биби": "Асия Биби"})
    assert countries(events["release"]) == ("PK", "PK")


def test_agents_are_organisations_that_act_not_outlets_airports_or_words() -> None:
    text = "ФСБ задержала Ивана Петрова в аэропорту Шереметьево, сообщает «Медуза»."
    doc = Document(id="d1", source="test", title=None, language="ru", declared_language=None,
                   published="2026-03-10", published_basis="declared", text=text)

    def mention(surface: str, kind: str, base: str) -> Mention:
        at = text.find(surface)
        return Mention(id=f"d1:m{at}", document="d1", start=at, end=at + len(surface),
                       text=surface, type=kind, base=base, latin=base,  # type: ignore[arg-type]
                       language="ru")

    fsb = mention("ФСБ", "organization", "ФСБ")
    others = [mention("Медуза", "organization", "Медуза"),
              mention("аэропорту Шереметьево", "organization", "аэропорт Шереметьево"),
              mention("сообщает", "organization", "сообщает")]
    petrov = mention("Ивана Петрова", "person", "Иван Петров")
    events = find_events(doc, [fsb, *others, petrov], [])
    assert [(e.type, e.agents) for e in events] == [("detention", [fsb.id])]
    assert countries(events[0]) == ("RU", "RU")


def test_in_a_story_of_removal_the_persons_own_state_persecutes() -> None:
    text = ("В Бишкеке задержан российский активист Иван Петров. "
            "Власти Киргизии одобрили экстрадицию Петрова в Россию.")
    events = events_of(text, "ru", {"Иван Петров": "Иван Петров", "Петрова": "Иван Петров"})
    assert countries(events["detention"]) == ("RU", "KG")
    assert countries(events["extradition_approved"]) == ("RU", "KG")
