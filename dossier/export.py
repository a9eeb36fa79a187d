"""Exports: `dossier.export/1` JSON (the contract) and CSV, one table per kind."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from dossier.model import Mention, to_dict
from dossier.store import Store

FORMAT = "dossier.export/1"


def export_data(store: Store) -> dict[str, Any]:
    corpus = store.load_corpus()
    mentions = {m.id: m for a in store.analyses() for m in a.mentions}
    return {
        "format": FORMAT,
        "documents": [_document(d) for d in corpus.documents],
        "entities": [_entity(e, mentions) for e in corpus.entities],
        "events": [_event(to_dict(e)) for e in corpus.events],
        "cases": [to_dict(c) for c in corpus.cases],
        "claims": [_claim(to_dict(c)) for c in corpus.claims],
        "quotes": [to_dict(q) for q in corpus.quotes],
        "stories": [to_dict(s) for s in corpus.stories],
    }


def write_json(store: Store, out: Path | None) -> str:
    text = json.dumps(export_data(store), ensure_ascii=False, indent=1)
    if out:
        out.write_text(text, encoding="utf-8")
    return text


def write_csv(store: Store, folder: Path) -> list[Path]:
    """One CSV table per kind; nested values are written as JSON in their cell."""
    data = export_data(store)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    tables: dict[str, list[dict[str, Any]]] = {k: v for k, v in data.items() if k != "format"}
    tables["mentions"] = [
        {"entity": e["id"], **m} for e in data["entities"] for m in e["mentions"]
    ]
    for name, rows in tables.items():
        path = folder / f"{name}.csv"
        columns = list(rows[0]) if rows else _EMPTY_COLUMNS.get(name, ["id"])
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _cell(row.get(k)) for k in columns})
        written.append(path)
    return written


_EMPTY_COLUMNS = {
    "documents": ["id", "source", "title", "language", "declared_language", "published",
                  "published_basis", "story", "text", "warnings"],
    "mentions": ["entity", "document", "start", "end", "text"],
}


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _document(doc: Any) -> dict[str, Any]:
    return {
        "id": doc.id, "source": doc.source, "title": doc.title, "language": doc.language,
        "declared_language": doc.declared_language, "published": doc.published,
        "published_basis": doc.published_basis, "story": doc.story, "text": doc.text,
        "warnings": doc.warnings,
    }


def _entity(entity: Any, mentions: dict[str, Mention]) -> dict[str, Any]:
    found = [mentions[m] for m in entity.mentions if m in mentions]
    return {
        "id": entity.id, "type": entity.type, "name": entity.name,
        "variants": [to_dict(v) for v in entity.variants], "country": entity.country,
        "mentions": [{"document": m.document, "start": m.start, "end": m.end, "text": m.text}
                     for m in found],
    }


def _event(event: dict[str, Any]) -> dict[str, Any]:
    date = event["date"]
    event["date"] = {k: date[k] for k in ("start", "end", "precision", "text")}
    event.pop("sources", None)
    return event


def _claim(claim: dict[str, Any]) -> dict[str, Any]:
    return {k: claim[k] for k in ("id", "value", "unit", "about", "evidence", "conflicts_with")} | {
        k: claim[k] for k in ("value_max", "qualifier") if claim.get(k) is not None
    }
