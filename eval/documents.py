"""Document-level evaluation: language detection and publication dates.

On the bundled examples (examples/gold.json gives each article's language and date) and, when
../shared is present, on the seed articles (languages known: ru, uk, ro, en, en).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dossier.ingest import iter_inputs
from dossier.model import Analysis
from dossier.pipeline import analyse

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
GOLD = ROOT / "examples" / "gold.json"
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_LANGUAGES = ["ru", "uk", "ro", "en", "en"]


def example_key(source: str) -> str:
    """gold.json's key for an input: path under examples/, plus #line for JSON Lines."""
    path, _, line = source.partition("#")
    key = Path(path).resolve().relative_to(EXAMPLES.resolve()).as_posix()
    return f"{key}#{line}" if line else key


def analysed_examples() -> dict[str, Analysis]:
    return {example_key(r.source): analyse(r.document)
            for r in iter_inputs([str(EXAMPLES)]) if r.document}


def evaluate_examples() -> dict[str, float]:
    gold_path = GOLD
    if not gold_path.exists():
        return {}
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["documents"]
    found = analysed_examples()
    language_ok = date_ok = dated = 0
    for item in gold:
        analysis = found.get(item["file"])
        if analysis is None:
            continue
        language_ok += analysis.document.language == item["language"]
        if item.get("published") and item.get("published_basis") in ("declared", "metadata"):
            dated += 1
            date_ok += analysis.document.published == item["published"]
    return {
        "examples": len(gold),
        "examples_read": sum(1 for g in gold if g["file"] in found),
        "language_accuracy": round(language_ok / len(gold), 3),
        "declared_date_accuracy": round(date_ok / dated, 3) if dated else 0.0,
    }


def evaluate_seeds() -> dict[str, float]:
    if not SEEDS.exists():
        return {}
    languages = [analyse(r.document).document.language for r in iter_inputs([str(SEEDS)])
                 if r.document]
    correct = sum(a == b for a, b in zip(languages, SEED_LANGUAGES, strict=False))
    return {"seed_language_accuracy": round(correct / len(SEED_LANGUAGES), 3)}


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = evaluate_examples() | evaluate_seeds()
    print(json.dumps(figures) if args.json else "\n".join(f"{k}: {v}" for k, v in figures.items()))
    return figures


if __name__ == "__main__":
    main()
