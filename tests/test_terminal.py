"""`dossier cases` and `dossier case` over a hand-built store: the short default view says
what it leaves out, --full shows every source and evidence sentence, and the read-only
commands start without the analysis stages."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dossier import terminal
from dossier.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    spec = importlib.util.spec_from_file_location(
        "terminal_sample_store", ROOT / "tests" / "browser" / "sample_store.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.build_sample_store(tmp_path_factory.mktemp("terminal") / "dossier.db")


def case(sample, *extra: str) -> str:
    result = runner.invoke(app, ["case", "Tulegenov", "--db", str(sample.path), *extra],
                           env={"COLUMNS": "200"})  # no wrapping inside the table cells
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # rich wraps lines at the terminal width


def test_short_case_file_names_one_source_and_counts_the_others(sample):
    short, full = case(sample), case(sample, "--full")
    # the detention is stated in the uk article (26 January) and the ro one (3 February)
    assert "Example News, 2026-01-26 +1" in short
    assert "Example News, 2026-01-26; Example News, 2026-02-03" in full
    assert "--full: evidence sentences and every source" in short
    assert "затримала" not in short and "затримала" in full  # the evidence sentence
    assert "--full" not in full


def test_disputed_value_names_a_few_sources_once_each_and_counts_the_rest(monkeypatch):
    monkeypatch.setattr(terminal, "SHOWN_SOURCES", 1)
    labels = {"a": "TASS, 2026-01-02", "b": "TASS, 2026-01-02", "c": "BBC, 2026-01-03"}
    assert terminal._cited(["a", "b", "c", "d"], labels, full=False) == (
        "TASS, 2026-01-02 ×2 +2 more sources (--full)")
    assert terminal._cited(["a", "b", "c", "d"], labels, full=True) == (
        "TASS, 2026-01-02 ×2; BBC, 2026-01-03; d")


def test_case_list_shows_the_latest_rows_and_says_how_many_more(sample, monkeypatch):
    monkeypatch.setattr("dossier.cli.SHOWN_CASES", 1)
    short = runner.invoke(app, ["cases", "--db", str(sample.path)]).output
    every = runner.invoke(app, ["cases", "--db", str(sample.path), "--all"]).output
    assert "2 cases from 5 documents: the 1 latest" in short
    assert "1 more: dossier cases --all" in short
    assert "Tulegenov" in every and "more:" not in every


def test_read_only_commands_do_not_load_the_analysis_stages(sample):
    probe = ("import sys; from typer.testing import CliRunner; from dossier.cli import app; "
             f"r = CliRunner().invoke(app, ['case', 'Tulegenov', '--db', {str(sample.path)!r}]); "
             "print(r.exit_code, [m for m in ('dossier.pipeline', 'dossier.entities.mentions', "
             "'numpy', 'wordfreq', 'natasha') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.stdout.split() == ["0", "[]"], done.stderr[-2000:]
