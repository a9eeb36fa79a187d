"""Base forms of names: Slavic inflection to the nominative (pymorphy3), gender agreement.

Юлию Емельянову -> Юлия Емельянова; Мансура Мовлаева -> Мансур Мовлаев; a surname alone
(Мовлаєва) takes the gender of the same surname met with a first name in the document, else the
masculine reading when the form is ambiguous.
"""

from __future__ import annotations

import itertools
from functools import cache, lru_cache
from typing import Any

from dossier.entities.resources import WORD_CACHE

MORPH_LANGS = ("ru", "uk")
_NAME_TAGS = ("Name", "Surn", "Patr")


@cache
def analyzer(lang: str) -> Any:
    """The pymorphy3 analyser for `lang` (ru or uk), loaded once."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


@lru_cache(maxsize=WORD_CACHE)
def parses(word: str, lang: str) -> tuple[Any, ...]:
    return tuple(analyzer(lang).parse(word))


def has_tag(
    word: str, lang: str, tags: tuple[str, ...] = _NAME_TAGS, min_score: float = 0.0
) -> bool:
    return any(_tagged(p, tags) and p.score >= min_score for p in parses(word, lang))


def _tagged(parse: Any, tags: tuple[str, ...]) -> bool:
    return not parse.tag.grammemes.isdisjoint(tags)


def is_known_word(word: str, lang: str) -> bool:
    """True when the dictionary knows `word` as a common word (not only as a name)."""
    return any(
        p.is_known and not _tagged(p, (*_NAME_TAGS, "Geox", "Orgn", "Abbr"))
        for p in parses(word.lower(), lang)
    )


def is_adjective(word: str, lang: str) -> bool:
    """The most likely reading is an adjective or participle, not a surname (Таджикский)."""
    if lang not in MORPH_LANGS:
        return False
    found = parses(word, lang)
    if not found or found[0].tag.POS not in ("ADJF", "ADJS", "PRTF"):
        return False
    return not any(_tagged(p, ("Surn",)) for p in found)  # Навального is a surname too


def is_russian_adjective_in_latin(word: str) -> bool:
    """A Latin-script word that reads back as a Russian adjective and never as a name
    (Yevropeiskaya: Европейская; but Politkovskaya is a surname too)."""
    from dossier.entities.translit import russian_readings

    for reading in russian_readings(word):
        found = parses(reading, "ru")
        if (
            found
            and found[0].is_known
            and found[0].tag.POS in ("ADJF", "PRTF")
            and not any(_tagged(p, _NAME_TAGS) for p in found)
        ):
            return True
    return False


def lemma(word: str, lang: str) -> str:
    """The dictionary form of `word`, keeping its capitalisation style."""
    found = parses(word, lang)
    if not found:
        return word
    return _case_like(word, found[0].normal_form)


def _case_like(source: str, form: str) -> str:
    if source.isupper() and len(source) > 1:
        return form.upper()
    parts = form.split("-")
    src_parts = source.split("-")
    out = []
    for i, part in enumerate(parts):
        src = src_parts[i] if i < len(src_parts) else source
        out.append(part[:1].upper() + part[1:] if src[:1].isupper() else part)
    return "-".join(out)


def _nominative(parse: Any, word: str) -> str:
    if (
        "nomn" in parse.tag
        and "sing" in parse.tag
        or "nomn" in parse.tag
        and parse.tag.number is None
    ):
        return word
    grammemes = {"nomn"}
    if parse.tag.number == "plur":
        grammemes.add("sing")
    form = parse.inflect(grammemes) or parse.inflect({"nomn"})
    return _case_like(word, form.word) if form else word


def _candidates(word: str, lang: str, role: str) -> list[Any]:
    found = [p for p in parses(word, lang) if p.tag.POS == "NOUN" or _tagged(p, (role,))]
    tagged = [p for p in found if _tagged(p, (role,))]
    return (tagged or found)[:6]


Hint = tuple[str | None, str | None]  # (gender, case) of a given name read in its sentence


def ambiguous_given_name(word: str, lang: str) -> bool:
    """The word is a given name in two genders (Александра: Aleksandra, or Aleksandr's
    genitive or accusative), so only its sentence can tell which."""
    if lang not in MORPH_LANGS:
        return False
    genders = {p.tag.gender for p in parses(word, lang) if _tagged(p, ("Name",))}
    return {"masc", "femn"} <= genders


def person_base(
    words: list[str],
    lang: str,
    known: dict[str, str] | None = None,
    attested: frozenset[str] = frozenset(),
    hint: Hint | None = None,
) -> list[str]:
    """Nominative forms of the words of one person name, agreeing in gender and case. `hint`
    is the gender and case a contextual tagger gives the first word in its sentence; it
    decides between readings that agree equally well (Александра Качкуркина: Aleksandra
    Kachkurkina, or Aleksandr Kachkurkin's accusative)."""
    if not words:
        return []
    if lang not in MORPH_LANGS:
        return _latin_slavic_base(words, lang) if _surname_endings(lang) else list(words)
    if len(words) == 1:
        return [surname_base(words[0], lang, known or {})]
    roles = ["Name"] + ["Patr"] * (len(words) - 2) + ["Surn"]
    options = [_candidates(w, lang, r) or [None] for w, r in zip(words, roles, strict=True)]
    if not _known_surname(options[-1], options[0], hint):
        # a surname the dictionary does not know (in the gender the sentence gives the first
        # name: Ukrainian Олександра Качкуркіна заявила): decline it by its ending
        firsts = person_base(words[:-1], lang, hint=hint) if len(words) > 2 else None
        first = _candidates(words[0], lang, "Name")
        gender = _first_name_gender(first, lang, hint)
        head = firsts if firsts is not None else [_first_nominative(words[0], lang, gender)]
        return head + [_surname_by_ending(words[-1], lang, gender)]
    best: tuple[float, tuple[Any, ...]] | None = None
    for combo in itertools.product(*options):
        score = _agreement(combo, roles) + _name_frequency(combo[0], lang)
        score += _attested(combo[-1], words[-1], attested) + _hinted(combo[0], hint)
        if best is None or score > best[0]:
            best = (score, combo)
    assert best is not None
    return [w if p is None else _nominative(p, w) for w, p in zip(words, best[1], strict=True)]


def _known_surname(surname: list[Any], first: list[Any], hint: Hint | None) -> bool:
    genders = {p.tag.gender for p in surname if p is not None and _tagged(p, ("Surn",))}
    if not genders:
        return False
    hinted = hint is not None and any(p is not None and p.tag.gender == hint[0] for p in first)
    return not hinted or hint[0] in genders  # type: ignore[index]


def _hinted(parse: Any, hint: Hint | None) -> float:
    """A bonus for the given name's reading that its sentence's tagger chose: enough to
    outweigh the nominative's and the frequency's small preferences, not the agreement."""
    if parse is None or hint is None or parse.tag.gender != hint[0]:
        return 0.0
    return 3.0 if hint[1] is None or parse.tag.case == hint[1] else 1.5


def _first_name_gender(
    options: list[Any], lang: str = "ru", hint: Hint | None = None
) -> str | None:
    """The gender of the more common reading of a first name (Нурлана: Нурлан, masculine),
    or the one its sentence's tagger chose when that is a reading."""
    from dossier.frequency import zipf_frequency

    named = [p for p in options if _tagged(p, ("Name",)) and p.tag.number != "plur"] or options
    if not named:
        return None
    if hint is not None and any(p.tag.gender == hint[0] for p in named):
        return hint[0]
    best = max(named, key=lambda p: (zipf_frequency(p.normal_form, lang), p.score))
    return best.tag.gender


def _first_nominative(word: str, lang: str, gender: str | None) -> str:
    for p in _candidates(word, lang, "Name"):
        if _tagged(p, ("Name",)) and (gender is None or p.tag.gender == gender):
            return _nominative(p, word)
    return word


@cache
def _surname_endings(lang: str) -> list[list[str | None]]:
    from dossier.entities.resources import DATA, _read_json

    return list(_read_json(DATA / "surname_endings.json").get(lang, []))


def _surname_by_ending(word: str, lang: str, gender: str | None) -> str:
    for ending, masc, femn in _surname_endings(lang):
        assert isinstance(ending, str)
        if word.lower().endswith(ending) and len(word) > len(ending) + 2:
            target = femn if gender == "femn" and femn else masc or femn
            return word[: len(word) - len(ending)] + (target or ending)
    return word


def _latin_slavic_base(words: list[str], lang: str) -> list[str]:
    """Polish and the like: a first name loses its case ending when the bare form is a known
    name (Timura -> Timur, so masculine); the surname is declined back by its ending."""
    from dossier.entities.resources import lang_config

    out = list(words)
    gender = "masc"
    if len(words) > 1:
        head = words[0]
        bare = [
            head[: -len(e)]
            for e in lang_config(lang).get("name_endings", [])
            if head.endswith(e) and _known_first(head[: -len(e)])
        ]
        if _known_first(head) and not bare:
            gender = "femn" if head.endswith("a") else "masc"
        elif bare:
            out[0] = bare[0]
    out[-1] = _surname_by_ending(words[-1], lang, gender)
    return out


def _attested(parse: Any, word: str, attested: frozenset[str]) -> float:
    """A bonus when the surname's nominative is written elsewhere in the document (Олександра
    Шмельова next to a plain Шмельов is Олександр's genitive)."""
    if parse is None:
        return 0.0
    form = _nominative(parse, word)
    return 2.5 if form != word and form.lower() in attested else 0.0


def _known_first(word: str) -> bool:
    from dossier.entities.mentions import _is_first_name

    return _is_first_name(word)


def _name_frequency(parse: Any, lang: str) -> float:
    """A small bonus for the more common first name (Юлию: Юлия rather than Юлий)."""
    if parse is None:
        return 0.0
    from dossier.frequency import zipf_frequency

    return 0.1 * zipf_frequency(parse.normal_form, lang)


def _agreement(combo: tuple[Any, ...], roles: list[str]) -> float:
    real = [p for p in combo if p is not None]
    score = sum(p.score for p in real)
    pairs = zip(combo, roles, strict=True)
    score += sum(1.0 for p, r in pairs if p is not None and _tagged(p, (r,)))
    genders = {p.tag.gender for p in real if p.tag.gender}
    cases = {p.tag.case for p in real if p.tag.case}
    if len(genders) <= 1:
        score += 2.0
    if len(cases) <= 1:
        score += 2.0
    if real and all(p.tag.case == "nomn" for p in real):
        score += 1.5  # a name written in the nominative stays as written
    score -= 2.0 * sum(1 for p in real if p.tag.number == "plur")
    return score


def surname_base(word: str, lang: str, known: dict[str, str]) -> str:
    """A lone surname's nominative: the document's known form first, else masculine."""
    options = [p for p in parses(word, lang) if _tagged(p, ("Surn",))]
    if not options:
        ruled = _surname_by_ending(word, lang, None)
        if known.get(ruled.lower()) or ruled != word:
            return known.get(ruled.lower(), ruled)
        options = [p for p in parses(word, lang) if p.tag.POS == "NOUN"]
    forms = [(p, _nominative(p, word)) for p in options]
    for _, form in forms:
        if form.lower() in known:
            return known[form.lower()]
    for p, form in forms:
        if p.tag.gender == "masc":
            return form
    return forms[0][1] if forms else word


def phrase_base(words: list[str], lang: str) -> list[str]:
    """Nominative of a place or organisation name: words up to the first noun agree with it."""
    if lang not in MORPH_LANGS:
        return list(words)
    head = None
    for i, word in enumerate(words):
        found = parses(word, lang)
        if found and found[0].tag.POS == "NOUN":
            head = i
            break
    if head is None:
        return list(words)
    noun = parses(words[head], lang)[0]
    out = list(words)
    out[head] = _nominative(noun, words[head]) if noun.tag.case else words[head]
    gender, number = noun.tag.gender, noun.tag.number
    for i in range(head):
        adj = next((p for p in parses(words[i], lang) if p.tag.POS in ("ADJF", "PRTF")), None)
        if adj is None:
            continue
        grammemes = {"nomn"} | {g for g in (number or "sing",) if g}
        if (number or "sing") == "sing" and gender:
            grammemes.add(gender)
        # the Ukrainian dictionary marks no number on singular adjectives ("генеральна")
        form = adj.inflect(grammemes) or adj.inflect(grammemes - {"sing"})
        if form:
            out[i] = _case_like(words[i], form.word)
    return out
