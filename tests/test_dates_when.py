"""When, item 4 of the real-news issue: decades, "then" and "soon after" read from the date
before them, an undated article's year-less dates in its lead's year, "since" dates, report
dates, dates inside modifiers and scene-setting dates. Sentences written for these tests."""

from __future__ import annotations

from dossier.dates import find_dates, starts_state
from dossier.events.detect import find_events
from dossier.model import DateSpan, Document, EventMention, Mention


def by_text(spans: list[DateSpan]) -> dict[str, tuple[str | None, str | None]]:
    return {s.text: (s.start, s.end) for s in spans}


def test_decades_and_their_parts() -> None:
    cases = [
        ("ru", "В конце 1990-х годов семья уехала. В 80-е годы он жил там.",
         {"В конце 1990-х годов": ("1997-01-01", "1999-12-31"),
          "80-е годы": ("1980-01-01", "1989-12-31")}),
        ("uk", "На початку 2000-х він переїхав.", {"На початку 2000-х": ("2000-01-01",
                                                                       "2003-12-31")}),
        ("en", "In the mid-1980s he left; in the 1990s he came back.",
         {"mid-1980s": ("1984-01-01", "1986-12-31"), "1990s": ("1990-01-01", "1999-12-31")}),
        ("pl", "Pod koniec lat 90. wyjechał.", {"Pod koniec lat 90.": ("1997-01-01",
                                                                      "1999-12-31")}),
        ("cs", "V 70. letech emigroval.", {"70. letech": ("1970-01-01", "1979-12-31")}),
        ("bg", "През 90-те години замина.", {"90-те години": ("1990-01-01", "1999-12-31")}),
        ("de", "Ende der 80er Jahre floh er.", {"Ende der 80er Jahre": ("1987-01-01",
                                                                       "1989-12-31")}),
    ]
    for lang, text, want in cases:
        assert by_text(find_dates(text, lang, None)) == want, (lang, text)


def test_a_decade_is_no_ordinal_and_sets_no_year() -> None:
    assert find_dates("Он занял 10-е место.", "ru", None) == []
    got = by_text(find_dates("В 1990-х он уехал. 5 мая его задержали.", "ru", None))
    assert "5 мая" not in got  # "the 1990s" gives no year to a year-less date


def test_then_is_the_date_before_it_in_its_paragraph() -> None:
    got = by_text(find_dates("В 2012 году он уехал, тогда его и задержали.", "ru", None))
    assert got["тогда"] == ("2012-01-01", "2012-12-31")
    got = by_text(find_dates("In 2005 he fled; at the time he was 20.", "en", None))
    assert got["at the time"] == ("2005-01-01", "2005-12-31")
    assert list(by_text(find_dates("В 2012 году он уехал, в то время как брат остался.",
                                   "ru", None))) == ["2012 году"]  # "whereas"
    assert "тогда" not in by_text(find_dates("В 2012 году он уехал.\nТогда его задержали.",
                                             "ru", None))
    assert "тогда" not in by_text(find_dates("В 80-е годы он уехал, тогда его судили.",
                                             "ru", None))  # a span of years: no one time


def test_soon_after_takes_the_year_of_the_date_before_it() -> None:
    got = by_text(find_dates("W maju 2015 roku wyjechał. Wkrótce potem go zatrzymano.",
                             "pl", None))
    assert got["Wkrótce potem"] == ("2015-01-01", "2015-12-31")
    got = by_text(find_dates("In December 2015 he left. Shortly afterwards he was held.",
                             "en", None))
    assert "Shortly afterwards" not in got  # it may be the next year


def test_year_less_dates_take_the_lead_year_until_the_story_moves_past_it() -> None:
    text = ("Заголовок\nВ Самаре 13 мая 2018 года задержан блогер. В 2010 году он переехал.\n"
            "В апреле его вызывали на допрос.")
    assert by_text(find_dates(text, "ru", None))["апреле"] == ("2018-04-01", "2018-04-30")
    moved = ("Заголовок\nВ Самаре 13 мая 2018 года задержан блогер.\n11 октября его осудили."
             "\nВ апреле его освободили.")
    got = by_text(find_dates(moved, "ru", None))
    assert got["11 октября"] == ("2018-10-11", "2018-10-11")
    assert "апреле" not in got  # after October of the lead's year April may be the next one


def test_since_dates() -> None:
    text = "Он в СИЗО с марта 2020 года. Его задержали с января по март 2020 года."
    spans = find_dates(text, "ru", None)
    assert [starts_state(text, d, "ru") for d in spans] == [True, False]
    en = "He has been held since 2022."
    assert [starts_state(en, d, "en") for d in find_dates(en, "en", None)] == [True]


def events_of(text: str, forms: list[str], language: str = "ru",
              published: str | None = "2026-03-10") -> list[EventMention]:
    doc = Document(id="d1", source="test", title=None, language=language,
                   declared_language=None, published=published,
                   published_basis="declared" if published else None, text=text)
    mentions = []
    at = 0
    for form in forms:
        at = text.index(form, at)
        mentions.append(Mention(id=f"d1:m{at}", document="d1", start=at, end=at + len(form),
                                text=form, type="person", base="Иван Петров",
                                latin="Ivan Petrov", language=language))
        at += len(form)
    return find_events(doc, mentions, find_dates(text, language, published))


def test_a_since_date_dates_a_detention_but_no_removal() -> None:
    text = "Иван Петров находится под стражей с января 2025 года, после чего его депортируют."
    got = {e.type: e.date.start for e in events_of(text, ["Иван Петров"])}
    assert got.get("deportation") is None
    text = "Ивана Петрова экстрадировали с января 2025 года."
    assert all(e.date.start is None for e in events_of(text, ["Ивана Петрова"]))


def test_the_date_of_a_report_is_not_the_date_of_its_event() -> None:
    text = ("5 марта 2025 года прокуратура сообщила о завершении расследования дела Ивана "
            "Петрова, обвиняемого в мошенничестве.")
    events = events_of(text, ["Ивана Петрова"])
    assert events and all(e.date.start is None for e in events)


def test_a_date_inside_a_modifier_is_not_the_time_of_the_main_clause() -> None:
    text = "Иван Петров, осуждённый в 2010 году за кражу, был освобождён."
    got = {e.type: e.date.start for e in events_of(text, ["Иван Петров"])}
    assert got.get("release") is None
    text = "Суд во вторник, 3 марта 2026 года, освободил Ивана Петрова."
    got = {e.type: e.date.start for e in events_of(text, ["Ивана Петрова"])}
    assert got.get("release") == "2026-03-03"  # an apposition still opens the clause


def test_a_scene_date_dates_the_next_sentence() -> None:
    text = "В 2011 году Иван Петров жил в Казани. Там его задержали и обвинили в краже."
    got = {e.type: e.date.start for e in events_of(text, ["Иван Петров"], published=None)}
    assert got.get("detention") == "2011-01-01"
    later = "В 2011 году Иван Петров жил в Казани. Позже его задержали."
    assert all(e.date.start is None
               for e in events_of(later, ["Иван Петров"], published=None))
    since = "Иван Петров с 2019 года живёт в Казани. Там его задержали."
    assert all(e.date.start is None
               for e in events_of(since, ["Иван Петров"], published=None))
