"""Who an event happened to, read from the sentence's dependency tree.

For a language whose lexicon names a parser (`"syntax": "natasha"`: Russian, with natasha's
Universal Dependencies parser that ships in the natasha package), the subject of a trigger is
the person the clause is about, not the nearest name:

- patient events (detained, charged, sentenced, deported, released ...): the object of an
  active verb ("арестовали Иванова"), the subject of a passive ("Иванов был задержан"), the
  noun a participle describes ("задержанный ... Павел Д."), the genitive of a noun
  ("задержание Иванова"), the dative of a verb whose object is the trigger noun ("вынес
  Иванову приговор", "Иванову предъявлено обвинение");
- agent events (fled, applied for asylum, appealed): the subject of the verb, or of the verb
  whose object the trigger noun is ("подал апелляцию", "попросил убежища");
- through a relative pronoun ("Биби, которая была приговорена") to what it refers to, through
  conjunctions to every name of a list and to a verb sharing its subject ("был задержан и
  затем экстрадирован").

`subjects` answers with the names found, or says the clause's argument is a pronoun (the
caller carries the last named subject), a noun that names no one here ("муж", "полиция": no
event for a nearby name), or that the tree says nothing (the caller decides).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from dossier.model import Mention

Verdict = Literal["named", "pronoun", "other", "unknown"]

PATIENT_OF_VERB = {"obj", "nsubj:pass"}
SUBJECT = {"nsubj", "nsubj:pass"}
LIST_RELS = {"conj", "appos", "flat:name", "flat", "flat:foreign"}
NOUNISH = {"NOUN", "PROPN", "PRON", "DET"}
CLIMB = {"obj", "obl", "nmod", "nsubj:pass", "nsubj", "xcomp", "iobj"}
AGAINST = {"против", "проти"}
RECIPROCAL = {"друг", "друга", "другу", "другом"}  # "обвинили друг друга": no one in particular
AGAINST_NOUNS = {"отношении", "відношенні"}


@dataclass(frozen=True)
class Word:
    index: int
    start: int  # offsets in the document text
    end: int
    text: str
    head: int  # index of the head word, -1 for the root
    rel: str
    pos: str
    feats: dict[str, str]


@dataclass
class Result:
    verdict: Verdict
    names: list[Mention]
    others: list[Word] = field(default_factory=list)  # the nouns it names instead, or the pronoun


@cache
def _natasha() -> tuple[object, object, object]:
    from natasha import NewsSyntaxParser, Segmenter

    from dossier.entities.resources import natasha_embedding, natasha_morph_tagger

    return Segmenter(), NewsSyntaxParser(natasha_embedding()), natasha_morph_tagger()


def parse(text: str, offset: int) -> list[Word]:
    """The dependency tree of one sentence (`text` starts at `offset` in the document)."""
    from natasha import Doc

    segmenter, syntax, morph = _natasha()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.parse_syntax(syntax)
    doc.tag_morph(morph)
    words: list[Word] = []
    ids: dict[str, int] = {}
    for sent in doc.sents:
        for tok in sent.tokens:
            ids[tok.id] = len(words)
            words.append(Word(len(words), offset + tok.start, offset + tok.stop, tok.text, -1,
                              tok.rel or "", tok.pos or "", dict(tok.feats or {})))
        for tok in sent.tokens:
            k = ids[tok.id]
            w = words[k]
            head = ids.get(tok.head_id, -1) if tok.head_id != tok.id else -1
            words[k] = Word(w.index, w.start, w.end, w.text, head, w.rel, w.pos, w.feats)
    return words


def _children(words: list[Word], k: int) -> list[Word]:
    return [w for w in words if w.head == k]


def _word_at(words: list[Word], start: int, end: int) -> int | None:
    """The head word of the span [start, end): the one whose head lies outside it."""
    inside = [w for w in words if w.start >= start and w.end <= end]
    if not inside:
        inside = [w for w in words if w.start < end and w.end > start]
    if not inside:
        return None
    span = {w.index for w in inside}
    for w in inside:
        if w.head not in span:
            return w.index
    return inside[0].index


class Tree:
    def __init__(self, words: list[Word], people: list[Mention], dative: bool):
        self.words = words
        self.dative = dative
        self.span: set[int] = set()
        self.head = -1
        self.person_of: dict[int, Mention] = {}
        for m in people:
            for w in words:
                if w.start >= m.start and w.end <= m.end:
                    self.person_of.setdefault(w.index, m)

    def _after_possessor(self, head: int, name: Word) -> bool:
        """True when a genitive person noun of `head` stands right before the name it is
        attached to ("муж 50-летней христианки Асии Биби"): the name is that person's, even
        when the parser hangs it on the head and reads it as a nominative."""
        before = name.index - 1
        return any(c.rel == "nmod" and c.index == before and c.feats.get("Case") == "Gen"
                   and c.feats.get("Animacy") == "Anim"
                   for c in _children(self.words, head))

    def names_at(self, k: int) -> list[Mention]:
        """The person named by word k, by the appositions of a noun ("солист ... Павел
        Дмитриченко") and by the names it is listed with ("Иванова и Петрова")."""
        found: list[Mention] = []
        seen: set[int] = set()
        stack = [k]
        while stack:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            m = self.person_of.get(i)
            if m is not None and m not in found:
                found.append(m)
            for c in _children(self.words, i):
                if c.rel == "appos" and i not in self.person_of and (
                        not _agrees(c, self.words[i]) or self._after_possessor(i, c)):
                    continue  # "муж христианки Асии Биби": the name is not the husband
                if c.rel in LIST_RELS or (
                        c.rel == "nmod" and c.index in self.person_of
                        and i not in self.person_of and self.words[i].pos == "NOUN"
                        and self.words[i].feats.get("Case") not in (None, "Gen")
                        and c.feats.get("Case") == self.words[i].feats.get("Case")):
                    # "солист Большого Павел Дмитриченко" parsed as a modifier; a genitive
                    # after a genitive ("родственников Усамы") is a possessor, not the same man
                    stack.append(c.index)
        return found

    def word(self, k: int) -> Word:
        return self.words[k]



UD_CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt",
            "Loc": "loct"}


def _agrees(name: Word, head: Word) -> bool:
    """True when some reading of the name has the head noun's case (the parser's own case for
    an unknown name can be wrong: "Асии" read as a nominative)."""
    case = UD_CASES.get(head.feats.get("Case", ""))
    if case is None:
        return True
    from dossier.events.lexicon import _morph

    parses = _morph("ru").parse(name.text)
    return any(case in p.tag for p in parses) or not any(p.tag.case for p in parses)


def _is_pronoun(w: Word) -> bool:
    """A personal pronoun that carries the last named subject ("его", "её"); not "тех, кто
    ...", "всех": those name someone else, or everyone."""
    return w.pos in ("PRON", "DET") and w.text.lower() not in NOT_CARRYING


NOT_CARRYING = {"тот", "того", "тому", "тем", "том", "те", "тех", "теми", "та", "ту", "той",
                "все", "всех", "всем", "всеми", "каждого", "каждому", "никого", "никому",
                "кого-то", "кого-либо", "некоторых", "многих"}


def _passive(w: Word) -> bool:
    return w.feats.get("Voice") == "Pass" or w.feats.get("VerbForm") == "Part"


def subjects(words: list[Word], trigger: tuple[int, int], people: list[Mention],
             role: Literal["patient", "agent"], dative: bool = False,
             hits: list[tuple[int, int]] | None = None) -> Result:
    """The named subjects of the trigger spanning characters `trigger` (see module note).
    `dative`: the event's patient may stand in the dative ("предъявили обвинение Иванову",
    "вынес Иванову приговор"); for a handover or an extradition the dative is the receiver.
    `hits`: the character spans of the trigger's own words; the words of a gap between them
    ("признал его виновным", "предъявил ему обвинение") are arguments, not the trigger."""
    tree = Tree(words, people, dative)
    k = _word_at(words, *trigger)
    if k is None:
        return Result("unknown", [])
    tree.head = k
    own = hits or [trigger]
    tree.span = {w.index for w in words
                 if any(w.start >= a and w.end <= b for a, b in own)} | {k}
    found = _best([_arguments(tree, i, role) for i in sorted(tree.span, key=lambda i: i != k)])
    for _ in range(3):  # a verb sharing its subject with the one before ("задержан и выслан")
        if found.verdict != "unknown":
            return found
        w = tree.word(k)
        if w.rel != "conj" or w.head < 0:
            break
        k = w.head
        found = _arguments(tree, k, role)
    return found


VERDICT_ORDER: tuple[Verdict, ...] = ("named", "pronoun", "other", "unknown")


def _best(results: list[Result]) -> Result:
    """Names from any word of a several-word trigger ("одобрила его экстрадицию"), else the
    strongest other verdict."""
    for verdict in VERDICT_ORDER:
        chosen = [r for r in results if r.verdict == verdict]
        if chosen:
            return Result(verdict, _unique([m for r in chosen for m in r.names]),
                          [w for r in chosen for w in r.others])
    return Result("unknown", [])


def _against(tree: Tree, kids: list[Word]) -> list[Word]:
    """"дело против Иванова", "в отношении Иванова": who a case or charge is against."""
    out = []
    for c in kids:
        marks = {g.text.lower() for g in _children(tree.words, c.index) if g.rel == "case"}
        if marks & AGAINST:
            out.append(c)
        elif c.text.lower() in AGAINST_NOUNS and "в" in marks:
            out.extend(g for g in _children(tree.words, c.index) if g.rel == "nmod")
    return out


def _arguments(tree: Tree, k: int, role: str) -> Result:
    w = tree.word(k)
    kids = [c for c in _children(tree.words, k) if c.index not in tree.span]
    candidates: list[Word] = []
    if w.pos in ("VERB", "AUX", "ADJ") or w.feats.get("VerbForm"):
        if role == "patient":
            rels = (PATIENT_OF_VERB | ({"nsubj"} if _passive(w) else set())
                    | ({"iobj"} if tree.dative else set()))
            candidates = [c for c in kids if c.rel in rels] + _against(tree, kids)
            if not candidates and (_intransitive(w) or _undergoes(tree, w)):
                # "вышел на свободу", "находится в СИЗО", "отбывал пожизненное заключение"
                candidates = [c for c in kids if c.rel == "nsubj"]
            if not candidates and w.feats.get("Number") == "Plur":
                # "Биби приговорили": an indeclinable name parsed as the subject of an
                # impersonal plural is its object
                candidates = [c for c in kids if c.rel == "nsubj"
                              and c.feats.get("Number") != "Plur" and c.index in tree.person_of]
        else:
            candidates = [c for c in kids if c.rel in SUBJECT]
        if not candidates and w.rel in ("xcomp", "csubj") and w.head >= 0 and (
                role == "agent" or _passive(w)):  # "собирается бежать", "может быть осуждён"
            around = _children(tree.words, w.head)
            candidates = [c for c in around if c.rel in SUBJECT] or [
                c for c in around if c.rel in ("iobj", "obl") and c.feats.get("Case") == "Dat"
                and role == "agent"]  # "ей удалось бежать"
        if (w.rel in ("acl", "amod", "acl:relcl") and w.head >= 0 and not candidates
                and w.head not in tree.span):
            return _describes(tree, w.head, kids)
    else:  # a noun: "арест Иванова", "апелляцию Биби", "вынес Иванову приговор"
        cases = ("Gen", "Dat", None) if tree.dative else ("Gen", None)  # "приговор Иванову"
        rels = ("nmod", "appos", "det") + (("iobj",) if tree.dative else ())
        candidates = [c for c in kids if c.rel in rels and c.feats.get("Case") in cases]
        if role == "patient":
            candidates += _against(tree, kids)
        named = [m for c in candidates for m in tree.names_at(c.index)]
        if named:
            return Result("named", _unique(named))
        if any(_is_pronoun(c) for c in candidates):
            return Result("pronoun", [])  # "его арест", "дело против него"
        found = _governor(tree, k, role) if k == tree.head else Result("unknown", [])
        if found.verdict == "unknown" and any(c.pos == "NOUN" and c.rel == "nmod"
                                              for c in candidates):
            # "передача власти", "освобождение заключённых"
            return Result("other", [], [c for c in candidates
                                        if c.pos == "NOUN" and c.rel == "nmod"])
        return found
    return _verdict(tree, candidates)


def _describes(tree: Tree, head: int, kids: list[Word]) -> Result:
    """A participle or relative clause: the noun it describes, or what "который" refers to."""
    named = tree.names_at(head)
    if named:
        return Result("named", _unique(named))
    h = tree.word(head)
    if h.pos in NOUNISH and not _is_pronoun(h):
        return Result("other", [], [h])
    return Result("unknown", [])


def _governor(tree: Tree, k: int, role: str) -> Result:
    """A trigger noun's person through the verb governing it: the dative ("Иванову предъявлено
    обвинение") for patients, the subject ("подал апелляцию") for agents."""
    steps = 0
    while steps < 3:
        w = tree.word(k)
        if w.head < 0 or w.rel not in CLIMB:
            return Result("unknown", [])
        k = w.head
        steps += 1
        v = tree.word(k)
        if v.pos in ("VERB", "AUX") or v.feats.get("VerbForm"):
            kids = _children(tree.words, k)
            if role == "agent":
                return _verdict(tree, [c for c in kids if c.rel in SUBJECT])
            dative = [c for c in kids if c.rel in ("iobj", "obl")
                      and c.feats.get("Case") == "Dat"] if tree.dative and _brings(v) else []
            obj = [c for c in kids if c.rel == "obj" and c.index != w.index
                   and c.feats.get("Animacy") == "Anim"]  # "приговорил Иванова к ..."
            found = _verdict(tree, dative + obj)
            if found.verdict != "unknown":
                return found
            if w.rel in ("obj", "obl") and _undergo_lemma(v):  # "получил пять лет колонии"
                found = _verdict(tree, [c for c in kids if c.rel == "nsubj"])
                if found.verdict != "unknown":
                    return found
            if v.rel in ("acl", "acl:relcl", "amod") and v.head >= 0:
                return _describes(tree, v.head, kids)
            return Result("unknown", [])
    return Result("unknown", [])


def _intransitive(verb: Word) -> bool:
    """An intransitive or reflexive verb: its subject is the one the event happens to."""
    from dossier.events.lexicon import _morph

    parse = _morph("ru").parse(verb.text.lower())[0]
    return parse.tag.POS == "VERB" and "intr" in parse.tag


def _undergoes(tree: Tree, verb: Word) -> bool:
    """A verb whose object is part of the trigger ("отбывал пожизненное заключение"): its
    subject undergoes the event."""
    kids = _children(tree.words, verb.index)
    return any(c.rel == "obj" and c.index in tree.span for c in kids) and _undergo_lemma(verb)


def _undergo_lemma(verb: Word) -> bool:
    """"отбывать", "получить" (a term), "провести" (years in prison): see UNDERGO_VERBS."""
    from dossier.events.lexicon import _morph

    lemmas = {p.normal_form for p in _morph("ru").parse(verb.text.lower())[:2]}
    return bool(lemmas & UNDERGO_VERBS)


def _brings(verb: Word) -> bool:
    """True for a verb that brings a charge or a term to someone in the dative ("предъявить
    обвинение", "вынести приговор"), not one that only affects them ("нанести ущерб")."""
    from dossier.events.lexicon import _morph

    lemmas = {p.normal_form for p in _morph("ru").parse(verb.text.lower())[:2]}
    return bool(lemmas & DATIVE_VERBS)


DATIVE_VERBS = {"предъявить", "предъявлять", "вынести", "выносить", "назначить", "назначать",
                "выдвинуть", "выдвигать", "грозить", "угрожать", "присудить", "присуждать",
                "дать", "давать", "смягчить", "продлить", "продлевать", "отменить",
                "отменять", "заменить", "утвердить", "огласить", "избрать"}


UNDERGO_VERBS = {"отбывать", "отбыть", "отсидеть", "получить", "получать", "провести",
                 "проводить"}


def _verdict(tree: Tree, candidates: list[Word]) -> Result:
    named = [m for c in candidates for m in tree.names_at(c.index)]
    if named:
        return Result("named", _unique(named))
    for c in candidates:
        if _relative(c):
            clause = _relative_head(tree, c)
            if clause is not None:
                return _describes(tree, clause, [])
            before = _antecedent(tree, c)
            if before:
                return Result("named", before)
        if _is_pronoun(c) and c.text.lower() not in RECIPROCAL:
            return Result("pronoun", [], [c])
    if any(c.pos in NOUNISH for c in candidates):
        return Result("other", [], [c for c in candidates if c.pos in NOUNISH])
    return Result("unknown", [])


def _relative(w: Word) -> bool:
    word = w.text.lower()
    return (w.feats.get("PronType") == "Rel" or word.startswith(("котор", "котр"))
            or word in ("кто", "хто"))


def _relative_head(tree: Tree, w: Word) -> int | None:
    """The noun a relative clause hangs on ("Биби, которая ... была приговорена")."""
    k = w.head
    for _ in range(4):
        if k < 0:
            return None
        v = tree.word(k)
        if v.rel == "acl:relcl" or (v.rel in ("acl", "parataxis") and v.head >= 0):
            return v.head
        k = v.head
    return None


def _antecedent(tree: Tree, w: Word) -> list[Mention]:
    """The name just before a relative pronoun the parser left unattached ("Биби, которая
    была приговорена"): only punctuation may stand between them."""
    k = w.index - 1
    while k >= 0 and tree.word(k).pos == "PUNCT":
        k -= 1
    if k < 0 or k == w.index - 1 or k not in tree.person_of:
        return []
    return [tree.person_of[k]]


def _unique(names: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in names:
        if m not in out:
            out.append(m)
    return out
