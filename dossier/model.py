"""Typed data passed between the pipeline stages.

ingest -> RawDocument -> clean/language -> Document -> entities (Mention) -> time (DateSpan)
-> events (EventMention) -> quotes/claims  ==  one pure per-document Analysis.
Across documents: Mention -> Entity (resolution), EventMention -> Event -> Case,
Claim groups, Story.

Offsets (start, end) are always character offsets into Document.text, the clean text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from functools import cache
from typing import Any, Literal, TypeVar

EntityType = Literal["person", "organization", "location"]
Precision = Literal["day", "month", "part_of_month", "year", "range", "unknown"]
Status = Literal["occurred", "pending", "blocked", "possible"]
DateBasis = Literal["declared", "metadata", "inferred"]
ReviewState = Literal["unreviewed", "confirmed", "rejected", "corrected"]

EVENT_TYPES = (
    "detention", "arrest", "questioning", "charge", "sentence", "deportation",
    "extradition_request", "extradition_approved", "extradition", "handover", "entry_denied",
    "asylum_application", "asylum_denied", "asylum_granted", "appeal", "release", "flight",
)


@dataclass(frozen=True)
class RawDocument:
    """One article as read from the input, before any cleaning.

    `raw` is kept byte-for-byte; `body` is its decoded article text (for HTML: the main text
    extracted from the page; for plain text: the text after the optional header line).
    """

    source: str
    raw: bytes
    format: Literal["text", "html", "json"]
    body: str
    encoding: str
    title: str | None = None
    url: str | None = None
    declared_date: str | None = None  # ISO date as the input claimed it
    declared_language: str | None = None  # ISO 639-1, lower case
    date_basis: DateBasis | None = None  # "declared" (header line) or "metadata" (HTML/JSON)
    outlet: str | None = None
    # What reading had to repair (bad bytes replaced, encodings mixed): the document's warnings.
    warnings: tuple[str, ...] = ()
    # The file name's bytes when `source` had to escape them (not UTF-8): kept in the store.
    source_bytes: bytes | None = None


@dataclass
class Evidence:
    document: str
    start: int
    end: int
    text: str


@dataclass
class Document:
    id: str
    source: str
    title: str | None
    language: str
    declared_language: str | None
    published: str | None
    published_basis: DateBasis | None
    text: str
    warnings: list[str] = field(default_factory=list)
    url: str | None = None
    outlet: str | None = None
    format: str = "text"
    encoding: str = "utf-8"
    story: str | None = None


@dataclass
class Mention:
    """A name found in one document.

    `base` is the nominative base form in the script it was written in (Мовлаєва -> Мовлаєв);
    `latin` is that base form in Latin script (the transliteration the resolver starts from).
    """

    id: str  # "<document id>:m<n>"
    document: str
    start: int
    end: int
    text: str
    type: EntityType
    base: str
    latin: str
    language: str
    role: str | None = None  # "lawyer", "activist", ... when the context says so
    country: str | None = None  # ISO 3166 alpha-2 for locations/organisations when known


@dataclass
class DateSpan:
    start: str | None  # ISO date, inclusive
    end: str | None  # ISO date, inclusive
    precision: Precision
    text: str
    doc_start: int = -1  # offsets of `text` in the clean text, -1 when not from the text
    doc_end: int = -1


@dataclass
class EventMention:
    """One event as one document states it; subject/agents/place refer to Mention ids."""

    id: str  # "<document id>:e<n>"
    document: str
    type: str  # one of EVENT_TYPES
    status: Status
    subject: str | None  # Mention id of the person the event happened to
    group: str | None  # text when the subject is a group ("four activists")
    agents: list[str]  # Mention ids of who acted
    origin_country: str | None
    host_country: str | None
    place: str | None  # Mention id of a location
    date: DateSpan
    attributes: dict[str, Any]
    evidence: Evidence
    trigger: str = ""  # the word that triggered it, for debugging and highlighting


@dataclass
class Quote:
    id: str
    document: str
    start: int
    end: int
    text: str
    speaker: str | None  # Mention id


@dataclass
class ClaimMention:
    id: str
    document: str
    value: float
    unit: str
    about: str  # what is counted, in English
    evidence: Evidence
    value_max: float | None = None  # for ranges "50 000-80 000"
    qualifier: str | None = None  # "more than", "up to", "about"


@dataclass
class Analysis:
    """Everything the pure per-document function finds in one article."""

    document: Document
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateSpan] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[ClaimMention] = field(default_factory=list)
    vector: str | None = None  # text embedding for story clustering (compact base64)
    # weighted name keys of title and text for story clustering (None: computed when needed)
    keys: dict[str, float] | None = None


# ---- across documents -------------------------------------------------------------------


@dataclass
class Review:
    """An analyst's verdict on an event or person, as shown and exported (decisions are kept
    apart in the store and applied after linking; see dossier/review.py)."""

    state: ReviewState = "unreviewed"
    analyst: str | None = None
    at: str | None = None  # ISO time of the latest decision
    note: str | None = None
    corrected: list[str] = field(default_factory=list)  # fields an analyst set


@dataclass
class Variant:
    text: str
    language: str
    count: int


@dataclass
class Entity:
    id: str
    type: EntityType
    name: str
    variants: list[Variant]
    country: str | None
    mentions: list[str]  # Mention ids
    roles: list[str] = field(default_factory=list)
    review: Review = field(default_factory=Review)


@dataclass
class Event:
    id: str
    type: str
    status: Status
    subject: str | None  # Entity id
    group: str | None
    agents: list[str]  # Entity ids
    origin_country: str | None
    host_country: str | None
    place: str | None  # Entity id
    date: DateSpan
    attributes: dict[str, Any]
    evidence: list[Evidence]
    sources: list[str] = field(default_factory=list)  # EventMention ids merged into it
    review: Review = field(default_factory=Review)


@dataclass
class ConflictValue:
    value: str
    documents: list[str]


@dataclass
class Conflict:
    about: str
    values: list[ConflictValue]


@dataclass
class Case:
    id: str
    person: str  # Entity id
    events: list[str]  # Event ids, oldest first
    status: str
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class Claim:
    id: str
    value: float
    unit: str
    about: str
    evidence: list[Evidence]
    conflicts_with: list[str] = field(default_factory=list)
    value_max: float | None = None
    qualifier: str | None = None


@dataclass
class Story:
    id: str
    title: str
    documents: list[str]
    languages: list[str]
    start: str | None
    end: str | None


# ---- (de)serialisation ------------------------------------------------------------------

T = TypeVar("T")


def to_dict(obj: Any) -> dict[str, Any]:
    return asdict(obj)


_NESTED: dict[str, type] = {}


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a dataclass (and the dataclasses nested in it) from `to_dict` output."""
    plan = _plan(cls)
    kwargs = {}
    for name, value in data.items():
        if name not in plan:
            continue
        nested, many = plan[name]
        if nested is None or value is None:
            kwargs[name] = value
        elif many:
            kwargs[name] = [from_dict(nested, v) for v in value]
        else:
            kwargs[name] = from_dict(nested, value)
    return cls(**kwargs)


@cache
def _plan(cls: type) -> dict[str, tuple[type | None, bool]]:
    """Field name -> (the dataclass its value holds, or None; whether a list of them), read
    once per class from the annotations (strings: `from __future__ import annotations`)."""
    plan: dict[str, tuple[type | None, bool]] = {}
    for f in fields(cls):
        hint = str(f.type)
        plan[f.name] = (None, False)
        for name, nested in _classes().items():
            if hint == name or hint.startswith(name + " |"):
                plan[f.name] = (nested, False)
                break
            if hint.startswith(f"list[{name}]"):
                plan[f.name] = (nested, True)
                break
    return plan


def _classes() -> dict[str, type]:
    if not _NESTED:
        _NESTED.update(
            {c.__name__: c for c in (Evidence, Document, Mention, DateSpan, EventMention, Quote,
                                      ClaimMention, Variant, Entity, Event, ConflictValue,
                                      Conflict, Case, Claim, Story, Review)}
        )
    return _NESTED
