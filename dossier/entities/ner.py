"""A learned person / organisation / place tagger over contextual word vectors, for every language.

Each word gets the hidden states of multilingual-e5-small (encoder.py) after a few lower layers,
side by side with a handful of the rules' own judgements of the word (capitalised, an acronym, a
given name, surname-like, a gazetteer place or organisation, an organisation word, a title, a
frequent word; see mentions.ner_rule_features). A softmax regression turns them into
probabilities of LABELS (BIO over PER, ORG, LOC). The encoder is multilingual, so a language
without a training corpus of its own (pl, cs, sl, bg, ru) reads its names with what the model
learned from Romanian and Ukrainian.

Trained by scripts/train_ner.py on RONEC v2 (MIT) and the lang-uk NER corpus v2.0 (CC BY-NC-SA
4.0); the model file models/ner-e5.npz therefore carries CC BY-NC-SA 4.0 (models/README.md).
It holds numbers only: weights, the input scaling, the layers and the per-type thresholds.

The stage runs behind the rules (mentions.find_mentions): only on sentences where a capitalised
word is left that no rule took, and it only adds spans over words no rule took, each when the
tagger's mean probability of its label reaches that type's threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np

from dossier.entities import encoder, softmax
from dossier.entities.resources import DATA

MODELS = DATA / "models"
MODEL_FILE = MODELS / "ner-e5.npz"
LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
TYPES = {"PER": "person", "ORG": "organization", "LOC": "location"}
CONTEXT = 8  # words read on each side of a candidate (the encoder's cost grows with them)


@dataclass
class Model:
    weights: np.ndarray  # (features, labels)
    bias: np.ndarray  # (labels,)
    mean: np.ndarray  # input standardisation
    scale: np.ndarray
    layers: tuple[int, ...]
    thresholds: dict[str, float] = field(default_factory=dict)  # per type: PER, ORG, LOC

    def probs(self, vectors: np.ndarray, rules: np.ndarray) -> np.ndarray:
        """(words, len(LABELS)) probabilities from the encoder's vectors and the rule features."""
        x = np.concatenate([vectors, rules], axis=1)
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def vectors(self, sentences: list[tuple[list[str], list[str]]]) -> list[np.ndarray]:
        return encoder.load().sentence_vectors(sentences, self.layers)


def spans(probs: np.ndarray) -> list[tuple[int, int, str, float]]:
    """Spans by type: a word is in the type whose B- and I- probabilities together beat the
    others and "O"; a span of one type runs on unless the next word is much more likely to begin
    a new one than to continue (B- over twice I-). Each span comes as (first, last, type, mean
    probability of its type over its words)."""
    kinds = list(TYPES)
    inside = np.stack(
        [probs[:, LABELS.index(f"B-{k}")] + probs[:, LABELS.index(f"I-{k}")] for k in kinds], axis=1
    )
    best = inside.argmax(axis=1)
    named = inside.max(axis=1) > probs[:, 0]
    out: list[tuple[int, int, str, float]] = []
    k = 0
    while k < len(best):
        if not named[k]:
            k += 1
            continue
        kind = kinds[best[k]]
        b, i = LABELS.index(f"B-{kind}"), LABELS.index(f"I-{kind}")
        end = k
        while (
            end + 1 < len(best)
            and named[end + 1]
            and best[end + 1] == best[k]
            and probs[end + 1, b] <= 2 * probs[end + 1, i]
        ):
            end += 1
        score = float(inside[k : end + 1, best[k]].mean())
        out.append((k, end, kind, score))
        k = end + 1
    return out


def train(
    x: np.ndarray,
    labels: np.ndarray,
    layers: tuple[int, ...],
    l2: float = 1e-3,
    epochs: int = 300,
    rate: float = 0.05,
) -> Model:
    """A softmax regression over the standardised inputs (softmax.fit)."""
    x, mean, scale = softmax.standardise(x)
    x = x.astype(np.float32)
    weights, bias = softmax.fit(x, labels, len(LABELS), l2, epochs, rate)
    return Model(weights, bias, mean.astype(np.float32), scale.astype(np.float32), layers)


def save(model: Model, path) -> None:
    kinds = sorted(model.thresholds)
    np.savez_compressed(
        path,
        weights=model.weights.astype(np.float32),
        bias=model.bias.astype(np.float32),
        mean=model.mean.astype(np.float32),
        scale=model.scale.astype(np.float32),
        layers=np.array(model.layers),
        threshold_types=np.array(kinds),
        thresholds=np.array([model.thresholds[k] for k in kinds], np.float64),
        licence=np.array("CC BY-NC-SA 4.0 (trained on lang-uk NER v2.0 and RONEC v2, MIT)"),
    )


def read(path) -> Model:
    with np.load(path) as data:
        return Model(
            data["weights"],
            data["bias"],
            data["mean"],
            data["scale"],
            tuple(int(x) for x in data["layers"]),
            {
                str(k): float(v)
                for k, v in zip(data["threshold_types"], data["thresholds"], strict=True)
            },
        )


# A model set here wins over the shipped file (None: no tagger); evaluation and tests use it.
OVERRIDE: list[Model | None] = []


def load() -> Model | None:
    if OVERRIDE:
        return OVERRIDE[-1]
    return _load_file()


@cache
def _load_file() -> Model | None:
    return read(MODEL_FILE) if MODEL_FILE.exists() else None
