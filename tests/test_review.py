"""Analysts' decisions on the command line: recorded apart from machine output, re-applied
after every ingest, shown in case files and exports; and the flat CSV exports."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dossier.cli import app
from dossier.review import ReviewError, parse_date
from dossier.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
runner = CliRunner()
EVIL = '=HYPERLINK("http://evil.example","click")'
EVIL_ARTICLE = {"text": "Police in Chisinau detained Russian blogger Alexander Shmelyov on"
                        " 28 January 2026 at Moscow's request.",
                "source": EVIL, "url": "https://news.example/a", "published": "2026-01-29",
                "title": "-1+1"}
UNDATED = ("Bishkek, 20 June 2024 - Kyrgyzstan deported the Russian activist Pavel Lukin to"
           " Kazakhstan in June 2024, his lawyer said.")  # no header: the dateline is a guess
LATER = (" date 2026-03-06 RO\nBloggerul rus Aleksandr Șmeliov a fost eliberat din arest pe"
         " 3 martie la Chișinău, a anunțat avocata sa Doina Cojocaru.")


def run(*args: str, db: Path) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--db", str(db)])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two example articles about Alexander Shmelyov (uk, ro): the Ukrainian one names his
    lawyer Kozhokar, the Romanian one Doina Cojocaru (one person the resolver keeps apart);
    and a JSON article whose outlet and title are spreadsheet formulas."""
    folder = tmp_path_factory.mktemp("review")
    for name in ("uk-03-shmelev-moldova.txt", "ro-01-shmeliov-extradare-blocata.txt"):
        shutil.copy(EXAMPLES / name, folder / name)
    (folder / "evil.jsonl").write_text(json.dumps(EVIL_ARTICLE) + "\n", encoding="utf-8")
    (folder / "undated.txt").write_text(UNDATED, encoding="utf-8")
    db = folder / "d.db"
    code, output = run("ingest", str(folder), "-q", db=db)
    assert code == 0, output
    return db


@pytest.fixture
def db(base_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "d.db"
    shutil.copy(base_store, copy)
    return copy


def case_file(db: Path, name: str = "Shmelyov") -> dict:
    code, output = run("case", name, "--json", db=db)
    assert code == 0, output
    return json.loads(output)


def case_events(db: Path, name: str = "Shmelyov") -> list[dict]:
    return case_file(db, name)["events"]


def exported(db: Path) -> dict:
    code, output = run("export", db=db)
    assert code == 0
    return json.loads(output)


def test_decisions_survive_reingest_and_show_in_exports(db: Path, tmp_path: Path) -> None:
    events = case_events(db)
    flight = next(e for e in events if e["type"] == "flight")
    detention = next(e for e in events if e["type"] == "detention")
    assert run("review", flight["id"], "--reject", "--analyst", "Ana", "--note", "a move, not"
               " a flight", db=db)[0] == 0
    code, output = run("review", detention["id"], "--set", "date=2026-01", "--analyst", "Ana",
                       db=db)
    assert code == 0 and "corrected date" in output
    code, output = run("review", "person:kozhokar", "--merge", "person:doina-cojocaru", db=db)
    assert code == 0, output

    def check() -> None:
        found = case_file(db)
        events, person = found["events"], found["case"]["person"]
        assert "flight" not in [e["type"] for e in events]
        held = next(e for e in events if e["type"] == "detention")
        assert (held["date"]["start"], held["date"]["end"], held["date"]["precision"]) == (
            "2026-01-01", "2026-01-31", "month")
        assert held["review"]["state"] == "corrected" and held["review"]["analyst"] == "Ana"
        data = exported(db)
        people = {e["id"]: e for e in data["entities"]}
        assert "person:kozhokar" not in people
        assert "Кожокар" in [v["text"] for v in people["person:doina-cojocaru"]["variants"]]
        states = {e["type"]: e["review"]["state"] for e in data["events"]
                  if e["subject"] == person}
        assert states["flight"] == "rejected" and states["detention"] == "corrected"
        rejected = next(e for e in data["events"] if e["review"]["state"] == "rejected")
        assert rejected["review"]["note"] == "a move, not a flight"
        assert all(rejected["id"] not in c["events"] for c in data["cases"])

    check()
    later = tmp_path / "later.txt"
    later.write_text(LATER, encoding="utf-8")
    assert run("ingest", str(later), "-q", db=db)[0] == 0
    assert len(exported(db)["documents"]) == 5
    check()
    with Store(str(db)) as store:
        assert len(store.reviews()) == 3

    code, output = run("export", "--format", "csv", "--reviewed-only", db=db)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(output)))
    assert [(r["type"], r["review"], r["date_precision"]) for r in rows] == [
        ("detention", "corrected", "month")]


def test_confirm_then_not_a_person(db: Path) -> None:
    event = case_events(db)[0]
    assert run("review", event["id"], "--confirm", "--analyst", "Bo", db=db)[0] == 0
    assert case_events(db)[0]["review"] == {
        "state": "confirmed", "analyst": "Bo", "at": case_events(db)[0]["review"]["at"],
        "note": None, "corrected": []}
    code, text = run("case", "Shmelyov", db=db)
    assert "(confirmed)" in text and "-moldova.txt, 2026-03-05" in text  # source: name, date
    # short: about 60 lines (agents such as "Prosecutor General's Office of Russia" wrap in their
    # column)
    assert len(text.splitlines()) < 70 and "Sources disagree" not in text.split("Timeline")[0]
    code, output = run("export", "--reviewed-only", db=db)
    data = json.loads(output)
    assert [e["id"] for e in data["events"]] == [event["id"]]
    assert [c["events"] for c in data["cases"]] == [[event["id"]]]
    person = case_file(db)["case"]["person"]
    assert run("review", person, "--not-a-person", db=db)[0] == 0
    assert run("case", "Shmelyov", db=db)[0] == 2  # no case file for what is not a person


def test_bad_decisions_exit_2_with_a_reason(db: Path) -> None:
    event = case_events(db)[0]["id"]
    for args, reason in [
        (["review", "ev_nothing", "--confirm"], "no event or person"),
        (["review", event], "exactly one of"),
        (["review", event, "--confirm", "--reject"], "exactly one of"),
        (["review", event, "--set", "colour=red"], "cannot set"),
        (["review", event, "--set", "date=March"], "unreadable date"),
        (["review", event, "--set", "status=maybe"], "status must be"),
        (["review", event, "--merge", "person:doina-cojocaru"], "is an event"),
        (["review", "person:kozhokar", "--reject"], "is an entity"),
        (["review", "person:kozhokar", "--merge", "location:chisinau"], "another person"),
    ]:
        code, output = run(*args, db=db)
        assert code == 2 and reason in output, (args, output)
    with Store(str(db)) as store:
        assert store.reviews() == []


def test_dates_an_analyst_can_write() -> None:
    assert parse_date("2026").precision == "year"
    assert (parse_date("2026-02").start, parse_date("2026-02").end) == ("2026-02-01",
                                                                        "2026-02-28")
    span = parse_date("2026-01-20..2026-02-03")
    assert (span.start, span.end, span.precision) == ("2026-01-20", "2026-02-03", "range")
    for bad in ("2026-13", "20 Jan", "2026-02-30", "2026-03..2026-01"):
        with pytest.raises(ReviewError):
            parse_date(bad)


def test_csv_events_table_is_flat_and_formulas_stay_text(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    code, _ = run("export", "--format", "csv", "--out", str(out), db=db)
    assert code == 0 and out.is_file()
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    assert header == [
        "event_id", "person", "person_id", "type", "status", "review", "date_start",
        "date_end", "date_precision", "origin_country", "host_country", "place", "agents",
        "charge", "years_min", "years_max", "sources", "first_source_outlet",
        "first_source_url", "first_source_date", "evidence"]
    assert rows and all(len(r) == len(header) for r in rows)
    assert not any(cell.startswith(("[", "{")) for r in rows for cell in r)
    evil = [r for r in rows if r[header.index("first_source_url")] == "https://news.example/a"]
    assert evil and all(r[header.index("first_source_outlet")] == "'" + EVIL for r in evil)

    tables = tmp_path / "tables"
    assert run("export", "--format", "csv", "--tables", str(tables), db=db)[0] == 0
    names = sorted(p.name for p in tables.iterdir())
    assert {"events.csv", "documents.csv", "entities.csv", "cases.csv", "evidence.csv",
            "case_events.csv", "mentions.csv"} <= set(names)
    with (tables / "cases.csv").open(encoding="utf-8") as handle:
        cases = list(csv.DictReader(handle))
    shmelyov = next(c for c in cases if c["person"] == "Alexander Shmelyov")
    assert shmelyov["date_start"] and "MD" in shmelyov["countries"].split()
    with (tables / "documents.csv").open(encoding="utf-8") as handle:
        titles = [d["title"] for d in csv.DictReader(handle)]
    assert "'-1+1" in titles
    assert run("export", "--format", "json", "--tables", str(tables), db=db)[0] == 2


def test_web_review_forms_need_their_token(db: Path) -> None:
    import re

    from fastapi.testclient import TestClient

    from dossier.web.app import create_app

    client = TestClient(create_app(str(db)))
    case_id = case_file(db)["case"]["id"]
    for path in ("/", "/cases"):  # the year-precision flight reads "2022", not "1 Jan 2022"
        html = client.get(path).text
        assert "2022 – " in html and "1 Jan 2022" not in html, path
    flight = next(e for e in case_events(db) if e["type"] == "flight")["id"]
    page = client.get(f"/cases/{case_id}").text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    url = f"/events/{flight}/review"
    form = {"csrf": token, "action": "reject", "analyst": "Web"}
    assert client.post(url, data={**form, "csrf": "stale"}).status_code == 403
    assert client.post(url, data=form, headers={"origin": "http://evil.example"}
                       ).status_code == 403
    assert client.post(url, data={**form, "action": "correct", "was_type": "flight",
                                  "type": "flight"}).status_code == 400
    with Store(str(db)) as store:
        assert store.reviews() == []
    answer = client.post(url, data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith(f"/cases/{case_id}")
    page = client.get(f"/cases/{case_id}").text
    rejected = page[page.index("Rejected by an analyst"):]
    assert f'id="ev-{flight}"' in rejected and "by Web" in rejected
    assert f'id="ev-{flight}"' not in page[:page.index("Rejected by an analyst")]
    lukin = client.get("/cases?q=Lukin").text
    lukin_case = re.search(r'href="(/cases/case_[^"]+)"', lukin).group(1)
    for path in (lukin_case, lukin_case + "/report"):  # its date was guessed: marked so
        assert ">inferred<" in client.get(path).text, path
    report = client.get(f"/cases/{case_id}/report").text
    assert "Review this event" not in report and f'id="ev-{flight}"' not in report
    assert '<p class="gist" lang="en">' in report  # the English line above the evidence
    answer = client.post("/entities/person:kozhokar/review", follow_redirects=False, data={
        "csrf": token, "action": "merge", "into": "person:doina-cojocaru"})
    assert answer.headers["location"] == "/entities/person%3Adoina-cojocaru"
    assert client.get("/entities/person:kozhokar").status_code == 404
    assert "merged" in client.get("/entities/person:doina-cojocaru").text
    appeal = next(e for e in case_events(db) if e["type"] == "appeal")["id"]
    answer = client.post(f"/events/{appeal}/review", follow_redirects=False, data={
        "csrf": token, "action": "correct", "subject": "Doina Cojocaru", "type": "appeal",
        "was_type": "appeal"})
    moved = client.get(answer.headers["location"].split("#")[0]).text
    assert "<h1>Doina Cojocaru</h1>" in moved and f'id="ev-{appeal}"' in moved
    person = case_file(db)["case"]["person"]
    page = client.get(f"/entities/{person}").text
    document = re.search(r'<select name="document"><option value="([0-9a-f]+)"', page).group(1)
    answer = client.post(f"/entities/{person}/review", follow_redirects=False, data={
        "csrf": token, "action": "split", "document": document})
    assert answer.status_code == 303
    assert client.get(f"/entities/{person}~{document[:8]}").status_code == 200
    guarded = TestClient(create_app(str(db), token="s3cret"))
    assert guarded.post(url, data=form).status_code == 401  # the token rule covers the forms


def test_a_decision_needs_evidence_to_anchor_to(tmp_path: Path) -> None:
    from dossier.model import DateSpan, Event
    from dossier.pipeline import Corpus
    from dossier.review import record

    bare = Event("ev_bare", "detention", "occurred", None, "four activists", [], None, None,
                 None, DateSpan(None, None, "unknown", ""), {}, [])
    with Store(str(tmp_path / "bare.db")) as store:
        store.save_corpus(Corpus(events=[bare]))
        with pytest.raises(ReviewError, match="no stored evidence"):
            record(store, "ev_bare", "reject")
        assert store.reviews() == []


def test_split_a_person_by_document(db: Path) -> None:
    found = case_file(db)
    person = found["case"]["person"]
    docs = {d["source"].rsplit("/", 1)[-1]: d["id"] for d in exported(db)["documents"]}
    romanian = docs["ro-01-shmeliov-extradare-blocata.txt"]
    code, output = run("review", person, "--split", romanian, "--analyst", "Ana", db=db)
    assert code == 0 and "split off" in output, output
    data = exported(db)
    people = {e["id"]: e for e in data["entities"]}
    part = people[f"{person}~{romanian[:8]}"]
    assert part["review"]["state"] == "corrected" and part["review"]["analyst"] == "Ana"
    assert {m["document"] for m in part["mentions"]} == {romanian}
    assert romanian not in {m["document"] for m in people[person]["mentions"]}
    theirs = [e for e in data["events"] if e["subject"] == part["id"]]
    assert theirs and all(ev["document"] == romanian for e in theirs for ev in e["evidence"])
    assert run("review", person, "--split", "nowhere", db=db)[0] == 2
