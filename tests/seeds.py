"""The seed articles from ../shared/seeds for tests; a test that needs one skips without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.ingest.readers import parse_header

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def read_seed(prefix: str) -> tuple[str, str | None]:
    """The article text of seed `prefix` ("000".."004") after its header line, and its date."""
    path = next(SEEDS.glob(f"{prefix}_*.txt"), None) if SEEDS.is_dir() else None
    if path is None:
        pytest.skip(f"seed {prefix} not present in ../shared/seeds")
    header, body = parse_header(path.read_text(encoding="utf-8"))
    return body, header.date
