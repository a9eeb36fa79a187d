"""The web app and the case report over a hand-built store (no browser): pages, filters,
escaping of hostile article text, access token, and the pieces behind the pages."""

from __future__ import annotations

import importlib.util
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from dossier.report import render_case_report
from dossier.store import Store
from dossier.web.app import create_app, is_loopback, serve
from dossier.web.format import attributes_label, date_label, safe_url
from dossier.web.highlight import Mark, Span, blocks, pieces
from dossier.web.timeline import TimelineEvent, build_timeline

ROOT = Path(__file__).resolve().parents[1]


def _module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


samples = _module("web_sample_store", ROOT / "tests" / "browser" / "sample_store.py")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    return samples.build_sample_store(tmp_path_factory.mktemp("web") / "dossier.db")


@pytest.fixture(scope="module")
def client(sample) -> TestClient:
    return TestClient(create_app(str(sample.path)), base_url="http://127.0.0.1")


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer would see them."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    """No script, no image, no event handler, no javascript: link anywhere in the page."""
    tags = Tags(html).tags
    assert not [t for t, _ in tags if t in ("script", "img", "iframe", "object", "embed")]
    for tag, attrs in tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action", "cite"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:text")), (tag, attrs)


def pages(sample) -> list[str]:
    return ["/", "/cases", "/cases/case-tulegenov", "/cases/case-sokolov", "/entities",
            "/entities?type=person", "/entities/ent-tul", "/entities/ent-sok", "/documents",
            *[f"/documents/{d}" for d in sample.docs.values()], "/stories",
            "/stories/story-tulegenov", "/stories/story-sokolov", "/claims", "/claims?disputed=1",
            "/cases/case-sokolov/report"]


def test_every_page_answers_inert_with_a_strict_policy(client: TestClient, sample) -> None:
    for path in pages(sample):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert_inert(response.text)


def test_hostile_text_is_escaped_where_it_appears(client: TestClient, sample) -> None:
    doc = client.get(f"/documents/{sample.docs['evil']}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "&lt;img src=x onerror=alert(2)&gt;" in doc
    assert "&lt;script&gt;alert(7)&lt;/script&gt;" in doc  # a warning
    assert "javascript:alert(6)" in doc and 'href="javascript:' not in doc
    assert "<script>" not in doc and "<img" not in doc
    for path, payload in [("/cases", "alert(8)"), ("/stories", "alert(10)"),
                          ("/entities/ent-sok", "alert(3)"), ("/cases/case-sokolov", "alert(5)")]:
        html = client.get(path).text
        assert payload in html, path
        assert "<img" not in html and "<script" not in html.lower(), path


def test_case_search_matches_any_script_and_filters(client: TestClient) -> None:
    def names(query: str) -> list[str]:
        html = client.get("/cases" + query).text
        return [a["href"] for t, a in Tags(html).tags
                if t == "a" and (a.get("href") or "").startswith("/cases/")]

    assert names("?q=тулегенов") == ["/cases/case-tulegenov"]
    assert names("?q=TULEGENOV") == ["/cases/case-tulegenov"]
    assert names("?q=Соколов") == ["/cases/case-sokolov"]
    assert names("?country=GE") == ["/cases/case-sokolov"]
    assert names("?type=appeal") == ["/cases/case-tulegenov"]
    assert names("?status=possible") == ["/cases/case-tulegenov"]  # has a possible event
    assert len(names("?status=pending")) == 2
    assert names("?from=2026-03-01") == ["/cases/case-sokolov"]
    assert names("?to=2026-01-31") == ["/cases/case-tulegenov"]
    assert names("?q=nobody") == []
    assert len(names("")) == 2
    html = client.get("/cases?from=yesterday").text
    assert "Ignored a date" in html and len(names("?from=yesterday")) == 2


def test_case_list_sorts_by_column_links(client: TestClient) -> None:
    def order(query: str) -> list[str]:
        html = client.get("/cases" + query).text
        return [a["href"] for t, a in Tags(html).tags
                if t == "a" and (a.get("href") or "").startswith("/cases/")]

    assert order("?sort=name") == ["/cases/case-tulegenov", "/cases/case-sokolov"]
    assert order("?sort=-name") == ["/cases/case-sokolov", "/cases/case-tulegenov"]
    assert order("?sort=period") == ["/cases/case-tulegenov", "/cases/case-sokolov"]
    assert order("?sort=nonsense") == order("")
    html = client.get("/cases?sort=name&country=GE").text
    assert 'href="/cases?country=GE&amp;sort=-name"' in html  # again: the other way round
    assert 'aria-sort="ascending"' in html


def test_downloads_hold_the_filtered_cases(client: TestClient) -> None:
    import csv
    import io
    import json

    page = client.get("/cases?country=GE").text
    assert 'href="/export/cases.csv?country=GE"' in page
    answer = client.get("/export/cases.csv?country=GE")
    assert answer.headers["content-disposition"] == 'attachment; filename="dossier-cases.csv"'
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert {r["type"] for r in rows} == {"deportation", "asylum_application"}
    assert all(not r["person"].startswith(("=", "+", "-", "@")) for r in rows)
    data = json.loads(client.get("/export/cases.json?country=GE").text)
    assert data["format"] == "dossier.export/1" and len(data["cases"]) == 1
    assert {e["type"] for e in data["events"]} == {"deportation", "asylum_application"}
    assert len(json.loads(client.get("/export/cases.json").text)["cases"]) == 2
    assert client.get("/export/cases.xml").status_code == 404


def test_case_page_shows_timeline_names_conflicts_and_evidence(client: TestClient) -> None:
    html = client.get("/cases/case-tulegenov").text
    tags = Tags(html).tags
    points = [a["href"] for t, a in tags if t == "a" and "ev" in (a.get("class") or "").split()]
    assert points == ["#ev-event-detention", "#ev-event-request", "#ev-event-approved",
                      "#ev-event-appeal"]
    assert 'id="ev-event-term"' in html
    assert "up to 20 years" in html and "up to 10 years" in html
    assert 'lang="uk">Тулегенов' in html
    assert '<mark class="m-trigger">затримала</mark>' in html
    assert '<mark class="m-subject">Армана Тулегенова</mark>' in html
    assert ('<blockquote lang="ro"' in html) and ("reținut" in html)
    evidence_links = [a["href"] for t, a in tags if t == "a" and "#at-" in (a.get("href") or "")]
    assert len(evidence_links) == 8  # 2 + 1 + 2 + 1 + 2 sentences


def test_short_case_page_links_to_every_source(client: TestClient, monkeypatch) -> None:
    """A case stated in thousands of articles: the default page names a few sources per event
    and per disputed value, says how many more there are and links to the full page."""
    from dossier.web import queries

    monkeypatch.setattr(queries, "MAX_EVIDENCE", 1)
    monkeypatch.setattr(queries, "MAX_MORE", 0)
    monkeypatch.setattr(queries, "MAX_CONFLICT_SOURCES", 0)
    short = client.get("/cases/case-tulegenov").text
    full = client.get("/cases/case-tulegenov?full=1").text
    # the detention (uk and ro articles): one sentence shown, the other source counted
    assert '<a href="?full=1#ev-event-detention">1 more</a>' in short
    assert full.count("1 more source state this") == short.count("1 more source state this")
    assert short.count('<a href="?full=1#conf-h">1 more</a>') == 2  # one source per value
    assert '<a href="?full=1">Every source (3)</a>' in short
    assert "?full=1" not in full and ">Short page</a>" in full
    assert full.count('<li id="doc-') == 3 and short.count('<li id="doc-') == 2
    assert "The 2 named above, of 3: " in short


def test_document_page_highlights_and_warns(client: TestClient, sample) -> None:
    html = client.get(f"/documents/{sample.docs['uk']}").text
    assert '<article class="doc-text" lang="uk"' in html
    assert 'href="/entities/ent-tul"><mark class="m-person"' in html
    assert html.count('class="ev-span"') >= 3
    assert "Мій підзахисний не вчинив жодного злочину" in html
    evil = client.get(f"/documents/{sample.docs['evil']}").text
    assert 'class="warnings"' in evil and "declared language ru but text is en" in evil
    raw = client.get(f"/documents/{sample.docs['evil']}/raw")
    assert raw.headers["content-disposition"].startswith("attachment")
    assert raw.headers["content-type"] == "application/octet-stream"
    assert samples.SCRIPT.encode() in raw.content


def test_missing_things_are_404_pages(client: TestClient) -> None:
    for path in ("/cases/nope", "/entities/nope", "/documents/nope", "/stories/nope",
                 "/documents/nope/raw", "/cases/nope/report"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"]
    page = client.get("/no/such/page").text
    assert page.lower().count("not found") == 1 and "There is no page at this address." in page


def test_a_retired_story_id_redirects_to_where_its_documents_went(tmp_path: Path) -> None:
    sample = samples.build_sample_store(tmp_path / "dossier.db")
    with Store(str(sample.path)) as store, store.conn:
        store.conn.execute("INSERT INTO story_aliases VALUES ('story-old', 'story-older')")
        store.conn.execute("INSERT INTO story_aliases VALUES ('story-older', ?)",
                           (sample.stories["tul"],))
    client = TestClient(create_app(str(sample.path)), base_url="http://127.0.0.1")
    response = client.get("/stories/story-old", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == f"/stories/{sample.stories['tul']}"
    assert client.get("/stories/story-old").status_code == 200


def test_an_empty_new_store_serves_empty_pages(tmp_path: Path) -> None:
    client = TestClient(create_app(str(tmp_path / "new.db")), base_url="http://127.0.0.1")
    for path in ("/", "/cases", "/entities", "/documents", "/stories", "/claims"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert "No cases yet" in client.get("/").text
    assert "No case matches" in client.get("/cases").text


def test_token_guards_every_request(sample) -> None:
    app = create_app(str(sample.path), token="s3cret")
    browser = TestClient(app, base_url="http://10.0.0.5:8000")
    assert browser.get("/").status_code == 401
    assert browser.get("/static/style.css").status_code == 401
    assert browser.get("/?token=wrong").status_code == 401
    first = browser.get("/cases?q=tul&token=s3cret", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/cases?q=tul"
    assert "httponly" in first.headers["set-cookie"].lower()
    assert browser.get("/cases?q=tul").status_code == 200  # the cookie now carries it
    other = TestClient(app, base_url="http://10.0.0.5:8000")
    assert other.get("/", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert other.get("/", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_without_token_only_loopback_hosts(sample) -> None:
    app = create_app(str(sample.path))
    assert TestClient(app, base_url="http://evil.example").get("/").status_code == 400
    assert TestClient(app, base_url="http://localhost:8000").get("/").status_code == 200
    assert TestClient(app, base_url="http://[::1]:8000").get("/").status_code == 200


def test_serve_refuses_open_hosts_without_token(sample) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    with pytest.raises(ValueError, match="token"):
        serve(str(sample.path), host="0.0.0.0")


def test_report_is_one_inert_self_contained_file(sample) -> None:
    with Store(str(sample.path), readonly=True) as store:
        by_variant = render_case_report(store, "Тулегенов")
        for key in ("arman tulegenov", "case-tulegenov", "ent-tul"):
            assert "<h1>Arman Tulegenov</h1>" in render_case_report(store, key)
        evil = render_case_report(store, "case-sokolov")
        with pytest.raises(LookupError, match="Arman Tulegenov"):
            render_case_report(store, "Tulegenof")
    for html in (by_variant, evil):
        assert_inert(html)
        tags = Tags(html).tags
        assert not [t for t, a in tags if t == "link" or "src" in a]
        assert "<svg" in html and "@media print" in html and "url(" not in html
        assert "/static/" not in html and "http-equiv=\"Content-Security-Policy\"" in html
    assert "Arman Tulegenov" in by_variant and "possible prison term" in by_variant
    assert '<mark class="m-trigger">затримала</mark>' in by_variant
    assert "&lt;script&gt;alert(8)&lt;/script&gt;" in evil


def test_pages_are_paginated(tmp_path: Path) -> None:
    bench = _module("bench_web", ROOT / "bench" / "web.py")
    ids = bench.build_store(tmp_path / "many.db", n_docs=260)
    client = TestClient(create_app(str(tmp_path / "many.db")), base_url="http://127.0.0.1")

    def rows(path: str) -> int:
        return max(client.get(path).text.count("<tr>") - 1, 0)  # minus the header row

    assert rows("/documents") == 50 and "Page 1 of 6" in client.get("/documents").text
    assert rows("/documents?page=6") == 10 and rows("/documents?page=7") == 0
    assert rows("/documents?q=report+25") == 11  # 25, 250..259
    assert rows("/entities?type=person") == 50
    assert client.get(f"/cases/{ids['heavy_case']}").status_code == 200
    # out-of-range, huge, negative or non-numeric pages: an HTML 400 page, never JSON or 500
    for bad in ("0", "-1", "99999999999999999999", "100001", "abc"):
        for path in ("/documents", "/cases", "/entities", "/stories", "/claims"):
            answer = client.get(f"{path}?page={bad}")
            assert answer.status_code == 400, (path, bad)
            assert answer.headers["content-type"].startswith("text/html")
            assert "page number must be a whole number from 1 to 100,000" in answer.text


def test_pieces_cut_text_at_marks_first_wins() -> None:
    text = "Police detained Ivan Petrov in Almaty."
    marks = [Mark(16, 27, "person"), Mark(7, 15, "trigger"), Mark(21, 31, "location"),
             Mark(31, 37, "location", "/entities/x")]
    cut = pieces(text, marks)
    assert "".join(p.text for p in cut) == text
    assert [(p.text, p.mark.kind if p.mark else None) for p in cut] == [
        ("Police ", None), ("detained", "trigger"), (" ", None), ("Ivan Petrov", "person"),
        (" in ", None), ("Almaty", "location"), (".", None)]
    layout = blocks(text, [Span(7, 27, [{"label": "x"}]), Span(16, 38, [{"label": "y"}])], marks)
    assert [(b.evidence, "".join(p.text for p in b.pieces)) for b in layout] == [
        (False, "Police "), (True, "detained Ivan Petrov in Almaty.")]
    assert [e["label"] for e in layout[1].events] == ["x", "y"]


def test_timeline_orders_events_and_keeps_labels_apart() -> None:
    def event(i: int, start: str | None, end: str | None = None) -> TimelineEvent:
        return TimelineEvent(f"e{i}", "detention", "Detention", "occurred", start, end or start,
                             "date", f"#e{i}")

    tl = build_timeline([event(1, "2026-02-02"), event(2, "2026-01-20"), event(3, "2026-01-21"),
                         event(4, None), event(5, "2026-01-05", "2026-01-31")])
    assert [p.event.id for p in tl.points] == ["e5", "e2", "e3", "e1"]
    assert [p.x for p in tl.points] == sorted(p.x for p in tl.points)
    assert tl.points[1].y != tl.points[2].y  # one day apart: labels would collide
    assert tl.points[0].x_end > tl.points[0].x  # a range is drawn as a bar
    assert [e.id for e in tl.undated] == ["e4"]
    assert all(0 <= p.x <= tl.width for p in tl.points)
    assert [t.x for t in tl.ticks] == sorted(t.x for t in tl.ticks) and len(tl.ticks) >= 2
    years = build_timeline([event(1, "2001-05-01"), event(2, "2026-05-01")])
    assert 2 <= len(years.ticks) <= 11


def test_labels() -> None:
    assert date_label({"start": "2026-01-21", "end": "2026-01-31",
                       "precision": "part_of_month"}) == "21–31 Jan 2026"
    assert date_label({"start": "2026-01-01", "end": "2026-01-31", "precision": "month"}) == \
        "Jan 2026"
    assert date_label({"start": None, "end": None, "precision": "unknown"}) == "date unknown"
    assert attributes_label({"years_min": 12, "years_max": 15, "charge": "treason"}) == [
        "term: 12 to 15 years", "charge: treason"]
    nested = {"date": {"2022-10": ["98f98d2c2270c3a5", "fbb5701ea25fe091"],
                       "2022-09": ["7dc3e1b20208fea8"]}}
    assert attributes_label({"variants": nested}) == [
        "variants: date 2022-10 (2 sources); 2022-09 (1 source)"]
    assert safe_url("JavaScript:alert(1)") is None and safe_url(" https://a.example/x ") == \
        "https://a.example/x"


def test_flows_map_links_countries_and_routes_to_their_cases(client: TestClient) -> None:
    html = client.get("/map").text
    links = [a.get("href") for t, a in Tags(html).tags if t == "a"]
    assert {"/cases?route=RU-KZ", "/cases?route=RU-GE", "/cases?route=RU-DE"} <= set(links)
    assert {"/cases?country=RU", "/cases?country=KZ", "/cases?country=GE"} <= set(links)
    assert html.count('class="flow"') == 3 and "Natural Earth" in html
    cases = client.get("/cases?route=RU-GE").text
    assert "/cases/case-sokolov" in cases and "/cases/case-tulegenov" not in cases


def test_entity_list_sorts_by_name_or_mentions(client: TestClient) -> None:
    def names(query: str) -> list[str]:
        html = client.get("/entities?type=person" + query).text
        return [a["href"] for t, a in Tags(html).tags
                if t == "a" and (a.get("href") or "").startswith("/entities/")]

    by_name = names("&sort=name")
    assert by_name == sorted(by_name, key=lambda h: {"/entities/ent-tul": "Arman",
                                                     "/entities/ent-sok": "Dmitri",
                                                     "/entities/ent-kov": "Olena"}[h])
    assert names("&sort=-name") == by_name[::-1]
    assert 'href="/entities?type=person&amp;sort=-name"' in client.get(
        "/entities?type=person&sort=name").text
