"""The SQLite store: documents with their raw bytes and analysis, and the linked results.

Each document goes in with one transaction, so a run killed at any moment leaves whole
documents only; the next run skips what is there (same bytes, same id) and carries on.
Linked results (entities, events, cases, ...) are recomputed from the stored analyses and
replaced in one transaction; a `dirty` flag says when they lag behind the documents.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
from dossier.pipeline import Corpus
from dossier.store.migrations import MIGRATIONS

DEFAULT_DB = "dossier.db"
# How long a writer waits for another process's write transaction (ingest, relink, review)
# before giving up; far above the longest one, so concurrent runs queue instead of failing.
BUSY_TIMEOUT_S = 300.0


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
        if readonly:
            uri = f"file:{self.path}?mode=ro"
            self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False,
                                        timeout=BUSY_TIMEOUT_S)
        else:
            self.conn = sqlite3.connect(self.path, check_same_thread=False,
                                        timeout=BUSY_TIMEOUT_S)
        self.conn.row_factory = sqlite3.Row
        if not readonly:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self._migrate()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.conn:
                self.conn.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")

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

    def save_corpus(self, corpus: Corpus) -> None:
        """Replace all linked results in one transaction. Every row is built (stored mentions
        read, JSON written) before the transaction opens, so the write lock is held only for
        the inserts."""
        names = {e.id: e.name for e in corpus.entities}
        statements = [
            *self._entity_rows(corpus),
            *_event_rows(corpus.events),
            ("INSERT INTO cases VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", _case_rows(corpus, names)),
            ("INSERT INTO claims VALUES (?,?,?)",
             [(c.id, c.about, _json(to_dict(c))) for c in corpus.claims]),
            ("INSERT INTO quotes VALUES (?,?,?,?)",
             [(q.id, q.document, q.speaker, _json(to_dict(q))) for q in corpus.quotes]),
            ("INSERT INTO stories VALUES (?,?,?,?,?,?)",
             [(s.id, s.title, s.start, s.end, len(s.documents), _json(to_dict(s)))
              for s in corpus.stories]),
            ("UPDATE documents SET story = ?, published = ?, published_basis = ?, warnings = ?"
             " WHERE id = ?",
             [(d.story, d.published, d.published_basis, _json(d.warnings), d.id)
              for d in corpus.documents]),
        ]
        with self.conn:
            for table in ("entities", "mentions", "events", "event_documents", "cases", "claims",
                          "quotes", "stories"):
                self.conn.execute(f"DELETE FROM {table}")
            for sql, rows in statements:
                self.conn.executemany(sql, rows)
            if (self._meta("changes") or "0") == self._changes_read:
                self._set_meta("dirty", "0")
        self._changes_read = None

    def _entity_rows(self, corpus: Corpus) -> list[tuple[str, list[tuple]]]:
        entities = [(e.id, e.type, e.name, e.country, len(e.mentions), _search_text(e),
                     _json(to_dict(e))) for e in corpus.entities]
        stored = corpus.mentions
        if stored is None:
            stored = [m for analysis in self.analyses() for m in analysis.mentions]
        mentions = [(m.id, m.document, corpus.mention_entity.get(m.id), m.start, m.end, m.text,
                     m.type) for m in stored]
        return [("INSERT INTO entities VALUES (?,?,?,?,?,?,?)", entities),
                ("INSERT INTO mentions VALUES (?,?,?,?,?,?,?)", mentions)]

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


def _event_rows(events: list[Event]) -> list[tuple[str, list[tuple]]]:
    return [
        ("INSERT INTO events VALUES (?,?,?,?,?,?,?)",
         [(e.id, e.type, e.status, e.subject, e.date.start, e.date.end, _json(to_dict(e)))
          for e in events]),
        ("INSERT INTO event_documents VALUES (?,?)",
         sorted({(e.id, ev.document) for e in events for ev in e.evidence})),
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
