"""Per-language event lexicons (dossier/data/events/<lang>.json) and lemma matching.

A lexicon entry is a pattern: space-separated items, each a lemma (`extradite`), a prefix
(`extrăd*`) or a gap (`~`, up to GAP_MAX tokens; `~~`, twice that). A token matches an item
when its lower-cased surface form or one of its lemmas equals the item (or starts with it, for
a prefix). A trigger type may fix the status: "extradition:blocked".
Adding a language means adding a data file; the lemmatizer is named in the file.

Keys of a language file (all optional but "triggers"):
  lemmatizer            "pymorphy3" (ru, uk) or "simplemma" (others)
  triggers              event type -> patterns; "type:status" fixes the status
  status                blocked / possible / pending -> cue patterns near the trigger
  negation, absence     "not" (drops the event, or blocks a removal) / "without" (drops it)
  forbidden             "ban", "not allow" just before a trigger: the event is blocked
  leaving, abroad       "left", "уехал": a flight only with a country or an "abroad" word after
  kin_nouns             "her husband", "его семья" before a trigger: no pronoun carries to it
  conditional           "if": what follows is only possible
  pronouns_singular, pronouns_plural, subjectless, pro_drop (flag)
                        when a sentence without a name carries the last named subject
  descriptors           "activist", "blogger": role nouns before names; alone, an anaphor
  non_subject_roles, speech, attribution, speaker_tail
                        lawyers, officials and speakers are no subjects
  connectors            join names into a list ("A, B and C")
  later, continuation   "later" (no date from the sentence before) / "upon arrival" (same date)
  clause_words, relative, not_triggers, plural_triggers, genitive_possessor (flag)
  contrast, then_words  "but" / "and then": a date stays in its clause (see assign_dates)
  decision_nouns        "the decision": a sentence dating it dates the approval before it
  agents, charges, countries, nationals   labelled tables (label -> patterns)
  destination           "to" before a country: the origin country of a removal
  numbers, year_words, life, upper_bound, upper_bound_possible, lower_bound, range_words
                        prison terms ("up to 20 years or life", "12 to 15 years")
  quantifiers, group_nouns, pretrial
Language-independent settings live in common.json; the English words of case statuses in
phrases.json.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "events"
GAP_MAX = 5
TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:['’ʼ]\w+)*", re.UNICODE)
_CEDILLA = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț", "ʼ": "’", "'": "’"})


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    keys: frozenset[str]  # lower-cased surface form and lemmas


@dataclass(frozen=True)
class Pattern:
    items: tuple[str, ...]
    source: str

    @property
    def size(self) -> int:
        return sum(1 for item in self.items if item not in ("~", "~~"))


@dataclass
class Lexicon:
    language: str
    lemmatizer: str
    triggers: dict[str, list[Pattern]]
    status: dict[str, list[Pattern]]
    lists: dict[str, list[Pattern]]  # negation, pronouns, speech, connectors, ...
    tables: dict[str, dict[str, list[Pattern]]]  # agents, charges, countries, nationals
    numbers: dict[str, int]
    raw: dict[str, Any] = field(default_factory=dict)

    def patterns(self, name: str) -> list[Pattern]:
        return self.lists.get(name, [])

    def flag(self, name: str) -> bool:
        return bool(self.raw.get(name, False))


def normalise(text: str) -> str:
    return text.translate(_CEDILLA).lower()


def compile_patterns(entries: list[str]) -> list[Pattern]:
    patterns = [Pattern(tuple(normalise(e).split()), e) for e in entries if e.strip()]
    return sorted(patterns, key=lambda p: -p.size)


_TABLES = ("agents", "charges", "countries", "nationals", "phrases")


@cache
def load_lexicon(language: str) -> Lexicon | None:
    """The lexicon for `language`, or None when no data file exists for it."""
    path = DATA_DIR / f"{language}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    lists = {
        key: compile_patterns(value)
        for key, value in data.items()
        if isinstance(value, list) and all(isinstance(v, str) for v in value)
    }
    tables = {
        name: {key: compile_patterns(v) for key, v in data.get(name, {}).items()}
        for name in _TABLES
    }
    return Lexicon(
        language=language,
        lemmatizer=data.get("lemmatizer", "simplemma"),
        triggers={k: compile_patterns(v) for k, v in data.get("triggers", {}).items()},
        status={k: compile_patterns(v) for k, v in data.get("status", {}).items()},
        lists=lists,
        tables=tables,
        numbers={normalise(k): int(v) for k, v in data.get("numbers", {}).items()},
        raw=data,
    )


@cache
def _morph(language: str) -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=language)


@cache
def _simplemma() -> Any:
    """simplemma over MARISA tries kept in the user's cache folder: the same dictionaries, but
    read in milliseconds instead of decoded into a dict each process (Polish: 7 s, 500 MB)."""
    import simplemma
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieDictionaryFactory

    strategy = DefaultStrategy(dictionary_factory=TrieDictionaryFactory())
    return simplemma.Lemmatizer(lemmatization_strategy=strategy)


@lru_cache(maxsize=200_000)
def lemmas(word: str, language: str, lemmatizer: str) -> frozenset[str]:
    """Lower-cased surface form plus its lemma(s)."""
    low = normalise(word)
    keys = {low}
    if lemmatizer == "pymorphy3":
        for parse in _morph(language).parse(low)[:3]:
            keys.add(normalise(parse.normal_form))
    elif lemmatizer == "simplemma":
        with contextlib.suppress(ValueError):
            keys.add(normalise(_simplemma().lemmatize(low, lang=language)))
    return frozenset(keys)


def tokenize(text: str, offset: int, lexicon: Lexicon) -> list[Token]:
    return [
        Token(
            offset + m.start(),
            offset + m.end(),
            m.group(),
            lemmas(m.group(), lexicon.language, lexicon.lemmatizer),
        )
        for m in TOKEN_RE.finditer(text)
    ]


def item_matches(item: str, token: Token) -> bool:
    if item.endswith("*"):
        stem = item[:-1]
        return any(key.startswith(stem) for key in token.keys)
    return item in token.keys


@dataclass(frozen=True)
class Match:
    first: int  # token index of the first matched token
    last: int  # token index of the last matched token
    pattern: Pattern
    hits: tuple[int, ...] = ()  # indices of the matched tokens (gaps left out)


def match_at(pattern: Pattern, tokens: list[Token], index: int) -> Match | None:
    """Match `pattern` with its first item at tokens[index]."""
    pos = index
    gap = 0
    last = index
    hits: list[int] = []
    items = pattern.items
    i = 0
    while i < len(items):
        item = items[i]
        if item in ("~", "~~"):
            gap = GAP_MAX if item == "~" else 2 * GAP_MAX
            i += 1
            continue
        found = None
        for j in range(pos, min(len(tokens), pos + gap + 1)):
            if item_matches(item, tokens[j]):
                found = j
                break
        if found is None:
            return None
        if i == 0 and found != index:
            return None
        last = found
        hits.append(found)
        pos = found + 1
        gap = 0
        i += 1
    return Match(index, last, pattern, tuple(hits))


_INDEX: dict[int, tuple[list[Pattern], dict[str, list[int]], dict[str, list[int]]]] = {}


def _index(patterns: list[Pattern]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Positions of the patterns by their first item (exact), and of those starting with a
    prefix by the prefix's first two letters ("" for a gap or a shorter prefix): a token tries
    only the prefixes its own forms could start with (Slavic files have many, "zadrž*")."""
    cached = _INDEX.get(id(patterns))
    if cached is not None and cached[0] is patterns:
        return cached[1], cached[2]
    exact: dict[str, list[int]] = {}
    prefix: dict[str, list[int]] = {}
    for i, pattern in enumerate(patterns):
        head = pattern.items[0] if pattern.items else "~"
        if head.endswith("*") or head.startswith("~"):
            stem = head[:-1] if head.endswith("*") else ""
            prefix.setdefault(stem[:2] if len(stem) >= 2 else "", []).append(i)
        else:
            exact.setdefault(head, []).append(i)
    _INDEX[id(patterns)] = (patterns, exact, prefix)
    return exact, prefix


def find_all(patterns: list[Pattern], tokens: list[Token]) -> list[Match]:
    """Every non-overlapping match, longest patterns first at each start."""
    out: list[Match] = []
    used: set[int] = set()
    exact, prefix = _index(patterns)
    for index, token in enumerate(tokens):
        if index in used:
            continue
        starts = {key[:2] for key in token.keys} | {""}
        candidates = ([i for key in token.keys for i in exact.get(key, ())]
                      + [i for start in starts for i in prefix.get(start, ())])
        if not candidates:
            continue
        for pattern in (patterns[i] for i in sorted(set(candidates))):
            m = match_at(pattern, tokens, index)
            if m is not None:
                out.append(m)
                used.update(range(m.first, m.last + 1))
                break
    return out


def any_match(patterns: list[Pattern], tokens: list[Token]) -> bool:
    return bool(find_all(patterns, tokens))


_MERGED: dict[int, tuple[dict[str, list[Pattern]], list[Pattern], dict[int, str]]] = {}


def find_labelled(table: dict[str, list[Pattern]], tokens: list[Token]) -> list[tuple[str, Match]]:
    """Matches of a labelled table (country code -> patterns ...) in one pass."""
    cached = _MERGED.get(id(table))
    if cached is None or cached[0] is not table:
        labelled = sorted(((p, label) for label, ps in table.items() for p in ps),
                          key=lambda pl: -pl[0].size)
        merged = [p for p, _ in labelled]
        cached = (table, merged, {id(p): label for p, label in labelled})
        _MERGED[id(table)] = cached
    _, merged, label_of = cached
    return [(label_of[id(m.pattern)], m) for m in find_all(merged, tokens)]
