"""Mention detection: persons, organisations and places in one document.

How it works, for every language:
1. Tokenise; mark capitalised tokens and sentence starts.
2. Russian and Ukrainian: natasha's person spans first (unless the whole span is a known place),
   filtered with pymorphy3 (no common words, adjectives, acronyms; leading place names and
   line breaks split off; a first name natasha left out is taken in).
3. Languages that ship a person tagger (models/<lang>-person.json.gz, with the contextual
   classifier models/<lang>-person-e5.npz; today Romanian): its person spans, trimmed of titles
   and sentence-initial common words. It runs before the gazetteer, so context can make a word
   a person even when a place has its name ("arestarea lui Fukuyama").
4. Gazetteer pass (gazetteer.py): the longest capitalised token runs whose written form (or, for
   ru/uk, whose lemmas; for other languages, suffix-stripped forms from lang/<lang>.json) is a
   known place or organisation. Then, for ru/uk, natasha's places and organisations.
5. The remaining capitalised runs are classified by cues from data/entities/lang/<lang>.json
   (organisation words, first-name lists, surname endings, titles, common-word frequency); with
   a tagger, a person they find is dropped when the tagger is far from calling it a name
   (`tagger_rule_margin`).
6. Lone surnames of persons found in the document are persons too.
7. The learned tagger (ner.py, models/ner-e5.npz; every language) reads windows around the
   capitalised words no rule took and adds the persons, organisations and places it is sure of
   (its per-type thresholds). It never changes what the rules found, and adds no persons where
   a language ships its own person tagger.
Base forms come from names.py (ru/uk by pymorphy3; Polish by ending rules); `latin` from
translit.py; roles from the role cues nearest to the name (not across another name or
punctuation); countries of places and organisations from the gazetteers.

Adding a language: add dossier/data/entities/lang/<code>.json (cues), and translit/<code>.json if
its script is not Latin (see dossier/data/entities/README.md). Languages without a file get the
default cues (capitalisation, name lists, gazetteers).

`find_mentions` is pure: the same document always gives the same mentions; models, dictionaries
and gazetteers load once per process (functools.cache) and are only read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

import numpy as np

from dossier.diskcache import disk_cached
from dossier.entities import contextual, names, ner, tagger
from dossier.entities.gazetteer import (
    Place,
    curated_heads,
    lookup,
    lookup_person_like,
    ordinary_word,
)
from dossier.entities.resources import (
    WORD_CACHE,
    dictionary_lemma,
    first_name_groups,
    first_names,
    lang_config,
    natasha_embedding,
    natasha_morph_tagger,
    surnames,
    zipf,
)
from dossier.entities.translit import fold, to_latin
from dossier.model import Document, EntityType, Mention

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_](?:[\w]|[-'’ʼ](?=[^\W_]))*\.?")
_SENTENCE_END = re.compile(r"[.!?…:;]\s*[\"'«»“”„()\[\]—–-]*\s*$|\n\s*[\"'«»“”„()\[\]—–-]*\s*$")
_MAX_RUN = 8


@dataclass
class Token:
    gap: str  # the text between the previous token and this one
    text: str
    start: int
    end: int
    cap: bool
    sent_start: bool
    lemma: str = ""

    @property
    def word(self) -> str:
        return self.text.rstrip(".") if len(self.text) > 2 else self.text

    @property
    def low(self) -> str:
        return self.word.lower()


@dataclass
class Span:
    first: int  # token index
    last: int  # token index, inclusive
    type: EntityType
    place: Place | None = None
    base: list[str] = field(default_factory=list)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    prev_end = 0
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        if word.endswith(".") and not (len(word) == 2 and word[0].isupper()):
            word = word[:-1]
        if len(word) > 3 and word[-2:] in ("'s", "’s"):
            word = word[:-2]
        gap = text[max(0, prev_end - 1) : m.start()] if tokens else "\n"
        sent_start = not tokens or bool(_SENTENCE_END.search(gap))
        if tokens and tokens[-1].text.endswith(".") and len(tokens[-1].text) == 2:
            sent_start = False  # an initial like "A." does not end a sentence
        gap_before = text[prev_end : m.start()] if tokens else ""
        tokens.append(
            Token(
                gap_before, word, m.start(), m.start() + len(word), word[:1].isupper(), sent_start
            )
        )
        prev_end = m.start() + len(word)
    return tokens


def find_mentions(doc: Document) -> list[Mention]:
    """Persons, organisations and places in `doc`, in text order, with base forms and roles."""
    lang = doc.language if doc.language else "und"
    tokens = tokenize(doc.text)
    conf = dict(lang_config(lang))
    conf["_lower"] = frozenset(t.word for t in tokens if t.word[:1].islower())
    conf["_attested"] = frozenset(t.low for t in tokens if t.cap)
    if lang in names.MORPH_LANGS:
        for tok in tokens:
            tok.lemma = names.lemma(tok.word, lang) if tok.cap else tok.low
    taken = [False] * len(tokens)
    spans: list[Span] = []
    found = _natasha_found(doc.text, tokens) if lang in names.MORPH_LANGS else []
    # natasha's persons first, unless the whole name is a place; then the gazetteer; then
    # natasha's places and organisations
    spans += _natasha_spans(found, tokens, taken, lang, conf, ("PER",))
    model = None if lang in names.MORPH_LANGS else tagger.load(lang)
    if model is not None:
        spans += _model_spans(tokens, taken, lang, conf, model)
    spans += _gazetteer_spans(tokens, taken, lang, conf)
    if lang in names.MORPH_LANGS:
        spans += _natasha_spans(found, tokens, taken, lang, conf, ("ORG", "LOC"))
    spans += _run_spans(tokens, taken, lang, conf)
    spans += _surname_spans(tokens, taken, spans, lang)
    # the learned tagger adds organisations and places only: its persons became the wrong
    # subjects of events on the development news (Polish event precision 0.91 -> 0.80), and a
    # false "detained" on a real name does more harm than a person left out
    spans += _learned_spans(tokens, taken, lang, conf, persons=False)
    spans.sort(key=lambda s: s.first)
    spans = _org_of_state(tokens, spans, lang, conf)
    return _to_mentions(doc, tokens, spans, lang, conf)


def _org_of_state(tokens: list[Token], spans: list[Span], lang: str, conf: dict) -> list[Span]:
    """A body and the state it belongs to written after it are one name: "МИД Германии",
    "Rząd Niemiec", "Ministrstvo za zdravje ZDA", "Верховный суд России" (the state in the
    genitive, or an indeclinable abbreviation: "МИД РФ"). The organisation takes the state's
    country. Only countries and curated regions join: a city after a court stays a place of
    its own, the place of the events told there. The body must end in an organisation word
    or an abbreviation, or be a curated body of no one country ("Supreme Court")."""
    out: list[Span] = []
    for span in spans:
        prev = out[-1] if out else None
        if prev is not None and _named_after_body(tokens, prev, span, lang, conf):
            out[-1] = Span(prev.first, span.last, "organization")
            continue
        if (
            prev is not None
            and prev.type == "organization"
            and span.type == "location"
            and _adjacent(tokens, prev, span, conf)
            and _state_place(tokens[span.first : span.last + 1], span, lang, conf)
            and _body_of_state(tokens[prev.first : prev.last + 1], prev, conf)
        ):
            place = span.place or _lookup_run(tokens[span.first : span.last + 1], lang, conf)
            country = place.country if place is not None else None
            body = Place("", country, "organization")
            out[-1] = Span(prev.first, span.last, "organization", body)
            continue
        out.append(span)
    return out


def _adjacent(tokens: list[Token], prev: Span, span: Span, conf: dict) -> bool:
    """`span` follows `prev` in the same sentence, one space apart, or across one of the
    language's `state_prepositions` (Bulgarian "Министерството на здравеопазването на Русия")."""
    first = tokens[span.first]
    if first.gap != " " or first.sent_start:
        return False
    if span.first == prev.last + 1:
        return True
    between = tokens[prev.last + 1] if span.first == prev.last + 2 else None
    return (
        between is not None
        and between.gap == " "
        and between.low in conf.get("state_prepositions", ())
    )


def _named_after_body(tokens: list[Token], prev: Span, span: Span, lang: str, conf: dict) -> bool:
    """ru/uk: a body's head word and a name in the genitive right after it are one name
    ("Университет Джонса Хопкинса", "Институт имени ..."): the name is whose the body is, no
    person or place of its own. Only with the head as the body's last word and every word of
    the name in the genitive, so "глава МИД Сергей Лавров" keeps its person."""
    if lang not in names.MORPH_LANGS or prev.type != "organization" or span.type == "location":
        return False
    head = tokens[prev.last]
    if not head.cap or not _prefixed(head.low, conf["org_words"]) or head.word.isupper():
        return False
    if span.first != prev.last + 1 or tokens[span.first].gap != " ":
        return False
    return all(
        any(p.tag.case == "gent" for p in names.parses(t.word, lang))
        and not any(p.tag.case == "nomn" for p in names.parses(t.word, lang)[:1])
        for t in tokens[span.first : span.last + 1]
    )


def _state_place(run: list[Token], span: Span, lang: str, conf: dict) -> bool:
    place = span.place or _lookup_run(run, lang, conf)
    if place is None or place.source not in ("territory", "curated"):
        return False
    last = run[-1].word
    if lang not in names.MORPH_LANGS or last.isupper():
        return True
    return any(p.tag.case == "gent" for p in names.parses(last, lang))


def _body_of_state(run: list[Token], span: Span, conf: dict) -> bool:
    last = run[-1]
    if last.word.isupper() and len(last.word) >= 2:
        return True
    if any(_prefixed(t.low, conf["org_words"]) for t in run):
        return True
    return span.place is not None and span.place.kind == "organization" and not span.place.country


# ---- 2. gazetteer ---------------------------------------------------------------------------


def _forms(tokens: list[Token], lang: str, conf: dict, lemmas: bool = True) -> list[str]:
    """Written forms to look a token run up by: as written, lemmatised, suffix-stripped.
    Other languages than ru/uk take the dictionary lemma of the last word (Polish Bristolu ->
    Bristol, Meduzy -> meduza) unless `lemmas` is off (the person tagger's features, which were
    learned without it)."""
    surface = _join(tokens, [t.word for t in tokens])
    forms = [surface]
    if lang in names.MORPH_LANGS:
        forms.append(_join(tokens, [t.lemma for t in tokens]))
        forms.append(_join(tokens, names.phrase_base([t.word for t in tokens], lang)))
    elif lemmas:
        lemma = dictionary_lemma(tokens[-1].word, lang)
        # short lemmas are pronouns and articles that would match acronyms (Romanian O -> un)
        if lemma and len(lemma) > 3 and lemma.lower() != tokens[-1].low:
            forms.append(_join(tokens, [t.word for t in tokens[:-1]] + [lemma]))
    last = tokens[-1].word
    for suffix, repl in conf.get("location_suffixes", []):
        if last.lower().endswith(suffix) and len(last) > len(suffix) + 2:
            stem = last[: len(last) - len(suffix)] + repl
            forms.append(_join(tokens, [t.word for t in tokens[:-1]] + [stem]))
    return forms


def _join(tokens: list[Token], words: list[str]) -> str:
    out = words[0]
    for prev, tok, word in zip(tokens, tokens[1:], words[1:], strict=False):
        out += ("" if tok.start == prev.end else " ") + word
    return out


def _gazetteer_spans(tokens: list[Token], taken: list[bool], lang: str, conf: dict) -> list[Span]:
    spans: list[Span] = []
    i = 0
    while i < len(tokens):
        # a curated name of several words may be in sentence case: its run may end in a
        # lower-case word ("Верховный суд"), but only a curated entry may match such a run;
        # and it may start with a word that alone is no name ("European Court of ...")
        head = tokens[i].low in curated_heads() or tokens[i].lemma.lower() in curated_heads()
        if not tokens[i].cap or (tokens[i].low in _stop(lang) and not head) or taken[i]:
            i += 1
            continue
        hit = None
        for j in range(min(len(tokens), i + _MAX_RUN) - 1, i - 1, -1):
            if any(taken[i : j + 1]):
                continue  # a name the person tagger already read there
            lower = (
                not tokens[j].cap
                and not tokens[j].word.isdigit()
                and j > i
                and tokens[j].low not in conf["org_connectors"]
                and tokens[j].word != "-"
            )
            if lower and not head:
                continue
            place = _lookup_run(tokens[i : j + 1], lang, conf)
            if place is not None and lower and place.source != "curated":
                continue
            if place is not None and place.kind == "location" and _in_person_name(tokens, i, j):
                continue
            if place is not None and i == j and _ordinary_place(tokens[i], place, lang, conf):
                continue
            if place is not None and _acronym_ok(tokens[i : j + 1], place):
                hit = Span(i, j, place.kind, place)  # type: ignore[arg-type]
                break
        if hit:
            spans.append(hit)
            _take(taken, hit)
            i = hit.last + 1
        else:
            i += 1
    return spans


def _in_person_name(tokens: list[Token], i: int, j: int) -> bool:
    """A one-word place that is really part of a name: "Vladimir Putin", "Murat Adam"."""
    if i != j:
        return False
    prev = tokens[i - 1] if i > 0 else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if (
        prev is not None
        and prev.cap
        and prev.end + 1 == tokens[i].start
        and _is_first_name(prev.word)
    ):
        return True
    return (
        nxt is not None
        and nxt.cap
        and tokens[i].end + 1 == nxt.start
        and not nxt.sent_start
        and lookup(nxt.word) is None
        and (_is_first_name(tokens[i].word) or _surname_like(nxt, "", lang_config("")))
    )


def _ordinary_place(tok: Token, place: Place, lang: str, conf: dict) -> bool:
    """A one-word place that is the language's ordinary word: capitalised only because it
    starts a sentence while the document writes it in lower case elsewhere ("Este", "Того"),
    or common by the gazetteer's test (gazetteer.ordinary_word: "Jej", "Bruch")."""
    if place.kind != "location":
        return False
    if tok.sent_start and tok.low in conf["_lower"] and place.source != "curated":
        return True
    return ordinary_word(tok.word, place, lang)


def _acronym_ok(run: list[Token], place: Place) -> bool:
    """Acronyms (UN, EU) match only when written in capitals."""
    word = run[0].word
    return len(run) > 1 or len(word) > 4 or word.isupper() or word[1:].islower()


def _lookup_run(run: list[Token], lang: str, conf: dict, lemmas: bool = True) -> Place | None:
    found = _place_form(run, lang, conf, lemmas)
    return found[1] if found else None


def _place_form(
    run: list[Token], lang: str, conf: dict, lemmas: bool = True
) -> tuple[str, Place] | None:
    """The first of the run's forms that the gazetteer knows, with its place."""
    forms = _forms(run, lang, conf, lemmas)
    for form in forms:
        place = lookup(form)
        if place is not None:
            return form, place
    if lemmas and lang not in names.MORPH_LANGS:
        # a form the dictionary or the case endings reduce is no given name: Polish "w
        # Bristolu" is the city, although a bare "Bristol" could be a first name
        for form in forms[1:]:
            place = lookup_person_like(form)
            if place is not None:
                return form, place
    return None


def _take(taken: list[bool], span: Span) -> None:
    for k in range(span.first, span.last + 1):
        taken[k] = True


# ---- 3. natasha (ru, uk) --------------------------------------------------------------------


@cache
def _natasha() -> tuple:
    from natasha import NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(natasha_embedding())


_MORPH_CONTEXT = 5  # words on each side of a name given to natasha's morphology tagger
_GENDERS = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}
_CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}


@lru_cache(maxsize=1024)
def _sentence_morph(sentence: str) -> dict[int, names.Hint]:
    """natasha's contextual gender and case of each word of a sentence, by character offset."""
    from natasha import Doc

    ndoc = Doc(sentence)
    ndoc.segment(_natasha()[0])
    ndoc.tag_morph(natasha_morph_tagger())
    return {
        t.start: (_GENDERS.get(t.feats.get("Gender", "")), _CASES.get(t.feats.get("Case", "")))
        for t in ndoc.tokens
        if t.feats
    }


def _name_hints(text: str, tokens: list[Token], spans: list[Span], lang: str) -> dict[int, tuple]:
    """For each full name (by span index) whose given name reads in two genders (Александра),
    the gender and case natasha's morphology tagger gives that word in its sentence."""
    if lang not in names.MORPH_LANGS:
        return {}
    hints: dict[int, tuple] = {}
    sentences: list[tuple[int, int]] | None = None
    for n, span in enumerate(spans):
        first = tokens[span.first]
        if span.type != "person" or span.last == span.first:
            continue
        if not names.ambiguous_given_name(first.word, lang):
            continue
        sentences = sentences or _sentences(tokens)
        a, b = next((a, b) for a, b in sentences if a <= span.first <= b)
        # the tagger's convolutions see three words on each side: a window of the sentence
        # around the name gives the same reading at a fraction of the cost
        a, b = max(a, span.first - _MORPH_CONTEXT), min(b, span.last + _MORPH_CONTEXT)
        start = tokens[a].start
        hint = _sentence_morph(text[start : tokens[b].end]).get(first.start - start)
        if hint is not None and hint[0] in ("masc", "femn"):
            hints[n] = hint
    return hints


def _natasha_found(text: str, tokens: list[Token]) -> list[tuple[str, int, int]]:
    """natasha's NER spans as (type, first token, last token)."""
    from natasha import Doc

    segmenter, ner = _natasha()
    ndoc = Doc(text)
    ndoc.segment(segmenter)
    ndoc.tag_ner(ner)
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    found = []
    for s in ndoc.spans:
        first, last = _align(s.start, s.stop, starts, ends, tokens)
        if first is not None and last is not None:
            found.append((s.type, first, last))
    return found


def _natasha_spans(
    found: list[tuple[str, int, int]],
    tokens: list[Token],
    taken: list[bool],
    lang: str,
    conf: dict,
    kinds: tuple[str, ...],
) -> list[Span]:
    spans: list[Span] = []
    for kind, first, last in found:
        if kind not in kinds:
            continue
        if kind == "PER":
            first = _extend_left(tokens, first, taken, lang)
            if _lookup_run(tokens[first : last + 1], lang, conf) is not None:
                continue  # a place or an organisation the gazetteer knows
        for a, b in _pieces(tokens, first, last, taken, lang, conf, kind):
            span = _classify_natasha(tokens[a : b + 1], kind, a, lang, conf)
            if span is not None:
                spans.append(span)
                _take(taken, span)
    return spans


def _extend_left(tokens: list[Token], first: int, taken: list[bool], lang: str) -> int:
    """Take in a first name natasha left out ("Дойна Кожокару")."""
    while (
        first > 0
        and not tokens[first].sent_start
        and tokens[first].gap == " "
        and not taken[first - 1]
        and tokens[first - 1].cap
        and _is_first_name(tokens[first - 1].word, lang)
    ):
        first -= 1
    return first


def _pieces(
    tokens: list[Token], first: int, last: int, taken: list[bool], lang: str, conf: dict, kind: str
) -> list[tuple[int, int]]:
    """natasha's span split at line breaks and at words already taken, without leading common
    words ("Раніше Барньє") or, for persons, leading place names ("Великобританії Терези Мей")."""
    pieces: list[tuple[int, int]] = []
    start = None
    for k in range(first, last + 1):
        breaks = start is not None and "\n" in _between(tokens[k - 1], tokens[k])
        if taken[k] or breaks:
            if start is not None:
                pieces.append((start, k - 1))
            start = None if taken[k] else k
        elif start is None:
            start = k
    if start is not None:
        pieces.append((start, last))
    out = []
    for a, b in pieces:
        while a < b and (
            _ordinary(tokens[a], lang, conf)
            or not tokens[a].cap
            or (kind == "PER" and _lookup_run([tokens[a]], lang, conf) is not None)
        ):
            a += 1
        out.append((a, b))
    return out


def _align(start: int, stop: int, starts: dict, ends: dict, tokens: list[Token]) -> tuple:
    first = starts.get(start)
    last = ends.get(stop)
    if last is None:
        last = next((i for i, t in enumerate(tokens) if t.start < stop <= t.end), None)
    return first, last


def _classify_natasha(
    run: list[Token], ner_type: str, first: int, lang: str, conf: dict
) -> Span | None:
    last = first + len(run) - 1
    if ner_type == "PER":
        if all(_is_common(t, lang, conf) and not _name_reading(t, lang) for t in run):
            return None
        if any(len(t.word) == 1 or (t.word.isupper() and len(t.word) > 1) for t in run):
            return None
        if len(run) == 1 and names.is_adjective(run[0].word, lang):
            return None
        if (
            len(run) == 1
            and not _surname_like(run[0], lang, conf)
            and (_is_common(run[0], lang, conf) or _ordinary(run[0], lang, conf))
        ):
            return None
        if not any(t.cap for t in run):
            return None
        return Span(first, last, "person")
    kind: EntityType = "organization" if ner_type == "ORG" else "location"
    if kind == "organization" and len(run) == 1 and _not_org_acronym(run[0].word, conf):
        return None  # "СМИ", "ОРВИ"
    if len(run) == 1 and _is_common(run[0], lang, conf) and run[0].sent_start:
        return None
    if not any(t.cap for t in run):
        return None  # what the gazetteer left of natasha's span ("та", "служба")
    return Span(first, last, kind)


def _ordinary(tok: Token, lang: str, conf: dict) -> bool:
    """A word that is not a name: for ru/uk a dictionary word without a name reading."""
    if len(tok.word) == 1:
        return True
    if lang in names.MORPH_LANGS:
        return names.is_known_word(tok.word, lang) and not names.has_tag(
            tok.word, lang, min_score=0.3
        )
    return _is_common(tok, lang, conf) and not _name_reading(tok, lang)


def _name_reading(tok: Token, lang: str) -> bool:
    if lang in names.MORPH_LANGS:
        return names.has_tag(tok.word, lang, min_score=0.05)
    return _is_first_name(tok.word, lang)


# ---- 3b. a trained person tagger (languages with a model) ----------------------------------


def _model_spans(
    tokens: list[Token], taken: list[bool], lang: str, conf: dict, model: tagger.Perceptron
) -> list[Span]:
    features = person_features(lang, conf)
    sentences = _sentences(tokens)
    classifier = contextual.load(lang)
    priors = (
        classifier.log_probs([_words_and_gaps(tokens[a : b + 1]) for a, b in sentences])
        if classifier is not None
        else [None] * len(sentences)
    )
    spans: list[Span] = []
    margins: list[float] = []
    for (first, last), prior in zip(sentences, priors, strict=True):
        words = [t.word for t in tokens[first : last + 1]]
        tags, sentence_margins = tagger.tag_with_margins(
            model, words, features, prior, float(conf.get("contextual_weight", 0.0))
        )
        margins += sentence_margins
        k = 0
        while k < len(tags):
            if tags[k] != "B-PER":
                k += 1
                continue
            end = k
            while (
                end + 1 < len(tags)
                and tags[end + 1] == "I-PER"
                and tokens[first + end + 1].gap.strip() in ("", "-")
            ):
                end += 1  # a name does not run over punctuation ("Baltatarova, Ammosov")
            span = _checked_model_span(tokens, first + k, first + end, lang, conf)
            if span is not None and not any(taken[span.first : span.last + 1]):
                spans.append(span)
                _take(taken, span)
            k = end + 1
    conf["_margins"] = margins  # the rules' persons must not be too far from the model's view
    return spans


def _words_and_gaps(tokens: list[Token]) -> tuple[list[str], list[str]]:
    return [t.word for t in tokens], [t.gap for t in tokens]


def _checked_model_span(tokens: list[Token], a: int, b: int, lang: str, conf: dict) -> Span | None:
    """The tagger's span without leading titles or sentence-initial common words; none when
    what is left is initials, an acronym, a title or a common word ("Președintele")."""
    if all(len(t.word) <= 2 or "." in t.word[:-1] for t in tokens[a : b + 1]):
        return None
    while (
        a <= b
        and not _is_first_name(tokens[a].word, lang)
        and (
            _is_cue(tokens[a].low, conf)
            or tokens[a].low in _stop(lang)
            or (tokens[a].sent_start and _is_common(tokens[a], lang, conf))
            or tokens[a].low in conf.get("_lower", ())
        )
    ):
        a += 1
    if a > b:
        return None
    place = _lookup_run(tokens[a : b + 1], lang, conf)
    if place is not None and place.kind == "organization":
        return None  # an outlet or an authority the gazetteer knows ("Potrivit Meduza")
    return Span(a, b, "person")


def _sentences(tokens: list[Token]) -> list[tuple[int, int]]:
    starts = [i for i, t in enumerate(tokens) if t.sent_start or i == 0]
    return [(a, b - 1) for a, b in zip(starts, starts[1:] + [len(tokens)], strict=True)]


def person_features(lang: str, conf: dict | None = None) -> tagger.Features:
    """Features of word i of a sentence for the person tagger (see tagger.py)."""
    conf = conf or dict(lang_config(lang))

    @cache
    def word_features(word: str, tag: str) -> list[str]:
        low = word.lower()
        tok = Token(" ", word, 0, len(word), word[:1].isupper(), False)
        out = [f"{tag}w={low}"]
        if word[:1].isupper():
            out.append(f"{tag}cap")
            if _is_first_name(word, lang):
                out.append(f"{tag}fn")
            if _surname_like(tok, lang, conf):
                out.append(f"{tag}sn")
            place = _lookup_run([tok], lang, conf, lemmas=False)
            if place is not None:
                out.append(f"{tag}gz={place.kind}")
            if word in surnames():
                out.append(f"{tag}sl")
            out.append(f"{tag}z={min(int(_zipf(low, lang)), 6)}")
        if _is_cue(low, conf):
            out.append(f"{tag}cue")
        if _prefixed(low, conf["org_words"]):
            out.append(f"{tag}org")
        return out

    def features(words: list[str], i: int) -> list[str]:
        word = words[i]
        low = word.lower()
        out = [
            "bias",
            f"s2={low[-2:]}",
            f"s3={low[-3:]}",
            f"s4={low[-4:]}",
            f"p3={low[:3]}",
            f"shape={_shape(word)}",
        ]
        if i == 0:
            out.append("first")
        if word[:1].isupper() and _zipf(low, lang) >= float(conf["common_zipf"]):
            out.append("common")
        out = out + word_features(word, "")
        for d in (-2, -1, 1, 2):
            if 0 <= i + d < len(words):
                out = out + word_features(words[i + d], f"{d}")
            else:
                out.append(f"{d}none")
        if "cap" in out and "first" in out:
            out.append("cap|first")
        prev = words[i - 1].lower() if i else "<s>"
        out.append(f"bigram={prev}|{low}")
        return out

    return features


RULE_FEATURES = (
    "cap",
    "acronym",
    "sentence start",
    "given name",
    "surname-like",
    "gazetteer place",
    "gazetteer organisation",
    "organisation word",
    "title or role",
    "frequent word",
    "stop word",
    "digits",
)


def ner_rule_features(tokens: list[Token], lang: str, conf: dict) -> list[list[float]]:
    """The rules' judgement of each token, as numbers for the learned tagger (ner.py): one row
    per token, one column per RULE_FEATURES entry. Only the word itself is read (the encoder's
    vectors carry the context)."""
    return [_rule_row(tok, lang, conf) for tok in tokens]


def _rule_row(tok: Token, lang: str, conf: dict) -> list[float]:
    word, low = tok.word, tok.low
    place = _lookup_run([tok], lang, conf) if tok.cap and len(word) > 1 else None
    row = [
        tok.cap,
        word.isupper() and len(word) > 1,
        tok.sent_start,
        tok.cap and _is_first_name(word, lang),
        tok.cap and len(word) > 2 and _surname_like(tok, lang, conf),
        place is not None and place.kind == "location",
        place is not None and place.kind == "organization",
        _prefixed(low, conf["org_words"]),
        _is_cue(low, conf),
        _zipf(low, lang) >= float(conf["common_zipf"]),
        low in _stop(lang),
        any(c.isdigit() for c in word),
    ]
    return [float(x) for x in row]


def _shape(word: str) -> str:
    shape = "".join(
        "X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c for c in word
    )
    compact = []
    for c in shape:
        if not compact or compact[-1] != c:
            compact.append(c)
    return "".join(compact)[:6]


# ---- 7. the learned tagger, behind the rules ---------------------------------------------


def _learned_spans(
    tokens: list[Token], taken: list[bool], lang: str, conf: dict, persons: bool
) -> list[Span]:
    """Spans of the learned tagger (ner.py) over words no rule took. The encoder costs about
    0.1 ms of CPU a character and layer, so it reads only windows of `ner.CONTEXT` words on each
    side of a capitalised word no rule took (within its sentence); a span is kept when its mean
    probability reaches its type's threshold. No persons where the language ships its own person
    tagger (`persons` false: Romanian)."""
    model = ner.load()
    if model is None:
        return []
    windows = _candidate_windows(tokens, taken, lang, conf)
    if not windows:
        return []
    vectors = model.vectors([_words_and_gaps(tokens[a : b + 1]) for a, b in windows])
    spans: list[Span] = []
    for (a, b), found in zip(windows, vectors, strict=True):
        rules = np.array(ner_rule_features(tokens[a : b + 1], lang, conf), np.float32)
        probs = model.probs(found, rules)
        named = probs.argmax(axis=1) != 0
        for first, last, kind, score in ner.spans(probs):
            etype: EntityType = ner.TYPES[kind]  # type: ignore[assignment]
            if score < model.thresholds.get(kind, 1.0) or (etype == "person" and not persons):
                continue
            pieces = _punctuation_pieces(tokens, a + first, a + last)
            if etype == "organization":
                pieces = [q for lo, hi in pieces for q in _coordinated(tokens, lo, hi, conf)]
            for lo, hi in pieces:
                span = _checked_learned_span(tokens, lo, hi, etype, lang, conf)
                if span is not None and etype == "organization":
                    span = _whole_org(tokens, taken, span, lang, conf)
                if span is None or any(taken[span.first : span.last + 1]):
                    continue
                if _fragment(tokens, taken, span, named, a):
                    continue
                spans.append(span)
                _take(taken, span)
    return spans


def _punctuation_pieces(tokens: list[Token], a: int, b: int) -> list[tuple[int, int]]:
    """The tagger's span cut where punctuation stands between two words: a name and its
    abbreviation in brackets, or two names in a list, are two names ("Световната здравна
    организация (СЗО)", "Uniper, Engie")."""
    pieces, start = [], a
    for k in range(a + 1, b + 1):
        if tokens[k].gap not in ("", " ", "-"):
            pieces.append((start, k - 1))
            start = k
    pieces.append((start, b))
    return pieces


def _coordinated(tokens: list[Token], a: int, b: int, conf: dict) -> list[tuple[int, int]]:
    """Two one-word names joined by "and" are two names ("Novartis a Celgene", "Uniper i
    Wintershall"); a longer name may hold "and" ("Centra Kontroli i Zapobiegania Chorobom")."""
    joined = b - a == 2 and tokens[a + 1].low in conf.get("org_coordinators", ())
    if joined and tokens[a].cap and tokens[b].cap:
        return [(a, a), (b, b)]
    return [(a, b)]


def _whole_org(
    tokens: list[Token], taken: list[bool], span: Span, lang: str, conf: dict
) -> Span | None:
    """The tagger's organisation without a trailing function word ("Statoil і", "Световния
    фонд за"), and grown to its head when it stopped at a capitalised adjective whose noun is
    written in lower case ("Европейското" of "Европейското икономическо пространство"); a
    lone adjective or a form of a frequent word with no head is no name ("Warszawskiego")."""
    last = span.last
    while last > span.first and _function_word(tokens[last], lang, conf):
        last -= 1
    head = _sentence_case_head(tokens, span.first, last, lang, conf)
    if head is not None and not any(taken[last + 1 : head + 1]):
        return Span(span.first, head, "organization")
    run = tokens[span.first : last + 1]
    if len(run) == 1 and (_adjective(run[0], lang, conf) or _inflected_common(run[0], lang, conf)):
        return None
    if _not_org_acronym(run[0].word, conf) and len(run) == 1:
        return None
    return Span(span.first, last, "organization")


def _function_word(tok: Token, lang: str, conf: dict) -> bool:
    """A lower-case connector, preposition or stop word, or a one- or two-letter word."""
    if tok.cap:
        return False
    return tok.low in conf["org_connectors"] or tok.low in _stop(lang) or len(tok.word) <= 2


def _candidate_windows(
    tokens: list[Token], taken: list[bool], lang: str, conf: dict
) -> list[tuple[int, int]]:
    """Token ranges to encode: `ner.CONTEXT` words around each candidate (a capitalised word no
    rule took that is no stop word or sentence-initial common word), cut at sentence ends,
    overlapping ranges merged."""
    out: list[tuple[int, int]] = []
    for a, b in _sentences(tokens) if tokens else []:
        for k in range(a, b + 1):
            tok = tokens[k]
            if (
                taken[k]
                or not tok.cap
                or len(tok.word) < 2
                or tok.low in _stop(lang)
                or (tok.sent_start and _is_common(tok, lang, conf))
            ):
                continue
            lo, hi = max(a, k - ner.CONTEXT), min(b, k + ner.CONTEXT)
            if out and out[-1][1] >= lo - 1 and out[-1][0] >= a:
                out[-1] = (out[-1][0], max(out[-1][1], hi))
            else:
                out.append((lo, hi))
    return out


def _fragment(
    tokens: list[Token], taken: list[bool], span: Span, named: np.ndarray, a: int
) -> bool:
    """The span is a piece of a name the rules read otherwise: a word next to it (one space
    between) is taken and the tagger also reads that word as part of a name ("Wielkiej"
    before a taken "Brytanii")."""
    for k, inner in ((span.first - 1, span.first), (span.last + 1, span.last)):
        if not 0 <= k - a < len(named) or not taken[k]:
            continue
        if tokens[max(k, inner)].gap == " " and named[k - a]:
            return True
    return False


def _checked_learned_span(
    tokens: list[Token], a: int, b: int, etype: EntityType, lang: str, conf: dict
) -> Span | None:
    """The tagger's span starting at a capitalised word that is no stop word, title or
    sentence-initial common word; persons and places end in a capitalised word (organisations
    may end in lower case: "Міністерство закордонних справ"); none across a line break. Persons
    are held to the rules' standard: no initials or acronyms, not part of a longer capitalised
    run, not one word at a sentence start."""
    while a <= b and (
        not tokens[a].cap
        or tokens[a].low in _stop(lang)
        or (tokens[a].sent_start and _is_common(tokens[a], lang, conf))
        or (etype == "person" and _is_cue(tokens[a].low, conf))
    ):
        a += 1
    while etype != "organization" and b >= a and not tokens[b].cap:
        b -= 1
    if a > b or any("\n" in tokens[k].gap for k in range(a + 1, b + 1)):
        return None
    run = tokens[a : b + 1]
    if etype == "person" and any(
        len(t.word) <= 2 or (t.word.isupper() and len(t.word) > 1) for t in run
    ):
        return None
    if etype == "person" and _lookup_run(run, lang, conf) is not None:
        return None  # a place or an organisation the gazetteer knows
    if etype == "person" and (_glued_cap(tokens, a - 1, a) or _glued_cap(tokens, b, b + 1)):
        return None  # part of a longer capitalised name ("Pervî" of "Pervî Otdel")
    if etype == "person" and a == b and tokens[a].sent_start:
        return None  # as for the rules: a lone capitalised word that starts a sentence or a line
    return Span(a, b, etype)


def _glued_cap(tokens: list[Token], left: int, right: int) -> bool:
    """Tokens `left` and `right` are two capitalised words of one sentence, a space apart."""
    if left < 0 or right >= len(tokens):
        return False
    return (
        tokens[left].cap
        and tokens[right].cap
        and tokens[right].gap == " "
        and not tokens[right].sent_start
    )


# ---- 4. capitalised runs ---------------------------------------------------------------------


def _run_spans(tokens: list[Token], taken: list[bool], lang: str, conf: dict) -> list[Span]:
    spans: list[Span] = []
    i = 0
    while i < len(tokens):
        if taken[i] or not tokens[i].cap:
            i += 1
            continue
        j = i
        while (
            j + 1 < len(tokens)
            and j + 1 - i < _MAX_RUN
            and not taken[j + 1]
            and _continues(tokens, j, conf)
        ):
            j += 1
        while j > i and not tokens[j].cap:
            j -= 1
        span = _classify_run(tokens, i, j, lang, conf)
        if span is not None:
            spans.append(span)
            _take(taken, span)
            i = span.last + 1
        else:
            i = j + 1  # no part of a rejected run is a name on its own
    return spans


def _continues(tokens: list[Token], j: int, conf: dict) -> bool:
    nxt, cur = tokens[j + 1], tokens[j]
    if "\n" in _between(cur, nxt) or nxt.start - cur.end > 1:
        return False
    if nxt.sent_start:
        return False
    if nxt.cap:
        return True
    return nxt.low in conf["name_particles"] and j + 2 < len(tokens) and tokens[j + 2].cap


def _between(a: Token, b: Token) -> str:
    return b.gap


def _classify_run(tokens: list[Token], i: int, j: int, lang: str, conf: dict) -> Span | None:
    for p in range(i, j + 1):
        # what comes before the name's adjective may only be a word that is no name
        # ("Podle Globální aliance ...")
        if p > i and not _leading_common(tokens[p - 1], lang, conf):
            break
        head = _sentence_case_head(tokens, p, j, lang, conf)
        if head is not None:
            head = _org_complement(tokens, head, lang, conf)
            return Span(p, _org_extent(tokens, p, head, conf) or head, "organization")
    # a sentence-initial common word is not part of a name ("Acolo Kachkurkin")
    while i <= j and (
        tokens[i].low in _stop(lang)
        or (
            tokens[i].sent_start
            and _is_common(tokens[i], lang, conf)
            and not _name_reading(tokens[i], lang)
            # a body's head word stays: "Rząd Niemiec", "Sąd Najwyższy", "Министерството
            # на здравеопазването"
            and not (
                _prefixed(tokens[i].low, conf["org_words"])
                and (i < j or _org_complement(tokens, i, lang, conf) > i)
            )
        )
    ):
        i += 1
    # a leading title or role word is context, not name ("Deserteur Alexander Gorin")
    while i < j and _is_cue(tokens[i].low, conf) and not _is_first_name(tokens[i].word):
        i += 1
    if i > j:
        return None
    run = tokens[i : j + 1]
    org_end = _org_extent(tokens, i, j, conf)
    if org_end is not None:
        if org_end == j and _prefixed(tokens[j].low, conf["org_words"]):
            org_end = _org_complement(tokens, j, lang, conf)
            if org_end == j == i and lang not in names.MORPH_LANGS and _lower_next(tokens, j + 1):
                # a lone head word before lower-case words ("Sdružení nájemníků", "Ústavu
                # zdravotnických informací"): without morphology the rules cannot tell its
                # field from the verb that follows, so the learned tagger reads the extent
                return None
        return Span(i, _before_person(tokens, i, org_end, lang, conf), "organization")
    if _is_person(run, tokens, i, lang, conf):
        return Span(i, j, "person") if _model_agrees(i, j, conf) else None
    if (
        (
            len(run) == 1
            and run[0].word.isupper()
            and 2 <= len(run[0].word) <= 6
            and not run[0].sent_start
        )
        and run[0].low not in _stop(lang)
        and not _is_common(run[0], lang, conf, strict=True)
        and not _not_org_acronym(run[0].word, conf)
    ):
        return Span(i, j, "organization")
    return None


_ROMAN = re.compile(r"^[IVXLC]+$")


def _not_org_acronym(word: str, conf: dict) -> bool:
    """A capitalised abbreviation that names no organisation: a disease, a substance, a
    measure, a medium or a bare legal form ("COVID-19", "СМИ", "ДНК", "ВВП", "ООО";
    `not_org_acronyms`), or a Roman numeral ("II")."""
    head = word.split("-")[0].upper()
    return bool(_ROMAN.match(head)) or head in _acronym_set(conf["not_org_acronyms"])


@cache
def _acronym_set(items: tuple[str, ...]) -> frozenset[str]:
    return frozenset(x.upper() for x in items)


_ORG_LOOKAHEAD = 2  # lower-case adjectives between a name's capitalised first word and its head


def _sentence_case_head(tokens: list[Token], i: int, j: int, lang: str, conf: dict) -> int | None:
    """Slavic languages write most names of bodies in sentence case: a capitalised adjective,
    lower-case adjectives, then a lower-case organisation word ("Европейската комисия",
    "Evropski parlament", "Вищий суд", "Národní rada"). An adjective is capitalised inside a
    sentence only as the start of a name, so such a run is an organisation up to its head. The
    run's capitalised words must all read as adjectives (pymorphy for ru/uk, the language's
    `adjective_endings` elsewhere); none of them is a stop word or a taken name."""
    if not conf.get("adjective_endings") and lang not in names.MORPH_LANGS:
        return None
    if not all(_adjective(t, lang, conf) for t in tokens[i : j + 1]):
        return None
    if tokens[i].low in _stop(lang):
        return None
    k = j + 1
    while k < len(tokens) and k - j <= _ORG_LOOKAHEAD + 1:
        tok = tokens[k]
        if tok.cap or tok.gap != " " or tok.sent_start:
            return None
        if _prefixed(tok.low, conf["org_words"]):
            return k
        if not _adjective(tok, lang, conf):
            return None
        k += 1
    return None


_COMPLEMENT_WORDS = 3  # lower-case words of a body's field: "охорони здоров'я"


def _before_person(tokens: list[Token], i: int, end: int, lang: str, conf: dict) -> int:
    """A body's capitalised run may go on into the name of its officer ("Agencji Rezerw
    Materiałowych Michał Kuczmierowski", "Partii Zielonych Reinhard Bütikofer"): the body ends
    before a given name that follows its organisation word and is followed by a capitalised
    word; the person is read on its own afterwards."""
    seen_head = False
    for k in range(i, end + 1):
        if _prefixed(tokens[k].low, conf["org_words"]):
            seen_head = True
        elif (
            seen_head
            and k > i
            and k < end
            and tokens[k + 1].cap
            and _is_first_name(tokens[k].word, lang)
            and not tokens[k].word.isupper()
        ):
            return k - 1
    return end


def _org_complement(tokens: list[Token], head: int, lang: str, conf: dict) -> int:
    """The last word of the field a body's head word governs, written in lower case:
    "Міністерство юстиції", "Министерство здравоохранения" (ru/uk: nouns and adjectives in
    the genitive, the last a noun), "Министерството на здравеопазването", "Ministrstvo za
    zdravje" (a preposition of `org_complement_prepositions`, then one word, or an adjective
    and its noun). `head` itself when nothing follows."""
    end = head
    if lang in names.MORPH_LANGS:
        k = head + 1
        if (
            _lower_next(tokens, k)
            and tokens[k].low in conf.get("org_complement_prepositions", ())
            and _lower_next(tokens, k + 1)
        ):
            found = names.parses(tokens[k + 1].word, lang)
            if not found or found[0].tag.POS != "NOUN":
                return end
            end = k = k + 1  # "Совет по этике", "Комитет по правам (человека)"
            k += 1
        while k < len(tokens) and k - head <= _COMPLEMENT_WORDS and _lower_next(tokens, k):
            found = names.parses(tokens[k].word, lang)
            if (
                not found
                or found[0].tag.case != "gent"
                or found[0].tag.POS
                not in (
                    "NOUN",
                    "ADJF",
                )
            ):
                break
            if found[0].tag.POS == "NOUN":
                end = k
            k += 1
        return end
    k = head + 1
    preposition = _lower_next(tokens, k) and tokens[k].low in conf.get(
        "org_complement_prepositions", ()
    )
    if preposition and _lower_next(tokens, k + 1) and len(tokens[k + 1].word) >= 3:
        end = k + 1
        if _adjective(tokens[k + 1], lang, conf) and _lower_next(tokens, k + 2):
            end = k + 2
    return end


def _lower_next(tokens: list[Token], k: int) -> bool:
    """Token k exists, is a lower-case word of the same sentence, one space after the last."""
    if k >= len(tokens):
        return False
    tok = tokens[k]
    return not tok.cap and tok.gap == " " and not tok.sent_start and tok.word.isalpha()


def _adjective(tok: Token, lang: str, conf: dict) -> bool:
    if len(tok.word) < 4 or not tok.word.isalpha():
        return False
    if lang in names.MORPH_LANGS:
        return names.is_adjective(tok.word, lang)
    return tok.low.endswith(tuple(conf.get("adjective_endings", ()))) and not _is_first_name(
        tok.word, lang
    )


def _leading_common(tok: Token, lang: str, conf: dict) -> bool:
    """A stop word, or a common word that is capitalised only because it starts a sentence."""
    return tok.low in _stop(lang) or (
        tok.sent_start and _is_common(tok, lang, conf) and not _name_reading(tok, lang)
    )


def _model_agrees(i: int, j: int, conf: dict) -> bool:
    """Without a tagger, always; with one (see _model_spans), when some word of the run is
    within `tagger_rule_margin` of being tagged a name."""
    margins = conf.get("_margins")
    if margins is None:
        return True
    return max(margins[i : j + 1]) >= float(conf.get("tagger_rule_margin", float("-inf")))


def _is_cue(low: str, conf: dict) -> bool:
    """A title or role word ("bloggerul", "Deserteur")."""
    return _prefixed(low, conf["titles"]) or _prefixed(low, _cue_words(conf))


def _cue_words(conf: dict) -> tuple[str, ...]:
    if "_cues" not in conf:
        conf["_cues"] = tuple(c for cs in conf["roles"].values() for c in cs if " " not in c)
    return conf["_cues"]


def _org_extent(tokens: list[Token], i: int, j: int, conf: dict) -> int | None:
    words = conf["org_words"]
    if not any(_prefixed(t.low, words) for t in tokens[i : j + 1]):
        return None
    end = j
    # extend over connectors to following capitalised words: "Curtea Supremă a Kazahstanului"
    k = end + 1
    while (
        k + 1 < len(tokens)
        and tokens[k].low in conf["org_connectors"]
        and tokens[k].low not in conf.get("org_coordinators", ())  # "Uniper i Engie": two
        and not tokens[k].cap
        and tokens[k].start - tokens[k - 1].end == 1
    ):
        n = k + 1
        while n < len(tokens) and tokens[n].low in conf["org_connectors"]:
            n += 1
        if n < len(tokens) and tokens[n].cap and not tokens[n].sent_start and n - i < _MAX_RUN + 4:
            end = n
            while end + 1 < len(tokens) and tokens[end + 1].cap and not tokens[end + 1].sent_start:
                end += 1
            k = end + 1
        else:
            break
    return end


def _prefixed(word: str, prefixes: tuple[str, ...]) -> bool:
    """`word` starts with one of `prefixes` (short ones, under 5 letters, must match whole)."""
    long, short = _matcher(prefixes)
    return word in short or word.startswith(long)


@cache
def _matcher(prefixes: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[str]]:
    return tuple(p for p in prefixes if len(p) >= 5), frozenset(p for p in prefixes if len(p) < 5)


def _is_person(run: list[Token], tokens: list[Token], i: int, lang: str, conf: dict) -> bool:
    caps = [t for t in run if t.cap]
    if any(t.word.isupper() and len(t.word) > 2 or "." in t.word[:-1] for t in caps):
        return False
    if all(_inflected_common(t, lang, conf) for t in caps):
        return False  # Polish "Unii Europejskiej": forms of unia, europejski
    if any(_russian_adjective(t, lang, conf) for t in caps):
        return False  # "the Yevropeiskaya hotel": Европейская
    if any(t.low in _stop(lang) for t in caps):
        return False
    if len(caps) >= 2:
        head = caps[0].word
        if _is_first_name(head, lang) or _is_initial(head) or _name_reading(caps[0], lang):
            return not _lookup_run(run, lang, conf)
        if not any(_is_common(t, lang, conf) for t in caps) and not any(
            _lookup_run([t], lang, conf) for t in caps
        ):
            return _surname_like(caps[-1], lang, conf)
        return False
    tok = caps[0]
    if _lookup_run([tok], lang, conf) or "." in tok.word or len(tok.word) < 3:
        return False
    if _after_title(tokens, i, conf):
        return True
    if _is_common(tok, lang, conf):
        return False
    if tok.sent_start:
        return _surname_like(tok, lang, conf) and lang in names.MORPH_LANGS
    if _surname_like(tok, lang, conf) or _is_first_name(tok.word, lang):
        return True
    inflected = any(tok.low.endswith(x) for x in conf.get("not_person_endings", []))
    return bool(conf.get("unknown_is_person")) and not inflected


def _inflected_common(tok: Token, lang: str, conf: dict) -> bool:
    """Not ru/uk: the dictionary reads the word as a form of a frequent lower-case word (an
    adjective, a common noun), and it is no given name."""
    if lang in names.MORPH_LANGS or _is_first_name(tok.word, lang):
        return False
    lemma = dictionary_lemma(tok.word, lang)
    return (
        lemma is not None
        and lemma[:1].islower()
        and lemma != tok.low
        and _zipf(lemma, lang) >= float(conf["common_zipf"])
    )


def _russian_adjective(tok: Token, lang: str, conf: dict) -> bool:
    """Latin script only: a transliterated Russian adjective (by its ending, then read back)."""
    if lang in names.MORPH_LANGS or not tok.low.endswith(conf["latin_russian_adjective_endings"]):
        return False
    return not _is_first_name(tok.word, lang) and names.is_russian_adjective_in_latin(tok.word)


def _after_title(tokens: list[Token], i: int, conf: dict) -> bool:
    """Right after a title word, in the same sentence ("адвокат Петров", "lawyer Smith")."""
    if i == 0 or tokens[i].sent_start or tokens[i].gap != " ":
        return False
    return _prefixed(tokens[i - 1].low, conf["titles"])


def _surname_like(tok: Token, lang: str, conf: dict) -> bool:
    if lang in names.MORPH_LANGS:
        if names.has_tag(tok.word, lang, ("Surn",), min_score=0.1):
            return True
        if names.is_known_word(tok.word, lang):
            return False
    low = tok.low
    if tok.word in surnames():
        return True
    stems = [low] + [
        low[: -len(e)] for e in conf.get("name_endings", []) if low.endswith(e) and len(low) > 6
    ]
    return any(len(x) > 4 and x.endswith(tuple(conf["surname_suffixes"])) for x in stems)


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word[0].isupper() and word[1] == "."


@cache
def _folded_first_names() -> frozenset[str]:
    return disk_cached("folded-first-names", _fold_first_names)


def _fold_first_names() -> frozenset[str]:
    found = {fold(n) for n in first_names()}
    found |= {fold(n) for group in first_name_groups() for n in group}
    return frozenset(found)


@lru_cache(maxsize=WORD_CACHE)
def _is_first_name(word: str, lang: str = "") -> bool:
    """A given name in the name lists, also without the language's case endings (Timura)."""
    if word in first_names() or fold(word) in _folded_first_names():
        return True
    return any(
        word.endswith(end) and len(word) - len(end) >= 3 and _is_first_name(word[: -len(end)])
        for end in (lang_config(lang).get("name_endings", []) if lang else [])
    )


@cache
def _stop(lang: str) -> frozenset[str]:
    return frozenset(lang_config(lang)["not_names"])


def _is_common(tok: Token, lang: str, conf: dict, strict: bool = False) -> bool:
    """An ordinary word: a stop word, written in lower case elsewhere in the document, or
    frequent (wordfreq) and, for ru/uk, known to the dictionary as a common word, for other
    languages not in the name lists."""
    if tok.low in _stop(lang) or tok.low in conf.get("_lower", ()):
        return True
    if lang in names.MORPH_LANGS:
        if not names.is_known_word(tok.word, lang):
            return False
    elif tok.word in first_names() or tok.word in surnames():
        return False
    return _zipf(tok.low, lang) >= float(conf["common_zipf"]) - (0.8 if strict else 0.0)


def _zipf(word: str, lang: str) -> float:
    return zipf(word, lang)


# ---- 5. lone surnames -----------------------------------------------------------------------


def _surname_spans(
    tokens: list[Token], taken: list[bool], spans: list[Span], lang: str
) -> list[Span]:
    keys = set()
    for span in spans:
        if span.type == "person":
            last = tokens[span.last]
            keys.add(_surname_key(last, lang))
    out: list[Span] = []
    for k, tok in enumerate(tokens):
        if not taken[k] and tok.cap and len(tok.word) > 2 and _surname_key(tok, lang) in keys:
            span = Span(k, k, "person")
            out.append(span)
            _take(taken, span)
    return out


def _surname_key(tok: Token, lang: str) -> str:
    from dossier.entities.translit import neutral

    word = names.surname_base(tok.word, lang, {}) if lang in names.MORPH_LANGS else tok.word
    return neutral(fold(word))


# ---- mentions -------------------------------------------------------------------------------


def _to_mentions(
    doc: Document, tokens: list[Token], spans: list[Span], lang: str, conf: dict
) -> list[Mention]:
    hints = _name_hints(doc.text, tokens, spans, lang)
    known = _known_surnames(tokens, spans, lang, hints)
    owner = [-1] * len(tokens)
    for n, span in enumerate(spans):
        for k in range(span.first, span.last + 1):
            owner[k] = n
    mentions: list[Mention] = []
    for n, span in enumerate(spans):
        run = tokens[span.first : span.last + 1]
        start, end = run[0].start, run[-1].end
        text = doc.text[start:end]
        base = _base(run, span, lang, known, conf, hints.get(n))
        place = span.place or _lookup_run(run, lang, conf)
        country = place.country if place is not None and span.type != "person" else None
        role = _role(tokens, span, conf, owner) if span.type == "person" else None
        mentions.append(
            Mention(
                id=f"{doc.id}:m{n}",
                document=doc.id,
                start=start,
                end=end,
                text=text,
                type=span.type,
                base=base,
                latin=to_latin(base, lang),
                language=lang,
                role=role,
                country=country,
            )
        )
    return mentions


def _known_surnames(
    tokens: list[Token], spans: list[Span], lang: str, hints: dict[int, tuple]
) -> dict[str, str]:
    """The surnames of the document's full names, based with the help of the capitalised words
    it attests (a nominative written anywhere) and of the given names' contextual hints."""
    known: dict[str, str] = {}
    if lang not in names.MORPH_LANGS:
        return known
    attested = frozenset(t.low for t in tokens if t.cap)
    for n, span in enumerate(spans):
        run = tokens[span.first : span.last + 1]
        if span.type == "person" and len(run) >= 2:
            words = [t.word for t in run]
            base = names.person_base(words, lang, attested=attested, hint=hints.get(n))
            known[base[-1].lower()] = base[-1]
    return known


def _base(
    run: list[Token],
    span: Span,
    lang: str,
    known: dict[str, str],
    conf: dict,
    hint: tuple | None = None,
) -> str:
    words = [t.word for t in run]
    if span.type == "person":
        return _join(run, names.person_base(words, lang, known, conf["_attested"], hint))
    if lang in names.MORPH_LANGS:
        return _join(run, names.phrase_base(words, lang))
    found = _place_form(run, lang, conf)
    return found[0] if found else _join(run, words)


def _role(tokens: list[Token], span: Span, conf: dict, owner: list[int]) -> str | None:
    """The role word nearest to the name: up to 3 words before it or 4 after it, not past
    another name."""
    before = [(span.first - d, d) for d in range(1, 4)]
    after = [(span.last + d, d) for d in range(1, 5)]
    best: tuple[int, str] | None = None
    for side in (before, after):
        for k, dist in side:
            if not 0 <= k < len(tokens) or owner[k] >= 0:
                break
            inner = k + 1 if side is before else k - 1  # the token next to k, towards the name
            lo, hi = min(k, inner), max(k, inner)
            if tokens[hi].start - tokens[lo].end > 1 and not (side is after and dist == 1):
                break  # punctuation between the cue and the name
            best = _closer(best, _cue_at(tokens, k, conf), dist)
    return best[1] if best else None


def _closer(best: tuple[int, str] | None, role: str | None, dist: int) -> tuple[int, str] | None:
    if role is not None and (best is None or dist < best[0]):
        return (dist, role)
    return best


def _cue_at(tokens: list[Token], k: int, conf: dict) -> str | None:
    low = tokens[k].low
    for role, cues in conf["roles"].items():
        if any(low.startswith(c.split()[0]) and _phrase_at(tokens, k, c) for c in cues):
            return role
    return None


def _phrase_at(tokens: list[Token], k: int, cue: str) -> bool:
    words = cue.split()
    if k + len(words) > len(tokens):
        return False
    return all(tokens[k + n].low.startswith(w) for n, w in enumerate(words))
