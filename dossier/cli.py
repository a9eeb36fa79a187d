"""The `dossier` command line (see ../shared/CONTRACT.md for the contract it keeps).

Exit status: 0 all went well, 1 some inputs failed but the rest was stored, 2 bad usage or
nothing could be done.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from dossier.outputs import output_error, write_atomic
from dossier.store import DEFAULT_DB, Store

# Read-only commands must start fast: the readers and the analysis stages (models, language
# tables: seconds) are imported by the commands that use them, not here.
if TYPE_CHECKING:
    from rich.progress import Progress

    from dossier.model import Analysis, RawDocument

app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode=None,
    help="Dossier: news reports in many languages turned into a sourced case database.",
)
out = Console()
err = Console(stderr=True, soft_wrap=True)  # a message stays one line, however long

DbOption = Annotated[
    str, typer.Option("--db", envvar="DOSSIER_DB", help="SQLite path or sqlite:/// URL.")
]


def open_store(db: str, must_exist: bool = False) -> Store:
    try:
        from dossier.store import db_path

        path = db_path(db)
    except ValueError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    if must_exist and not path.exists():
        err.print(f"[red]error:[/] no store at {escape(str(path))}; run `dossier ingest PATH`"
                  " first")
        raise typer.Exit(2)
    if not path.parent.is_dir():
        err.print(f"[red]error:[/] no folder {escape(str(path.parent))} for the store"
                  f" {escape(str(path))}")
        raise typer.Exit(2)
    try:
        return Store(db)
    except sqlite3.Error as exc:
        err.print(f"[red]error:[/] cannot open the store {escape(str(path))}: {escape(str(exc))}")
        raise typer.Exit(2) from exc


# ---- ingest -----------------------------------------------------------------------------


@dataclass
class IngestReport:
    new: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or - for stdin.")],
    db: DbOption = DEFAULT_DB,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Processes analysing documents (0: automatic).")
    ] = 0,
    cluster: Annotated[
        str | None,
        typer.Option("--cluster", help="Analyse on this Dask scheduler (tcp://host:8786)."),
    ] = None,
) -> None:
    """Read articles, analyse them and store them; ends with a summary."""
    from dossier.ingest import expand_paths
    from dossier.ingest.readers import MAX_ARTICLE_BYTES

    files = expand_paths(paths)
    # Named paths missing from the start are typos; files that vanish later were removed mid-run.
    missing = {p for p in paths if p != "-" and not Path(p).exists()}
    if not files:
        err.print("[red]error:[/] no .txt, .md, .html, .htm, .json or .jsonl inputs found")
        raise typer.Exit(2)
    # Bounded: one byte past the limit is enough for the reader to refuse it.
    stdin = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1) if "-" in files else None
    report = IngestReport()
    if jobs <= 0:
        jobs = os.cpu_count() or 1
    with open_store(db) as store:
        with _progress(len(files), quiet) as progress:
            # The bar counts articles analysed out of those read so far (a JSON Lines file
            # holds many, and analysis is the slow part), not files opened.
            task = progress.add_task("reading", total=0)
            read = 0

            def on_file(path: str) -> None:
                progress.update(task, description=_short(path))

            def counted(items: Iterator[tuple[str, RawDocument]]
                        ) -> Iterator[tuple[str, RawDocument]]:
                nonlocal read
                for item in items:
                    read += 1
                    progress.update(task, total=read)
                    yield item

            to_analyse = counted(_new_documents(store, files, missing, stdin, report, on_file))
            for source, raw, outcome in _analysed(to_analyse, jobs, cluster):
                progress.update(task, advance=1, description="analysed")
                if isinstance(outcome, str):
                    report.failed.append((source, f"analysis failed: {outcome}"))
                else:
                    _store_one(store, source, raw, outcome, report)
        link_error = relink(store)
    _print_summary(report)
    if link_error:
        err.print(f"[red]linking failed:[/] {link_error} (documents are stored; rerun to retry)")
    if report.failed and not (report.new or report.duplicate):
        raise typer.Exit(2)
    if report.failed or link_error:
        raise typer.Exit(1)


def _analysed(
    items: Iterator[tuple[str, RawDocument]], jobs: int, cluster: str | None
) -> Iterator[tuple[str, RawDocument, Analysis | str]]:
    """Local worker processes, or the Dask cluster (results in the order they finish)."""
    if cluster is None:
        from dossier.pipeline import analyse_all

        yield from analyse_all(items, jobs)
        return
    from dossier.cluster import analyse_on_cluster

    try:
        yield from analyse_on_cluster(items, cluster)
    except (OSError, RuntimeError, TimeoutError) as exc:
        err.print(f"[red]error:[/] cluster {cluster}: {exc} (what was analysed is stored)")
        raise typer.Exit(2) from exc


def _new_documents(
    store: Store, files: list[str], missing: set[str], stdin: bytes | None,
    report: IngestReport, on_file: Callable[[str], None],
) -> Iterator[tuple[str, RawDocument]]:
    """Read every input; yield those not stored yet, recording failures and duplicates."""
    from dossier.ingest import read_path
    from dossier.pipeline import document_id

    seen: set[str] = set()
    for path in files:
        on_file(path)
        if path in missing:
            report.failed.append((path, "no such file or folder"))
            continue
        for result in read_path(path, stdin):
            if result.error or result.document is None:
                error = result.error
                report.failed.append((error.source, error.reason) if error else (path, "?"))
                continue
            doc_id = document_id(result.document.raw)
            if doc_id in seen or store.has_document(doc_id):
                report.duplicate.append(result.source)
                continue
            seen.add(doc_id)
            yield result.source, result.document


def _store_one(store: Store, source: str, raw: RawDocument, analysis: Analysis,
               report: IngestReport) -> None:
    """Store one analysed document; a value the store refuses costs this document only."""
    try:
        added = store.add(analysis, raw.raw, raw.source_bytes)
    except (sqlite3.Error, UnicodeError, ValueError, OverflowError) as exc:
        report.failed.append((source, f"cannot be stored: {type(exc).__name__}: {exc}"))
        return
    (report.new if added else report.duplicate).append(source)


def relink(store: Store) -> str | None:
    """Recompute the cross-document results when documents or review decisions changed,
    re-applying every decision; the error text or None."""
    if not store.dirty:
        return None  # a clean store: nothing to import or compute
    from dossier.review import relink as relink_reviewed

    return relink_reviewed(store)


def _progress(total: int, quiet: bool) -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err, transient=True,
        disable=quiet or not err.is_terminal or total < 2,
    )


def _short(path: str) -> str:
    return path if len(path) <= 40 else "…" + path[-39:]


def _print_summary(report: IngestReport) -> None:
    table = Table(title="Ingest summary", show_header=True)
    for column in ("new", "duplicate", "failed"):
        table.add_column(column, justify="right")
    table.add_row(str(len(report.new)), str(len(report.duplicate)), str(len(report.failed)))
    out.print(table)
    for source, reason in report.failed:
        line = " ".join(f"{source}: {reason}".split())  # one line per input, whatever it says
        err.print(f"[red]failed[/] {escape(line)}", highlight=False, soft_wrap=True)


# ---- export -----------------------------------------------------------------------------


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    format: Annotated[str, typer.Option("--format", help="json or csv.")] = "json",
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Output file (stdout when left out).")
    ] = None,
    tables: Annotated[
        Path | None, typer.Option("--tables", help="csv: write every kind as flat tables here.")
    ] = None,
    reviewed_only: Annotated[
        bool, typer.Option("--reviewed-only", help="Only events an analyst confirmed or corrected.")
    ] = False,
) -> None:
    """Write the store as dossier.export/1 JSON, or as a flat CSV events table."""
    from dossier.export import write_csv_tables, write_events_csv, write_json

    if format not in ("json", "csv"):
        err.print(f"[red]error:[/] unknown format {format!r}: use json or csv")
        raise typer.Exit(2)
    if tables is not None and format != "csv":
        err.print("[red]error:[/] --tables goes with --format csv")
        raise typer.Exit(2)
    with open_store(db, must_exist=True) as store, _writing(out_path or tables):
        relink(store)
        if format == "csv":
            if tables is not None:
                for path in write_csv_tables(store, tables, reviewed_only):
                    err.print(f"wrote {path}")
            if out_path is not None or tables is None:
                text = write_events_csv(store, out_path, reviewed_only)
                if out_path is None:
                    sys.stdout.write(text)
                else:
                    err.print(f"wrote {out_path}")
            return
        text = write_json(store, out_path, reviewed_only)
        if out_path is None:
            sys.stdout.write(text + "\n")
        else:
            err.print(f"wrote {out_path}")


# ---- review -----------------------------------------------------------------------------


@app.command()
def review(
    ident: Annotated[str, typer.Argument(metavar="ID", help="An event id or a person id.")],
    db: DbOption = DEFAULT_DB,
    confirm: Annotated[bool, typer.Option("--confirm", help="The event is right.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="The event is wrong.")] = False,
    set_fields: Annotated[
        list[str] | None,
        typer.Option("--set", metavar="FIELD=VALUE", help="Correct an event field (repeatable):"
                     " type, status, date, subject, place, origin_country, host_country,"
                     " charge, years_min, years_max."),
    ] = None,
    merge: Annotated[
        str | None, typer.Option("--merge", metavar="OTHER_ID", help="Merge this person into"
                                 " another.")
    ] = None,
    not_a_person: Annotated[
        bool, typer.Option("--not-a-person", help="This entity is not a person.")
    ] = False,
    split: Annotated[
        str | None, typer.Option("--split", metavar="DOC_ID", help="The person's mentions in"
                                 " this document are someone else.")
    ] = None,
    analyst: Annotated[
        str | None, typer.Option("--analyst", envvar="DOSSIER_ANALYST", help="Who decides.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why.")] = None,
) -> None:
    """Record an analyst's decision on an event or a person; kept across ingests and relinks."""
    from dossier.review import ReviewError, record

    actions = [name for name, given in (("confirm", confirm), ("reject", reject),
                                        ("set", bool(set_fields)), ("merge", merge is not None),
                                        ("not_a_person", not_a_person),
                                        ("split", split is not None)) if given]
    if len(actions) != 1:
        err.print("[red]error:[/] give exactly one of --confirm, --reject, --set, --merge,"
                  " --not-a-person, --split")
        raise typer.Exit(2)
    with open_store(db, must_exist=True) as store:
        relink(store)
        try:
            message = record(store, ident, actions[0], set_fields, merge, analyst, note,
                             split_document=split)
        except ReviewError as exc:
            err.print(f"[red]error:[/] {exc}", highlight=False)
            raise typer.Exit(2) from exc
        link_error = relink(store)
    out.print(message, highlight=False)
    if link_error:
        err.print(f"[red]linking failed:[/] {link_error} (the decision is stored)")
        raise typer.Exit(1)


# ---- cases ------------------------------------------------------------------------------


@app.command()
def cases(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help=f"Every case (the terminal shows the {SHOWN_CASES}"
                           " latest).")
    ] = False,
) -> None:
    """The case list: one line per person with events, latest first."""
    from dossier.terminal import case_rows, print_case_list

    with open_store(db, must_exist=True) as store:
        relink(store)
        rows = case_rows(store)
        if as_json:
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        else:
            print_case_list(out, rows, store.count_documents(),
                            None if show_all else SHOWN_CASES)


SHOWN_CASES = 100  # rows of `dossier cases` in the terminal without --all


@app.command()
def case(
    name: Annotated[str, typer.Argument(help="Name in any script or spelling, or a case id.")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output (all of"
                                           " it).")] = False,
    full: Annotated[bool, typer.Option("--full", help="Every source and evidence sentence.")
                    ] = False,
) -> None:
    """One case file: name variants, timeline with sources, disagreements (the evidence
    sentences and every source with --full)."""
    from dossier.terminal import case_file, find_case, print_case_file

    with open_store(db, must_exist=True) as store:
        relink(store)
        found, suggestions = find_case(store, name)
        if found is None:
            hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
            err.print(f"[red]no case matches[/] {name!r}{hint}")
            raise typer.Exit(2)
        data = case_file(store, found, full=full or as_json)
        if as_json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        else:
            print_case_file(out, data)


# ---- report and serve ---------------------------------------------------------------------


@app.command()
def report(
    name: Annotated[str, typer.Argument(help="Case name or id.")],
    db: DbOption = DEFAULT_DB,
    format: Annotated[str, typer.Option("--format", help="html.")] = "html",
    out_path: Annotated[Path | None, typer.Option("--out", help="Output file.")] = None,
    full: Annotated[bool, typer.Option("--full", help="List every source (a case stated in"
                                       " thousands of articles makes a long report).")
                    ] = False,
) -> None:
    """A self-contained HTML case report for sharing (prints to PDF from a browser)."""
    from dossier.report import render_case_report
    from dossier.terminal import find_case

    if format != "html":
        err.print(f"[red]error:[/] unknown format {format!r}: only html")
        raise typer.Exit(2)
    with open_store(db, must_exist=True) as store:
        relink(store)
        found, suggestions = find_case(store, name)  # any script, spelling or case ending
        if found is None and suggestions:
            err.print(f"[red]no case matches[/] {name!r}; did you mean: {', '.join(suggestions)}")
            raise typer.Exit(2)
        try:
            html = render_case_report(store, found or name, full)
        except LookupError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2) from exc
    target = out_path or Path(f"case-{_slug(name)}.html")
    with _writing(target):
        write_atomic(target, html)
    err.print(f"wrote {escape(str(target))}")


@contextmanager
def _writing(target: Path | None) -> Iterator[None]:
    """An output that cannot be written (full disk, no permission) is one line and exit 1;
    outputs are written whole or not at all, so the previous file is still there."""
    try:
        yield
    except OSError as exc:
        where = getattr(exc, "filename", None) or target
        err.print(f"[red]error:[/] {escape(output_error(where, exc))}", soft_wrap=True)
        raise typer.Exit(1) from exc


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to bind; loopback by default.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    token: Annotated[
        str | None, typer.Option(envvar="DOSSIER_TOKEN", help="Access token (needed off loopback).")
    ] = None,
    token_file: Annotated[
        Path | None, typer.Option(help="Read the access token from this file's first line"
                                       " (kept out of the process list).")
    ] = None,
) -> None:
    """The web interface."""
    import uvicorn

    from dossier.web.app import create_app, is_loopback

    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip().splitlines()[0].strip()
        except (OSError, UnicodeError, IndexError) as exc:
            err.print(f"[red]error:[/] token file {escape(str(token_file))}: cannot read a token"
                      f" ({type(exc).__name__})")
            raise typer.Exit(2) from exc
    if not is_loopback(host) and (not token or len(token) < MIN_TOKEN):
        err.print(f"[red]error:[/] binding beyond loopback needs a token of at least {MIN_TOKEN}"
                  " characters in DOSSIER_TOKEN (or --token-file, --token)")
        raise typer.Exit(2)
    with open_store(db, must_exist=True) as store:
        relink(store)
    problem = _port_taken(host, port)
    if problem:
        err.print(f"[red]error:[/] cannot listen on {escape(host)}:{port}: {escape(problem)}")
        raise typer.Exit(2)
    err.print(f"Dossier at http://{host}:{port}/" + (f" (token {_masked(token)})" if token else ""))
    if token and token_file is None and os.environ.get("DOSSIER_TOKEN") != token:
        err.print("note: a --token is visible to other users in the process list; prefer"
                  " DOSSIER_TOKEN or --token-file")
    uvicorn.run(create_app(db, token=token), host=host, port=port, log_level="warning")


MIN_TOKEN = 16  # characters: a token guessable in a few thousand tries protects nothing


def _masked(token: str) -> str:
    """Enough of the token to tell which one is in use, never the whole of it."""
    return f"{token[:2]}…{len(token)} characters" if len(token) >= 8 else f"{len(token)} characters"


def _port_taken(host: str, port: int) -> str | None:
    """Why the address cannot be bound (in use, not ours), or None; checked before uvicorn,
    which would only log the failure."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-") or "case"


def main() -> None:
    """The command, then a quick exit: an ingest leaves hundreds of MB of models and tables
    as small objects, and tearing the interpreter down freed them one by one (0.2-0.3 s of
    CPU, measured). Every command has closed its store and files by the time it returns."""
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    if isinstance(code, str):  # as sys.exit("message") would
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away (| head) takes no more
            stream.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    main()
