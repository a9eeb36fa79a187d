"""Analysts' review decisions: kept apart from machine output, applied after every link.

Ids made by linking can change when articles arrive (an event id hashes its subject and date;
an entity id is a slug of a canonical name), so a decision is anchored to what it was made on:
- an event decision to the event mentions merged into that event, each as
  (document, evidence start, evidence end, machine type);
- a person decision to the person's mentions, each as (document, start, end).
Stored analyses never change, so after any relink a decision applies to every event (person)
that shares an anchor with it. Decisions apply oldest first; the latest verdict wins.
"""

from __future__ import annotations

import calendar
import copy
import json
import re
from collections import Counter
from datetime import date
from typing import Any

from dossier.cases import build_cases, merge_events
from dossier.model import (
    EVENT_TYPES,
    Analysis,
    DateSpan,
    Entity,
    Event,
    Mention,
    Quote,
    Review,
    Variant,
)
from dossier.pipeline import Corpus, link
from dossier.store import Store
from dossier.stories.ids import keep_story_ids

EVENT_ACTIONS = ("confirm", "reject", "set")
ENTITY_ACTIONS = ("merge", "not_a_person", "split")
STATUSES = ("occurred", "pending", "blocked", "possible")
# Fields `--set` corrects; subject and place name entities, the rest are plain values.
SETTABLE = ("type", "status", "date", "subject", "place", "origin_country", "host_country",
            "charge", "years_min", "years_max")
_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

Key = tuple[Any, ...]


class ReviewError(ValueError):
    """A decision that cannot be recorded; the message says why in one line."""


# ---- recording ---------------------------------------------------------------------------


def record(store: Store, target: str, action: str, fields: list[str] | None = None,
           merge_into: str | None = None, analyst: str | None = None,
           note: str | None = None, split_document: str | None = None) -> str:
    """Check and store one decision on an event or person; a one-line account of it."""
    analyst = (analyst or "").strip() or None
    note = (note or "").strip() or None
    event = _row(store, "events", target)
    if event is not None:
        if action not in EVENT_ACTIONS:
            raise ReviewError(f"{target} is an event: use --confirm, --reject or --set")
        value = {"fields": parse_fields(store, fields or [])} if action == "set" else {}
        anchor = event_anchor(store, event)
        if not anchor:
            raise ReviewError(f"event {target} has no stored evidence to anchor a decision to")
        store.add_review("event", target, action, anchor, value, analyst, note)
        done = {"confirm": "confirmed", "reject": "rejected"}.get(action)
        return f"event {target}: " + (done or "corrected " + ", ".join(value["fields"]))
    entity = _row(store, "entities", target)
    if entity is None:
        raise ReviewError(f"no event or person with id {target!r}")
    if action not in ENTITY_ACTIONS:
        raise ReviewError(f"{target} is an entity: use --merge OTHER_ID or --not-a-person")
    if entity["type"] != "person":
        raise ReviewError(f"{target} is a {entity['type']}, not a person")
    value: dict[str, Any] = {}
    if action == "merge":
        found = find_entity(store, (merge_into or "").strip(), "person")
        other = _row(store, "entities", found) if found else None
        if other is None or other["type"] != "person":
            raise ReviewError(f"--merge needs another person's id; {merge_into!r} is none")
        if other["id"] == target:
            raise ReviewError("a person cannot be merged with itself")
        value = {"into": other["id"], "anchor": entity_anchor(store, other["id"])}
    anchor = entity_anchor(store, target)
    if action == "split":
        # the mentions in one document become a person of their own
        mine = [a for a in anchor if a[0] == (split_document or "").strip()]
        if not mine or len(mine) == len(anchor):
            raise ReviewError(f"--split needs a document where {target} is named, and not the"
                              " only one")
        anchor, value = mine, {"document": mine[0][0]}
    if not anchor:
        raise ReviewError(f"person {target} has no stored mentions to anchor a decision to")
    store.add_review("entity", target, action, anchor, value, analyst, note)
    if action == "merge":
        return f"person {target}: merged into {value['into']}"
    if action == "split":
        return f"person {target}: its mentions in {value['document']} split off"
    return f"person {target}: marked not a person"


def parse_fields(store: Store, pairs: list[str]) -> dict[str, Any]:
    """`FIELD=VALUE` corrections, checked; subject and place are anchored to mentions."""
    if not pairs:
        raise ReviewError("--set needs FIELD=VALUE")
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep or name not in SETTABLE:
            raise ReviewError(f"cannot set {pair!r}: fields are {', '.join(SETTABLE)}")
        out[name] = _field_value(store, name, raw)
    return out


def _field_value(store: Store, name: str, raw: str) -> Any:
    if name == "type" and raw not in EVENT_TYPES:
        raise ReviewError(f"unknown event type {raw!r}")
    if name == "status" and raw not in STATUSES:
        raise ReviewError(f"status must be one of {', '.join(STATUSES)}")
    if name == "date":
        parse_date(raw)  # raises when unreadable
    if name in ("origin_country", "host_country"):
        if not re.fullmatch(r"[A-Za-z]{2}", raw):
            raise ReviewError(f"{name} must be a two-letter country code, not {raw!r}")
        return raw.upper()
    if name in ("years_min", "years_max"):
        if not raw.isdigit():
            raise ReviewError(f"{name} must be a whole number of years, not {raw!r}")
        return int(raw)
    if name in ("subject", "place"):
        kind = "person" if name == "subject" else "location"
        entity = find_entity(store, raw, kind)
        if entity is None:
            raise ReviewError(f"no {kind} {raw!r} in the store (give its id or name)")
        return {"entity": entity, "anchor": entity_anchor(store, entity)}
    if not raw:
        raise ReviewError(f"{name} needs a value")
    return raw


def parse_date(text: str) -> DateSpan:
    """'2026', '2026-01', '2026-01-20', 'START..END' or 'unknown' as a span with precision."""
    text = text.strip()
    if text == "unknown":
        return DateSpan(None, None, "unknown", "")
    if ".." in text:
        first, last = (part.strip() for part in text.split("..", 1))
        start, end = parse_date(first), parse_date(last)
        if start.start is None or end.end is None or end.end < start.start:
            raise ReviewError(f"unreadable date range {text!r}")
        return DateSpan(start.start, end.end, "range", text)
    if not _DAY.match(text):
        raise ReviewError(f"unreadable date {text!r}: use YYYY, YYYY-MM, YYYY-MM-DD or A..B")
    parts = [int(p) for p in text.split("-")]
    try:
        if len(parts) == 1:
            return DateSpan(f"{parts[0]:04d}-01-01", f"{parts[0]:04d}-12-31", "year", text)
        last = calendar.monthrange(parts[0], parts[1])[1]
        if len(parts) == 2:
            return DateSpan(f"{text}-01", f"{text}-{last:02d}", "month", text)
        day = date(*parts).isoformat()
    except ValueError as exc:
        raise ReviewError(f"unreadable date {text!r}: {exc}") from exc
    return DateSpan(day, day, "day", text)


def find_entity(store: Store, id_or_name: str, kind: str) -> str | None:
    row = store.conn.execute(
        "SELECT id FROM entities WHERE type = ? AND (id = ? OR lower(name) = lower(?))"
        " ORDER BY mention_count DESC", (kind, id_or_name, id_or_name)).fetchone()
    return row[0] if row else None


def _row(store: Store, table: str, ident: str) -> dict[str, Any] | None:
    row = store.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (ident,)).fetchone()
    return dict(row) if row else None


def event_anchor(store: Store, event: dict[str, Any]) -> list[list[Any]]:
    """(document, start, end, machine type) of every event mention merged into the event."""
    data = json.loads(event["data"])
    wanted = set(data.get("sources", []))
    docs = sorted({s.rsplit(":", 1)[0] for s in wanted})
    anchor = []
    for doc in docs:
        row = store.conn.execute("SELECT data FROM analyses WHERE document = ?", (doc,))
        found = row.fetchone()
        for mention in json.loads(found[0]).get("events", []) if found else []:
            if mention["id"] in wanted:
                ev = mention["evidence"]
                anchor.append([ev["document"], ev["start"], ev["end"], mention["type"]])
    return sorted(anchor)


def entity_anchor(store: Store, entity_id: str) -> list[list[Any]]:
    rows = store.conn.execute('SELECT document, start, "end" FROM mentions WHERE entity = ?'
                              " ORDER BY document, start", (entity_id,))
    return [list(r) for r in rows]


# ---- applying ----------------------------------------------------------------------------


def relink(store: Store, force: bool = False) -> str | None:
    """Link the stored analyses, apply every decision and save; the error text or None.
    Documents added to a linked store without review decisions are linked incrementally
    (the same result); `force` always relinks everything."""
    if not (force or store.dirty):
        return None
    try:
        if not force and _linked_incrementally(store):
            return None
        analyses = list(store.analyses())
        previous = store.story_of_documents()
        corpus = apply_reviews(analyses, link(analyses, previous), store.reviews())
        keep_stories(corpus, previous)
        store.save_corpus(corpus, analyses)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _linked_incrementally(store: Store) -> bool:
    """Link only what the new documents touch (dossier/incremental.py) when that can be done;
    an increment that fails leaves the store as it was, and the full relink runs instead."""
    try:
        return store.link_increment()
    except Exception:  # noqa: BLE001 - the full relink is always right
        return False


def keep_stories(corpus: Corpus, previous: dict[str, str]) -> None:
    """Give the relinked stories the ids they had before (see dossier/stories/ids.py)."""
    corpus.stories, corpus.story_aliases = keep_story_ids(corpus.stories, previous)
    story_of = {d: s.id for s in corpus.stories for d in s.documents}
    for doc in corpus.documents:
        doc.story = story_of.get(doc.id)


def apply_reviews(analyses: list[Analysis], corpus: Corpus,
                  decisions: list[dict[str, Any]]) -> Corpus:
    """The linked corpus with the decisions applied: persons merged or set aside (events are
    then merged again), events confirmed, rejected or corrected, case files rebuilt without
    rejected events. Stories stay as linking made them."""
    if not decisions:
        return corpus
    mention_key = {m.id: (m.document, m.start, m.end) for a in analyses for m in a.mentions}
    entities, mention_entity = corpus.entities, corpus.mention_entity
    events, quotes = corpus.events, corpus.quotes
    people = [d for d in decisions if d["kind"] == "entity"]
    if people:
        by_id = {m.id: m for a in analyses for m in a.mentions}
        entities = _apply_entities(copy.deepcopy(entities), people, mention_key, by_id)
        mention_entity = {m: e.id for e in entities for m in e.mentions}
        events = merge_events([e for a in analyses for e in a.events], mention_entity)
        quotes = [Quote(q.id, q.document, q.start, q.end, q.text,
                        mention_entity.get(q.speaker) if q.speaker else None)
                  for a in analyses for q in a.quotes]
    source_key = {e.id: (e.evidence.document, e.evidence.start, e.evidence.end, e.type)
                  for a in analyses for e in a.events}
    holder = _holders(entities, mention_key)
    on_events = [d for d in decisions if d["kind"] == "event"]
    for event in events:
        keys = {source_key[s] for s in event.sources if s in source_key}
        mine = [d for d in on_events if keys & {tuple(a) for a in d["anchor"]}]
        if mine:
            _apply_event(event, mine, holder)
    kept = [e for e in events if e.review.state != "rejected"]
    persons = [e for e in entities if e.review.state != "rejected"]
    cases = build_cases(kept, persons)
    return Corpus(corpus.documents, entities, events, cases, corpus.claims, quotes,
                  corpus.stories, mention_entity, corpus.mentions)


def _holders(entities: list[Entity], mention_key: dict[str, Key]) -> dict[Key, Entity]:
    return {mention_key[m]: e for e in entities for m in e.mentions if m in mention_key}


def _held(anchor: list[list[Any]], holder: dict[Key, Entity]) -> list[Entity]:
    """Entities holding any anchored mention, those holding the most first."""
    counts: Counter[str] = Counter()
    found: dict[str, Entity] = {}
    for key in anchor:
        entity = holder.get(tuple(key))
        if entity is not None:
            counts[entity.id] += 1
            found[entity.id] = entity
    return [found[i] for i, _ in counts.most_common()]


def _verdict(decision: dict[str, Any], state: str, corrected: list[str],
             before: Review) -> Review:
    return Review(state, decision["analyst"], decision["at"],  # type: ignore[arg-type]
                  decision["note"] or before.note, corrected)


def _apply_entities(entities: list[Entity], decisions: list[dict[str, Any]],
                    mention_key: dict[str, Key], mentions: dict[str, Mention]) -> list[Entity]:
    for d in decisions:
        holder = _holders(entities, mention_key)
        sources = _held(d["anchor"], holder)
        if d["action"] == "split":
            keys = {tuple(a) for a in d["anchor"]}
            for entity in sources:
                part = _split(entity, keys, mention_key, mentions, d)
                if part is not None:
                    entities.append(part)
            continue
        if d["action"] == "not_a_person":
            for entity in sources:
                entity.review = _verdict(d, "rejected", ["not_a_person"], entity.review)
            continue
        targets = _held(d["value"].get("anchor", []), holder)
        if not targets:
            continue
        target = targets[0]
        for entity in sources:
            if entity is not target:
                _absorb(target, entity)
                entities.remove(entity)
        target.review = _verdict(d, "corrected", sorted({*target.review.corrected, "merged"}),
                                 target.review)
    return entities


def _split(entity: Entity, keys: set[Key], mention_key: dict[str, Key],
           mentions: dict[str, Mention], decision: dict[str, Any]) -> Entity | None:
    """The anchored mentions of `entity` as a new person (None when that would leave one
    side empty); both sides' name variants are counted again from their mentions."""
    moved = [m for m in entity.mentions if mention_key.get(m) in keys]
    if not moved or len(moved) == len(entity.mentions):
        return None
    entity.mentions = [m for m in entity.mentions if m not in moved]
    entity.variants = _variants_of(entity.mentions, mentions)
    found = [mentions[m] for m in moved if m in mentions]
    name = max((m.latin for m in found), key=len, default=entity.name)
    return Entity(f"{entity.id}~{decision['value']['document'][:8]}", "person", name,
                  _variants_of(moved, mentions), None, moved,
                  review=_verdict(decision, "corrected", ["split"], Review()))


def _variants_of(ids: list[str], mentions: dict[str, Mention]) -> list[Variant]:
    counts = Counter((mentions[m].base, mentions[m].language) for m in ids if m in mentions)
    return [Variant(text, lang, n) for (text, lang), n in counts.most_common()]


def _absorb(target: Entity, other: Entity) -> None:
    target.mentions = sorted({*target.mentions, *other.mentions})
    counts = Counter({(v.text, v.language): v.count for v in target.variants})
    for v in other.variants:
        counts[(v.text, v.language)] += v.count
    target.variants = [Variant(t, lang, n) for (t, lang), n in counts.most_common()]
    target.roles = sorted({*target.roles, *other.roles})


def _apply_event(event: Event, decisions: list[dict[str, Any]],
                 holder: dict[Key, Entity]) -> None:
    review = event.review
    for d in decisions:
        if d["action"] == "reject":
            review = _verdict(d, "rejected", review.corrected, review)
        elif d["action"] == "confirm":
            state = "corrected" if review.corrected else "confirmed"
            review = _verdict(d, state, review.corrected, review)
        else:
            fields = d["value"].get("fields", {})
            for name, value in fields.items():
                _set(event, name, value, holder)
            review = _verdict(d, "corrected", sorted({*review.corrected, *fields}), review)
    event.review = review


def _set(event: Event, name: str, value: Any, holder: dict[Key, Entity]) -> None:
    if name == "date":
        event.date = parse_date(value)
    elif name in ("subject", "place"):
        found = _held(value.get("anchor", []), holder)
        if found:
            setattr(event, name, found[0].id)
            if name == "subject":
                event.group = None
    elif name in ("charge", "years_min", "years_max"):
        event.attributes[name] = value
    else:
        setattr(event, name, value)
