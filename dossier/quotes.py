"""Direct quotations and who said them.

Quotation marks of all common styles are paired within one paragraph: «...», „...” / „...“,
“...”, "...", ‘...’ (an apostrophe inside a word never opens or closes one); a quotation nested
in another one stays part of the outer one. A quotation needs at least MIN_WORDS words, so
scare quotes and names ("„trădare”", «Слово защите», “reset practice”) are skipped, and so are
titles whose words all start with a capital.

The speaker is found in the text around the quotation, using the speech verbs and pronouns of
dossier/data/quotes/<lang>.json:
1. after it, up to the end of the sentence ("„...”, a declarat X", "“...,” X said",
   "«...», — сказал X"): the person mention nearest to the speech verb, before it or at most
   AFTER_VERB words after it (so the object in "accused Y of «...»" is not taken);
2. before it, from the start of the sentence ("X said: “...”", "за словами X, «...»");
3. when that text has a speech verb and a pronoun but no name ("he said", "a subliniat el",
   "він просив"), the nearest person named before the quotation;
4. with no speech verb around it, a quotation that follows another one closely (no other person
   named and no other sentence in between, and it opens a sentence) has the same speaker.
A speech verb with no person and no pronoun ("the source said") gives None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dossier.langdata import load_language_data
from dossier.model import Document, Mention, Quote

FALLBACK_LANGUAGE = "en"
MIN_WORDS = 3
AFTER_VERB = 6  # words allowed between a speech verb and the name after it ("a declarat X")
INHERIT_GAP = 300  # characters between two quotations for the second to inherit the speaker

CLOSERS = {"«": "»", "„": "”“", "“": "”", '"': '"', "‘": "’", "‹": "›"}
LOOSE = {'"', "‘"}  # marks that also occur as inch signs / apostrophes: need a word boundary
SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


@dataclass(frozen=True)
class _Words:
    verbs: re.Pattern[str]
    pronouns: re.Pattern[str]


def _alt(words: list[str]) -> str:
    cedilla = str.maketrans("șțȘȚ", "şţŞŢ")  # Romanian text is often typed with cedillas
    uniq = sorted(set(words) | {w.translate(cedilla) for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in uniq) + ")"


@lru_cache(maxsize=32)
def _words(language: str) -> _Words:
    data = load_language_data("quotes", language)
    return _Words(
        re.compile(rf"(?<!\w){_alt(data['speech_verbs'])}(?!\w)", re.I),
        re.compile(rf"(?<!\w){_alt(data['pronouns'])}(?!\w)", re.I),
    )


# ---- pairing quotation marks --------------------------------------------------------------


def _closing(line: str, i: int) -> int | None:
    """Index of the mark that closes the quotation opened at line[i], or None."""
    opener = line[i]
    closers = CLOSERS[opener]
    depth = 0
    j = i + 1
    while j < len(line):
        ch = line[j]
        if opener == "«" and ch == "«":
            depth += 1
        elif ch in closers and depth == 0 and (opener != "‘" or not _letter(line, j + 1)):
            return j
        elif opener == "«" and ch == "»":
            depth -= 1
        elif opener != "«" and ch == "«":  # skip a nested «...»
            inner = _closing(line, j)
            j = inner if inner is not None else j
        j += 1
    return None


def _letter(line: str, j: int) -> bool:
    return j < len(line) and line[j].isalpha()


def _opens(line: str, i: int) -> bool:
    if line[i] not in LOOSE:
        return True
    before = line[i - 1] if i > 0 else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    return (before.isspace() or before in "([—–-:") and not after.isspace()


def _spans(text: str) -> list[tuple[int, int]]:
    """(open, close) indices of the outermost quotation marks, paragraph by paragraph."""
    found = []
    offset = 0
    for line in text.split("\n"):
        i = 0
        while i < len(line):
            if line[i] in CLOSERS and _opens(line, i):
                j = _closing(line, i)
                if j is not None:
                    found.append((offset + i, offset + j))
                    i = j
            i += 1
        offset += len(line) + 1
    return found


def _is_quotation(inner: str) -> bool:
    words = [w for w in inner.split() if any(ch.isalpha() for ch in w)]
    if len(words) < MIN_WORDS:
        return False
    letters = [w.lstrip("\"'«„“(") for w in words]
    return not (len(letters) <= 6 and all(w[:1].isupper() for w in letters))


# ---- speakers -----------------------------------------------------------------------------


@dataclass
class _Found:
    open: int
    close: int
    start: int
    end: int


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end


def _after(text: str, q: _Found, opens: list[int]) -> tuple[int, int] | None:
    """The rest of the sentence after a quotation, when it can carry the attribution."""
    start = q.close + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    nxt = [o for o in opens if o > q.close]
    stop = min([line_end] + nxt[:1])
    m = SENTENCE_END.search(text, start, stop)
    end = m.start() if m else stop
    rest = text[start:end].lstrip()
    inner_end = text[q.open + 1:q.close].rstrip()[-1:]
    if not rest:
        return None
    if rest[0] in ",—–-" or rest[0].islower() or inner_end in ",!?…":
        return start, end
    return None


def _before(text: str, q: _Found, spans: list[_Found]) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, q.open) + 1
    start = line_start
    for m in SENTENCE_END.finditer(text, line_start, q.open):
        if not any(s.open < m.start() < s.close for s in spans):
            start = m.end()
    return start, q.open


def _inside(pos: int, spans: list[_Found]) -> bool:
    return any(s.open <= pos <= s.close for s in spans)


def _speaker_in(
    text: str, window: tuple[int, int], q: _Found, persons: list[Mention], spans: list[_Found],
    words: _Words,
) -> tuple[bool, str | None]:
    """(a speech verb is there, speaker id) for one window of text around a quotation."""
    start, end = window
    verb = None
    for m in words.verbs.finditer(text, start, end):
        if not _inside(m.start(), spans):
            verb = m
            break
    if verb is None:
        return False, None
    named = [p for p in persons
             if start <= p.start and p.end <= end and not _inside(p.start, spans)
             and (p.end <= verb.start() or _word_gap(text, verb.end(), p.start) <= AFTER_VERB)]
    if named:
        centre = (verb.start() + verb.end()) / 2
        return True, min(named, key=lambda p: abs((p.start + p.end) / 2 - centre)).id
    if words.pronouns.search(text, start, end):
        earlier = [p for p in persons if p.end <= q.open and not _inside(p.start, spans)]
        return True, earlier[-1].id if earlier else None
    return True, None


def _word_gap(text: str, start: int, end: int) -> int:
    """Words between two offsets; a quotation mark in between makes the gap too long."""
    between = text[start:end]
    return AFTER_VERB + 1 if re.search(r"[«»„“”\"]", between) else len(between.split())


def find_quotes(doc: Document, mentions: list[Mention]) -> list[Quote]:
    """Direct quotations of at least MIN_WORDS words, with the person mention who said them."""
    text = doc.text
    words = _words(doc.language or FALLBACK_LANGUAGE)
    persons = sorted((m for m in mentions if m.type == "person"), key=lambda m: m.start)
    found = []
    for open_, close in _spans(text):
        start, end = _trim(text, open_ + 1, close)
        if _is_quotation(text[start:end]):
            found.append(_Found(open_, close, start, end))
    opens = [q.open for q in found]
    quotes: list[Quote] = []
    previous: tuple[_Found, str | None] | None = None
    for q in found:
        speaker: str | None = None
        has_verb = False
        after = _after(text, q, opens)
        if after:
            has_verb, speaker = _speaker_in(text, after, q, persons, found, words)
        if not has_verb:
            has_verb, speaker = _speaker_in(
                text, _before(text, q, found), q, persons, found, words)
        if not has_verb and previous is not None:
            speaker = _inherit(text, previous, q, persons)
        quotes.append(Quote(f"{doc.id}:q{len(quotes) + 1}", doc.id, q.start, q.end,
                            text[q.start:q.end], speaker))
        previous = (q, speaker)
    return quotes


def _inherit(
    text: str, previous: tuple[_Found, str | None], q: _Found, persons: list[Mention]
) -> str | None:
    """The previous quotation's speaker, when it comes just before with nobody else named and
    no sentence in between other than the one attributing the previous quotation."""
    prev, speaker = previous
    if speaker is None or q.open - prev.close > INHERIT_GAP:
        return None
    ends = list(SENTENCE_END.finditer(text, prev.close + 1, q.open))
    if len(ends) > 1:  # more than the sentence attributing the previous quotation
        return None
    if ends and text[ends[-1].end():q.open].strip():  # it must open a sentence of its own
        return None
    base = next((p.base for p in persons if p.id == speaker), None)
    between = [p.base for p in persons if prev.close < p.start < q.open]
    return speaker if all(b == base for b in between) else None
