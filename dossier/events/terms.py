"""Charges and prison terms stated in a sentence ("up to 20 years or life", "12 to 15 years")."""

from __future__ import annotations

from typing import Any

from dossier.events.lexicon import Lexicon, Token, any_match, find_all


def find_charge(tokens: list[Token], lexicon: Lexicon) -> list[tuple[str, int]]:
    """(short English charge, token index) for every charge word in the sentence."""
    found = [(charge, m) for charge, patterns in lexicon.tables["charges"].items()
             for m in find_all(patterns, tokens)]
    kept = [
        (charge, m.first) for charge, m in found
        if not any(o.first <= m.first and m.last <= o.last
                   and (o.last - o.first) > (m.last - m.first) for _, o in found)
    ]
    return sorted(kept, key=lambda c: c[1])


def number_value(token: Token, lexicon: Lexicon) -> int | None:
    if token.text.isdigit():
        value = int(token.text)
        return value if 0 < value < 100 else None
    for key in token.keys:
        if key in lexicon.numbers:
            return lexicon.numbers[key]
    return None


def find_term(tokens: list[Token], lexicon: Lexicon, status: str,
              near: int = 0) -> dict[str, Any]:
    """years_min / years_max / life where the sentence states a term (the one nearest token
    `near`, the trigger, and after it first: "two years later, sentenced to four years")."""
    life = any_match(lexicon.patterns("life"), tokens)
    result: dict[str, Any] = {}
    years = find_all(lexicon.patterns("year_words"), tokens)
    years.sort(key=lambda m: (m.first < near, abs(m.first - near)))
    for m in years:
        y = m.first
        if y == 0:
            continue
        high = number_value(tokens[y - 1], lexicon)
        if high is None:
            continue
        first = y - 1
        low = high
        if y >= 3 and any_match(lexicon.patterns("range_words"), [tokens[y - 2]]):
            value = number_value(tokens[y - 3], lexicon)
            if value is not None and value < high:
                low, first = value, y - 3
        elif y >= 2:
            value = number_value(tokens[y - 2], lexicon)
            if value is not None and value < high:
                low, first = value, y - 2
        before = tokens[max(0, first - 3): first]
        upper_possible = lexicon.patterns("upper_bound_possible")
        upper = any_match(lexicon.patterns("upper_bound"), before[-2:]) or (
            status == "possible" and any_match(upper_possible, before[-1:])
        )
        if low == high and upper:
            result = {"years_max": high}
        elif low == high and any_match(lexicon.patterns("lower_bound"), before[-2:]):
            result = {"years_min": high}
        else:
            result = {"years_min": low, "years_max": high}
        break
    if result or life:
        result["life"] = life
    return result
