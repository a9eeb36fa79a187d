"""Cross-document, cross-script resolution of mentions into entities.

Persons. Each mention's base form is split into given name(s) and surname (the last word) and
folded (translit.fold: zh/j, kh/h, ye/e, ia/ya, iy/y, w/v, ł/l ...). Mentions are blocked on the
gender-neutral folded surname (Yemelyanova and Yemelyanov share a block), so only names in one
block are ever compared: near-linear in the number of mentions.
Within a block:
1. full names (first + surname) join when the surnames fold alike and the first names are
   compatible: equal after folding, in one group of data/entities/first_name_groups.txt
   (Oleksandr = Alexander = Александр), or one is an initial of the other; Yevgeny Smirnov and
   Yevgeny Zhovtis never meet (different blocks);
2. a lone surname joins the full-name entity of the same surname in its own document; else the
   only full-name entity of that surname in the block (if there is exactly one); else the other
   lone mentions of that surname.
Organisations and places: grouped by the gazetteer's canonical name when known, else by the
folded base form.

Canonical name ("name"): one Latin nominative. The most common full "First Last" spelling of
English sources, else of Latin-script sources written in plain ASCII (ties: the alphabetically
first); otherwise the transliteration of the most common full base form (Russian:
BGN/PCGN without diacritics; Ukrainian: the 2010 national system; Bulgarian: the 2009 system;
see dossier/data/entities/README.md). Entity ids: "<type>:<slug of the name>", made unique by the
smallest mention id when two entities would share a slug.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from functools import cache, lru_cache

from anyascii import anyascii

from dossier.entities.gazetteer import lookup
from dossier.entities.resources import WORD_CACHE, first_name_groups
from dossier.entities.script import script_of
from dossier.entities.translit import fold, neutral, to_latin
from dossier.model import Entity, Mention, Variant


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def resolve_entities(mentions: list[Mention]) -> list[Entity]:
    """Group `mentions` (from any documents and languages) into entities."""
    return _unique_ids(group_entities(mentions))


def group_entities(mentions: list[Mention]) -> list[Entity]:
    """The entities of `resolve_entities` with their ids before two that share a slug are told
    apart. Only mentions of one name key (`name_key`), and the keys `given_name_links` joins,
    are ever compared, so the entities of a set of keys closed under those links are the same
    whatever other mentions the store holds (incremental linking relies on it)."""
    mentions = sorted(mentions, key=lambda m: m.id)
    uf = _UnionFind(len(mentions))
    persons = [i for i, m in enumerate(mentions) if m.type == "person"]
    _resolve_persons(mentions, persons, uf)
    others = [i for i, m in enumerate(mentions) if m.type != "person"]
    _resolve_others(mentions, others, uf)
    groups: dict[int, list[Mention]] = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[uf.find(i)].append(m)
    return [_entity(group) for group in groups.values()]


def name_key(m: Mention) -> str:
    """The block a mention is resolved in: persons by the skeleton of the surname (a person
    without one stands alone), others by their gazetteer or folded name."""
    if m.type != "person":
        return _other_key(m)
    surname = _split(m)[1]
    return f"p|{skeleton(surname)[:3]}" if surname else f"p1|{m.id}"


def given_name_links(mentions: list[Mention]) -> set[tuple[str, str]]:
    """(key, key) pairs a lone given name may join across blocks in one document: the lone
    name's block and that of each full name of the document with a compatible given name (what
    `_attach_first_names` may unite; more pairs than it does unite, never fewer)."""
    from dossier.entities.mentions import _folded_first_names

    groups, listed = _name_group(), _folded_first_names()
    persons = [m for m in mentions if m.type == "person"]
    parts = {m.id: _split(m) for m in persons}
    full: dict[str, list[tuple[str, Mention]]] = defaultdict(list)
    for m in persons:
        if parts[m.id][0]:
            full[m.document].append((parts[m.id][0].split()[0], m))
    links = set()
    for m in persons:
        first, name = parts[m.id]
        if first or not (name in groups or name in listed):
            continue
        for given, other in full[m.document]:
            if compatible_first_names(name, given) and not _clash(name, given):
                links.add((name_key(m), name_key(other)))
    return links


def base_id(entity: Entity) -> str:
    """The id an entity has unless another shares its slug."""
    return f"{entity.type}:{_slug(entity.name)}"


def told_apart(base: str, first_mention: str) -> str:
    """The id of an entity whose slug `base` another entity shares."""
    return f"{base}-{hashlib.sha1(first_mention.encode()).hexdigest()[:6]}"


# ---- persons --------------------------------------------------------------------------------


def _split(m: Mention) -> tuple[str, str]:
    """(folded given names, folded surname) of a person mention's Latin base form."""
    words = [w for w in re.split(r"\s+", m.latin.strip()) if w]
    if not words:
        return "", ""
    lang = m.language if script_of(m.base) == "latin" else ""
    first = fold(" ".join(words[:-1]), lang) if len(words) > 1 else ""
    return first, fold(words[-1], lang)


@cache
def _name_group() -> dict[str, int]:
    """Folded first name -> group number; lines that share a name are one group."""
    groups = [{fold(name) for name in line} for line in first_name_groups()]
    uf = _UnionFind(len(groups))
    first_line: dict[str, int] = {}
    for n, names in enumerate(groups):
        for name in names:
            if name in first_line:
                uf.union(n, first_line[name])
            else:
                first_line[name] = n
    return {name: uf.find(n) for name, n in first_line.items()}


def compatible_first_names(a: str, b: str) -> bool:
    """Folded first names that may name one person: equal, one group, or an initial."""
    if not a or not b:
        return True
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return _initial_class(a[0]) == _initial_class(b[0])
    a0, b0 = a.split()[0], b.split()[0]
    if a0 == b0:
        return True
    groups = _name_group()
    if a0 in groups and b0 in groups:
        return groups[a0] == groups[b0]
    from rapidfuzz.fuzz import ratio

    return ratio(a0, b0) >= 80  # a name the table lacks: close spellings (Theresa, Tereza)


def _clash(a: str, b: str) -> bool:
    """First names that cannot be one person's: both in the table, in different groups."""
    groups = _name_group()
    a0, b0 = (a.split() or [""])[0], (b.split() or [""])[0]
    return a0 in groups and b0 in groups and groups[a0] != groups[b0]


def _initial_class(letter: str) -> str:
    """Initials compare loosely where transliterations differ: Y./E./I./J. (Yevgeny, Evgheni)."""
    return "i" if letter in "yiej" else letter


def _resolve_persons(mentions: list[Mention], idx: list[int], uf: _UnionFind) -> None:
    parts = {i: _split(mentions[i]) for i in idx}
    blocks: dict[str, list[int]] = defaultdict(list)
    for i in idx:
        if parts[i][1]:
            blocks[skeleton(parts[i][1])[:3]].append(i)
    for members in blocks.values():
        _resolve_block(mentions, members, parts, uf)
    _attach_first_names(mentions, idx, parts, uf)


def _attach_first_names(
    mentions: list[Mention], idx: list[int], parts: dict, uf: _UnionFind
) -> None:
    """A lone given name ("Руслан") joins the one full-name person of its document with that
    given name, when its own group has no full name."""
    from dossier.entities.mentions import _folded_first_names

    groups, listed = _name_group(), _folded_first_names()
    with_full = {uf.find(i) for i in idx if parts[i][0]}
    by_doc: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for i in idx:
        first = parts[i][0].split()[0] if parts[i][0] else ""
        if first:
            by_doc[mentions[i].document][first].add(uf.find(i))
    for i in idx:
        name = parts[i][1]
        if parts[i][0] or uf.find(i) in with_full or not (name in groups or name in listed):
            continue
        roots = {
            r
            for first, rs in by_doc[mentions[i].document].items()
            if compatible_first_names(name, first) and not _clash(name, first)
            for r in rs
        }
        if len(roots) == 1:
            uf.union(i, roots.pop())


@lru_cache(maxsize=WORD_CACHE)
def skeleton(surname: str) -> str:
    """The consonants of the neutral folded surname, with c/k and z/s as one and h dropped, so
    that transcriptions meet (Trump, Трамп; Johnson, Джонсон; Sidarenka, Сідаренко). Blocks
    key on its first three letters (Barnier, Барнье)."""
    key = neutral(surname).replace("c", "k").replace("q", "k").replace("z", "s")
    key = re.sub(r"[aeiouyh ]", "", key)
    key = re.sub(r"(.)\1+", r"\1", key)
    return key or neutral(surname)


def _resolve_block(
    mentions: list[Mention], members: list[int], parts: dict, uf: _UnionFind
) -> None:
    full = [i for i in members if parts[i][0]]
    lone = [i for i in members if not parts[i][0]]
    # 1. full names: identical (first name, surname) spellings join at once; then each distinct
    # spelling joins the first cluster whose surname and every first name are compatible
    spelling: dict[tuple[str, str], int] = {}
    counts: Counter[tuple[str, str]] = Counter()
    for i in full:
        key = parts[i]
        counts[key] += 1
        if key in spelling:
            uf.union(i, spelling[key])
        else:
            spelling[key] = i
    firsts: dict[int, set[str]] = {}  # cluster representative -> first names in it
    surnames: dict[int, set[str]] = {}  # cluster representative -> surname spellings in it
    reps: list[int] = []
    # the most frequent spelling first: it anchors its cluster; another first name must be
    # compatible with the anchor's and not clash with any other (Alexander vs Alexandra)
    for key in sorted(spelling, key=lambda k: (-counts[k], k)):
        i = spelling[key]
        first, surname = key
        for r in reps:
            if (
                any(_same_surname(surname, x) for x in surnames[r])
                and compatible_first_names(first, parts[r][0])
                and not any(_clash(first, f) for f in firsts[r])
            ):
                uf.union(i, r)
                firsts[r].add(first)
                surnames[r].add(surname)
                break
        else:
            reps.append(i)
            firsts[i] = {first}
            surnames[i] = {surname}
    _attach_lone(mentions, full, lone, parts, uf)


def _attach_lone(
    mentions: list[Mention], full: list[int], lone: list[int], parts: dict, uf: _UnionFind
) -> None:
    """A lone surname joins the full-name person of that surname in its own document (of
    several: the one mentioned twice as often so far, else the one named last before it);
    failing that, the one across documents (of several: the one with three times the mentions
    of the next); otherwise the lone mentions of that surname stay together."""
    sizes: Counter[int] = Counter(uf.find(i) for i in full)
    by_doc: dict[str, list[int]] = defaultdict(list)
    by_surname: dict[str, list[int]] = defaultdict(list)
    for i in full:
        by_doc[mentions[i].document].append(i)
        by_surname[parts[i][1]].append(i)
    matches: dict[str, Counter[int]] = {}
    unresolved: dict[str, int] = {}
    attached: Counter[tuple[str, int]] = Counter()  # (document, person) -> lone mentions so far
    for i in sorted(lone, key=lambda i: (mentions[i].document, mentions[i].start)):
        surname = parts[i][1]
        doc = mentions[i].document
        in_doc = Counter(
            uf.find(j) for j in by_doc.get(doc, []) if _same_surname(surname, parts[j][1])
        )
        running = Counter({root: n + attached[(doc, root)] for root, n in in_doc.items()})
        choice = _dominant(running, 2)
        if choice is None:
            choice = _nearest_before(mentions, i, in_doc, by_doc, uf)
        if choice is not None:
            attached[(doc, choice)] += 1
        if choice is None and not in_doc:
            if surname not in matches:
                matches[surname] = Counter(
                    {
                        root: sizes[root]
                        for s, js in by_surname.items()
                        if _same_surname(surname, s)
                        for root in {uf.find(j) for j in js}
                    }
                )
            choice = _dominant(matches[surname])
        if choice is not None:
            uf.union(i, choice)
            continue
        key = next((k for k in unresolved if _same_surname(surname, k)), surname)
        if key in unresolved:
            uf.union(i, unresolved[key])
        else:
            unresolved[key] = i


def _nearest_before(
    mentions: list[Mention], i: int, roots: Counter[int], by_doc: dict, uf: _UnionFind
) -> int | None:
    """Of several people of one surname in a document, the one named last before the lone
    surname (else the first one named after it)."""
    if not roots:
        return None
    here = mentions[i]
    same = [j for j in by_doc.get(here.document, []) if uf.find(j) in roots]
    before = [j for j in same if mentions[j].start < here.start]
    if before:
        return uf.find(max(before, key=lambda j: mentions[j].start))
    return uf.find(min(same, key=lambda j: mentions[j].start)) if same else None


def _dominant(counts: Counter[int], factor: int = 3) -> int | None:
    """The one candidate, or the one with `factor` times the mentions of the next."""
    if not counts:
        return None
    ranked = counts.most_common(2)
    if len(ranked) == 1 or ranked[0][1] >= factor * ranked[1][1]:
        return ranked[0][0]
    return None


@lru_cache(maxsize=WORD_CACHE)
def _same_surname(a: str, b: str) -> bool:
    """Surnames alike (within one skeleton block): equal when folded, equal without the
    feminine ending, or close spellings (rapidfuzz ratio >= 80 on the neutral forms; for short
    names the same first letter, since the block already has the same consonants)."""
    from rapidfuzz.fuzz import ratio

    na, nb = neutral(a), neutral(b)
    if na == nb:
        return True
    if min(len(na), len(nb)) <= 4:  # short names may differ in vowels only: May, Мэй (Mey)
        return na[0] == nb[0] and skeleton(a) == skeleton(b) and abs(len(na) - len(nb)) <= 2
    return ratio(na, nb) >= 80


# ---- organisations and places ---------------------------------------------------------------


def _other_key(m: Mention) -> str:
    place = lookup(m.base) or lookup(m.text)
    if place is not None and place.kind == m.type:
        return f"{m.type}|{place.name}"
    return f"{m.type}|{fold(m.latin or m.base)}"


def _resolve_others(mentions: list[Mention], idx: list[int], uf: _UnionFind) -> None:
    first: dict[str, int] = {}
    for i in idx:
        key = _other_key(mentions[i])
        if key in first:
            uf.union(i, first[key])
        else:
            first[key] = i


# ---- entities -------------------------------------------------------------------------------


def _entity(group: list[Mention]) -> Entity:
    etype = group[0].type
    counts = Counter((m.base, m.language) for m in group)
    variants = [
        Variant(text, lang, n)
        for (text, lang), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    name = _canonical(group)
    countries = Counter(m.country for m in group if m.country)
    roles = Counter(m.role for m in group if m.role)
    return Entity(
        id=f"{etype}:{_slug(name)}",
        type=etype,
        name=name,
        variants=variants,
        country=countries.most_common(1)[0][0] if countries else None,
        mentions=[m.id for m in group],
        roles=[r for r, _ in sorted(roles.items(), key=lambda kv: (-kv[1], kv[0]))],
    )


def _canonical(group: list[Mention]) -> str:
    if group[0].type != "person":
        place = next(
            (lookup(m.base) or lookup(m.text) for m in group if (lookup(m.base) or lookup(m.text))),
            None,
        )
        if place is not None and place.kind == group[0].type:
            return place.name
    written = [m for m in group if m.base.strip()]
    full = [m for m in written if len(m.base.split()) > 1]
    latin = [m for m in written if script_of(m.base) == "latin"]
    latin_full = [m for m in full if script_of(m.base) == "latin"]
    english_full = [m for m in latin_full if m.language == "en"]
    # Polish "Bekmułow" or Romanian "Șmeliov" carry their own orthography: an English or plain
    # ASCII spelling, else a transliteration, reads better to everyone.
    plain_full = [m for m in latin_full if m.base.isascii()]
    pool = english_full or plain_full or full or latin or written or group
    forms = Counter(_latin_form(m) for m in pool)
    english = Counter(_latin_form(m) for m in pool if m.language == "en")
    return min(forms, key=lambda f: (-forms[f], -english.get(f, 0), -len(f.split()), f))


def _latin_form(m: Mention) -> str:
    if script_of(m.base) == "latin":
        return " ".join(m.base.split())
    return " ".join((m.latin or to_latin(m.base, m.language)).split())


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", anyascii(name).lower()).strip("-") or "x"


def _unique_ids(entities: list[Entity]) -> list[Entity]:
    seen: Counter[str] = Counter(e.id for e in entities)
    out = []
    for e in sorted(entities, key=lambda e: (e.id, min(e.mentions))):
        if seen[e.id] > 1:
            e.id = told_apart(e.id, min(e.mentions))
        out.append(e)
    return out
