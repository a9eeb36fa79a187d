"""Events merged across sources, and case files per person.

`merge_events` joins event mentions about the same person (entity), of the same type, with
compatible dates (overlapping spans, or one unknown) into one Event that keeps every piece of
evidence; where the sources disagree on the term, date or place, the event's
attributes["variants"] records each value with the documents that give it.
`build_cases` makes one Case per person: events oldest first, a last-known status in plain
English, and the disagreements between sources.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date
from functools import cache
from typing import Any

from babel import Locale

from dossier.events.lexicon import DATA_DIR
from dossier.model import (
    Case,
    Conflict,
    ConflictValue,
    DateSpan,
    Entity,
    Event,
    EventMention,
    Evidence,
)

UNKNOWN = DateSpan(None, None, "unknown", "")
SPLIT_BY_PLACE = ("detention",)
PRECISION_RANK = {"day": 0, "part_of_month": 1, "month": 2, "range": 3, "year": 4, "unknown": 9}
TERM_KEYS = ("years_min", "years_max", "life")


@cache
def phrases() -> dict[str, Any]:
    return json.loads((DATA_DIR / "phrases.json").read_text(encoding="utf-8"))


# ---- dates -------------------------------------------------------------------------------


def known(d: DateSpan) -> bool:
    return d.precision != "unknown" and d.start is not None


def overlaps(a: DateSpan, b: DateSpan) -> bool:
    if not known(a) or not known(b):
        return True
    return a.start <= (b.end or b.start) and b.start <= (a.end or a.start)  # type: ignore[operator]


def width(d: DateSpan) -> int:
    if not known(d):
        return 10**6
    end = d.end or d.start
    return (date.fromisoformat(end) - date.fromisoformat(d.start)).days  # type: ignore[arg-type]


def most_precise(dates: list[DateSpan]) -> DateSpan:
    return min(dates, key=lambda d: (PRECISION_RANK.get(d.precision, 9), width(d)))


def date_key(d: DateSpan) -> str:
    return f"{d.start}..{d.end}" if known(d) else "unknown"


# ---- merging -----------------------------------------------------------------------------


def merge_events(mentions: list[EventMention], mention_entity: dict[str, str]) -> list[Event]:
    groups: dict[tuple[str, str, str], list[EventMention]] = {}
    for m in mentions:
        if m.subject is not None:
            who = mention_entity.get(m.subject, m.subject)
        else:
            who = f"group:{m.document}:{(m.group or '').lower()}"
        groups.setdefault((who, m.type, _status_class(m)), []).append(m)
    events: list[Event] = []
    for (who, _, _), items in groups.items():
        for cluster in _cluster_by_date(items, mention_entity):
            events.append(_merge(cluster, who if not who.startswith("group:") else None,
                                 mention_entity))
    return _unique_ids(events)


def _status_class(m: EventMention) -> str:
    """What may happen ("faces up to 10 years") is another fact than what did; so is a blocked
    sentence or release (an acquittal, a refused bail) next to the conviction or the release
    that did happen. A blocked extradition stays with the extradition: there a later source
    saying it was stopped is news about the same fact."""
    if m.status == "possible":
        return "possible"
    if m.status == "blocked" and m.type in phrases()["blocked_is_own_fact"]:
        return "blocked"
    return "done"


def _unique_ids(events: list[Event]) -> list[Event]:
    """Two events kept apart can share subject, type and date (say, two undated detentions):
    the later one's id then also takes its first source, so ids stay unique and stable."""
    seen: set[str] = set()
    for event in events:
        if event.id in seen:
            salt = min(event.sources)
            event.id = "ev_" + hashlib.sha1(f"{event.id}|{salt}".encode()).hexdigest()[:12]
        seen.add(event.id)
    return events


def firm_date(m: EventMention) -> DateSpan:
    """The mention's date, or unknown when its year was guessed from a guessed publication date."""
    return UNKNOWN if m.attributes.get("_year_uncertain") else m.date


def _cluster_by_date(items: list[EventMention],
                     mention_entity: dict[str, str]) -> list[list[EventMention]]:
    """Groups of mentions with overlapping (or unknown) dates. An undated detention somewhere
    else ("now held in Moscow") is another detention than the dated one in Almaty; the same
    dated event in two places is a disagreement, kept together. Each mention joins the first
    group whose every member it overlaps and is not apart from."""
    ordered = sorted(items, key=lambda m: (PRECISION_RANK.get(firm_date(m).precision, 9),
                                           width(firm_date(m)), m.document, m.evidence.start))
    clusters: list[_Cluster] = []
    for m in ordered:
        when = firm_date(m)
        place = mention_entity.get(m.place, m.place) if m.place else None
        for cluster in clusters:
            if cluster.takes(when, place, m.type in SPLIT_BY_PLACE):
                cluster.add(m, when, place)
                break
        else:
            clusters.append(_Cluster().add(m, when, place))
    return [c.members for c in clusters]


class _Cluster:
    """Mentions grouped by `_cluster_by_date`, with what the test of a new member needs, so it
    costs the same however large the group grows (one person reported in thousands of
    articles). `takes` is exactly "overlaps every member and is apart from none": a date
    overlaps each of some dated spans if and only if it starts before the earliest end and
    ends after the latest start."""

    def __init__(self) -> None:
        self.members: list[EventMention] = []
        self.min_end: str | None = None  # over the dated members
        self.max_start: str | None = None
        self.places: set[str] = set()  # places of members that have one
        self.undated_places: set[str] = set()  # the same, of members without a firm date

    def add(self, m: EventMention, when: DateSpan, place: str | None) -> _Cluster:
        self.members.append(m)
        if known(when):
            end = when.end or when.start
            self.min_end = end if self.min_end is None else min(self.min_end, end)
            self.max_start = (when.start if self.max_start is None
                              else max(self.max_start, when.start))  # type: ignore[type-var]
        if place:
            self.places.add(place)
            if not known(when):
                self.undated_places.add(place)
        return self

    def takes(self, when: DateSpan, place: str | None, split_by_place: bool) -> bool:
        dated = known(when)
        if dated and self.min_end is not None and not (
            when.start <= self.min_end  # type: ignore[operator]
            and self.max_start <= (when.end or when.start)  # type: ignore[operator]
        ):
            return False
        if not split_by_place or not place:
            return True
        # apart from a member: both have places, they differ, and one of them is undated
        others = self.undated_places if dated else self.places
        return not (others - {place})


def _merge(cluster: list[EventMention], subject: str | None,
           mention_entity: dict[str, str]) -> Event:
    first = min(cluster, key=lambda m: (m.document, m.evidence.start))
    firm = [firm_date(m) for m in cluster if known(firm_date(m))]
    when = most_precise(firm or [m.date for m in cluster])
    event_id = "ev_" + hashlib.sha1(
        f"{subject or first.group}|{first.type}|{when.start}|{first.status == 'possible'}|"
        f"{first.id if subject is None else ''}"
        .encode()
    ).hexdigest()[:12]
    evidence: list[Evidence] = []
    seen: set[tuple[str, int]] = set()
    for m in sorted(cluster, key=lambda m: (m.document, m.evidence.start)):
        key = (m.evidence.document, m.evidence.start)
        if key not in seen:
            seen.add(key)
            evidence.append(m.evidence)
    places = [mention_entity.get(m.place, m.place) for m in cluster if m.place]
    agents = sorted({mention_entity.get(a, a) for m in cluster for a in m.agents})
    return Event(
        id=event_id,
        type=first.type,
        status=_status(cluster),  # type: ignore[arg-type]
        subject=subject,
        group=first.group if subject is None else None,
        agents=agents,
        origin_country=_most_common([m.origin_country for m in cluster]),
        host_country=_most_common([m.host_country for m in cluster]),
        place=_most_common(places),
        date=when,
        attributes=_attributes(cluster, mention_entity),
        evidence=evidence,
        sources=sorted(m.id for m in cluster),
    )


def _most_common(values: list[str | None]) -> str | None:
    present = [v for v in values if v]
    return Counter(present).most_common(1)[0][0] if present else None


def _status(cluster: list[EventMention]) -> str:
    """occurred wins over pending/possible, unless a source published later says blocked."""

    def published(m: EventMention) -> str:
        return str(m.attributes.get("_published") or "")

    statuses = {m.status for m in cluster}
    if "occurred" in statuses:
        last_occurred = max(published(m) for m in cluster if m.status == "occurred")
        blocked = [published(m) for m in cluster if m.status == "blocked"]
        if blocked and max(blocked) > last_occurred:
            return "blocked"
        return "occurred"
    for status in ("blocked", "pending", "possible"):
        if status in statuses:
            return status
    return "occurred"


def term_text(attributes: dict[str, Any]) -> str | None:
    low, high, life = (attributes.get(k) for k in TERM_KEYS)
    if low is None and high is None:
        return "life" if life else None
    if low is not None and high is not None:
        text = f"{low} years" if low == high else f"{low} to {high} years"
    elif high is not None:
        text = f"up to {high} years"
    else:
        text = f"more than {low} years"
    return f"{text} or life" if life else text


def _attributes(cluster: list[EventMention], mention_entity: dict[str, str]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    charges = _most_common([m.attributes.get("charge") for m in cluster])
    if charges:
        merged["charge"] = charges
    for m in cluster:
        if any(m.attributes.get(k) is not None for k in TERM_KEYS[:2]):
            for k in TERM_KEYS:
                if k in m.attributes:
                    merged[k] = m.attributes[k]
            break
    if any(m.attributes.get("pretrial") for m in cluster):
        merged["pretrial"] = True
    agents_text = sorted({a for m in cluster for a in m.attributes.get("agents_text", [])})
    if agents_text:
        merged["agents_text"] = agents_text
    variants = {
        "term": _variants(cluster, lambda m: term_text(m.attributes)),
        "date": _variants(cluster, lambda m: date_key(firm_date(m))
                          if known(firm_date(m)) else None),
        "place": _variants(cluster, lambda m: mention_entity.get(m.place, m.place)
                           if m.place else None),
    }
    variants = {k: v for k, v in variants.items() if len(v) > 1}
    if variants:
        merged["variants"] = variants
    return merged


def _variants(cluster: list[EventMention], value_of: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in cluster:
        value = value_of(m)
        if value is None:
            continue
        docs = out.setdefault(value, [])
        if m.document not in docs:
            docs.append(m.document)
    return out


# ---- case files --------------------------------------------------------------------------


def order_key(event: Event) -> tuple[int, str, str, int]:
    """Oldest first by the middle of the span; unknown dates last, in document order."""
    first = min(event.evidence, key=lambda e: (e.document, e.start)) if event.evidence else None
    doc, start = (first.document, first.start) if first else ("", 0)
    rank = phrases()["order"].index(event.type) if event.type in phrases()["order"] else 99
    if not known(event.date):
        return (1, "", f"{doc}:{start:08d}", rank)
    begin = date.fromisoformat(event.date.start)  # type: ignore[arg-type]
    end = date.fromisoformat(event.date.end or event.date.start)  # type: ignore[arg-type]
    middle = begin + (end - begin) / 2
    return (0, middle.isoformat(), f"{rank:03d}", 0)


def build_cases(events: list[Event], entities: list[Entity]) -> list[Case]:
    by_id = {e.id: e for e in entities}
    per_person: dict[str, list[Event]] = {}
    for event in events:
        if event.subject and by_id.get(event.subject) is not None \
                and by_id[event.subject].type == "person":
            per_person.setdefault(event.subject, []).append(event)
    cases = []
    for person, items in sorted(per_person.items()):
        # ties (same date and type) by id: the order must not depend on the order events
        # were merged in, which differs between a full and an incremental link
        items.sort(key=lambda e: (order_key(e), e.id))
        cases.append(Case(
            id="case_" + hashlib.sha1(person.encode()).hexdigest()[:12],
            person=person,
            events=[e.id for e in items],
            status=case_status(items, by_id),
            conflicts=find_conflicts(items, by_id),
        ))
    return cases


# ---- plain-words status ------------------------------------------------------------------


def country_name(code: str | None) -> str | None:
    if not code:
        return None
    return Locale("en").territories.get(code.upper(), code)


def date_phrase(d: DateSpan) -> str:
    if not known(d):
        return ""
    start = date.fromisoformat(d.start)  # type: ignore[arg-type]
    end = date.fromisoformat(d.end or d.start)  # type: ignore[arg-type]
    month = start.strftime("%B")
    if d.precision == "day" or start == end:
        return f" on {start.day} {month} {start.year}"
    if d.precision == "month":
        return f" in {month} {start.year}"
    if d.precision == "part_of_month":
        part = phrases()["parts_of_month"][min(2, (start.day - 1) // 10)]
        return f" in {part} {month} {start.year}"
    if d.precision == "year" or (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        if start.year == end.year:
            return f" in {start.year}"
        return f" between {start.year} and {end.year}"
    return f" between {start.day} {month} {start.year} and {end.day} {end:%B} {end.year}"


def describe(event: Event, by_id: dict[str, Entity]) -> str:
    p = phrases()
    place = by_id[event.place].name if event.place and event.place in by_id else None
    charge = event.attributes.get("charge")
    term = term_text(event.attributes)
    origin = country_name(event.origin_country)
    host = country_name(event.host_country)
    values = {
        "date": date_phrase(event.date),
        "place": f" in {place}" if place else "",
        "charge": f" with {charge}" if charge else "",
        "charge_for": f" for {charge}" if charge else "",
        "term": f" to {term}" if term else "",
        "to_origin": f" to {origin}" if origin else "",
        "by_origin": f" by {origin}" if origin else "",
        "to_host": f" to {host}" if host else "",
        "in_host": f" in {host}" if host else "",
        "noun": p["noun"].get(event.type, event.type),
    }
    if event.status == "blocked":
        return p["blocked"].format(**values)
    if event.status == "pending":
        return p["pending"].format(**values)
    return p["occurred"].get(event.type, event.type).format(**values)


def stage(event: Event) -> int:
    order = phrases()["order"]
    return order.index(event.type) if event.type in order else -1


def case_status(events: list[Event], by_id: dict[str, Entity]) -> str:
    """The last known state in plain words: the furthest step of the process reached
    (a sentence beats an arrest beats a handover ...), later dates breaking ties."""
    p = phrases()
    state = [e for e in events if e.status != "possible"]
    if not state:
        return "; ".join(f"could face {p['noun'][e.type]}" for e in events[-1:])
    main_index = max(range(len(state)),
                     key=lambda i: (state[i].status != "pending", stage(state[i]), i))
    main = state[main_index]
    text = describe(main, by_id)
    held = [e for e in state[main_index + 1:] if e.type == "detention" and e.status == "occurred"]
    if held and main.type in p["transfers"] and main.status == "occurred":
        place = by_id[held[-1].place].name if held[-1].place in by_id else None
        template = p["in_pretrial"] if held[-1].attributes.get("pretrial") else p["in_detention"]
        text = template.format(place=f" in {place}" if place else "")
    charges = [e.attributes["charge"] for kind in p["charge_types"] for e in reversed(events)
               if e.type == kind and e.attributes.get("charge")]
    serious = [c for c in charges if c not in p["minor_charges"]]
    charge = (serious or charges or [None])[0]
    if charge and charge not in text:
        joint = f" for {charge}" if main.type == "sentence" and text == describe(main, by_id) \
            else ", " + p["charged_with"].format(charge=charge)
        text += joint
    ahead = [e for e in state if e.status == "pending" and stage(e) > stage(main)]
    if ahead and stage(main) < p["order"].index("extradition_approved"):
        text += "; " + p["pending"].format(noun=p["noun"][ahead[-1].type], date="")
    appeal = any(e.type == "appeal" and e.status in ("occurred", "pending") for e in state)
    if appeal and stage(main) <= p["order"].index("extradition_approved"):
        text += "; " + p["appeal_pending"]
    return text


# ---- conflicts ---------------------------------------------------------------------------


def _docs(event: Event) -> list[str]:
    return list(dict.fromkeys(e.document for e in event.evidence))


def _add(values: dict[str, list[str]], value: str, docs: list[str]) -> None:
    slot = values.setdefault(value, [])
    for d in docs:
        if d not in slot:
            slot.append(d)


def _conflict(about: str, values: dict[str, list[str]]) -> Conflict | None:
    if len(values) < 2:
        return None
    return Conflict(about, [ConflictValue(v, docs) for v, docs in values.items()])


def find_conflicts(events: list[Event], by_id: dict[str, Entity]) -> list[Conflict]:
    p = phrases()
    out: list[Conflict | None] = []
    for status, about in (("possible", "possible prison term"), ("occurred", "prison term")):
        terms: dict[str, list[str]] = {}
        for e in events:
            if e.type != "sentence" or e.status != status:
                continue
            variants = e.attributes.get("variants", {}).get("term")
            if variants:
                for value, docs in variants.items():
                    _add(terms, value, docs)
            elif term_text(e.attributes):
                _add(terms, term_text(e.attributes), _docs(e))  # type: ignore[arg-type]
        out.append(_conflict(about, terms))
    for e in events:
        noun = p["noun"].get(e.type, e.type)
        variants = e.attributes.get("variants", {})
        if "date" in variants and len(variants["date"]) > 1:
            pass  # overlapping spans of one event: precision differs, not a disagreement
        if "place" in variants and e.type in p["placed"]:
            named = {}
            for value, docs in variants["place"].items():
                name = by_id[value].name if value in by_id else value
                _add(named, name, docs)
            out.append(_conflict(f"place of {noun}", named))
    for kind in p["single"]:
        same = [e for e in events if e.type == kind and e.status == "occurred" and known(e.date)]
        apart = any(not overlaps(a.date, b.date) for a in same for b in same if a is not b)
        if len(same) > 1 and apart:
            values: dict[str, list[str]] = {}
            for e in same:
                _add(values, date_phrase(e.date).strip(), _docs(e))
            out.append(_conflict(f"date of {p['noun'][kind]}", values))
    removals = [e for e in events if e.type in p["removals"] and e.status == "occurred"]
    happened: dict[str, list[str]] = {}
    for a in removals:
        if any(b.type != a.type and overlaps(a.date, b.date) for b in removals):
            _add(happened, p["verb"][a.type], _docs(a))
    out.append(_conflict("what happened", happened))
    return [c for c in out if c is not None]
