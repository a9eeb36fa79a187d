"""Story clustering across languages, story dates and timelines.

`cluster_stories` feeds the documents, in a fixed order (`order_key`: firm publication dates
first, by date; then dates inferred from the text; then undated; ties by id), into a
`StoryIndex` (dossier/stories/index.py): batch clustering is the online clustering of the same
documents, and a store can keep an index and add new articles one by one (`add_document`).

A document without a publication date keeps none: a story's dates say when its other
articles appeared, not this one (a 2022 article joining a 2026 story is still from 2022), so
clustering never writes `published`.
"""

from __future__ import annotations

from dossier.model import Analysis, Document, Entity, Event, Story
from dossier.stories.features import day_of, events_by_document, features_of
from dossier.stories.index import StoryIndex, order_key
from dossier.stories.keys import name_keys
from dossier.stories.titles import Members, entity_names, members_of, title_of

__all__ = [
    "StoryIndex", "add_document", "build_index", "cluster_stories", "document_keys", "order_key",
    "restore_index", "story_timeline",
]


def document_keys(doc: Document) -> dict[str, float]:
    """Name keys of a document's title and text (see dossier/stories/keys.py)."""
    keys = name_keys(f"{doc.title or ''}\n{doc.text}", doc.language)
    return {f"n:{key}": weight for key, weight in keys.items()}


def analysis_keys(analysis: Analysis) -> dict[str, float]:
    """The keys the analysis stored, or computed now (analyses stored before they were)."""
    if analysis.keys is not None:
        return analysis.keys
    return document_keys(analysis.document)


def cluster_stories(
    analyses: list[Analysis],
    mention_entity: dict[str, str],
    events: list[Event],
    entities: list[Entity] | None = None,
    known: dict[str, str] | None = None,
) -> list[Story]:
    """Group the analysed documents into stories.

    `known` (document id -> story id, as a store last saved them) makes it incremental: those
    documents stay together as they were, without scoring, and only the others are scored and
    added, as they would have been online. Without it every document is clustered afresh.
    """
    if not analyses:
        return []
    if known:
        old = [a for a in analyses if a.document.id in known]
        new = [a for a in analyses if a.document.id not in known]
        index = build_index(new, mention_entity, events,
                            restore_index(old, known, mention_entity, events))
    else:
        index = build_index(analyses, mention_entity, events)
    by_id = {a.document.id: a for a in analyses}
    names = {e.id: e.name for e in entities} if entities else entity_names(analyses, mention_entity)
    by_event = {e.id: e for e in events}
    doc_events = events_by_document(events)
    stories = []
    for ids in index.groups():
        event_ids = sorted(set().union(*(doc_events.get(i, set()) for i in ids)))
        stories.append(make_story(index.story_of(ids[0]), [by_id[i] for i in ids],
                                  mention_entity, [by_event[e] for e in event_ids], names))
    return sorted(stories, key=lambda s: s.id)


def make_story(story_id: str, members: list[Analysis], mention_entity: dict[str, str],
               events: list[Event], names: dict[str, str]) -> Story:
    """The Story of documents grouped together: its title, languages and date span."""
    return story_of_members(story_id, [a.document for a in members],
                            members_of(members, mention_entity), events, names)


def story_of_members(story_id: str, documents: list[Document], members: Members,
                     events: list[Event], names: dict[str, str]) -> Story:
    """`make_story` from the documents and what the title reads of them (`members_of`)."""
    start, end = _span(documents)
    return Story(
        id=story_id,
        title=title_of(members, events, names, start, end),
        documents=[d.id for d in documents],
        languages=sorted({d.language for d in documents}),
        start=start,
        end=end,
    )


def build_index(
    analyses: list[Analysis], mention_entity: dict[str, str], events: list[Event],
    index: StoryIndex | None = None,
) -> StoryIndex:
    """A story index holding the documents, fed in `order_key` order (into `index` when
    given, e.g. one restored from a store)."""
    doc_events = events_by_document(events)
    features = [features_of(a, mention_entity, doc_events) for a in analyses]
    by_id = {a.document.id: a for a in analyses}
    index = index if index is not None else StoryIndex()
    for f in sorted(features, key=order_key):
        index.add(f, analysis_keys(by_id[f.id]))
    return index


def add_document(
    index: StoryIndex, analysis: Analysis, mention_entity: dict[str, str], events: list[Event]
) -> str:
    """Online: put one new analysed document into a story of `index`; returns the story id.

    Stories may merge when the document bridges them: read members' story ids again with
    `index.story_of` afterwards.
    """
    f = features_of(analysis, mention_entity, events_by_document(events))
    return index.add(f, analysis_keys(analysis))


def restore_index(
    analyses: list[Analysis],
    story_of: dict[str, str],
    mention_entity: dict[str, str],
    events: list[Event],
) -> StoryIndex:
    """Rebuild an index from stored documents whose stories are known (no scoring)."""
    doc_events = events_by_document(events)
    first: dict[str, str] = {}
    index = StoryIndex()
    features = [features_of(a, mention_entity, doc_events) for a in analyses]
    by_id = {a.document.id: a for a in analyses}
    for f in sorted(features, key=order_key):
        story = story_of.get(f.id)
        index.place(f, analysis_keys(by_id[f.id]), first.get(story) if story else None)
        if story:
            first.setdefault(story, f.id)
    return index


def _span(docs: list[Document]) -> tuple[str | None, str | None]:
    """First and last publication date: declared/metadata dates, else any."""
    firm = [d.published for d in docs if d.published and d.published_basis != "inferred"]
    dates = firm or [d.published for d in docs if d.published]
    if not dates:
        return None, None
    ordered = sorted(dates, key=lambda iso: day_of(iso) or 0)
    return ordered[0], ordered[-1]


def _events_of(doc_ids: set[str], events: list[Event]) -> list[Event]:
    return [e for e in events if any(ev.document in doc_ids for ev in e.evidence)]


def story_timeline(story: Story, events: list[Event]) -> list[Event]:
    """Every event with evidence from the story's documents, oldest first, undated last."""
    chosen = _events_of(set(story.documents), events)
    return sorted(chosen, key=lambda e: (e.date.start is None, e.date.start or "", e.id))


