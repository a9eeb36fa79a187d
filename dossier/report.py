"""The shareable case report: one self-contained HTML file (inline CSS and SVG, no script,
no external requests) that prints cleanly to PDF."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from rapidfuzz import fuzz, process

from dossier.store import Store
from dossier.web.app import environment
from dossier.web.queries import case_names, find_case, load_case


def render_case_report(store: Store, name_or_id: str, full: bool = False) -> str:
    """The report for the case found by id or person name; LookupError (with close names)
    when there is none. Without `full`, the short form of the case page."""
    return case_report_html(store.conn, name_or_id, full)


def case_report_html(conn: sqlite3.Connection, name_or_id: str, full: bool = False) -> str:
    case_id = find_case(conn, name_or_id)
    view = load_case(conn, case_id, web=False, full=full) if case_id else None
    if view is None:
        raise LookupError(_not_found(conn, name_or_id))
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return environment().get_template("report.html").render(case=view, generated=generated)


def _not_found(conn: sqlite3.Connection, name_or_id: str) -> str:
    names = case_names(conn)
    if not names:
        return f"No case {name_or_id!r}: the store has no cases yet."
    choices = {ident: name for ident, name in names}
    close = process.extract(name_or_id, choices, scorer=fuzz.WRatio, limit=3, score_cutoff=50)
    if not close:
        return f"No case {name_or_id!r}."
    hints = ", ".join(f"{name} ({ident})" for name, _, ident in close)
    return f"No case {name_or_id!r}. Did you mean: {hints}?"
