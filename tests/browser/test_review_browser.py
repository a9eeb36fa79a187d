"""An analyst's review in a real Chromium, on a store ingested from the bundled examples:
reject an event, correct a date, merge two persons; ingest again; the corrections hold and
the export carries them. Screenshots at 1366 and 390 px."""

from __future__ import annotations

import json
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_harness import ROOT, Watched
from typer.testing import CliRunner

from dossier.cli import app

pytestmark = pytest.mark.browser
EXAMPLES = ROOT / "examples" / "articles"
LATER = (" date 2026-03-06 RO\nBloggerul rus Aleksandr Șmeliov a fost eliberat din arest pe"
         " 3 martie la Chișinău, a anunțat avocata sa Doina Cojocaru.")
runner = CliRunner()


def cli(*args: str, db: Path) -> str:
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("review-web")
    for name in ("uk-03-shmelev-moldova.txt", "ro-01-shmeliov-extradare-blocata.txt"):
        shutil.copy(EXAMPLES / name, folder / name)
    db = folder / "d.db"
    cli("ingest", str(folder), "-q", db=db)
    return db


@pytest.fixture(scope="module")
def site(store: Path) -> Iterator[str]:
    import uvicorn

    from dossier.web.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(str(store)), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the web server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


def _case(page: Any, site: str, db: Path) -> str:
    """Open Shmelyov's case from the list (the command line finds it by any spelling)."""
    case_id = json.loads(cli("case", "Shmelyov", "--json", db=db))["case"]["id"]
    page.goto(site + "/cases")
    with page.expect_navigation():
        page.locator(f"table.list tbody tr a[href='/cases/{case_id}']").click()
    return page.url


def _card(page: Any, label: str) -> Any:
    return page.locator("section[aria-labelledby='ev-h'] article.event").filter(
        has=page.locator("h3", has_text=re.compile(f"^{label}$")))


def _submit(button: Any) -> None:
    with button.page.expect_navigation():
        button.click()


def test_review_in_the_browser_holds_after_ingest(watched: Watched, site: str, store: Path,
                                                  tmp_path: Path) -> None:
    page = watched.page
    case_url = _case(page, site, store)
    flight = _card(page, "Flight")
    assert flight.count() == 1
    flight.locator("summary", has_text="Review this event").click()
    flight.get_by_label("Your name").fill("Ana")
    flight.get_by_label("Note").fill("he moved, he did not flee")
    _submit(flight.get_by_role("button", name="Reject"))
    assert _card(page, "Flight").count() == 0
    rejected = page.locator("section[aria-labelledby='rej-h'] article.event")
    assert rejected.count() == 1 and "he did not flee" in rejected.inner_text()
    assert "Flight" not in page.locator("svg.timeline").text_content()

    detention = _card(page, "Detention")
    detention.locator("summary", has_text="Review this event").click()
    detention.get_by_label("Your name").fill("Ana")
    detention.get_by_label("Date").fill("2026-01")
    page.set_viewport_size({"width": 1366, "height": 900})
    watched.shot("review-form-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    watched.shot("review-form-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    _submit(detention.get_by_role("button", name="Save correction"))
    detention = _card(page, "Detention")
    assert "Jan 2026" in detention.locator(".date").inner_text()
    assert "corrected" in detention.locator(".review-line").inner_text()

    page.goto(site + "/entities/person:kozhokar")
    page.locator("summary", has_text="Review this person").click()
    page.get_by_label("Merge into").select_option(label="Doina Cojocaru")
    _submit(page.get_by_role("button", name="Merge"))
    assert page.url.endswith("/entities/person%3Adoina-cojocaru")
    assert "Кожокар" in page.locator("table.list").first.inner_text()

    later = tmp_path / "later.txt"
    later.write_text(LATER, encoding="utf-8")
    cli("ingest", str(later), "-q", db=store)
    page.goto(case_url)
    assert _card(page, "Flight").count() == 0
    assert "Jan 2026" in _card(page, "Detention").locator(".date").inner_text()
    assert page.goto(site + "/entities/person:kozhokar").status == 404
    assert len(watched.errors) == 1 and "404" in watched.errors.pop()  # that answer, logged
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(case_url)
        watched.shot(f"case-reviewed-{width}")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/cases", case_url.replace(site, "")):
        page.goto(site + path)  # nothing cut off at phone width: no sideways page scroll
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    assert page.locator("svg.timeline").bounding_box()["width"] >= 760  # readable, scrolls
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site + "/map")
        arrow = page.locator("svg.flows a.flow").filter(has_text="Russia → Moldova").first
        assert "Russia → Moldova" in arrow.locator("title").text_content()
        watched.shot(f"map-{width}")
    page.locator("svg.flows a.flow").filter(has_text="Russia → Moldova").first.focus()  # by keys
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "route=RU-MD" in page.url
    assert page.locator(f"table.list a[href='{case_url.replace(site, '')}']").count() == 1
    data = json.loads(cli("export", db=store))
    states = {e["type"]: e["review"] for e in data["events"]
              if e["review"]["state"] != "unreviewed"}
    assert states["flight"]["state"] == "rejected" and states["flight"]["analyst"] == "Ana"
    assert states["detention"]["state"] == "corrected"
    assert "person:kozhokar" not in {e["id"] for e in data["entities"]}
    assert watched.errors == [] and watched.dialogs == []
