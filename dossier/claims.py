"""Numeric claims: how many people (or cases) something happened to, and how they compare.

`find_claims` reads numbers written in digits ("400,000", "400.000", "50 000", "1.3", "1,3"),
optionally scaled ("million", "млн", "mii") and paired into ranges ("50 000–80 000",
"între 50.000 și 80.000", "от 50 до 80 тысяч"). A number is a claim only when a counted noun
from dossier/data/claims/<lang>.json follows it ("Russians", "de persoane", "россиян"), or a
percent sign/word, or - for a number with no noun ("...între 50.000 și 80.000 au rămas") - a
verb from the table, in which case it counts what the previous claim counted. So years, dates,
ages, prison terms, money and durations are left out because no counted noun follows them.

`about` is a short English description built from the tables: the counted noun (with an
adjective: "Russian men"), the verb after it ("living", "entering", "remaining") and a country
named just after ("in Kazakhstan"): "Russians living in Kazakhstan". A rate word ("zilnic",
"daily") makes the unit "people per day".

`group_claims` puts together claims with the same unit, the same counted noun, the same kind of
verb (being somewhere: live/remain/settle; moving: enter/flee; or each other verb on its own)
and the same country. A claim that names a country but no verb counts as "being somewhere"; one
that names a verb but no country joins the single group that fits it, if there is exactly one.
Every other claim ("20 people", all percentages) stays on its own: too little is said to
compare it. Within a group, claims with the same value merge into one Claim carrying all their
evidence; two Claims of a group conflict when their values, widened by TOLERANCE and by their
qualifiers ("more than" has no upper bound, "up to" no lower one), do not overlap.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dossier.langdata import load_language_data
from dossier.model import Claim, ClaimMention, Document, Evidence

FALLBACK_LANGUAGE = "en"
TOLERANCE = 0.10
ANAPHORA_GAP = 400  # characters back to the claim a bare number ("au rămas") refers to
VERB_REACH = 6  # words after the noun searched for the verb
PLACE_REACH = 4  # words after the verb (or noun) searched for a country

# kind of verb -> (English participle, preposition before a country)
VERB_PHRASE = {
    "live": ("living", "in"), "remain": ("remaining", "in"), "settle": ("settled", "in"),
    "enter": ("entering", ""), "flee": ("leaving for", ""), "apply": ("applying", "in"),
    "receive": ("receiving", "in"), "detain": ("detained", "in"), "deport": ("deported", "from"),
    "extradite": ("extradited", "from"),
}
VERB_CLASS = {"live": "presence", "remain": "presence", "settle": "presence",
              "enter": "movement", "flee": "movement"}

NUMBER = re.compile(
    r"(?<![\w.,:/-])(\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?!\d)|\d+(?:[.,]\d+)?)(?![\w]|[.,:/]\d)")
WORD = re.compile(r"%|[^\W\d_][\w'’.-]*", re.U)
SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n")


@dataclass(frozen=True)
class _Table:
    data: dict[str, Any]
    qualifier: re.Pattern[str]
    openers: dict[str, str]  # range opener -> closing connector
    opener: re.Pattern[str]


def _alt(words: list[str]) -> str:
    cedilla = str.maketrans("șțȘȚ", "şţŞŢ")  # Romanian text is often typed with cedillas
    uniq = sorted(set(words) | {w.translate(cedilla) for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in uniq) + ")"


def _norm(word: str) -> str:
    return word.lower().replace("ş", "ș").replace("ţ", "ț").strip(".’'")


@lru_cache(maxsize=32)
def _table(language: str) -> _Table:
    data = load_language_data("claims", language)
    openers = {_norm_phrase(a): b for a, b in data["range_connectors"]}
    return _Table(
        data,
        re.compile(rf"(?<!\w)(?P<q>{_alt(list(data['qualifiers']))})\s+$", re.I),
        openers,
        re.compile(rf"(?<!\w)(?P<o>{_alt(list(openers))})\s+$", re.I),
    )


# ---- numbers ------------------------------------------------------------------------------


def _number(raw: str, scaled: bool) -> float:
    """'400,000' / '400.000' / '400 000' -> 400000; '1.3' / '1,3' -> 1.3."""
    parts = re.split(r"[ \u00a0\u202f.,]", raw)
    if len(parts) > 2 or (len(parts) == 2 and (len(parts[1]) == 3 and not scaled)):
        return float("".join(parts))
    if len(parts) == 2 and re.search(r"[ \u00a0\u202f]", raw):
        return float("".join(parts))
    return float(raw.replace(",", "."))


def _multiplier(t: _Table, text: str, pos: int) -> tuple[float, int]:
    m = WORD.match(text, pos + len(text[pos:]) - len(text[pos:].lstrip()))
    if m and text[pos:m.start()].strip() == "":
        factor = t.data["multipliers"].get(_norm(m.group()))
        if factor is None:
            factor = t.data["multipliers"].get(m.group().lower())
        if factor:
            return float(factor), m.end()
    return 1.0, pos


def _words_after(text: str, pos: int, stop: int) -> list[re.Match[str]]:
    return list(WORD.finditer(text, pos, stop))


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for m in SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    m = SENTENCE_END.search(text, end)
    right = m.start() + (1 if m and m.group() != "\n" else 0) if m else len(text)
    while left < right and text[left].isspace():
        left += 1
    return left, right


# ---- what is counted ----------------------------------------------------------------------


@dataclass
class _Counted:
    unit: str
    noun: str | None
    verb: str | None
    place: str | None


def _lookup(table: dict[str, Any], word: str) -> Any:
    key = _norm(word)
    if key in table:
        return table[key]
    head = key.split("-")[0]
    return table.get(head)


def _place(t: _Table, words: list[re.Match[str]]) -> str | None:
    """The first country named in `words`, unless it is named as the origin ("from Russia")."""
    origin = set(t.data["origin_words"])
    for k, w in enumerate(words):
        key = _norm(w.group())
        if k > 0 and _norm(words[k - 1].group()) in origin:
            continue
        for stem, name in t.data["places"].items():
            if key.startswith(stem):
                return str(name)
    return None


def _verb(t: _Table, words: list[re.Match[str]]) -> tuple[str | None, int]:
    for i, w in enumerate(words):
        verb = _lookup(t.data["verbs"], w.group())
        if verb:
            return str(verb), i
    return None, -1


def _counted(t: _Table, text: str, pos: int, stop: int) -> tuple[_Counted | None, int]:
    """What the number ending at `pos` counts; the end of the noun phrase."""
    words = _words_after(text, pos, stop)
    rest = text[pos:stop].lstrip().lower()
    for word in sorted(t.data["percent_words"], key=len, reverse=True):
        if rest.startswith(word):
            return _Counted("percent", None, None, None), pos + text[pos:].find(word[0]) + 1
    i = 0
    while i < len(words) and _norm(words[i].group()) in t.data["fillers"]:
        i += 1
    adjective = _lookup(t.data["adjectives"], words[i].group()) if i < len(words) else None
    if adjective:
        i += 1
    noun = _lookup(t.data["nouns"], words[i].group()) if i < len(words) else None
    if noun is None:
        verb, at = _verb(t, words[i:i + 2])  # "... și 80.000 au rămas"
        if verb is None:
            return None, pos
        after = words[i + at + 1:i + at + 1 + PLACE_REACH]
        return _Counted("", None, verb, _place(t, after)), words[i + at].end()
    unit, name = noun
    end = words[i].end()
    after_adj = t.data.get("adjectives_after", {})
    if i + 1 < len(words) and _lookup(after_adj, words[i + 1].group()):
        adjective = _lookup(after_adj, words[i + 1].group())
        end = words[i + 1].end()
    noun_text = f"{adjective} {name}" if adjective else name
    following = words[i + 1:]
    verb, at = _verb(t, following[:VERB_REACH])
    place_words = following[at + 1:at + 1 + PLACE_REACH] if verb else following[:PLACE_REACH + 2]
    return _Counted(unit, noun_text, verb, _place(t, place_words)), end


def _about(c: _Counted) -> str:
    parts = [c.noun or "people"]
    if c.verb:
        participle, prep = VERB_PHRASE.get(c.verb, (c.verb, "in"))
        parts.append(participle)
        if c.place and prep:
            parts.append(prep)
    elif c.place:
        parts.append("in")
    if c.place:
        parts.append(c.place)
    return " ".join(parts)


def _rate(t: _Table, text: str, start: int, end: int) -> bool:
    clause = text[start:end].lower()
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", clause) for w in t.data["rate_words"])


def _qualifier(t: _Table, text: str, start: int, sentence: tuple[int, int]) -> tuple[str | None,
                                                                                     int]:
    m = t.qualifier.search(text, max(0, start - 30), start)
    if m:
        qualifiers = {_norm_phrase(k): v for k, v in t.data["qualifiers"].items()}
        return str(qualifiers[_norm_phrase(m.group("q"))]), m.start()
    s, e = sentence
    lowered = text[s:e].lower()
    if any(re.search(rf"(?<!\w){re.escape(w)}", lowered) for w in t.data["estimate_words"]):
        return "estimated", start
    return None, start


def _norm_phrase(phrase: str) -> str:
    return " ".join(_norm(w) for w in phrase.split())


def find_claims(doc: Document) -> list[ClaimMention]:
    """Numbers of people/things (and percentages) stated in the document."""
    t = _table(doc.language or FALLBACK_LANGUAGE)
    text = doc.text
    numbers = list(NUMBER.finditer(text))
    claims: list[ClaimMention] = []
    previous: tuple[int, _Counted] | None = None
    i = 0
    while i < len(numbers):
        n = numbers[i]
        factor, pos = _multiplier(t, text, n.end())
        value = _number(n.group(1), factor != 1.0) * factor
        start, value_max = n.start(), None
        opener = t.opener.search(text, max(0, start - 20), start)
        if i + 1 < len(numbers):
            nxt = numbers[i + 1]
            between = text[pos:nxt.start()]
            closing = t.openers.get(_norm_phrase(opener.group("o"))) if opener else None
            dash = re.fullmatch(r"\s*%?\s*[–—-]\s*", between)
            joined = closing and re.fullmatch(rf"\s*%?\s+{_alt([closing])}\s+", between, re.I)
            if dash or joined:
                factor2, pos2 = _multiplier(t, text, nxt.end())
                second = _number(nxt.group(1), factor2 != 1.0) * factor2
                if factor == 1.0 and factor2 != 1.0 and value * factor2 <= second:
                    value *= factor2
                if second > value:
                    value_max, pos = second, pos2
                    if joined and opener:
                        start = opener.start()
                    i += 1
        i += 1
        sentence = _sentence(text, n.start(), pos)
        counted, end = _counted(t, text, pos, sentence[1])
        if counted is None or _looks_like_year(n.group(1), factor, value_max):
            continue
        if counted.unit == "":
            if previous is None or n.start() - previous[0] > ANAPHORA_GAP or value < 100:
                continue
            prior = previous[1]
            counted = _Counted(prior.unit, prior.noun, counted.verb, counted.place)
        if counted.unit == "people" and _rate(t, text, end, sentence[1]):
            counted.unit = "people per day"
        qualifier, q_start = _qualifier(t, text, start, sentence)
        if q_start < start:
            start = q_start
        evidence = Evidence(doc.id, sentence[0], sentence[1], text[sentence[0]:sentence[1]])
        claims.append(ClaimMention(f"{doc.id}:c{len(claims) + 1}", doc.id, value, counted.unit,
                                   _about(counted) if counted.unit != "percent" else "share",
                                   evidence, value_max, qualifier))
        previous = (n.start(), counted)
    return claims


def _looks_like_year(raw: str, factor: float, value_max: float | None) -> bool:
    return factor == 1.0 and raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2100


# ---- grouping -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Key:
    unit: str
    noun: str
    verb: str | None  # kind of verb, None when the claim names none
    place: str | None


def _key(c: ClaimMention) -> _Key:
    """Unit, counted noun, kind of verb and country, read back from the `about` text."""
    about = c.about
    verb = next((v for v, (p, _) in VERB_PHRASE.items() if f" {p}" in f" {about}"), None)
    place = None
    if verb:
        participle = VERB_PHRASE[verb][0]
        noun = about[:about.find(" " + participle)]
        rest = about[len(noun) + len(participle) + 1:].split()
    else:
        cut = about.find(" in ")
        noun = about[:cut] if cut >= 0 else about
        rest = about[len(noun):].split()
    rest = [w for w in rest if w not in ("in", "from")]
    if rest:
        place = " ".join(rest)
    kind = VERB_CLASS.get(verb, verb) if verb else ("presence" if place else None)
    return _Key(c.unit, noun.lower(), kind, place)


def _fits(open_key: _Key, full: _Key) -> bool:
    return (open_key.unit == full.unit and open_key.noun == full.noun
            and open_key.verb in (None, full.verb) and open_key.place in (None, full.place))


def _bounds(value: float, value_max: float | None, qualifier: str | None) -> tuple[float, float]:
    low, high = value * (1 - TOLERANCE), (value_max or value) * (1 + TOLERANCE)
    if qualifier in ("more than", "at least"):
        high = math.inf
    if qualifier in ("up to", "less than"):
        low = 0.0
    return low, high


def group_claims(claims: list[ClaimMention]) -> list[Claim]:
    """Claims about the same quantity grouped; equal values merged; disagreements flagged."""
    keys = {c.id: _key(c) for c in claims}
    full = sorted({k for k in keys.values() if k.verb is not None and k.place is not None},
                  key=str)
    groups: dict[_Key, list[ClaimMention]] = {}
    for c in sorted(claims, key=lambda c: c.id):
        key = keys[c.id]
        if c.unit == "percent" or (key.verb is None and key.place is None):
            key = _Key(c.unit, c.id, None, None)  # too little said about it to compare
        elif key.verb is None or key.place is None:
            fitting = [f for f in full if _fits(key, f)]
            key = fitting[0] if len(fitting) == 1 else _Key(c.unit, c.id, None, None)
        groups.setdefault(key, []).append(c)
    result: list[Claim] = []
    for members in groups.values():
        merged: list[Claim] = []
        for c in members:
            same = next((m for m in merged if _same_value(m, c)), None)
            if same is None:
                merged.append(Claim(c.id, c.value, c.unit, c.about, [c.evidence],
                                    value_max=c.value_max, qualifier=c.qualifier))
            else:
                same.evidence.append(c.evidence)
                same.qualifier = same.qualifier or c.qualifier
        for a in merged:
            low, high = _bounds(a.value, a.value_max, a.qualifier)
            for b in merged:
                if b is a:
                    continue
                b_low, b_high = _bounds(b.value, b.value_max, b.qualifier)
                if high < b_low or b_high < low:
                    a.conflicts_with.append(b.id)
        result.extend(merged)
    return result


def _same_value(claim: Claim, c: ClaimMention) -> bool:
    return (math.isclose(claim.value, c.value, rel_tol=0.01)
            and (claim.value_max or claim.value) == (c.value_max or c.value))
