"""Cut text into plain and marked pieces, for highlighting names and triggers.

Nothing here builds HTML: the templates print each piece with autoescaping, so article text
can never become markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mark:
    start: int  # offsets in the same coordinates as the text's `offset`
    end: int
    kind: str  # "person", "organization", "location", "trigger", "subject"
    href: str | None = None  # where the mark links to; None for no link
    title: str | None = None


@dataclass
class Piece:
    text: str
    mark: Mark | None = None


@dataclass
class Block:
    """A stretch of a document: plain text, or an event's evidence sentence."""

    pieces: list[Piece]
    evidence: bool = False
    events: list[dict[str, str]] = field(default_factory=list)  # {"href", "label", "status"}
    anchor: str | None = None


def pieces(text: str, marks: list[Mark], offset: int = 0) -> list[Piece]:
    """Split `text` (which starts at `offset`) at the marks; overlapping marks: first wins."""
    out: list[Piece] = []
    pos = 0
    for mark in sorted(marks, key=lambda m: (m.start, -(m.end - m.start))):
        start, end = mark.start - offset, min(mark.end - offset, len(text))
        if start < pos or start >= end:
            continue
        if start > pos:
            out.append(Piece(text[pos:start]))
        out.append(Piece(text[start:end], mark))
        pos = end
    if pos < len(text):
        out.append(Piece(text[pos:]))
    return out


def find_marks(text: str, words: list[str], kind: str, offset: int = 0,
               href: str | None = None, title: str | None = None) -> list[Mark]:
    """Marks for the first case-insensitive occurrence of each word in `text`."""
    marks = []
    lowered = text.lower()
    for word in dict.fromkeys(w for w in words if w and w.strip()):
        at = lowered.find(word.lower())
        if at >= 0:
            marks.append(Mark(offset + at, offset + at + len(word), kind, href, title))
    return marks


@dataclass
class Span:
    start: int
    end: int
    events: list[dict[str, str]]
    anchor: str | None = None


def blocks(text: str, spans: list[Span], marks: list[Mark]) -> list[Block]:
    """The whole text as blocks: evidence spans (merged where they overlap) and plain text."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        span = Span(max(span.start, 0), min(span.end, len(text)), list(span.events), span.anchor)
        if span.start >= span.end:
            continue
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            last.end = max(last.end, span.end)
            last.events.extend(e for e in span.events if e not in last.events)
            continue
        merged.append(span)
    out: list[Block] = []
    pos = 0
    for span in merged:
        if span.start > pos:
            out.append(Block(pieces(text[pos:span.start], marks, pos)))
        out.append(Block(pieces(text[span.start:span.end], marks, span.start), True,
                         span.events, span.anchor))
        pos = span.end
    if pos < len(text):
        out.append(Block(pieces(text[pos:], marks, pos)))
    return out
