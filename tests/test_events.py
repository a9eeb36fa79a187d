"""Event detection on sentences written for these tests, with hand-built mentions and dates."""

from __future__ import annotations

from dossier.events.detect import find_events
from dossier.events.lexicon import load_lexicon
from dossier.model import DateSpan, Document, EventMention, Mention


def make_doc(text: str, language: str, published: str = "2026-06-01") -> Document:
    return Document(id="d1", source="test", title=None, language=language, declared_language=None,
                    published=published, published_basis="declared", text=text)


def person(doc: Document, surface: str, base: str | None = None, nth: int = 0,
           role: str | None = None, kind: str = "person") -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.find(surface, start + 1)
    assert start >= 0, surface
    return Mention(id=f"d1:m{start}", document=doc.id, start=start, end=start + len(surface),
                   text=surface, type=kind,  # type: ignore[arg-type]
                   base=base or surface, latin=base or surface, language=doc.language, role=role)


def date(doc: Document, surface: str, start: str, end: str, precision: str) -> DateSpan:
    at = doc.text.find(surface)
    assert at >= 0, surface
    return DateSpan(start, end, precision, surface, at, at + len(surface))  # type: ignore[arg-type]


def by_type(events: list[EventMention]) -> dict[str, list[EventMention]]:
    out: dict[str, list[EventMention]] = {}
    for e in events:
        out.setdefault(e.type, []).append(e)
    return out


def test_every_language_file_loads() -> None:
    for language in ("en", "ru", "uk", "ro", "de", "pl"):
        lexicon = load_lexicon(language)
        assert lexicon is not None and lexicon.triggers["detention"]
    assert load_lexicon("xx") is None


def test_english_detention_deportation_arrest_and_pronoun() -> None:
    text = ("Police in Astana detained the blogger Ivan Petrov on 3 March. "
            "He was deported to Russia two days later and arrested on arrival.")
    doc = make_doc(text, "en")
    petrov = person(doc, "Ivan Petrov")
    astana = person(doc, "Astana", kind="location")
    when = date(doc, "3 March", "2026-03-03", "2026-03-03", "day")
    events = by_type(find_events(doc, [petrov, astana], [when]))
    assert events["detention"][0].subject == petrov.id
    assert events["detention"][0].date.start == "2026-03-03"
    assert events["detention"][0].place == astana.id
    assert events["detention"][0].attributes["agents_text"] == ["police"]
    assert events["deportation"][0].subject == petrov.id  # "He" carries Petrov
    assert events["deportation"][0].origin_country == "RU"
    assert events["arrest"][0].subject == petrov.id
    for e in events["detention"] + events["deportation"]:
        assert e.evidence.text in text and e.status == "occurred"
        assert text[e.evidence.start:e.evidence.end] == e.evidence.text


def test_english_possible_term_with_life_and_range() -> None:
    doc = make_doc("Maria Ivanova faces up to 20 years in prison or life imprisonment for treason. "
                   "Another source said Maria Ivanova could get 12 to 15 years in prison.", "en")
    m1 = person(doc, "Maria Ivanova")
    m2 = person(doc, "Maria Ivanova", nth=1)
    events = [e for e in find_events(doc, [m1, m2], []) if e.type == "sentence"]
    first = next(e for e in events if e.subject == m1.id)
    assert first.status == "possible"
    assert first.attributes["years_max"] == 20 and first.attributes["life"] is True
    assert "years_min" not in first.attributes
    assert first.attributes["charge"] == "treason"
    second = next(e for e in events if e.subject == m2.id)
    assert (second.attributes["years_min"], second.attributes["years_max"]) == (12, 15)


def test_lawyer_and_speaker_are_not_subjects() -> None:
    doc = make_doc("Her lawyer, Oleg Sidorov, said the extradition of Anna Kuznetsova was blocked. "
                   "The court refused to detain Sidorov's client, Sidorov said.", "en")
    sidorov = person(doc, "Oleg Sidorov")
    anna = person(doc, "Anna Kuznetsova")
    sid2 = person(doc, "Sidorov", nth=1)
    sid3 = person(doc, "Sidorov", nth=2)
    events = find_events(doc, [sidorov, anna, sid2, sid3], [])
    assert {e.subject for e in events} <= {anna.id}
    extradition = [e for e in events if e.type == "extradition"]
    assert extradition and extradition[0].status == "blocked"


def test_list_of_names_gives_one_event_each() -> None:
    doc = make_doc("Between 2022 and 2023 the police detained Petr Orlov, Inna Belova and Oleg "
                   "Lis. Their extradition was later blocked.", "en")
    people = [person(doc, n) for n in ("Petr Orlov", "Inna Belova", "Oleg Lis")]
    span = date(doc, "Between 2022 and 2023", "2022-01-01", "2023-12-31", "range")
    events = find_events(doc, people, [span])
    detained = {e.subject for e in events if e.type == "detention"}
    assert detained == {p.id for p in people}
    blocked = [e for e in events if e.type == "extradition"]
    assert {e.subject for e in blocked} == {p.id for p in people}
    assert all(e.status == "blocked" for e in blocked)


def test_negation_drops_the_event() -> None:
    doc = make_doc("Police did not detain Pavel Gromov.", "en")
    assert not find_events(doc, [person(doc, "Pavel Gromov")], [])


def test_russian_lemmas_pronoun_and_genitive_possessor() -> None:
    text = ("Бывшую сотрудницу штаба Навального Ольгу Зорину задержали в Бишкеке 5 февраля. "
            "Ей грозит до восьми лет лишения свободы по делу об экстремизме.")
    doc = make_doc(text, "ru")
    navalny = person(doc, "Навального", "Навальный")
    zorina = person(doc, "Ольгу Зорину", "Ольга Зорина")
    bishkek = person(doc, "Бишкеке", "Бишкек", kind="location")
    when = date(doc, "5 февраля", "2026-02-05", "2026-02-05", "day")
    events = by_type(find_events(doc, [navalny, zorina, bishkek], [when]))
    assert [e.subject for e in events["detention"]] == [zorina.id]
    assert events["detention"][0].date.start == "2026-02-05"
    sentence = events["sentence"][0]
    assert sentence.subject == zorina.id and sentence.status == "possible"
    assert sentence.attributes["years_max"] == 8
    assert sentence.attributes["charge"] == "extremism"


def test_ukrainian_handover_and_blocked_status() -> None:
    text = ("10 січня влада передала російським силовикам дезертира Івана Коваля. "
            "Екстрадицію активістки Олени Гук заблокував суд.")
    doc = make_doc(text, "uk")
    koval = person(doc, "Івана Коваля", "Іван Коваль")
    huk = person(doc, "Олени Гук", "Олена Гук")
    when = date(doc, "10 січня", "2026-01-10", "2026-01-10", "day")
    events = by_type(find_events(doc, [koval, huk], [when]))
    assert events["handover"][0].subject == koval.id
    assert events["handover"][0].date.start == "2026-01-10"
    assert events["extradition"][0].subject == huk.id
    assert events["extradition"][0].status == "blocked"


def test_romanian_sentence_term_and_pro_drop_subject() -> None:
    text = ("În mai 2024, soldatul rus Igor Marin a fost reținut la Astana. "
            "Ulterior, a fost condamnat la șapte ani de închisoare pentru dezertare.")
    doc = make_doc(text, "ro")
    marin = person(doc, "Igor Marin")
    when = date(doc, "mai 2024", "2024-05-01", "2024-05-31", "month")
    events = by_type(find_events(doc, [marin], [when]))
    assert events["detention"][0].subject == marin.id
    assert events["detention"][0].date.precision == "month"
    sentence = events["sentence"][0]
    assert sentence.subject == marin.id and sentence.status == "occurred"
    assert (sentence.attributes["years_min"], sentence.attributes["years_max"]) == (7, 7)
    assert sentence.attributes["charge"] == "desertion"
    assert sentence.date.precision == "unknown"  # "Ulterior": later, not in May


def test_romanian_approved_extradition_of_two_people() -> None:
    doc = make_doc("Procurorii au aprobat extrădarea lui Ion Rusu și Ana Pop.", "ro")
    rusu, pop = person(doc, "Ion Rusu"), person(doc, "Ana Pop")
    events = find_events(doc, [rusu, pop], [])
    approved = [e for e in events if e.type == "extradition_approved"]
    assert {e.subject for e in approved} == {rusu.id, pop.id}
    assert approved[0].attributes["agents_text"] == ["prosecutor"]


def test_group_subject_when_no_name() -> None:
    doc = make_doc("Four activists were detained at the border.", "en")
    events = find_events(doc, [], [])
    assert events and events[0].subject is None
    assert events[0].group == "Four activists"


def test_unknown_date_and_ids() -> None:
    doc = make_doc("Pavel Gromov was arrested.", "en")
    events = find_events(doc, [person(doc, "Pavel Gromov")], [])
    assert events[0].id == "d1:e0"
    assert events[0].date.precision == "unknown" and events[0].date.start is None
    assert events[0].trigger == "arrested"


def test_denial_inside_a_quote_is_no_blocked_event() -> None:
    doc = make_doc("Ivan Petrov was detained in March. "
                   "“They must not extradite him,” a friend said.", "en")
    events = find_events(doc, [person(doc, "Ivan Petrov")], [])
    assert [e.type for e in events] == ["detention"]


def test_possible_removal_in_extradition_proceedings_is_pending_extradition() -> None:
    doc = make_doc("Prosecutors approved the extradition of Ivan Petrov. "
                   "He could be handed over to Russia within weeks.", "en")
    events = find_events(doc, [person(doc, "Ivan Petrov")], [])
    assert ("extradition", "pending") in {(e.type, e.status) for e in events}
    assert all(e.type != "handover" for e in events)
