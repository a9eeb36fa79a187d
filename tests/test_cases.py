"""Merging event mentions across sources and building case files, on hand-built events."""

from __future__ import annotations

from typing import Any

from dossier.cases import build_cases, case_status, merge_events, term_text
from dossier.model import DateSpan, Entity, EventMention, Evidence

UNKNOWN = DateSpan(None, None, "unknown", "")
LATE_JAN = DateSpan("2026-01-21", "2026-01-31", "part_of_month", "late January")
JAN_25 = DateSpan("2026-01-25", "2026-01-25", "day", "25 January")
FEB_2 = DateSpan("2026-02-02", "2026-02-02", "day", "2 February")
APRIL = DateSpan("2024-04-01", "2024-04-30", "month", "April 2024")


def mention(doc: str, n: int, kind: str, subject: str, when: DateSpan = UNKNOWN,
            status: str = "occurred", published: str = "2026-02-10",
            place: str | None = None, **attributes: Any) -> EventMention:
    text = f"sentence {n} of {doc}"
    return EventMention(
        id=f"{doc}:e{n}", document=doc, type=kind, status=status,  # type: ignore[arg-type]
        subject=subject, group=None, agents=[], origin_country="RU", host_country="KZ",
        place=place, date=when, attributes={"_published": published, **attributes},
        evidence=Evidence(doc, n * 100, n * 100 + len(text), text), trigger=kind)


def person(eid: str, name: str) -> Entity:
    return Entity(id=eid, type="person", name=name, variants=[], country=None, mentions=[])


ENTITY_OF = {"a:m1": "P1", "b:m4": "P1", "c:m2": "P1", "a:m9": "P2", "b:m7": "P2",
             "a:m5": "L1", "b:m3": "L2"}


def test_same_event_from_two_sources_is_one_event_with_all_evidence() -> None:
    events = merge_events([
        mention("a", 1, "deportation", "a:m1", LATE_JAN),
        mention("b", 2, "deportation", "b:m4", JAN_25),
        mention("c", 3, "deportation", "c:m2"),
    ], ENTITY_OF)
    assert len(events) == 1
    event = events[0]
    assert event.subject == "P1"
    assert event.date == JAN_25  # the most precise compatible date
    assert sorted(event.sources) == ["a:e1", "b:e2", "c:e3"]
    assert {e.document for e in event.evidence} == {"a", "b", "c"}
    assert "_published" not in event.attributes


def test_incompatible_dates_stay_apart_and_ids_are_stable() -> None:
    items = [mention("a", 1, "detention", "a:m1", APRIL),
             mention("b", 2, "detention", "b:m4", FEB_2)]
    first = merge_events(items, ENTITY_OF)
    again = merge_events(list(reversed(items)), ENTITY_OF)
    assert len(first) == 2
    assert sorted(e.id for e in first) == sorted(e.id for e in again)


def test_occurred_wins_unless_a_later_source_says_blocked() -> None:
    pending = mention("a", 1, "extradition", "a:m1", status="pending", published="2026-01-10")
    done = mention("b", 2, "extradition", "b:m4", status="occurred", published="2026-01-20")
    assert merge_events([pending, done], ENTITY_OF)[0].status == "occurred"
    blocked = mention("c", 3, "extradition", "c:m2", status="blocked", published="2026-02-01")
    assert merge_events([pending, done, blocked], ENTITY_OF)[0].status == "blocked"


def test_an_acquittal_is_its_own_fact_next_to_the_conviction() -> None:
    convicted = mention("a", 1, "sentence", "a:m1", status="occurred", published="2026-01-10")
    acquitted = mention("b", 2, "sentence", "b:m4", status="blocked", published="2026-01-20")
    events = merge_events([convicted, acquitted], ENTITY_OF)
    assert sorted(e.status for e in events) == ["blocked", "occurred"]
    assert len({e.id for e in events}) == 2


def test_case_orders_events_and_flags_term_conflict() -> None:
    events = merge_events([
        mention("a", 1, "deportation", "a:m1", LATE_JAN),
        mention("a", 2, "arrest", "a:m1", LATE_JAN, charge="treason"),
        mention("a", 3, "sentence", "a:m1", status="possible", years_max=20, life=True),
        mention("b", 4, "sentence", "b:m4", status="possible", years_min=12, years_max=15),
        mention("b", 5, "detention", "b:m4", JAN_25, place="b:m3"),
        mention("a", 6, "handover", "a:m9", FEB_2),
    ], ENTITY_OF)
    entities = [person("P1", "Oleg Kachur"), person("P2", "Semen Bazhko"),
                Entity("L2", "location", "Almaty", [], "KZ", [])]
    cases = {c.person: c for c in build_cases(events, entities)}
    assert set(cases) == {"P1", "P2"}
    kinds = [next(e.type for e in events if e.id == eid) for eid in cases["P1"].events]
    assert kinds.index("detention") < kinds.index("deportation") < kinds.index("arrest")
    assert kinds[-1] == "sentence"  # unknown date last
    conflict = next(c for c in cases["P1"].conflicts if c.about == "possible prison term")
    values = {v.value: v.documents for v in conflict.values}
    assert values == {"up to 20 years or life": ["a"], "12 to 15 years": ["b"]}
    assert cases["P2"].status == "handed over to Russia on 2 February 2026"
    assert "arrested" in cases["P1"].status and "treason" in cases["P1"].status


def test_what_happened_conflict_between_deported_and_extradited() -> None:
    events = merge_events([
        mention("a", 1, "deportation", "a:m1", LATE_JAN),
        mention("b", 2, "extradition", "b:m4", JAN_25),
    ], ENTITY_OF)
    case = build_cases(events, [person("P1", "Oleg Kachur")])[0]
    conflict = next(c for c in case.conflicts if c.about == "what happened")
    assert {v.value: v.documents for v in conflict.values} == {"deported": ["a"],
                                                               "extradited": ["b"]}


def test_place_conflict_names_the_places() -> None:
    events = merge_events([
        mention("a", 1, "detention", "a:m1", JAN_25, place="a:m5"),
        mention("b", 2, "detention", "b:m4", JAN_25, place="b:m3"),
    ], ENTITY_OF)
    entities = [person("P1", "Oleg Kachur"), Entity("L1", "location", "Astana", [], "KZ", []),
                Entity("L2", "location", "Almaty", [], "KZ", [])]
    case = build_cases(events, entities)[0]
    conflict = next(c for c in case.conflicts if c.about.startswith("place"))
    assert {v.value for v in conflict.values} == {"Astana", "Almaty"}


def test_status_in_plain_words() -> None:
    events = merge_events([
        mention("a", 1, "extradition_approved", "a:m1", LATE_JAN),
        mention("a", 2, "appeal", "a:m1"),
    ], ENTITY_OF)
    entities = {"P1": person("P1", "Mansur M")}
    ordered = sorted(events, key=lambda e: e.type != "extradition_approved")
    text = case_status(ordered, entities)
    assert text.startswith("extradition to Russia approved in late January 2026")
    assert text.endswith("appeal pending")


def test_term_text() -> None:
    assert term_text({"years_min": 6, "years_max": 6}) == "6 years"
    assert term_text({"years_max": 10}) == "up to 10 years"
    assert term_text({"life": True}) == "life"
    assert term_text({}) is None


def test_no_case_without_a_person_subject() -> None:
    group = mention("a", 1, "detention", "a:m1")
    group.subject, group.group = None, "four activists"
    events = merge_events([group], ENTITY_OF)
    assert events[0].group == "four activists"
    assert build_cases(events, []) == []


def test_guessed_year_does_not_split_or_date_an_event() -> None:
    guessed = mention("a", 1, "deportation", "a:m1",
                      DateSpan("2022-01-21", "2022-01-31", "part_of_month", "late January"),
                      _year_uncertain=True)
    firm = mention("b", 2, "deportation", "b:m4", LATE_JAN)
    events = merge_events([guessed, firm], ENTITY_OF)
    assert len(events) == 1 and events[0].date == LATE_JAN


def test_undated_detention_elsewhere_is_another_detention() -> None:
    events = merge_events([
        mention("a", 1, "detention", "a:m1", JAN_25, place="a:m5"),
        mention("b", 2, "detention", "b:m4", place="b:m3"),
    ], ENTITY_OF)
    assert len(events) == 2


def test_events_kept_apart_get_distinct_ids():
    from dossier.cases import _unique_ids
    from dossier.model import DateSpan, Event

    def event(source: str) -> Event:
        return Event(id="ev_same", type="detention", status="occurred", subject="person:x",
                     group=None, agents=[], origin_country=None, host_country=None, place=None,
                     date=DateSpan(None, None, "unknown", ""), attributes={}, evidence=[],
                     sources=[source])

    ids = [e.id for e in _unique_ids([event("d1:e0"), event("d2:e4")])]
    assert ids[0] == "ev_same" and len(set(ids)) == 2


def test_date_grouping_equals_the_pairwise_rule_on_random_mentions() -> None:
    """The grouping keeps a summary per group (earliest end, latest start, places) instead of
    comparing with every member; it must give the groups of the plain pairwise rule."""
    import random

    from dossier.cases import PRECISION_RANK, _cluster_by_date, firm_date, known, overlaps, width

    def apart(a: EventMention, b: EventMention, places: dict[str, str]) -> bool:
        if a.type != "detention" or not a.place or not b.place:
            return False
        if known(firm_date(a)) and known(firm_date(b)):
            return False
        return places.get(a.place, a.place) != places.get(b.place, b.place)

    def pairwise(items: list[EventMention], places: dict[str, str]) -> list[list[str]]:
        ordered = sorted(items, key=lambda m: (PRECISION_RANK.get(firm_date(m).precision, 9),
                                               width(firm_date(m)), m.document, m.evidence.start))
        groups: list[list[EventMention]] = []
        for m in ordered:
            for group in groups:
                if all(overlaps(firm_date(m), firm_date(o)) and not apart(m, o, places)
                       for o in group):
                    group.append(m)
                    break
            else:
                groups.append([m])
        return [[m.id for m in g] for g in groups]

    rng = random.Random(5)
    places = {"x:1": "L1", "x:2": "L1", "x:3": "L2"}
    split = 0
    for trial in range(300):
        items = []
        for n in range(rng.randint(1, 12)):
            start = f"2026-01-{rng.randint(1, 20):02}"
            end = f"{start[:-2]}{int(start[-2:]) + rng.randint(0, 8):02}"
            when = rng.choice([UNKNOWN, DateSpan(start, start, "day", ""),
                               DateSpan(start, end, "range", "")])
            m = mention(f"d{trial}x{n}", n, rng.choice(["detention", "arrest"]), "P1", when,
                        place=rng.choice([None, "x:1", "x:2", "x:3", "x:4"]),
                        **({"_year_uncertain": True} if rng.random() < 0.1 else {}))
            items.append(m)
        by_type: dict[str, list[EventMention]] = {}
        for m in items:
            by_type.setdefault(m.type, []).append(m)
        for group in by_type.values():
            got = [[m.id for m in g] for g in _cluster_by_date(group, places)]
            assert got == pairwise(group, places)
            split += len(got) > 1
    assert split > 100  # the inputs do split into several groups
