"""A person classifier over contextual word vectors (multilingual-e5-small, see encoder.py).

Each word gets the encoder's hidden states after a few middle layers (6 and 8 by default: on
RONEC they tag names better than the last layer, which is tuned for sentence similarity);
a multinomial logistic regression turns them into log-probabilities of O, B-PER and I-PER.
The person tagger (tagger.tag_with_margins) adds these, weighted, to its own feature scores.

Shipped per language as models/<lang>-person-e5.npz (weights, the input scaling and the
layers); trained by scripts/train_ro_person.py. The file holds numbers only, no text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from dossier.entities import encoder, softmax
from dossier.entities.resources import DATA

MODELS = DATA / "models"
LABELS = ("O", "B-PER", "I-PER")


@dataclass
class Classifier:
    weights: np.ndarray  # (features, labels)
    bias: np.ndarray  # (labels,)
    mean: np.ndarray  # input standardisation
    scale: np.ndarray
    layers: tuple[int, ...]

    def log_probs(self, sentences: list[tuple[list[str], list[str]]]) -> list[np.ndarray]:
        """Per sentence (words, gaps as in Encoder.word_vectors): (len(words), 3)
        log-probabilities of LABELS."""
        vectors = encoder.load().sentence_vectors(list(sentences), self.layers)
        return [self.log_probs_of(v) for v in vectors]

    def log_probs_of(self, vectors: np.ndarray) -> np.ndarray:
        z = ((vectors - self.mean) / self.scale) @ self.weights + self.bias
        z = z - z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def train(
    vectors: np.ndarray,
    labels: np.ndarray,
    layers: tuple[int, ...],
    l2: float = 1e-3,
    epochs: int = 300,
    rate: float = 0.05,
) -> Classifier:
    """A softmax regression over the standardised inputs (softmax.fit)."""
    x, mean, scale = softmax.standardise(vectors)
    weights, bias = softmax.fit(x, labels, len(LABELS), l2, epochs, rate)
    return Classifier(weights, bias, mean.astype(np.float32), scale.astype(np.float32), layers)


def save(model: Classifier, path) -> None:
    np.savez_compressed(
        path,
        weights=model.weights.astype(np.float32),
        bias=model.bias.astype(np.float32),
        mean=model.mean,
        scale=model.scale,
        layers=np.array(model.layers),
    )


def read(path) -> Classifier:
    with np.load(path) as data:
        return Classifier(
            data["weights"],
            data["bias"],
            data["mean"],
            data["scale"],
            tuple(int(x) for x in data["layers"]),
        )


# Models set here win over the shipped files: evaluation uses it for cross-validation.
OVERRIDES: dict[str, Classifier | None] = {}


def load(lang: str) -> Classifier | None:
    if lang in OVERRIDES:
        return OVERRIDES[lang]
    return _load_file(lang)


@cache
def _load_file(lang: str) -> Classifier | None:
    path = MODELS / f"{lang}-person-e5.npz"
    return read(path) if path.exists() else None
