"""Read-only queries behind the pages and the case report.

Lists use the indexed columns and LIMIT/OFFSET; details read the `data` JSON of a few rows.
Functions take a sqlite3 connection (rows as sqlite3.Row) and return plain dataclasses.
`web=False` leaves out links into the web app (for the self-contained report).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from dossier.model import EVENT_TYPES
from dossier.web.english import english_line
from dossier.web.format import (
    STATUSES,
    attributes_label,
    country_name,
    date_label,
    day_label,
    number_label,
    safe_url,
    type_label,
)
from dossier.web.highlight import Block, Mark, Piece, Span, blocks, find_marks, pieces
from dossier.web.timeline import Timeline, TimelineEvent, build_timeline

PER_PAGE = 50
MAX_EVIDENCE = 5  # evidence sentences shown per event; the other sources are listed
# A case read in thousands of articles: the default page lists this many more sources per
# event and per disputed value, and says how many it leaves out (?full=1 lists them all).
MAX_MORE = 10
MAX_CONFLICT_SOURCES = 5
SCANNED_EVIDENCE = 200  # evidence items of an event the short page picks its sources from
Row = sqlite3.Row


def href(kind: str, ident: str, anchor: str | None = None) -> str:
    """A link into the web app: /cases/ID, /entities/ID, /documents/ID, /stories/ID."""
    tail = f"#{anchor}" if anchor else ""
    return f"/{kind}/{quote(ident, safe='')}{tail}"


def anchor_id(ident: str) -> str:
    """An id usable as an HTML fragment."""
    return "ev-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in ident)


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _offset(page: int) -> int:
    return (max(page, 1) - 1) * PER_PAGE


def _chunks(ids: Iterable[str], size: int = 500) -> Iterable[list[str]]:
    items = list(dict.fromkeys(i for i in ids if i))
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _rows_in(conn: sqlite3.Connection, sql: str, ids: Iterable[str],
             params: tuple[Any, ...] = ()) -> list[Row]:
    """Run `sql` (with one `{marks}` placeholder for an IN list) over all ids, in chunks;
    `params` fill the placeholders before the list."""
    out: list[Row] = []
    for chunk in _chunks(ids):
        out.extend(conn.execute(sql.format(marks=",".join("?" * len(chunk))), (*params, *chunk)))
    return out


def _page(conn: sqlite3.Connection, select: str, where: list[str], params: list[Any],
          order: str, page: int) -> tuple[list[Row], int]:
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    table = select.split(" FROM ", 1)[1]
    total = conn.execute(f"SELECT COUNT(*) FROM {table}{clause}", params).fetchone()[0]
    rows = conn.execute(f"{select}{clause} ORDER BY {order} LIMIT ? OFFSET ?",
                        [*params, PER_PAGE, _offset(page)]).fetchall()
    return rows, total


# ---- the document catalogue ----------------------------------------------------------------


@dataclass
class Catalogue:
    """The light columns of every document, newest first, kept in memory by the app.

    Scanning the documents table reads every article's text; this list answers document
    search, filters, counts and ordering without touching the text.
    """

    rows: list[tuple[str, str, str, str, str | None, str | None]]  # id, title, source, lang,
    #                                                                  published, story
    languages: list[tuple[str, int]]
    rank: dict[str, int]


def load_catalogue(conn: sqlite3.Connection) -> Catalogue:
    rows = [(r[0], (r[1] or "").lower(), r[2].lower(), r[3], r[4], r[5]) for r in conn.execute(
        "SELECT id, title, source, language, published, story FROM documents"
        " ORDER BY published DESC, seq DESC")]
    languages = Counter(r[3] for r in rows).most_common()
    return Catalogue(rows, languages, {r[0]: i for i, r in enumerate(rows)})


# ---- overview ------------------------------------------------------------------------------


@dataclass
class Overview:
    counts: dict[str, int]
    dirty: bool
    recent_cases: list[Row]
    languages: list[tuple[str, int]]


def overview(conn: sqlite3.Connection, catalogue: Catalogue) -> Overview:
    counts = {
        table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("documents", "cases", "events", "entities", "stories", "claims")
    }
    dirty = conn.execute("SELECT value FROM meta WHERE key = 'dirty'").fetchone()
    recent = conn.execute(
        "SELECT id, name, status, date_start, date_end, event_count, countries FROM cases"
        " ORDER BY date_end IS NULL, date_end DESC, name LIMIT 8").fetchall()
    return Overview(counts, bool(dirty and dirty[0] == "1"), recent, catalogue.languages[:12])


# ---- cases ---------------------------------------------------------------------------------


@dataclass
class CaseFilters:
    q: str = ""
    country: str = ""
    event_type: str = ""
    status: str = ""
    date_from: str = ""
    date_to: str = ""
    page: int = 1
    sort: str = ""  # a key of CASE_SORTS; "" is newest first
    route: str = ""  # "RU-KG": cases with an event from that origin in that host country


# Column sorts of the case list ("-" first: descending); plain links, no script.
CASE_SORTS = {
    "name": "name, id", "-name": "name DESC, id",
    "period": "date_start IS NULL, date_start, name",
    "-period": "date_end IS NULL, date_end DESC, name",
    "events": "event_count, name", "-events": "event_count DESC, name",
}


def sort_links(f: CaseFilters) -> dict[str, str]:
    """For each sortable column, the list URL sorted by it (again: the other way round)."""
    params = {"q": f.q, "country": f.country, "type": f.event_type, "status": f.status,
              "from": f.date_from, "to": f.date_to, "route": f.route}
    kept = [(k, v) for k, v in params.items() if v]
    links = {}
    for key in ("name", "period", "events"):
        value = f"-{key}" if f.sort == key else key
        links[key] = "/cases?" + urlencode([*kept, ("sort", value)])
    return links


def case_periods(conn: sqlite3.Connection, case_ids: list[str]) -> dict[str, str]:
    """Each case's period from its first and last dated events, at their precision
    ("2023 – Mar 2026", not "1 Jan 2023 – 31 Mar 2026")."""
    out = {}
    for row in _rows_in(conn, "SELECT id, data FROM cases WHERE id IN ({marks})", case_ids):
        events = json.loads(row["data"])["events"]
        dates = [json.loads(r[0]) for r in _rows_in(
            conn, "SELECT json_extract(data, '$.date') FROM events WHERE id IN ({marks})",
            events) if r[0]]
        dated = [d for d in dates if d.get("start")]
        if not dated:
            continue
        first = min(dated, key=lambda d: d["start"])
        last = max(dated, key=lambda d: d.get("end") or d["start"])
        labels = list(dict.fromkeys([_bound(first, "start"), _bound(last, "end")]))
        out[row["id"]] = " – ".join(labels)
    return out


def _bound(span: dict[str, Any], side: str) -> str:
    """One end of a period at the precision its event was known to."""
    if span.get("precision") in ("year", "month"):
        return date_label(span)
    day = span.get(side) or span.get("start")
    if span.get("precision") == "part_of_month" and day:
        part = ("early", "mid", "late")[min(2, (int(day[8:10]) - 1) // 10)]
        return f"{part} {date_label({'start': day, 'end': day, 'precision': 'month'})}"
    return day_label(day)


@dataclass
class CaseOptions:
    countries: list[tuple[str, str]]
    statuses: list[str]
    event_types: list[tuple[str, str]]


def case_options(conn: sqlite3.Connection) -> CaseOptions:
    codes: set[str] = set()
    for (countries,) in conn.execute("SELECT DISTINCT countries FROM cases"):
        codes.update(countries.split())
    return CaseOptions(
        countries=sorted(((c, country_name(c)) for c in codes), key=lambda x: x[1]),
        statuses=list(STATUSES),
        event_types=[(t, type_label(t)) for t in EVENT_TYPES],
    )


def list_cases(conn: sqlite3.Connection, f: CaseFilters) -> Page:
    where, params = _case_where(f)
    rows, total = _page(
        conn,
        "SELECT id, name, status, date_start, date_end, event_types, event_statuses, countries,"
        " event_count, conflict_count FROM cases",
        where, params, CASE_SORTS.get(f.sort, CASE_SORTS["-period"]), f.page)
    return Page(rows, total, f.page)


def filtered_case_ids(conn: sqlite3.Connection, f: CaseFilters) -> list[str]:
    """Every case the filters select, in list order (all pages): what a download holds."""
    where, params = _case_where(f)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    return [r[0] for r in conn.execute(
        f"SELECT id FROM cases{clause} ORDER BY date_end IS NULL, date_end DESC, name", params)]


def _case_where(f: CaseFilters) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if f.q.strip():
        where.append("(search LIKE ? ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\' OR id = ?)")
        params += [_like(f.q), _like(f.q), f.q.strip()]
    if f.country:
        where.append("(' ' || countries || ' ') LIKE ?")
        params.append(f"% {f.country.upper()} %")
    if f.event_type:
        where.append("(' ' || event_types || ' ') LIKE ?")
        params.append(f"% {f.event_type} %")
    if f.status:  # cases with an event of that status (occurred, pending, blocked, possible)
        where.append("(' ' || event_statuses || ' ') LIKE ?")
        params.append(f"% {f.status} %")
    if f.date_from:
        where.append("COALESCE(date_end, date_start) >= ?")
        params.append(f.date_from)
    if f.date_to:
        where.append("date_start <= ?")
        params.append(f.date_to)
    origin, _, host = f.route.upper().partition("-")
    if origin and host:
        where.append("person IN (SELECT subject FROM events"
                     " WHERE json_extract(data, '$.origin_country') = ?"
                     " AND json_extract(data, '$.host_country') = ?"
                     " AND COALESCE(json_extract(data, '$.review.state'), '') != 'rejected')")
        params += [origin, host]
    return where, params


@dataclass
class EvidenceView:
    document: str
    title: str
    language: str
    published: str | None
    url: str | None
    text: str
    pieces: list[Piece]
    href: str | None
    inferred: bool = False  # the publication date was guessed from the text
    outlet: str | None = None


@dataclass
class EventView:
    id: str
    anchor: str
    type: str
    label: str
    status: str
    date_label: str
    date_text: str
    group: str | None
    origin: str
    host: str
    agents: list[tuple[str, str, str | None]]  # (id, name, href)
    place: tuple[str, str, str | None] | None
    attributes: list[str]
    evidence: list[EvidenceView]
    more: list[SourceView] = field(default_factory=list)  # sources beyond MAX_EVIDENCE
    hidden: int = 0  # further sources, not listed on the short page
    review: dict[str, Any] = field(default_factory=dict)  # Review as a dict
    english: str = ""  # the event in one English line, from its fields


@dataclass
class ConflictView:
    about: str
    values: list[tuple[str, list[tuple[str, str, str | None]]]]  # value, [(doc, title, href)]
    hidden: list[int] = field(default_factory=list)  # per value: sources not listed


@dataclass
class SourceView:
    id: str
    title: str
    language: str
    published: str | None
    outlet: str | None
    source: str
    url: str | None
    href: str | None
    inferred: bool = False  # the publication date was guessed from the text


@dataclass
class CaseView:
    id: str
    name: str
    status: str
    person: dict[str, Any]
    variants: list[dict[str, Any]]
    events: list[EventView]
    conflicts: list[ConflictView]
    timeline: Timeline
    sources: list[SourceView]
    quotes: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[EventView] = field(default_factory=list)  # set aside by an analyst
    full: bool = True  # every source listed (else the short page: MAX_MORE and the like)
    source_total: int = 0  # documents the case cites, listed or not


def _entities(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Row]:
    rows = _rows_in(conn, "SELECT id, name, type, country FROM entities WHERE id IN ({marks})",
                    ids)
    return {r["id"]: r for r in rows}


def _sources(conn: sqlite3.Connection, ids: Iterable[str], web: bool) -> dict[str, SourceView]:
    rows = _rows_in(conn, "SELECT id, title, language, published, published_basis, outlet,"
                          " source, url FROM documents WHERE id IN ({marks})", ids)
    return {r["id"]: SourceView(r["id"], r["title"] or file_name(r["source"]), r["language"],
                                r["published"], r["outlet"], file_name(r["source"]),
                                safe_url(r["url"]), href("documents", r["id"]) if web else None,
                                r["published_basis"] == "inferred") for r in rows}


def file_name(source: str) -> str:
    """A source as shown: the file's name, not the path it had on someone's disk."""
    if "://" in source:
        return source
    return source.replace("\\", "/").rsplit("/", 1)[-1] or source


def _triggers(conn: sqlite3.Connection, docs: Iterable[str]) -> dict[str, str]:
    """EventMention id -> trigger word, read from the stored per-document analyses."""
    rows = _rows_in(
        conn,
        "SELECT json_extract(j.value, '$.id'), json_extract(j.value, '$.trigger')"
        " FROM analyses, json_each(analyses.data, '$.events') AS j"
        " WHERE analyses.document IN ({marks})", docs)
    return {r[0]: r[1] for r in rows if r[1]}


def _mention_marks(conn: sqlite3.Connection, docs: Iterable[str], web: bool,
                   subject: str | None = None) -> dict[str, list[Mark]]:
    rows = _rows_in(conn, 'SELECT document, start, "end", entity, type FROM mentions'
                          " WHERE document IN ({marks})", docs)
    out: dict[str, list[Mark]] = {}
    for r in rows:
        kind = "subject" if subject and r["entity"] == subject else r["type"]
        link = href("entities", r["entity"]) if web and r["entity"] else None
        out.setdefault(r["document"], []).append(Mark(r["start"], r["end"], kind, link))
    return out


def _evidence(ev: dict[str, Any], sources: dict[str, SourceView], marks: list[Mark],
              triggers: list[str], web: bool) -> EvidenceView:
    doc = sources.get(ev["document"])
    text = ev["text"]
    inner = [m for m in marks if m.start >= ev["start"] and m.end <= ev["end"]]
    all_marks = find_marks(text, triggers, "trigger", ev["start"]) + inner
    return EvidenceView(
        document=ev["document"],
        title=doc.title if doc else ev["document"],
        language=doc.language if doc else "und",
        published=doc.published if doc else None,
        url=doc.url if doc else None,
        text=text,
        pieces=pieces(text, all_marks, ev["start"]),
        href=href("documents", ev["document"], f"at-{ev['start']}") if web and doc else None,
        inferred=bool(doc and doc.inferred), outlet=doc.outlet if doc else None,
    )


def _shown(evidence: list[dict[str, Any]], sources: dict[str, SourceView]
           ) -> tuple[list[dict[str, Any]], list[str]]:
    """Up to MAX_EVIDENCE sentences, one language after another; the other documents' ids."""
    by_language: dict[str, list[dict[str, Any]]] = {}
    for ev in evidence:
        source = sources.get(ev["document"])
        by_language.setdefault(source.language if source else "und", []).append(ev)
    queues = list(by_language.values())
    shown: list[dict[str, Any]] = []
    while len(shown) < MAX_EVIDENCE and any(queues):
        for queue in queues:
            if queue and len(shown) < MAX_EVIDENCE:
                shown.append(queue.pop(0))
    seen = {ev["document"] for ev in shown}
    rest = [ev["document"] for ev in evidence if ev["document"] not in seen]
    return sorted(shown, key=lambda ev: evidence.index(ev)), list(dict.fromkeys(rest))


def event_views(conn: sqlite3.Connection, events: list[dict[str, Any]], web: bool,
                subject: str | None = None, more: int | None = None
                ) -> tuple[list[EventView], dict[str, SourceView]]:
    """The events as shown, each with up to MAX_EVIDENCE sentences and the other sources
    that state it (`more` of them at most, picked from its first SCANNED_EVIDENCE items)."""
    window = None if more is None else SCANNED_EVIDENCE
    read = {e["id"]: e.get("evidence", [])[:window] for e in events}
    sources = _sources(conn, [ev["document"] for items in read.values() for ev in items], web)
    picked = {e["id"]: _shown(read[e["id"]], sources) for e in events}
    listed = {e["id"]: len({ev["document"] for ev in e.get("evidence", [])}) for e in events}
    docs = [ev["document"] for shown, _ in picked.values() for ev in shown]
    names = _entities(conn, [a for e in events for a in e.get("agents", [])]
                      + [e["place"] for e in events if e.get("place")])
    triggers = _triggers(conn, docs)
    marks = _mention_marks(conn, docs, web, subject)
    views = []

    def named(ident: str) -> tuple[str, str, str | None]:
        row = names.get(ident)
        return (ident, row["name"] if row else ident,
                href("entities", ident) if web and row else None)

    for e in events:
        trig = [triggers[s] for s in e.get("sources", []) if s in triggers]
        shown, rest = picked[e["id"]]
        views.append(EventView(
            id=e["id"], anchor=anchor_id(e["id"]), type=e["type"], label=type_label(e["type"]),
            status=e["status"], date_label=date_label(e.get("date")),
            date_text=(e.get("date") or {}).get("text") or "", group=e.get("group"),
            origin=country_name(e.get("origin_country")),
            host=country_name(e.get("host_country")),
            agents=[named(a) for a in e.get("agents", [])],
            place=named(e["place"]) if e.get("place") else None,
            attributes=attributes_label(e.get("attributes") or {}),
            evidence=[_evidence(ev, sources, marks.get(ev["document"], []), trig, web)
                      for ev in shown],
            more=[sources[d] for d in rest[:more] if d in sources],
            hidden=0 if more is None else (listed[e["id"]] - len({ev["document"] for ev in shown})
                                           - len(rest[:more])),
            review=e.get("review") or {"state": "unreviewed"},
            english=english_line(e, {k: r["name"] for k, r in names.items()}),
        ))
    return views, sources


def find_case(conn: sqlite3.Connection, name_or_id: str) -> str | None:
    """A case id from an id, a person's name or one of its variants (case-insensitive)."""
    key = name_or_id.strip()
    row = conn.execute("SELECT id FROM cases WHERE id = ? OR person = ?", (key, key)).fetchone()
    if row is None:
        row = conn.execute("SELECT id FROM cases WHERE lower(name) = ? ORDER BY event_count DESC",
                           (key.lower(),)).fetchone()
    if row is None:
        row = conn.execute("SELECT id FROM cases WHERE (' ' || search || ' ') LIKE ? ESCAPE '\\'"
                           " ORDER BY event_count DESC", (f"% {_like(key)[1:-1]} %",)).fetchone()
    return row[0] if row else None


def case_names(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in conn.execute("SELECT id, name FROM cases")]


def load_case(conn: sqlite3.Connection, case_id: str, web: bool = True, full: bool = False
              ) -> CaseView | None:
    """The case page's content; without `full`, the short page: a case stated in thousands
    of articles lists MAX_MORE further sources per event, MAX_CONFLICT_SOURCES per disputed
    value, and the sources those name."""
    row = conn.execute("SELECT name, status, data FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        return None
    case = json.loads(row["data"])
    person_row = conn.execute("SELECT data FROM entities WHERE id = ?",
                              (case["person"],)).fetchone()
    person = json.loads(person_row[0]) if person_row else {"id": case["person"], "variants": []}
    by_id = {r["id"]: json.loads(r["data"]) for r in _rows_in(
        conn, "SELECT id, data FROM events WHERE id IN ({marks})", case["events"])}
    events = [by_id[i] for i in case["events"] if i in by_id]
    views, sources = event_views(conn, events, web, subject=case["person"],
                                 more=None if full else MAX_MORE)
    limit = None if full else MAX_CONFLICT_SOURCES
    conflict_docs = [d for c in case.get("conflicts", []) for v in c["values"]
                     for d in v["documents"][:limit]]
    sources.update(_sources(conn, [d for d in conflict_docs if d not in sources], web))
    conflicts = [
        ConflictView(c["about"], [
            (v["value"], [(d, sources[d].title if d in sources else d,
                           sources[d].href if d in sources else None)
                          for d in v["documents"][:limit]])
            for v in c["values"]], [len(v["documents"][limit:]) if limit is not None else 0
                                    for v in c["values"]])
        for c in case.get("conflicts", [])
    ]
    timeline = build_timeline([
        TimelineEvent(v.id, v.type, v.label, v.status, (e.get("date") or {}).get("start"),
                      (e.get("date") or {}).get("end"), v.date_label, f"#{v.anchor}")
        for v, e in zip(views, events, strict=True)
    ])
    variants = sorted(person.get("variants", []), key=lambda v: (-v["count"], v["text"]))
    quotes = [json.loads(r[0]) for r in conn.execute(
        "SELECT data FROM quotes WHERE speaker = ? LIMIT 20", (case["person"],))]
    for q in quotes:
        q["source"] = sources.get(q["document"])
    cited = list(dict.fromkeys([ev.document for v in views for ev in v.evidence]
                               + [s.id for v in views for s in v.more]))
    cited += [d for d in conflict_docs if d not in cited]
    ordered = sorted((sources[d] for d in cited if d in sources),
                     key=lambda s: (s.published or "", s.title))
    every = {ev["document"] for e in events for ev in e.get("evidence", [])}
    every.update(d for c in case.get("conflicts", []) for v in c["values"] for d in v["documents"])
    rejected = [json.loads(r[0]) for r in conn.execute(
        "SELECT data FROM events WHERE subject = ? AND"
        " json_extract(data, '$.review.state') = 'rejected' ORDER BY date_start",
        (case["person"],))]
    rejected_views = event_views(conn, rejected, web, subject=case["person"],
                                 more=None if full else MAX_MORE)[0]
    return CaseView(case_id, row["name"], row["status"], person, variants, views, conflicts,
                    timeline, ordered, quotes, rejected_views, full, len(every))


# ---- entities ------------------------------------------------------------------------------


ENTITY_SORTS = {"name": "name, id", "-name": "name DESC, id",
                "mentions": "mention_count, name", "-mentions": "mention_count DESC, name"}


def list_entities(conn: sqlite3.Connection, kind: str, q: str, page: int,
                  sort: str = "") -> Page:
    where, params = [], []
    if kind:
        where.append("type = ?")
        params.append(kind)
    if q.strip():
        where.append("search LIKE ? ESCAPE '\\'")
        params.append(_like(q))
    rows, total = _page(conn, "SELECT id, type, name, country, mention_count FROM entities",
                        where, params, ENTITY_SORTS.get(sort, ENTITY_SORTS["-mentions"]), page)
    return Page(rows, total, page)


@dataclass
class EntityView:
    id: str
    data: dict[str, Any]
    cases: list[Row]
    events: list[dict[str, Any]]  # short rows; the case page has the evidence
    mentions: Page
    quotes: list[dict[str, Any]]
    people: list[Row] = field(default_factory=list)  # persons it could be merged into


def load_entity(conn: sqlite3.Connection, catalogue: Catalogue, entity_id: str,
                page: int = 1) -> EntityView | None:
    row = conn.execute("SELECT data FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return None
    data = json.loads(row[0])
    cases = conn.execute("SELECT id, name, status, event_count, date_start, date_end FROM cases"
                         " WHERE person = ?", (entity_id,)).fetchall()
    case_id = cases[0]["id"] if cases else None
    events = []
    for r in conn.execute("SELECT data FROM events WHERE subject = ?"
                          " ORDER BY date_start IS NULL, date_start LIMIT 100", (entity_id,)):
        e = json.loads(r[0])
        events.append({
            "label": type_label(e["type"]), "status": e["status"],
            "date": date_label(e.get("date")), "sources": len(e.get("evidence", [])),
            "href": href("cases", case_id, anchor_id(e["id"])) if case_id else None,
            "countries": " → ".join(country_name(c) for c in
                                    (e.get("origin_country"), e.get("host_country")) if c)})
    documents = sorted({r[0] for r in conn.execute(
        "SELECT document FROM mentions WHERE entity = ?", (entity_id,))},
        key=lambda d: catalogue.rank.get(d, len(catalogue.rank)))
    shown = documents[_offset(page):_offset(page) + PER_PAGE]
    counts = {r[0]: r for r in _rows_in(
        conn, "SELECT document, COUNT(*) AS n, MIN(text) AS text FROM mentions"
              " WHERE entity = ? AND document IN ({marks}) GROUP BY document",
        shown, (entity_id,))}
    docs = {r["id"]: r for r in _rows_in(
        conn, "SELECT id, title, language, published, published_basis FROM documents"
              " WHERE id IN ({marks})", shown)}
    mentions = [{"document": d, "n": counts[d]["n"], "text": counts[d]["text"],
                 "title": docs[d]["title"], "language": docs[d]["language"],
                 "published": docs[d]["published"],
                 "inferred": docs[d]["published_basis"] == "inferred"}
                for d in shown if d in counts and d in docs]
    quotes = []
    for r in conn.execute(
            "SELECT q.data, d.title, d.language FROM quotes q JOIN documents d"
            " ON d.id = q.document WHERE q.speaker = ? LIMIT 20", (entity_id,)):
        quote_data = json.loads(r[0])
        quote_data.update(title=r["title"], language=r["language"])
        quotes.append(quote_data)
    people = conn.execute("SELECT id, name FROM entities WHERE type = 'person' AND id != ?"
                          " ORDER BY mention_count DESC, name LIMIT 500", (entity_id,)).fetchall()
    return EntityView(entity_id, data, cases, events, Page(mentions, len(documents), page),
                      quotes, people)


# ---- documents -----------------------------------------------------------------------------


def list_documents(conn: sqlite3.Connection, catalogue: Catalogue, q: str, language: str,
                   story: str, page: int) -> Page:
    needle = q.strip().lower()
    found = [r for r in catalogue.rows
             if (not needle or needle in r[1] or needle in r[2])
             and (not language or r[3] == language) and (not story or r[5] == story)]
    ids = [r[0] for r in found[_offset(page):_offset(page) + PER_PAGE]]
    rows = {r["id"]: r for r in _rows_in(
        conn, "SELECT id, title, source, language, declared_language, published,"
              " published_basis, outlet, story, warnings FROM documents WHERE id IN ({marks})",
        ids)}
    items = [dict(rows[i]) | {"warnings": json.loads(rows[i]["warnings"])} for i in ids
             if i in rows]
    return Page(items, len(found), page)


@dataclass
class DocumentView:
    doc: dict[str, Any]
    url: str | None
    warnings: list[str]
    blocks: list[Block]
    events: list[dict[str, Any]]
    entities: list[tuple[str, str | None, str, int]]  # name, href, type, count
    quotes: list[dict[str, Any]]
    story: Row | None


def load_document(conn: sqlite3.Connection, doc_id: str) -> DocumentView | None:
    row = conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        return None
    doc = dict(row)
    text = doc["text"]
    found = conn.execute("SELECT data FROM analyses WHERE document = ?", (doc_id,)).fetchone()
    analysis = json.loads(found[0]) if found else {}
    linked = {r["id"]: r["entity"] for r in conn.execute(
        "SELECT id, entity FROM mentions WHERE document = ?", (doc_id,))}
    names = _entities(conn, linked.values())
    marks: list[Mark] = []
    counts: Counter[tuple[str, str | None, str]] = Counter()
    for m in analysis.get("mentions", []):
        entity = linked.get(m["id"])
        link = href("entities", entity) if entity else None
        title = names[entity]["name"] if entity in names else m.get("base")
        marks.append(Mark(m["start"], m["end"], m["type"], link, title))
        counts[(title or m["text"], link, m["type"])] += 1
    merged = {}
    for r in conn.execute("SELECT e.id, e.subject, e.data FROM event_documents d JOIN events e"
                          " ON e.id = d.event WHERE d.document = ?", (doc_id,)):
        for source in json.loads(r["data"]).get("sources", []):
            merged[source] = (r["id"], r["subject"])
    case_of = {r["person"]: r["id"] for r in _rows_in(
        conn, "SELECT id, person FROM cases WHERE person IN ({marks})",
        [s for _, s in merged.values() if s])}
    spans, events = [], []
    for e in analysis.get("events", []):
        event_id, subject = merged.get(e["id"], (None, None))
        case = case_of.get(subject) if subject else None
        link = href("cases", case, anchor_id(event_id)) if case and event_id else None
        ev = e["evidence"]
        info = {"label": type_label(e["type"]), "status": e["status"], "href": link,
                "date": date_label(e.get("date")), "type": e["type"],
                "anchor": f"at-{ev['start']}", "text": ev["text"]}
        events.append(info)
        spans.append(Span(ev["start"], ev["end"], [info], f"at-{ev['start']}"))
        if e.get("trigger"):
            marks += find_marks(text[ev["start"]:ev["end"]], [e["trigger"]], "trigger",
                                ev["start"], link, type_label(e["type"]))
    quotes = [json.loads(r[0]) for r in conn.execute(
        "SELECT data FROM quotes WHERE document = ? ORDER BY id", (doc_id,))]
    if not quotes:
        quotes = analysis.get("quotes", [])
    speakers = _entities(conn, [q["speaker"] for q in quotes if q.get("speaker")])
    for q in quotes:
        speaker = speakers.get(q.get("speaker") or "")
        q["speaker_name"] = speaker["name"] if speaker else None
        q["speaker_href"] = href("entities", speaker["id"]) if speaker else None
    story = None
    if doc.get("story"):
        story = conn.execute("SELECT id, title FROM stories WHERE id = ?",
                             (doc["story"],)).fetchone()
    entities = sorted(((name, link, kind, n) for (name, link, kind), n in counts.items()),
                      key=lambda x: (-x[3], x[0]))
    return DocumentView(doc, safe_url(doc.get("url")), json.loads(doc["warnings"]),
                        blocks(text, spans, marks), events, entities, quotes, story)


# ---- stories -------------------------------------------------------------------------------


def list_stories(conn: sqlite3.Connection, q: str, page: int) -> Page:
    where, params = [], []
    if q.strip():
        where.append("lower(title) LIKE ? ESCAPE '\\'")
        params.append(_like(q))
    rows, total = _page(conn, 'SELECT id, title, start, "end", document_count, data FROM stories',
                        where, params, '"end" IS NULL, "end" DESC, document_count DESC', page)
    items = [dict(r) | {"languages": json.loads(r["data"]).get("languages", [])} for r in rows]
    return Page(items, total, page)


@dataclass
class StoryView:
    data: dict[str, Any]
    documents: list[Row]
    cases: list[Row]


def load_story(conn: sqlite3.Connection, story_id: str) -> StoryView | None:
    row = conn.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    docs = conn.execute(
        "SELECT id, title, source, language, published, published_basis, outlet FROM documents"
        " WHERE story = ?"
        " ORDER BY published, seq LIMIT 500", (story_id,)).fetchall()
    subjects = _rows_in(conn, "SELECT DISTINCT e.subject FROM event_documents d JOIN events e"
                              " ON e.id = d.event WHERE d.document IN ({marks})",
                        [d["id"] for d in docs])
    cases = _rows_in(conn, "SELECT id, name, status, event_count FROM cases"
                           " WHERE person IN ({marks})", [r[0] for r in subjects if r[0]])
    return StoryView(json.loads(row[0]), docs, cases)


# ---- claims --------------------------------------------------------------------------------


@dataclass
class ClaimView:
    id: str
    anchor: str
    value: str
    unit: str
    about: str
    qualifier: str | None
    evidence: list[EvidenceView]
    conflicts: list[tuple[str, str]]  # (href, "value unit")


def list_claims(conn: sqlite3.Connection, q: str, disputed: bool, page: int) -> Page:
    where, params = [], []
    if q.strip():
        where.append("lower(about) LIKE ? ESCAPE '\\'")
        params.append(_like(q))
    if disputed:
        where.append("json_array_length(data, '$.conflicts_with') > 0")
    rows, total = _page(conn, "SELECT id, about, data FROM claims", where, params,
                        "about, id", page)
    claims = [json.loads(r["data"]) for r in rows]
    sources = _sources(conn, [ev["document"] for c in claims for ev in c["evidence"]], True)
    others = {r["id"]: json.loads(r["data"]) for r in _rows_in(
        conn, "SELECT id, data FROM claims WHERE id IN ({marks})",
        [o for c in claims for o in c.get("conflicts_with", [])])}
    items = []
    for c in claims:
        items.append(ClaimView(
            id=c["id"], anchor=anchor_id(c["id"]), value=_claim_value(c), unit=c["unit"],
            about=c["about"], qualifier=c.get("qualifier"),
            evidence=[_evidence(ev, sources, [], [], True) for ev in c["evidence"]],
            conflicts=[(f"/claims?q={quote(others[o]['about'])}#{anchor_id(o)}",
                        f"{_claim_value(others[o])} {others[o]['unit']}")
                       for o in c.get("conflicts_with", []) if o in others],
        ))
    return Page(items, total, page)


def _claim_value(claim: dict[str, Any]) -> str:
    value = number_label(claim["value"])
    if claim.get("value_max") is not None:
        value += f"–{number_label(claim['value_max'])}"
    return value
