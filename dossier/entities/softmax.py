"""Full-batch softmax regression with Adam, shared by the learned taggers (contextual.py, ner.py).

Deterministic: a zero start and no sampling, so the same inputs always give the same model.
"""

from __future__ import annotations

import numpy as np


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x with every column at mean 0 and unit spread, the means, the spreads)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    return (x - mean) / scale, mean, scale


def fit(x: np.ndarray, labels: np.ndarray, classes: int, l2: float, epochs: int,
        rate: float) -> tuple[np.ndarray, np.ndarray]:
    """(weights (features, classes), bias (classes,)) for standardised inputs `x` and the
    class index of each row."""
    y = np.eye(classes, dtype=np.float32)[labels]
    params = [np.zeros((x.shape[1], classes), np.float32), np.zeros(classes, np.float32)]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    for step in range(1, epochs + 1):
        z = x @ params[0] + params[1]
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        error = (p - y) / len(x)
        grads = [x.T @ error + l2 * params[0], error.sum(axis=0)]
        for param, grad, (m, v) in zip(params, grads, moments, strict=True):
            m[:] = 0.9 * m + 0.1 * grad
            v[:] = 0.999 * v + 0.001 * grad * grad
            param -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return params[0], params[1]
