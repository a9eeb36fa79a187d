"""An incremental story index: each new document joins a story, starts one, or bridges several.

Adding a document costs one matrix-vector product over the story sums (numpy) plus look-ups in
an inverted index of keys (entity ids, name keys) and event ids; nothing already clustered is
recomputed. Stories are union-find sets of documents: when a document is close enough to two
stories, they merge.

Score of a document d against a story S (settings in dossier/data/stories/settings.json):

    mean cosine similarity of d to S's members  (= d . sum(S) / |S|)
  + cross_language bonus x share of S's members in another language (multilingual
    embeddings score translations lower than same-language text)
  + key_bonus x (shared keys, each weighted by rarity, corpus idf and the share of S's members
    that have it; capped at key_cap)
  + event_bonus x (linked events both are evidence for, capped)
  + date_match_bonus when both dates are firm (declared or metadata) and within a grace period
  - date penalty (days between d's date and S's date range beyond the grace period, times
    inferred_date_factor when either side only has an inferred date; none when undated)

d joins the best story that reaches `join`; another story that reaches `join` too merges with it
when the two stories' own mean pairwise score (same terms) reaches `merge`: a bridging article
unites stories that belong together, not stories that merely both resemble it.

The index lives in memory; a store keeps what it needs of it in tables (story sums, counts and
keys: dossier/stories/stored.py), and `StoredIndex` there scores new documents against those
without reading every document. Ties (equal scores, equal similarities) are settled by
`_rank`, the row a story's root has when an index is restored in `order_key` order, so that
both give the same result. Story sums are exact: each vector is rounded to a multiple of 2^-30
(`exact`, far below float32 precision) and summed in float64, where such sums of up to 2^23
unit vectors lose nothing, so a sum does not depend on the order its members came in (a
restored index, an online one and a stored one hold the same sums, bit for bit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from dossier.stories.features import DIM, Features
from dossier.stories.keys import rarity, settings


@dataclass
class _Story:
    """Aggregate of one union-find root."""

    members: list[int]
    keys: dict[str, tuple[float, int]]  # key -> (highest weight among members, members with it)
    events: set[str]
    languages: dict[str, int]
    dated_days: list[int] = field(default_factory=list)  # declared/metadata dates
    inferred_days: list[int] = field(default_factory=list)


def order_key(f: Features) -> tuple[bool, bool, int, str]:
    """The order documents are fed in: firmly dated ones by date, then those with an inferred
    date by that date, then undated ones; ties by id."""
    return (not f.dated, f.day is None, f.day or 0, f.id)


def entity_weight(entity: str, weights: dict[str, float]) -> float:
    """Weight of a shared entity: by type, times how rare its last name word is in general
    language ("person:yulia-yemelyanova" counts fully, "person:donald-trump" hardly)."""
    kind, _, slug = entity.partition(":") if ":" in entity else ("other", "", entity)
    words = [w for w in slug.replace("_", "-").split("-") if w]
    if not words:
        return 0.0
    return weights.get(kind, weights["other"]) * _rarity(words[-1])


@cache
def _rarity(word: str) -> float:
    return rarity(word, "en")


SCALE = 2.0**30


def exact(vector: np.ndarray) -> np.ndarray:
    """The vector as the index adds it up: float64 multiples of 2^-30 (see the module note)."""
    return np.round(np.asarray(vector, dtype=np.float64) * SCALE) / SCALE


def doc_keys_of(f: Features, keys: dict[str, float] | None,
                weights: dict[str, float]) -> dict[str, float]:
    """A document's keys: its name keys and "e:" + each entity it names, weighted by
    `entity_weight` (those of weight 0 left out)."""
    doc_keys = dict(keys or {})
    for entity in f.entities:
        weight = entity_weight(entity, weights)
        if weight > 0:
            doc_keys["e:" + entity] = max(doc_keys.get("e:" + entity, 0.0), weight)
    return doc_keys


def _single(f: Features, doc_keys: dict[str, float]) -> _Story:
    """A one-document story, for scoring a document that is not in the index yet."""
    dated = [f.day] if f.day is not None and f.dated else []
    inferred = [f.day] if f.day is not None and not f.dated else []
    keys = {key: (weight, 1) for key, weight in doc_keys.items()}
    return _Story([-1], keys, set(f.events), {f.language: 1}, dated, inferred)


class StoryIndex:
    def __init__(self, conf: dict | None = None, capacity: int = 1024):
        conf = conf or settings()
        self.score_conf = conf["score"]
        self.index_conf = conf["index"]
        self.entity_weights = conf["entity_weights"]
        self.sums = np.zeros((capacity, DIM), dtype=np.float64)  # row = story root row
        self.counts = np.zeros(capacity, dtype=np.int32)  # 0 for rows that are not roots
        self.parent: list[int] = []
        self.features: list[Features] = []
        self.row_of: dict[str, int] = {}
        self.stories: dict[int, _Story] = {}
        self.postings: dict[str, list[int]] = {}  # key -> rows of documents that have it
        self.event_rows: dict[str, list[int]] = {}

    # ---- union-find ------------------------------------------------------------------------

    def find(self, row: int) -> int:
        root = row
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[row] != root:
            self.parent[row], row = root, self.parent[row]
        return root

    def __len__(self) -> int:
        return len(self.parent)

    # ---- public ----------------------------------------------------------------------------

    def add(self, f: Features, keys: dict[str, float] | None = None) -> str:
        """Put one document in a story and return that story's id (see `story_of`).

        `keys` are weighted lexical keys (name keys); `f.entities` are added as keys weighted
        by entity type and rarity (`entity_weight`). The story id can change later: when an
        earlier document joins, or when a bridging document merges stories.
        """
        if f.id in self.row_of:
            return self.story_of(f.id)
        doc_keys = self._doc_keys(f, keys)
        joined = self._decide(f, doc_keys)
        row = self._insert(f, doc_keys)
        for root in joined:
            self._union(row, root)
        return self.story_of(f.id)

    def place(self, f: Features, keys: dict[str, float] | None = None,
              with_doc: str | None = None) -> None:
        """Put a document in the story of `with_doc` (or a story of its own) without scoring.

        For restoring an index from a store that already knows the stories, and for benchmarks.
        (It returns nothing: naming the story costs a pass over its members.)
        """
        if f.id in self.row_of:
            return
        row = self._insert(f, self._doc_keys(f, keys))
        if with_doc is not None:
            self._union(row, self.row_of[with_doc])

    def story_of(self, doc_id: str) -> str:
        """Story id: "story-" + the id of its earliest document (dated before undated)."""
        root = self.find(self.row_of[doc_id])
        first = min(self.stories[root].members, key=lambda r: _order(self.features[r]))
        return "story-" + self.features[first].id

    def members(self, doc_id: str) -> list[str]:
        root = self.find(self.row_of[doc_id])
        return [self.features[r].id for r in self.stories[root].members]

    def groups(self) -> list[list[str]]:
        """Document ids of every story, each in feeding order."""
        out = []
        for story in self.stories.values():
            rows = sorted(story.members, key=lambda r: _order(self.features[r]))
            out.append([self.features[r].id for r in rows])
        return sorted(out, key=lambda ids: _order(self.features[self.row_of[ids[0]]]))

    def story_days(self, doc_id: str) -> tuple[list[int], list[int]]:
        """(declared/metadata days, inferred days) of the document's story."""
        story = self.stories[self.find(self.row_of[doc_id])]
        return sorted(story.dated_days), sorted(story.inferred_days)

    def _doc_keys(self, f: Features, keys: dict[str, float] | None) -> dict[str, float]:
        return doc_keys_of(f, keys, self.entity_weights)

    # ---- scoring ---------------------------------------------------------------------------

    def _decide(self, f: Features, doc_keys: dict[str, float]) -> list[int]:
        """Roots of the stories the document joins: the best one reaching `join`, and the other
        ones reaching it that are also close enough to the best (`merge`) to become one story."""
        if self._documents() == 0:
            return []
        candidates = set(self._text_candidates(exact(f.vector)))
        candidates.update(self._key_candidates(doc_keys))
        candidates.update(self._event_candidates(f.events))
        scored = sorted(
            ((self.score(f, doc_keys, r), r) for r in candidates),
            key=lambda sr: (-sr[0], self._rank(sr[1])),
        )
        scored = [(score, root) for score, root in scored if score >= self.score_conf["join"]]
        if not scored:
            return []
        best = scored[0][1]
        merge = self.score_conf["merge"]
        return [best] + [
            root for _, root in scored[1:]
            if self._pair_score(self._story(best), self.sums[best],
                                self._story(root), self.sums[root]) >= merge
        ]

    def _event_candidates(self, events: frozenset[str]) -> set[int]:
        return {self.find(r) for event in events for r in self.event_rows.get(event, ())}

    def _key_candidates(self, doc_keys: dict[str, float]) -> list[int]:
        """Stories sharing the document's rarer keys (at most `max_postings` documents each),
        the `key_candidates` with the most key weight in common."""
        cap = self.index_conf["max_postings"]
        weight: dict[int, float] = {}
        for key, w in doc_keys.items():
            if 0 < self._df(key) <= cap:
                for root in self._key_roots(key):
                    weight[root] = weight.get(root, 0.0) + w
        best = sorted(weight, key=lambda r: (-weight[r], self._rank(r)))
        return best[: self.index_conf["key_candidates"]]

    def _key_roots(self, key: str) -> set[int]:
        """Roots of the stories with a document that has `key`."""
        return {self.find(r) for r in self.postings.get(key, ())}

    def _text_candidates(self, vector: np.ndarray) -> list[int]:
        """The `text_candidates` stories whose mean similarity to `vector` is highest (ties by
        `_rank`, so that the choice does not depend on how rows are laid out)."""
        rows = len(self.parent)
        counts = self.counts[:rows]
        sims = self.sums[:rows] @ vector
        sims = np.where(counts > 0, sims / np.maximum(counts, 1), -np.inf)
        return self._top(sims, min(self.index_conf["text_candidates"], self._documents()))

    def _top(self, sims: np.ndarray, k: int) -> list[int]:
        live = np.flatnonzero(np.isfinite(sims))
        if len(live) <= k:
            return [int(r) for r in live]
        values = sims[live]
        threshold = values[np.argpartition(-values, k - 1)[k - 1]]
        above = [int(r) for r in live[values > threshold]]
        tied = sorted((int(r) for r in live[values == threshold]), key=self._rank)
        return above + tied[: k - len(above)]

    def score(self, f: Features, doc_keys: dict[str, float], root: int) -> float:
        """Score of a document (not yet in the index) against the story rooted at `root`."""
        return self._pair_score(_single(f, doc_keys), exact(f.vector), self._story(root),
                                self.sums[root])

    def _pair_score(self, a: _Story, sum_a: np.ndarray, b: _Story, sum_b: np.ndarray) -> float:
        """Mean pairwise score between the documents of two stories (see the module note)."""
        conf = self.score_conf
        na, nb = len(a.members), len(b.members)
        text = float(sum_a @ sum_b) / (na * nb)
        same = sum(count * b.languages.get(lang, 0) for lang, count in a.languages.items())
        text += conf["cross_language"] * (1 - same / (na * nb))
        small, large = (a, b) if len(a.keys) <= len(b.keys) else (b, a)
        keys = 0.0
        for key, (weight, count) in small.keys.items():
            if key in large.keys:
                other, other_count = large.keys[key]
                share = count * other_count / (na * nb)
                keys += min(weight, other) * self._idf(key) * share
        bonus = conf["key_bonus"] * min(keys, conf["key_cap"])
        bonus += conf["event_bonus"] * min(self._shared_events(a, b), conf["event_cap"])
        return text + bonus - self._date_penalty(a, b)

    def _shared_events(self, a: _Story, b: _Story) -> int:
        return len(a.events & b.events) if a.events and b.events else 0

    def _idf(self, key: str) -> float:
        """1 for a key few documents have, falling towards 0 as it gets common in the index."""
        floor = self.index_conf["idf_floor_docs"]
        df = self._df(key)
        return min(1.0, math.log((self._documents() + floor) / (df + 1)) / math.log(floor))

    # ---- what a stored index answers differently (dossier/stories/stored.py) ---------------

    def _story(self, root: int) -> _Story:
        return self.stories[root]

    def _rank(self, root: int) -> object:
        """Order of roots for ties: rows are fed in `order_key` order, so the row itself."""
        return root

    def _df(self, key: str) -> int:
        """How many documents have `key`."""
        return len(self.postings.get(key, ()))

    def _documents(self) -> int:
        return len(self.parent)

    def _date_penalty(self, a: _Story, b: _Story) -> float:
        """Penalty for stories far apart in time; a small bonus (negative) for firm, close dates."""
        conf = self.score_conf
        inferred = False
        days_a, days_b = a.dated_days, b.dated_days
        if not days_a:
            days_a, inferred = a.inferred_days, True
        if not days_b:
            days_b, inferred = b.inferred_days, True
        if not days_a or not days_b:
            return 0.0
        gap = max(0, min(days_b) - max(days_a), min(days_a) - max(days_b))
        gap -= conf["date_grace_days"]
        if gap <= 0:
            return 0.0 if inferred else -conf["date_match_bonus"]
        penalty = min(conf["date_penalty_cap"], gap * conf["date_penalty_per_day"])
        return penalty * (conf["inferred_date_factor"] if inferred else 1.0)

    # ---- bookkeeping -----------------------------------------------------------------------

    def _insert(self, f: Features, doc_keys: dict[str, float]) -> int:
        row = len(self.parent)
        if row >= len(self.counts):
            self._grow()
        self.parent.append(row)
        self.features.append(f)
        self.row_of[f.id] = row
        self.sums[row] = exact(f.vector)
        self.counts[row] = 1
        story = _single(f, doc_keys)
        story.members = [row]
        self.stories[row] = story
        for key in doc_keys:
            self.postings.setdefault(key, []).append(row)
        for event in f.events:
            self.event_rows.setdefault(event, []).append(row)
        return row

    def _grow(self) -> None:
        size = len(self.counts) * 2
        sums = np.zeros((size, DIM), dtype=np.float64)
        sums[: len(self.sums)] = self.sums
        counts = np.zeros(size, dtype=np.int32)
        counts[: len(self.counts)] = self.counts
        self.sums, self.counts = sums, counts

    def _union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a == b:
            return
        big, small = (a, b) if self.counts[a] >= self.counts[b] else (b, a)
        target, source = self.stories[big], self.stories.pop(small)
        self.parent[small] = big
        self.sums[big] += self.sums[small]
        self.counts[big] += self.counts[small]
        self.sums[small] = 0
        self.counts[small] = 0
        target.members.extend(source.members)
        for key, (weight, count) in source.keys.items():
            best, had = target.keys.get(key, (0.0, 0))
            target.keys[key] = (max(weight, best), had + count)
        target.events |= source.events
        for lang, count in source.languages.items():
            target.languages[lang] = target.languages.get(lang, 0) + count
        target.dated_days.extend(source.dated_days)
        target.inferred_days.extend(source.inferred_days)


def _order(f: Features) -> tuple[bool, bool, int, str]:
    return order_key(f)
