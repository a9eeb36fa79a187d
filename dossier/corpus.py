"""`Corpus`: everything in the store, linked across documents (the shape of the export).

Its own module so that the store and the read-only commands can name it without importing the
analysis stages (`dossier.pipeline` imports them all: about half a second of start-up).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dossier.model import Case, Claim, Document, Entity, Event, Mention, Quote, Story


@dataclass
class Corpus:
    """Everything in the store, linked across documents: the shape of the export."""

    documents: list[Document] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    mention_entity: dict[str, str] = field(default_factory=dict)
    # every mention, as linked: saves the store reading all analyses again (None: it reads them)
    mentions: list[Mention] | None = None
    # story ids a relink retired -> the story now holding most of their documents
    story_aliases: dict[str, str] = field(default_factory=dict)
