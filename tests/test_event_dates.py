"""When: an undated article's relative dates count from the date its lead gives the news, not
from a date of another fact; a date stays in its clause. Sentences written for these tests."""

from __future__ import annotations

from dossier.dates import find_dates
from dossier.events.detect import find_events
from dossier.model import DateSpan, Document, Mention


def by_text(spans: list[DateSpan]) -> dict[str, tuple[str | None, str | None]]:
    return {s.text: (s.start, s.end) for s in spans}


def test_relative_dates_of_an_undated_article_count_from_its_lead() -> None:
    text = ("Заголовок\nТело бизнесмена обнаружено в квартире 13 марта 2018 года. "
            "В июне прошлого года суд заочно признал его виновным. Вчера начато расследование.")
    got = by_text(find_dates(text, "ru", None))
    assert got["июне прошлого года"] == ("2017-06-01", "2017-06-30")
    assert got["Вчера"] == ("2018-03-12", "2018-03-12")


def test_no_lead_date_no_relative_date() -> None:
    text = "Заголовок\nВ июне прошлого года суд заочно признал его виновным."
    assert find_dates(text, "ru", None) == []


def test_a_lead_date_of_another_fact_dates_nothing_else() -> None:
    text = ("Заголовок\nСуд признал его виновным в убийстве, которое он совершил 17 июня 2013 "
            "года. В среду присяжные вынесли вердикт.")
    assert list(by_text(find_dates(text, "ru", None))) == ["17 июня 2013 года"]
    born = "Title\nIvan Petrov, born 2 May 1980, was detained. He was released on Monday."
    assert list(by_text(find_dates(born, "en", None))) == ["2 May 1980"]


def test_the_article_date_wins_over_the_lead() -> None:
    text = "Заголовок\nТело обнаружено 13 марта 2018 года. Вчера начато расследование."
    assert by_text(find_dates(text, "ru", "2018-03-20"))["Вчера"] == ("2018-03-19", "2018-03-19")


def test_a_date_before_after_which_is_not_the_date_after_it() -> None:
    text = "Иван Петров был задержан в марте 2011 года, после чего Петрова депортировали."
    doc = Document(id="d1", source="test", title=None, language="ru", declared_language=None,
                   published="2026-03-10", published_basis="declared", text=text)
    petrov = [Mention(id=f"d1:m{at}", document="d1", start=at, end=at + len(form), text=form,
                      type="person", base="Иван Петров", latin="Ivan Petrov", language="ru")
              for form in ("Иван Петров", "Петрова") for at in [text.find(form)]]
    dates = find_dates(text, "ru", doc.published)
    events = {e.type: e for e in find_events(doc, petrov, dates)}
    assert events["detention"].date.start == "2011-03-01"
    assert events["deportation"].date.start is None


def test_a_sentence_reporting_the_one_before_dates_its_events() -> None:
    text = ("Президент отпустил Ивана Петрова. Об этом говорится в указе, опубликованном "
            "29 января 2020 года.\nПетров был освобождён. В 2019 году вышла книга.")
    doc = Document(id="d1", source="test", title=None, language="ru", declared_language=None,
                   published=None, published_basis=None, text=text)
    forms = [("Ивана Петрова", text.find("Ивана Петрова")), ("Петров", text.find("\nПетров") + 1)]
    petrov = [Mention(id=f"d1:m{at}", document="d1", start=at, end=at + len(form), text=form,
                      type="person", base="Иван Петров", latin="Ivan Petrov", language="ru")
              for form, at in forms]
    events = find_events(doc, petrov, find_dates(text, "ru", None))
    assert [(e.type, e.date.start) for e in events] == [("release", "2020-01-29"),
                                                        ("release", None)]
