"""Train the Romanian person models shipped in dossier/data/entities/models/:
ro-person.json.gz (the feature tagger, tagger.py) and ro-person-e5.npz (the contextual
classifier over multilingual-e5-small word vectors, contextual.py).

Data: RONEC v2 (Romanian Named Entity Corpus, Dumitrescu & Avram; MIT licence), the file
../shared/data/ronec/valid.json (1,330 sentences; tokens with BIO tags). Only PERSON spans are
used, reduced to their named part (tagger.named_person_tags), and the words are those of the
detector's own tokeniser and sentence splitter (see training_sentences). No RONEC text is stored
in the repository: the tagger holds feature weights (lower-cased words and word pairs among them,
as features), the classifier numbers only (RONEC is MIT-licensed, Copyright (c) 2018 Stefan
Dumitrescu). Both files are byte-for-byte reproducible.

    .venv/bin/python scripts/train_ro_person.py [--out PATH] [--out-e5 PATH] [--epochs 8]
    (about 45 s, most of it reading the sentences with the encoder)

Because the only RONEC split we have is the one we also evaluate on, eval/entities.py never
scores the shipped models on RONEC: it reports 5-fold cross-validation (train on four fifths,
test on the fifth) with this same training function.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from dossier.entities import contextual, encoder, tagger  # noqa: E402
from dossier.entities.mentions import _sentences, person_features, tokenize  # noqa: E402

RONEC = ROOT.parent / "shared" / "data" / "ronec" / "valid.json"


def ronec_sentences(path: Path = RONEC) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def training_pairs(sentences: list[dict]) -> list[tuple[list[str], list[str]]]:
    """Words and BIO tags, for the feature tagger (see training_sentences)."""
    return [(words, tags) for words, _gaps, tags in training_sentences(sentences)]


def training_sentences(sentences: list[dict]) -> list[tuple[list[str], list[str], list[str]]]:
    """Words, the text before each word, and BIO tags, as the detector will see them: the
    sentence's text is rebuilt from RONEC's tokens, split by the detector's own tokeniser and
    sentence splitter (which differ from RONEC's on over half of the sentences: "l-a", "Dr.",
    "ziare.com"), and a word is in a name when it overlaps a named PERSON span
    (tagger.named_person_tags)."""
    out = []
    for s in sentences:
        text, spans = _text_and_names(s)
        tokens = tokenize(text)
        for first, last in _sentences(tokens):
            words: list[str] = []
            gaps: list[str] = []
            tags: list[str] = []
            open_span = -1
            for tok in tokens[first : last + 1]:
                inside = [k for k, (a, b) in enumerate(spans) if tok.start < b and a < tok.end]
                if not inside:
                    tags.append("O")
                elif tags and tags[-1] != "O" and inside[0] == open_span:
                    tags.append("I-PER")
                else:
                    tags.append("B-PER")
                open_span = inside[0] if inside else -1
                words.append(tok.word)
                gaps.append(tok.gap)
            if words:
                out.append((words, gaps, tags))
    return out


def _text_and_names(s: dict) -> tuple[str, list[tuple[int, int]]]:
    """The sentence as text, and the character spans of its named persons."""
    text, starts = "", []
    for tok, space in zip(s["tokens"], s["space_after"], strict=False):
        starts.append(len(text))
        text += tok + (" " if space else "")
    tags = tagger.named_person_tags(s["tokens"], s["ner_tags"])
    spans = []
    for k, t in enumerate(tags):
        if t == "B-PER":
            spans.append((starts[k], starts[k] + len(s["tokens"][k])))
        elif t == "I-PER":
            spans[-1] = (spans[-1][0], starts[k] + len(s["tokens"][k]))
    return text, spans


LAYERS = (6, 8)  # encoder layers read by the contextual classifier (best of 6, 8, 12 and pairs)
_vectors: dict[tuple, np.ndarray] = {}  # word vectors by sentence, shared by the folds of a run


def train_ro(
    sentences: list[dict], epochs: int = 8
) -> tuple[tagger.Perceptron, contextual.Classifier]:
    """The feature tagger and the contextual classifier, trained on the same sentences."""
    data = training_sentences(sentences)
    perceptron = tagger.train([(w, t) for w, _g, t in data], person_features("ro"), epochs=epochs)
    keys = [(tuple(words), tuple(gaps)) for words, gaps, _tags in data]
    missing = [key for key in dict.fromkeys(keys) if key not in _vectors]
    found = encoder.load().sentence_vectors([(list(w), list(g)) for w, g in missing], LAYERS)
    _vectors.update(zip(missing, found, strict=True))
    vectors = [_vectors[key] for key in keys]
    labels = [contextual.LABELS.index(t) for _w, _g, tags in data for t in tags]
    classifier = contextual.train(np.concatenate(vectors), np.array(labels), LAYERS)
    return perceptron, classifier


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=tagger.MODELS / "ro-person.json.gz")
    parser.add_argument("--out-e5", type=Path, default=contextual.MODELS / "ro-person-e5.npz")
    parser.add_argument("--epochs", type=int, default=8)
    args = parser.parse_args()
    if not RONEC.exists():
        print(f"{RONEC} is absent", file=sys.stderr)
        return 2
    model, classifier = train_ro(ronec_sentences(), args.epochs)
    tagger.save(model, args.out)
    contextual.save(classifier, args.out_e5)
    print(f"wrote {args.out} ({len(model.weights)} features) and {args.out_e5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
