"""Turn an annotator's working file (quoted strings) into a text-free annotation file.

    python scripts/annotations_to_offsets.py WORKING.json eval/data/events/NAME.json

The working file quotes name forms and evidence sentences from third-party texts; it stays
outside the project. The output holds only paths, character offsets and labels (see
eval/data/events/GUIDELINES.md). Each document is put in the development or the test part
by a hash of its path, so the split does not depend on what the document says.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from dossier.model import EVENT_TYPES

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
STATUSES = {"occurred", "pending", "blocked", "possible"}
PRECISIONS = {"day", "month", "part_of_month", "year", "range", "unknown"}
FIELDS = ("origin_country", "host_country", "charge", "years_min", "years_max", "life",
          "death")


def split_of(path: str) -> str:
    """'test' for half the documents, chosen by a hash of the path alone."""
    return "test" if int(hashlib.sha1(path.encode()).hexdigest(), 16) % 2 else "dev"


def occurrences(text: str, needle: str) -> list[list[int]]:
    """Offsets of `needle` in `text` where it is not part of a longer word."""
    pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
    return [[m.start(), m.end()] for m in re.finditer(pattern, text)]


def convert_document(entry: dict[str, Any]) -> dict[str, Any]:
    path = entry["path"]
    text = (DATA / path).read_text(encoding="utf-8")
    persons = []
    for p in entry.get("persons", []):
        spans = sorted({tuple(s) for m in p["mentions"] for s in occurrences(text, m)})
        if not spans:
            raise ValueError(f"{path}: no mention of {p['id']} found in the text")
        persons.append({"id": p["id"], "name": p["name"], "mentions": [list(s) for s in spans]})
    ids = {p["id"] for p in persons}
    events = []
    for e in entry.get("events", []):
        if e["type"] not in EVENT_TYPES or e["status"] not in STATUSES:
            raise ValueError(f"{path}: bad type or status {e['type']} {e['status']}")
        if e["person"] not in ids:
            raise ValueError(f"{path}: event on unknown person {e['person']}")
        date = e.get("date") or {"precision": "unknown"}
        if date.get("precision", "unknown") not in PRECISIONS:
            raise ValueError(f"{path}: bad precision {date}")
        at = text.find(e["evidence"])
        if at < 0:
            raise ValueError(f"{path}: evidence not found: {e['evidence'][:60]}")
        out = {"person": e["person"], "type": e["type"], "status": e["status"],
               "date": {"start": date.get("start"), "end": date.get("end"),
                        "precision": date.get("precision", "unknown")},
               "evidence": [at, at + len(e["evidence"])]}
        out.update({k: e[k] for k in FIELDS if e.get(k) is not None})
        events.append(out)
    return {"path": path, "language": entry["language"], "split": split_of(path),
            "published": entry.get("published"), "no_event": not events,
            "persons": persons, "events": events}


def main(argv: list[str]) -> int:
    source, target = Path(argv[0]), Path(argv[1])
    entries = json.loads(source.read_text(encoding="utf-8"))
    documents = []
    errors = 0
    for entry in entries:
        try:
            documents.append(convert_document(entry))
        except (ValueError, KeyError, OSError) as exc:
            errors += 1
            print(f"error: {exc}", file=sys.stderr)
    target.write_text(json.dumps({"format": "dossier.events-gold/1", "documents": documents},
                                 ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(documents)} documents, "
          f"{sum(len(d['events']) for d in documents)} events, {errors} errors -> {target}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
