"""Read-only language data for the entities stage, loaded once per process and cached.

Everything linguistic lives in dossier/data/entities/ (see its README.md); this module only
reads it. A language is added by adding `lang/<code>.json` (and `translit/<code>.json` for a
non-Latin script).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "entities"
WORD_CACHE = 200_000  # size of the per-word caches (bounded memory on a long run)


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def lang_config(lang: str) -> dict[str, Any]:
    """The default cues merged with the language's own file (lists joined, mappings merged)."""
    config = _read_json(DATA / "lang" / "default.json")
    path = DATA / "lang" / f"{lang}.json"
    if path.exists():
        for key, value in _read_json(path).items():
            old = config.get(key)
            if isinstance(old, list) and isinstance(value, list):
                config[key] = old + value
            elif isinstance(old, dict) and isinstance(value, dict):
                merged = dict(old)
                for k, v in value.items():
                    merged[k] = (
                        list(dict.fromkeys(merged.get(k, []) + v)) if isinstance(v, list) else v
                    )
                config[key] = merged
            else:
                config[key] = value
    return {key: _frozen(value) for key, value in config.items()}


def _frozen(value: Any) -> Any:
    """Lists become tuples (hashable, so matchers built from them can be cached)."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    return value


@cache
def translit_table(lang: str) -> dict[str, Any] | None:
    path = DATA / "translit" / f"{lang}.json"
    return _read_json(path) if path.exists() else None


@cache
def folding() -> dict[str, Any]:
    return _read_json(DATA / "folding.json")


@cache
def authorities() -> list[dict[str, Any]]:
    return list(_read_json(DATA / "authorities.json")["organizations"])


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@cache
def first_names() -> frozenset[str]:
    return frozenset(_lines("first_names.txt"))


@cache
def surnames() -> frozenset[str]:
    return frozenset(_lines("surnames.txt"))


@cache
def first_name_groups() -> list[list[str]]:
    return [
        [p.strip() for p in line.split(",") if p.strip()]
        for line in _lines("first_name_groups.txt")
    ]
