"""The pipeline, stage by stage.

`analyse` is the per-document work: a pure function of one RawDocument (no store, no global
state beyond read-only language data), so it can run on any map-style distributed engine.
`link` is the cross-document work: it resolves names to entities, merges events into cases,
groups claims and clusters stories.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
from collections.abc import Iterable, Iterator
from typing import TypeVar

from dossier import claims as claim_stage
from dossier import dates as date_stage
from dossier import quotes as quote_stage
from dossier.cases import build_cases, merge_events
from dossier.clean import clean_text
from dossier.corpus import Corpus
from dossier.entities.mentions import find_mentions
from dossier.entities.resolve import resolve_entities
from dossier.events.detect import find_events
from dossier.language import detect_language
from dossier.model import Analysis, DateSpan, Document, Mention, Quote, RawDocument
from dossier.stories.cluster import cluster_stories, document_keys
from dossier.stories.features import document_vector
from dossier.timing import StageClock

TITLE_MAX = 160
T = TypeVar("T")


def document_id(raw: bytes) -> str:
    """Stable id: the same bytes always give the same id."""
    return hashlib.sha256(raw).hexdigest()[:16]


def analyse(raw: RawDocument) -> Analysis:
    clock = StageClock()
    doc, mentions, dates = prepare(raw, clock)
    events = find_events(doc, mentions, dates)
    clock.lap("events")
    quotes = quote_stage.find_quotes(doc, mentions)
    claims = claim_stage.find_claims(doc)
    clock.lap("quotes+claims")
    vector = document_vector(doc)
    keys = document_keys(doc)
    clock.lap("story vector")
    clock.record(doc.id, doc.language, len(doc.text))
    return Analysis(doc, mentions, dates, events, quotes, claims, vector, keys)


def prepare(
    raw: RawDocument, clock: StageClock | None = None
) -> tuple[Document, list[Mention], list[DateSpan]]:
    """The stages every later one reads: clean text, language, names and dates."""
    clock = clock or StageClock()
    cleaned = clean_text(raw.body)
    language = detect_language(cleaned.text)
    warnings = [*raw.warnings, *cleaned.warnings]
    if language == "und":
        warnings.append("language could not be detected")
    if raw.declared_language and language != "und" and raw.declared_language != language:
        warnings.append(f"declared language {raw.declared_language} but text is {language}")
    doc = Document(
        id=document_id(raw.raw),
        source=raw.source,
        title=raw.title or _first_line(cleaned.text),
        language=language,
        declared_language=raw.declared_language,
        published=raw.declared_date,
        published_basis=raw.date_basis if raw.declared_date else None,
        text=cleaned.text,
        warnings=warnings,
        url=raw.url,
        outlet=raw.outlet,
        format=raw.format,
        encoding=raw.encoding,
    )
    clock.lap("clean+language")
    mentions = find_mentions(doc)
    clock.lap("entities")
    dates = date_stage.find_dates(doc.text, doc.language, doc.published)
    if doc.published is None:
        inferred = date_stage.infer_published(doc.text, doc.language, dates)
        if inferred:
            doc.published, doc.published_basis = inferred, "inferred"
            doc.warnings.append(f"no publication date; inferred {inferred} from the text")
            dates = date_stage.find_dates(doc.text, doc.language, doc.published)
    clock.lap("dates")
    return doc, mentions, dates


def analyse_all(
    items: Iterable[tuple[str, RawDocument]], jobs: int = 1, batch: int = 64
) -> Iterator[tuple[str, RawDocument, Analysis | str]]:
    """Analyse documents in order, in `jobs` processes; a failure comes back as its message.

    Batches keep memory bounded and let the caller store results as they come.
    """
    chunks = _batches(items, batch)
    first = next(chunks, [])
    if jobs <= 1 or len(first) < batch:  # too little work to pay for starting processes
        for source, raw in first:
            yield source, raw, _analyse_safely(raw)
        for source, raw in (item for chunk in chunks for item in chunk):
            yield source, raw, _analyse_safely(raw)
        return
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        for chunk in itertools.chain([first], chunks):
            outcomes = pool.map(_analyse_safely, [raw for _, raw in chunk], chunksize=4)
            for (source, raw), outcome in zip(chunk, outcomes, strict=True):
                yield source, raw, outcome


def _analyse_safely(raw: RawDocument) -> Analysis | str:
    try:
        return analyse(raw)
    except Exception as exc:  # a bug in one stage must not stop the run
        return f"{type(exc).__name__}: {exc}"


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def link(analyses: list[Analysis], known_stories: dict[str, str] | None = None) -> Corpus:
    """`known_stories` (document id -> story id from the last link) keeps those documents'
    stories and clusters only the new documents (see `cluster_stories`)."""
    analyses = sorted(analyses, key=lambda a: a.document.id)
    mentions = [m for a in analyses for m in a.mentions]
    entities = resolve_entities(mentions)
    mention_entity = {m: e.id for e in entities for m in e.mentions}
    events = merge_events([e for a in analyses for e in a.events], mention_entity)
    cases = build_cases(events, entities)
    claims = claim_stage.group_claims([c for a in analyses for c in a.claims])
    quotes = [
        _link_quote(q, mention_entity) for a in analyses for q in a.quotes
    ]
    stories = cluster_stories(analyses, mention_entity, events, entities, known_stories)
    story_of = {d: s.id for s in stories for d in s.documents}
    documents = [a.document for a in analyses]
    for doc in documents:
        doc.story = story_of.get(doc.id)
    return Corpus(documents, entities, events, cases, claims, quotes, stories, mention_entity,
                  mentions)


def _link_quote(quote: Quote, mention_entity: dict[str, str]) -> Quote:
    speaker = mention_entity.get(quote.speaker) if quote.speaker else None
    return Quote(quote.id, quote.document, quote.start, quote.end, quote.text, speaker)


def _first_line(text: str) -> str | None:
    """A title for an input that has none: a short heading-like line near the top, else the
    opening words of the text."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines[:3]:
        if len(line) <= TITLE_MAX and not line.endswith((".", ":", ";")):
            return line
    if not lines:
        return None
    first = lines[0]
    if len(first) <= TITLE_MAX:
        return first
    return first[: first.rfind(" ", 0, TITLE_MAX)].rstrip(",;:") + "…"
