"""The story index kept in the store, so that one more article is scored without reading
every document.

A full link writes, for every story, what `StoryIndex` holds of it once restored from the
store (`cluster_stories(known=...)`: documents placed in `order_key` order): its size, the exact
sum of its members' vectors (`index.exact`), its language counts and date range, the order
keys of its first and second member (the restored root), and its keys (name
keys and entity keys: highest weight among members, members with it); and for every key how
many documents have it (tables of migration 6, rows made by `index_rows`). The rows depend
only on the stories and on what is stored of each document, so an increment that keeps them
up to date leaves what a full relink would write (tests/test_incremental.py compares them).

`StoredIndex` is a `StoryIndex` whose old stories are one row each (loaded from those tables
when a new document is scored against them) and whose new documents are rows after them, as
in a restored index. Scoring, joining and merging are `StoryIndex`'s own code; ties are
settled by the rank a story's root would have in the restored index (`_rank`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from dossier.stories.features import DIM, Features
from dossier.stories.index import StoryIndex, _Story, doc_keys_of, exact, order_key

Order = tuple[bool, bool, int, str]
INDEX_TABLES = ("story_index", "story_keys", "key_counts")


def _order(value: Iterable) -> Order:
    a, b, c, d = value
    return (bool(a), bool(b), int(c), str(d))


@dataclass
class StoryRow:
    """What the store keeps of one story for the index."""

    size: int
    vector_sum: np.ndarray  # float64, exact (`index.exact`): the same in any order
    first: Order
    second: Order | None  # the root of the restored index when the story has two members
    languages: dict[str, int]
    dated: list[int]  # [first, last] firm (declared/metadata) day, or []
    inferred: list[int]
    keys: dict[str, tuple[float, int]]

    def data(self) -> str:
        return json.dumps({"first": self.first, "second": self.second,
                           "languages": self.languages, "dated": self.dated,
                           "inferred": self.inferred}, sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))


def _span(days: list[int]) -> list[int]:
    return [min(days), max(days)] if days else []


def story_row(members: list[tuple[Features, dict[str, float]]]) -> StoryRow:
    """The row of a story from its members (features and their document keys, as
    `StoryIndex._doc_keys` makes them)."""
    members = sorted(members, key=lambda m: order_key(m[0]))
    total = np.zeros(DIM, dtype=np.float64)
    for f, _ in members:
        total += exact(f.vector)
    keys: dict[str, tuple[float, int]] = {}
    languages: dict[str, int] = {}
    for f, doc_keys in members:
        languages[f.language] = languages.get(f.language, 0) + 1
        for key, weight in doc_keys.items():
            best, count = keys.get(key, (0.0, 0))
            keys[key] = (max(best, weight), count + 1)
    orders = [order_key(f) for f, _ in members]
    return StoryRow(
        size=len(members), vector_sum=total, first=orders[0],
        second=orders[1] if len(orders) > 1 else None,
        languages=dict(sorted(languages.items())),
        dated=_span([f.day for f, _ in members if f.day is not None and f.dated]),
        inferred=_span([f.day for f, _ in members if f.day is not None and not f.dated]),
        keys=keys,
    )


def row_tuples(story_id: str, row: StoryRow) -> tuple[tuple, list[tuple]]:
    """(the story_index row, the story_keys rows) of one story."""
    head = (story_id, row.size, row.vector_sum.astype("<f8").tobytes(), row.data())
    return head, [(story_id, key, w, c) for key, (w, c) in sorted(row.keys.items())]


def index_rows(stories: dict[str, list[tuple[Features, dict[str, float]]]],
               ) -> dict[str, list[tuple]]:
    """Every row of the index tables, from each story's members."""
    heads, keys = [], []
    counts: dict[str, int] = {}
    for story_id, members in sorted(stories.items()):
        head, key_rows = row_tuples(story_id, story_row(members))
        heads.append(head)
        keys += key_rows
        for _, key, _, count in key_rows:
            counts[key] = counts.get(key, 0) + count
    return {"story_index": heads, "story_keys": keys,
            "key_counts": sorted(counts.items())}


# ---- the index over stored stories -----------------------------------------------------------


class _Members:
    """The members of a story in a `StoredIndex`: stored stories (rows) and new documents
    (rows); only their number is scored."""

    def __init__(self, size: int, stories: list[int], rows: list[int]):
        self.size, self.stories, self.rows = size, stories, rows

    def __len__(self) -> int:
        return self.size

    def extend(self, other: _Members) -> None:
        self.size += other.size
        self.stories += other.stories
        self.rows += other.rows


class _Loaded(_Story):
    """A story of a `StoredIndex`. Its event ids are read only when two stories are compared
    (a new document is compared through the events' documents instead, `_events_in`)."""

    def __init__(self, members: _Members, keys: dict[str, tuple[float, int]],
                 languages: dict[str, int], dated: list[int], inferred: list[int],
                 events: set[str], loaders: list[Callable[[], set[str]]]):
        self.members = members  # type: ignore[assignment]
        self.keys, self.languages = keys, languages
        self.dated_days, self.inferred_days = dated, inferred
        self._events, self._loaders = events, loaders

    @property  # type: ignore[override]
    def events(self) -> set[str]:
        while self._loaders:
            self._events |= self._loaders.pop()()
        return self._events

    @events.setter
    def events(self, value: set[str]) -> None:
        self._events, self._loaders = value, []


class StoredIndex(StoryIndex):
    """The stories of a store, as `StoryIndex` would hold them once restored, scoring new
    documents (`add`) while reading only the stories they are compared with.

    `event_docs`: for each event id the documents now evidence for it (the events linked
    again in this increment; a new document's events are all among them). `story_events`
    gives a stored story's event ids as they are now (read only when stories are compared)."""

    def __init__(self, conn: sqlite3.Connection, event_docs: dict[str, set[str]],
                 story_events: Callable[[str], set[str]], conf: dict | None = None):
        rows = conn.execute("SELECT story, size, sum FROM story_index ORDER BY story").fetchall()
        super().__init__(conf, capacity=max(1024, len(rows) + 64))
        self.conn = conn
        self.story_ids = [r[0] for r in rows]
        self.story_row = {story: n for n, story in enumerate(self.story_ids)}
        if rows:
            self.sums[: len(rows)] = np.frombuffer(b"".join(r[2] for r in rows),
                                                   dtype="<f8").reshape(len(rows), DIM)
            self.counts[: len(rows)] = [r[1] for r in rows]
        self.parent = list(range(len(rows)))
        self.features = [None] * len(rows)  # type: ignore[list-item]
        self.old_rows = len(rows)
        self.old_documents = int(sum(r[1] for r in rows))
        self.stored: dict[int, StoryRow] = {}  # stored stories read, as they were stored
        self.df_stored: dict[str, int] = {}
        self.df_delta: dict[str, int] = {}
        self.gained: dict[str, set[int]] = {}  # key -> stored rows that gained it here
        self.doc_story: dict[str, str] = {}  # stored document -> its stored story
        self.event_docs = event_docs
        self.story_events = story_events
        self.new_documents: set[str] = set()  # set by the caller: documents to be added

    # ---- stored stories ----------------------------------------------------------------

    def story_of_document(self, doc_ids: Iterable[str]) -> None:
        """Read which stored story these documents are in."""
        wanted = sorted(set(doc_ids) - set(self.doc_story) - set(self.row_of))
        for i in range(0, len(wanted), 900):
            chunk = wanted[i:i + 900]
            marks = ",".join("?" * len(chunk))
            for doc, story in self.conn.execute(
                    f"SELECT id, story FROM documents WHERE id IN ({marks})", chunk):
                if story is None or story not in self.story_row:
                    raise LookupError(f"document {doc} has no stored story")
                self.doc_story[doc] = story

    def row_for(self, doc_id: str) -> int:
        """The row of a document: its own when new, its stored story's otherwise."""
        if doc_id in self.row_of:
            return self.row_of[doc_id]
        if doc_id not in self.doc_story:
            self.story_of_document([doc_id])
        return self.story_row[self.doc_story[doc_id]]

    def _story(self, root: int) -> _Story:
        if root not in self.stories:
            self.stories[root] = self._load(root)
        return self.stories[root]

    def _load(self, row: int) -> _Loaded:
        story = self.story_ids[row]
        size, data = self.conn.execute(
            "SELECT size, data FROM story_index WHERE story = ?", (story,)).fetchone()
        d = json.loads(data)
        keys = {key: (w, c) for key, w, c in self.conn.execute(
            "SELECT key, weight, count FROM story_keys WHERE story = ?", (story,))}
        self.stored[row] = StoryRow(
            size, self.sums[row].copy(), _order(d["first"]),
            _order(d["second"]) if d["second"] else None, d["languages"],
            d["dated"], d["inferred"], dict(keys))
        return _Loaded(_Members(size, [row], []), keys, dict(d["languages"]),
                       list(d["dated"]), list(d["inferred"]), set(),
                       [lambda: self.story_events(story)])

    def change_entities(self, doc_id: str, removed: set[str], added: set[str]) -> None:
        """A stored document now names other entities: its story's entity keys and the
        document counts of those keys follow."""
        row = self.row_for(doc_id)
        story = self._story(row)
        for entity in sorted(removed):
            key, weight = self._entity_key(entity)
            if weight <= 0:
                continue
            best, count = story.keys[key]
            if count > 1:
                story.keys[key] = (best, count - 1)
            else:
                del story.keys[key]
            self.df_delta[key] = self.df_delta.get(key, 0) - 1
        for entity in sorted(added):
            key, weight = self._entity_key(entity)
            if weight <= 0:
                continue
            best, count = story.keys.get(key, (0.0, 0))
            story.keys[key] = (max(best, weight), count + 1)
            self.gained.setdefault(key, set()).add(row)
            self.df_delta[key] = self.df_delta.get(key, 0) + 1

    def _entity_key(self, entity: str) -> tuple[str, float]:
        keys = doc_keys_of(Features(id="", vector=np.zeros(0), entities=frozenset([entity])),
                           None, self.entity_weights)
        return "e:" + entity, keys.get("e:" + entity, 0.0)

    # ---- what StoryIndex asks --------------------------------------------------------------

    def _documents(self) -> int:
        return self.old_documents + len(self.parent) - self.old_rows

    def _rank(self, root: int) -> object:
        """A stored story ranks by its restored root (its second member, or its only one),
        ahead of every new row, as rows are laid out when a store's index is restored."""
        if root >= self.old_rows:
            return (1, root)
        self._story(root)
        stored = self.stored[root]
        return (0, stored.second or stored.first)

    def _df(self, key: str) -> int:
        if key not in self.df_stored:
            row = self.conn.execute("SELECT documents FROM key_counts WHERE key = ?",
                                    (key,)).fetchone()
            self.df_stored[key] = row[0] if row else 0
        return self.df_stored[key] + self.df_delta.get(key, 0)

    def _key_roots(self, key: str) -> set[int]:
        roots = {self.find(r) for r in self.postings.get(key, ())}
        rows = [self.story_row[r[0]] for r in self.conn.execute(
            "SELECT story FROM story_keys WHERE key = ?", (key,))]
        for row in [*rows, *self.gained.get(key, ())]:
            root = self.find(row)
            # a story read here is current; one not read is as stored
            if root not in self.stories or key in self.stories[root].keys:
                roots.add(root)
        return roots

    def _event_candidates(self, events: frozenset[str]) -> set[int]:
        return {self.find(r) for event in events for r in self._event_rows(event)}

    def _event_rows(self, event: str) -> set[int]:
        rows = set(self.event_rows.get(event, ()))
        # new documents count once added (in `event_rows`), as in a restored index
        docs = [d for d in self.event_docs.get(event, ())
                if d not in self.row_of and d not in self.new_documents]
        self.story_of_document(docs)
        return rows | {self.story_row[self.doc_story[d]] for d in docs}

    def score(self, f: Features, doc_keys: dict[str, float], root: int) -> float:
        self._scoring = (f.events, root)
        try:
            return super().score(f, doc_keys, root)
        finally:
            del self._scoring

    def _shared_events(self, a: _Story, b: _Story) -> int:
        scoring = getattr(self, "_scoring", None)
        if scoring is None:  # two stories compared: their event ids
            return super()._shared_events(a, b)
        events, root = scoring  # a new document: the stories its events are in
        return sum(1 for e in events if any(self.find(r) == root for r in self._event_rows(e)))

    def _insert(self, f: Features, doc_keys: dict[str, float]) -> int:
        row = super()._insert(f, doc_keys)
        single = self.stories[row]
        self.stories[row] = _Loaded(_Members(1, [], [row]), single.keys, single.languages,
                                    single.dated_days, single.inferred_days, set(f.events), [])
        for key in doc_keys:
            self.df_delta[key] = self.df_delta.get(key, 0) + 1
        return row

    def _union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a == b:
            return
        big, small = (a, b) if self.counts[a] >= self.counts[b] else (b, a)
        target, source = self._story(big), self._story(small)
        del self.stories[small]
        self.parent[small] = big
        self.sums[big] += self.sums[small]
        self.counts[big] += self.counts[small]
        self.sums[small] = 0
        self.counts[small] = 0
        target.members.extend(source.members)  # type: ignore[arg-type]
        for key, (weight, count) in source.keys.items():
            best, had = target.keys.get(key, (0.0, 0))
            target.keys[key] = (max(weight, best), had + count)
        # event ids stay unread until two stories are compared
        target._events |= source._events  # type: ignore[attr-defined]
        target._loaders += source._loaders  # type: ignore[attr-defined]
        for lang, count in source.languages.items():
            target.languages[lang] = target.languages.get(lang, 0) + count
        target.dated_days.extend(source.dated_days)
        target.inferred_days.extend(source.inferred_days)

    def story_of(self, doc_id: str) -> str:
        root = self.find(self.row_for(doc_id))
        return "story-" + self.first(root)[3]

    def first(self, root: int) -> Order:
        members: _Members = self._story(root).members  # type: ignore[assignment]
        orders = [self.stored[r].first for r in members.stories]
        orders += [order_key(self.features[r]) for r in members.rows]
        return min(orders)

    def parts(self, root: int) -> tuple[list[str], list[str]]:
        """(stored story ids, new document ids) of the story rooted at `root`."""
        members: _Members = self._story(root).members  # type: ignore[assignment]
        return ([self.story_ids[r] for r in members.stories],
                [self.features[r].id for r in members.rows])

    def row(self, root: int) -> StoryRow:
        """The story's row as a full link would store it (its sum is exact: the same
        whatever order its members came in)."""
        story = self._story(root)
        members: _Members = story.members  # type: ignore[assignment]
        stored = [self.stored[r] for r in members.stories]
        orders = sorted([o for s in stored for o in (s.first, s.second) if o is not None]
                        + [order_key(self.features[r]) for r in members.rows])
        return StoryRow(
            size=len(members), vector_sum=self.sums[root].copy(), first=orders[0],
            second=orders[1] if len(members) > 1 else None,
            languages=dict(sorted(story.languages.items())),
            dated=_span(story.dated_days), inferred=_span(story.inferred_days),
            keys=dict(story.keys))
