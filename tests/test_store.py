"""The store: migrations, one transaction per document, linked results replaced whole."""

from __future__ import annotations

import sqlite3

import pytest

from dossier.model import Analysis, Document, Mention, Story
from dossier.pipeline import Corpus
from dossier.store import Store, db_path
from dossier.store.migrations import MIGRATIONS


def make_analysis(doc_id: str, text: str = "Ruslan Abdulov was detained.") -> Analysis:
    doc = Document(id=doc_id, source=f"{doc_id}.txt", title="T", language="en",
                   declared_language=None, published="2026-03-01", published_basis="declared",
                   text=text)
    mention = Mention(id=f"{doc_id}:m0", document=doc_id, start=0, end=14, text=text[:14],
                      type="person", base=text[:14], latin=text[:14], language="en")
    return Analysis(document=doc, mentions=[mention])


def test_schema_version_and_wal(tmp_path):
    with Store(str(tmp_path / "a.db")) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(f"sqlite:///{tmp_path / 'a.db'}") as again:  # reopening migrates nothing twice
        assert again.schema_version == len(MIGRATIONS)


def test_add_roundtrip_and_duplicate(tmp_path):
    with Store(str(tmp_path / "a.db")) as store:
        assert store.add(make_analysis("d1"), b"raw bytes") is True
        assert store.add(make_analysis("d1"), b"raw bytes") is False
        assert store.raw("d1") == b"raw bytes"
        [analysis] = list(store.analyses())
        assert analysis.mentions[0].text == "Ruslan Abdulov"
        assert analysis.document.published == "2026-03-01"
        assert store.dirty


def test_save_corpus_replaces_linked_results(tmp_path):
    with Store(str(tmp_path / "a.db")) as store:
        store.add(make_analysis("d1"), b"1")
        doc = store.document("d1")
        story = Story(id="s1", title="Story", documents=["d1"], languages=["en"],
                      start="2026-03-01", end="2026-03-01")
        doc.story = "s1"
        store.save_corpus(Corpus(documents=[doc], stories=[story]))
        assert not store.dirty
        assert store.document("d1").story == "s1"
        store.save_corpus(Corpus(documents=[doc], stories=[]))
        assert store.load_corpus().stories == []


def test_failed_transaction_keeps_what_was_stored(tmp_path):
    with Store(str(tmp_path / "a.db")) as store:
        store.add(make_analysis("d1"), b"1")
        broken = make_analysis("d2")
        broken.document.text = None  # violates NOT NULL: the whole document is rolled back
        with pytest.raises(sqlite3.IntegrityError):
            store.add(broken, b"2")
        assert store.count_documents() == 1
        assert store.raw("d2") is None


def test_database_urls():
    assert str(db_path("sqlite:///tmp/x.db")) == "tmp/x.db"
    assert str(db_path("x.db")) == "x.db"
    with pytest.raises(ValueError, match="only SQLite"):
        db_path("postgresql://host/db")


def _statements(store: Store) -> list[str]:
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    return seen


def test_save_corpus_changes_only_rows_that_differ(tmp_path):
    with Store(str(tmp_path / "a.db")) as store:
        for doc_id in ("d1", "d2", "d3"):
            store.add(make_analysis(doc_id), doc_id.encode())
        docs = store.documents()
        s1 = Story(id="s1", title="One", documents=["d1", "d2"], languages=["en"],
                   start="2026-03-01", end="2026-03-01")
        s2 = Story(id="s2", title="Two", documents=["d3"], languages=["en"], start=None, end=None)
        for doc, story in zip(docs, ("s1", "s1", "s2"), strict=True):
            doc.story = story
        store.save_corpus(Corpus(documents=docs, stories=[s1, s2]))

        statements = _statements(store)
        store.save_corpus(Corpus(documents=docs, stories=[s1, s2]))  # nothing changed
        assert not [s for s in statements if s.startswith(("INSERT", "DELETE", "UPDATE"))
                    and "meta" not in s and "story_aliases" not in s]

        retitled = Story(**{**s1.__dict__, "title": "One, retitled"})
        docs[2].story = None
        store.save_corpus(Corpus(documents=docs, stories=[retitled]))
        corpus = store.load_corpus()
        assert [(s.id, s.title) for s in corpus.stories] == [("s1", "One, retitled")]
        assert [d.story for d in corpus.documents] == ["s1", "s1", None]
        assert store.last_write_s < 1.0


def test_save_corpus_redoes_the_comparison_when_another_save_came_between(tmp_path):
    path = str(tmp_path / "a.db")
    with Store(path) as store, Store(path) as other:
        store.add(make_analysis("d1"), b"1")
        doc = store.document("d1")
        s1 = Story(id="s1", title="One", documents=["d1"], languages=["en"], start=None,
                   end=None)
        s2 = Story(id="s2", title="Two", documents=["d1"], languages=["en"], start=None,
                   end=None)
        real_changes, calls = store._changes, []

        def compare_then_other_saves(tables, documents):
            result = real_changes(tables, documents)
            if not calls:  # another process saves between the comparison and the write
                other.save_corpus(Corpus(documents=[doc], stories=[s2]))
            calls.append(result)
            return result

        store._changes = compare_then_other_saves
        store.save_corpus(Corpus(documents=[doc], stories=[s1]))
        assert len(calls) == 2
        assert [s.id for s in store.load_corpus().stories] == ["s1"]


def _open_store(path: str) -> int:
    with Store(path) as store:
        return store.schema_version


def test_processes_creating_one_new_store_at_once_all_succeed(tmp_path):
    """Two ingests started together on a new store: only one creates the tables."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(4) as pool:
        for round_ in range(3):
            path = str(tmp_path / f"{round_}.db")
            assert pool.map(_open_store, [path] * 4) == [len(MIGRATIONS)] * 4
