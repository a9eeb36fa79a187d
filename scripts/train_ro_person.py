"""Train the Romanian person tagger shipped as dossier/data/entities/models/ro-person.json.gz.

Data: RONEC v2 (Romanian Named Entity Corpus, Dumitrescu & Avram; MIT licence), the file
../shared/data/ronec/valid.json (1,330 sentences; tokens with BIO tags). Only PERSON spans are
used, reduced to their named part (tagger.named_person_tags), and the words are those of the
detector's own tokeniser and sentence splitter (see training_pairs). No RONEC text is stored in
the repository: the model holds feature weights only (lower-cased words and word pairs among
them, as features; RONEC is MIT-licensed, Copyright (c) 2018 Stefan Dumitrescu).

    .venv/bin/python scripts/train_ro_person.py [--out PATH] [--epochs 8]   (about 6 s)

Because the only RONEC split we have is the one we also evaluate on, eval/entities.py never
scores this shipped model on RONEC: it reports 5-fold cross-validation (train on four fifths,
test on the fifth) with this same training function.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dossier.entities import tagger  # noqa: E402
from dossier.entities.mentions import _sentences, person_features, tokenize  # noqa: E402

RONEC = ROOT.parent / "shared" / "data" / "ronec" / "valid.json"


def ronec_sentences(path: Path = RONEC) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def training_pairs(sentences: list[dict]) -> list[tuple[list[str], list[str]]]:
    """Words and BIO tags as the detector will see them: the sentence's text is rebuilt from
    RONEC's tokens, split by the detector's own tokeniser and sentence splitter (which differ
    from RONEC's on over half of the sentences: "l-a", "Dr.", "ziare.com"), and a word is in a
    name when it overlaps a named PERSON span (tagger.named_person_tags)."""
    pairs = []
    for s in sentences:
        text, spans = _text_and_names(s)
        tokens = tokenize(text)
        for first, last in _sentences(tokens):
            words: list[str] = []
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
            if words:
                pairs.append((words, tags))
    return pairs


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


def train_ro(sentences: list[dict], epochs: int = 8) -> tagger.Perceptron:
    return tagger.train(training_pairs(sentences), person_features("ro"), epochs=epochs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=tagger.MODELS / "ro-person.json.gz")
    parser.add_argument("--epochs", type=int, default=8)
    args = parser.parse_args()
    if not RONEC.exists():
        print(f"{RONEC} is absent", file=sys.stderr)
        return 2
    model = train_ro(ronec_sentences(), args.epochs)
    tagger.save(model, args.out)
    print(f"wrote {args.out} ({len(model.weights)} features)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
