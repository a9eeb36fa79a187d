"""Read-only language data for the entities stage, loaded once per process and cached.

Everything linguistic lives in dossier/data/entities/ (see its README.md); this module only
reads it. A language is added by adding `lang/<code>.json` (and `translit/<code>.json` for a
non-Latin script).
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "entities"
WORD_CACHE = 200_000  # size of the per-word caches (bounded memory on a long run)


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def lang_config(lang: str) -> dict[str, Any]:
    """The default cues merged with the language's own file (lists joined, mappings merged)."""
    config = _read_json(DATA / "lang" / "default.json")
    path = DATA / "lang" / f"{lang}.json"
    if path.exists():
        for key, value in _read_json(path).items():
            old = config.get(key)
            if isinstance(old, list) and isinstance(value, list):
                config[key] = old + value
            elif isinstance(old, dict) and isinstance(value, dict):
                merged = dict(old)
                for k, v in value.items():
                    merged[k] = (
                        list(dict.fromkeys(merged.get(k, []) + v)) if isinstance(v, list) else v
                    )
                config[key] = merged
            else:
                config[key] = value
    return {key: _frozen(value) for key, value in config.items()}


def _frozen(value: Any) -> Any:
    """Lists become tuples (hashable, so matchers built from them can be cached)."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    return value


@cache
def translit_table(lang: str) -> dict[str, Any] | None:
    path = DATA / "translit" / f"{lang}.json"
    return _read_json(path) if path.exists() else None


@cache
def folding() -> dict[str, Any]:
    return _read_json(DATA / "folding.json")


@cache
def authorities() -> list[dict[str, Any]]:
    return list(_read_json(DATA / "authorities.json")["organizations"])


@cache
def outlets() -> list[dict[str, Any]]:
    return list(_read_json(DATA / "outlets.json")["outlets"])


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@cache
def first_names() -> frozenset[str]:
    return frozenset(_lines("first_names.txt"))


@cache
def surnames() -> frozenset[str]:
    return frozenset(_lines("surnames.txt"))


@cache
def first_name_groups() -> list[list[str]]:
    return [
        [p.strip() for p in line.split(",") if p.strip()]
        for line in _lines("first_name_groups.txt")
    ]


@cache
def _simplemma() -> Any:
    """simplemma over MARISA tries in the user's cache folder, as the events stage reads it:
    the same dictionaries, read in milliseconds instead of decoded per process."""
    import simplemma
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieDictionaryFactory

    strategy = DefaultStrategy(dictionary_factory=TrieDictionaryFactory())
    return simplemma.Lemmatizer(lemmatization_strategy=strategy)


@lru_cache(maxsize=WORD_CACHE)
def dictionary_lemma(word: str, lang: str) -> str | None:
    """simplemma's lemma of `word` as written (case kept: Bristolu -> Bristol, Jej -> on), or
    None for a language simplemma has no dictionary for."""
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    if lang not in SUPPORTED_LANGUAGES:
        return None
    return str(_simplemma().lemmatize(word, lang=lang))


@cache
def _dictionary() -> Any:
    from simplemma.strategies import DictionaryLookupStrategy
    from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieDictionaryFactory

    return DictionaryLookupStrategy(dictionary_factory=TrieDictionaryFactory())


@lru_cache(maxsize=WORD_CACHE)
def common_in_dictionary(word: str, lang: str) -> bool:
    """simplemma's dictionary itself (no guessing) lists the lower-cased word as a form of a
    lower-case lemma: German wissen, Romanian voluntari; not Câmpina or Olomouc."""
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    if lang not in SUPPORTED_LANGUAGES:
        return False
    lemma = _dictionary().get_lemma(word.lower(), lang)
    return bool(lemma) and lemma[:1].islower()


@lru_cache(maxsize=WORD_CACHE)
def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency of `word` in `lang` (English for a language it lacks)."""
    from dossier.frequency import zipf_frequency

    try:
        return zipf_frequency(word, lang)
    except LookupError:
        return zipf_frequency(word, "en")


@cache
def natasha_embedding() -> Any:
    """natasha's word embedding (navec): one per process, shared by the NER tagger, the
    morphology tagger and the events stage's syntax parser. Read as `Navec.load` reads it,
    except that the quantised table skips `PQ.precompute` (norms and a 26 MB table for
    similarity queries, about half a second) which natasha's taggers never use: they read only
    its codes and indexes."""
    from natasha.data import NEWS_EMBEDDING
    from navec.navec import META, PQ_, VOCAB, Meta, Navec, Tar, Vocab
    from navec.pq import PQ

    class TaggerPQ(PQ):
        def precompute(self) -> None:
            pass

    with Tar(NEWS_EMBEDDING) as tar:
        meta = Meta.from_file(tar.load(META))
        Meta.check_protocol(meta.protocol)
        vocab = Vocab.from_file(tar.load(VOCAB))
        pq = TaggerPQ.from_file(tar.load(PQ_))
    return Navec(meta, vocab, pq)


@cache
def natasha_morph_tagger() -> Any:
    from natasha import NewsMorphTagger

    return NewsMorphTagger(natasha_embedding())
