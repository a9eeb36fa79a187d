"""A small averaged-perceptron tagger for person names (BIO over tokens), numpy-free.

Used for languages that ship a model in dossier/data/entities/models/<lang>-person.json.gz
(today: Romanian, trained on RONEC; see scripts/train_ro_person.py and the README there).
Features mix the token itself (lower case, suffixes, shape) with the stage's own knowledge:
first-name lists, surname endings, gazetteer hits, title and role cues, the neighbours.
Decoding is greedy left to right with the two previous tags as features (a first-order
Viterbi with a structured perceptron was tried on RONEC and scored lower: F1 0.789 vs 0.796).
`tag_with_margins` also gives, per word, the name-minus-O score margin; mentions.py uses it to
veto rule-based person guesses the model strongly disagrees with (lang/<code>.json
`tagger_rule_margin`). It can add a second model's per-word log-probabilities to the scores
(contextual.py, weighted by `contextual_weight`).
"""

from __future__ import annotations

import gzip
import json
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from dossier.entities.resources import DATA

LABELS = ("O", "B-PER", "I-PER")
MODELS = DATA / "models"
Features = Callable[[list[str], int], list[str]]


class Perceptron:
    """Averaged perceptron: weights[feature][label]."""

    def __init__(self, weights: dict[str, dict[str, float]] | None = None) -> None:
        self.weights: dict[str, dict[str, float]] = weights or {}
        self._totals: dict[tuple[str, str], float] = defaultdict(float)
        self._stamps: dict[tuple[str, str], int] = defaultdict(int)
        self._step = 0

    def score(self, features: list[str]) -> dict[str, float]:
        scores = dict.fromkeys(LABELS, 0.0)
        for f in features:
            for label, w in self.weights.get(f, {}).items():
                scores[label] += w
        return scores

    def predict(self, features: list[str], prev: str) -> str:
        return best(self.score(features), prev)

    def update(self, truth: str, guess: str, features: list[str]) -> None:
        self._step += 1
        if truth == guess:
            return
        for f in features:
            row = self.weights.setdefault(f, {})
            for label, delta in ((truth, 1.0), (guess, -1.0)):
                key = (f, label)
                w = row.get(label, 0.0)
                self._totals[key] += (self._step - self._stamps[key]) * w
                self._stamps[key] = self._step
                row[label] = w + delta

    def average(self) -> None:
        for f, row in self.weights.items():
            for label, w in list(row.items()):
                key = (f, label)
                total = self._totals[key] + (self._step - self._stamps[key]) * w
                avg = round(total / max(self._step, 1), 4)
                if avg:
                    row[label] = avg
                else:
                    del row[label]
        self.weights = {f: row for f, row in self.weights.items() if row}


def best(scores: dict[str, float], prev: str) -> str:
    """The best label; I-PER only after B-PER or I-PER, ties go to O."""
    if prev == "O":
        scores = scores | {"I-PER": float("-inf")}
    return max(LABELS, key=lambda label: (scores[label], label == "O"))


def tag(model: Perceptron, words: list[str], features: Features) -> list[str]:
    return tag_with_margins(model, words, features)[0]


def tag_with_margins(
    model: Perceptron,
    words: list[str],
    features: Features,
    prior: Sequence[Sequence[float]] | None = None,
    prior_weight: float = 0.0,
) -> tuple[list[str], list[float]]:
    """Greedy tags and, per word, how much more the model believes in a name than in "O"
    (best of B-PER and I-PER minus O; negative when it prefers "O"). `prior` adds, per word,
    `prior_weight` times a second model's log-probabilities of LABELS (contextual.py)."""
    tags: list[str] = []
    margins: list[float] = []
    for i in range(len(words)):
        prev = tags[-1] if tags else "O"
        prev2 = tags[-2] if len(tags) > 1 else "O"
        feats = features(words, i) + [f"t-1={prev}", f"t-2={prev2}|{prev}"]
        scores = model.score(feats)
        if prior is not None:
            scores = _with_prior(scores, prior[i], prior_weight, prev)
        name = scores["B-PER"] if prev == "O" else max(scores["B-PER"], scores["I-PER"])
        margins.append(name - scores["O"])
        tags.append(best(scores, prev))
    return tags, margins


def _with_prior(
    scores: dict[str, float], log_probs: Sequence[float], weight: float, prev: str
) -> dict[str, float]:
    """Scores plus the weighted prior. After "O" a name can only begin, so the prior's belief
    in "inside a name" counts for "begins one" (its first word may have been missed)."""
    prior = {label: float(log_probs[k]) for k, label in enumerate(LABELS)}
    if prev == "O":
        prior["B-PER"] = max(prior["B-PER"], prior["I-PER"])
    return {label: scores[label] + weight * prior[label] for label in LABELS}


def train(
    sentences: list[tuple[list[str], list[str]]], features: Features, epochs: int = 8, seed: int = 7
) -> Perceptron:
    """Train on (words, BIO tags) pairs; deterministic for a given seed."""
    model = Perceptron()
    cached = [
        (words, gold, [features(words, i) for i in range(len(words))]) for words, gold in sentences
    ]
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(cached)
        for _words, gold, feats in cached:
            prev, prev2 = "O", "O"
            for i, base in enumerate(feats):
                f = base + [f"t-1={prev}", f"t-2={prev2}|{prev}"]
                guess = model.predict(f, prev)
                model.update(gold[i], guess, f)
                prev2, prev = prev, guess
    model.average()
    return model


def save(model: Perceptron, path: Path) -> None:
    text = json.dumps(model.weights, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))  # same model, same bytes


# Models set here win over the shipped files: evaluation uses it for cross-validation.
OVERRIDES: dict[str, Perceptron | None] = {}


def load(lang: str) -> Perceptron | None:
    if lang in OVERRIDES:
        return OVERRIDES[lang]
    return _load_file(lang)


@cache
def _load_file(lang: str) -> Perceptron | None:
    path = MODELS / f"{lang}-person.json.gz"
    if not path.exists():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return Perceptron(json.load(handle))


def named_person_tags(tokens: list[str], tags: list[str], label: str = "PERSON") -> list[str]:
    """BIO tags for the NAMED part of each person span: RONEC also marks titles and common
    nouns ("președintele Traian Băsescu", "copiii"); only capitalised words are kept, a span
    without one (or with only the sentence's first word) is dropped."""
    out = ["O"] * len(tokens)
    i = 0
    while i < len(tags):
        if tags[i] != f"B-{label}":
            i += 1
            continue
        j = i + 1
        while j < len(tags) and tags[j] == f"I-{label}":
            j += 1
        caps = [k for k in range(i, j) if tokens[k][:1].isupper() and tokens[k][:1].isalpha()]
        if len(caps) > 1 and caps[0] == 0 and _common(tokens[0]):
            caps = caps[1:]  # "Președintele Traian Băsescu" at the start of a sentence
        if caps and not (caps == [0] and caps[0] == 0 and j - i > 1):
            first, last = caps[0], caps[-1]
            if not (
                first == 0 and len(caps) == 1 and j - i == 1 and tokens[0].lower() in _PRONOUNS
            ):
                out[first] = "B-PER"
                for k in range(first + 1, last + 1):
                    out[k] = "I-PER"
        i = j
    return out


def _common(word: str) -> bool:
    from dossier.entities.resources import first_names
    from dossier.frequency import zipf_frequency

    return zipf_frequency(word.lower(), "ro") >= 4.0 and word not in first_names()


_PRONOUNS = frozenset({"el", "ea", "ei", "ele", "noi", "voi", "eu", "tu", "dumneavoastră"})
