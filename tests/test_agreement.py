"""Who an event is about in languages without a parser: agreement, word order, relative
clauses (sentences written for these tests)."""

from __future__ import annotations

from test_events import make_doc, person

from dossier.events.agreement import person_genders, trigger_form, word_form
from dossier.events.detect import find_events
from dossier.events.lexicon import load_lexicon, tokenize


def subjects(text: str, language: str, names: list[str],
             roles: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Event type -> the subject texts found."""
    doc = make_doc(text, language)
    mentions = [person(doc, n, role=(roles or {}).get(n)) for n in names]
    text_of = {m.id: m.text for m in mentions}
    out: dict[str, list[str]] = {}
    for e in find_events(doc, mentions, []):
        out.setdefault(e.type, []).append(text_of.get(e.subject or "", e.group or "?"))
    return out


def test_word_forms_from_suffix_tables_and_pymorphy() -> None:
    pl, cs, bg, uk = (load_lexicon(x) for x in ("pl", "cs", "bg", "uk"))
    assert pl and cs and bg and uk
    assert word_form("skazana", pl).kind == "participle"
    assert word_form("skazana", pl).gender == "femn"
    assert word_form("uciekł", pl).gender == "masc"
    assert word_form("zatrzymani", pl).plural
    assert word_form("odsouzen", cs).gender == "masc"
    assert word_form("осъдена", bg).gender == "femn"
    assert word_form("затримали", uk).kind == "past" and word_form("затримали", uk).plural
    assert word_form("виїхати", uk).kind == "infinitive"
    tokens = tokenize("Jan Nowak został zatrzymany.", 0, pl)
    assert trigger_form(3, tokens, pl).kind == "participle"  # "został" makes it passive


def test_genders_from_given_names_and_surname_endings() -> None:
    doc = make_doc("Marta Kowalska i Piotr Nowak przyjechali. Kowalska została.", "pl")
    names = [person(doc, "Marta Kowalska"), person(doc, "Piotr Nowak"),
             person(doc, "Kowalska", nth=1)]
    lexicon = load_lexicon("pl")
    assert lexicon
    genders = person_genders(names, lexicon, doc.text)
    assert [genders.get(m.id) for m in names] == ["femn", "masc", "femn"]
    # an oblique masculine ("Donalda Trumpa") shows no gender by itself
    doc = make_doc("Spotkanie Donalda Trumpa.", "pl")
    assert person_genders([person(doc, "Donalda Trumpa")], lexicon, doc.text) == {}


def test_a_participle_takes_the_name_of_its_gender() -> None:
    got = subjects("Sąd uniewinnił Annę Nowak, która wcześniej została skazana za zabójstwo "
                   "Piotra Kowalskiego.", "pl", ["Annę Nowak", "Piotra Kowalskiego"])
    assert got["sentence"] == ["Annę Nowak"]  # not the nearest name, a man


def test_the_one_who_acts_before_an_active_verb_is_no_patient() -> None:
    assert "detention" not in subjects("Jan Kowalski chce zatrzymać reformę.", "pl",
                                       ["Jan Kowalski"])
    assert "charge" not in subjects("Иван Петров за пореден път обвини правителството.", "bg",
                                    ["Иван Петров"])
    got = subjects("Policja zatrzymała Annę Nowak w Warszawie.", "pl", ["Annę Nowak"])
    assert got["detention"] == ["Annę Nowak"]


def test_a_role_noun_object_names_no_one() -> None:
    got = subjects("Soud osvobodil novinářku, která byla odsouzena za urážku politika "
                   "Jana Nováka.", "cs", ["Jana Nováka"])
    assert "release" not in got and "sentence" not in got


def test_a_carried_subject_must_agree_with_the_verb() -> None:
    text = ("Asia Nowak została skazana na śmierć. Jej adwokat Jan Kowalski uciekł z kraju.")
    got = subjects(text, "pl", ["Asia Nowak", "Jan Kowalski"], {"Jan Kowalski": "lawyer"})
    assert got["sentence"] == ["Asia Nowak"]
    assert got["flight"] == ["Jan Kowalski"]  # he fled, not the woman the pronoun names


def test_ukrainian_oblique_name_is_not_the_one_who_asks() -> None:
    text = "Чоловік активістки Олени Гук попросив Польщу про притулок."
    assert "asylum_application" not in subjects(text, "uk", ["Олени Гук"])
    text = "Олена Гук попросила Польщу про притулок."
    assert subjects(text, "uk", ["Олена Гук"])["asylum_application"] == ["Олена Гук"]


def test_a_gendered_form_without_a_name_carries_the_person_of_its_gender() -> None:
    text = "Marta Kowalska pracowała w szkole. Wkrótce potem została aresztowana przez policję."
    assert subjects(text, "pl", ["Marta Kowalska"])["arrest"] == ["Marta Kowalska"]
    text = "Piotr Nowak pracował w szkole. Wkrótce potem została aresztowana przez policję."
    assert "arrest" not in subjects(text, "pl", ["Piotr Nowak"])
