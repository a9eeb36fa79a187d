"""`dossier ingest --cluster`: analysis on a Dask LocalCluster stores what a local run stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dossier.cli import app

distributed = pytest.importorskip("distributed")
runner = CliRunner()

ARTICLES = {
    "ru.txt": (" date 2026-03-02 RU\nВ Бишкеке задержали российского активиста Тимура Беккулова. "
               "Суд арестовал его на два месяца по запросу России."),
    "en.txt": ("A Russian activist, Timur Bekkulov, was detained in Bishkek on 1 March at "
               "Moscow's request. A court ordered him held for two months."),
    "de.txt": (" date 2026-03-05 DE\nDer russische Aktivist Timur Bekkulow wurde in Bischkek "
               "festgenommen. Russland verlangt seine Auslieferung."),
    "bad.txt": "",
}


def _export(db: Path) -> dict:
    result = runner.invoke(app, ["export", "--db", str(db)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # documents are listed in the order they were stored, which is the order analyses finished
    data["documents"].sort(key=lambda d: d["id"])
    return data


def test_a_cluster_run_gives_the_export_of_a_local_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    local = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "local.db"), "-q"])
    assert local.exit_code == 1, local.output  # the empty file fails, the rest is stored
    # Worker threads in this process: they find the models the local run loaded, so the test
    # takes seconds. `make bench` runs worker processes (the real set-up) for its speed-up.
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        remote = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "dask.db"),
                                     "-q", "--cluster", cluster.scheduler_address])
        again = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "dask.db"),
                                    "-q", "--cluster", cluster.scheduler_address])
    assert remote.exit_code == 1, remote.output
    assert "bad.txt" in remote.output
    exported = _export(tmp_path / "dask.db")
    assert len(exported["documents"]) == 3
    assert any(c for c in exported["cases"])
    assert exported == _export(tmp_path / "local.db")
    assert again.exit_code == 1 and "3" in again.stdout  # all three are duplicates now


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLES["en.txt"], encoding="utf-8")
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db",
                                     str(tmp_path / "x.db"), "--cluster", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "cluster tcp://127.0.0.1:9" in result.output
