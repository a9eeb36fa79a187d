"""Case lists and case files for the terminal (rich tables), and their JSON form."""

from __future__ import annotations

import json
from typing import Any

from rapidfuzz import fuzz, process
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from dossier.entities.translit import fold, to_latin
from dossier.store import Store
from dossier.web.format import date_label

SHOWN_SOURCES = 3  # source labels per event and per disputed value in the default view
SCANNED = 50  # documents read for those labels (the rest are counted, not named)
SHOWN_VARIANTS = 12  # spellings of the name in the default view, most frequent first
STATUS_STYLE = {"occurred": "bold", "pending": "yellow", "blocked": "green", "possible": "magenta"}


def case_rows(store: Store) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT id, person, name, status, date_start, date_end, event_count, conflict_count,"
        " countries, event_types FROM cases ORDER BY date_end DESC, name"
    )
    return [dict(row) for row in rows]


def print_case_list(console: Console, rows: list[dict[str, Any]], documents: int,
                    limit: int | None = None) -> None:
    """The case table; with `limit`, its first rows and a line saying how many are left out."""
    if not rows:
        console.print(f"No cases yet ({documents} documents stored).")
        return
    shown = rows if limit is None else rows[:limit]
    title = f"{len(rows)} cases from {documents} documents"
    table = Table(title=title if len(shown) == len(rows) else f"{title}: the {len(shown)} latest")
    for column in ("person", "last known status", "events", "period", "countries", "conflicts"):
        table.add_column(column, overflow="fold")
    for row in shown:
        table.add_row(
            row["name"], row["status"], str(row["event_count"]),
            _period(row["date_start"], row["date_end"]), row["countries"],
            str(row["conflict_count"] or ""),
        )
    console.print(table)
    if len(shown) < len(rows):
        console.print(f"{len(rows) - len(shown)} more: dossier cases --all", highlight=False)


def find_case(store: Store, query: str) -> tuple[str | None, list[str]]:
    """The case id a name (any script, spelling or inflection) or id refers to, else suggestions."""
    exact = store.conn.execute(
        "SELECT id FROM cases WHERE id = ? OR person = ? OR lower(name) = lower(?)",
        (query, query, query),
    ).fetchone()
    if exact:
        return exact[0], []
    rows = store.conn.execute("SELECT id, name, search FROM cases").fetchall()
    choices = {row["id"]: f"{row['name'].lower()} {row['search']}" for row in rows}
    needle = query.lower()
    substring = [cid for cid, text in choices.items() if needle in text]
    if len(substring) == 1:
        return substring[0], []
    folded = [cid for cid, text in choices.items() if _same_name(query, text)]
    if len(folded) == 1:
        return folded[0], []
    best = process.extract(needle, choices, scorer=fuzz.partial_ratio, limit=3)
    names = {row["id"]: row["name"] for row in rows}
    if best and best[0][1] >= 90 and (len(best) == 1 or best[1][1] < best[0][1]):
        return best[0][2], []
    return None, [names[b[2]] for b in best if b[1] >= 60]


def _same_name(query: str, names: str) -> bool:
    """Every word of the query, in any script and case ending, matches a word of the names:
    "Качкуркина" and "Kachkurkin" both fold to the stem of "kackurkin"."""
    words = {_folded(w) for w in names.split()}
    for part in query.split():
        key = _folded(part)
        stem = key[: max(4, len(key) - 2)]
        if not any(w.startswith(stem) and abs(len(w) - len(key)) <= 2 for w in words):
            return False
    return bool(query.split())


def _folded(word: str) -> str:
    return fold(to_latin(word, ""))


def case_file(store: Store, case_id: str, full: bool = True) -> dict[str, Any]:
    """The case, its person and its events with their sources' labels. Without `full`, only
    the labels the terminal view shows (SHOWN_SOURCES per event and per disputed value): a
    case read in a thousand articles stays quick to gather and short to read."""
    case = json.loads(store.conn.execute("SELECT data FROM cases WHERE id = ?", (case_id,))
                      .fetchone()[0])
    person = _entity(store, case["person"])
    labels = _Labels(store)
    events = []
    for event_id in case["events"]:
        row = store.conn.execute("SELECT data FROM events WHERE id = ?", (event_id,)).fetchone()
        if row:
            event = json.loads(row[0])
            event["agent_names"] = [_name(store, a) for a in event["agents"]]
            event["place_name"] = _name(store, event["place"]) if event["place"] else None
            documents = list(dict.fromkeys(e["document"] for e in event["evidence"]))
            event["source_count"] = len(documents)
            event["source_labels"] = labels.first(documents, None if full else SHOWN_SOURCES)
            events.append(event)
    rejected = [r[0] for r in store.conn.execute(
        "SELECT id FROM events WHERE subject = ? AND"
        " json_extract(data, '$.review.state') = 'rejected'", (case["person"],))]
    for conflict in case.get("conflicts", []):
        for value in conflict["values"]:
            labels.first(value["documents"], None if full else SHOWN_SOURCES)
    return {"case": case, "person": person, "events": events, "rejected": rejected,
            "labels": labels.known, "full": full}


class _Labels:
    """Source labels by document id, read as they are asked for."""

    def __init__(self, store: Store):
        self.store = store
        self.known: dict[str, str] = {}

    def first(self, documents: list[str], limit: int | None) -> list[str]:
        """The labels of the documents, in order and without repeats: all of them, or up to
        `limit` labels read from the first SCANNED documents."""
        out: list[str] = []
        for n, doc_id in enumerate(documents):
            if limit is not None and (len(out) >= limit or n >= SCANNED):
                break
            if doc_id not in self.known:
                self.known[doc_id] = _source_label(self.store, doc_id)
            if self.known[doc_id] not in out:
                out.append(self.known[doc_id])
        return out


def _source_label(store: Store, doc_id: str) -> str:
    """A source as a reader names it: outlet (else file name) and date; '~' marks a date
    inferred from the text."""
    row = store.conn.execute("SELECT source, outlet, published, published_basis FROM documents"
                             " WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        return doc_id[:8]
    name = row["outlet"] or row["source"].replace("\\", "/").rsplit("/", 1)[-1]
    day = row["published"] or "undated"
    return f"{name}, {'~' if row['published_basis'] == 'inferred' else ''}{day}"


def print_case_file(console: Console, data: dict[str, Any]) -> None:
    case, person, events, full = data["case"], data["person"], data["events"], data["full"]
    name = person["name"] if person else case["person"]
    console.print(f"[bold]{name}[/]  —  {case['status']}", highlight=False)
    if person:
        variants = sorted(person["variants"], key=lambda v: -v.get("count", 1))
        shown = variants if full else variants[:SHOWN_VARIANTS]
        written = ", ".join(f"{v['text']} ({v['language']})" for v in shown)
        console.print(f"Also written: {written}{_more(len(variants) - len(shown), 'spelling')}",
                      highlight=False)
        if person.get("roles"):
            console.print(f"Roles: {', '.join(person['roles'])}", highlight=False)
    hint = "" if full else " (--full: evidence sentences and every source)"
    table = Table(title=f"Timeline{hint}")
    for column in ("when", "what", "status", "details", "sources"):
        table.add_column(column, overflow="fold")
    for event in events:
        style = STATUS_STYLE.get(event["status"], "")
        state = (event.get("review") or {}).get("state", "unreviewed")
        table.add_row(
            date_label(event["date"]), event["type"].replace("_", " "),
            (f"[{style}]{event['status']}[/]" if style else event["status"])
            + ("" if state == "unreviewed" else f" ({state})"),
            _details(event), _sources_cell(event, full),
        )
    console.print(table)
    if data.get("rejected"):
        console.print(f"{len(data['rejected'])} event(s) rejected by an analyst are left out.",
                      highlight=False)
    labels = data.get("labels", {})
    for conflict in case.get("conflicts", []):
        console.print(f"[red]Sources disagree[/] on {conflict['about']}:", highlight=False)
        for value in conflict["values"]:
            console.print(f"  • {value['value']}  ({_cited(value['documents'], labels, full)})",
                          highlight=False)
    if full:
        _print_evidence(console, events, labels)


def _sources_cell(event: dict[str, Any], full: bool) -> str:
    labels = event.get("source_labels") or [e["document"][:8] for e in event["evidence"]]
    count = event.get("source_count", len(labels))
    if full:
        return "; ".join(labels)
    return labels[0] + (f" +{count - 1}" if count > 1 else "") if labels else ""


def _cited(documents: list[str], labels: dict[str, str], full: bool) -> str:
    """The sources of a disputed value, a label once with the number of its documents: all
    of them with `full`, else the first SHOWN_SOURCES labels and how many documents remain."""
    counts: dict[str, int] = {}
    for doc_id in documents:
        if full or doc_id in labels:
            label = labels.get(doc_id, doc_id[:8])
            counts[label] = counts.get(label, 0) + 1
    shown = list(counts) if full else list(counts)[:SHOWN_SOURCES]
    others = len(documents) - sum(counts[label] for label in shown)
    return "; ".join(label + (f" ×{counts[label]}" if counts[label] > 1 else "")
                     for label in shown) + _more(others, "source")


def _more(count: int, noun: str) -> str:
    return f" +{count} more {noun}{'' if count == 1 else 's'} (--full)" if count > 0 else ""


def _print_evidence(console: Console, events: list[dict[str, Any]], labels: dict[str, str]
                    ) -> None:
    """Every event's evidence sentences, each with its source."""
    for event in events:
        console.print(f"\n[bold]{date_label(event['date'])} · {event['type'].replace('_', ' ')}"
                      "[/]", highlight=False)
        for evidence in event["evidence"]:
            source = labels.get(evidence["document"], evidence["document"][:8])
            console.print(f"  {escape(evidence['text'])}  ({escape(source)})", highlight=False)


def _details(event: dict[str, Any]) -> str:
    parts = []
    attrs = event.get("attributes", {})
    if attrs.get("charge"):
        parts.append(f"charge: {attrs['charge']}")
    term = _term(attrs)
    if term:
        parts.append(f"term: {term}")
    route = _route(event)
    if route:
        parts.append(route)
    agents = [n for n in event.get("agent_names", []) if n]
    if agents:
        parts.append("by " + ", ".join(agents[:2]))
    if event.get("place_name"):
        parts.append(f"in {event['place_name']}")
    return "; ".join(parts)


# Which way a country pair reads for an event type: a removal goes from the host country back
# to the origin; a flight or a border refusal from the origin towards the host; the rest
# happen in the host country.
TOWARDS_ORIGIN = ("deportation", "extradition", "handover", "extradition_approved")
TOWARDS_HOST = ("flight", "entry_denied")


def _route(event: dict[str, Any]) -> str:
    origin, host = event.get("origin_country"), event.get("host_country")
    kind = event.get("type", "")
    if kind in TOWARDS_ORIGIN and origin and host:
        return f"{host} → {origin}"
    if kind in TOWARDS_HOST and origin and host:
        return f"{origin} → {host}"
    if kind == "extradition_request" and origin:
        return f"requested by {origin}"
    return f"in {host}" if host else ""


def _term(attrs: dict[str, Any]) -> str:
    low, high, life = attrs.get("years_min"), attrs.get("years_max"), attrs.get("life")
    text = ""
    if low and high and low != high:
        text = f"{low}–{high} years"
    elif high:
        text = f"{'up to ' if not low else ''}{high} years"
    elif low:
        text = f"{low}+ years"
    if life:
        text = f"{text} or life" if text else "life"
    return text


def _period(start: str | None, end: str | None) -> str:
    if not start:
        return ""
    return start if start == end else f"{start} – {end}"


def _entity(store: Store, entity_id: str) -> dict[str, Any] | None:
    row = store.conn.execute("SELECT data FROM entities WHERE id = ?", (entity_id,)).fetchone()
    return json.loads(row[0]) if row else None


def _name(store: Store, entity_id: str | None) -> str | None:
    if not entity_id:
        return None
    row = store.conn.execute("SELECT name FROM entities WHERE id = ?", (entity_id,)).fetchone()
    return row[0] if row else entity_id
