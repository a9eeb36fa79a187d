"""Incremental linking: new documents update only what they touch.

A full link (`pipeline.link`) recomputes every cross-document result from every analysis. Once
a store has been linked, `link_new` links the documents stored since from compact inputs kept
per document (tables of migration 5, written by `input_rows` when a document is first linked):

- entities: the new mentions' name-blocking keys (`resolve.name_key`), closed under the keys a
  lone given name links in one document (`resolve.given_name_links`), are resolved again with
  every stored mention of those keys; entities outside them cannot change (resolution only
  compares mentions of one key, or of linked keys). Ids: a slug shared with another entity
  anywhere takes the suffix, as `resolve._unique_ids` does (`entity_slugs`).
- events and cases: the events of every subject whose entity changed, or whose place or agent
  did, are merged again from all their event mentions; case files of those persons rebuilt.
- quotes whose speaker changed; claims grouped again (small); stories: the new documents are
  scored against the story index kept in the store (dossier/stories/stored.py: story sums,
  keys, key counts; migration 6), as a full relink with known stories scores them against
  the index it restores; only the stories holding a new or changed document are read (their
  members' titles, dates, entities and events), written again, and their index rows updated.

The result is the full relink's (tests/test_incremental.py compares the exports). Review
decisions are applied by a full relink (`review.relink` falls back to it), as is a store whose
inputs were made by other resolution data or code (`INPUTS_VERSION`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier import claims as claim_stage
from dossier.cases import build_cases, merge_events
from dossier.diskcache import _fingerprint
from dossier.entities.resolve import (
    base_id,
    given_name_links,
    group_entities,
    name_key,
    told_apart,
)
from dossier.model import (
    Analysis,
    ClaimMention,
    Document,
    Entity,
    Event,
    EventMention,
    Mention,
    Quote,
    Story,
    from_dict,
)
from dossier.stories.cluster import analysis_keys, story_of_members
from dossier.stories.features import Features, day_of, decode_vector
from dossier.stories.ids import keep_story_ids
from dossier.stories.index import order_key
from dossier.stories.stored import StoredIndex, row_tuples
from dossier.stories.titles import Members


def _version() -> str:
    """What the stored inputs and linked results were made by: the resolution data and code
    (the disk cache's fingerprint) and the code that links them; a change means a full
    relink."""
    digest = hashlib.sha256(_fingerprint().encode())
    package = Path(__file__).resolve().parent
    for name in ("cases.py", "claims.py", "incremental.py", "pipeline.py", "stories"):
        for path in sorted((package / name).rglob("*.py")) if name == "stories" else [
                package / name]:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


INPUTS_VERSION = _version()
MAX_NEW = 500  # more new documents than this: a full relink (one pass is then as cheap)
CHUNK = 900  # SQLite's bound on parameters per statement is 999 on old builds


@dataclass
class Increment:
    """What `link_new` changes: SQL statements with their parameter rows, applied in order
    inside one write transaction (`Store.save_increment`)."""

    version: str  # the store's `linked` counter when the increment was computed
    statements: list[tuple[str, list[tuple]]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # the documents it links

    def add(self, sql: str, rows: Iterable[tuple]) -> None:
        rows = list(rows)
        if rows:
            self.statements.append((sql, rows))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# ---- per-document inputs -------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """`model.to_dict` without its deep copies (ten times faster; the same JSON), for the input
    tables and the rows an increment writes."""
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(v) for k, v in vars(value).items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def input_rows(analysis: Analysis) -> dict[str, list[tuple]]:
    """The rows of migration 5's input tables for one analysed document."""
    doc = analysis.document
    slim = _plain(doc) | {"text": ""}
    story = {"document": slim, "vector": analysis.vector, "keys": analysis_keys(analysis)}
    events = analysis.events
    return {
        "link_docs": [(doc.id, _json(story),
                       _json([[m.id, m.type] for m in analysis.mentions]))],
        "name_keys": [(m.id, name_key(m), doc.id, _json(_plain(m))) for m in analysis.mentions],
        "name_links": [(a, b, doc.id) for a, b in sorted(given_name_links(analysis.mentions))],
        "event_inputs": [(e.id, doc.id, n, e.subject, e.type, int(e.status == "possible"),
                          _json(_plain(e))) for n, e in enumerate(events)],
        "event_refs": sorted({(ref, e.id) for e in events
                              for ref in (e.subject, e.place, *e.agents) if ref}),
        "quote_inputs": [(q.id, doc.id, q.speaker, _json(_plain(q))) for q in analysis.quotes],
        "claim_inputs": [(c.id, doc.id, _json(_plain(c))) for c in analysis.claims],
    }


INPUT_TABLES = ("link_docs", "name_keys", "name_links", "event_inputs", "event_refs",
                "quote_inputs", "claim_inputs")


# ---- reading -------------------------------------------------------------------------------


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = list(values)
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def _select_in(conn: sqlite3.Connection, sql: str, values: Iterable[Any],
               first: tuple = ()) -> list[tuple]:
    """`sql` with one `IN (?)` placeholder run over `values` in chunks (after the parameters
    `first` of the placeholders before it)."""
    out: list[tuple] = []
    for chunk in _chunks(sorted(set(values))):
        marks = ",".join("?" * len(chunk))
        out += [tuple(r) for r in conn.execute(sql.replace("(?)", f"({marks})"),
                                               [*first, *chunk])]
    return out


def unlinked_documents(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT id FROM documents WHERE id NOT IN"
                        " (SELECT document FROM link_docs) ORDER BY id")
    return [r[0] for r in rows]


# ---- linking -------------------------------------------------------------------------------


@dataclass
class _State:
    """What the increment has worked out so far."""

    conn: sqlite3.Connection
    new: list[Analysis]
    entities: dict[str, Entity] = field(default_factory=dict)  # re-resolved, by id
    removed: set[str] = field(default_factory=set)  # entity ids that no longer exist
    mention_entity: dict[str, str] = field(default_factory=dict)  # re-resolved mentions
    # mentions whose entity is another, or was renamed (all new mentions among them)
    remapped: set[str] = field(default_factory=set)
    changed_persons: set[str] = field(default_factory=set)  # their stored row differs
    old_events: set[str] = field(default_factory=set)

    def entity_of(self, mentions: Iterable[str]) -> dict[str, str]:
        """Mention id -> entity id, re-resolved ones first, else as stored."""
        wanted = set(mentions)
        out = {m: self.mention_entity[m] for m in wanted if m in self.mention_entity}
        rest = wanted - set(out)
        for mention, entity in _select_in(
                self.conn, "SELECT id, entity FROM mentions WHERE id IN (?)", rest):
            if entity:
                out[mention] = entity
        return out


class NeedsFullRelink(Exception):
    """The increment met a case it does not settle exactly; a full relink does."""


def link_new(conn: sqlite3.Connection, new: list[Analysis], version: str) -> Increment:
    """The changes that link `new` (analyses not linked yet) into the linked store."""
    state = _State(conn, new)
    inc = Increment(version, documents=[a.document.id for a in new])
    _link_entities(state, inc)
    events, touched_docs = _link_events(state, inc)
    _link_quotes(state, inc)
    _link_claims(state, inc)
    _link_stories(state, inc, events, touched_docs)
    for analysis in new:
        for table, rows in input_rows(analysis).items():
            if rows:
                marks = ",".join("?" * len(rows[0]))
                inc.add(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)
    return inc


def _link_entities(state: _State, inc: Increment) -> None:
    conn, new_mentions = state.conn, [m for a in state.new for m in a.mentions]
    links: set[tuple[str, str]] = set()
    for analysis in state.new:
        links |= given_name_links(analysis.mentions)
    closure: set[str] = set()
    frontier = {name_key(m) for m in new_mentions}
    while frontier:
        closure |= frontier
        reached = {b for a, b in links if a in frontier} | {a for a, b in links if b in frontier}
        reached |= {r[0] for r in _select_in(conn, "SELECT b FROM name_links WHERE a IN (?)",
                                             frontier)}
        reached |= {r[0] for r in _select_in(conn, "SELECT a FROM name_links WHERE b IN (?)",
                                             frontier)}
        frontier = reached - closure
    stored = [from_dict(Mention, json.loads(r[0])) for r in _select_in(
        conn, "SELECT data FROM name_keys WHERE key IN (?)", closure)]
    old_of = {r[0]: r[1] for r in _select_in(
        conn, "SELECT id, entity FROM mentions WHERE id IN (?)", [m.id for m in stored])}
    old_ids = {e for e in old_of.values() if e}
    groups = group_entities(stored + new_mentions)
    renamed = _assign_ids(conn, groups, old_ids)
    from dossier.store import _search_text

    old_rows = {r[0]: tuple(r) for r in _select_in(
        conn, "SELECT * FROM entities WHERE id IN (?)", old_ids | set(renamed))}
    rows = []
    for entity in [*groups, *renamed.values()]:
        state.entities[entity.id] = entity
        row = (entity.id, entity.type, entity.name, entity.country, len(entity.mentions),
               _search_text(entity), _json(_plain(entity)))
        old = old_rows.get(entity.id)
        if row != old:
            rows.append(row)
            if entity.type == "person":
                state.changed_persons.add(entity.id)
        renamed_here = old is None or old[2] != entity.name
        for m in entity.mentions:
            state.mention_entity[m] = entity.id
            if renamed_here or old_of.get(m) != entity.id:
                state.remapped.add(m)
    state.removed = (old_ids | set(renamed)) - set(state.entities)
    inc.add("DELETE FROM entities WHERE id = ?", [(i,) for i in sorted(state.removed)])
    inc.add("DELETE FROM entity_slugs WHERE entity = ?", [(i,) for i in sorted(state.removed)])
    inc.add("INSERT OR REPLACE INTO entities VALUES (?,?,?,?,?,?,?)", sorted(rows))
    inc.add("INSERT OR REPLACE INTO entity_slugs VALUES (?, ?)",
            sorted((e.id, base_id(e)) for e in state.entities.values()))
    by_id = {m.id: m for m in stored + new_mentions}
    inc.add("INSERT OR REPLACE INTO mentions VALUES (?,?,?,?,?,?,?)",
            [(m.id, m.document, state.mention_entity[m.id], m.start, m.end, m.text, m.type)
             for m in (by_id[i] for i in sorted(state.remapped) if i in by_id)])
    inc.add("UPDATE mentions SET entity = ? WHERE entity = ?",
            [(e.id, old) for old, e in sorted(renamed.items())])


def _assign_ids(conn: sqlite3.Connection, groups: list[Entity],
                old_ids: set[str]) -> dict[str, Entity]:
    """Give `groups` (ids still their slugs) their final ids; the stored entities whose id
    changes because a slug became shared or unshared, old id -> entity with the new id."""
    bases = {e.id for e in groups} | {r[0] for r in _select_in(
        conn, "SELECT slug FROM entity_slugs WHERE entity IN (?)", old_ids)}
    others = [(entity, slug) for entity, slug in _select_in(
        conn, "SELECT entity, slug FROM entity_slugs WHERE slug IN (?)", bases)
        if entity not in old_ids]
    count: dict[str, int] = defaultdict(int)
    for e in groups:
        count[e.id] += 1
    for _, slug in others:
        count[slug] += 1
    for e in groups:
        if count[e.id] > 1:
            e.id = told_apart(e.id, min(e.mentions))
    renamed: dict[str, Entity] = {}
    for entity, slug in others:
        if (entity == slug) == (count[slug] == 1):
            continue  # a suffix, when needed, comes from its first mention: unchanged
        [row] = conn.execute("SELECT data FROM entities WHERE id = ?", (entity,)).fetchall()
        moved = from_dict(Entity, json.loads(row[0]))
        moved.id = told_apart(slug, min(moved.mentions)) if count[slug] > 1 else slug
        renamed[entity] = moved
    return renamed


def _who(m: EventMention, mention_entity: dict[str, str]) -> str:
    """The subject key `merge_events` groups an event mention under."""
    if m.subject is not None:
        return mention_entity.get(m.subject, m.subject)
    return f"group:{m.document}:{(m.group or '').lower()}"


GroupKey = tuple[str, str, bool]  # (subject key, event type, possible): a merge_events group


def _group(m: EventMention, mention_entity: dict[str, str]) -> GroupKey:
    return (_who(m, mention_entity), m.type, m.status == "possible")


_INPUTS = "SELECT id, document, ordinal, data FROM event_inputs WHERE "
Inputs = dict[str, tuple[str, int, EventMention]]  # id -> (document, ordinal, mention)


def _load_events(conn: sqlite3.Connection, sql: str, values: Iterable[Any],
                 first: tuple = ()) -> Inputs:
    return {r[0]: (r[1], r[2], from_dict(EventMention, json.loads(r[3])))
            for r in _select_in(conn, _INPUTS + sql, values, first)}


def _group_inputs(state: _State, key: GroupKey) -> Inputs:
    """Every stored event mention of one merge_events group, as the mentions now resolve."""
    who, kind, possible = key
    first = (kind, int(possible))
    if who.startswith("group:"):
        found = _load_events(state.conn, "type = ? AND possible = ? AND subject IS NULL"
                             " AND document IN (?)", [who.split(":", 2)[1]], first)
        return {k: v for k, v in found.items() if _who(v[2], {}) == who}
    if who in state.entities:
        mentions = list(state.entities[who].mentions)
    else:
        mentions = [r[0] for r in state.conn.execute(
            "SELECT id FROM mentions WHERE entity = ?", (who,))]
    mentions.append(who)  # a subject no entity holds is keyed on its own mention id
    return _load_events(state.conn, "type = ? AND possible = ? AND subject IN (?)", mentions,
                        first)


def _link_events(state: _State, inc: Increment) -> tuple[list[Event], set[str]]:
    """Merge again every merge_events group touched: those of the new event mentions, of
    event mentions naming a remapped mention (subject, place or agent), and the groups their
    stored events were in; rebuild the case files of their persons and of persons whose
    entity changed. Returns the new events and the documents whose events changed."""
    conn = state.conn
    seed: Inputs = {}
    for analysis in state.new:
        for n, e in enumerate(analysis.events):
            seed[e.id] = (analysis.document.id, n, e)
    referring = [r[0] for r in _select_in(
        conn, "SELECT input FROM event_refs WHERE mention IN (?)", state.remapped)]
    seed |= _load_events(conn, "id IN (?)", referring)
    subjects = state.entity_of(m.subject for _, _, m in seed.values() if m.subject)
    keys = {_group(m, subjects) for _, _, m in seed.values()}
    inputs: Inputs = dict(seed)
    done: set[GroupKey] = set()
    while keys - done:  # the groups the replaced events were in are merged again too
        for key in sorted(keys - done):
            inputs |= _group_inputs(state, key)
            done.add(key)
        state.old_events = {r[0] for r in _select_in(
            conn, "SELECT DISTINCT event FROM event_of WHERE input IN (?)", inputs)}
        keys |= {(r[1], r[2], r[3] == "possible") for r in _select_in(
            conn, "SELECT id, subject, type, status FROM events WHERE subject IS NOT NULL"
            " AND id IN (?)", state.old_events)}
    ordered = [m for _, _, m in sorted(inputs.values(), key=lambda v: (v[0], v[1]))]
    refs = {r for m in ordered for r in (m.subject, m.place, *m.agents) if r}
    events = merge_events(ordered, state.entity_of(refs))
    touched_docs = {r[0] for r in _select_in(
        conn, "SELECT document FROM event_documents WHERE event IN (?)", state.old_events)}
    touched_docs |= {ev.document for e in events for ev in e.evidence}
    from dossier.store import _case_rows

    gone = sorted(state.old_events)
    inc.add("DELETE FROM events WHERE id = ?", [(i,) for i in gone])
    inc.add("DELETE FROM event_documents WHERE event = ?", [(i,) for i in gone])
    # as `store._event_rows` writes them (an event of a subject in thousands of articles has
    # thousands of evidence entries: `_plain`, not `to_dict`)
    inc.add("INSERT OR REPLACE INTO events VALUES (?,?,?,?,?,?,?)",
            [(e.id, e.type, e.status, e.subject, e.date.start, e.date.end, _json(_plain(e)))
             for e in events])
    inc.add("INSERT INTO event_documents VALUES (?, ?)",
            sorted({(e.id, ev.document) for e in events for ev in e.evidence}))
    inc.add("INSERT OR REPLACE INTO event_of VALUES (?, ?)",
            sorted((s, e.id) for e in events for s in e.sources))
    # case files of the persons whose events (or entity) changed, with their other events
    persons = {who for who, _, _ in done if not who.startswith("group:")}
    persons |= state.changed_persons | state.removed
    inc.add("DELETE FROM cases WHERE person = ?", [(p,) for p in sorted(persons)])
    kept = [from_dict(Event, json.loads(r[1])) for r in _select_in(
        conn, "SELECT id, data FROM events WHERE subject IN (?)", persons - state.removed)
        if r[0] not in state.old_events]
    theirs = [e for e in events if e.subject in persons] + kept
    places = {e.place for e in theirs if e.place}
    places |= {p for e in theirs for p in e.attributes.get("variants", {}).get("place", {})}
    entities = _entities(state, {e.subject for e in theirs if e.subject})
    # of places a case file reads only the name
    entities += [Entity(i, kind, name, [], None, []) for i, (name, kind)
                 in _names(state, places - {e.id for e in entities}).items()]
    from dossier.corpus import Corpus

    corpus = Corpus(entities=entities, events=theirs, cases=build_cases(theirs, entities))
    names = {e.id: e.name for e in entities}
    inc.add("INSERT OR REPLACE INTO cases VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            _case_rows(corpus, names))
    return events, touched_docs


def _entities(state: _State, ids: set[str]) -> list[Entity]:
    """The entities with these ids: changed ones as linked now, others as stored."""
    found = [state.entities[i] for i in ids if i in state.entities]
    rest = {i for i in ids if i not in state.entities and i not in state.removed}
    found += [from_dict(Entity, json.loads(r[0])) for r in _select_in(
        state.conn, "SELECT data FROM entities WHERE id IN (?)", rest)]
    return found


def _link_quotes(state: _State, inc: Increment) -> None:
    quotes = [q for a in state.new for q in a.quotes]
    quotes += [from_dict(Quote, json.loads(r[0])) for r in _select_in(
        state.conn, "SELECT data FROM quote_inputs WHERE speaker IN (?)", state.remapped)]
    rows = []
    for q in quotes:
        linked = Quote(q.id, q.document, q.start, q.end, q.text,
                       state.mention_entity.get(q.speaker) if q.speaker else None)
        rows.append((q.id, q.document, linked.speaker, _json(_plain(linked))))
    inc.add("INSERT OR REPLACE INTO quotes VALUES (?,?,?,?)", sorted(rows))


def _link_claims(state: _State, inc: Increment) -> None:
    """Claims are grouped again whole (few, and they read no entity): only the differences are
    written."""
    mentions = [from_dict(ClaimMention, json.loads(r[0]))
                for r in state.conn.execute("SELECT data FROM claim_inputs")]
    mentions += [c for a in state.new for c in a.claims]
    wanted = {(c.id, c.about, _json(_plain(c))) for c in claim_stage.group_claims(mentions)}
    stored = {tuple(r) for r in state.conn.execute("SELECT id, about, data FROM claims")}
    gone = {r[0] for r in stored - wanted} - {r[0] for r in wanted - stored}
    inc.add("DELETE FROM claims WHERE id = ?", [(i,) for i in sorted(gone)])
    inc.add("INSERT OR REPLACE INTO claims VALUES (?,?,?)", sorted(wanted - stored))


# ---- stories -------------------------------------------------------------------------------


@dataclass
class _Doc:
    """What story clustering reads of one document."""

    document: Document
    vector: str | None
    keys: dict[str, float]


def _link_stories(state: _State, inc: Increment, events: list[Event],
                  touched_docs: set[str]) -> None:
    """Score the new documents into the stored story index (dossier/stories/stored.py), with
    the entity keys of documents whose mentions moved brought up to date first; rebuild the
    stories holding a new or changed document, and their index rows."""
    row = state.conn.execute("SELECT value FROM meta WHERE key = 'story_index'").fetchone()
    if not row or row[0] != INPUTS_VERSION:
        raise NeedsFullRelink("the store has no story index made by this code")
    try:
        _score_stories(state, inc, events, touched_docs)
    except LookupError as exc:  # a changed document in no stored story
        raise NeedsFullRelink(str(exc)) from exc


def _score_stories(state: _State, inc: Increment, events: list[Event],
                   touched_docs: set[str]) -> None:
    conn = state.conn
    new_ids = {a.document.id for a in state.new}
    event_docs = {e.id: {ev.document for ev in e.evidence} for e in events}
    doc_new_events: dict[str, set[str]] = defaultdict(set)
    for e in events:
        for doc_id in event_docs[e.id]:
            doc_new_events[doc_id].add(e.id)

    def story_events(story: str) -> set[str]:
        """A stored story's event ids as they are now."""
        stored = {r[0] for r in conn.execute(
            "SELECT DISTINCT e.event FROM documents d JOIN event_documents e"
            " ON e.document = d.id WHERE d.story = ?", (story,))}
        now = {e for doc_id, story_id in index.doc_story.items() if story_id == story
               for e in doc_new_events.get(doc_id, ())}
        return (stored - state.old_events) | now

    index = StoredIndex(conn, event_docs, story_events)
    index.new_documents = new_ids
    remapped_docs = {m.rsplit(":", 1)[0] for m in state.remapped}
    index.story_of_document((remapped_docs | touched_docs | set(doc_new_events)) - new_ids)
    # entities of each document whose mentions moved: as stored, and as linked now
    stored_entities: dict[str, set[str]] = defaultdict(set)
    for doc_id, entity in _select_in(conn, "SELECT DISTINCT document, entity FROM mentions"
                                     " WHERE document IN (?)", remapped_docs - new_ids):
        if entity:
            stored_entities[doc_id].add(entity)
    mention_lists = _mention_lists(state, remapped_docs)
    current = state.entity_of(m for ids in mention_lists.values() for m, _ in ids)
    now_entities = {d: {current[m] for m, _ in mention_lists.get(d, []) if m in current}
                    for d in remapped_docs}
    for doc_id in sorted(remapped_docs - new_ids):
        index.change_entities(doc_id, stored_entities[doc_id] - now_entities[doc_id],
                              now_entities[doc_id] - stored_entities[doc_id])
    docs = {a.document.id: _Doc(a.document, a.vector, analysis_keys(a)) for a in state.new}
    new_features = [_features(docs[i], now_entities.get(i, set()), doc_new_events.get(i, set()))
                    for i in sorted(new_ids)]
    for f in sorted(new_features, key=order_key):
        index.add(f, docs[f.id].keys)
    roots = sorted({index.find(index.row_for(d)) for d in new_ids | remapped_docs | touched_docs})
    parts = {root: index.parts(root) for root in roots}
    old_stories = sorted({s for stored, _ in parts.values() for s in stored})
    # the members of those stories, as stored, and what their titles read
    documents = {a.document.id: a.document for a in state.new}
    previous: dict[str, str] = {}
    for r in _select_in(conn, "SELECT id, story, title, language, published, published_basis,"
                        " source FROM documents WHERE story IN (?)", old_stories):
        documents[r[0]] = Document(id=r[0], source=r[6], title=r[2], language=r[3],
                                   declared_language=None, published=r[4],
                                   published_basis=r[5], text="")
        previous[r[0]] = r[1]
    # (entity, mention type) of documents whose mentions moved: as stored and as linked now
    moved: dict[str, tuple[set[tuple[str, str]], set[tuple[str, str]]]] = {
        d: (set(), {(current[m], kind) for m, kind in mention_lists.get(d, []) if m in current})
        for d in remapped_docs}
    for doc_id, entity, kind in _select_in(conn, "SELECT DISTINCT document, entity, type FROM"
                                           " mentions WHERE document IN (?)",
                                           remapped_docs - new_ids):
        if entity:
            moved[doc_id][0].add((entity, kind))
    groups = []
    for root in roots:
        stored, new = parts[root]
        ids = [d for d, story in previous.items() if story in set(stored)] + new
        groups.append((sorted(ids, key=lambda i: _order_of(documents[i])), stored))
    stories = _stories(state, groups, documents, moved, doc_new_events, events)
    stories, aliases = keep_story_ids(stories, previous)
    untouched = set(_select_in(conn, "SELECT story FROM story_index WHERE story IN (?)",
                               {s.id for s in stories} - set(old_stories)))
    if untouched:
        raise NeedsFullRelink("a story id clashes with an untouched story's")
    inc.add("DELETE FROM stories WHERE id = ?", [(i,) for i in old_stories])
    inc.add("INSERT OR REPLACE INTO stories VALUES (?,?,?,?,?,?)",
            [(s.id, s.title, s.start, s.end, len(s.documents), _json(_plain(s)))
             for s in stories])
    inc.add("UPDATE documents SET story = ? WHERE id = ?",
            [(s.id, d) for s in stories for d in s.documents if previous.get(d) != s.id])
    inc.add("INSERT OR REPLACE INTO story_aliases VALUES (?, ?)", sorted(aliases.items()))
    inc.add("DELETE FROM story_aliases WHERE old = ?", [(s.id,) for s in stories])
    story_id = {s.documents[0]: s.id for s in stories}
    _write_index(state, inc, index, {root: story_id[ids[0]] for root, (ids, _) in zip(
        roots, groups, strict=True)})


def _write_index(state: _State, inc: Increment, index: StoredIndex,
                 story_id: dict[int, str]) -> None:
    """The index rows of the rebuilt stories (only the key rows that changed) and the
    document counts of the keys that changed."""

    old_keys: dict[tuple[str, str], tuple[float, int]] = {}
    old_ids: set[str] = set()
    heads, new_keys = [], {}
    for root, story in story_id.items():
        stored, _ = index.parts(root)
        old_ids.update(stored)
        for part, old in zip(index._story(root).members.stories, stored, strict=True):  # type: ignore[attr-defined]
            old_keys |= {(old, k): v for k, v in index.stored[part].keys.items()}
        head, key_rows = row_tuples(story, index.row(root))
        heads.append(head)
        new_keys |= {(r[0], r[1]): (r[2], r[3]) for r in key_rows}
    inc.add("DELETE FROM story_index WHERE story = ?", [(i,) for i in sorted(old_ids)])
    inc.add("INSERT OR REPLACE INTO story_index VALUES (?,?,?,?)", heads)
    inc.add("DELETE FROM story_keys WHERE story = ? AND key = ?",
            sorted(k for k in old_keys if k not in new_keys))
    inc.add("INSERT OR REPLACE INTO story_keys VALUES (?,?,?,?)",
            sorted((*k, *v) for k, v in new_keys.items() if old_keys.get(k) != v))
    counts = {key: index._df(key) for key, delta in index.df_delta.items() if delta}
    inc.add("DELETE FROM key_counts WHERE key = ?",
            sorted((k,) for k, n in counts.items() if n == 0))
    inc.add("INSERT OR REPLACE INTO key_counts VALUES (?, ?)",
            sorted((k, n) for k, n in counts.items() if n))


def _order_of(document: Document) -> tuple[bool, bool, int, str]:
    day = day_of(document.published)
    dated = day is not None and document.published_basis in ("declared", "metadata")
    return (not dated, day is None, day or 0, document.id)


def _mention_lists(state: _State, documents: set[str]) -> dict[str, list[list[str]]]:
    """Document id -> [mention id, type] of its mentions."""
    rows = _select_in(state.conn, "SELECT document, mentions FROM link_docs WHERE document"
                      " IN (?)", documents)
    out = {doc_id: json.loads(data) for doc_id, data in rows}
    for a in state.new:
        if a.document.id in documents:
            out[a.document.id] = [[m.id, m.type] for m in a.mentions]
    return out


def _features(doc: _Doc, entities: set[str], events: set[str]) -> Features:
    """As `stories.features.features_of`, from the stored inputs."""
    day = day_of(doc.document.published)
    return Features(
        id=doc.document.id,
        vector=decode_vector(doc.vector) if doc.vector else _vector(doc.document),
        entities=frozenset(entities),
        events=frozenset(events),
        day=day,
        dated=day is not None and doc.document.published_basis in ("declared", "metadata"),
        language=doc.document.language,
    )


def _vector(document: Document) -> Any:
    raise NeedsFullRelink(f"document {document.id} has no stored vector")


def _stories(state: _State, groups: list[tuple[list[str], list[str]]],
             documents: dict[str, Document],
             moved: dict[str, tuple[set[tuple[str, str]], set[tuple[str, str]]]],
             doc_new_events: dict[str, set[str]], events: list[Event]) -> list[Story]:
    """The Story of each group (document ids in `order_key` order, and the stored stories it
    holds), as `stories.cluster.cluster_stories` makes it, from what its title reads of the
    documents (`titles.members_of`: how many documents name each person and place, counted by
    SQLite over the stored stories, then corrected for the documents whose mentions moved)."""
    conn = state.conn
    by_event = {e.id: e for e in events}
    made = []
    for ids, stored in groups:
        members = set(ids)
        counts: dict[str, Counter[str]] = {"person": Counter(), "location": Counter()}
        for entity, kind, n in _select_in(
                conn, "SELECT m.entity, m.type, COUNT(DISTINCT m.document) FROM documents d"
                " JOIN mentions m ON m.document = d.id WHERE d.story IN (?) AND m.entity IS NOT"
                " NULL AND m.type IN ('person', 'location') GROUP BY m.entity, m.type", stored):
            counts[kind][entity] += n
        for doc_id in sorted(members & set(moved)):
            before, now = moved[doc_id]
            for sign, names in ((-1, before), (1, now)):
                for kind, counter in counts.items():
                    counter.update({e: sign for e in {e for e, k in names if k == kind}})
        for counter in counts.values():
            for entity in [e for e, n in counter.items() if n <= 0]:
                del counter[entity]
        event_ids = {r[0] for r in _select_in(
            conn, "SELECT DISTINCT e.event FROM documents d JOIN event_documents e ON"
            " e.document = d.id WHERE d.story IN (?)", stored)} - state.old_events
        event_ids |= {e for d in members & set(doc_new_events) for e in doc_new_events[d]}
        made.append((ids, counts, event_ids))
    wanted = {e for _, _, ids in made for e in ids}
    by_event |= _title_events(conn, wanted - set(by_event))
    entity_ids = {e for _, counts, _ in made for c in counts.values() for e in c}
    named = _names(state, entity_ids | {e.subject for e in by_event.values() if e.subject})
    names = {i: name for i, (name, _) in named.items()}
    stories = []
    for ids, counts, event_ids in made:
        docs = [documents[i] for i in ids]
        english = next((d.title.strip() for d in docs if d.language == "en" and d.title
                        and d.title.strip()), None)
        first = next((d.title.strip() for d in docs if d.title and d.title.strip()), None)
        stories.append(story_of_members(
            "story-" + ids[0], docs, Members(counts["person"], counts["location"], english,
                                             first), [by_event[e] for e in sorted(event_ids)],
            names))
    return sorted(stories, key=lambda s: s.id)


def _names(state: _State, ids: set[str]) -> dict[str, tuple[str, str]]:
    """Entity id -> (name, type), changed entities as linked now, others as stored."""
    out = {i: (state.entities[i].name, state.entities[i].type)
           for i in ids if i in state.entities}
    rest = {i for i in ids if i not in out and i not in state.removed}
    out |= {r[0]: (r[1], r[2]) for r in _select_in(
        state.conn, "SELECT id, name, type FROM entities WHERE id IN (?)", rest)}
    return out


def _title_events(conn: sqlite3.Connection, ids: set[str]) -> dict[str, Event]:
    """Stored events with what a story title reads of them (not their long evidence)."""
    from dossier.model import DateSpan

    rows = _select_in(conn, "SELECT id, type, status, subject, json_extract(data,"
                      " '$.origin_country'), json_extract(data, '$.host_country')"
                      " FROM events WHERE id IN (?)", ids)
    unknown = DateSpan(None, None, "unknown", "")
    return {r[0]: Event(r[0], r[1], r[2], r[3], None, [], r[4], r[5], None, unknown, {}, [])
            for r in rows}
