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
    return {k: v for k, v in data.items() if k != "stories"} | {"documents": docs}


def _export(db: Path) -> dict:
    with Store(str(db)) as store:
        return export_data(store)


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
