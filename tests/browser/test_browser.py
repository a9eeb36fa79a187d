"""The web interface in a real Chromium: search, case page, timeline, evidence, and hostile
article text that must stay text."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_harness import SCREENSHOTS, Watched
from sample_store import EVIL_NAME, EVIL_QUOTE, EVIL_STORY, IMG, SCRIPT, Sample


def _follow(locator: Any) -> None:
    """Click something that loads a new page and wait for it: counting rows of the old page
    (or of one still loading) made the filter test flaky."""
    with locator.page.expect_navigation():
        locator.click()

pytestmark = pytest.mark.browser


def _open(watched: Watched, url: str) -> Any:
    response = watched.page.goto(url)
    assert response is not None and response.status == 200, url
    return watched.page


def test_search_open_case_see_timeline_and_evidence(watched: Watched, server: str,
                                                     sample: Sample) -> None:
    page = _open(watched, server + "/")
    watched.shot("home")
    page.get_by_label("Find a person").fill("Тулегенов")
    _follow(page.get_by_role("button", name="Search cases"))
    page.wait_for_url(re.compile(r"/cases\?q="))
    results = page.locator("table.list tbody tr")
    assert results.count() == 1
    assert "Arman Tulegenov" in results.first.inner_text()
    watched.shot("cases")

    _follow(page.get_by_role("link", name="Arman Tulegenov"))
    page.wait_for_url(re.compile(r"/cases/case-tulegenov$"))
    assert page.locator("h1").inner_text() == "Arman Tulegenov"
    timeline = page.locator("svg.timeline")
    assert timeline.is_visible()
    labels = timeline.locator("text.ev-label").all_text_contents()
    assert [label.split(" · ")[0] for label in labels] == [
        "Detention", "Extradition request", "Extradition approved", "Appeal"]
    xs = [float(x) for x in timeline.locator("a.ev circle, a.ev polygon").evaluate_all(
        "els => els.map(e => e.getAttribute('cx') || e.getAttribute('points').split(',')[0])")]
    assert xs == sorted(xs)
    assert "Sentence" in page.locator(".undated").inner_text()

    detention = page.locator("#ev-event-detention")
    quote = detention.locator("blockquote[lang='uk']")
    assert "затримала" in quote.locator("mark.m-trigger").inner_text()
    assert "Армана Тулегенова" in quote.locator("mark.m-subject").inner_text()
    assert detention.locator("blockquote[lang='ro'] mark.m-trigger").inner_text() == "reținut"
    watched.shot("case")

    page.locator("svg.timeline a.ev text.ev-label").first.click()
    assert page.url.endswith("#ev-event-detention")
    _follow(detention.get_by_role("link", name=re.compile("Казахстан затримав")))
    page.wait_for_url(re.compile(r"/documents/.+#at-\d+$"))
    target = page.locator(".ev-span:target")
    assert "затримала" in target.inner_text()
    assert page.locator("article.doc-text").get_attribute("lang") == "uk"
    watched.shot("document")
    assert watched.dialogs == [] and watched.errors == []


def test_filters_narrow_the_case_list(watched: Watched, server: str) -> None:
    page = _open(watched, server + "/cases")
    assert page.locator("table.list tbody tr").count() == 2
    page.get_by_label("Country").select_option(label="Georgia")
    _follow(page.get_by_role("button", name="Filter"))
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 1 and "Sokolov" in rows.first.inner_text()
    page.goto(server + "/cases")
    page.get_by_label("Event type").select_option(label="Appeal")
    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("To").fill("2026-02-28")
    _follow(page.get_by_role("button", name="Filter"))
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 1 and "Tulegenov" in rows.first.inner_text()
    page.get_by_label("To").fill("2025-12-31")
    _follow(page.get_by_role("button", name="Filter"))
    assert page.locator("table.list tbody tr").count() == 0
    assert watched.errors == []


def test_hostile_article_renders_as_text(watched: Watched, server: str, sample: Sample) -> None:
    pages = {
        "document-hostile": f"/documents/{sample.docs['evil']}",
        "case-hostile": "/cases/case-sokolov",
        "entity-hostile": "/entities/ent-sok",
        "story-hostile": "/stories/story-sokolov",
        "stories": "/stories",
        "entities": "/entities",
        "documents": "/documents",
        "claims": "/claims",
        "report-hostile": "/cases/case-sokolov/report",
    }
    for name, path in pages.items():
        page = _open(watched, server + path)
        assert page.locator("script").count() == 0, path
        assert page.locator("img").count() == 0, path
        assert page.locator("a[href^='javascript:' i]").count() == 0, path
        assert page.evaluate("() => document.querySelectorAll('[onerror]').length") == 0
        watched.shot(name)
    page = _open(watched, server + f"/documents/{sample.docs['evil']}")
    text = page.locator("article.doc-text").inner_text()
    assert SCRIPT in text and IMG in text and EVIL_QUOTE in text
    assert SCRIPT in page.locator("h1").inner_text()
    assert "<script>alert(7)</script>" in page.locator(".warnings").inner_text()
    page = _open(watched, server + "/cases/case-sokolov")
    assert page.locator("h1").inner_text() == EVIL_NAME
    page = _open(watched, server + "/stories")
    assert EVIL_STORY in page.locator("table.list").inner_text()
    assert watched.dialogs == []


def test_every_page_loads_clean(watched: Watched, server: str, sample: Sample) -> None:
    paths = ["/", "/cases", "/cases/case-tulegenov", "/entities", "/entities?type=person",
             "/entities/ent-tul", "/documents", f"/documents/{sample.docs['en']}", "/stories",
             "/stories/story-tulegenov", "/claims", "/claims?disputed=1"]
    for path in paths:
        page = _open(watched, server + path)
        assert page.locator("h1").count() == 1, path
        assert page.locator("link[rel=stylesheet]").count() == 1
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != "", path
    shots = {"entity": "/entities/ent-tul", "claims": "/claims",
             "story": "/stories/story-tulegenov"}
    for name, path in shots.items():
        _open(watched, server + path)
        watched.shot(name)
    assert watched.errors == [] and watched.dialogs == []
    assert all(url.startswith(server) for url in watched.requests)


def test_report_is_self_contained(watched: Watched, server: str) -> None:
    page = _open(watched, server + "/cases/case-tulegenov/report")
    assert watched.requests == [server + "/cases/case-tulegenov/report"]
    assert page.locator("svg.timeline a.ev").count() == 4
    assert page.locator("link, script, img, iframe").count() == 0
    watched.shot("report")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.emulate_media(media="print")
    pdf = page.pdf(path=str(SCREENSHOTS.parent / "report-tulegenov.pdf"), format="A4")
    assert pdf[:4] == b"%PDF"
    assert watched.dialogs == [] and watched.errors == []
