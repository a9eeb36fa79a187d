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


# ---- dates: which event takes which date ------------------------------------------------


def _dated(text: str, language: str, names: list[str],
           spans: list[tuple[str, str]]) -> dict[str, list[str | None]]:
    """Event type -> dates (start) of the events found, given names and (surface, ISO day)."""
    doc = make_doc(text, language)
    people = [person(doc, n, nth=k) for n in names for k in range(text.count(n))]
    dates = [date(doc, s, iso, iso, "day") for s, iso in spans]
    out: dict[str, list[str | None]] = {}
    for e in find_events(doc, people, dates):
        out.setdefault(e.type, []).append(e.date.start)
    return out


def test_contrast_word_closes_the_clause_of_a_date() -> None:
    en = _dated("Ivan Petrov was held at the border post on 4 May but released by a judge "
                "three days later.", "en", ["Ivan Petrov"],
                [("4 May", "2026-05-04"), ("three days later", "2026-05-07")])
    assert en == {"detention": ["2026-05-04"], "release": ["2026-05-07"]}
    ro = _dated("Ion Rusu a fost reținut la vamă pe 4 mai, dar a fost eliberat pe 7 mai.",
                "ro", ["Ion Rusu"], [("4 mai", "2026-05-04"), ("7 mai", "2026-05-07")])
    assert ro == {"detention": ["2026-05-04"], "release": ["2026-05-07"]}
    de = _dated("Jan Weber wurde am 4. Mai festgenommen, aber am 7. Mai freigelassen.", "de",
                ["Jan Weber"], [("4. Mai", "2026-05-04"), ("7. Mai", "2026-05-07")])
    assert de == {"detention": ["2026-05-04"], "release": ["2026-05-07"]}


def test_a_date_after_the_trigger_in_its_clause_comes_first() -> None:
    got = _dated("Guards refused entry to Maria Lis at the airport on 9 May and deported her "
                 "to Riga the following day.", "en", ["Maria Lis"],
                 [("9 May", "2026-05-09"), ("the following day", "2026-05-10")])
    assert got == {"entry_denied": ["2026-05-09"], "deportation": ["2026-05-10"]}


def test_a_date_that_opens_the_sentence_holds_after_and_then() -> None:
    pl = _dated("W piątek strażnicy przesłuchiwali Annę Nowak, a następnie odmówili wjazdu.",
                "pl", ["Annę Nowak"], [("W piątek", "2026-05-08")])
    assert pl == {"questioning": ["2026-05-08"], "entry_denied": ["2026-05-08"]}
    en = _dated("On Friday, officers questioned Maria Lis and then refused entry to her.",
                "en", ["Maria Lis"], [("On Friday", "2026-05-08")])
    assert en == {"questioning": ["2026-05-08"], "entry_denied": ["2026-05-08"]}


def test_a_date_is_not_shared_over_and_or_to_a_nested_request() -> None:
    got = _dated("Guards refused entry to Maria Lis on Friday and sent her back to Riga "
                 "after a long wait.", "en", ["Maria Lis"], [("on Friday", "2026-05-08")])
    assert got == {"entry_denied": ["2026-05-08"], "deportation": [None]}
    both = _dated("Ivan Petrov was detained and questioned on Monday.", "en", ["Ivan Petrov"],
                  [("on Monday", "2026-05-04")])
    assert both == {"detention": ["2026-05-04"], "questioning": ["2026-05-04"]}
    nested = _dated("In May, the prosecutors approved a request for the extradition of "
                    "Ivan Petrov.", "en", ["Ivan Petrov"], [("In May", "2026-05-01")])
    assert nested["extradition_approved"] == ["2026-05-01"]
    assert nested["extradition_request"] == [None]


def test_a_colon_explains_the_clause_before_it() -> None:
    de = _dated("Russland scheiterte damit, Jan Weber ausliefern zu lassen: ein Gericht hob "
                "am Freitag die Entscheidung auf.", "de", ["Jan Weber"],
                [("am Freitag", "2026-05-08")])
    assert de["extradition"] == ["2026-05-08"]


def test_clock_time_is_no_clause_boundary() -> None:
    got = _dated("Maria Lis was deported to Riga at 7:15 on Sunday.", "en", ["Maria Lis"],
                 [("on Sunday", "2026-05-10")])
    assert got == {"deportation": ["2026-05-10"]}


# ---- dates carried from the sentence before ---------------------------------------------


def test_sentence_without_date_takes_the_date_of_the_sentence_before() -> None:
    uk = _dated("Олену Гук у п'ятницю не впустили до Польщі. Прикордонники годину допитували "
                "Олену Гук про її роботу.", "uk", ["Олену Гук"], [("у п'ятницю", "2026-05-08")])
    assert uk == {"entry_denied": ["2026-05-08"], "questioning": ["2026-05-08"]}
    pl = _dated("Annę Nowak zatrzymano w piątek na granicy. Policja przesłuchała Annę Nowak "
                "przez dwie godziny.", "pl", ["Annę Nowak"], [("w piątek", "2026-05-08")])
    assert pl["questioning"] == ["2026-05-08"]


def test_no_date_carried_across_a_paragraph_or_to_what_may_happen() -> None:
    paragraph = _dated("Ivan Petrov was detained on 4 May.\nIvan Petrov was questioned by "
                       "officers.", "en", ["Ivan Petrov"], [("4 May", "2026-05-04")])
    assert paragraph["questioning"] == [None]
    possible = _dated("Ivan Petrov was detained on 4 May. Ivan Petrov may be deported.", "en",
                      ["Ivan Petrov"], [("4 May", "2026-05-04")])
    assert possible["deportation"] == [None]
    later = _dated("Олену Гук у п'ятницю не впустили до Польщі. Олену Гук допитували, а потім "
                   "звільнили.", "uk", ["Олену Гук"], [("у п'ятницю", "2026-05-08")])
    assert later["questioning"] == ["2026-05-08"] and later["release"] == [None]


def test_polish_impersonal_verb_carries_the_subject() -> None:
    got = _dated("Annę Nowak zatrzymano w piątek. Po kilku godzinach odesłano w sobotę "
                 "samolotem do Rygi.", "pl", ["Annę Nowak"],
                 [("w piątek", "2026-05-08"), ("w sobotę", "2026-05-09")])
    assert got == {"detention": ["2026-05-08"], "deportation": ["2026-05-09"]}


def test_sentence_split_after_a_quote_before_a_capital_umlaut() -> None:
    text = ("„Eine Auslieferung von Jan Weber wäre falsch.“ Über den Fall entscheidet ein "
            "Gericht am 12. Mai.")
    got = _dated(text, "de", ["Jan Weber"], [("12. Mai", "2026-05-12")])
    assert got.get("extradition") in ([None], None)


def test_a_sentence_about_the_decision_dates_the_approval_before_it() -> None:
    en = _dated("The prosecutors approved the extradition of Ivan Petrov. His lawyer called it "
                "unjust. The decision was taken in late May.", "en", ["Ivan Petrov"],
                [("in late May", "2026-05-21")])
    assert en == {"extradition_approved": ["2026-05-21"]}
    de = _dated("Das Gericht hat der Auslieferung von Jan Weber zugestimmt. Die Entscheidung "
                "fiel am 12. Mai.", "de", ["Jan Weber"], [("12. Mai", "2026-05-12")])
    assert de == {"extradition_approved": ["2026-05-12"]}
    future = _dated("The prosecutors approved the extradition of Ivan Petrov. The decision "
                    "may be reviewed on 20 July.", "en", ["Ivan Petrov"],
                    [("20 July", "2026-07-20")])
    assert future == {"extradition_approved": [None]}


def test_a_birth_year_or_the_crime_date_is_no_event_date() -> None:
    got = _dated("Суд освободил Анну Петрову, 1993 года рождения.", "ru", ["Анну Петрову"],
                 [("1993 года", "1993-01-01")])
    assert got == {"release": [None]}
    got = _dated("Сергей Орлов был оправдан по обвинению в убийстве в 2012 году.", "ru",
                 ["Сергей Орлов"], [("2012 году", "2012-01-01")])
    assert got == {"sentence": [None]}
    got = _dated("Сергей Орлов был задержан 5 мая по обвинению в убийстве.", "ru",
                 ["Сергей Орлов"], [("5 мая", "2026-05-05")])
    assert got["detention"] == ["2026-05-05"]


def test_a_release_bargained_for_takes_not_the_date_of_the_bargain() -> None:
    got = _dated("За освобождение Анны Петровой страна 30 декабря передала соседям здание.",
                 "ru", ["Анны Петровой"], [("30 декабря", "2025-12-30")])
    assert got.get("release") in (None, [None])


def test_an_originally_brought_charge_takes_not_the_date_of_its_sentence() -> None:
    got = _dated("Суд начал слушать дело Сергея Орлова. В феврале 2012 года он признал вину "
                 "по первоначально предъявленным ему обвинениям.", "ru", ["Сергея Орлова"],
                 [("В феврале 2012 года", "2012-02-01")])
    assert got.get("charge") == [None]
