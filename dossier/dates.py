"""Temporal expressions: find them in the clean text and normalise them to ISO date ranges.

A lean regex grammar driven by one data file per language (dossier/data/dates/<lang>.json):
month names in all inflected forms, words for the beginning/middle/end of a period, seasons,
year words and prepositions, range connectors, relative phrases and "N units ago".
A language without a file falls back to the English grammar. To add a language, add a file.

Expressions and what they become (`DateSpan.precision`, inclusive `start`..`end`):

- "2 лютого", "February 2, 2026", "03.02.2026", "2026-02-03"   -> day
- "în aprilie 2024", "in April", "в феврале"                      -> month
- "end of January", "в конце февраля", "Anfang März"             -> part_of_month
  (beginning = days 1-10, middle = 11-20, end = 21-last day)
- "у 2024 році", "in 2022" (a year needs a year word or a preposition before it) -> year
- "la sfârșitul anului 2025": part of a year -> range (beginning = Jan-Mar, middle = May-Aug,
  end = Oct-Dec); "spring 2024" -> range (Mar-May; summer Jun-Aug; autumn Sep-Nov;
  winter Y = Dec Y .. Feb Y+1)
- "between 2022 and 2023", "між січнем і березнем", "2022–2023"  -> range
- relative phrases: "yesterday" (day), "last week" (range Mon-Sun), "next month" (month),
  "last year" (year) count from the article date; anaphoric ones ("the following year",
  "în luna următoare", "в том же году") count from the date mentioned just before them
  (falling back to the article date); "3 years ago" counts from the article date.
- weekdays ("on Monday", "в прошлую среду", "am Dienstag", "joia trecută", "w sobotę") -> day:
  the latest such day on or before the article date; with a "last" word strictly before it,
  with a "next" word strictly after it. Needs the article date. Where the data file says a
  form needs context (Romanian "luni" is also "months"; Russian, Ukrainian and Polish forms)
  a preposition or modifier must come with it; a weekday followed by a date gives way to it.
- counted offsets from the date just before them ("two days later", "через два дня после",
  "două zile mai târziu", "zwei Tage später", "po dwóch dniach"): day (weeks too), month or
  year by the unit; numbers as digits or words from the data file; "a few days later" ->
  range. Day and week offsets need a date earlier in the same paragraph, and after a coarser
  date ("in June ... a few days later") keep that date. "через" counts only after a comma,
  at a sentence start or before "после" ("суд через два дня снова отложил" is skipped).
- "this week" / "на этой неделе" -> range Monday..article date; "N days ago" with number words.
- decades ("1990-х годов", "w latach 90.", "90. léta", "the 1990s", forms in the data file)
  -> range; with a part ("в конце 1990-х", "late 1990s"): years 0-3, 4-6 or 7-9 of it.
- "тогда", "в то время", "at the time" (unit "same") -> the date just before it in its
  paragraph, when that is a day, month, part of a month or year; "в то время как" is no date.
- "wkrótce potem", "вскоре после этого", "shortly afterwards" (unit "soon") -> the year of the
  date just before it in its paragraph (a year, or a date no later than October).

A day or month without a year takes the article's year, or the year before when that would put
it more than FUTURE_SLACK days after the article date. Without an article date it takes the
year written last before it in its paragraph (or its story's year, `_story_year`), else the
year of the date its lead gives the news, as the article's date, while no date told after
the lead lies later than it (then the story has moved on and the year is unsure); else it is
skipped. Expressions that need the article date ("yesterday") count from the lead's date, and
are skipped without one.

`starts_state` tells a "since" date ("с января", "since 2022"; `since` in the data file).

Rejected on purpose: durations ("for three months", "за 3 года"), ages ("25-year-old"), clock
times ("14:54"), bare numbers and bare 4-digit numbers without a year word or preposition,
Romanian "mai" / English "May" unless a day number precedes it, a year follows it or a month
preposition ("luna", "in") precedes it (English months must be capitalised).
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from dossier.langdata import load_language_data
from dossier.model import DateSpan, Precision

FALLBACK_LANGUAGE = "en"
FUTURE_SLACK = 62  # days after the article date that a yearless date may still point to

PART_DAYS = {"beginning": (1, 10), "middle": (11, 20), "end": (21, 31)}
PART_MONTHS = {"beginning": (1, 3), "middle": (5, 8), "end": (10, 12)}
PART_DECADE = {"beginning": (0, 3), "middle": (4, 6), "end": (7, 9)}  # "late 1990s": 1997-1999
SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 14)}

_YEAR = r"(?:1[89]|20)\d\d(?!\d)"
DASH = re.compile(r"\s*[–—-]\s*")
_B = r"(?<!\w)"
_E = r"(?!\w)"


def _alt(words: list[str]) -> str:
    """Regex alternation of phrases, longest first, spaces matching any whitespace."""
    cedilla = str.maketrans("șțȘȚ", "şţŞŢ")  # Romanian text is often typed with cedillas
    uniq = sorted(set(words) | {w.translate(cedilla) for w in words}, key=len, reverse=True)
    parts = [r"\s+".join(re.escape(w) for w in word.split()) for word in uniq]
    return "(?:" + "|".join(parts) + ")" if parts else "(?!x)x"


def _norm(text: str) -> str:
    text = text.replace("ş", "ș").replace("ţ", "ț").replace("Ş", "Ș").replace("Ţ", "Ț")
    return " ".join(text.lower().split())


@dataclass
class _Grammar:
    data: dict[str, Any]
    month_of: dict[str, int]
    strict: set[str]
    blockers: set[str]
    part_of: dict[str, str]
    season_of: dict[str, str]
    relative: dict[str, dict[str, Any]]
    relative_year: dict[str, int]
    unit_of: dict[str, str]
    weekday_of: dict[str, int] = field(default_factory=dict)
    number_of: dict[str, int] = field(default_factory=dict)
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)
    ranges: list[re.Pattern[str]] = field(default_factory=list)
    decades: list[re.Pattern[str]] = field(default_factory=list)
    strict_prep: re.Pattern[str] | None = None
    year_prep: re.Pattern[str] | None = None


@lru_cache(maxsize=32)
def _grammar(language: str) -> _Grammar:
    data = load_language_data("dates", language)
    month_of = {_norm(f): i + 1 for i, forms in enumerate(data["months"]) for f in forms}
    part_of = {_norm(p): k for k, ps in data["parts"].items() for p in ps}
    season_of = {_norm(s): k for k, ss in data["seasons"].items() for s in ss}
    relative = {_norm(r["text"]): r for r in data["relative"]}
    ago = data["ago"]
    unit_of = {_norm(w): u for u, ws in ago["units"].items() for w in ws}
    strict = {_norm(s) for s in data["strict_months"]}
    blockers = {_norm(s) for s in data.get("strict_month_blockers", [])}
    relative_year = {_norm(k): int(v) for k, v in data.get("relative_years", {}).items()}
    g = _Grammar(data, month_of, strict, blockers, part_of, season_of, relative, relative_year,
                 unit_of)
    g.weekday_of = {_norm(f): i for i, forms in enumerate(data.get("weekdays", [])) for f in forms}
    g.number_of = {_norm(k): int(v) for k, v in data.get("numbers", {}).items()}

    mon = _alt([f for forms in data["months"] for f in forms])
    yw = _alt(data["year_words"])
    year = rf"(?P<year>{_YEAR})(?:\s+{yw}{_E})?"
    rel_years = _alt(list(data.get("relative_years", {})))
    opt_year = rf"(?:,?\s+{year}|\s+(?P<ryear>{rel_years}){_E})?"
    dsuf = _alt(data["day_suffixes"])
    of = _alt(data["of_words"])
    day = rf"(?<![\w.,:/])(?P<day>[0-3]?\d)(?:{dsuf})?"
    parts = _alt(_words(data["parts"]))
    pmc = _alt(data["part_month_connectors"])
    pyc = _alt(data["part_year_connectors"] + data.get("season_year_connectors", []))
    sep = r"(?:\s*-\s*|\s+)"
    p = g.patterns
    p["dmy"] = re.compile(rf"{day}\s+(?:{of}\s+)?(?P<mon>{mon}){_E}{opt_year}", re.I)
    if data["month_day_order"]:
        p["mdy"] = re.compile(
            rf"{_B}(?P<mon>{mon}){_E}\s+(?P<day>[0-3]?\d)(?:{dsuf})?(?![\w,.]\d|\w){opt_year}",
            re.I)
    p["part_m"] = re.compile(
        rf"{_B}(?P<part>{parts}){sep}(?:{pmc}\s+)?(?P<mon>{mon}){_E}{opt_year}", re.I)
    p["part_y"] = re.compile(rf"{_B}(?P<part>{parts}){sep}(?:{pyc}\s+)?{year}", re.I)
    seasons = _alt(_words(data["seasons"]))
    p["season_y"] = re.compile(rf"{_B}(?P<season>{seasons})\s+(?:{pyc}\s+)?{year}", re.I)
    p["my"] = re.compile(rf"{_B}(?P<mon>{mon}){_E}{opt_year}", re.I)
    p["y"] = re.compile(
        rf"(?<![\w.,:/–-])(?P<year>{_YEAR})(?![.,:/]\d|\s*-\s*\w)(?:\s+(?P<yw>{yw}){_E})?", re.I)
    p["y_dash"] = re.compile(
        rf"(?<![\w.,:/-])(?P<a>{_YEAR})\s*[–—-]\s*(?P<b>{_YEAR}|\d\d(?!\d))(?:\s+{yw}{_E})?",
        re.I)
    p["day_range"] = re.compile(
        rf"(?<![\w.,:/-])(?P<d1>[0-3]?\d)(?:{dsuf})?\s*[–—-]\s*(?P<day>[0-3]?\d)(?:{dsuf})?"
        rf"\s+(?:{of}\s+)?(?P<mon>{mon}){_E}{opt_year}", re.I)
    p["rel"] = re.compile(rf"{_B}{_alt([r['text'] for r in data['relative']])}{_E}", re.I)
    units = _alt([w for ws in ago["units"].values() for w in ws])
    few = _alt(data.get("few", []))
    n = rf"(?:(?P<n>\d{{1,3}}|{_alt(list(data.get('numbers', {})))})|(?P<few>{few}))"
    count = rf"(?<![\w.,-]){n}\s+(?P<unit>{units}){_E}"
    if ago["before"]:
        p["ago_b"] = re.compile(rf"{_B}{_alt(ago['before'])}\s+{count}", re.I)
    if ago["after"]:
        p["ago_a"] = re.compile(rf"{count}\s+{_alt(ago['after'])}{_E}", re.I)
    later = data.get("later", {})
    if later.get("after"):
        p["later_a"] = re.compile(rf"{count}\s+{_alt(later['after'])}{_E}", re.I)
    if later.get("before") or later.get("before_at_boundary"):
        words = _alt(later.get("before", []) + later.get("before_at_boundary", []))
        post = _alt(later.get("anchor_after", []))
        p["later_b"] = re.compile(
            rf"{_B}(?P<pre>{words})\s+{count}(?:\s+(?P<post>{post}){_E})?", re.I)
    if data.get("weekdays"):
        _weekday_pattern(g, mon)
    g.decades = _decade_patterns(data, parts, pyc, sep)
    p["iso"] = re.compile(r"(?<![\w.-])(?P<year>\d{4})-(?P<mon>\d\d)-(?P<day>\d\d)(?![\w-])")
    p["dotted"] = re.compile(
        r"(?<![\w.,])(?P<day>[0-3]?\d)\.(?P<mon>[01]?\d)\.(?P<year>\d{4})(?![\d])")
    end = (rf"(?:(?:[0-3]?\d(?:{dsuf})?\s+)?{mon}{_E}(?:,?\s+{_YEAR})?|{_YEAR})"
           rf"(?:\s+{yw}{_E})?")
    for c1, c2 in data["range_connectors"]:
        mid = r"\s*" + re.escape(c2) + r"\s*" if not c2[0].isalnum() else rf"\s+{_alt([c2])}\s+"
        g.ranges.append(re.compile(rf"{_B}{_alt([c1])}\s+(?P<a>{end}){mid}(?P<b>{end})", re.I))
    g.strict_prep = re.compile(rf"{_B}{_alt(data['strict_month_prepositions'])}\s+$", re.I)
    g.year_prep = re.compile(rf"{_B}{_alt(data['year_prepositions'])}\s+$", re.I)
    return g


def _weekday_pattern(g: _Grammar, mon: str) -> None:
    """"on Monday", "в прошлую среду", "am vergangenen Dienstag", "joia trecută"."""
    w = g.data["weekday"]
    flags = 0 if w.get("capitalised") else re.I
    days = _alt([f for forms in g.data["weekdays"] for f in forms])
    if w.get("capitalised"):  # "Monday" but not "monday"; the words around it in any case
        days = "(?-i:" + days + ")"
        flags = re.I
    mods = _alt(w["last"] + w["next"])
    post = _alt(w["last_after"] + w["next_after"] + w["context_after"])
    suffix = rf"(?:{_alt(w['suffixes'])})?" if w.get("suffixes") else ""
    g.patterns["weekday"] = re.compile(
        rf"{_B}(?:(?P<pre>{_alt(w['before'])})\s+)?(?:(?P<mod>{mods})\s+)?(?P<wd>{days}){suffix}{_E}"
        rf"(?:\s+(?P<post>{post}){_E})?", flags)
    g.patterns["weekday_date"] = re.compile(rf",?\s+(?:[0-3]?\d(?!\d)|{mon}{_E})", re.I)
    blockers = w.get("blockers_after", [])
    g.patterns["weekday_block"] = re.compile(rf"\s+{_alt(blockers)}{_E}", re.I)


def _decade_patterns(data: dict[str, Any], parts: str, pyc: str, sep: str) -> list[re.Pattern[str]]:
    """"1990-х годов", "w latach 90.", "90. léta", "the 1990s", "в конце 1990-х": one pattern
    per written form of the data file ("{Y}" the decade's digits), with an optional part
    before it and the decade words ("годов", "років") after it."""
    table = data.get("decades", {})
    words = _alt(table.get("words", []))
    out = []
    for form in table.get("forms", []):
        before, _, after = form.partition("{Y}")
        pre = r"\s+".join(re.escape(w) for w in before.split())
        pre = pre + r"\s+" if pre else r"(?<![\w.,:/'’])"  # "mid-1980s" has a dash
        post = r"\s+".join(re.escape(w) for w in after.split())
        post = (r"\s+" if after[:1].isspace() else "") + post
        out.append(re.compile(
            rf"(?:{_B}(?P<part>{parts}){sep}(?:{pyc}\s+)?)?{pre}['’]?(?P<y>(?:1[89]|20)?\d0)"
            rf"{post}(?!\w)(?:\s+(?P<dw>{words}){_E})?(?!\s*[–—-]\s*\d)", re.I))
    return out


def _words(table: dict[str, list[str]]) -> list[str]:
    return [w for ws in table.values() for w in ws]


# ---- finding ------------------------------------------------------------------------------


@dataclass
class _Cand:
    """One matched expression before it is resolved to dates."""

    start: int
    end: int
    kind: str  # day | month | part_of_month | part_of_year | season | year | range | relative
    #          | weekday | decade
    day: int | None = None
    month: int | None = None
    year: int | None = None  # only when written in the text
    part: str | None = None
    season: str | None = None
    unit: str | None = None
    offset: int = 0
    anchor: str = "article"
    year_offset: int | None = None  # "в декабре прошлого года": the article's year + offset
    weekday: int | None = None  # 0 = Monday
    direction: str = ""  # weekday: "last" | "next" | "" (the latest on or before the article)
    few: bool = False  # "a few days later": a vague count
    a: _Cand | None = None  # range endpoints
    b: _Cand | None = None


def _month(g: _Grammar, word: str) -> int | None:
    return g.month_of.get(_norm(word))


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _month_ok(g: _Grammar, text: str, m: re.Match[str], has_day: bool) -> bool:
    """Capitalisation and the rule for ambiguous month words (Romanian "mai", English "May")."""
    word = m.group("mon")
    if g.data["capitalised_months"] and not word[0].isupper():
        return False
    if _norm(word) not in g.strict or m.group("year"):
        return True
    follower = re.match(r"\s+(\w+)", text[m.end():])
    if follower and _norm(follower.group(1)) in g.blockers:
        return False
    if has_day:
        return True
    assert g.strict_prep is not None
    return bool(g.strict_prep.search(text[max(0, m.start() - 40):m.start()]))


def _simple(g: _Grammar, text: str) -> list[_Cand]:
    found: list[_Cand] = []

    def add(m: re.Match[str], c: _Cand) -> None:
        ryear = m.groupdict().get("ryear")
        if ryear:
            c.year_offset = g.relative_year[_norm(ryear)]
        found.append(c)

    p = g.patterns
    for m in p["dmy"].finditer(text):
        day = int(m.group("day"))
        if 1 <= day <= 31 and _month_ok(g, text, m, True):
            month = _month(g, m.group("mon"))
            add(m, _Cand(m.start(), m.end(), "day", day, month, _int(m.group("year"))))
    if "mdy" in p:
        for m in p["mdy"].finditer(text):
            day = int(m.group("day"))
            if 1 <= day <= 31 and _month_ok(g, text, m, True):
                month = _month(g, m.group("mon"))
                add(m, _Cand(m.start(), m.end(), "day", day, month, _int(m.group("year"))))
    for m in p["part_m"].finditer(text):
        if _month_ok(g, text, m, True):
            add(m, _Cand(m.start(), m.end(), "part_of_month", None,
                         _month(g, m.group("mon")), _int(m.group("year")),
                         part=g.part_of[_norm(m.group("part"))]))
    for m in p["part_y"].finditer(text):
        add(m, _Cand(m.start(), m.end(), "part_of_year", year=int(m.group("year")),
                     part=g.part_of[_norm(m.group("part"))]))
    for m in p["season_y"].finditer(text):
        add(m, _Cand(m.start(), m.end(), "season", year=int(m.group("year")),
                     season=g.season_of[_norm(m.group("season"))]))
    for m in p["my"].finditer(text):
        if _month_ok(g, text, m, False):
            add(m, _Cand(m.start(), m.end(), "month", None, _month(g, m.group("mon")),
                         _int(m.group("year"))))
    assert g.year_prep is not None
    for m in p["y"].finditer(text):
        bracketed = text[m.start() - 1:m.start()] == "(" and text[m.end():m.end() + 1] == ")"
        if bracketed or m.group("yw") or g.year_prep.search(text[max(0, m.start() - 40):m.start()]):
            add(m, _Cand(m.start(), m.end(), "year", year=int(m.group("year"))))
    for name in ("iso", "dotted"):
        for m in p[name].finditer(text):
            y, mo, d = int(m.group("year")), int(m.group("mon")), int(m.group("day"))
            if _valid(y, mo, d):
                add(m, _Cand(m.start(), m.end(), "day", d, mo, y))
    for m in p["rel"].finditer(text):
        if _adjectival(g, text, m):
            continue
        rel = g.relative[_norm(m.group())]
        if _anaphor_blocked(g, rel["unit"], text, m.end()):
            continue  # "в то время как" (whereas), "тогда, когда" (the time of what follows),
            #           a "soon" form followed by what it is soon after
        add(m, _Cand(m.start(), m.end(), "relative", unit=rel["unit"],
                     offset=int(rel["offset"]), anchor=rel["anchor"]))
    for name in ("ago_b", "ago_a", "later_a", "later_b"):
        for m in p[name].finditer(text) if name in p else ():
            if name == "later_b" and not _later_ok(g, text, m):
                continue
            unit = g.unit_of[_norm(m.group("unit"))]
            count = _count(g, m)
            sign = -1 if name.startswith("ago") else 1
            anchor = "article" if name.startswith("ago") else "previous"
            add(m, _Cand(m.start(), m.end(), "relative", unit=unit, offset=sign * count,
                         anchor=anchor, few=bool(m.group("few"))))
    if "weekday" in p:
        found.extend(_weekdays(g, text))
    found.extend(_decades(g, text))
    return found


def _decades(g: _Grammar, text: str) -> list[_Cand]:
    """Decades as ranges of years; "90-х" is the 1990s, "00-х" the 2000s. A two-digit decade
    below 30 ("10-е", "20-х") needs a decade word after it: "10-е место" is a tenth place."""
    found = []
    for pattern in g.decades:
        for m in pattern.finditer(text):
            digits = m.group("y")
            if len(digits) == 2 and int(digits) < 30 and not m.group("dw"):
                continue
            year = int(digits) if len(digits) == 4 else (
                2000 + int(digits) if int(digits) < 20 else 1900 + int(digits))
            part = g.part_of[_norm(m.group("part"))] if m.group("part") else None
            found.append(_Cand(m.start(), m.end(), "decade", year=year, part=part))
    return found


def _count(g: _Grammar, m: re.Match[str]) -> int:
    """The number of units: digits, a number word ("два", "două") or 1 for "a few"."""
    n = m.group("n")
    if not n:
        return 1
    return int(n) if n.isdigit() else g.number_of[_norm(n)]


_BOUNDARY = re.compile(r"(?:^|[.!?,;:(—–-]|\s[-–—])\s*$")


def _later_ok(g: _Grammar, text: str, m: re.Match[str]) -> bool:
    """"через два дня" is a date only after a comma, at a sentence start or before "после"."""
    strict = {_norm(w) for w in g.data["later"].get("before_at_boundary", [])}
    if _norm(m.group("pre")) not in strict or m.group("post"):
        return True
    return bool(_BOUNDARY.search(text[max(0, m.start() - 5):m.start()]))


def _weekdays(g: _Grammar, text: str) -> list[_Cand]:
    w = g.data["weekday"]
    needs = {_norm(x) for x in w["needs_context"]}
    blocked = {_norm(x) for x in w.get("blockers_before", [])}
    last = {_norm(x) for x in w["last"] + w["last_after"]}
    nxt = {_norm(x) for x in w["next"] + w["next_after"]}
    found = []
    for m in g.patterns["weekday"].finditer(text):
        word = _norm(m.group("wd"))
        if g.patterns["weekday_date"].match(text, m.end()):
            continue  # "Monday, March 2", "luni, 2 martie": the date itself is found
        if g.patterns["weekday_block"].match(text, m.end()):
            continue  # "de luni de zile" (for months)
        before = text[max(0, m.start() - 20):m.start()].split()
        if before and _norm(before[-1]) in blocked:
            continue  # "timp de luni" (for months)
        context = m.group("pre") or m.group("mod") or m.group("post")
        if ("*" in needs or word in needs) and not context:
            continue
        mods = {_norm(x) for x in (m.group("mod"), m.group("post")) if x}
        direction = "last" if mods & last else "next" if mods & nxt else ""
        found.append(_Cand(m.start(), m.end(), "weekday", weekday=g.weekday_of[word],
                           direction=direction))
    return found


def _anaphor_blocked(g: _Grammar, unit: str, text: str, end: int) -> bool:
    words = g.data.get("anaphor_blockers_after", {}).get(unit, [])
    after = _norm(text[end:end + 20].lstrip(" ,"))
    return any(after.startswith(_norm(w) + " ") or after == _norm(w) for w in words)


def _adjectival(g: _Grammar, text: str, m: re.Match[str]) -> bool:
    """"today's world", "Austria de astăzi", «Россия сегодня»: not a date."""
    if re.match(r"[’']s\b|[»“”\"]", text[m.end():m.end() + 3]):  # "today's", «Russia Today»
        return True
    before = text[max(0, m.start() - 20):m.start()].split()
    if not before:
        return False
    if m.group()[0].isupper() and before[-1][0].isupper() and before[-1][-1] not in ".!?:":
        return True  # part of a name: "Russia Today", "Politika Segodnya"
    return _norm(before[-1]) in g.data.get("relative_blockers_before", [])


def _endpoint(g: _Grammar, text: str) -> _Cand | None:
    """Parse one end of a range: a year, a month (with year) or a day and month."""
    day = year = month = None
    ym = re.search(_YEAR, text)
    if ym:
        year = int(ym.group())
    for word in re.findall(r"[^\W\d]+\.?|[^\W\d]+", text):
        month = month or _month(g, word) or _month(g, word.rstrip("."))
    dm = re.match(r"([0-3]?\d)(?!\d)", text)
    if dm and month:
        day = int(dm.group(1))
    if month is None and year is None:
        return None
    kind = "day" if day else "month" if month else "year"
    return _Cand(0, 0, kind, day, month, year)


def _ranges(g: _Grammar, text: str) -> list[_Cand]:
    found = []
    for pattern in g.ranges:
        for m in pattern.finditer(text):
            a, b = _endpoint(g, m.group("a")), _endpoint(g, m.group("b"))
            if a and b and (a.month is None) == (b.month is None):
                found.append(_Cand(m.start(), m.end(), "range", a=a, b=b))
    for m in g.patterns["day_range"].finditer(text):
        first, last = int(m.group("d1")), int(m.group("day"))
        if 1 <= first < last <= 31 and _month_ok(g, text, m, True):
            month, year = _month(g, m.group("mon")), _int(m.group("year"))
            a = _Cand(0, 0, "day", first, month, year)
            b = _Cand(0, 0, "day", last, month, year)
            found.append(_Cand(m.start(), m.end(), "range", a=a, b=b))
    for m in g.patterns["y_dash"].finditer(text):
        first, second = int(m.group("a")), m.group("b")
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if first < last <= first + 30:
            found.append(_Cand(m.start(), m.end(), "range", a=_Cand(0, 0, "year", year=first),
                               b=_Cand(0, 0, "year", year=last)))
    return found


def _join_dashes(text: str, cands: list[_Cand]) -> list[_Cand]:
    """"30 iunie - 1 iulie", "martie-iunie 2013", "May 2012 – March 2013" become one range."""
    joined: list[_Cand] = []
    for c in cands:
        prev = joined[-1] if joined else None
        if (prev is not None and prev.kind in ("day", "month") and c.kind in ("day", "month")
                and (prev.year is None or c.year is not None)
                and DASH.fullmatch(text[prev.end:c.start])):
            joined[-1] = _Cand(prev.start, c.end, "range", a=prev, b=c)
        else:
            joined.append(c)
    return joined


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Keep the longest expressions; drop any that overlaps one already kept."""
    kept: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (c.start - c.end, c.start)):
        if all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


# ---- resolving ----------------------------------------------------------------------------


def _valid(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1] if 1 <= m <= 12 else False


def _last(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _month_shift(y: int, m: int, months: int) -> tuple[int, int]:
    total = y * 12 + (m - 1) + months
    return total // 12, total % 12 + 1


def _bounds(c: _Cand, y: int) -> tuple[date, date, Precision] | None:
    """Dates of an expression once its year is known."""
    if c.kind == "day" and c.month and c.day:
        if not _valid(y, c.month, c.day):
            return None
        d = date(y, c.month, c.day)
        return d, d, "day"
    if c.kind == "month" and c.month:
        return date(y, c.month, 1), _last(y, c.month), "month"
    if c.kind == "part_of_month" and c.month and c.part:
        first, last = PART_DAYS[c.part]
        end = date(y, c.month, last) if last < 28 else _last(y, c.month)
        return date(y, c.month, first), end, "part_of_month"
    if c.kind == "part_of_year" and c.part:
        m1, m2 = PART_MONTHS[c.part]
        return date(y, m1, 1), _last(y, m2), "range"
    if c.kind == "season" and c.season:
        m1, m2 = SEASON_MONTHS[c.season]
        y2, m2 = _month_shift(y, 1, m2 - 1)
        return date(y, m1, 1), _last(y2, m2), "range"
    if c.kind == "year":
        return date(y, 1, 1), date(y, 12, 31), "year"
    if c.kind == "decade":
        first, last = PART_DECADE[c.part] if c.part else (0, 9)
        return date(y + first, 1, 1), date(y + last, 12, 31), "range"
    return None


@dataclass
class _Context:
    published: date | None
    explicit: list[tuple[int, int]]  # (offset, year) of every year written in the text
    full: list[tuple[int, int, int, int]] = field(default_factory=list)  # (offset, year,
    #     month, day or 0) of every date written with its month and year
    previous: DateSpan | None = None
    text: str = ""
    lead: date | None = None  # an undated article's lead date: the day its news is told of
    past_lead: bool = False  # a date after the lead's, later in the text: the story moved on

    @property
    def anchor(self) -> date | None:
        """What "yesterday", "on Friday", "last year" count from: the article's date, else
        the date its lead gives the news (the guidelines of the real-news gold)."""
        return self.published or self.lead


def _paragraph_year(c: _Cand, ctx: _Context) -> int | None:
    """An undated article's year-less date takes the year written last before it in the same
    paragraph ("On 25 October 2017 ... On 27 October ..."), else its story's year; else None
    (then only the lead's year may serve, see _year_for): a year guessed from elsewhere in
    the text would state a false date."""
    para = ctx.text.rfind("\n", 0, c.start) + 1
    before = [y for at, y in ctx.explicit if para <= at < c.start]
    if before:
        return before[-1]
    return _story_year(c, ctx, para)


STORY_PARAGRAPHS = 2  # how far back a full date still sets the year of a story told in order


def _story_year(c: _Cand, ctx: _Context, para: int) -> int | None:
    """The year of a full date in the STORY_PARAGRAPHS paragraphs just before ("задержали 9
    апреля 2019 года. / 11 октября суд признал ..."): a story told in order goes on in that
    year. Only when no other year is written between them and the year-less date does not
    fall earlier in the calendar than that date (which could be a later year)."""
    if para == 0 or c.month is None:
        return None
    prev_para, seen = para, 0
    while prev_para > 0 and seen < STORY_PARAGRAPHS:
        end = prev_para - 1
        prev_para = ctx.text.rfind("\n", 0, end) + 1
        seen += bool(ctx.text[prev_para:end].strip())  # blank lines are no paragraphs
    years = [(at, y) for at, y in ctx.explicit if prev_para <= at < c.start]
    full = [f for f in ctx.full if prev_para <= f[0] < c.start]
    if not full or not years or years[-1][0] != full[-1][0]:
        return None  # the last year written before it is a bare year or a range: unsure
    _, year, month, day = full[-1]
    if (c.month, c.day or 0) < (month, day):
        return None
    return year


def _year_for(c: _Cand, ctx: _Context) -> int | None:
    if c.year is not None:
        return c.year
    if c.year_offset is not None:
        return ctx.anchor.year + c.year_offset if ctx.anchor else None
    if ctx.published is None:
        year = _paragraph_year(c, ctx)
        if year is not None or ctx.lead is None or ctx.past_lead:
            return year  # after "11 October" of the lead's year, "5 March" may be the next one
    anchor = ctx.published or ctx.lead  # the lead's date: the day its news is told of
    assert anchor is not None
    bounds = _bounds(c, anchor.year)
    if bounds and bounds[0] > anchor + timedelta(days=FUTURE_SLACK):
        return anchor.year - 1
    return anchor.year


def _resolve_range(c: _Cand, ctx: _Context) -> tuple[date, date, Precision] | None:
    a, b = c.a, c.b
    if a is None or b is None:
        return None
    yb = _year_for(b, ctx)
    if yb is None:
        return None
    ya = a.year if a.year is not None else yb
    if a.year is None and a.month and b.month and a.month > b.month:
        ya -= 1
    first, second = _bounds(a, ya), _bounds(b, yb)
    if first is None or second is None or first[0] > second[1]:
        return None
    return first[0], second[1], "range"


FEW = (2, 6)  # "a few days later": 2 to 6 days
SAME_PRECISIONS = ("day", "month", "part_of_month", "year")


def _resolve_weekday(c: _Cand, ctx: _Context) -> tuple[date, date, Precision] | None:
    """The latest such weekday on or before the article date; "last": strictly before it;
    "next": strictly after it."""
    if ctx.anchor is None or c.weekday is None:
        return None
    pub = ctx.anchor
    if c.direction == "next":
        d = pub + timedelta(days=(c.weekday - pub.weekday() - 1) % 7 + 1)
    else:
        back = (pub.weekday() - c.weekday) % 7
        d = pub - timedelta(days=back or (7 if c.direction == "last" else 0))
    return d, d, "day"


def _resolve_relative(c: _Cand, ctx: _Context) -> tuple[date, date, Precision] | None:
    anchor = ctx.anchor
    prev = ctx.previous if c.anchor == "previous" else None
    if c.unit == "same":  # "тогда", "at the time": the date told just before, in its paragraph;
        #                   not a span of years ("в 80-е годы ... тогда"): no time of one event
        if (prev is None or not prev.start or not prev.end or prev.precision not in SAME_PRECISIONS
                or "\n" in ctx.text[prev.doc_end:c.start]):
            return None
        return date.fromisoformat(prev.start), date.fromisoformat(prev.end), prev.precision
    if c.unit == "soon":  # "wkrótce potem", "вскоре": weeks after the date just before it
        return _resolve_soon(prev, ctx, c.start)
    if (c.anchor == "previous" and c.unit in ("day", "week")
            and (prev is None or "\n" in ctx.text[prev.doc_end:c.start])):
        return None  # "two days later" counts only from a date in the same paragraph
    if prev is not None and prev.start:
        if c.unit in ("day", "week") and prev.precision != "day" and prev.end:
            # "in June ... two days later": no finer than the date it counts from
            return date.fromisoformat(prev.start), date.fromisoformat(prev.end), prev.precision
        anchor = date.fromisoformat(prev.end if c.offset > 0 and prev.end else prev.start)
    if anchor is None:
        return None
    if c.few:
        return _resolve_few(c, anchor)
    if c.unit == "week" and c.anchor == "previous":  # "a week later": a day
        d = anchor + timedelta(weeks=c.offset)
        return d, d, "day"
    if c.unit == "week" and c.offset == 0:  # "this week": Monday up to the article date
        monday = anchor - timedelta(days=anchor.weekday())
        return monday, anchor, "range"
    if c.unit == "day":
        d = anchor + timedelta(days=c.offset)
        return d, d, "day"
    if c.unit == "week":
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=c.offset)
        return monday, monday + timedelta(days=6), "range"
    if c.unit == "month":
        y, m = _month_shift(anchor.year, anchor.month, c.offset)
        return date(y, m, 1), _last(y, m), "month"
    if c.unit == "year":
        y = anchor.year + c.offset
        return date(y, 1, 1), date(y, 12, 31), "year"
    return None


SOON_LAST_MONTH = 10  # "soon after" a date of November or December may be the next year


def _resolve_soon(prev: DateSpan | None, ctx: _Context,
                  at: int) -> tuple[date, date, Precision] | None:
    """"Wkrótce potem", "вскоре", "shortly afterwards": the year of the date told just before
    it in its paragraph ("w maju 2015 roku wyjechał ... Wkrótce potem go zatrzymano": 2015),
    when that date is a year or falls no later than October; no finer than the year."""
    if (prev is None or not prev.start or not prev.end or prev.precision not in SAME_PRECISIONS
            or "\n" in ctx.text[prev.doc_end:at]):
        return None
    end = date.fromisoformat(prev.end)
    if prev.precision != "year" and end.month > SOON_LAST_MONTH:
        return None
    return date(end.year, 1, 1), date(end.year, 12, 31), "year"


def _resolve_few(c: _Cand, anchor: date) -> tuple[date, date, Precision]:
    """"a few days later" / "a few years ago": a range of FEW units from the anchor."""
    sign = 1 if c.offset > 0 else -1
    ends = []
    for n in FEW:
        k = sign * n
        if c.unit == "day":
            ends.append(anchor + timedelta(days=k))
        elif c.unit == "week":
            ends.append(anchor + timedelta(weeks=k))
        else:
            months = k * (12 if c.unit == "year" else 1)
            y, m = _month_shift(anchor.year, anchor.month, months)
            ends.append(date(y, m, min(anchor.day, calendar.monthrange(y, m)[1])))
    return min(ends), max(ends), "range"


def _resolve(c: _Cand, ctx: _Context) -> tuple[date, date, Precision] | None:
    if c.kind == "weekday":
        return _resolve_weekday(c, ctx)
    if c.kind == "range":
        return _resolve_range(c, ctx)
    if c.kind == "relative":
        return _resolve_relative(c, ctx)
    y = _year_for(c, ctx)
    return _bounds(c, y) if y is not None else None


def _parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def find_dates(text: str, language: str, published: str | None) -> list[DateSpan]:
    """Every temporal expression in `text`, resolved against the article date `published`."""
    g = _grammar(language or FALLBACK_LANGUAGE)
    cands = _join_dashes(text, _select(_simple(g, text) + _ranges(g, text)))
    explicit = [(c.start, y) for c in cands if c.kind != "decade"  # "in the 1990s": no year
                for y in (c.year, c.a and c.a.year, c.b and c.b.year) if y]
    full = [(c.start, c.year, c.month, c.day or 0) for c in cands
            if c.year and c.month and c.kind in ("day", "month", "part_of_month")]
    ctx = _Context(_parse_iso(published), explicit, full, text=text)
    if ctx.published is None:
        ctx.lead = _lead_date(g, text, cands)
    spans = []
    for c in cands:
        resolved = _resolve(c, ctx)
        if resolved is None:
            continue
        start, end, precision = resolved
        span = DateSpan(start.isoformat(), end.isoformat(), precision, text[c.start:c.end],
                        c.start, c.end)
        spans.append(span)
        ctx.previous = span
        ctx.past_lead = ctx.past_lead or bool(ctx.lead and start > ctx.lead)
        if ctx.published is None and c.year is None and c.kind in ("day", "month",
                                                                    "part_of_month"):
            # a year-less date placed in its story's year sets the year of the next one
            bisect.insort(ctx.explicit, (c.start, start.year))
            bisect.insort(ctx.full, (c.start, start.year, start.month, c.day or 0))
    return spans


LEAD_CHARS = 500  # the title, a caption and the lead's first sentences


def _lead_date(g: _Grammar, text: str, cands: list[_Cand]) -> date | None:
    """The first full date (day, month and year) of an undated article, when it stands in
    its first LEAD_CHARS characters and no other date comes before it: the lead dating its
    news ("... found in a flat in London on 13 March 2018"). Not a date of another fact
    ("the murder he committed on 17 June 2013", a birth). Relative dates of the article count
    from it; it is not taken for the article's own date."""
    first = next((c for c in cands if c.start < LEAD_CHARS), None)
    if first is None or first.kind != "day" or not (first.year and first.month and first.day):
        return None
    if not _valid(first.year, first.month, first.day) or _other_fact(g, text, first):
        return None
    return date(first.year, first.month, first.day)


OTHER_FACT_WORDS = 3  # words before a date: "которое он совершил 17 июня 2013 года"


def _other_fact(g: _Grammar, text: str, c: _Cand) -> bool:
    words = g.data.get("lead_other_fact", {})
    before = [w.lower() for w in re.findall(r"\w+", text[max(0, c.start - 60): c.start])]
    after = text[c.end: c.end + 20].lower().lstrip()
    stems = tuple(words.get("before", []))
    if stems and any(w.startswith(stems) for w in before[-OTHER_FACT_WORDS:]):
        return True
    return any(after.startswith(a) for a in words.get("after", []))


def infer_published(text: str, language: str, dates: list[DateSpan]) -> str | None:
    """An undated article's own date, only where its text states one: a dateline (a full
    date, with its year, alone on one of the first lines, or opening the first paragraph
    before a dash or colon: "Kyiv, 3 March 2026 - ..."). Dates the article merely mentions
    are no guess of when it was written: None then."""
    head = text[: DATELINE_CHARS]
    for d in dates:
        if d.precision != "day" or d.doc_start < 0 or d.doc_end > len(head):
            continue
        if not re.search(_YEAR, d.text):
            continue
        line_start = text.rfind("\n", 0, d.doc_start) + 1
        line_end = text.find("\n", d.doc_end)
        line_end = len(text) if line_end < 0 else line_end
        before = text[line_start: d.doc_start]
        after = text[d.doc_end: line_end]
        place = not before.strip() or (len(before) <= DATELINE_PLACE
                                       and before.rstrip().endswith(",")
                                       and len(before.split()) <= 3)  # "KYIV, "
        alone = not after.strip(" ,.|:0123456789")
        opens = re.match(r"\s*[-–—:|]", after) is not None
        if place and (alone or opens):
            return d.start
    return None


DATELINE_CHARS = 400  # a dateline stands at the top
DATELINE_PLACE = 40  # "KYIV, " or "Бишкек, " before the date


def starts_state(text: str, span: DateSpan, language: str) -> bool:
    """True when a date tells since when a state lasts ("с марта прошлого года", "since
    2022", "od roku 2015", "с начала 2019 года"): the beginning of a detention or a flight,
    never the date of a removal, a sentence or a release told in the same clause."""
    g = _grammar(language or FALLBACK_LANGUAGE)
    words = g.data.get("since", [])
    if not words or span.doc_start < 0:
        return False
    since = _alt(words)
    if re.search(rf"{_B}{since}\s+$", text[max(0, span.doc_start - 30):span.doc_start], re.I):
        return True
    if not re.match(rf"{since}\s", span.text, re.I):
        return False
    # "с января по март": a range between two dates, not a beginning
    return not any(re.search(rf"\s{re.escape(c2)}\s", span.text, re.I)
                   for c1, c2 in g.data["range_connectors"] if _norm(c1) in map(_norm, words))
