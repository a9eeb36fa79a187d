"""Per-language data files: dossier/data/<area>/<language>.json, with a fallback language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


def load_language_data(area: str, language: str, fallback: str = "en") -> dict[str, Any]:
    """The data of `area` for `language`; the fallback language's when it has no file."""
    path = DATA / area / f"{language}.json"
    if not path.exists():
        path = DATA / area / f"{fallback}.json"
    return json.loads(path.read_text(encoding="utf-8"))
