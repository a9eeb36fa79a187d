"""The learned person / organisation / place tagger (entities/ner.py) and the honest protocol
of eval/entities.py (leave-one-topic-out, name-disjoint RONEC folds)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

from dossier.entities import ner

ROOT = Path(__file__).resolve().parents[1]


def _eval_entities():
    path = ROOT / "eval" / "entities.py"
    spec = importlib.util.spec_from_file_location("eval_entities_ner", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["eval_entities_ner"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _one_hot(labels: list[str], p: float = 0.9) -> np.ndarray:
    out = np.full((len(labels), len(ner.LABELS)), (1 - p) / (len(ner.LABELS) - 1))
    for k, label in enumerate(labels):
        out[k, ner.LABELS.index(label)] = p
    return out


def test_spans_follow_bio_and_open_on_a_lone_inside() -> None:
    probs = _one_hot(["B-ORG", "I-ORG", "I-ORG", "O", "I-PER", "I-PER", "B-LOC", "B-LOC"])
    assert [(a, b, k) for a, b, k, _s in ner.spans(probs)] == [
        (0, 2, "ORG"),
        (4, 5, "PER"),
        (6, 6, "LOC"),
        (7, 7, "LOC"),
    ]
    # a span's score is its type's B- and I- probabilities together
    assert all(abs(s - (0.9 + 0.1 / 6)) < 1e-6 for *_x, s in ner.spans(probs))
    # "I-" of the same type continues a span, a likely "B-" begins a new one
    two = _one_hot(["B-PER", "I-PER", "B-PER", "O"])
    assert [(a, b) for a, b, _k, _s in ner.spans(two)] == [(0, 1), (2, 2)]


def test_training_separates_the_labels_and_the_file_round_trips(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    labels = np.array([k % len(ner.LABELS) for k in range(140)])
    x = rng.normal(size=(140, 8)).astype(np.float32)
    x[np.arange(140), labels] += 4.0  # each label shifts its own column
    model = ner.train(x, labels, (4,), epochs=200)
    model.thresholds = {"PER": 0.7, "ORG": 0.6, "LOC": 0.8}
    probs = model.probs(x[:, :5], x[:, 5:])
    assert (probs.argmax(axis=1) == labels).mean() > 0.9
    ner.save(model, tmp_path / "m.npz")
    again = ner.read(tmp_path / "m.npz")
    assert again.layers == (4,) and again.thresholds == model.thresholds
    assert np.allclose(again.probs(x[:, :5], x[:, 5:]), probs, atol=1e-6)


def test_the_shipped_model_is_small_and_says_its_licence() -> None:
    assert ner.MODEL_FILE.exists()
    assert ner.MODEL_FILE.stat().st_size < 3_000_000
    with np.load(ner.MODEL_FILE) as data:
        assert "CC BY-NC-SA 4.0" in str(data["licence"])
    beside = (ner.MODEL_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert "ner-e5.npz" in beside and "CC BY-NC-SA 4.0" in beside
    notices = (ROOT / "THIRD_PARTY_NOTICES.md").read_text(encoding="utf-8")
    assert "ner-e5.npz" in notices and "CC BY-NC-SA 4.0" in notices


def _sentence(tokens: list[str], tags: list[str], n: int) -> dict:
    return {"id": n, "tokens": tokens, "ner_tags": tags, "space_after": [True] * len(tokens)}


def test_name_disjoint_folds_keep_a_name_in_one_fold() -> None:
    module = _eval_entities()
    per = ["O", "B-PERSON", "I-PERSON", "O"]
    data = [
        _sentence(["ieri", "Traian", "Băsescu", "a"], per, 0),
        _sentence(["ieri", "Ion", "Rusu", "a"], per, 1),
        _sentence(["domnul", "Băsescu", "a", "spus"], ["O", "B-PERSON", "O", "O"], 2),
        _sentence(["ieri", "Ana", "Pop", "a"], per, 3),
        _sentence(["ieri", "Ion", "Rusu", "a"], per, 4),
        _sentence(["casa", "e", "mare", "azi"], ["O"] * 4, 5),
    ]
    folds = module.name_disjoint_folds(data, 3)
    assert folds[0] == folds[2]  # "Băsescu" alone is the same man
    assert folds[1] == folds[4]
    assert len(set(folds)) == 3
    keys = [module._person_keys(s) for s in data]
    for k in set(folds):
        test = set().union(*(keys[n] for n in range(len(data)) if folds[n] == k))
        train = set().union(*(keys[n] for n in range(len(data)) if folds[n] != k))
        assert not test & train


def test_leave_one_topic_out_summary_takes_macro_and_minimum() -> None:
    module = _eval_entities()
    score = module.Score

    def cell(found: int, gold: int) -> dict:
        return {
            "person": score(found, gold, found, gold),
            "organization": score(0, 0, 0, 0),
            "location": score(0, 0, 0, 0),
        }

    by_topic = {
        "brexit": {"pl": cell(40, 50)},  # F1 0.8
        "covid-19": {"pl": cell(30, 30)},  # F1 1.0
        "asia_bibi": {"pl": cell(1, 4)},  # too few gold entities to count
    }
    report = module.leave_one_topic_out(by_topic)
    per = report["summary"]["pl"]["PER"]
    assert per == {"macro_f1": 0.9, "min_f1": 0.8, "min_topic": "brexit", "topics": 2}
    assert report["topics"]["asia_bibi"]["pl"]["PER"]["gold"] == 4
    assert "ORG" not in report["summary"]["pl"]


def _mentions(lang: str, text: str, model: list) -> list[tuple[str, str]]:
    from dossier.entities.mentions import find_mentions
    from dossier.model import Document

    doc = Document("t", "t", None, lang, None, None, None, text)
    ner.OVERRIDE[:] = model
    try:
        return [(m.text, m.type) for m in find_mentions(doc)]
    finally:
        ner.OVERRIDE.clear()


SENTENCE_CASE_ORGS = [
    (
        "pl",
        "Wczoraj przedstawiciele Stowarzyszenia Obrony Praw Lokatorów spotkali się w Krakowie z "
        "posłami. Według Jana Nowaka rozmowy trwały trzy godziny.",
        "Stowarzyszenia Obrony Praw Lokatorów",
    ),
    (
        "cs",
        "Zástupci Sdružení nájemníků jednali v pondělí v Brně s ministrem. Podle Jana Dvořáka "
        "jednání trvalo tři hodiny.",
        "Sdružení nájemníků",
    ),
]


def test_the_tagger_adds_organisations_the_rules_miss_and_keeps_theirs() -> None:
    """Languages without a training corpus of their own: an association the lists cannot know
    (in Czech in sentence case) is found, and what the rules found stays as it was."""
    for lang, text, org in SENTENCE_CASE_ORGS:
        rules = _mentions(lang, text, [None])
        learned = _mentions(lang, text, [])
        if lang == "cs":  # Polish "Stowarzyszenie" is an organisation word of pl.json now
            assert (org, "organization") not in rules
        assert (org, "organization") in learned
        assert [m for m in learned if m in rules] == rules
