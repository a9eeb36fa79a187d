"""Event detection: sentences -> typed, dated, sourced event mentions about people.

Per sentence: trigger lemmas (from dossier/data/events/<lang>.json) give the event type; cue
words around the trigger give the status; the nearest eligible person (or a list of people
joined by "and"/commas) is the subject, else a pronoun carries the last named subject, else a
counted group ("four activists") is. Dates, places and organisations come from the other stages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import razdel

from dossier import dates as date_stage
from dossier.entities import gazetteer
from dossier.events import agreement, syntax
from dossier.events.lexicon import (
    DATA_DIR,
    Lexicon,
    Match,
    Pattern,
    Token,
    any_match,
    compile_patterns,
    find_all,
    find_labelled,
    load_lexicon,
    match_at,
    tokenize,
)
from dossier.events.terms import find_charge, find_term, number_value
from dossier.model import DateSpan, Document, EventMention, Evidence, Mention

UNKNOWN_DATE = DateSpan(None, None, "unknown", "")
FORWARD_SENTENCES = 3  # a lead's role noun waits this long for the sentence that names it
PRO_DROP_SENTENCES = 2  # a pro-drop language (ro) carries the subject this far without a pronoun
YEAR = re.compile(r"\b\d{4}\b")
NEGATION_AFTER = 6  # tokens: "обвинений ему предъявлено не было"
NEAR_AFTER = 25  # characters: a date this close after the trigger is its date
CLOSING_QUOTES = {"»", "”", '"', "“"}
BOUNDARY = re.compile(r"[,;()\u2013\u2014]|(?<!\d):(?!\d)|\s-\s")  # not "6:40"


@cache
def common() -> dict[str, Any]:
    return json.loads((DATA_DIR / "common.json").read_text(encoding="utf-8"))


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    tokens: list[Token]


@dataclass
class Trigger:
    type: str
    match: Match

    @property
    def first(self) -> int:
        return self.match.first

    @property
    def last(self) -> int:
        return self.match.last


@dataclass
class Carry:
    """The last named subject(s), carried to later sentences that say only "he"/"they"."""

    subjects: list[str] = field(default_factory=list)
    sentence: int = -10
    date: DateSpan | None = None
    date_sentence: int = -10
    date_end: int = -1  # where that sentence ends: a new line between starts a new paragraph
    genders: dict[str, str] = field(default_factory=dict)  # person mention id -> gender
    people: list[str] = field(default_factory=list)  # the eligible names of the last sentence
    people_sentence: int = -10
    anyone_named: bool = False  # a person was named in the document so far
    base: dict[str, str] = field(default_factory=dict)  # mention id -> base name, for genders
    forward_gender: str | None = None  # the gender of the role noun waiting for a name
    introduced: dict[str, str] = field(default_factory=dict)  # role noun -> the name it named
    named_sentence: int = -10  # the last sentence that named anyone
    named_surnames: set[str] = field(default_factory=set)  # every person named so far
    sole: str | None = None  # the latest mention of the one person named so far, if only one

    def only_person(self) -> str | None:
        """While the text has named a single person, "he" in a later sentence is that person,
        however far back the name stood."""
        return self.sole if len(self.named_surnames) == 1 else None


# ---- sentences ---------------------------------------------------------------------------


def split_sentences(text: str, lexicon: Lexicon,
                    protected: list[tuple[int, int]] | None = None) -> list[Sentence]:
    """Sentences (razdel, per line); a split inside a protected span (a date such as
    "am 10. Februar", a name) is undone."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        for start, end in _pieces(line, offset):
            if spans and any(a < spans[-1][1] and b > start for a, b in protected or []
                             if a >= spans[-1][0]):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        offset += len(line) + 1
    return [Sentence(i, a, b, text[a:b], tokenize(text[a:b], a, lexicon))
            for i, (a, b) in enumerate(spans)]


QUOTE_END = re.compile(r"(?<=[.!?…][“”»\"])\s+(?=[„«“]|[^\W\d_])")


def _pieces(line: str, offset: int) -> list[tuple[int, int]]:
    """razdel's sentences, also split after a closing quote ("… obligations.“ The court …")
    when the next word begins with a capital ("Über", "Ștefan")."""
    out = []
    for s in razdel.sentenize(line):
        start = offset + s.start
        for part in _quote_parts(s.text):
            at = line.find(part, start - offset)
            out.append((offset + at, offset + at + len(part)))
            start = offset + at + len(part)
    return out


def _quote_parts(text: str) -> list[str]:
    parts: list[str] = []
    last = 0
    for m in QUOTE_END.finditer(text):
        nxt = text[m.end(): m.end() + 1]
        if nxt.isupper() or nxt in "„«“":
            parts.append(text[last: m.start()])
            last = m.end()
    parts.append(text[last:])
    return parts


def find_triggers(tokens: list[Token], lexicon: Lexicon,
                  places: list[tuple[int, Mention]] | None = None) -> list[Trigger]:
    """Trigger matches; a match inside a longer one of another pattern is dropped, and so is
    one overlapping a match of its own type that fixes the status (an overturned sentence).
    `places`: (first token, mention) of the sentence's locations, which tell leaving the
    country from going somewhere (see `_leaves_country`)."""
    found: list[Trigger] = []
    for event_type, patterns in lexicon.triggers.items():
        for m in find_all(patterns, tokens):
            found.append(Trigger(event_type, m))
    found += [Trigger("flight", m) for m in find_all(lexicon.patterns("leaving"), tokens)
              if _leaves_country(m, tokens, lexicon, places or [])]
    blocked_spans = [(m.first, m.last) for m in find_all(lexicon.patterns("not_triggers"), tokens)]
    found = [t for t in found
             if not any(a <= t.last and t.first <= b for a, b in blocked_spans)]
    keep_inside = common()["keep_inside"]
    kept = [
        t for t in found
        if not any(
            o is not t and o.first <= t.first and t.last <= o.last
            and (o.last - o.first) > (t.last - t.first)
            and t.type not in keep_inside.get(o.type, ())
            for o in found
        )
    ]
    fixed = [t for t in kept if ":" in t.type]
    kept = [t for t in kept if ":" in t.type or not any(  # "Осъдителната [присъда] ... отменена"
        f.type.partition(":")[0] == t.type and f.first <= t.last and t.first <= f.last
        for f in fixed)]
    unique: dict[tuple[int, int], Trigger] = {}
    for t in sorted(kept, key=lambda t: (t.first, -(t.last - t.first))):
        unique.setdefault((t.first, t.last), t)
    return sorted(unique.values(), key=lambda t: t.first)


def _leaves_country(m: Match, tokens: list[Token], lexicon: Lexicon,
                    places: list[tuple[int, Mention]]) -> bool:
    """"Left", "уехал", "wyjechał" is a flight only when the country is what is left or
    reached ("left Russia", "уехал за границу", "wyjechał do Niemiec", "left Kazan" as its
    object); "left the meeting", "уехал в Москву" are trips."""
    reach = tokens[m.last + 1: m.last + 1 + LEAVING_REACH]
    if any_match(lexicon.patterns("abroad"), reach):
        return True
    return any(first == m.last + 1 or (m.last < first <= m.last + LEAVING_REACH
                                       and names_country(place, lexicon))
               for first, place in places)


LEAVING_REACH = 3  # tokens after a leaving verb that may hold the country left or reached


# ---- people ------------------------------------------------------------------------------


def token_span(mention: Mention, tokens: list[Token]) -> tuple[int, int] | None:
    idx = [i for i, t in enumerate(tokens) if t.start >= mention.start and t.end <= mention.end]
    return (idx[0], idx[-1]) if idx else None


def _window(tokens: list[Token], lo: int, hi: int) -> list[Token]:
    return tokens[max(0, lo): max(0, hi)]


def _joined(doc: Document, a: Token, b: Token) -> bool:
    """True when nothing but spaces separates tokens a and b."""
    return not doc.text[a.end: b.start].strip()


def is_candidate(mention: Mention, span: tuple[int, int], sent: Sentence, doc: Document,
                 lexicon: Lexicon, trigger_tokens: set[int]) -> bool:
    """False for people who are only quoted, lawyers/officials, or possessors ("X's office")."""
    tokens = sent.tokens
    first, last = span
    object_of_trigger = (first - 1) in trigger_tokens
    if (mention.role and mention.role.lower() in common()["non_subject_roles"]
            and not object_of_trigger):
        return False
    if re.search(r"['’]s\s$", doc.text[max(0, mention.start - 4): mention.start]):
        return False  # "Yerevan's Zvartnots airport"
    if doc.text[mention.end: mention.end + 1] in CLOSING_QUOTES:
        return False  # a quoted name is a title or a place, not a person
    own = tokens[first: last + 1]
    if any(i in trigger_tokens for i in range(first, last + 1)):
        return False  # "Einer der Ausgewiesenen" is not a name
    if all(country_codes([t], lexicon, "countries") for t in own):
        return False  # a nationality word taken for a name
    roles = lexicon.patterns("non_subject_roles")
    common_nouns = lexicon.patterns("group_nouns") + lexicon.patterns("descriptors")
    if any_match(roles, own) or all(any_match(common_nouns, [t]) for t in own):
        return False
    if find_labelled(lexicon.tables.get("agents", {}), own):
        return False  # "Sąd Najwyższy" taken for a name: a court is no subject
    if any_match(roles, _window(tokens, first - 3, first)) and not object_of_trigger:
        return False
    if any_match(roles, _window(tokens, last + 1, last + 5)):
        return False
    if any_match(lexicon.patterns("speech"), _window(tokens, last + 1, last + 3)):
        return False
    after = doc.text[mention.end: mention.end + 1]
    tail = after in {"", ",", ".", ";", ":", "\n"} or any_match(
        lexicon.patterns("speaker_tail"), tokens[last + 1: last + 2])
    for name in ("speech", "attribution"):
        for m in find_all(lexicon.patterns(name), _window(tokens, first - 3, first)):
            k = max(0, first - 3) + m.last
            if _joined(doc, tokens[k], tokens[first]) and (name == "attribution" or tail):
                return False  # "said Smirnov, ...", "according to Smirnov"
    if lexicon.flag("possessive_suffix") and doc.text[mention.end:mention.end + 2] in {"'s", "’s"}:
        nxt = last + 1
        if not any(i in trigger_tokens for i in range(nxt, nxt + 2)):
            return False
    return not (lexicon.flag("genitive_possessor")
                and _genitive_possessor(first, tokens, lexicon, trigger_tokens))


def _genitive_possessor(first: int, tokens: list[Token], lexicon: Lexicon,
                        trigger_tokens: set[int]) -> bool:
    """ru/uk: a name in the genitive right after a noun ("штаба Навального") is a possessor."""
    if first == 0 or (first - 1) in trigger_tokens:
        return False
    prev = tokens[first - 1]
    if (prev.end != tokens[first].start - 1 or prev.text[:1].isupper()
            or any_match(lexicon.patterns("descriptors"), [prev])):
        return False
    from dossier.events.lexicon import _morph

    morph = _morph(lexicon.language)
    prev_parse = morph.parse(prev.text.lower())[0]
    if prev_parse.tag.POS != "NOUN":
        return False
    name = tokens[first].text
    return any("gent" in p.tag for p in morph.parse(name)[:3]) and not any(
        "nomn" in p.tag or "accs" in p.tag for p in morph.parse(name)[:1]
    )


def _gap_joins(tokens: list[Token], lo: int, hi: int, lexicon: Lexicon,
               trigger_tokens: set[int]) -> bool:
    """True when tokens[lo:hi] only join two names in a list ("A, B and C")."""
    gap = tokens[lo:hi]
    if not gap:
        return True
    if len(gap) > common()["list_gap_tokens"]:
        return False
    if any(i in trigger_tokens for i in range(lo, hi)):
        return False
    if any_match(lexicon.patterns("speech"), gap):
        return False
    return any_match(lexicon.patterns("connectors"), gap)


def pick_subjects(trigger: Trigger, people: list[tuple[Mention, tuple[int, int]]],
                  sent: Sentence, lexicon: Lexicon, trigger_tokens: set[int]) -> list[Mention]:
    """The nearest eligible person, extended to the list of names it stands in."""
    if not people:
        return []

    def distance(item: tuple[Mention, tuple[int, int]]) -> int:
        first, last = item[1]
        if last < trigger.first:
            return trigger.first - last
        if first > trigger.last:
            return first - trigger.last
        return 0

    order = sorted(range(len(people)), key=lambda i: (distance(people[i]), i))
    best = order[0]
    chosen = [best]
    i = best
    while i > 0 and _gap_joins(sent.tokens, people[i - 1][1][1] + 1, people[i][1][0], lexicon,
                               trigger_tokens):
        i -= 1
        chosen.insert(0, i)
    i = best
    while i + 1 < len(people) and _gap_joins(sent.tokens, people[i][1][1] + 1,
                                             people[i + 1][1][0], lexicon, trigger_tokens):
        i += 1
        chosen.append(i)
    seen: set[str] = set()
    out = []
    for k in chosen:
        key = people[k][0].base.lower()
        if key not in seen:
            seen.add(key)
            out.append(people[k][0])
    return out


def find_group(sent: Sentence, doc: Document, lexicon: Lexicon) -> str | None:
    """A counted group of people ("four activists"), or None."""
    tokens = sent.tokens
    for q in find_all(lexicon.patterns("quantifiers"), tokens):
        for n in find_all(lexicon.patterns("group_nouns"), tokens[q.last + 1: q.last + 4]):
            end = q.last + 1 + n.last
            if end + 1 < len(tokens) and any_match(
                    [p for ps in lexicon.tables["nationals"].values() for p in ps],
                    [tokens[end + 1]]):
                end += 1
            return doc.text[tokens[q.first].start: tokens[end].end]
    return None


# ---- status, dates, places ---------------------------------------------------------------


def clause_bounds(index: int, sent: Sentence, text: str) -> tuple[int, int]:
    """Token range [lo, hi) of the clause around token `index` (split at , ; : dashes)."""
    tokens = sent.tokens
    lo = index
    while lo > 0 and not BOUNDARY.search(text[tokens[lo - 1].end: tokens[lo].start]):
        lo -= 1
    hi = index + 1
    while hi < len(tokens) and not BOUNDARY.search(text[tokens[hi - 1].end: tokens[hi].start]):
        hi += 1
    return lo, hi


def status_of(trigger: Trigger, prev_last: int, next_first: int, sent: Sentence,
              lexicon: Lexicon, text: str,
              date_spans: list[tuple[int, int]] | None = None) -> str | None:
    """occurred/pending/blocked/possible from cue words near the trigger; None when the
    sentence denies it ("was not detained") or only supposes it. Words inside `date_spans`
    are no cues ("on 4 May" is no "may")."""
    c = common()
    tokens = sent.tokens
    clause_lo, _ = clause_bounds(trigger.first, sent, text)
    _, clause_hi = clause_bounds(trigger.last, sent, text)
    lo = max(prev_last + 1, trigger.first - c["status_window_before"], clause_lo)
    hi = min(next_first, trigger.last + 1 + c["status_window_after"], clause_hi)
    joins = lexicon.patterns("clause_words")
    for m in find_all(joins, tokens[lo: trigger.first]):
        lo = max(lo, lo + m.last + 1)
    for m in find_all(joins, tokens[trigger.last + 1: hi])[:1]:
        hi = trigger.last + 1 + m.first
    window = [t for t in tokens[lo: trigger.first] + tokens[trigger.last + 1: hi]
              if not any(a <= t.start < b for a, b in date_spans or [])]
    before = tokens[max(lo, trigger.first - c["negation_window"]): trigger.first]
    if any_match(lexicon.patterns("absence"), before):
        return None  # "handed over without any extradition procedure"
    if any_match(lexicon.patterns("forbidden"), before) and not in_quote(text, tokens[lo].start):
        return "blocked"  # "забрани да напусне страната", "nedovolí jí opustit zemi": a ban;
        #                   a quoted "the law does not allow extraditing him" is an argument
    if any_match(lexicon.patterns("negation_after"),
                 tokens[trigger.last + 1: min(clause_hi, trigger.last + 1 + NEGATION_AFTER)]):
        return None  # "обвинений предъявлено не было": no charge
    if any_match(lexicon.patterns("negation"), before):
        close = tokens[max(lo, trigger.first - 3): trigger.first]
        if (trigger.type in c["negated_blocked_types"] and not in_quote(text, tokens[lo].start)
                and any_match(lexicon.patterns("negation"), close)):
            return "blocked"  # "will not be extradited"; "you cannot extradite him" is no fact
        return None
    if _unrealised(trigger, tokens, lexicon):
        return "possible"  # "she will have to leave", "asked to extradite him"
    if any_match(lexicon.patterns("conditional"), tokens[clause_lo: trigger.first]):
        # "if the appeal is rejected ..." speaks of an existing appeal, not a new event
        blocked = any_match(lexicon.status.get("blocked", []), window)
        return None if blocked else "possible"
    own = tokens[trigger.first: trigger.last + 1]  # "faces up to ... years" holds its own cue
    for status in ("blocked", "possible", "pending"):
        cues = lexicon.status.get(status, [])
        if any_match(cues, window) or (status == "possible" and any_match(cues, own)):
            return status
    return "occurred"


def _unrealised(trigger: Trigger, tokens: list[Token], lexicon: Lexicon) -> bool:
    """True when the trigger verb is an infinitive ("wyjechać", "to extradite", Bulgarian
    "да напусне"): what someone must, wants, plans or is allowed to do has not happened,
    unless a "managed to" word stands just before it ("смог бежать")."""
    head = tokens[trigger.first]
    word = head.text.lower()
    before = tokens[max(0, trigger.first - ACHIEVED_WINDOW): trigger.first]
    if any_match(lexicon.patterns("achieved"), before):
        return False
    suffixes = tuple(lexicon.raw.get("infinitive_suffixes", []))
    if suffixes and len(word) > 3 and word.endswith(suffixes):
        return True
    particles = set(lexicon.raw.get("infinitive_particles", []))
    return trigger.first > 0 and tokens[trigger.first - 1].text.lower() in particles


ACHIEVED_WINDOW = 3


def in_quote(text: str, pos: int) -> bool:
    """True when `pos` lies inside quoted speech in its paragraph."""
    para = text[text.rfind("\n", 0, pos) + 1: pos]
    toggles = sum(para.count(q) for q in "„“”\"")  # „…“ „…” “…” "…"
    return (para.count("«") > para.count("»") or toggles % 2 == 1
            or para.lstrip().startswith(("- ", "– ", "— ")))


def _crosses(text: str, a: int, b: int) -> bool:
    return bool(BOUNDARY.search(text[min(a, b): max(a, b)]))


def in_relative(d: DateSpan, sent: Sentence, lexicon: Lexicon, text: str) -> bool:
    """True when the date stands in a relative clause ("who has lived there since 2022")."""
    inside = [i for i, t in enumerate(sent.tokens) if t.start >= d.doc_start]
    if not inside:
        return False
    lo, _ = clause_bounds(inside[0], sent, text)
    return any_match(lexicon.patterns("relative"), sent.tokens[lo: lo + 1])


def hard_breaks(sent: Sentence, text: str, lexicon: Lexicon,
                then: bool = True) -> list[int]:
    """Character offsets where a clause of its own begins: ";", "but", "and then" (unless
    `then` is False), or a comma before a conjunction (", and", ", iar"). A plain "and" joins
    verbs of one clause."""
    tokens = sent.tokens
    out = [sent.start + m.start() for m in re.finditer(r";", sent.text)]
    words = lexicon.patterns("contrast") + (lexicon.patterns("then_words") if then else [])
    out += [tokens[m.first].start for m in find_all(words, tokens)]
    then_at = {tokens[m.first].start for m in find_all(lexicon.patterns("then_words"), tokens)}
    for m in find_all(lexicon.patterns("clause_words"), tokens):
        at = tokens[m.first].start
        if (m.first > 0 and "," in text[tokens[m.first - 1].end: at]
                and (then or at not in then_at)):
            out.append(at)
    return sorted(out)


def _segment(pos: int, breaks: list[int]) -> int:
    return sum(1 for b in breaks if b <= pos)


def assign_dates(triggers: list[Trigger], sent: Sentence, dates: list[DateSpan],
                 text: str, lexicon: Lexicon) -> dict[int, DateSpan]:
    """Trigger index -> date in the sentence.

    1. Each trigger takes the nearest date of its own clause (clauses end at "but", "and then",
       ";" or a comma before a conjunction), one that follows the trigger first; a date across
       a comma only before the trigger ("At the end of February, X approved ...") and when no
       other trigger shares its comma-clause. Each date goes to one trigger while others remain.
    2. A trigger left without one shares a date another trigger took: a following date with no
       comma between ("detained and questioned on Monday"); a preceding one that opens the
       sentence ("On Saturday X was questioned and then refused entry"), or one that neither a
       comma nor "and"/"but" separates from the trigger. Never to a request the owner nests
       ("approved a request for his extradition").
    3. Still none: a date no trigger took after a colon that explains the trigger's clause
       ("X could not be extradited: the court on Tuesday overturned the ruling").
    """
    inside = [d for d in dates if d.doc_start >= sent.start and d.doc_end <= sent.end
              and d.precision != "unknown" and not other_fact_date(d, sent, lexicon)]
    if not inside or not triggers:
        return {}
    breaks = hard_breaks(sent, text, lexicon)
    # distance from the trigger's head word: "X on 3 March overturned [...] the February ruling"
    spans = [(sent.tokens[t.first].start, sent.tokens[t.first].end) for t in triggers]
    pairs = []
    for k, (t_start, t_end) in enumerate(spans):
        for j, d in enumerate(inside):
            if _segment(t_start, breaks) != _segment(d.doc_start, breaks):
                continue  # "detained on 18 May but released two days later"
            if not_its_date(triggers[k], d, t_start, sent, text, lexicon):
                continue
            before = d.doc_end <= t_start
            gap = t_start - d.doc_end if before else max(0, d.doc_start - t_end)
            crossing = _crosses(text, d.doc_end, t_start) if before else _crosses(
                text, t_end, d.doc_start)
            owned = crossing and any(
                not _crosses(text, min(d.doc_start, o_start), max(d.doc_end, o_end))
                for i, (o_start, o_end) in enumerate(spans) if i != k
            )
            between = text[t_end: d.doc_start]
            if (crossing and not before and not owned and gap <= NEAR_AFTER
                    and not _crosses(text, d.doc_start, d.doc_end)
                    and not BOUNDARY.search(between.replace(",", "", 1))):
                crossing = False  # "detained on Tuesday, 10 February"
            if crossing and (not before or owned or in_relative(d, sent, lexicon, text)
                             or not _opens(d, sent, text)):
                continue  # "X, who has lived there since 2022, was released"; "X, convicted in
                #           2010, was freed": across a comma only a date that opens the sentence
            pairs.append((crossing, 1 if before else 0, gap, k, j))
    pairs.sort()
    out: dict[int, DateSpan] = {}
    used: dict[int, int] = {}
    for *_, k, j in pairs:
        if k not in out and j not in used:
            out[k] = inside[j]
            used[j] = k
    for k in range(len(spans)):
        if k not in out:
            shared = _shared_date(k, triggers, spans, inside, used, sent, text, lexicon)
            if shared is not None:
                out[k] = shared
    for k, (_, t_end) in enumerate(spans):
        free = [d for j, d in enumerate(inside) if j not in used and d.doc_start >= t_end
                and _colon_elaborates(text[t_end: d.doc_start])
                and not not_its_date(triggers[k], d, spans[k][0], sent, text, lexicon)
                and not any(t_end <= o < d.doc_start for o, _ in spans)]
        if k not in out and free:
            out[k] = free[0]  # "failed to have X extradited: the court on Tuesday overturned"
    return out


SEGMENT_LEAD = 1  # words between a comma and the date of its own segment: ", in 2010,"


def _opens(d: DateSpan, sent: Sentence, text: str) -> bool:
    """True when a date before a comma is the time of what follows it: it opens the sentence
    (no boundary before it), or it opens a segment of its own, an apposition ("Суд у вівторок,
    3 березня, відхилив ..."). Not a date inside a modifier ("X, convicted in 2010, was
    freed"; "Законите, приети през 90-те години ..., забраняват")."""
    prefix = text[sent.start: d.doc_start]
    marks = list(BOUNDARY.finditer(prefix))
    if not marks:
        return True
    lead = [t for t in sent.tokens if sent.start + marks[-1].end() <= t.start
            and t.end <= d.doc_start]
    return len(lead) <= SEGMENT_LEAD


STATE_TYPES = ("detention", "arrest", "flight")  # what lasts from a date on: held, hiding


def not_its_date(trigger: Trigger, d: DateSpan, t_start: int, sent: Sentence, text: str,
                 lexicon: Lexicon) -> bool:
    """True when a date of the trigger's clause tells something else than when its event
    happened: a "since" date, the beginning of a state ("в СИЗО с марта прошлого года,
    после чего его депортируют"), for anything but a detention, arrest or flight; or the
    date of a report that tells of the event ("On 3 May the ministry announced the end
    of the inquiry into a man charged with ..."): a speech verb between the date and the trigger,
    with no comma between the date and that verb ("22 March, as the police said, X was
    detained" keeps it)."""
    if (trigger.type.partition(":")[0] not in STATE_TYPES
            and date_stage.starts_state(text, d, lexicon.language)):
        return True
    if d.doc_end > t_start:
        return False
    speech = [sent.tokens[m.first] for m in find_all(lexicon.patterns("speech"), sent.tokens)]
    return any(d.doc_end <= t.start and t.end <= t_start and "," not in text[d.doc_end: t.start]
               for t in speech)


OTHER_FACT_WINDOW = 3  # tokens: "в двойном убийстве в 2012 году", "1993 года рождения"


def other_fact_date(d: DateSpan, sent: Sentence, lexicon: Lexicon) -> bool:
    """True when a date dates another fact than an event: a birth ("1993 года рождения",
    "родился в 1991 году") or the crime it stands after ("оправдан по обвинению в убийстве в
    2012 году", "за убийство, совершённое в 2013 году"). Such a date is no event's date."""
    tokens = sent.tokens
    first = next((i for i, t in enumerate(tokens) if t.start >= d.doc_start), None)
    if first is None:
        return False
    last = max((i for i, t in enumerate(tokens) if t.end <= d.doc_end), default=first)
    before = tokens[max(0, first - OTHER_FACT_WINDOW): first]
    after = tokens[last + 1: last + 3]
    return (any_match(lexicon.patterns("birth_after_date"), after)
            or any_match(lexicon.patterns("birth_before_date"), before)
            or any_match(lexicon.patterns("crime_before_date"), before))


def _colon_elaborates(between: str) -> bool:
    """True when a colon, and no other boundary, separates a trigger from a later date."""
    marks = BOUNDARY.findall(between)
    return bool(marks) and all(m == ":" for m in marks)


def _shared_date(k: int, triggers: list[Trigger], spans: list[tuple[int, int]],
                 inside: list[DateSpan], used: dict[int, int], sent: Sentence, text: str,
                 lexicon: Lexicon) -> DateSpan | None:
    """A date taken by another trigger that trigger k shares (step 2 of assign_dates)."""
    t_start, t_end = spans[k]
    first_trigger = min(s for s, _ in spans)
    breaks = hard_breaks(sent, text, lexicon, then=False)  # "and then" keeps the time
    joins = lexicon.patterns("clause_words") + lexicon.patterns("contrast")
    nested = common()["keep_inside"]
    best: tuple[int, DateSpan] | None = None
    for j, owner in used.items():
        d = inside[j]
        if triggers[k].type in nested.get(triggers[owner].type, ()):
            continue  # "approved a request for his extradition": the request is older
        if not_its_date(triggers[k], d, t_start, sent, text, lexicon):
            continue
        if d.doc_start >= t_end:
            if _crosses(text, t_end, d.doc_start):
                continue
            gap = d.doc_start - t_end
        else:
            opens = d.doc_end <= first_trigger and not in_relative(d, sent, lexicon, text)
            gap_tokens = [t for t in sent.tokens if d.doc_end <= t.start and t.end <= t_start]
            if _segment(d.doc_start, breaks) != _segment(t_start, breaks):
                continue
            if not opens and (any_match(joins, gap_tokens) or _crosses(text, d.doc_end, t_start)):
                continue
            gap = t_start - d.doc_end
        if best is None or gap < best[0]:
            best = (gap, d)
    return best[1] if best else None


def country_codes(tokens: list[Token], lexicon: Lexicon, table: str) -> list[tuple[str, int]]:
    """(ISO code, token index) for every country name/adjective in `tokens`."""
    return [(code, m.first) for code, m in find_labelled(lexicon.tables[table], tokens)]


def document_countries(sentences: list[Sentence], lexicon: Lexicon) -> DocCountries:
    """The document's fallbacks for events whose own sentence names no state."""
    nationals: dict[str, int] = {}
    named: dict[str, int] = {}
    acting: dict[str, int] = {}
    asking: dict[str, int] = {}
    removal = set(common()["place_types"]["removal"])
    transnational = False
    for sent in sentences:
        for code, _ in country_codes(sent.tokens, lexicon, "nationals"):
            nationals[code] = nationals.get(code, 0) + 1
        places = sentence_places(sent, [], lexicon)
        if places:  # the triggers only where a country is named: a removal's destination
            triggers = find_triggers(sent.tokens, lexicon)
            transnational |= any(t.type.partition(":")[0] in removal for t in triggers)
            places = sentence_places(sent, triggers, lexicon)
        for p in places:
            named[p.code] = named.get(p.code, 0) + 1
            if p.role in ("in", "authority"):
                acting[p.code] = acting.get(p.code, 0) + 1
            if p.role == "request" or p.removal:
                asking[p.code] = asking.get(p.code, 0) + 1
            transnational |= p.role == "from"  # "эмигранты из России", "fled Russia"
    nationality = _only(nationals)
    requester = _most(asking)
    others = {k: v for k, v in named.items() if k not in (nationality, requester)}
    return DocCountries(nationality, _most(acting) or _most(others), requester, transnational)


@dataclass
class DocCountries:
    nationality: str | None  # the one nationality the document names
    place: str | None  # where its events take place: the state most often acting or named
    #                    as a location ("в Бишкеке", "суд Кыргызстана"), else most named
    requester: str | None  # the state most often asking for people or receiving them
    transnational: bool = False  # a removal is told of, or someone came from a state


def _most(scores: dict[str, int]) -> str | None:
    """The key with the strictly highest score, else None."""
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


def _only(scores: dict[str, int]) -> str | None:
    """The one nationality the document names (a fallback origin for every event in it); None
    when it names several: "российские СМИ" beside an American detained in Russia says nothing
    about whose national the subject is, and a wrong country is worse than none."""
    return next(iter(scores)) if len(scores) == 1 else None


def is_country(mention: Mention, lexicon: Lexicon) -> bool:
    tokens = tokenize(mention.text, mention.start, lexicon)
    return bool(country_codes(tokens, lexicon, "countries"))


def names_country(mention: Mention, lexicon: Lexicon) -> bool:
    """A location that is a country: in the lexicon's table or a territory of the gazetteer
    (which knows every country's name, where the lexicon lists the region's)."""
    place = gazetteer.lookup(mention.base)
    return is_country(mention, lexicon) or (place is not None and place.source == "territory")


def nearest_place(t_start: int, t_end: int, places: list[Mention]) -> Mention | None:
    """The location nearest the trigger; one just after it ("detained in X") is preferred."""
    if not places:
        return None

    def distance(m: Mention) -> int:
        if m.end <= t_start:
            return t_start - m.end + PLACE_AFTER_BONUS
        return max(0, m.start - t_end)

    return min(places, key=distance)


PLACE_AFTER_BONUS = 6


def agents_text(sent: Sentence, lexicon: Lexicon) -> list[str]:
    return sorted({name for name, _ in find_labelled(lexicon.tables["agents"], sent.tokens)})


def subject_origin(span: tuple[int, int] | None, sent: Sentence, lexicon: Lexicon) -> str | None:
    """A nationality word just before the name ("Belarusian journalist X") gives the origin."""
    if span is None:
        return None
    window = sent.tokens[max(0, span[0] - 4): span[0]]
    codes = [code for code, _ in country_codes(window, lexicon, "countries")]
    return codes[-1] if codes else None


# ---- countries of an event ---------------------------------------------------------------


@dataclass
class Place:
    """A country named in a sentence and what the words around it make of it."""

    code: str
    at: int  # token index
    role: str  # request | to | from | in | authority | named
    removal: bool = False  # a destination right after a removal ("экстрадирован в США")


DIRECTION_AFTER = 4  # tokens: "экстрадирован в США", "deported back to Russia"
CUE_BEFORE = 3  # tokens: "по запросу властей России", "at the request of Russia"
AUTHORITY_NEAR = 2  # tokens: "суд Пакистана", "Верховный суд Пакистана", "пакистанский суд"


def sentence_places(sent: Sentence, triggers: list[Trigger], lexicon: Lexicon) -> list[Place]:
    """Every country of the sentence with its role: the state that asks for the person
    ("по запросу России", "on a Russian warrant"), a destination ("экстрадирован в США"), a
    source ("бежал из России"), a location ("задержан в Испании"), the state of an authority
    ("суд Пакистана", "американские власти", "ФБР"), or only named."""
    tokens = sent.tokens
    authorities = [m for _, m in find_labelled(lexicon.tables.get("agents", {}), tokens)]
    authorities += find_all(lexicon.patterns("state_nouns"), tokens)
    cues = lexicon.patterns("request_cues")
    moving = set(common()["place_types"]["removal"] + common()["place_types"]["flight"])
    moving -= set(common()["requesting_types"])  # "по запросу ФБР в Испании": no one moved
    moves = [t.last for t in triggers if t.type.partition(":")[0] in moving]
    removals = [t.last for t in triggers
                if t.type.partition(":")[0] in moving - set(common()["place_types"]["flight"])]
    found = [(code, i, False) for code, i in country_codes(tokens, lexicon, "countries")]
    found += [(code, m.first, False) for code, m in find_labelled(cities(lexicon), tokens)]
    found += [(code, m.first, True) for code, m in find_labelled(agencies(lexicon), tokens)]
    out = []
    for code, i, agency in sorted(found, key=lambda f: f[1]):
        prev = tokens[i - 1] if i > 0 else None
        role = "authority" if agency else "named"
        if prev is not None and any_match(lexicon.patterns("from_prepositions"), [prev]):
            role = "from"
        elif prev is not None and any_match(lexicon.patterns("in_prepositions"), [prev]):
            case = _direction(tokens[i], lexicon)
            moved = any(0 < i - last <= DIRECTION_AFTER for last in moves)
            role = case or ("to" if moved else "in")
        elif prev is not None and any_match(lexicon.patterns("destination"), [prev]):
            role = "to"
        elif (any_match(cues, tokens[max(0, i - CUE_BEFORE): i])
              or any_match(cues, tokens[i + 1: i + 3])):
            role = "request"
        elif any(0 < i - m.last <= AUTHORITY_NEAR or 0 < m.first - i <= AUTHORITY_NEAR
                 for m in authorities):
            role = "authority"
        sent_to = role == "to" and any(0 < i - last <= DIRECTION_AFTER for last in removals)
        out.append(Place(code, i, role, sent_to))
    return out


@cache
def _code_table(language: str, key: str) -> dict[str, list[Pattern]]:
    lexicon = load_lexicon(language)
    raw = lexicon.raw.get(key, {}) if lexicon else {}
    return {code: compile_patterns(entries) for code, entries in raw.items()}


def agencies(lexicon: Lexicon) -> dict[str, list[Pattern]]:
    """A state's own agencies ("ФБР", "ФСБ"): code -> patterns."""
    return _code_table(lexicon.language, "agencies")


def cities(lexicon: Lexicon) -> dict[str, list[Pattern]]:
    """Capitals and a few big cities ("в Бишкеке"): code -> patterns. Kept apart from the
    country names, so that a city stays the event's place (is_country)."""
    return _code_table(lexicon.language, "cities")


def _direction(token: Token, lexicon: Lexicon) -> str | None:
    """ru/uk: after "в"/"на" a country in the accusative is a destination ("в Россию"), one
    that cannot be accusative a location ("в Испании"); None where the form does not tell
    ("в США") or the language has no case reading."""
    if lexicon.lemmatizer != "pymorphy3":
        return None
    from dossier.events.lexicon import _morph

    cases = {p.tag.case for p in _morph(lexicon.language).parse(token.text.lower())[:3]
             if p.tag.POS == "NOUN"}
    if not cases or len(cases) > 2:
        return None  # indeclinable: every case
    if cases == {"accs"}:
        return "to"
    return "in" if "accs" not in cases else None


def event_countries(event_type: str, trig: Trigger, places: list[Place],
                    nationality: str | None,
                    fallback: DocCountries) -> tuple[str | None, str | None]:
    """(origin, host) of one event. Origin is the state that persecutes or asks for the
    person, host the state where it happens or that holds the person (GUIDELINES of the
    real-news gold). A removal's origin is the state it is made to or that asks for it, its
    host where the person is; a flight's origin is where the person fled from; a court,
    police or authorities of a state are that state's acts (origin and host at home). The
    nationality word before the name is the origin only where nothing better is said: a
    Russian sentenced in the United States is prosecuted by the United States."""
    kinds = common()["place_types"]

    def nearest(*roles: str) -> str | None:
        found = [p for p in places if p.role in roles]
        if not found:
            return None
        return min(found, key=lambda p: (abs(p.at - trig.first), p.at)).code

    request = nearest("request")
    state, asks_doc = fallback.place, fallback.requester
    nation = fallback.nationality
    if event_type in kinds["flight"] + kinds["refuge"]:
        host = (nearest("to", "in") if event_type in kinds["flight"]
                else nearest("in", "to", "authority"))
        home = state if state != host else None  # "asked the UK for asylum": not from the UK
        origin = nearest("from") or nationality or nation or home
    elif event_type in kinds["removal"]:
        asks = nearest("authority") if event_type in common()["requesting_types"] else None
        origin = request or nearest("to") or asks or asks_doc or nationality or nation or state
        host = nearest("in") or (None if asks else nearest("authority"))
    else:
        # at home the acting state persecutes, unless another state asks for the person, in
        # this sentence or in the document ("задержан в Бишкеке по запросу России")
        acting = nearest("in", "authority")
        # in a story of removals the person's own state is the one after them ("российский
        # блогер задержан в Бишкеке"); elsewhere a nationality says nothing of who prosecutes
        own = (nationality or nation) if fallback.transnational else None
        origin = (request or nearest("to") or asks_doc or own or acting or state
                  or nationality or nation)
        return origin, acting or state
    return origin, host


def event_agents(orgs: list[Mention]) -> list[str]:
    """The organisations of the sentence that may have acted: not a news outlet (it reports),
    not an airport or a station (a place), not a lower-case word (a verb or noun the names
    stage took for an organisation)."""
    out = []
    for o in orgs:
        words = o.text.lower().split()
        if not o.text[:1].isupper() or _is_outlet(o):
            continue
        if any(w.startswith(tuple(common()["non_agent_words"])) for w in words):
            continue
        out.append(o.id)
    return out


@cache
def _outlet_forms() -> frozenset[str]:
    from dossier.entities.resources import outlets

    return frozenset(f.lower() for o in outlets() for f in [o["name"], *o["forms"]])


def _is_outlet(mention: Mention) -> bool:
    forms = _outlet_forms()
    return mention.text.lower() in forms or mention.base.lower() in forms


# ---- the stage ---------------------------------------------------------------------------


def find_events(doc: Document, mentions: list[Mention],
                dates: list[DateSpan]) -> list[EventMention]:
    lexicon = load_lexicon(doc.language)
    if lexicon is None or not doc.text:
        return []
    protected = [(d.doc_start, d.doc_end) for d in dates if d.doc_start >= 0]
    protected += [(m.start, m.end) for m in mentions]
    sentences = split_sentences(doc.text, lexicon, protected)
    countries = document_countries(sentences, lexicon)
    carry = Carry()
    if agreement.active(lexicon):
        carry.genders = agreement.person_genders(mentions, lexicon, doc.text)
    events: list[EventMention] = []
    waiting: list[EventMention] = []  # events of a role noun, until a sentence names someone
    waiting_since = -1
    scene: DateSpan | None = None  # the date an event-less sentence opens with (scene_date)
    for sent in sentences:
        found = _sentence_events(doc, sent, mentions, dates, lexicon, carry, countries,
                                 len(events))
        if not sent.text.strip():
            continue  # a blank line between the lead and the sentence that names someone
        if waiting and carry.named_sentence == sent.index:
            events = _name_forward(events, waiting, carry, sent.index)
            waiting = []
        elif waiting and sent.index - waiting_since > FORWARD_SENTENCES:
            events = [e for e in events if e not in waiting]
            waiting = []
        if not found:
            date_decision(events, sent, dates, doc, lexicon)
            date_report(events, sent, dates, doc, lexicon)
        date_scene(found, scene, sent, doc, lexicon)
        scene = None if found else scene_date(sent, dates, doc, lexicon)
        events.extend(found)
        if any(e.subject == FORWARD for e in found):
            waiting = [e for e in found if e.subject == FORWARD]
            waiting_since = sent.index
    events = [e for e in events if e.subject != FORWARD]
    events = reinterpret_removals(events, mentions)
    for n, event in enumerate(events):
        event.id = f"{doc.id}:e{n}"
    return events


def date_decision(events: list[EventMention], sent: Sentence, dates: list[DateSpan],
                  doc: Document, lexicon: Lexicon) -> None:
    """A sentence with no event that dates "the decision" ("The decision was taken in late
    May") dates the latest undated decision before it (an approved extradition, a refused
    asylum) in the same document."""
    if not any_match(lexicon.patterns("decision_nouns"), sent.tokens):
        return
    inside = [d for d in dates if d.doc_start >= sent.start and d.doc_end <= sent.end
              and d.precision != "unknown"]
    if len(inside) != 1 or (doc.published and (inside[0].start or "") > doc.published):
        return
    for e in reversed(events):
        if e.type in common()["decision_types"] and e.status == "occurred":
            if e.date.precision == "unknown":
                e.date = inside[0]
            return


REPORT_START = 3  # tokens: "Об этом говорится ...", "Про це повідомили ..."


def date_report(events: list[EventMention], sent: Sentence, dates: list[DateSpan],
                doc: Document, lexicon: Lexicon) -> None:
    """A sentence with no event that reports the one just before it and dates the report
    ("Путин помиловал X. Об этом говорится в указе, опубликованном 29 января 2020 года.")
    dates the undated events of that sentence that have happened: the report is told as the
    news of its day. Only one date of a day, month or part of one, and not after the
    article's date."""
    if not any_match(lexicon.patterns("report_back"), sent.tokens[:REPORT_START]):
        return
    inside = [d for d in dates if d.doc_start >= sent.start and d.doc_end <= sent.end
              and d.precision in ("day", "part_of_month", "month")]
    if len(inside) != 1 or (doc.published and (inside[0].start or "") > doc.published):
        return
    for e in events:
        if (doc.text[e.evidence.end: sent.start].strip(" \t") == "" and e.status == "occurred"
                and e.date.precision == "unknown"):
            e.date = inside[0]


SCENE_START = 2  # tokens before the date: "У 2011 році ...", "Ещё в 2010 году ..."
SCENE_PRECISIONS = ("year", "month", "part_of_month", "range")


def scene_date(sent: Sentence, dates: list[DateSpan], doc: Document,
               lexicon: Lexicon) -> DateSpan | None:
    """The one date a sentence with no event opens with ("У 2011 році він жив у Харкові
    ..."): it sets the time of the story the next sentence goes on telling. A year, month or
    part of one (a day may have passed by the next sentence); not a birth or a crime date, not
    after the article's date."""
    inside = [d for d in dates if d.doc_start >= sent.start and d.doc_end <= sent.end
              and d.precision != "unknown"]
    if len(inside) != 1 or inside[0].precision not in SCENE_PRECISIONS:
        return None
    d = inside[0]
    before = [t for t in sent.tokens if t.end <= d.doc_start]
    if (len(before) > SCENE_START or other_fact_date(d, sent, lexicon)
            or date_stage.starts_state(doc.text, d, lexicon.language)  # "od 2019 roku mieszka"
            or (doc.published and (d.start or "") > doc.published)):
        return None
    return d


def date_scene(found: list[EventMention], scene: DateSpan | None, sent: Sentence,
               doc: Document, lexicon: Lexicon) -> None:
    """The undated events that happened in the sentence right after a scene date (scene_date)
    in the same paragraph take it: "У 2011 році він жив у Харкові. Там його затримали та
    звинуватили в шахрайстві." Not when the sentence says it came later."""
    if (scene is None or "\n" in doc.text[scene.doc_end: sent.start]
            or any_match(lexicon.patterns("later"), sent.tokens)):
        return
    for e in found:
        if e.status == "occurred" and e.date.precision == "unknown":
            e.date = scene


def reinterpret_removals(events: list[EventMention], mentions: list[Mention]) -> list[EventMention]:
    """A possible removal ("may be handed over") of someone in extradition proceedings is a
    pending extradition."""
    c = common()
    base = {m.id: (m.base.lower().split() or [""])[-1] for m in mentions}  # the surname
    in_proceedings = {base.get(e.subject, e.subject) for e in events
                      if e.subject and e.type in c["extradition_context"]
                      and e.status != "possible"}
    for e in events:
        if e.type == "extradition" and e.status == "possible":
            e.status = "pending"  # "faces extradition"
        if (e.subject and e.type in c["removal_types"] and e.status == "possible"
                and base.get(e.subject, e.subject) in in_proceedings):
            e.type, e.status = "extradition", "pending"
    return events


def _sentence_events(doc: Document, sent: Sentence, mentions: list[Mention],
                     dates: list[DateSpan], lexicon: Lexicon, carry: Carry,
                     countries: DocCountries, n0: int) -> list[EventMention]:
    inside = [m for m in mentions if m.start >= sent.start and m.end <= sent.end]
    orgs = [m for m in inside if m.type == "organization"]
    located = [(span[0], m) for m in inside
               if m.type == "location" and (span := token_span(m, sent.tokens))]
    triggers = [
        t for t in find_triggers(sent.tokens, lexicon, located)
        if not any(o.start <= sent.tokens[t.first].start < o.end for o in orgs)
    ]
    trigger_tokens = {i for t in triggers for i in t.match.hits}
    people = []
    spans: dict[str, tuple[int, int]] = {}
    for m in sorted((m for m in inside if m.type == "person"), key=lambda m: m.start):
        span = token_span(m, sent.tokens)
        if span and is_candidate(m, span, sent, doc, lexicon, trigger_tokens):
            people.append((m, span))
            spans[m.id] = span
    places = [m for m in inside if m.type == "location" and not is_country(m, lexicon)]
    carried_ok = sent.index - carry.sentence <= common()["carry_sentences"] and carry.subjects
    singular = any_match(lexicon.patterns("pronouns_singular"), sent.tokens)
    anaphor = not inside_people(inside) and any_match(lexicon.patterns("descriptors"),
                                                      sent.tokens)  # "The blogger was ..."
    plural = any_match(lexicon.patterns("pronouns_plural"), sent.tokens)
    pronoun = singular or plural
    subjectless = any_match(lexicon.patterns("subjectless"), sent.tokens) or (
        lexicon.flag("pro_drop") and sent.index - carry.sentence <= PRO_DROP_SENTENCES)
    continues = any_match(lexicon.patterns("continuation"), sent.tokens[:3])
    charges = find_charge(sent.tokens, lexicon)
    persons_here = [m for m in inside if m.type == "person"]
    # a lawyer (named in full, not a subject) acts for the person in the news
    nouns = (lexicon.patterns("group_nouns") + lexicon.patterns("descriptors")
             + lexicon.patterns("non_subject_roles"))
    for_client = not people and any(
        not all(any_match(nouns, [t]) for t in tokenize(m.text, m.start, lexicon))
        for m in persons_here)
    agents = agents_text(sent, lexicon)
    dated = assign_dates(triggers, sent, dates, doc.text, lexicon)
    places_named = sentence_places(sent, triggers, lexicon)
    date_spans = [(d.doc_start, d.doc_end) for d in dates if d.doc_start >= 0]
    out: list[EventMention] = []
    parsed: dict[str, list[syntax.Word]] = {}
    seen: set[tuple[str, str]] = set()
    last_subjects: list[str] = []
    sentence_date: DateSpan | None = None
    no_one: list[tuple[str, int]] = []  # (type, token) of triggers whose subject names no one
    for k, trig in enumerate(triggers):
        prev_last = triggers[k - 1].last if k > 0 else -1
        next_first = triggers[k + 1].first if k + 1 < len(triggers) else len(sent.tokens)
        event_type, _, fixed = trig.type.partition(":")  # "extradition:blocked" fixes the status
        status = status_of(trig, prev_last, next_first, sent, lexicon, doc.text, date_spans)
        if fixed and status is not None:
            # "acquitted" is blocked whatever cue stands by ("overturned a ruling that would
            # have allowed the extradition"), but a denied one ("не оправдал") or one only
            # wanted ("требуют снять обвинения") is no fact at all
            status = None if _unrealised(trig, sent.tokens, lexicon) else fixed
        if status is None:
            continue
        if event_type == "sentence" and not _counted_years(trig, sent, lexicon):
            continue  # "in previous years ... long prison terms" is no term
        if status == "occurred" and any_match(lexicon.patterns("goal_before_trigger"),
                                              sent.tokens[max(0, trig.first - 2): trig.first]):
            status = "possible"  # "требуют освобождения X", "условие для освобождения X": a goal
        if status == "blocked":
            event_type = common()["blocked_type"].get(event_type, event_type)
        subjects: list[str | None] = []
        read = _syntactic(trig, event_type, sent, inside, lexicon, trigger_tokens, parsed)
        form = role = None
        if read is None:
            allowed = people
            if agreement.active(lexicon):
                form = agreement.trigger_form(trig.first, sent.tokens, lexicon)
                role = "agent" if event_type in common()["agent_types"] else "patient"
                everyone = [(m, s) for m in persons_here
                            if (s := token_span(m, sent.tokens)) is not None]
                if agreement.names_no_one(people, everyone, trig.first, trig.last, form, role,
                                          carry.genders, sent.tokens, doc.text, lexicon):
                    no_one.append((event_type, trig.last))
                    continue  # "osvobodil křesťanku", "допомогти родині виїхати"
                if any(t == event_type and agreement.same_clause(at, trig.first, sent.tokens,
                                                                 doc.text)
                       for t, at in no_one):
                    continue  # "která byla odsouzena k trestu smrti": the verb said no one
                allowed = agreement.eligible(people, everyone, trig.first, trig.last, form,
                                             role, carry.genders, sent.tokens, doc.text,
                                             lexicon)
            named = [m.id for m in pick_subjects(trig, allowed, sent, lexicon, trigger_tokens)]
            if not named and form is not None and event_type in common()["self_acting_types"]:
                named = [m.id for m in agreement.acting(everyone, trig.first, form,
                                                        carry.genders, sent.tokens, doc.text,
                                                        lexicon)]
        elif read.verdict == "named":
            named = [m.id for m in read.names]
        elif read.verdict == "pronoun" and carried_ok and _plural_for_one(read, carry):
            continue  # "Они были арестованы" after one named person: others, not named here
        elif read.verdict == "pronoun" and (other := _speaker_carried(
                carry.subjects if carried_ok else [carry.sole or ""], persons_here, people,
                sent.tokens[trig.first].start, mentions)):
            named = other  # "Эрдоган заявил, что дело Бакрауи ... после того, как он был
            #                депортирован": the speaker speaks of the one named beside him
        elif read.verdict == "pronoun" and carried_ok:
            named = list(carry.subjects)  # "его задержали": the last named subject
        elif read.verdict == "pronoun" and (sole := _sole_referent(read, carry, mentions)):
            named = [sole]  # "Ему грозит до 20 лет" many sentences after the only name
        else:
            # a role noun ("журналиста освободили") names someone only as role_referent
            # allows; someone not named here ("her husband applied") or no reading: guessing
            # the article's person was wrong more often than right on the development news
            named = role_referent(read, sent, lexicon, carry) if read.verdict == "other" else []
            roles = _role_words(read, sent, lexicon) if read.verdict == "other" else []
            if not named and roles and not carry.anyone_named:
                named = [FORWARD]  # "ФБР арестовало бывшего морского пехотинца." before any name
                carry.forward_gender = _role_gender(*roles[0], lexicon)
            if not named:
                continue
        group = None if named else find_group(sent, doc, lexicon)
        if group and pronoun and not _group_first(group, sent, lexicon):
            group = None  # "X was detained; his extradition ..."
        if event_type in common()["accusation_types"] and (
                _accuser_before(trig, [p for p in people if p[0].id not in named], sent,
                                doc.text)  # the parse's patient ("против X возбудили") no accuser
                or (read is None and not agents
                    and _one_accuser(sent.tokens[trig.first], lexicon))):
            continue  # "Trump accused Biden ...": a reproach between people, no criminal charge
        if event_type in common()["accusation_types"] and any_match(
                lexicon.patterns("media_accusers"),
                sent.tokens[max(0, trig.first - MEDIA_BEFORE): trig.first]):
            continue  # "британские СМИ обвинили её": the press accuses; no one charged her
        kin = not named and _kin_before(trig, sent, doc.text, lexicon)
        if named:
            subjects = list(named)
        elif kin:
            continue  # "Njena družina je zapustila Pakistan": her family left, not she
        elif carried_ok and (pronoun or (group is None and (anaphor or subjectless
                                                             or for_client))
                             or (form is not None and role is not None and agreement.pro_drop(
                                 carry.subjects, form, role, carry.genders))):
            if any_match(lexicon.patterns("plural_triggers"),
                         sent.tokens[trig.first: trig.last + 1]):
                continue  # "further detentions may follow": no one in particular
            subjects = list(carry.subjects if plural or len(carry.subjects) == 1
                            else carry.subjects[-1:])
            if form is not None and role is not None:
                subjects = agreement.carried(subjects, trig.first, form, role, carry.genders,
                                             sent.tokens, lexicon)  # "jej uwolnienia"
                if not subjects:
                    continue
        elif (singular and not plural and not persons_here and carry.only_person()
              and (form is None or agreement.carried([carry.only_person()], trig.first, form,
                                                     role or "patient", carry.genders,
                                                     sent.tokens, lexicon))):
            subjects = [carry.only_person()]  # "he" far after the one name of the text
        else:
            group = group or find_group(sent, doc, lexicon)
            if group is None:
                continue
            subjects = [None]
        date = dated.get(k)
        if any_match(lexicon.patterns("purpose_before_trigger"),
                     sent.tokens[max(0, trig.first - 3): trig.first]):
            date = None  # "за освобождение Иссахар Израиль 30 декабря отдал ...": the date is
            #              the deal's; the release it was for came later
        earlier = find_all(lexicon.patterns("earlier_before_trigger"),
                           sent.tokens[max(0, trig.first - 2): trig.first])
        if (date is not None and earlier and date.doc_end
                <= sent.tokens[max(0, trig.first - 2) + earlier[0].first].start):
            date = None  # "в феврале 2012 года признал вину по первоначально предъявленным ему
            #              пунктам обвинения": the charge is older than the sentence's date
        if status == "possible" and event_type not in common()["dated_when_possible"]:
            date = None  # what may happen has no date; "may be handed over within weeks" has
        after = sent.tokens[trig.last + 1: trig.last + 7]
        if (date is not None and date.doc_end <= sent.tokens[trig.first].start
                and any_match(lexicon.patterns("later"), after)
                and _later_in_clause(trig, sent, doc.text, lexicon)):
            date = None  # "detained on 18 February and released two days later"
        if (date is not None and event_type in common()["no_future_date_types"]
                and doc.published and (date.start or "") > doc.published):
            date = None  # "the court will hear the appeal on 12 March": not when it was lodged
        if (date is None and status != "possible" and carry.date is not None
                and sent.index - carry.date_sentence == 1
                and "\n" not in doc.text[carry.date_end: sent.start]
                and not _later_in_clause(trig, sent, doc.text, lexicon)
                and surnames(carry.subjects, mentions) & surnames(subjects, mentions)
                and (continues or event_type in common()["inherit_date_types"])):
            date = carry.date
        attributes: dict[str, Any] = {"_published": doc.published}
        if (date is not None and doc.published_basis == "inferred"
                and not YEAR.search(date.text)):
            attributes["_year_uncertain"] = True  # "late January" of a guessed year
        charge = _nearest_charge(trig, charges)
        if charge and event_type in common()["subject_types_with_charge"]:
            attributes["charge"] = charge
        if event_type == "sentence":
            attributes.update(find_term(sent.tokens, lexicon, status, trig.first))
        if event_type == "detention" and any_match(lexicon.patterns("pretrial"), sent.tokens):
            attributes["pretrial"] = True
        if agents:
            attributes["agents_text"] = agents
        t_start = sent.tokens[trig.first].start
        t_end = sent.tokens[trig.last].end
        place = nearest_place(t_start, t_end, places)
        agent_ids = event_agents(orgs)
        trigger_text = doc.text[t_start:t_end]
        for subject in subjects:
            key = (event_type, subject or group or "")
            if key in seen:
                continue
            seen.add(key)
            origin, host = event_countries(event_type, trig, places_named,
                                           subject_origin(spans.get(subject or ""), sent,
                                                          lexicon), countries)
            out.append(EventMention(
                id=f"{doc.id}:e{n0 + len(out)}",
                document=doc.id,
                type=event_type,
                status=status,  # type: ignore[arg-type]
                subject=subject,
                group=group,
                agents=agent_ids,
                origin_country=origin,
                host_country=host,
                place=place.id if place else None,
                date=date or UNKNOWN_DATE,
                attributes=dict(attributes),
                evidence=Evidence(doc.id, sent.start, sent.end, sent.text),
                trigger=trigger_text,
            ))
        if subjects and subjects[0] is not None:
            last_subjects = [s for s in subjects if s and s != FORWARD]
            if event_type in common()["inherit_date_types"]:  # not from decisions or charges
                sentence_date = sentence_date or date
    remember_roles(people, sent, doc.text, lexicon, carry)
    carry.anyone_named = carry.anyone_named or bool(persons_here)
    if persons_here:
        carry.named_sentence = sent.index
    if persons_here:
        carry.named_surnames |= surnames([m.id for m in persons_here], mentions)
        carry.sole = persons_here[-1].id
    sentenced = {e.subject for e in out if e.type == "sentence" and e.status == "occurred"}
    out = [e for e in out if not (e.type == "charge" and e.subject in sentenced)]
    if last_subjects:
        carry.subjects, carry.sentence = last_subjects, sent.index
        carry.date, carry.date_sentence = sentence_date, sent.index
        carry.date_end = sent.end
    elif people:  # no event: the first person named is the sentence's subject
        first = pick_subjects(Trigger("", Match(-1, -1, None)),  # type: ignore[arg-type]
                              people, sent, lexicon, trigger_tokens)
        carry.subjects, carry.sentence = [m.id for m in first], sent.index
        carry.date = None
    return out


MEDIA_BEFORE = 3  # tokens: "Британские СМИ обвинили"
ROLE_BEFORE = 3  # tokens before a name that may hold its role noun ("бывший морской пехотинец")


def _role_of(token: Token, lexicon: Lexicon) -> str | None:
    """The role noun pattern ("журналист") a token is a form of, or None."""
    for p in lexicon.patterns("role_nouns"):
        if match_at(p, [token], 0) is not None:
            return p.source
    return None


def remember_roles(people: list[tuple[Mention, tuple[int, int]]], sent: Sentence, text: str,
                   lexicon: Lexicon, carry: Carry) -> None:
    """Note the eligible names of this sentence, and the role noun each was introduced with
    ("журналист Иван Петров", "Петров, журналист ..."), for role_referent."""
    tokens = sent.tokens
    ids: list[str] = []
    seen: set[str] = set()
    for m, (first, last) in people:
        key = (m.base.lower().split() or [""])[-1]
        if key not in seen:
            seen.add(key)
            ids.append(m.id)
        roles = [_role_of(t, lexicon) for t in tokens[max(0, first - ROLE_BEFORE): first]]
        if last + 1 < len(tokens) and text[m.end: tokens[last + 1].start].strip() == ",":
            roles.append(_role_of(tokens[last + 1], lexicon))
        for role in roles:
            if role:
                carry.introduced[role] = m.id
        carry.base[m.id] = m.base
    carry.people, carry.people_sentence = ids, sent.index


FORWARD = "?next"  # a role noun's event that the next sentence may name (see _name_forward)


def _name_forward(events: list[EventMention], waiting: list[EventMention], carry: Carry,
                  index: int) -> list[EventMention]:
    """A lead that tells the event of a role noun before anyone is named ("В Испании задержан
    российский программист.") and a next sentence that names one eligible person only ("По
    данным СМИ, 31-летний Станислав Лисов ..."): the events are that person's; else none."""
    if (carry.people_sentence == index and len(carry.people) == 1
            and not _clash(carry.forward_gender, carry.base.get(carry.people[0], ""))):
        for e in waiting:
            e.subject = carry.people[0]
        return events
    return [e for e in events if e not in waiting]


def _role_words(read: syntax.Result, sent: Sentence,
                lexicon: Lexicon) -> list[tuple[str, Token]]:
    """(role noun, token) for each noun of an "other" reading that names one person by a role
    ("журналиста", "бывшего морского пехотинца"); not a plural or a counted one ("оба
    гражданина", "двух журналистов")."""
    out = []
    for w in read.others:
        if w.feats.get("Number") == "Plur":
            continue
        at = next((i for i, t in enumerate(sent.tokens) if t.start == w.start), None)
        if at is None:
            continue
        token = sent.tokens[at]
        role = _role_of(token, lexicon)
        counted = sent.tokens[max(0, at - 3): at]
        if role is None or any(number_value(t, lexicon) is not None for t in counted) or any_match(
                lexicon.patterns("quantifiers") + lexicon.patterns("pronouns_plural"), counted):
            continue
        out.append((role, token))
    return out


def role_referent(read: syntax.Result, sent: Sentence, lexicon: Lexicon,
                  carry: Carry) -> list[str]:
    """The named person a role noun stands for ("ФБР арестовало бывшего морского пехотинца"):
    the one introduced earlier with the same role noun, else the only eligible name of the
    sentence just before (not for lawyers, officials and the like, who act for others).
    A plural ("журналистов") or any other noun names no one."""
    non_subject = lexicon.patterns("non_subject_roles")
    for role, token in _role_words(read, sent, lexicon):
        gender = _role_gender(role, token, lexicon)
        if role in carry.introduced:
            return [carry.introduced[role]]
        if (sent.index - carry.people_sentence == 1 and len(carry.people) == 1
                and not any_match(non_subject, [token])
                and not _clash(gender, carry.base.get(carry.people[0], ""))):
            return list(carry.people)
    return []


def _role_gender(role: str, token: Token, lexicon: Lexicon) -> str | None:
    """"femn" for a feminine role noun ("женщину", "журналистку"), "masc" for one said of men
    only ("мужчина"); None for the rest ("журналист" is said of women too)."""
    if role in {p.source for p in lexicon.patterns("male_only_roles")}:
        return "masc"
    if lexicon.lemmatizer != "pymorphy3":
        return None
    from dossier.events.lexicon import _morph

    tag = _morph(lexicon.language).parse(token.text.lower())[0].tag
    return "femn" if tag.gender == "femn" else None


def _sole_referent(read: syntax.Result, carry: Carry, mentions: list[Mention]) -> str | None:
    """The one person named so far, when the pronoun's gender does not exclude them."""
    sole = carry.only_person()
    if sole is None or not read.others:
        return None
    gender = {"Masc": "masc", "Fem": "femn"}.get(read.others[0].feats.get("Gender", ""))
    base = next((m.base for m in mentions if m.id == sole), "")
    return None if _clash(gender, base) else sole


def _clash(gender: str | None, base: str) -> bool:
    """True when a role noun's gender and the given name of `base` differ ("женщину" for
    Абдиазис Абдинур)."""
    if gender is None or not base.split():
        return False
    from dossier.events.lexicon import _morph

    parses = [p for p in _morph("ru").parse(base.split()[0])
              if "Name" in p.tag and "nomn" in p.tag and "sing" in p.tag]  # a base form
    return bool(parses) and all(p.tag.gender not in (gender, None) for p in parses)


def _accuser_before(trig: Trigger, people: list[tuple[Mention, tuple[int, int]]],
                    sent: Sentence, text: str) -> bool:
    """True when a person's name stands right before an accusation word, with no comma
    between ("Тръмп обвини Китай", "Жумаділов звинуватив МОЗ"): that person accuses."""
    start = sent.tokens[trig.first].start
    auxiliaries = set(common()["passive_auxiliaries"])
    for m, (_, last) in people:
        gap = text[m.end: start]
        between = {t.text.lower() for t in sent.tokens[last + 1: trig.first]}
        if (trig.first - last <= ACCUSER_GAP and m.end <= start and not BOUNDARY.search(gap)
                and not between & auxiliaries):  # "X byl obviněn": X is the accused
            return True
    return False


def _one_accuser(token: Token, lexicon: Lexicon) -> bool:
    """True for an active finite verb in the singular ("звинуватив", "обвинила"): one
    accuser speaks; a charge is brought by authorities or told in the passive ("обвинена")."""
    if lexicon.lemmatizer != "pymorphy3":
        form = agreement.word_form(token.text, lexicon)  # "Тръмп ... обвини Китай"
        return agreement.active(lexicon) and form.kind in ("past", "finite") and not form.plural
    from dossier.events.lexicon import _morph

    tag = _morph(lexicon.language).parse(token.text.lower())[0].tag
    if tag.POS != "VERB":
        return False
    present = tag.number == "sing" and "tran" in tag  # ru "обвиняет"
    past = tag.number is None and tag.gender in ("masc", "femn")  # uk "звинуватив"
    return present or past


ACCUSER_GAP = 3  # tokens: the name, perhaps "за пореден път", then the verb


def _syntactic(trig: Trigger, event_type: str, sent: Sentence, inside: list[Mention],
               lexicon: Lexicon, trigger_tokens: set[int],
               parsed: dict[str, list[syntax.Word]]) -> syntax.Result | None:
    """The subject as the sentence's dependency tree gives it, where the language has a
    parser; None where it has none. The tree is parsed once per sentence (`parsed`)."""
    if lexicon.raw.get("syntax") != "natasha":
        return None
    if "words" not in parsed:
        parsed["words"] = syntax.parse(sent.text, sent.start)
    persons = [m for m in inside if m.type == "person"
               and not any(sent.tokens[i].start >= m.start and sent.tokens[i].end <= m.end
                           for i in trigger_tokens)]
    role = "agent" if event_type in common()["agent_types"] else "patient"
    span = (sent.tokens[trig.first].start, sent.tokens[trig.last].end)
    hits = [(sent.tokens[i].start, sent.tokens[i].end) for i in trig.match.hits] or [span]
    dative = event_type in common()["dative_types"]
    return syntax.subjects(parsed["words"], span, persons, role,  # type: ignore[arg-type]
                           dative, hits)


def _plural_for_one(read: syntax.Result, carry: Carry) -> bool:
    """A plural pronoun ("они", "их") while only one person is carried."""
    plural = any(w.feats.get("Number") == "Plur" for w in read.others)
    return plural and len(carry.subjects) == 1


def _speaker_carried(referents: list[str], persons_here: list[Mention],
                     people: list[tuple[Mention, tuple[int, int]]], trig_start: int,
                     mentions: list[Mention]) -> list[str]:
    """When the carried subject speaks in this sentence (named here, but no candidate) and
    one other person is named before the trigger ("дело Бакрауи"), a pronoun in the
    reported clause is that person; [] otherwise."""
    carried = surnames(referents, mentions)
    candidates = {m.id for m, _ in people}
    speaking = [m for m in persons_here if m.id not in candidates
                and surnames([m.id], mentions) & carried]
    roles = common()["non_subject_roles"]
    before = [m for m in persons_here if m.end <= trig_start
              and not surnames([m.id], mentions) & carried
              and not (m.role and m.role.lower() in roles)]
    if not speaking or len({m.base for m in before}) != 1:
        return []
    return [before[-1].id]


def _kin_before(trigger: Trigger, sent: Sentence, text: str, lexicon: Lexicon) -> bool:
    """A relative ("her husband", "его семья") stands in the trigger's clause before it, with
    no speech verb between: the event is the relative's, whom no name here gives."""
    lo, _ = clause_bounds(trigger.first, sent, text)
    found = find_all(lexicon.patterns("kin_nouns"), sent.tokens[lo: trigger.first])
    if not found:
        return False
    after = sent.tokens[lo + found[-1].last + 1: trigger.first]
    return not any_match(lexicon.patterns("speech"), after)


def _later_in_clause(trigger: Trigger, sent: Sentence, text: str, lexicon: Lexicon) -> bool:
    """True when a "later" word stands in the trigger's clause ("and then he was released",
    "deported two days later"): the event is not at the time of the sentence before."""
    breaks = hard_breaks(sent, text, lexicon)
    own = _segment(sent.tokens[trigger.first].start, breaks)
    return any(_segment(sent.tokens[m.first].start, breaks) == own
               for m in find_all(lexicon.patterns("later"), sent.tokens))


def _group_first(group: str, sent: Sentence, lexicon: Lexicon) -> bool:
    """True when the counted group comes before any pronoun ("dozens of Russians ... of them")."""
    at = sent.text.find(group) + sent.start
    names = ("pronouns_singular", "pronouns_plural")
    pronouns = [sent.tokens[m.first].start for n in names
                for m in find_all(lexicon.patterns(n), sent.tokens)]
    return not pronouns or at <= min(pronouns)


def inside_people(mentions: list[Mention]) -> bool:
    return any(m.type == "person" for m in mentions)


def surnames(ids: list[str] | list[str | None], mentions: list[Mention]) -> set[str]:
    """Last words of the base forms: "Олександра Шмельова" and "Шмельова" are one person."""
    base = {m.id: m.base for m in mentions}
    return {(base.get(i, i).lower().split() or [""])[-1] for i in ids if i}


def _counted_years(trigger: Trigger, sent: Sentence, lexicon: Lexicon) -> bool:
    """False when the trigger starts with a year word that no number precedes."""
    head = sent.tokens[trigger.first]
    if not any_match(lexicon.patterns("year_words"), [head]) or trigger.first == 0:
        return True
    return number_value(sent.tokens[trigger.first - 1], lexicon) is not None


def _nearest_charge(trigger: Trigger, charges: list[tuple[str, int]]) -> str | None:
    """The charge word nearest the trigger; one just after it ("accused of theft") first."""
    if not charges:
        return None

    def distance(item: tuple[str, int]) -> int:
        pos = item[1]
        if pos > trigger.last:
            return pos - trigger.last - CHARGE_AFTER_BONUS
        return trigger.first - pos

    return min(charges, key=distance)[0]


CHARGE_AFTER_BONUS = 4
