"""How fast the web pages answer with 10,000 documents in the store.

`bench_web()` builds a synthetic store (invented text, names and events, inserted in bulk),
requests every page type several times through the ASGI app and returns the timings.
Run: .venv/bin/python bench/web.py [--docs N]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from dossier.model import (
    Analysis,
    Case,
    Claim,
    Conflict,
    ConflictValue,
    DateSpan,
    Document,
    Entity,
    Event,
    EventMention,
    Evidence,
    Mention,
    Quote,
    Story,
    Variant,
    to_dict,
)
from dossier.pipeline import Corpus
from dossier.store import Store

FIRST = ["Arman", "Dmitri", "Olena", "Ivan", "Aliya", "Sergei", "Marta", "Timur", "Nadia", "Oleg",
         "Ruslan", "Irina", "Bakhyt", "Yulia", "Pavel", "Dana", "Murat", "Vera", "Gleb", "Asel"]
SYLLABLES = ["ka", "ro", "mi", "ten", "sul", "dar", "vo", "lek", "na", "bay", "zhan", "tur"]
ORGS = ["police", "prosecutor's office", "migration service", "security service", "court"]
COUNTRIES = ["KZ", "KG", "GE", "AM", "TR", "AE", "RS", "MD", "UZ", "TJ"]
TYPES = ["detention", "arrest", "charge", "extradition_request", "extradition_approved",
         "extradition", "deportation", "appeal", "release", "asylum_application"]
STATUSES = ["occurred", "occurred", "occurred", "pending", "blocked", "possible"]
VERBS = {"detention": "detained", "arrest": "arrested", "charge": "charged",
         "extradition_request": "requested", "extradition_approved": "approved",
         "extradition": "extradited", "deportation": "deported", "appeal": "appealed",
         "release": "released", "asylum_application": "applied"}
FILLER = ("Observers said the hearing was closed to the press and relatives were not informed. "
          "The ministry did not answer questions sent by reporters before publication. ")


def _surname(rng: random.Random, i: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() + f"ov{i}"


def build_store(path: Path, n_docs: int = 10_000, seed: int = 7) -> dict[str, Any]:
    """A synthetic store of `n_docs` documents with entities, events, cases, stories, claims."""
    rng = random.Random(seed)
    n_people = max(n_docs // 5, 10)
    people = [f"{rng.choice(FIRST)} {_surname(rng, i)}" for i in range(n_people)]
    orgs = [f"{c} {o}" for c in COUNTRIES for o in ORGS]
    heavy = 0  # one person in many documents, for the heaviest case page
    docs: list[Document] = []
    rows_doc, rows_raw, rows_analysis = [], [], []
    entity_mentions: dict[str, list[str]] = {}
    event_groups: dict[tuple[int, str], list[EventMention]] = {}
    for d in range(n_docs):
        doc_id = f"doc{d:06d}"
        day = f"2025-{1 + d % 12:02d}-{1 + d % 28:02d}"
        parts: list[str] = []
        mentions: list[Mention] = []
        events: list[EventMention] = []
        chosen = [heavy] if d % 50 == 0 else []
        chosen += rng.sample(range(1, n_people), 3)
        for k, person in enumerate(chosen):
            country = COUNTRIES[(person + k) % len(COUNTRIES)]
            org = orgs[(person * 3 + k) % len(orgs)]
            kind = TYPES[(person + d // 50 + k) % len(TYPES)]
            start = sum(len(p) for p in parts)
            name = people[person]
            sentence = (f"On {day} the {org} {VERBS[kind]} {name} in {country_label(country)} "
                        f"after a request from Moscow. ")
            n_at = start + sentence.index(name)
            o_at = start + sentence.index(org)
            mentions.append(Mention(f"{doc_id}:m{len(mentions) + 1}", doc_id, n_at,
                                    n_at + len(name), name, "person", name, name, "en"))
            entity_mentions.setdefault(f"p{person}", []).append(mentions[-1].id)
            mentions.append(Mention(f"{doc_id}:m{len(mentions) + 1}", doc_id, o_at,
                                    o_at + len(org), org, "organization", org, org, "en"))
            entity_mentions.setdefault(f"o{orgs.index(org)}", []).append(mentions[-1].id)
            evidence = Evidence(doc_id, start, start + len(sentence) - 1, sentence[:-1])
            em = EventMention(
                f"{doc_id}:e{len(events) + 1}", doc_id, kind, rng.choice(STATUSES),
                mentions[-2].id, None, [mentions[-1].id], "RU", country, None,
                DateSpan(day, day, "day", day), {}, evidence, VERBS[kind])
            events.append(em)
            event_groups.setdefault((person, kind), []).append(em)
            parts.append(sentence)
            parts.append(FILLER * rng.randint(3, 8))
        text = "".join(parts)
        at = text.index("Moscow")
        mentions.append(Mention(f"{doc_id}:m{len(mentions) + 1}", doc_id, at, at + 6, "Moscow",
                                "location", "Moscow", "Moscow", "en"))
        entity_mentions.setdefault("moscow", []).append(mentions[-1].id)
        doc = Document(doc_id, f"synthetic/{doc_id}.txt", f"Report {d}: {people[chosen[-1]]}",
                       "en", "en", day, "declared", text,
                       ["declared date is in the future"] if d % 97 == 0 else [],
                       f"https://news.example/{d}", "Example Wire", story=f"s{d // 4}")
        docs.append(doc)
        raw = text.encode()
        rows_doc.append((doc_id, d + 1, doc.source, doc.title, "en", "en", day, "declared", text,
                         json.dumps(doc.warnings), doc.url, doc.outlet, "text", "utf-8",
                         doc.story, "2026-01-01T00:00:00+00:00"))
        rows_raw.append((doc_id, raw))
        rows_analysis.append((doc_id, json.dumps(to_dict(Analysis(doc, mentions, [], events)),
                                                 ensure_ascii=False)))
    with Store(str(path)) as store:
        with store.conn:
            store.conn.executemany(f"INSERT INTO documents VALUES ({','.join('?' * 16)})",
                                   rows_doc)
            store.conn.executemany("INSERT INTO raw_inputs VALUES (?, ?)", rows_raw)
            store.conn.executemany("INSERT INTO analyses VALUES (?, ?)", rows_analysis)
        corpus = _corpus(docs, people, orgs, entity_mentions, event_groups, rng)
        store.save_corpus(corpus)
    return {"case": "case-p1", "heavy_case": "case-p0", "entity": "p1", "heavy_entity": "moscow",
            "document": "doc000123", "story": "s17", "last_page": n_docs // 50}


def country_label(code: str) -> str:
    return {"KZ": "Kazakhstan", "KG": "Kyrgyzstan", "GE": "Georgia", "AM": "Armenia",
            "TR": "Turkey", "AE": "the UAE", "RS": "Serbia", "MD": "Moldova",
            "UZ": "Uzbekistan", "TJ": "Tajikistan"}[code]


def _corpus(docs: list[Document], people: list[str], orgs: list[str],
            entity_mentions: dict[str, list[str]],
            event_groups: dict[tuple[int, str], list[EventMention]],
            rng: random.Random) -> Corpus:
    entities = []
    for key, ids in entity_mentions.items():
        if key.startswith("p"):
            name, kind, country = people[int(key[1:])], "person", None
        elif key.startswith("o"):
            name, kind, country = orgs[int(key[1:])], "organization", orgs[int(key[1:])][:2]
        else:
            name, kind, country = "Moscow", "location", "RU"
        variants = [Variant(name, "en", len(ids)), Variant(name.upper(), "ru", 1)]
        entities.append(Entity(key, kind, name, variants, country, ids))
    mention_entity = {m: e.id for e in entities for m in e.mentions}
    events, by_person = [], {}
    for (person, kind), ems in sorted(event_groups.items()):
        first = ems[0]
        event = Event(f"ev-{person}-{kind}", kind, first.status, f"p{person}", None,
                      [mention_entity[a] for a in first.agents], "RU", first.host_country, None,
                      first.date, {"charge": "extremism"} if kind == "charge" else {},
                      [em.evidence for em in ems], [em.id for em in ems])
        events.append(event)
        by_person.setdefault(person, []).append(event)
    cases = []
    for person, evs in sorted(by_person.items()):
        evs.sort(key=lambda e: e.date.start or "")
        conflicts = []
        if person % 7 == 0:
            conflicts = [Conflict("possible prison term", [
                ConflictValue("up to 10 years", [evs[0].evidence[0].document]),
                ConflictValue("up to 20 years", [evs[-1].evidence[0].document])])]
        cases.append(Case(f"case-p{person}", f"p{person}", [e.id for e in evs],
                          f"{evs[-1].type.replace('_', ' ')} {evs[-1].status}", conflicts))
    stories = []
    for s in range(0, len(docs), 4):
        group = docs[s:s + 4]
        stories.append(Story(f"s{s // 4}", group[0].title or "", [d.id for d in group], ["en"],
                             group[0].published, group[-1].published))
    claims = []
    for i, doc in enumerate(docs[::10]):
        sentence = doc.text[:80]
        other = f"claim{i + 1 if i % 2 == 0 else i - 1}"
        claims.append(Claim(f"claim{i}", float(rng.choice([5000, 80000, 400000])), "people",
                            f"people who left, group {i // 2}",
                            [Evidence(doc.id, 0, 80, sentence)], [other]))
    quotes = [Quote(f"q{i}", doc.id, 0, 40, doc.text[:40], None)
              for i, doc in enumerate(docs[::2])]
    return Corpus(docs, entities, events, cases, claims, quotes, stories, mention_entity)


def bench_web(n_docs: int = 10_000, repeats: int = 5) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from dossier.web.app import create_app
    from dossier.web.queries import load_catalogue

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        started = time.perf_counter()
        ids = build_store(path, n_docs)
        build_s = time.perf_counter() - started
        pages = {
            "home": "/",
            "cases": "/cases",
            "cases_search": "/cases?q=arman",
            "cases_filtered": "/cases?country=KZ&type=detention&from=2025-03-01&to=2025-09-30",
            "cases_last_page": f"/cases?page={max(ids['last_page'] // 5, 1)}",
            "case": f"/cases/{ids['case']}",
            "case_heaviest": f"/cases/{ids['heavy_case']}",
            "case_report_heaviest": f"/cases/{ids['heavy_case']}/report",
            "entities": "/entities?type=person",
            "entities_search": "/entities?q=zhan",
            "entity": f"/entities/{ids['entity']}",
            "entity_heaviest": f"/entities/{ids['heavy_entity']}",
            "documents": "/documents",
            "documents_last_page": f"/documents?page={ids['last_page']}",
            "documents_search": "/documents?q=report+99",
            "document": f"/documents/{ids['document']}",
            "stories": "/stories",
            "story": f"/stories/{ids['story']}",
            "claims": "/claims",
            "claims_disputed": "/claims?disputed=1&page=3",
        }
        with Store(str(path), readonly=True) as store:
            t0 = time.perf_counter()
            load_catalogue(store.conn)
            catalogue_ms = round((time.perf_counter() - t0) * 1000, 1)
        timings: dict[str, dict[str, float]] = {}
        with TestClient(create_app(str(path)), base_url="http://127.0.0.1") as client:
            for name, url in pages.items():
                response = client.get(url)  # warm-up: first connection, templates
                assert response.status_code == 200, (url, response.status_code)
                runs = []
                for _ in range(repeats):
                    t0 = time.perf_counter()
                    client.get(url)
                    runs.append((time.perf_counter() - t0) * 1000)
                timings[name] = {"median_ms": round(statistics.median(runs), 1),
                                 "max_ms": round(max(runs), 1), "bytes": len(response.content)}
    return {
        "web_documents": n_docs,
        "web_build_s": round(build_s, 1),
        "web_max_page_ms": max(t["max_ms"] for t in timings.values()),
        "web_max_median_ms": max(t["median_ms"] for t in timings.values()),
        "web_catalogue_rebuild_ms": catalogue_ms,  # paid once by the first request after a write
        "web_pages": timings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(bench_web(args.docs, args.repeats), indent=2))


if __name__ == "__main__":
    main()
