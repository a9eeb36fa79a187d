"""Train the learned person / organisation / place tagger shipped as
dossier/data/entities/models/ner-e5.npz (dossier/entities/ner.py).

Data (read from ../shared/data, never copied into the repository):
- RONEC v2 (Romanian Named Entity Corpus, Dumitrescu & Avram; MIT licence, Copyright (c) 2018
  Stefan Dumitrescu): ronec/valid.json, 1,330 sentences. PERSON (its named part, as
  tagger.named_person_tags reads it), ORG, and GPE + LOC as LOC.
- lang-uk NER corpus v2.0 (Ukrainian news and fiction; CC BY-NC-SA 4.0):
  ner-uk/v2.0/iob/train.iob for training, test.iob for the held-out figure and the thresholds.
  PERS, ORG, LOC; MISC and the other types are left out. Because the model learns from it,
  the model file carries
  CC BY-NC-SA 4.0 (see dossier/data/entities/models/README.md and THIRD_PARTY_NOTICES.md).
SlavicNER and NEREL are never read here: they are evaluation data only.

Sentences are rebuilt as text and read by the detector's own tokeniser and sentence splitter,
so the words are those the stage will see. Word vectors are cached under /tmp/dossier-ner
(never in the repository) while iterating.

    .venv/bin/python scripts/train_ner.py [--layers 4,6] [--out PATH]

The thresholds per type are the lowest probabilities whose exact-span precision on ner-uk
test.iob (held out) reaches PRECISION, for a model trained on train.iob and four fifths of RONEC
(the held-out fifth, n mod 5 == 0, is printed too: its ORG spans, long and club-heavy, never
reach that precision and are not used); the shipped model is then trained on all RONEC and all
of train.iob with those thresholds. About 15 minutes on a loaded 2-core machine, most of it the
encoder reading the corpora (cached for the next run).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from dossier.entities import encoder, names, ner, tagger  # noqa: E402
from dossier.entities.mentions import _sentences, ner_rule_features, tokenize  # noqa: E402
from dossier.entities.resources import lang_config  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
RONEC = DATA / "ronec" / "valid.json"
NER_UK = DATA / "ner-uk" / "v2.0" / "iob"
CACHE = Path("/tmp/dossier-ner")
ALL_LAYERS = (4, 6, 8)  # what the cache holds; a model reads a subset
PRECISION = {"PER": 0.91, "ORG": 0.75, "LOC": 0.80}  # persons first: events need them right
GRID = [round(0.40 + 0.05 * k, 2) for k in range(12)]

Sentence = tuple[str, list[tuple[int, int, str]]]  # text, (start, end, PER/ORG/LOC)


# ---- corpora ---------------------------------------------------------------------------------


def ronec_sentences(keep=lambda n: True) -> list[Sentence]:
    out = []
    for n, s in enumerate(json.loads(RONEC.read_text(encoding="utf-8"))):
        if not keep(n):
            continue
        text, starts = "", []
        for tok, space in zip(s["tokens"], s["space_after"], strict=False):
            starts.append(len(text))
            text += tok + (" " if space else "")
        tags = list(s["ner_tags"])
        named = tagger.named_person_tags(s["tokens"], tags)
        for k, t in enumerate(tags):
            if t.endswith("PERSON"):
                tags[k] = named[k]  # the named part only ("președintele" is no name)
            elif t.endswith("GPE"):
                tags[k] = t[:2] + "LOC"
            elif not t.endswith(("ORG", "LOC")):
                tags[k] = "O"
        out.append((text, _spans(s["tokens"], starts, tags)))
    return out


def ner_uk_sentences(path: Path) -> list[Sentence]:
    out, words, tags = [], [], []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        parts = line.split()
        if len(parts) >= 2:
            words.append(parts[0])
            tag = parts[-1].replace("PERS", "PER")
            tags.append(tag if tag[2:] in ner.TYPES else "O")  # MISC, JOB, DATE, ...
            continue
        if words:
            text, starts = _detokenise(words)
            out.append((text, _spans(words, starts, tags)))
        words, tags = [], []
    return out


def _detokenise(words: list[str]) -> tuple[str, list[int]]:
    """Running text from tokens: no space before closing punctuation, none after opening."""
    text, starts = "", []
    for k, w in enumerate(words):
        if k and w not in ",.;:!?)]»”%" and words[k - 1] not in "([«„“":
            text += " "
        starts.append(len(text))
        text += w
    return text, starts


def _spans(words: list[str], starts: list[int], tags: list[str]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for k, t in enumerate(tags):
        end = starts[k] + len(words[k])
        if t.startswith("B-") or (t.startswith("I-") and (not spans or tags[k - 1] == "O")):
            spans.append((starts[k], end, t[2:]))
        elif t.startswith("I-") and spans:
            spans[-1] = (spans[-1][0], end, spans[-1][2])
    return spans


# ---- words, labels, features ------------------------------------------------------------------


def examples(sentences: list[Sentence], lang: str) -> list[tuple[list, list[str], list[str]]]:
    """Per detector sentence: its tokens, their BIO labels, their gaps."""
    out = []
    conf = dict(lang_config(lang))
    for text, spans in sentences:
        tokens = tokenize(text)
        if lang in names.MORPH_LANGS:
            for tok in tokens:
                tok.lemma = names.lemma(tok.word, lang) if tok.cap else tok.low
        for first, last in _sentences(tokens) if tokens else []:
            run = tokens[first : last + 1]
            labels, open_span = [], -1
            for tok in run:
                inside = [k for k, (a, b, _t) in enumerate(spans) if tok.start < b and a < tok.end]
                if not inside:
                    labels.append("O")
                else:
                    kind = spans[inside[0]][2]
                    same = labels and labels[-1] != "O" and inside[0] == open_span
                    labels.append(("I-" if same else "B-") + kind)
                open_span = inside[0] if inside else -1
            if run:
                out.append((run, labels, [t.gap for t in run]))
    del conf
    return out


def features(name: str, data: list, lang: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Encoder vectors (ALL_LAYERS), rule features and label ids of every word, cached."""
    key = hashlib.sha1(
        json.dumps([[t.word for t in run] for run, _l, _g in data]).encode()
    ).hexdigest()[:12]
    path = CACHE / f"{name}-{key}.npz"
    labels = np.array([ner.LABELS.index(t) for _r, tags, _g in data for t in tags])
    conf = dict(lang_config(lang))
    rules = np.array(
        [row for run, _l, _g in data for row in ner_rule_features(run, lang, conf)], np.float32
    )
    if path.exists():
        with np.load(path) as cached:
            return cached["vectors"].astype(np.float32), rules, labels
    CACHE.mkdir(exist_ok=True)
    started = time.perf_counter()
    inputs = [([t.word for t in run], gaps) for run, _l, gaps in data]
    found = encoder.load().sentence_vectors(inputs, ALL_LAYERS)
    vectors = np.concatenate(found).astype(np.float16)
    print(f"  encoded {name}: {len(vectors)} words, {time.perf_counter() - started:.0f} s")
    np.savez(path, vectors=vectors)
    return vectors.astype(np.float32), rules, labels


def pick_layers(vectors: np.ndarray, layers: tuple[int, ...]) -> np.ndarray:
    h = vectors.shape[1] // len(ALL_LAYERS)
    return np.concatenate(
        [vectors[:, ALL_LAYERS.index(n) * h : (ALL_LAYERS.index(n) + 1) * h] for n in layers],
        axis=1,
    )


# ---- evaluation --------------------------------------------------------------------------------


def span_scores(model: ner.Model, data: list, vectors: np.ndarray, rules: np.ndarray) -> dict:
    """Exact-span precision by threshold and recall per type, on detector words."""
    probs = model.probs(vectors, rules)
    at = 0
    gold: dict[str, set] = {k: set() for k in ner.TYPES}
    predicted: list[tuple[str, float, tuple]] = []
    for n, (run, labels, _g) in enumerate(data):
        p = probs[at : at + len(run)]
        at += len(run)
        for a, b, kind in _gold_spans(labels):
            gold[kind].add((n, a, b))
        for a, b, kind, score in ner.spans(p):
            predicted.append((kind, score, (n, a, b)))
    out: dict = {}
    for kind in ner.TYPES:
        rows = {}
        for t in GRID:
            mine = {span for k, s, span in predicted if k == kind and s >= t}
            hit = len(mine & gold[kind])
            p = hit / len(mine) if mine else 0.0
            r = hit / len(gold[kind]) if gold[kind] else 0.0
            rows[t] = (round(p, 3), round(r, 3), round(2 * p * r / (p + r) if p + r else 0, 3))
        out[kind] = rows
    return out


def _gold_spans(labels: list[str]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for k, t in enumerate(labels):
        if t.startswith("B-"):
            spans.append((k, k, t[2:]))
        elif t.startswith("I-") and spans and spans[-1][1] == k - 1:
            spans[-1] = (spans[-1][0], k, spans[-1][2])
    return spans


def thresholds(scores: dict) -> dict[str, float]:
    """Per type, the lowest threshold whose precision reaches PRECISION (the highest if none)."""
    out = {}
    for kind, rows in scores.items():
        ok = [t for t, (p, _r, _f) in rows.items() if p >= PRECISION[kind]]
        out[kind] = min(ok) if ok else max(rows)
    return out


# ---- main ----------------------------------------------------------------------------------------


def load_parts(test_sample: int) -> dict:
    uk_test = ner_uk_sentences(NER_UK / "test.iob")
    step = max(1, len(uk_test) // test_sample)
    parts = {
        "ronec-train": (examples(ronec_sentences(lambda n: n % 5 != 0), "ro"), "ro"),
        "ronec-dev": (examples(ronec_sentences(lambda n: n % 5 == 0), "ro"), "ro"),
        "uk-train": (examples(ner_uk_sentences(NER_UK / "train.iob"), "uk"), "uk"),
        "uk-test": (examples(uk_test[::step], "uk"), "uk"),
    }
    return {name: (data, *features(name, data, lang)) for name, (data, lang) in parts.items()}


def fit(parts: dict, names_: list[str], layers: tuple[int, ...], l2: float) -> ner.Model:
    """Train on the named parts. Lower-case words outside names are most of the data and the
    easiest: every third one is kept (all capitalised ones are), which halves the training
    time; the thresholds are chosen afterwards on held-out data, so the shifted prior is
    accounted for."""
    xs, ys = [], []
    for n in names_:
        _data, vectors, rules, labels = parts[n]
        keep = (labels != 0) | (rules[:, 0] > 0) | (np.arange(len(labels)) % 3 == 0)
        xs.append(np.concatenate([pick_layers(vectors[keep], layers), rules[keep]], axis=1))
        ys.append(labels[keep])
    return ner.train(np.concatenate(xs), np.concatenate(ys), layers, l2=l2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", default="4,6")
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--test-sample", type=int, default=1500, help="ner-uk test sentences")
    parser.add_argument("--out", type=Path, default=ner.MODEL_FILE)
    parser.add_argument("--encode-only", action="store_true")
    args = parser.parse_args()
    if not (RONEC.exists() and NER_UK.exists()):
        print("RONEC or ner-uk is absent under ../shared/data", file=sys.stderr)
        return 2
    layers = tuple(int(x) for x in args.layers.split(","))
    parts = load_parts(args.test_sample)
    if args.encode_only:
        return 0
    model = fit(parts, ["ronec-train", "uk-train"], layers, args.l2)
    for dev in ("uk-test", "ronec-dev"):
        data, vectors, rules, _y = parts[dev]
        scores = span_scores(model, data, pick_layers(vectors, layers), rules)
        print(f"{dev} (held out), exact spans, P/R/F1 by threshold:")
        for kind, rows in scores.items():
            print(f"  {kind}: " + "  ".join(f"{t}: {v[0]}/{v[1]}/{v[2]}" for t, v in rows.items()))
        if dev == "uk-test":
            picked = thresholds(scores)
    print(f"thresholds: {picked}")
    final = fit(parts, ["ronec-train", "ronec-dev", "uk-train"], layers, args.l2)
    final.thresholds = picked
    ner.save(final, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
