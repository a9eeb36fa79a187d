"""The SQLite store: documents with their raw bytes and analysis, and the linked results.

Each document goes in with one transaction, so a run killed at any moment leaves whole
documents only; the next run skips what is there (same bytes, same id) and carries on.
Linked results (entities, events, cases, ...) are recomputed from the stored analyses and
saved in one short transaction that changes only the rows that differ; a `dirty` flag says
when they lag behind the documents.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dossier.corpus import Corpus
from dossier.model import (
    Analysis,
    Case,
    Claim,
    Document,
    Entity,
    Event,
    Quote,
    Story,
    from_dict,
    to_dict,
)
from dossier.store.migrations import MIGRATIONS

DEFAULT_DB = "dossier.db"
# How long a writer waits for another process's write transaction (ingest, relink, review)
# before giving up; far above the longest one, so concurrent runs queue instead of failing.
BUSY_TIMEOUT_S = 300.0
SAVE_ATTEMPTS = 3  # comparisons of linked results made outside the write lock
KEY_COLUMN = {"entity_slugs": ("entity",), "event_of": ("input",),  # tables not keyed on "id"
              "story_index": ("story",), "story_keys": ("story", "key"), "key_counts": ("key",)}


@dataclass
class _Change:
    """What one save changes in one table: keys to delete, rows to insert (or replace)."""

    table: str
    key: tuple[str, ...]
    delete: list[tuple]
    insert: list[tuple]


def db_path(url: str) -> Path:
    """Accept a plain path or a sqlite:/// URL."""
    for prefix in ("sqlite:///", "sqlite://"):
        if url.startswith(prefix):
            return Path(url[len(prefix):])
    if "://" in url:
        raise ValueError(f"unsupported database URL {url!r}: only SQLite paths are supported")
    return Path(url)


class Store:
    def __init__(self, url: str = DEFAULT_DB, readonly: bool = False):
        self.path = db_path(url)
        self._changes_read: str | None = None
        self.last_write_s = 0.0  # how long the last save_corpus held the write lock
        if readonly:
            uri = f"file:{self.path}?mode=ro"
            self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False,
                                        timeout=BUSY_TIMEOUT_S)
        else:
            self.conn = sqlite3.connect(self.path, check_same_thread=False,
                                        timeout=BUSY_TIMEOUT_S)
        self.conn.row_factory = sqlite3.Row
        if not readonly:
            self._use_wal()
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self._migrate()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _use_wal(self) -> None:
        """Switch a new store to WAL. SQLite does not wait for the busy timeout here: when
        another process opening the same new store holds it, try again for a while."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _migrate(self) -> None:
        if self.conn.execute("PRAGMA user_version").fetchone()[0] >= len(MIGRATIONS):
            return
        # Under the write lock, and the version read again there: two processes opening a new
        # store at once must not both create its tables.
        self.conn.isolation_level = None
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _statements(script):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number}")
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self.conn.isolation_level = ""

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # ---- documents ------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row is not None

    def add(self, analysis: Analysis, raw: bytes, source_bytes: bytes | None = None) -> bool:
        """Store one analysed document with its raw bytes; False when it was already there."""
        doc = analysis.document
        with self.conn:
            # The duplicate check and the insert in one write transaction: two processes
            # storing the same bytes at once cannot both insert.
            self.conn.execute("BEGIN IMMEDIATE")
            if self.has_document(doc.id):
                return False
            seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM documents").fetchone()[0]
            self.conn.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, seq, doc.source, doc.title, doc.language, doc.declared_language,
                 doc.published, doc.published_basis, doc.text, _json(doc.warnings), doc.url,
                 doc.outlet, doc.format, doc.encoding, doc.story, _now()),
            )
            self.conn.execute("INSERT INTO raw_inputs VALUES (?, ?)", (doc.id, raw))
            self.conn.execute(
                "INSERT INTO analyses VALUES (?, ?)", (doc.id, _json(to_dict(analysis)))
            )
            if source_bytes is not None:
                self.conn.execute("INSERT INTO source_names VALUES (?, ?)", (doc.id, source_bytes))
            self._set_meta("dirty", "1")
            self._count_change()
        return True

    def source_bytes(self, doc_id: str) -> bytes | None:
        """A file name that is not UTF-8, byte for byte (`source` shows it escaped)."""
        row = self.conn.execute(
            "SELECT name FROM source_names WHERE document = ?", (doc_id,)).fetchone()
        return bytes(row[0]) if row else None

    def count_documents(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def analyses(self) -> Iterator[Analysis]:
        # How many changes the store had when linking first read it: save_corpus marks the
        # store clean only if none came since (another process may add while this one links).
        if self._changes_read is None:
            self._changes_read = self._meta("changes") or "0"
        for row in self.conn.execute("SELECT data FROM analyses ORDER BY document"):
            yield analysis_from_json(row[0])

    def document(self, doc_id: str) -> Document | None:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return _document(row) if row else None

    def documents(self) -> list[Document]:
        rows = self.conn.execute("SELECT * FROM documents ORDER BY seq")
        return [_document(row) for row in rows]

    def raw(self, doc_id: str) -> bytes | None:
        row = self.conn.execute(
            "SELECT raw FROM raw_inputs WHERE document = ?", (doc_id,)
        ).fetchone()
        return bytes(row[0]) if row else None

    # ---- linked results -------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self._meta("dirty") == "1"

    def analysis(self, doc_id: str) -> Analysis | None:
        row = self.conn.execute("SELECT data FROM analyses WHERE document = ?",
                                (doc_id,)).fetchone()
        return analysis_from_json(row[0]) if row else None

    def link_increment(self) -> bool:
        """Link the documents stored since the last link without relinking the others (see
        dossier/incremental.py), in one short write transaction; False when a full relink is
        needed instead (a store never linked with inputs, review decisions, many new
        documents, or a case the increment does not settle)."""
        from dossier.incremental import (
            INPUTS_VERSION,
            MAX_NEW,
            Increment,
            NeedsFullRelink,
            link_new,
            unlinked_documents,
        )

        for _ in range(SAVE_ATTEMPTS):
            self.conn.execute("BEGIN")  # every read below sees one state of the store
            try:
                if self._meta("link_inputs") != INPUTS_VERSION or self.conn.execute(
                        "SELECT 1 FROM reviews LIMIT 1").fetchone():
                    return False
                version, changes = self._meta("linked") or "0", self._meta("changes") or "0"
                new_ids = unlinked_documents(self.conn)
                if len(new_ids) > MAX_NEW:
                    return False
                analyses = [a for a in map(self.analysis, new_ids) if a is not None]
                # nothing new (another process linked it): only the dirty flag to settle
                increment = link_new(self.conn, analyses, version) if analyses else Increment(
                    version)
            except NeedsFullRelink:
                return False
            finally:
                self.conn.execute("COMMIT")
            if self._save_increment(increment, changes):
                return True
        return False

    def _save_increment(self, increment: Any, changes_read: str) -> bool:
        """Apply an increment unless another process linked since it was computed."""
        started = time.perf_counter()
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            if (self._meta("linked") or "0") != increment.version:
                return False
            for sql, rows in increment.statements:
                self.conn.executemany(sql, rows)
            self._set_meta("linked", str(int(increment.version) + 1))
            if (self._meta("changes") or "0") == changes_read:
                self._set_meta("dirty", "0")
        self.last_write_s = time.perf_counter() - started
        return True

    def save_corpus(self, corpus: Corpus, analyses: list[Analysis] | None = None) -> None:
        """Bring the linked results in line with `corpus`, in one short write transaction.

        Every row is built, and compared with what is stored, before the transaction opens:
        the transaction only deletes the rows that went or changed and inserts the new ones,
        so a relink that changes little holds the write lock briefly and readers and other
        writers hardly wait. If another process saved linked results in between, the
        comparison is made again outside the lock, and on the last attempt inside it (slower,
        still right).

        With `analyses` (those `corpus` was linked from), the inputs of incremental linking
        are written for those not linked before (all of them when they were made by other
        resolution data or code), so the next ingest can link incrementally."""
        from dossier.entities.resolve import base_id

        names = {e.id: e.name for e in corpus.entities}
        tables = {
            **dict(self._entity_rows(corpus)),
            **dict(_event_rows(corpus.events)),
            "cases": _case_rows(corpus, names),
            "claims": [(c.id, c.about, _json(to_dict(c))) for c in corpus.claims],
            "quotes": [(q.id, q.document, q.speaker, _json(to_dict(q))) for q in corpus.quotes],
            "stories": [(s.id, s.title, s.start, s.end, len(s.documents), _json(to_dict(s)))
                        for s in corpus.stories],
            "entity_slugs": [(e.id, base_id(e)) for e in corpus.entities],
            "event_of": sorted({(s, e.id) for e in corpus.events for s in e.sources}),
        }
        inputs = self._input_rows(analyses) if analyses is not None else None
        if analyses is not None:  # the story index of the stories saved (stories/stored.py)
            tables |= _story_index_rows(corpus, analyses)
        documents = [(d.id, d.story, d.published, d.published_basis, _json(d.warnings))
                     for d in corpus.documents]
        for attempt in range(SAVE_ATTEMPTS):
            version = self._meta("linked") or "0"
            changes = self._changes(tables, documents)
            started = time.perf_counter()
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                if (self._meta("linked") or "0") != version:
                    if attempt < SAVE_ATTEMPTS - 1:
                        continue  # nothing written yet: compare again outside the lock
                    changes = self._changes(tables, documents)
                self._apply(changes)
                self._save_aliases(corpus)
                if inputs is not None:
                    self._save_inputs(*inputs)
                self._set_meta("story_index", "" if inputs is None else _index_version())
                self._set_meta("linked", str(int(version) + 1))
                if (self._meta("changes") or "0") == self._changes_read:
                    self._set_meta("dirty", "0")
            break
        self.last_write_s = time.perf_counter() - started
        self._changes_read = None

    def _input_rows(self, analyses: list[Analysis]) -> tuple[bool, list[tuple[str, list]]]:
        """(whether the stored inputs are to be replaced, the rows to insert), made before the
        write transaction opens."""
        from dossier.incremental import INPUTS_VERSION, input_rows

        fresh = self._meta("link_inputs") != INPUTS_VERSION
        linked = set() if fresh else {r[0] for r in self.conn.execute(
            "SELECT document FROM link_docs")}
        rows: dict[str, list[tuple]] = {}
        for analysis in analyses:
            if analysis.document.id not in linked:
                for table, more in input_rows(analysis).items():
                    rows.setdefault(table, []).extend(more)
        return fresh, list(rows.items())

    def _save_inputs(self, fresh: bool, rows: list[tuple[str, list]]) -> None:
        from dossier.incremental import INPUT_TABLES, INPUTS_VERSION

        if fresh:
            for table in INPUT_TABLES:
                self.conn.execute(f"DELETE FROM {table}")
        for table, more in rows:
            if more:
                marks = ",".join("?" * len(more[0]))
                self.conn.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", more)
        self._set_meta("link_inputs", INPUTS_VERSION)

    def _changes(self, tables: dict[str, list[tuple]], documents: list[tuple]) -> list[_Change]:
        """Per table: the stored rows to delete and the new rows to insert."""
        out = []
        for table, rows in tables.items():
            stored = {tuple(r) for r in self.conn.execute(f"SELECT * FROM {table}")}
            wanted = set(rows)
            gone, added = stored - wanted, wanted - stored
            if table == "event_documents":  # no key: a row is its own key
                out.append(_Change(table, ("event", "document"), sorted(gone), sorted(added)))
                continue
            key = KEY_COLUMN.get(table, ("id",))
            kept_keys = {row[:len(key)] for row in added}
            deleted = sorted({row[:len(key)] for row in gone if row[:len(key)] not in kept_keys})
            out.append(_Change(table, key, deleted, sorted(added, key=lambda r: r[:len(key)])))
        stored_docs = {tuple(r) for r in self.conn.execute(
            "SELECT id, story, published, published_basis, warnings FROM documents")}
        updates = sorted(set(documents) - stored_docs)
        out.append(_Change("documents", ("id",), [], [(*u[1:], u[0]) for u in updates]))
        return out

    def _apply(self, changes: list[_Change]) -> None:
        for change in changes:
            if change.table == "documents":
                self.conn.executemany(
                    "UPDATE documents SET story = ?, published = ?, published_basis = ?,"
                    " warnings = ? WHERE id = ?", change.insert)
                continue
            where = " AND ".join(f'"{k}" = ?' for k in change.key)
            self.conn.executemany(f"DELETE FROM {change.table} WHERE {where}", change.delete)
            if change.insert:
                marks = ",".join("?" * len(change.insert[0]))
                self.conn.executemany(
                    f"INSERT OR REPLACE INTO {change.table} VALUES ({marks})", change.insert)

    def _save_aliases(self, corpus: Corpus) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO story_aliases VALUES (?, ?)",
                              sorted(corpus.story_aliases.items()))
        # an id that names a story again is no alias
        self.conn.executemany("DELETE FROM story_aliases WHERE old = ?",
                              [(s.id,) for s in corpus.stories])

    def story_of_documents(self) -> dict[str, str]:
        """Document id -> story id, as the last relink left them."""
        rows = self.conn.execute("SELECT id, story FROM documents WHERE story IS NOT NULL")
        return {r[0]: r[1] for r in rows}

    def story_alias(self, story_id: str) -> str | None:
        return story_alias(self.conn, story_id)

    def _entity_rows(self, corpus: Corpus) -> list[tuple[str, list[tuple]]]:
        entities = [(e.id, e.type, e.name, e.country, len(e.mentions), _search_text(e),
                     _json(to_dict(e))) for e in corpus.entities]
        stored = corpus.mentions
        if stored is None:
            stored = [m for analysis in self.analyses() for m in analysis.mentions]
        mentions = [(m.id, m.document, corpus.mention_entity.get(m.id), m.start, m.end, m.text,
                     m.type) for m in stored]
        return [("entities", entities), ("mentions", mentions)]

    def load_corpus(self) -> Corpus:
        def load(table: str, cls: type) -> list[Any]:
            rows = self.conn.execute(f"SELECT data FROM {table} ORDER BY id")
            return [from_dict(cls, json.loads(r[0])) for r in rows]

        mention_entity = {
            r[0]: r[1] for r in self.conn.execute("SELECT id, entity FROM mentions") if r[1]
        }
        return Corpus(
            documents=self.documents(),
            entities=load("entities", Entity),
            events=load("events", Event),
            cases=load("cases", Case),
            claims=load("claims", Claim),
            quotes=load("quotes", Quote),
            stories=load("stories", Story),
            mention_entity=mention_entity,
        )

    # ---- review decisions -----------------------------------------------------------

    def add_review(self, kind: str, target: str, action: str, anchor: Any, value: Any,
                   analyst: str | None, note: str | None) -> int:
        """Record one analyst decision; the linked results need a relink to show it."""
        with self.conn:
            cursor = self.conn.execute(
                "INSERT INTO reviews (kind, target, action, anchor, value, analyst, note, at)"
                " VALUES (?,?,?,?,?,?,?,?)",
                (kind, target, action, _json(anchor), _json(value), analyst, note, _now()))
            self._set_meta("dirty", "1")
            self._count_change()
        return int(cursor.lastrowid or 0)

    def reviews(self) -> list[dict[str, Any]]:
        """Every decision, oldest first, with `anchor` and `value` decoded."""
        rows = self.conn.execute("SELECT * FROM reviews ORDER BY at, id").fetchall()
        return [dict(r) | {"anchor": json.loads(r["anchor"]), "value": json.loads(r["value"])}
                for r in rows]

    # ---- meta -----------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _count_change(self) -> None:
        self._set_meta("changes", str(int(self._meta("changes") or 0) + 1))


def _statements(script: str) -> list[str]:
    """The SQL statements of a migration script, one by one (executescript would commit)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s.strip(" ;\n")]


def story_alias(conn: sqlite3.Connection, story_id: str) -> str | None:
    """The current id of a story a relink renamed or merged (following renames in turn), or
    None when it never had another id."""
    seen, current = {story_id}, story_id
    try:
        while row := conn.execute(
                "SELECT new FROM story_aliases WHERE old = ?", (current,)).fetchone():
            current = row[0]
            if current in seen:
                return None
            seen.add(current)
    except sqlite3.OperationalError:  # a store from before aliases, opened read-only
        return None
    return current if current != story_id else None


def _index_version() -> str:
    from dossier.incremental import INPUTS_VERSION

    return INPUTS_VERSION


def _story_index_rows(corpus: Corpus, analyses: list[Analysis]) -> dict[str, list[tuple]]:
    """The story index tables for the stories of `corpus` (what restoring the index from
    the saved stories would hold)."""
    from dossier.stories.cluster import analysis_keys
    from dossier.stories.features import features_of
    from dossier.stories.index import doc_keys_of
    from dossier.stories.keys import settings
    from dossier.stories.stored import index_rows

    weights = settings()["entity_weights"]
    story_of = {d.id: d.story for d in corpus.documents}
    stories: dict[str, list] = {}
    for analysis in analyses:
        story = story_of.get(analysis.document.id)
        if story is None:
            continue
        f = features_of(analysis, corpus.mention_entity)
        stories.setdefault(story, []).append((f, doc_keys_of(f, analysis_keys(analysis),
                                                              weights)))
    return index_rows(stories)


def _event_rows(events: list[Event]) -> list[tuple[str, list[tuple]]]:
    return [
        ("events", [(e.id, e.type, e.status, e.subject, e.date.start, e.date.end,
                     _json(to_dict(e))) for e in events]),
        ("event_documents", sorted({(e.id, ev.document) for e in events for ev in e.evidence})),
    ]


def _case_rows(corpus: Corpus, names: dict[str, str]) -> list[tuple]:
    events = {e.id: e for e in corpus.events}
    entities = {e.id: e for e in corpus.entities}
    rows = []
    for case in corpus.cases:
        evs = [events[i] for i in case.events if i in events]
        starts = [e.date.start for e in evs if e.date.start]
        ends = [e.date.end for e in evs if e.date.end]
        countries = sorted({c for e in evs for c in (e.origin_country, e.host_country) if c})
        person = entities.get(case.person)
        rows.append((
            case.id, case.person, names.get(case.person, case.person), case.status,
            min(starts, default=None), max(ends, default=None),
            " ".join(sorted({e.type for e in evs})), " ".join(sorted({e.status for e in evs})),
            " ".join(countries), _search_text(person) if person else "", len(evs),
            len(case.conflicts), _json(to_dict(case)),
        ))
    return rows


def analysis_from_json(text: str) -> Analysis:
    data = json.loads(text)
    from dossier.model import ClaimMention, DateSpan, EventMention, Mention

    return Analysis(
        document=from_dict(Document, data["document"]),
        mentions=[from_dict(Mention, m) for m in data.get("mentions", [])],
        dates=[from_dict(DateSpan, d) for d in data.get("dates", [])],
        events=[from_dict(EventMention, e) for e in data.get("events", [])],
        quotes=[from_dict(Quote, q) for q in data.get("quotes", [])],
        claims=[from_dict(ClaimMention, c) for c in data.get("claims", [])],
        vector=data.get("vector"),
        keys=data.get("keys"),
    )


def _document(row: sqlite3.Row) -> Document:
    return Document(
        id=row["id"], source=row["source"], title=row["title"], language=row["language"],
        declared_language=row["declared_language"], published=row["published"],
        published_basis=row["published_basis"], text=row["text"],
        warnings=json.loads(row["warnings"]), url=row["url"], outlet=row["outlet"],
        format=row["format"], encoding=row["encoding"], story=row["story"],
    )


def _search_text(entity: Entity) -> str:
    names = [entity.name] + [v.text for v in entity.variants]
    return " ".join(dict.fromkeys(n.lower() for n in names))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
