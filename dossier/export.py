"""Exports: `dossier.export/1` JSON (the contract), a flat CSV events table for spreadsheets,
and every kind as flat CSV tables."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from dossier.model import Mention, to_dict
from dossier.outputs import neutralise_cell, write_atomic
from dossier.store import Store

FORMAT = "dossier.export/1"
REVIEWED = ("confirmed", "corrected")


def export_data(store: Store, reviewed_only: bool = False) -> dict[str, Any]:
    """The whole store as the contract's JSON; `reviewed_only` keeps the events an analyst
    confirmed or corrected (and case files' lists of them)."""
    corpus = store.load_corpus()
    mentions = {m.id: m for a in store.analyses() for m in a.mentions}
    events = [e for e in corpus.events
              if not reviewed_only or e.review.state in REVIEWED]
    kept = {e.id for e in events}
    cases = [to_dict(c) for c in corpus.cases]
    if reviewed_only:
        for case in cases:
            case["events"] = [i for i in case["events"] if i in kept]
        cases = [c for c in cases if c["events"]]
    return {
        "format": FORMAT,
        "documents": [_document(d) for d in corpus.documents],
        "entities": [_entity(e, mentions) for e in corpus.entities],
        "events": [_event(to_dict(e)) for e in events],
        "cases": cases,
        "claims": [_claim(to_dict(c)) for c in corpus.claims],
        "quotes": [to_dict(q) for q in corpus.quotes],
        "stories": [to_dict(s) for s in corpus.stories],
    }


def write_json(store: Store, out: Path | None, reviewed_only: bool = False) -> str:
    text = json.dumps(export_data(store, reviewed_only), ensure_ascii=False, indent=1)
    if out:
        _write_atomic(out, text)
    return text


def subset(data: dict[str, Any], case_ids: list[str]) -> dict[str, Any]:
    """An export cut down to some case files: their events, and the documents, entities,
    quotes and stories those cite (claims are not tied to cases and are left out)."""
    wanted = set(case_ids)
    cases = [c for c in data["cases"] if c["id"] in wanted]
    event_ids = {e for c in cases for e in c["events"]}
    events = [e for e in data["events"] if e["id"] in event_ids]
    docs = {ev["document"] for e in events for ev in e["evidence"]}
    docs |= {d for c in cases for k in c["conflicts"] for v in k["values"] for d in v["documents"]}
    people = {c["person"] for c in cases}
    named = people | {a for e in events for a in e["agents"]} | {
        e["place"] for e in events if e["place"]}
    return {
        "format": data["format"],
        "documents": [d for d in data["documents"] if d["id"] in docs],
        "entities": [e for e in data["entities"] if e["id"] in named],
        "events": events,
        "cases": cases,
        "claims": [],
        "quotes": [q for q in data["quotes"] if q["speaker"] in people],
        "stories": [s for s in data["stories"] if docs & set(s["documents"])],
    }


# ---- CSV: flat tables, no JSON in cells ------------------------------------------------

EVENT_COLUMNS = (
    "event_id", "person", "person_id", "type", "status", "review", "date_start", "date_end",
    "date_precision", "origin_country", "host_country", "place", "agents", "charge",
    "years_min", "years_max", "sources", "first_source_outlet", "first_source_url",
    "first_source_date", "evidence",
)
LIST_SEPARATOR = "; "


def neutralise(value: Any) -> Any:
    """A cell value a spreadsheet shows as text: formula-like strings get a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise_cell(value)


def event_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per event of an export (see EVENT_COLUMNS)."""
    names = {e["id"]: e["name"] for e in data["entities"]}
    docs = {d["id"]: d for d in data["documents"]}
    rows = []
    for e in data["events"]:
        evidence = e.get("evidence", [])
        doc_ids = list(dict.fromkeys(ev["document"] for ev in evidence))
        first = min((docs[d] for d in doc_ids if d in docs),
                    key=lambda d: (d["published"] or "9999", d["id"]), default=None)
        shown = next((ev for ev in evidence if first and ev["document"] == first["id"]), None)
        attributes = e.get("attributes") or {}
        rows.append({
            "event_id": e["id"],
            "person": names.get(e["subject"], e["subject"]) if e["subject"] else e.get("group"),
            "person_id": e["subject"],
            "type": e["type"], "status": e["status"], "review": e["review"]["state"],
            "date_start": e["date"]["start"], "date_end": e["date"]["end"],
            "date_precision": e["date"]["precision"],
            "origin_country": e["origin_country"], "host_country": e["host_country"],
            "place": names.get(e["place"], e["place"]) if e["place"] else None,
            "agents": LIST_SEPARATOR.join(names.get(a, a) for a in e.get("agents", [])),
            "charge": attributes.get("charge"),
            "years_min": attributes.get("years_min"), "years_max": attributes.get("years_max"),
            "sources": len(doc_ids),
            "first_source_outlet": first.get("outlet") if first else None,
            "first_source_url": first.get("url") if first else None,
            "first_source_date": first["published"] if first else None,
            "evidence": " ".join(shown["text"].split()) if shown else None,
        })
    return rows


def events_csv(data: dict[str, Any]) -> str:
    return _csv_text(EVENT_COLUMNS, event_rows(data))


def write_events_csv(store: Store, out: Path | None, reviewed_only: bool = False) -> str:
    """The flat events table (the contract's columns) to `out`; its text either way."""
    text = events_csv(export_data(store, reviewed_only))
    if out:
        _write_atomic(out, text)
    return text


def write_csv_tables(store: Store, folder: Path, reviewed_only: bool = False) -> list[Path]:
    """Every kind as a flat table in `folder`; lists are joined with '; ', links between
    tables are their own tables (case_events, evidence, mentions, conflicts ...)."""
    data = export_data(store, reviewed_only)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (columns, rows) in flat_tables(data).items():
        path = folder / f"{name}.csv"
        _write_atomic(path, _csv_text(columns, rows))
        written.append(path)
    return written


def flat_tables(data: dict[str, Any]) -> dict[str, tuple[tuple[str, ...], list[dict[str, Any]]]]:
    names = {e["id"]: e["name"] for e in data["entities"]}
    join = LIST_SEPARATOR.join
    tables: dict[str, tuple[tuple[str, ...], list[dict[str, Any]]]] = {}
    tables["events"] = (EVENT_COLUMNS, event_rows(data))
    tables["documents"] = (
        ("id", "source", "title", "language", "declared_language", "published",
         "published_basis", "outlet", "url", "story", "warnings", "text"),
        [d | {"warnings": join(d["warnings"]), "text": d["text"]} for d in data["documents"]])
    tables["entities"] = (
        ("id", "type", "name", "country", "variants", "mention_count", "review"),
        [{"id": e["id"], "type": e["type"], "name": e["name"], "country": e["country"],
          "variants": join(f"{v['text']} ({v['language']})" for v in e["variants"]),
          "mention_count": len(e["mentions"]), "review": e["review"]["state"]}
         for e in data["entities"]])
    tables["mentions"] = (
        ("entity", "document", "start", "end", "text"),
        [{"entity": e["id"], **m} for e in data["entities"] for m in e["mentions"]])
    tables["evidence"] = (
        ("event", "document", "start", "end", "text"),
        [{"event": e["id"], **ev} for e in data["events"] for ev in e["evidence"]])
    tables["cases"] = (
        ("id", "person_id", "person", "status", "events", "date_start", "date_end",
         "countries", "conflicts"),
        [_case_row(c, data, names) for c in data["cases"]])
    tables["case_events"] = (
        ("case", "position", "event"),
        [{"case": c["id"], "position": i + 1, "event": ev} for c in data["cases"]
         for i, ev in enumerate(c["events"])])
    tables["conflicts"] = (
        ("case", "about", "value", "documents"),
        [{"case": c["id"], "about": k["about"], "value": v["value"],
          "documents": join(v["documents"])}
         for c in data["cases"] for k in c["conflicts"] for v in k["values"]])
    tables["claims"] = (
        ("id", "value", "value_max", "qualifier", "unit", "about", "documents", "evidence",
         "conflicts_with"),
        [{"id": c["id"], "value": c["value"], "value_max": c.get("value_max"),
          "qualifier": c.get("qualifier"), "unit": c["unit"], "about": c["about"],
          "documents": join(dict.fromkeys(ev["document"] for ev in c["evidence"])),
          "evidence": " ".join(c["evidence"][0]["text"].split()) if c["evidence"] else None,
          "conflicts_with": join(c["conflicts_with"])} for c in data["claims"]])
    tables["quotes"] = (
        ("id", "speaker_id", "speaker", "document", "start", "end", "text"),
        [{"id": q["id"], "speaker_id": q["speaker"], "speaker": names.get(q["speaker"] or ""),
          "document": q["document"], "start": q["start"], "end": q["end"], "text": q["text"]}
         for q in data["quotes"]])
    tables["stories"] = (
        ("id", "title", "documents", "languages", "start", "end"),
        [{"id": s["id"], "title": s["title"], "documents": len(s["documents"]),
          "languages": join(s["languages"]), "start": s["start"], "end": s["end"]}
         for s in data["stories"]])
    tables["story_documents"] = (
        ("story", "document"),
        [{"story": s["id"], "document": d} for s in data["stories"] for d in s["documents"]])
    return tables


def _case_row(case: dict[str, Any], data: dict[str, Any], names: dict[str, str]
              ) -> dict[str, Any]:
    events = {e["id"]: e for e in data["events"]}
    mine = [events[i] for i in case["events"] if i in events]
    starts = [e["date"]["start"] for e in mine if e["date"]["start"]]
    ends = [e["date"]["end"] or e["date"]["start"] for e in mine if e["date"]["start"]]
    countries = sorted({c for e in mine for c in (e["origin_country"], e["host_country"]) if c})
    return {"id": case["id"], "person_id": case["person"],
            "person": names.get(case["person"], case["person"]), "status": case["status"],
            "events": len(case["events"]), "date_start": min(starts, default=None),
            "date_end": max(ends, default=None), "countries": " ".join(countries),
            "conflicts": len(case["conflicts"])}


def _csv_text(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(row.get(k)) for k in columns})
    return buffer.getvalue()


def _write_atomic(path: Path, text: str) -> None:
    """Whole or not at all (dossier/outputs.py): a full disk or a kill keeps the old file."""
    write_atomic(path, text)


def _document(doc: Any) -> dict[str, Any]:
    return {
        "id": doc.id, "source": doc.source, "title": doc.title, "language": doc.language,
        "declared_language": doc.declared_language, "published": doc.published,
        "published_basis": doc.published_basis, "story": doc.story, "text": doc.text,
        "warnings": doc.warnings, "url": doc.url, "outlet": doc.outlet,
    }


def _entity(entity: Any, mentions: dict[str, Mention]) -> dict[str, Any]:
    found = [mentions[m] for m in entity.mentions if m in mentions]
    return {
        "id": entity.id, "type": entity.type, "name": entity.name,
        "variants": [to_dict(v) for v in entity.variants], "country": entity.country,
        "review": to_dict(entity.review),
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
