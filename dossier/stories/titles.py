"""English story titles made from a story's main events and entities.

"Handovers to Russia and approved extraditions in Kazakhstan: Kachkurkin, Movlaev, Yemelyanova
(Jan–Mar 2026)". Wording lives in dossier/data/stories/titles.json. When the other stages found
neither events nor people, the title of an English member article (else of the earliest one)
stands in (else a place name, else the earliest title in any language).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date

from dossier.entities.translit import fold
from dossier.model import Analysis, Event

TITLES = Path(__file__).resolve().parents[1] / "data" / "stories" / "titles.json"
MAX_LENGTH = 160


@cache
def wording() -> dict[str, Any]:
    return json.loads(TITLES.read_text(encoding="utf-8"))


def country_name(code: str | None) -> str | None:
    if not code:
        return None
    return Locale("en").territories.get(code.upper(), code.upper())


def entity_names(analyses: list[Analysis], mention_entity: dict[str, str]) -> dict[str, str]:
    """Entity id -> a Latin name from its mentions (English spelling first, then most common)."""
    spellings: dict[str, Counter[tuple[bool, str]]] = {}
    for analysis in analyses:
        for mention in analysis.mentions:
            entity = mention_entity.get(mention.id)
            if entity and mention.latin:
                key = (mention.language == "en", mention.latin)
                spellings.setdefault(entity, Counter())[key] += 1
    return {
        entity: max(counter.items(), key=lambda kv: (kv[0][0], kv[1], len(kv[0][1])))[0][1]
        for entity, counter in spellings.items()
    }


@dataclass
class Members:
    """What a story title reads of the story's documents: how many name each person and each
    place, and the first title of an English one and of any one (in story order)."""

    persons: Counter[str]
    places: Counter[str]
    english_title: str | None
    any_title: str | None


def members_of(analyses: list[Analysis], mention_entity: dict[str, str]) -> Members:
    persons: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for analysis in analyses:
        for kind, counter in (("person", persons), ("location", places)):
            counter.update({mention_entity[m.id] for m in analysis.mentions
                            if m.type == kind and m.id in mention_entity})
    return Members(persons, places, _english_title(analyses), _any_title(analyses))


def story_title(
    analyses: list[Analysis],
    mention_entity: dict[str, str],
    events: list[Event],
    names: dict[str, str],
    start: str | None,
    end: str | None,
) -> str:
    """Title of the story told by `analyses`, whose linked events are `events`."""
    return title_of(members_of(analyses, mention_entity), events, names, start, end)


def title_of(members: Members, events: list[Event], names: dict[str, str], start: str | None,
             end: str | None) -> str:
    """`story_title` from what it reads of the documents (`members_of`)."""
    conf = wording()
    head = _event_head(events, conf)
    people = _main_people(members.persons, events, names, conf["max_names"])
    if not head and not people:
        head = members.english_title or _main_place(members.places, names)
        head = head or members.any_title or conf["untitled"]
    elif not head:
        head = _main_place(members.places, names)
    parts = [head] if head else []
    if people:
        parts.append(", ".join(people))
    title = ": ".join(parts)
    span = month_span(start, end)
    if span:
        title = f"{title} ({span})"
    return title if len(title) <= MAX_LENGTH else title[: MAX_LENGTH - 1].rstrip() + "…"


def _event_head(events: list[Event], conf: dict[str, Any]) -> str | None:
    """"Handovers to Russia and detentions in Kazakhstan" (the most telling event types)."""
    nouns: dict[str, str] = conf["event_nouns"]
    order = list(nouns)
    towards = conf["towards"]
    counts = Counter(e.type for e in events if e.type in nouns and e.status != "blocked")
    if not counts:
        return None
    rank = sorted(counts, key=lambda t: (t not in towards, -counts[t], order.index(t)))
    phrases = [nouns[t] for t in rank[: conf["max_event_types"]]]
    host = _most_common(e.host_country for e in events)
    origin = _most_common(e.origin_country for e in events if e.type in towards)
    if origin and origin != host and rank[0] in towards:
        phrases[0] = f"{phrases[0]} to {country_name(origin)}"
    phrase = " and ".join(phrases)
    if host:
        phrase = f"{phrase} in {country_name(host)}"
    return phrase[:1].upper() + phrase[1:]


def _main_people(
    documents: Counter[str],
    events: list[Event],
    names: dict[str, str],
    limit: int,
) -> list[str]:
    subjects = Counter(e.subject for e in events if e.subject and e.subject.startswith("person:"))
    ranked = sorted(set(subjects) | set(documents),
                    key=lambda p: (-subjects[p], -documents[p], p))
    out: list[str] = []
    seen: set[str] = set()
    for person in ranked:
        name = names.get(person)
        if not name:
            continue
        surname = name.split()[-1]
        key = fold(surname)[:5]
        if key not in seen:
            seen.add(key)
            out.append(surname)
        if len(out) == limit:
            break
    return out


def _main_place(places: Counter[str], names: dict[str, str]) -> str | None:
    for place, _ in sorted(places.items(), key=lambda kv: (-kv[1], kv[0])):
        if names.get(place):
            return names[place]
    return None


def _english_title(analyses: list[Analysis]) -> str | None:
    english = [a.document.title for a in analyses if a.document.language == "en"]
    return next((t.strip() for t in english if t and t.strip()), None)


def _any_title(analyses: list[Analysis]) -> str | None:
    return next((a.document.title.strip() for a in analyses
                 if a.document.title and a.document.title.strip()), None)


def _most_common(values) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return sorted(counts, key=lambda v: (-counts[v], v))[0]


def month_span(start: str | None, end: str | None) -> str | None:
    """"Feb 2026", "Jan–Mar 2026", "Dec 2025–Feb 2026" (or years alone when that is all)."""
    if not start:
        return None
    end = end or start
    if len(start) < 7 or len(end) < 7:
        return start[:4] if start[:4] == end[:4] else f"{start[:4]}–{end[:4]}"
    first = date(int(start[:4]), int(start[5:7]), 1)
    last = date(int(end[:4]), int(end[5:7]), 1)
    if first == last:
        return format_date(first, "MMM yyyy", locale="en")
    head = "MMM" if first.year == last.year else "MMM yyyy"
    return f"{format_date(first, head, locale='en')}–{format_date(last, 'MMM yyyy', locale='en')}"
