"""Who an event happened to, where no parser reads the sentence: agreement and word order.

For the languages without a dependency parser (Ukrainian, Polish, Czech, Slovene, Bulgarian)
the nearest name is only a candidate; grammar rules some candidates out:

- a passive participle ("skazana", "осъдена", "засуджений") or, for an event the subject does
  (fled, applied, appealed), a past verb ("uciekł", "втекла", "utekla") agrees in gender with
  the person it is said of: a name of the other gender is not its subject, nor is a person
  carried from an earlier sentence;
- the person named right before an active verb, with nothing but a few words between, is the
  one who acts ("George Soros chce zatrzymać Brexit", "Тръмп ... обвини Китай"): for an event
  done to someone (detained, charged, released) that person is no subject; a Ukrainian name
  that reads as accusative is the object and stays;
- a name is not fetched across a colon ("Імпічмент Трампа: звинувачення ... можуть передати");
- a gendered pronoun standing before a trigger noun ("jej uwolnienia", "її виправдання") or
  right before an active verb ("Той освободи ...") tells whom it speaks of.

The word forms come from pymorphy3 for Ukrainian and from suffix tables in each language's data
file (`"agreement"`), which hold general inflection endings, never names from the texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dossier.events.lexicon import Lexicon, Token
from dossier.model import Mention

AGENT_GAP = 4  # tokens: the name, up to three words ("за пореден път", "chce"), the verb
COLON = re.compile(r"(?<!\d):(?!\d)")


@dataclass(frozen=True)
class Form:
    """What a trigger word says about its subject."""

    kind: str  # "participle" | "past" | "finite" | "impersonal" | "infinitive" | "other"
    gender: str | None = None  # "masc" | "femn" | "neut"
    plural: bool = False


def _table(lexicon: Lexicon) -> dict[str, Any]:
    return lexicon.raw.get("agreement", {})


def active(lexicon: Lexicon) -> bool:
    return bool(_table(lexicon))


def _by_suffix(word: str, table: dict[str, Any]) -> Form:
    """The longest ending of `word` in the language's suffix tables."""
    best: tuple[int, Form] = (0, Form("other"))
    for kind in ("participle", "past", "finite", "impersonal"):
        for label, endings in table.get(kind, {}).items():
            for end in endings:
                if len(end) > best[0] and word.endswith(end) and len(word) > len(end) + 2:
                    gender = label if label in ("masc", "femn", "neut") else None
                    best = (len(end), Form(kind, gender, label == "plur"))
    return best[1]


def _by_morph(word: str, lexicon: Lexicon) -> Form:
    from dossier.events.lexicon import _morph

    parses = _morph(lexicon.language).parse(word)
    infinitive = any(word.endswith(s) for s in lexicon.raw.get("infinitive_suffixes", []))
    # "просить" is read first as a dialect infinitive; without an infinitive ending it is not
    tag = next((p.tag for p in parses if infinitive or "infn" not in p.tag.grammemes),
               parses[0].tag)
    plural = tag.number == "plur"
    if tag.POS == "INFN" or (tag.POS == "VERB" and "infn" in tag.grammemes):  # uk "VERB,infn"
        return Form("infinitive")
    if tag.POS == "VERB" and "Impe" in tag.grammemes:
        return Form("impersonal")
    if tag.POS == "VERB" and tag.tense == "past":
        return Form("past", tag.gender, plural)
    if tag.POS == "VERB":
        return Form("finite", None, plural)
    if tag.POS in ("ADJF", "PRTF", "ADJS", "PRTS") and "pssv" in tag.grammemes:
        return Form("participle", tag.gender, plural)
    return Form("other")


def word_form(word: str, lexicon: Lexicon) -> Form:
    word = word.lower()
    if any(word.endswith(s) for s in lexicon.raw.get("infinitive_suffixes", [])
           if len(word) > len(s) + 2):
        form = Form("infinitive")
        if lexicon.lemmatizer != "pymorphy3":
            return form
    if lexicon.lemmatizer == "pymorphy3":
        return _by_morph(word, lexicon)
    return _by_suffix(word, _table(lexicon))


def trigger_form(first: int, tokens: list[Token], lexicon: Lexicon) -> Form:
    """The trigger's head word form; a passive auxiliary just before it ("została",
    "je bila", "беше") makes it passive and may give the gender the participle lacks."""
    form = word_form(tokens[first].text, lexicon)
    if form.kind == "past":
        return form  # "je zapustila": the auxiliary of an active past, not a passive
    auxiliaries = set(_table(lexicon).get("auxiliaries", []))
    for tok in tokens[max(0, first - 2): first]:
        if tok.text.lower() in auxiliaries:
            aux = word_form(tok.text, lexicon)
            gender = form.gender or aux.gender
            return Form("participle", gender, form.plural or aux.plural)
    return form


# ---- the people's gender -----------------------------------------------------------------


def _ends(word: str, endings: list[str]) -> bool:
    return any(word.endswith(e) for e in endings)


def _dictionary_gender(word: str, lexicon: Lexicon) -> str | None:
    """The gender of a given name the dictionary knows in one gender only ("Тимура": masc;
    "Олександра" reads as both)."""
    from dossier.events.lexicon import _morph

    genders = {p.tag.gender for p in _morph(lexicon.language).parse(word)
               if p.is_known and "Name" in p.tag.grammemes and p.tag.number != "plur"}
    return genders.pop() if len(genders) == 1 else None


def _mention_gender(m: Mention, table: dict[str, Any], given: str = "") -> str | None:
    """The gender one mention's form shows: a feminine surname ending ("-ová", "-ска"), or a
    given name in the nominative ("Asia Bibi", "Ася Биби": femn; "Donald Trump": masc).
    `given`: a capitalised word just before a one-word mention, a given name the entities
    stage left out ("Азія" read as the continent)."""
    words = [w.lower() for w in re.findall(r"\w[\w'’-]*", f"{given} {m.text}")]
    if not words:
        return None
    last = words[-1]
    if _ends(last, table.get("female_surnames", [])):
        return "femn"
    if _ends(last, table.get("male_endings", [])):
        return "masc"  # "Jezusowi", "Babišovi": a masculine dative
    if len(words) < 2:
        return None
    first = words[0]
    female_first = table.get("female_given", [])
    if _ends(first, female_first) and not _ends(last, female_first):
        return "femn"  # "Asia Bibi"; not "Donalda Trumpa", where both words are oblique
    if first[-1:].isalpha() and not _ends(first, table.get("vowels", [])) and (
            not _ends(last, table.get("vowels", [])) or not table.get("cases", True)):
        return "masc"  # "Donald Trump", "Muhammad Bilal"
    return None


def _key(m: Mention) -> str:
    words = re.findall(r"\w+", m.text.lower())
    return words[-1] if words else ""


def _same(a: str, b: str) -> bool:
    """Two surname forms of one person ("bibi", "bibiová", "bibiové"; "trump", "trumpa")."""
    short, long_ = sorted((a, b), key=len)
    if len(short) < 4:
        return short == long_
    return long_.startswith(short[:-1]) and len(long_) - len(short) <= 4


GIVEN_BEFORE = re.compile(r"(?<=[\w,;] )([^\W\d_][\w'’-]*) $")


def _given_before(m: Mention, text: str) -> str:
    """The capitalised word right before a one-word mention, not opening a sentence."""
    if " " in m.text.strip():
        return ""
    found = GIVEN_BEFORE.search(text[max(0, m.start - 40): m.start])
    word = found.group(1) if found else ""
    return word if word[:1].isupper() and not word.isupper() else ""


def person_genders(mentions: list[Mention], lexicon: Lexicon, text: str) -> dict[str, str]:
    """Mention id -> gender, from every mention of the same surname in the document; a
    surname whose mentions disagree has none."""
    table = _table(lexicon)
    people = [m for m in mentions if m.type == "person"]
    shown = {m.id: _mention_gender(m, table, _given_before(m, text)) for m in people}
    if lexicon.lemmatizer == "pymorphy3":
        for m in people:
            words = m.text.split()
            if len(words) >= 2:
                shown[m.id] = _dictionary_gender(words[0], lexicon) or shown[m.id]
    out: dict[str, str] = {}
    for m in people:
        votes = {shown[o.id] for o in people if _same(_key(o), _key(m))} - {None}
        if len(votes) == 1:
            out[m.id] = votes.pop()  # type: ignore[assignment]
    return out


# ---- the rules ---------------------------------------------------------------------------


def subject_agrees(form: Form, role: str) -> bool:
    """True when the event's person is the trigger's grammatical subject: a passive
    participle's ("skazana"), or an active verb's when the person acts ("uciekł")."""
    return (role == "patient" and form.kind == "participle") or (
        role == "agent" and form.kind in ("past", "finite"))


def subject_gender(form: Form, role: str) -> str | None:
    """The gender the trigger requires of its subject, when its form agrees with it."""
    if form.plural or not subject_agrees(form, role) or form.kind == "finite":
        return None
    return form.gender


def _accusative(m: Mention, lexicon: Lexicon) -> bool:
    """Some word of the name reads as accusative: Ukrainian by pymorphy3 ("Азію Бібі"),
    elsewhere a feminine given name's accusative ending ("Annę", "Asiu", "Asio")."""
    if lexicon.lemmatizer != "pymorphy3":
        words = m.text.lower().split()
        return len(words) >= 2 and _ends(words[0], _table(lexicon).get("accusative_given", []))
    from dossier.events.lexicon import _morph

    morph = _morph(lexicon.language)
    return any("accs" in p.tag.grammemes and "nomn" not in morph.parse(w)[0].tag.grammemes
               for w in m.text.split() for p in morph.parse(w)[:2])


def acts(span: tuple[int, int], first: int, tokens: list[Token], text: str,
         lexicon: Lexicon) -> bool:
    """True when the name spanning tokens `span` stands right before the active verb at
    token `first` with no boundary between: the one who acts."""
    _, last = span
    if not 0 < first - last <= AGENT_GAP:
        return False
    gap = text[tokens[last].end: tokens[first].start]
    if re.search(r"[,;:()\u2013\u2014\"«»„“”]|\s-\s", gap):
        return False
    between = {t.text.lower() for t in tokens[last + 1: first]}
    table = _table(lexicon)
    return not between & (set(table.get("auxiliaries", [])) | set(table.get("not_agent", [])))


def nominative(m: Mention, lexicon: Lexicon) -> bool:
    """True when the name's form can only be a nominative: Ukrainian, no word reads in another
    case; elsewhere a given name and surname in their dictionary form ("Muhammad Bilal",
    "Asia Bibi"; not "Asię Bibi", "Donalda Trumpa")."""
    words = re.findall(r"\w[\w'’-]*", m.text)
    if lexicon.lemmatizer == "pymorphy3":
        from dossier.events.lexicon import _morph

        morph = _morph(lexicon.language)
        known = [morph.parse(w)[0] for w in words]
        return bool(known) and all(p.tag.case == "nomn" and p.is_known for p in known)
    table = _table(lexicon)
    return len(words) >= 2 and table.get("cases", True) and _mention_gender(
        m, table) is not None


def _speaker(span: tuple[int, int], first: int, tokens: list[Token], text: str,
             lexicon: Lexicon) -> bool:
    """True when the name stands in a clause of its own with a speech verb before it ("... ,
    - повідомив в коментарі DW голова в'язниці Салім Баіг"): it says, it is not said of."""
    from dossier.events.lexicon import any_match

    lo = span[0]
    while lo > 0 and not CLAUSE.search(text[tokens[lo - 1].end: tokens[lo].start]):
        lo -= 1
    if lo <= first <= span[1]:
        return False
    hi = span[1]
    while hi + 1 < len(tokens) and not CLAUSE.search(text[tokens[hi].end: tokens[hi + 1].start]):
        hi += 1
    if lo <= first <= hi:
        return False
    return any_match(lexicon.patterns("speech"), tokens[lo: span[0]])


ACTIVE = ("past", "finite", "infinitive", "impersonal")
CLAUSE = re.compile(r"[,;:()\u2013\u2014\"«»„“”]|\s-\s")


def _clause_start(first: int, tokens: list[Token], text: str) -> int:
    lo = first
    while lo > 0 and not CLAUSE.search(text[tokens[lo - 1].end: tokens[lo].start]):
        lo -= 1
    return lo


def _relative_antecedent(people: list[tuple[Mention, tuple[int, int]]], first: int,
                         tokens: list[Token], text: str, lexicon: Lexicon,
                         genders: dict[str, str]) -> list[tuple[Mention, tuple[int, int]]] | None:
    """When the trigger's clause opens with a relative pronoun ("Bibi, która została
    skazana", "křesťanku, která byla odsouzena"), its subject is the name the pronoun follows
    (or the name a role noun there stands beside: "Bibijeva, prva ženska, ki je bila
    obsojena"). `people` are all persons of the sentence: a clause fastened to a lawyer's name
    says it of the lawyer. [] when the pronoun follows a noun that names no one. None: no
    such clause."""
    from dossier.events.lexicon import any_match

    lo = _clause_start(first, tokens, text)
    if lo == 0 or lo == first or not any_match(lexicon.patterns("relative"), tokens[lo: lo + 1]):
        return None
    if tokens[lo].text.lower() in _table(lexicon).get("possessive_relatives", []):
        return None  # "Блинкена, чий прадід ... емігрував": the clause has its own subject
    before = lo - 1
    nouns = lexicon.patterns("descriptors") + lexicon.patterns("group_nouns")
    pronoun = tokens[lo].text.lower()
    agrees = [g for g, words in _table(lexicon).get("relative_genders", {}).items()
              if pronoun in words]
    for _ in range(2):
        for m, span in people:
            if span[1] == before:
                return [(m, span)]
        start = _clause_start(before, tokens, text)
        if not any_match(nouns, tokens[start: before + 1]):
            # "Asia Bibi to 47-letnia chrześcijanka, która ...": the relative pronoun's gender
            # names the one person of the clause before; "osvobodil křesťanku, která": no one
            same = [(m, span) for m, span in people if start <= span[0] and span[1] <= before
                    and agrees and genders.get(m.id) == agrees[0]]
            return same[-1:]
        inside = [(m, span) for m, span in people if start <= span[0] and span[1] <= before]
        if inside:
            return inside[-1:]  # "Asia Bibi to 47-letnia chrześcijanka, która ..."
        if start == 0:
            return []
        before = start - 1  # "Bibijeva, prva ženska, ki ...": the role noun stands beside X
    return []


def same_clause(a: int, b: int, tokens: list[Token], text: str) -> bool:
    """True when no clause boundary stands between tokens a and b."""
    lo, hi = sorted((a, b))
    return not CLAUSE.search(text[tokens[lo].end: tokens[hi].start])


def _parenthesised(span: tuple[int, int], first: int, tokens: list[Token], text: str) -> bool:
    """True when the name stands inside brackets the trigger is outside of."""
    at = tokens[span[0]].start
    opened = text.rfind("(", 0, at)
    if opened < 0 or text.rfind(")", 0, at) > opened:
        return False
    closed = text.find(")", at)
    pos = tokens[first].start
    return not (opened < pos and (closed < 0 or pos < closed))


def _object_not_named(first: int, people: list[tuple[Mention, tuple[int, int]]],
                      tokens: list[Token], text: str, lexicon: Lexicon) -> bool:
    """True when the object right after an active verb is a noun that names no one here: a
    role noun ("osvobodil křesťanku", not "затримали активіста Тимура Беккулова"), or in
    Ukrainian a thing in the accusative ("передати статтю", "оскаржити підсумки")."""
    from dossier.events.lexicon import any_match

    k = first + 1
    if k >= len(tokens) or CLAUSE.search(text[tokens[first].end: tokens[k].start]):
        return False
    if any(span[0] <= k + 1 <= span[1] or span[0] == k for _, span in people):
        return False  # a name follows at once: it is the object
    nouns = lexicon.patterns("descriptors") + lexicon.patterns("group_nouns")
    if any_match(nouns, [tokens[k]]):
        return True
    if lexicon.lemmatizer != "pymorphy3":
        return False
    from dossier.events.lexicon import _morph

    parses = _morph(lexicon.language).parse(tokens[k].text.lower())[:3]
    things = all(p.tag.POS == "NOUN" and "inan" in p.tag.grammemes for p in parses)
    return (parses[0].is_known and things and any(p.tag.case == "accs" for p in parses)
            and not tokens[k].text[:1].isupper())


def _controller(first: int, tokens: list[Token], text: str, lexicon: Lexicon) -> bool:
    """Ukrainian: a common noun right before an infinitive ("допомогти родині виїхати") is
    the one who would act; the event is not a named person's."""
    if first == 0 or lexicon.lemmatizer != "pymorphy3":
        return False
    prev = tokens[first - 1]
    if CLAUSE.search(text[prev.end: tokens[first].start]) or prev.text[:1].isupper():
        return False
    from dossier.events.lexicon import _morph

    p = _morph(lexicon.language).parse(prev.text.lower())[0]
    return p.is_known and p.tag.POS == "NOUN"


def names_no_one(people: list[tuple[Mention, tuple[int, int]]],
                 everyone: list[tuple[Mention, tuple[int, int]]], first: int, last: int,
                 form: Form, role: str, genders: dict[str, str], tokens: list[Token],
                 text: str, lexicon: Lexicon) -> bool:
    """True when grammar gives the trigger a subject that is no named person: the object of
    an active verb is a role noun or a thing, an infinitive's doer is a common noun, or a
    relative pronoun stands for a noun that names no one. The caller records no event (the
    nearest name or the last subject would be a guess)."""
    if (role == "patient" and first == last and form.kind in ACTIVE
            and _object_not_named(first, people, tokens, text, lexicon)):
        return True
    if role == "agent" and form.kind == "infinitive" and _controller(first, tokens, text,
                                                                      lexicon):
        return True
    return (subject_agrees(form, role)
            and _relative_antecedent(everyone, first, tokens, text, lexicon, genders) == [])


def eligible(people: list[tuple[Mention, tuple[int, int]]],
             everyone: list[tuple[Mention, tuple[int, int]]], first: int, last: int,
             form: Form, role: str, genders: dict[str, str], tokens: list[Token], text: str,
             lexicon: Lexicon) -> list[tuple[Mention, tuple[int, int]]]:
    """The candidates grammar allows as the subject of the trigger at tokens first..last."""
    need = subject_gender(form, role)
    single = first == last  # "перебуває у в'язниці" says where its subject is: no object
    if subject_agrees(form, role):
        antecedent = _relative_antecedent(everyone, first, tokens, text, lexicon, genders)
        if antecedent is not None:
            people = antecedent
    out = []
    for m, span in people:
        gender = genders.get(m.id)
        if need and gender not in (None, need):
            continue  # "... odsouzena ... proroka Mohameda": a man is no "odsouzena"
        if role == "patient" and single and form.kind in ACTIVE and form.kind != "impersonal":
            if (span[1] < first and acts(span, first, tokens, text, lexicon)
                    and not _accusative(m, lexicon)):
                continue  # "George Soros chce zatrzymać Brexit"
            if (form.kind == "past" and not form.plural and form.gender == gender
                    and gender is not None and nominative(m, lexicon)):
                continue  # "przekazał bratanek kleryka Muhammad Bilal": he acts
        if (role == "agent" and form.kind in ("past", "finite")
                and lexicon.lemmatizer == "pymorphy3" and _oblique(m, lexicon, text)):
            continue  # "чоловік ... Азії Бібі ... попросив": the one who asks is nominative
        lo, hi = sorted((tokens[span[0]].start, tokens[first].start))
        if COLON.search(text[lo:hi]):
            continue  # "Імпічмент Трампа: звинувачення ... можуть передати"
        if _speaker(span, first, tokens, text, lexicon):
            continue
        if _parenthesised(span, first, tokens, text):
            continue  # "prosiłem brytyjską premier (Theresę May)"
        out.append((m, span))
    return out


def acting(persons: list[tuple[Mention, tuple[int, int]]], first: int, form: Form,
           genders: dict[str, str], tokens: list[Token], text: str,
           lexicon: Lexicon) -> list[Mention]:
    """For an event its subject does to itself (fled, applied for asylum): a person the
    candidate rules set aside as a lawyer or official, when the text makes them the verb's
    own subject ("Її адвокат Саіф-уль-Мулук залишив країну", "Obhájce ... Saif Mulúk
    uprchl"): the name right before the active verb, agreeing with it."""
    if form.kind not in ("past", "finite"):
        return []
    out = []
    for m, span in persons:
        gender = genders.get(m.id)
        if (span[1] < first and acts(span, first, tokens, text, lexicon)
                and (form.gender is None or gender in (None, form.gender))
                and not (lexicon.lemmatizer == "pymorphy3" and _oblique(m, lexicon))):
            out.append(m)
    return out[-1:]


def _oblique(m: Mention, lexicon: Lexicon, text: str = "") -> bool:
    """Ukrainian: no reading of the name (with a capitalised word just before it, a given name
    the entities stage left out: "Азії Бібі") is a nominative."""
    from dossier.events.lexicon import _morph

    morph = _morph(lexicon.language)
    words = re.findall(r"\w[\w'’-]*", f"{_given_before(m, text) if text else ''} {m.text}")
    parses = [morph.parse(w) for w in words]
    given = [p for p in parses[0] if p.is_known and "Name" in p.tag.grammemes
             and p.tag.number != "plur"] if parses else []  # "Олени" is no plural here
    if given:  # "Олени Гук": the given name's case; "гук" is also a common noun
        return not any(p.tag.case == "nomn" for p in given)
    known = [ps for ps in parses if ps and ps[0].is_known]  # "Сідаренка": a guess, no reading
    return bool(known) and all(not any(p.tag.case == "nomn" for p in ps) for ps in known)


def pronoun_gender(first: int, form: Form, tokens: list[Token], lexicon: Lexicon) -> str | None:
    """The gender of a pronoun that speaks of the trigger's subject: a possessive right before
    a trigger noun ("jej uwolnienia"), or the word right before or after the trigger."""
    pronouns = _table(lexicon).get("pronouns", {})
    near = tokens[max(0, first - 1): first] + tokens[first + 1: first + 2]
    if form.kind not in ("other", "participle"):
        return None
    for tok in near:
        for gender, words in pronouns.items():
            if tok.text.lower() in words:
                return gender
    return None


def pronoun_acts(first: int, form: Form, tokens: list[Token], lexicon: Lexicon) -> bool:
    """A nominative pronoun right before an active verb ("Той освободи лидерското място"):
    the person it names acts, and is not the one the event happens to."""
    if form.kind not in ("past", "finite"):
        return False
    nominative = set(_table(lexicon).get("nominative_pronouns", []))
    return any(t.text.lower() in nominative for t in tokens[max(0, first - 2): first])


def pro_drop(subjects: list[str], form: Form, role: str, genders: dict[str, str]) -> bool:
    """True when the trigger's own form names its unexpressed subject ("Wkrótce potem została
    aresztowana", "втекла"): a gendered form whose gender every carried person has (known,
    not guessed)."""
    need = subject_gender(form, role)
    return bool(need and subjects) and all(genders.get(s) == need for s in subjects)


def carried(subjects: list[str], first: int, form: Form, role: str,
            genders: dict[str, str], tokens: list[Token], lexicon: Lexicon) -> list[str]:
    """The carried subjects that agree with the trigger and the pronoun speaking of them."""
    if role == "patient" and pronoun_acts(first, form, tokens, lexicon):
        return []
    if subject_agrees(form, role) and form.plural and len(subjects) < 2:
        return []  # "подобни нарушители са били освобождавани": not the one named before
    need = subject_gender(form, role) or pronoun_gender(first, form, tokens, lexicon)
    if need is None:
        return subjects
    return [s for s in subjects if genders.get(s) in (None, need)]
