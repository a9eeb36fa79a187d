"""The acceptance list of the events issue, checked on the seed articles in ../shared/seeds.

Runs the per-document pipeline and the event side of `link` (name resolution, merging, case
files); skips cleanly when ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.cases import build_cases, merge_events
from dossier.entities.resolve import resolve_entities
from dossier.ingest import read_path
from dossier.model import Case, Entity, Event
from dossier.pipeline import analyse

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def corpus() -> tuple[list[Event], list[Case], dict[str, Entity]]:
    paths = sorted(SEEDS.glob("*.txt")) if SEEDS.exists() else []
    if not paths:
        pytest.skip("seed articles not available")
    analyses = [analyse(r.document) for p in paths for r in read_path(str(p)) if r.document]
    entities = resolve_entities([m for a in analyses for m in a.mentions])
    mention_entity = {m: e.id for e in entities for m in e.mentions}
    events = merge_events([e for a in analyses for e in a.events], mention_entity)
    return events, build_cases(events, entities), {e.id: e for e in entities}


def case_of(corpus, surname: str) -> tuple[Case, list[Event]]:
    events, cases, entities = corpus
    found = [c for c in cases if surname in entities[c.person].name]
    assert found, f"no case for {surname}"
    case = max(found, key=lambda c: len(c.events))
    by_id = {e.id: e for e in events}
    return case, [by_id[i] for i in case.events]


def dated(event: Event, start: str, end: str) -> bool:
    """The event's date lies within [start, end]."""
    return bool(event.date.start) and start <= event.date.start and (
        event.date.end or event.date.start) <= end


def test_kachkurkin(corpus) -> None:
    case, events = case_of(corpus, "Kachkurkin")
    kinds = {e.type for e in events}
    assert {"detention", "deportation", "arrest", "charge"} <= kinds
    assert any(e.type == "detention" and dated(e, "2026-01-15", "2026-01-31") for e in events)
    assert any(e.type == "deportation" and dated(e, "2026-01-15", "2026-01-31") for e in events)
    assert any(e.attributes.get("charge") == "treason" for e in events if e.type == "charge")
    term = next(c for c in case.conflicts if c.about == "possible prison term")
    values = {v.value for v in term.values}
    assert {"up to 20 years or life", "12 to 15 years"} <= values
    assert all(v.documents for v in term.values)
    for event in events:
        assert event.evidence and all(ev.text for ev in event.evidence)


def test_bazhukov_handover(corpus) -> None:
    case, events = case_of(corpus, "Bazhukov")
    handover = [e for e in events if e.type == "handover" and e.status == "occurred"]
    assert any(e.date.start == "2026-02-02" == e.date.end for e in handover)
    assert "handed over" in case.status and "2 February 2026" in case.status


def test_kasimov_detention_and_sentence(corpus) -> None:
    _, events = case_of(corpus, "Kasimov")
    assert any(e.type == "detention" and dated(e, "2024-04-01", "2024-04-30") for e in events)
    sentence = [e for e in events if e.type == "sentence" and e.status == "occurred"]
    assert sentence and sentence[0].attributes.get("years_max") == 6


@pytest.mark.parametrize("surname", ["Movlaev", "Yemelyanova"])
def test_approved_extraditions(corpus, surname: str) -> None:
    events, cases, entities = corpus
    names = [entities[c.person].name for c in cases]
    match = [n for n in names if n.split()[-1][:5] == surname[:5]]
    assert match, names
    _, own = case_of(corpus, match[0].split()[-1])
    assert any(e.type == "extradition_approved" and e.status == "occurred" for e in own)


def test_four_activists_extradition_blocked(corpus) -> None:
    events, _, entities = corpus
    blocked = [e for e in events if e.type == "extradition" and e.status == "blocked"
               and dated(e, "2022-01-01", "2023-12-31")]
    names = " ".join(entities[e.subject].name for e in blocked if e.subject in entities)
    for surname in ("Baltatarova", "Ammosov", "Narskaya", "Kozak"):
        assert surname in names


def test_no_case_for_lawyers_officials_or_commentators(corpus) -> None:
    _, cases, entities = corpus
    names = " ".join(entities[c.person].name for c in cases)
    for surname in ("Smirnov", "Alkhastov", "Akhmetzhanov", "Tokayev", "Umbetalieva",
                    "Jovtis", "Putin", "Navaln"):
        assert surname not in names
