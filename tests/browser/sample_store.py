"""A small hand-built store for the web tests: invented articles in uk, en, ro and ru about two
invented people, plus hostile markup in article text, titles, names, quotes, warnings and URLs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
)
from dossier.pipeline import Corpus, document_id
from dossier.store import Store

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
EVIL_NAME = "Dmitri <img src=x onerror=alert(3)> Sokolov"
EVIL_QUOTE = "<img src=x onerror=alert(5)> we will appeal"
EVIL_URL = "javascript:alert(6)"
EVIL_WARNING = "<b>odd</b> markup <script>alert(7)</script> in the input"
EVIL_STATUS = "asylum application pending <script>alert(8)</script>"
EVIL_STORY = "<script>alert(10)</script> Sokolov deported from Georgia"
EVIL_TITLE = f"{SCRIPT} Activist deported from Georgia"

TEXTS = {
    "uk": (
        "Поліція Алмати 20 січня затримала російського журналіста Армана Тулегенова на "
        "прохання Москви. Генеральна прокуратура Росії 25 січня надіслала запит про його "
        "екстрадицію. Адвокатка Олена Ковальчук заявила: «Мій підзахисний не вчинив жодного "
        "злочину». У Росії Тулегенову загрожує до 10 років позбавлення волі."
    ),
    "en": (
        "Prosecutors in Kazakhstan approved the extradition of Russian journalist Arman "
        "Tulegenov on 2 February. His lawyer Olena Kovalchuk said she lodged an appeal on "
        "5 February. If returned, Tulegenov faces up to 20 years in prison. Rights groups say "
        "more than 400000 Russians moved to Kazakhstan since 2022."
    ),
    "ro": (
        "Jurnalistul rus Arman Tulegenov a fost reținut la Almaty la sfârșitul lunii ianuarie. "
        "Autoritățile kazahe au aprobat extrădarea lui. Potrivit unor estimări, aproximativ "
        "80000 de ruși s-au mutat în Kazahstan."
    ),
    "evil": (
        f"Activist {EVIL_NAME} was deported from Georgia on 3 March 2026. The leaflet read "
        f"{SCRIPT} and {IMG} in full. His lawyer wrote \"{EVIL_QUOTE}\". Sokolov applied "
        "for asylum in Germany on 10 March."
    ),
    "ru": (
        "Высланный из Грузии активист Дмитрий Соколов 10 марта подал прошение об убежище "
        "в Германии."
    ),
}
TITLES = {
    "uk": "Казахстан затримав журналіста Армана Тулегенова на прохання Росії",
    "en": "Kazakh prosecutors approve extradition of journalist Arman Tulegenov",
    "ro": "Jurnalistul Arman Tulegenov riscă extrădarea în Rusia",
    "evil": EVIL_TITLE,
    "ru": "Активист Соколов просит убежища в Германии",
}
PUBLISHED = {"uk": "2026-01-26", "en": "2026-02-06", "ro": "2026-02-03", "evil": "2026-03-11",
             "ru": "2026-03-12"}
LANGUAGE = {"uk": "uk", "en": "en", "ro": "ro", "evil": "en", "ru": "ru"}

# (document key, surface text, type, base, entity key)
MENTIONS = [
    ("uk", "Поліція Алмати", "organization", "Поліція Алмати", "police"),
    ("uk", "Армана Тулегенова", "person", "Арман Тулегенов", "tul"),
    ("uk", "Генеральна прокуратура Росії", "organization", "Генеральна прокуратура Росії",
     "ru_pros"),
    ("uk", "Олена Ковальчук", "person", "Олена Ковальчук", "kov"),
    ("uk", "Тулегенову", "person", "Тулегенов", "tul"),
    ("en", "Kazakhstan", "location", "Kazakhstan", "kz"),
    ("en", "Arman Tulegenov", "person", "Arman Tulegenov", "tul"),
    ("en", "Olena Kovalchuk", "person", "Olena Kovalchuk", "kov"),
    ("en", "Tulegenov faces", "person", "Tulegenov", "tul"),
    ("ro", "Arman Tulegenov", "person", "Arman Tulegenov", "tul"),
    ("ro", "Almaty", "location", "Almaty", "almaty"),
    ("evil", EVIL_NAME, "person", EVIL_NAME, "sok"),
    ("evil", "Georgia", "location", "Georgia", "ge"),
    ("evil", "Sokolov applied", "person", "Sokolov", "sok"),
    ("ru", "Дмитрий Соколов", "person", "Дмитрий Соколов", "sok"),
]

# (event key, document key, type, status, sentence start, trigger, date start, date end, precision)
EVENT_MENTIONS = [
    ("detention", "uk", "detention", "occurred", "Поліція Алмати", "затримала",
     "2026-01-20", "2026-01-20", "day"),
    ("request", "uk", "extradition_request", "occurred", "Генеральна прокуратура", "запит",
     "2026-01-25", "2026-01-25", "day"),
    ("term", "uk", "sentence", "possible", "У Росії", "загрожує", None, None, "unknown"),
    ("approved", "en", "extradition_approved", "occurred", "Prosecutors in", "approved",
     "2026-02-02", "2026-02-02", "day"),
    ("appeal", "en", "appeal", "pending", "His lawyer Olena", "appeal",
     "2026-02-05", "2026-02-05", "day"),
    ("term", "en", "sentence", "possible", "If returned", "faces", None, None, "unknown"),
    ("detention", "ro", "detention", "occurred", "Jurnalistul rus", "reținut",
     "2026-01-21", "2026-01-31", "part_of_month"),
    ("approved", "ro", "extradition_approved", "occurred", "Autoritățile", "aprobat",
     "2026-02-02", "2026-02-02", "day"),
    ("deported", "evil", "deportation", "occurred", "Activist Dmitri", "deported",
     "2026-03-03", "2026-03-03", "day"),
    ("asylum", "evil", "asylum_application", "pending", "Sokolov applied", "applied for asylum",
     "2026-03-10", "2026-03-10", "day"),
    ("asylum", "ru", "asylum_application", "pending", "Высланный", "прошение об убежище",
     "2026-03-10", "2026-03-10", "day"),
]


@dataclass
class Sample:
    path: Path
    docs: dict[str, str] = field(default_factory=dict)  # key -> document id
    entities: dict[str, str] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)
    events: dict[str, str] = field(default_factory=dict)
    stories: dict[str, str] = field(default_factory=dict)


def _sentence(text: str, begins: str) -> tuple[int, int]:
    start = text.index(begins)
    ends = [text.find(stop, start) for stop in (". ", "» ", ".\n")]
    end = min([e for e in ends if e > 0], default=len(text) - 1) + 1
    return start, end


def build_sample_store(path: Path) -> Sample:
    sample = Sample(path)
    raws = {key: f" date {PUBLISHED[key]} {LANGUAGE[key].upper()}\n{TITLES[key]}\n{text}"
            .encode() for key, text in TEXTS.items()}
    docs = {}
    for key, text in TEXTS.items():
        doc_id = document_id(raws[key])
        sample.docs[key] = doc_id
        docs[key] = Document(
            id=doc_id, source=f"samples/{key}.txt", title=TITLES[key], language=LANGUAGE[key],
            declared_language="ru" if key == "evil" else LANGUAGE[key],
            published=PUBLISHED[key], published_basis="declared", text=text,
            warnings=["declared language ru but text is en", EVIL_WARNING] if key == "evil"
            else [],
            url=EVIL_URL if key == "evil" else f"https://news.example/{key}",
            outlet="Example News",
        )
    mentions: dict[str, list[Mention]] = {k: [] for k in TEXTS}
    entity_mentions: dict[str, list[str]] = {}
    for key, surface, kind, base, entity in MENTIONS:
        text = TEXTS[key]
        start = text.index(surface)
        if surface.endswith((" faces", " applied")):
            surface = surface.split(" ")[0]
        mention = Mention(f"{sample.docs[key]}:m{len(mentions[key]) + 1}", sample.docs[key],
                          start, start + len(surface), surface, kind, base, base,
                          LANGUAGE[key])
        mentions[key].append(mention)
        entity_mentions.setdefault(entity, []).append(mention.id)

    event_mentions: dict[str, list[EventMention]] = {k: [] for k in TEXTS}
    merged: dict[str, list[EventMention]] = {}
    for ev_key, key, kind, status, begins, trigger, start, end, precision in EVENT_MENTIONS:
        text = TEXTS[key]
        s, e = _sentence(text, begins)
        em = EventMention(
            id=f"{sample.docs[key]}:e{len(event_mentions[key]) + 1}", document=sample.docs[key],
            type=kind, status=status, subject=None, group=None, agents=[],
            origin_country="RU", host_country=None, place=None,
            date=DateSpan(start, end, precision, ""), attributes={},
            evidence=Evidence(sample.docs[key], s, e, text[s:e]), trigger=trigger)
        event_mentions[key].append(em)
        merged.setdefault(ev_key, []).append(em)
    with Store(str(path)) as store:
        for key, doc in docs.items():
            store.add(Analysis(doc, mentions[key], [], event_mentions[key]), raws[key])

    entities = _entities(sample, entity_mentions)
    events = _events(sample, merged)
    cases = [
        Case("case-tulegenov", sample.entities["tul"],
             [sample.events[k] for k in ("detention", "request", "approved", "appeal", "term")],
             "extradition approved; appeal pending",
             [Conflict("possible prison term", [
                 ConflictValue("up to 10 years", [sample.docs["uk"]]),
                 ConflictValue("up to 20 years", [sample.docs["en"]])])]),
        Case("case-sokolov", sample.entities["sok"],
             [sample.events["deported"], sample.events["asylum"]], EVIL_STATUS),
    ]
    sample.cases = {"tul": "case-tulegenov", "sok": "case-sokolov"}
    claims = _claims(sample)
    quotes = _quotes(sample)
    stories = [
        Story("story-tulegenov", "Kazakhstan moves to extradite journalist Arman Tulegenov",
              [sample.docs[k] for k in ("uk", "en", "ro")], ["en", "ro", "uk"],
              "2026-01-20", "2026-02-05"),
        Story("story-sokolov", EVIL_STORY, [sample.docs["evil"], sample.docs["ru"]],
              ["en", "ru"], "2026-03-03", "2026-03-10"),
    ]
    sample.stories = {"tul": "story-tulegenov", "sok": "story-sokolov"}
    for story in stories:
        for doc_id in story.documents:
            next(d for d in docs.values() if d.id == doc_id).story = story.id
    mention_entity = {m: sample.entities[e] for e, ms in entity_mentions.items() for m in ms}
    corpus = Corpus(list(docs.values()), entities, events, cases, claims, quotes, stories,
                    mention_entity)
    with Store(str(path)) as store:
        store.save_corpus(corpus)
    return sample


ENTITIES = {
    "tul": ("person", "Arman Tulegenov", None,
            [("Тулегенов", "uk", 2), ("Tulegenov", "en", 2), ("Tulegenov", "ro", 1)], []),
    "kov": ("person", "Olena Kovalchuk", None,
            [("Ковальчук", "uk", 1), ("Kovalchuk", "en", 1)], ["lawyer"]),
    "sok": ("person", EVIL_NAME, None, [(EVIL_NAME, "en", 2), ("Соколов", "ru", 1)], ["activist"]),
    "police": ("organization", "Almaty police", "KZ", [("Поліція Алмати", "uk", 1)], []),
    "ru_pros": ("organization", "Prosecutor General's Office of Russia", "RU",
                [("Генеральна прокуратура Росії", "uk", 1)], []),
    "kz": ("location", "Kazakhstan", "KZ", [("Kazakhstan", "en", 1)], []),
    "almaty": ("location", "Almaty", "KZ", [("Almaty", "ro", 1)], []),
    "ge": ("location", "Georgia", "GE", [("Georgia", "en", 1)], []),
}


def _entities(sample: Sample, entity_mentions: dict[str, list[str]]) -> list[Entity]:
    out = []
    for key, (kind, name, country, variants, roles) in ENTITIES.items():
        entity_id = f"ent-{key}"
        sample.entities[key] = entity_id
        out.append(Entity(entity_id, kind, name, [Variant(*v) for v in variants], country,
                          entity_mentions.get(key, []), roles))
    return out


EVENT_FACTS = {
    "detention": ("tul", ["police"], "KZ", "almaty", {}),
    "request": ("tul", ["ru_pros"], "KZ", None, {}),
    "approved": ("tul", [], "KZ", None, {}),
    "appeal": ("tul", ["kov"], "KZ", None, {}),
    "term": ("tul", [], None, None, {"years_max": 20}),
    "deported": ("sok", [], "GE", None, {}),
    "asylum": ("sok", [], "DE", None, {}),
}


def _events(sample: Sample, merged: dict[str, list[EventMention]]) -> list[Event]:
    out = []
    for key, ems in merged.items():
        subject, agents, host, place, attributes = EVENT_FACTS[key]
        first = ems[0]
        date = DateSpan(first.date.start, first.date.end, first.date.precision,
                        "20 січня" if key == "detention" else "")
        event_id = f"event-{key}"
        sample.events[key] = event_id
        out.append(Event(
            event_id, first.type, first.status, sample.entities[subject], None,
            [sample.entities[a] for a in agents], "RU", host,
            sample.entities[place] if place else None, date, attributes,
            [em.evidence for em in ems], [em.id for em in ems]))
    return out


def _claims(sample: Sample) -> list[Claim]:
    en, ro = TEXTS["en"], TEXTS["ro"]
    s1, e1 = _sentence(en, "Rights groups")
    s2, e2 = _sentence(ro, "Potrivit")
    return [
        Claim("claim-400k", 400000, "people", "Russians who moved to Kazakhstan",
              [Evidence(sample.docs["en"], s1, e1, en[s1:e1])], ["claim-80k"],
              qualifier="more than"),
        Claim("claim-80k", 80000, "people", "Russians who moved to Kazakhstan",
              [Evidence(sample.docs["ro"], s2, e2, ro[s2:e2])], ["claim-400k"],
              qualifier="about"),
    ]


def _quotes(sample: Sample) -> list[Quote]:
    uk, evil = TEXTS["uk"], TEXTS["evil"]
    q1 = "Мій підзахисний не вчинив жодного злочину"
    a, b = uk.index(q1), evil.index(EVIL_QUOTE)
    return [
        Quote("quote-1", sample.docs["uk"], a, a + len(q1), q1, sample.entities["kov"]),
        Quote("quote-2", sample.docs["evil"], b, b + len(EVIL_QUOTE), EVIL_QUOTE,
              sample.entities["sok"]),
    ]
