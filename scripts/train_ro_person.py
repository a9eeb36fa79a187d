"""Train the Romanian person tagger shipped as dossier/data/entities/models/ro-person.json.gz.

Data: RONEC v2 (Romanian Named Entity Corpus, Dumitrescu & Avram; MIT licence), the file
../shared/data/ronec/valid.json (1,330 sentences; tokens with BIO tags). Only PERSON spans are
used, reduced to their named part (tagger.named_person_tags). No RONEC text is stored in the
repository: the model holds feature weights only.

    python scripts/train_ro_person.py [--out PATH] [--epochs 8]

Because the only RONEC split we have is the one we also evaluate on, eval/entities.py never
scores this shipped model on RONEC: it reports 5-fold cross-validation (train on four fifths,
test on the fifth) with this same training function.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dossier.entities import tagger  # noqa: E402
from dossier.entities.mentions import person_features  # noqa: E402

RONEC = ROOT.parent / "shared" / "data" / "ronec" / "valid.json"


def ronec_sentences(path: Path = RONEC) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def training_pairs(sentences: list[dict]) -> list[tuple[list[str], list[str]]]:
    """Words and BIO tags; punctuation tokens are left out, as the detector's tokeniser does."""
    pairs = []
    for s in sentences:
        tags = tagger.named_person_tags(s["tokens"], s["ner_tags"])
        kept = [(w, t) for w, t in zip(s["tokens"], tags, strict=True) if re.search(r"\w", w)]
        if kept:
            pairs.append(([w for w, _ in kept], [t for _, t in kept]))
    return pairs


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
