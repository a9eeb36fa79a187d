"""Incremental linking gives what a full relink gives: the bundled examples added one by one,
each linked incrementally, against a full relink of the same store at every step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dossier.export import export_data
from dossier.ingest import iter_inputs
from dossier.model import Analysis
from dossier.pipeline import analyse
from dossier.review import relink
from dossier.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"


@pytest.fixture(scope="module")
def analyses() -> list[Analysis]:
    inputs = iter_inputs([str(EXAMPLES)])
    return [analyse(r.document) for r in inputs if r.document]


def _without_stories(data: dict) -> dict:
    """An export less what depends on the order documents came in (online clustering)."""
    docs = sorted(({k: v for k, v in d.items() if k != "story"} for d in data["documents"]),
                  key=lambda d: d["id"])  # in the order they were stored
    tables = {k: v for k, v in data["tables"].items()
              if k not in ("stories", "story_aliases", "documents", "story_index",
                           "story_keys")}
    return {k: v for k, v in data.items() if k != "stories"} | {"documents": docs,
                                                                "tables": tables}


LINKED = ("entities", "mentions", "events", "event_documents", "cases", "claims", "quotes",
          "stories", "story_aliases", "entity_slugs", "event_of",
          # the story index: an increment keeps it as a full link writes it
          "story_index", "story_keys", "key_counts")


def _export(db: Path) -> dict:
    """The export, and every row of the linked tables (search columns and all)."""
    with Store(str(db)) as store:
        tables = {t: sorted(tuple(r) for r in store.conn.execute(f"SELECT * FROM {t}"))
                  for t in LINKED}
        tables["documents"] = sorted(
            tuple(r) for r in store.conn.execute("SELECT id, story FROM documents"))
        return export_data(store) | {"tables": tables}


def test_one_by_one_equals_full_relink(analyses: list[Analysis], tmp_path: Path) -> None:
    db, copy = tmp_path / "inc.db", tmp_path / "full.db"
    # an order where names meet late: the English and Russian reports after the others
    ordered = sorted(analyses, key=lambda a: (a.document.language in ("en", "ru"),
                                              a.document.id))
    with Store(str(db)) as store:
        for analysis in ordered[:3]:
            store.add(analysis, analysis.document.id.encode())
        assert relink(store) is None
        assert store.link_increment()  # nothing new: still linked incrementally
        incremental = 0
        for analysis in ordered[3:]:
            store.add(analysis, analysis.document.id.encode())
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{db}{suffix}")
                if source.exists():
                    shutil.copy(source, f"{copy}{suffix}")
            assert store.link_increment()
            incremental += 1
            assert not store.dirty
            with Store(str(copy)) as full:
                assert relink(full, force=True) is None
            assert _export(db) == _export(copy), analysis.document.source
    assert incremental == len(ordered) - 3
    # entities, events, cases, quotes and claims do not depend on the order at all
    at_once = tmp_path / "once.db"
    with Store(str(at_once)) as store:
        for analysis in analyses:
            store.add(analysis, analysis.document.id.encode())
        assert relink(store) is None
    assert _without_stories(_export(db)) == _without_stories(_export(at_once))


def test_review_decisions_relink_in_full(analyses: list[Analysis], tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with Store(str(db)) as store:
        for analysis in analyses[:-1]:
            store.add(analysis, analysis.document.id.encode())
        assert relink(store) is None
        entity = store.conn.execute(
            "SELECT id FROM entities WHERE type = 'person' ORDER BY mention_count DESC"
        ).fetchone()[0]
        store.add_review("entity", entity, "not_a_person", [], {}, None, None)
        store.add(analyses[-1], b"last")
        assert not store.link_increment()  # decisions: the full relink applies them
        assert relink(store) is None
        assert not store.dirty


def _analysis(doc_id: str, name: str, language: str, detained: bool) -> Analysis:
    """A one-sentence report naming one person, detained or not."""
    import numpy as np

    from dossier.model import DateSpan, Document, EventMention, Evidence, Mention
    from dossier.stories.features import DIM, encode_vector

    text = f"{name} was detained in 2026." if detained else f"{name} spoke."
    doc = Document(id=doc_id, source=f"{doc_id}.txt", title=text, language=language,
                   declared_language=None, published="2026-03-01",
                   published_basis="declared", text=text)
    latin = "Ruslan Abdulov"
    mention = Mention(f"{doc_id}:m0", doc_id, 0, len(name), name, "person", name, latin,
                      language)
    events = [EventMention(f"{doc_id}:e0", doc_id, "detention", "occurred", mention.id, None,
                           [], None, None, None, DateSpan("2026-01-01", "2026-12-31", "year",
                                                          "2026"),
                           {}, Evidence(doc_id, 0, len(text), text))] if detained else []
    vector = np.zeros(DIM, dtype=np.float32)
    vector[0] = 1.0
    return Analysis(doc, [mention], [], events, [], [], encode_vector(vector), None)


def test_a_new_spelling_reaches_the_case_file_search(tmp_path: Path) -> None:
    """A document naming a person with no event in it still changes the person's case row
    (its search text holds every spelling)."""
    with Store(str(tmp_path / "s.db")) as store:
        store.add(_analysis("a1", "Ruslan Abdulov", "en", True), b"a1")
        assert relink(store) is None
        store.add(_analysis("a2", "Руслан Абдулов", "ru", False), b"a2")
        assert store.link_increment()
        [search] = store.conn.execute("SELECT search FROM cases").fetchone()
        assert "руслан абдулов" in search


def _report(doc_id: str, name: str | None, vector: list[float], published: str) -> Analysis:
    """A one-line English report naming one person (or nobody), with a given story vector."""
    import numpy as np

    from dossier.model import Document, Mention
    from dossier.stories.features import DIM, encode_vector

    text = f"{name or 'Nobody'} was seen in 2026."
    doc = Document(id=doc_id, source=f"{doc_id}.txt", title=None, language="en",
                   declared_language=None, published=published, published_basis="declared",
                   text=text)
    mentions = [Mention(f"{doc_id}:m0", doc_id, 0, len(name), name, "person", name, name,
                        "en")] if name else []
    padded = np.zeros(DIM, dtype=np.float32)
    padded[: len(vector)] = vector
    return Analysis(doc, mentions, [], [], [], [], encode_vector(padded), {})


def _linked_alike(db: Path, copy: Path, store: Store) -> None:
    """Link `store` (at `db`) incrementally and a copy of it in full; the same rows."""
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{db}{suffix}")
        if source.exists():
            shutil.copy(source, f"{copy}{suffix}")
    assert store.link_increment()
    with Store(str(copy)) as full:
        assert relink(full, force=True) is None
    assert _export(db) == _export(copy)


def test_the_stored_story_index_follows_bridges_and_earlier_articles(tmp_path: Path) -> None:
    """Two stories a bridging article unites; an article dated before a story's first one
    (its vector sum is added up again in date order); two new articles in one increment."""
    import math

    db, copy = tmp_path / "s.db", tmp_path / "full.db"
    angle = math.acos(0.9)  # 0.9 apart: two stories, close enough to merge through a bridge
    with Store(str(db)) as store:
        store.add(_report("a1", "Ruslan Abdulov", [1.0], "2026-03-01"), b"a1")
        store.add(_report("b1", "Timur Sadykov", [math.cos(angle), math.sin(angle)],
                          "2026-03-02"), b"b1")
        assert relink(store) is None
        assert store.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0] == 2
        half = angle / 2
        store.add(_report("c1", None, [math.cos(half), math.sin(half)], "2026-03-03"), b"c1")
        _linked_alike(db, copy, store)
        assert store.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0] == 1
        store.add(_report("d0", "Ruslan Abdulov", [1.0, 0.01], "2026-02-20"), b"d0")
        _linked_alike(db, copy, store)
        assert store.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0] == 1
        store.add(_report("e1", "Ivan Kolesnik", [0.0, 0.0, 1.0], "2026-03-04"), b"e1")
        store.add(_report("e2", "Ivan Kolesnik", [0.0, 0.0, 1.0], "2026-03-05"), b"e2")
        _linked_alike(db, copy, store)
        assert store.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0] == 2
