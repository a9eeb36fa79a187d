"""The web interface: server-rendered pages over the store, read-only but for the review
forms (which record a decision and relink); no script at all.

Article text is hostile input: every template autoescapes, the Content-Security-Policy allows
no script, and links taken from articles are shown only when they are http(s).
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import secrets
import sqlite3
import threading
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException

from dossier.model import EVENT_TYPES
from dossier.store import Store, db_path, story_alias
from dossier.web import queries
from dossier.web.format import (
    STATUS_HELP,
    STATUSES,
    country_name,
    date_label,
    day_label,
    language_name,
    safe_url,
    type_label,
)

HERE = Path(__file__).parent
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self';"
       " base-uri 'none'; frame-ancestors 'none'")
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"
COOKIE = "dossier_token"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# No listing has this many pages; a bigger number would overflow SQLite's integers.
MAX_PAGE = 100_000
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@cache
def environment() -> Environment:
    """Templates (and style.css, which the report inlines); autoescape is always on."""
    env = Environment(loader=FileSystemLoader([HERE / "templates", HERE / "static"]),
                      autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True)
    env.globals.update(
        country_name=country_name, language_name=language_name, day_label=day_label,
        date_label=date_label, type_label=type_label, safe_url=safe_url, href=queries.href,
        STATUS_HELP=STATUS_HELP, STATUSES=STATUSES, EVENT_TYPES=EVENT_TYPES,
        file_name=queries.file_name,
    )
    return env


def create_app(db: str, token: str | None = None,
               allowed_hosts: set[str] | None = None) -> FastAPI:
    """The app over the store at `db` (created empty when missing).

    With a `token`, every request must carry it: `?token=` once (it then lives in a cookie),
    or an `Authorization: Bearer` header. Without one, only loopback Host names are served
    (against DNS rebinding), plus `allowed_hosts`.
    """
    if not db_path(db).exists():
        Store(db).close()
    app = FastAPI(title="Dossier", docs_url=None, redoc_url=None, openapi_url=None)
    env = environment()
    local = threading.local()
    hosts = LOOPBACK | set(allowed_hosts or ())
    cached = _CatalogueCache(db_path(db))
    # One CSRF token per server run, in every review form: another site's page cannot read it
    # (no CORS, no script), so it cannot forge a decision; a restart expires open forms.
    csrf = secrets.token_urlsafe(32)
    writing = threading.Lock()

    def conn() -> sqlite3.Connection:
        found = getattr(local, "conn", None)
        if found is None:
            found = local.conn = Store(db, readonly=True).conn
        return found

    def page(request: Request, template: str, section: str, **context: Any) -> HTMLResponse:
        dirty = conn().execute("SELECT value FROM meta WHERE key = 'dirty'").fetchone()
        html = env.get_template(template).render(
            request=request, section=section, dirty=bool(dirty and dirty[0] == "1"),
            page_url=lambda n: _with_page(request, n), csrf=csrf, **context)
        return HTMLResponse(html)

    async def decide(request: Request, target: str) -> tuple[str, dict[str, str]]:
        """Check the form's CSRF token and origin, record the decision, relink; the one-line
        account and the form. Refusals are HTTPExceptions with the reason."""
        form = {k: v[-1] for k, v in parse_qs((await request.body()).decode("utf-8", "replace"),
                                              keep_blank_values=True).items()}
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
            raise HTTPException(403, "The form came from another site.")
        if not _same(form.get("csrf", ""), csrf):
            raise HTTPException(403, "The form has expired (the server restarted): reload the"
                                     " page and send it again.")
        action, fields, into = _form_decision(form)
        from dossier.review import ReviewError, record, relink

        with writing, Store(db) as store:
            try:
                message = record(store, target, action, fields, into, form.get("analyst"),
                                 form.get("note"), split_document=form.get("document"))
            except ReviewError as exc:
                raise HTTPException(400, str(exc)) from exc
            error = relink(store)
        if error:
            raise HTTPException(500, f"The decision is stored, but linking failed: {error}")
        return message, form

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        response = _check_access(request, token, hosts)
        if response is None:
            response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(HTTPException)
    async def not_found(request: Request, exc: HTTPException) -> HTMLResponse:
        html = env.get_template("error.html").render(
            request=request, section="", dirty=False, status=exc.status_code,
            message=_error_message(exc))
        return HTMLResponse(html, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> HTMLResponse:
        html = env.get_template("error.html").render(
            request=request, section="", dirty=False, status=400,
            message=_validation_message(exc))
        return HTMLResponse(html, status_code=400)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        view = queries.overview(conn(), cached.get(conn()))
        return page(request, "index.html", "home", view=view, periods=queries.case_periods(
            conn(), [c["id"] for c in view.recent_cases]))

    @app.get("/cases", response_class=HTMLResponse)
    def cases(request: Request, q: str = "", country: str = "", type: str = "",
              status: str = "", date_from: str = Query("", alias="from"),
              date_to: str = Query("", alias="to"),
              page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE)) -> HTMLResponse:
        bad = [d for d in (date_from, date_to) if d and not ISO_DATE.match(d)]
        filters = queries.CaseFilters(
            q=q, country=country, event_type=type, status=status,
            date_from=date_from if date_from not in bad else "",
            date_to=date_to if date_to not in bad else "", page=page_no,
            sort=request.query_params.get("sort", ""),
            route=request.query_params.get("route", ""))
        results = queries.list_cases(conn(), filters)
        return page(request, "cases.html", "cases", filters=filters, bad_dates=bad,
                    options=queries.case_options(conn()), results=results,
                    sorts=queries.sort_links(filters),
                    periods=queries.case_periods(conn(), [r["id"] for r in results.items]))

    @app.get("/map", response_class=HTMLResponse)
    def flows_map(request: Request) -> HTMLResponse:
        from dossier.web.flows import build_map, case_flows

        def link(code: str, host: str | None = None) -> str:
            query = {"route": f"{code}-{host}"} if host else {"country": code}
            return "/cases?" + urlencode(query)

        return page(request, "map.html", "map", flows=build_map(case_flows(conn()), link))

    @app.get("/export/cases.{kind}")
    def download(request: Request, kind: str) -> Response:
        """The cases the list's filters select (all pages), as the flat CSV events table or
        as dossier.export/1 JSON."""
        from dossier.export import events_csv, export_data, subset

        if kind not in ("csv", "json"):
            raise HTTPException(404, "Downloads are cases.csv or cases.json.")
        query = request.query_params
        dates = [d if ISO_DATE.match(d) else "" for d in (query.get("from", ""),
                                                          query.get("to", ""))]
        filters = queries.CaseFilters(
            q=query.get("q", ""), country=query.get("country", ""),
            event_type=query.get("type", ""), status=query.get("status", ""),
            date_from=dates[0], date_to=dates[1], route=query.get("route", ""))
        ids = queries.filtered_case_ids(conn(), filters)
        with Store(db, readonly=True) as store:
            data = subset(export_data(store), ids)
        if kind == "csv":
            body, media = events_csv(data), "text/csv; charset=utf-8"
        else:
            body = json.dumps(data, ensure_ascii=False, indent=1)
            media = "application/json; charset=utf-8"
        return Response(body, media_type=media, headers={
            "Content-Disposition": f'attachment; filename="dossier-cases.{kind}"'})

    @app.get("/cases/{case_id}", response_class=HTMLResponse)
    def case(request: Request, case_id: str, full: str = "") -> HTMLResponse:
        view = queries.load_case(conn(), case_id, full=full not in ("", "0"))
        if view is None:
            raise HTTPException(404, "No such case.")
        return page(request, "case.html", "cases", case=view)

    @app.get("/cases/{case_id}/report", response_class=HTMLResponse)
    def report(case_id: str, full: str = "") -> HTMLResponse:
        from dossier.report import case_report_html

        try:
            html = case_report_html(conn(), case_id, full=full not in ("", "0"))
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from exc
        return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP})

    @app.post("/events/{event_id}/review")
    async def review_event(request: Request, event_id: str) -> Response:
        await decide(request, event_id)
        row = conn().execute("SELECT c.id FROM events e JOIN cases c ON c.person = e.subject"
                             " WHERE e.id = ?", (event_id,)).fetchone()
        if row is None:
            return RedirectResponse("/cases", status_code=303)
        return RedirectResponse(queries.href("cases", row[0], queries.anchor_id(event_id)),
                                status_code=303)

    @app.post("/entities/{entity_id}/review")
    async def review_entity(request: Request, entity_id: str) -> Response:
        _, form = await decide(request, entity_id)
        target = form.get("into") if form.get("action") == "merge" else entity_id
        return RedirectResponse(queries.href("entities", target or entity_id), status_code=303)

    @app.get("/entities", response_class=HTMLResponse)
    def entities(request: Request, type: str = "", q: str = "",
                 page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE)) -> HTMLResponse:
        kind = type if type in ("person", "organization", "location") else ""
        return page(request, "entities.html", "entities", kind=kind, q=q,
                    sort=request.query_params.get("sort", ""),
                    results=queries.list_entities(conn(), kind, q, page_no,
                                                  request.query_params.get("sort", "")))

    @app.get("/entities/{entity_id}", response_class=HTMLResponse)
    def entity(request: Request, entity_id: str,
               page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE)) -> HTMLResponse:
        view = queries.load_entity(conn(), cached.get(conn()), entity_id, page_no)
        if view is None:
            raise HTTPException(404, "No such person, organisation or place.")
        return page(request, "entity.html", "entities", entity=view, periods=queries.case_periods(
            conn(), [c["id"] for c in view.cases]))

    @app.get("/documents", response_class=HTMLResponse)
    def documents(request: Request, q: str = "", lang: str = "", story: str = "",
                  page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE)) -> HTMLResponse:
        catalogue = cached.get(conn())
        return page(request, "documents.html", "documents", q=q, lang=lang, story=story,
                    languages=catalogue.languages,
                    results=queries.list_documents(conn(), catalogue, q, lang, story, page_no))

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document(request: Request, doc_id: str) -> HTMLResponse:
        view = queries.load_document(conn(), doc_id)
        if view is None:
            raise HTTPException(404, "No such document.")
        return page(request, "document.html", "documents", view=view)

    @app.get("/documents/{doc_id}/raw")
    def raw(doc_id: str) -> Response:
        row = conn().execute("SELECT r.raw, d.format FROM raw_inputs r JOIN documents d"
                             " ON d.id = r.document WHERE r.document = ?", (doc_id,)).fetchone()
        if row is None:
            raise HTTPException(404, "No such document.")
        suffix = {"html": "html", "json": "json"}.get(row["format"], "txt")
        name = re.sub(r"[^A-Za-z0-9_-]", "_", doc_id)
        return Response(bytes(row["raw"]), media_type="application/octet-stream", headers={
            "Content-Disposition": f'attachment; filename="{name}.{suffix}"',
            "Content-Security-Policy": "default-src 'none'; sandbox"})

    @app.get("/stories", response_class=HTMLResponse)
    def stories(request: Request, q: str = "",
                page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE)) -> HTMLResponse:
        return page(request, "stories.html", "stories", q=q,
                    results=queries.list_stories(conn(), q, page_no))

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def story(request: Request, story_id: str) -> Response:
        view = queries.load_story(conn(), story_id)
        if view is None:
            # a relink merged or renamed it: old links lead to where its documents went
            if current := story_alias(conn(), story_id):
                return RedirectResponse(queries.href("stories", current), status_code=302)
            raise HTTPException(404, "No such story.")
        return page(request, "story.html", "stories", story=view)

    @app.get("/claims", response_class=HTMLResponse)
    def claims(request: Request, q: str = "", disputed: str = "",
               page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE)) -> HTMLResponse:
        return page(request, "claims.html", "claims", q=q, disputed=bool(disputed),
                    results=queries.list_claims(conn(), q, bool(disputed), page_no))

    return app


def _error_message(exc: HTTPException) -> str:
    """The one line an error page says; the router's bare "Not Found" gets plain words."""
    if not isinstance(exc.detail, str) or exc.detail.lower() == "not found":
        if exc.status_code == 404:
            return "There is no page at this address."
        return "The request could not be answered."
    return exc.detail


def _form_decision(form: dict[str, str]) -> tuple[str, list[str], str | None]:
    """(action, FIELD=VALUE corrections, merge target) from a review form; only the fields
    the analyst changed count as corrections."""
    action = form.get("action", "")
    if action == "correct":
        fields = [f"{name}={form[name].strip()}"
                  for name in ("type", "status", "date", "subject", "place")
                  if form.get(name, "").strip()
                  and form[name].strip() != form.get(f"was_{name}", "").strip()]
        if not fields:
            raise HTTPException(400, "Nothing was changed: edit a field to correct it.")
        return "set", fields, None
    if action in ("confirm", "reject", "merge", "not_a_person", "split"):
        return action, [], form.get("into") or None
    raise HTTPException(400, "Unknown review action.")


def is_loopback(host: str) -> bool:
    if host.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Run the interface with uvicorn; refuses a non-loopback host without a token."""
    if not is_loopback(host) and not token:
        raise ValueError(f"refusing to serve on {host} without a token: pass --token, or bind"
                         " to 127.0.0.1")
    import uvicorn

    uvicorn.run(create_app(db, token), host=host, port=port, log_level="warning")


class _CatalogueCache:
    """The document catalogue, rebuilt when the store's files change (any commit does)."""

    def __init__(self, path: Path):
        self.files = [path, path.with_name(path.name + "-wal")]
        self.lock = threading.Lock()
        self.stamp: tuple[tuple[int, int], ...] | None = None
        self.value: queries.Catalogue | None = None

    def _stamp(self) -> tuple[tuple[int, int], ...]:
        stamps = []
        for file in self.files:
            try:
                info = os.stat(file)
                stamps.append((info.st_mtime_ns, info.st_size))
            except FileNotFoundError:
                stamps.append((0, 0))
        return tuple(stamps)

    def get(self, conn: sqlite3.Connection) -> queries.Catalogue:
        with self.lock:
            stamp = self._stamp()
            if self.value is None or stamp != self.stamp:
                self.value, self.stamp = queries.load_catalogue(conn), stamp
            return self.value


def _with_page(request: Request, number: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    query = urlencode([*params, ("page", str(number))])
    return f"{request.url.path}?{query}"


def _host(request: Request) -> str:
    host = request.headers.get("host", "")
    if host.startswith("["):
        return host[1:host.find("]")]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _same(given: str, token: str) -> bool:
    return secrets.compare_digest(given.encode(), token.encode())


def _validation_message(exc: RequestValidationError) -> str:
    """Which part of the address was wrong, in words (never FastAPI's JSON)."""
    for error in exc.errors():
        where = error.get("loc", ())
        if where and where[-1] == "page":
            return f"The page number must be a whole number from 1 to {MAX_PAGE:,}."
    return "The address has a value this page cannot use."


def _from_test_client(request: Request) -> bool:
    """Starlette's TestClient sends Host `testserver` from client `testclient`; no socket
    peer is ever called that, so a real request with that Host is still refused."""
    client = request.client
    return _host(request) == "testserver" and client is not None and client.host == "testclient"


def _check_access(request: Request, token: str | None, hosts: set[str]) -> Response | None:
    """None when the request may go on; otherwise the answer that refuses it."""
    if token is None:
        if _host(request) not in hosts and not _from_test_client(request):
            return PlainTextResponse("This server answers only on its loopback address.", 400)
        return None
    given = request.query_params.get("token")
    if given is not None and _same(given, token):
        rest = request.url.remove_query_params("token")
        target = rest.path + (f"?{rest.query}" if rest.query else "")
        response: Response = RedirectResponse(target, status_code=303)
        response.set_cookie(COOKIE, token, httponly=True, samesite="lax")
        return response
    header = request.headers.get("authorization", "")
    if header.startswith("Bearer ") and _same(header[7:].strip(), token):
        return None
    cookie = request.cookies.get(COOKIE)
    if cookie and _same(cookie, token):
        return None
    return PlainTextResponse("Access needs the token: open the link with ?token=... once, or"
                             " send 'Authorization: Bearer ...'.", 401)
