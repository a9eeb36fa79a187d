"""Temporal expressions: own sentences in six languages, plus checks on the seed articles."""

from __future__ import annotations

import json
import re

import pytest
from seeds import SEEDS, read_seed

from dossier.dates import find_dates, infer_published
from dossier.model import DateSpan


def by_text(spans: list[DateSpan]) -> dict[str, tuple[str | None, str | None, str]]:
    return {s.text: (s.start, s.end, s.precision) for s in spans}


def test_offsets_are_exact_substrings() -> None:
    text = "Суд над ним начался 14 марта 2025 года, а приговор огласили в конце апреля."
    spans = find_dates(text, "ru", "2025-06-01")
    assert spans
    for s in spans:
        assert text[s.doc_start:s.doc_end] == s.text


def test_russian() -> None:
    text = ("Активиста задержали 5 января, а в конце февраля 2026 года суд продлил арест. "
            "Он жил в Алматы с 2022 по 2023 год, вчера его этапировали. "
            "В прошлом месяце он получил отказ. Разрешение выдают на срок до одного года, "
            "гражданство он получил за 3 года. Трансляция началась в 14:54.")
    got = by_text(find_dates(text, "ru", "2026-03-10"))
    assert got["5 января"] == ("2026-01-05", "2026-01-05", "day")
    assert got["в конце февраля 2026 года"] == ("2026-02-21", "2026-02-28", "part_of_month")
    assert got["с 2022 по 2023 год"] == ("2022-01-01", "2023-12-31", "range")
    assert got["вчера"] == ("2026-03-09", "2026-03-09", "day")
    assert got["В прошлом месяце"] == ("2026-02-01", "2026-02-28", "month")
    assert len(got) == 5, got  # no durations ("до одного года", "за 3 года"), no clock time


def test_ukrainian() -> None:
    text = ("Затримання сталося 2 лютого, а наприкінці січня йому відмовили у притулку. "
            "У 2024 році справу закрили. Мова про 25-річного програміста, "
            "якому загрожує до 20 років позбавлення волі.")
    got = by_text(find_dates(text, "uk", "2026-02-03"))
    assert got["2 лютого"] == ("2026-02-02", "2026-02-02", "day")
    assert got["наприкінці січня"] == ("2026-01-21", "2026-01-31", "part_of_month")
    assert got["2024 році"] == ("2024-01-01", "2024-12-31", "year")
    assert len(got) == 3, got


def test_romanian_and_the_word_mai() -> None:
    text = ("La sfârșitul lunii ianuarie a fost reținut un jurnalist în vârstă de 30 de ani. "
            "Mai mulți avocați, mai ales cei tineri, au protestat în aprilie 2024. "
            "Între 2021 și 2022 el a locuit la Chișinău; în luna următoare a plecat. "
            "Decizia a venit pe 12 mai 2025, iar la sfârșitul anului 2025 a fost eliberat. "
            "La începutul lunii februarie a primit azil. Sunt cu 5 mai mulți decât ieri.")
    got = by_text(find_dates(text, "ro", "2026-02-22"))
    assert got["La sfârșitul lunii ianuarie"] == ("2026-01-21", "2026-01-31", "part_of_month")
    assert got["aprilie 2024"] == ("2024-04-01", "2024-04-30", "month")
    assert got["Între 2021 și 2022"] == ("2021-01-01", "2022-12-31", "range")
    assert got["în luna următoare"] == ("2023-01-01", "2023-01-31", "month")
    assert got["12 mai 2025"] == ("2025-05-12", "2025-05-12", "day")
    assert got["la sfârșitul anului 2025"] == ("2025-10-01", "2025-12-31", "range")
    assert got["La începutul lunii februarie"] == ("2026-02-01", "2026-02-10", "part_of_month")
    assert got["ieri"] == ("2026-02-21", "2026-02-21", "day")
    assert not any("Mai" in t or "mai" in t.split() or "30" in t for t in got if t != "12 mai 2025")


def test_english_rejects_may_ages_and_durations() -> None:
    text = ("The 25-year-old was detained on March 3 and may be deported next month. "
            "Visitors may stay for three months; after a 30-day stay they must register. "
            "Between 2019 and 2020 he worked abroad, and the following year he returned. "
            "In late January a court heard the case; by the end of 2025 it was closed. "
            "He left in May.")
    got = by_text(find_dates(text, "en", "2026-06-20"))
    assert got["March 3"] == ("2026-03-03", "2026-03-03", "day")
    assert got["next month"] == ("2026-07-01", "2026-07-31", "month")
    assert got["Between 2019 and 2020"] == ("2019-01-01", "2020-12-31", "range")
    assert got["the following year"] == ("2021-01-01", "2021-12-31", "year")
    assert got["late January"] == ("2026-01-21", "2026-01-31", "part_of_month")
    assert got["the end of 2025"] == ("2025-10-01", "2025-12-31", "range")
    assert got["May"] == ("2026-05-01", "2026-05-31", "month")
    assert "may" not in got and len(got) == 7, got


def test_clearly_future_dates_go_to_the_previous_year() -> None:
    got = by_text(find_dates("The decree was signed on December 31.", "en", "2026-01-05"))
    assert got["December 31"] == ("2025-12-31", "2025-12-31", "day")


def test_german() -> None:
    text = ("Anfang März wurde er festgenommen, am 7. April 2025 ausgeliefert. "
            "Seit 2022 lebte er in Berlin; Mitte 2024 zog er um. Gestern sprach er.")
    got = by_text(find_dates(text, "de", "2026-03-20"))
    assert got["Anfang März"] == ("2026-03-01", "2026-03-10", "part_of_month")
    assert got["7. April 2025"] == ("2025-04-07", "2025-04-07", "day")
    assert got["2022"] == ("2022-01-01", "2022-12-31", "year")
    assert got["Mitte 2024"] == ("2024-05-01", "2024-08-31", "range")
    assert got["Gestern"] == ("2026-03-19", "2026-03-19", "day")


def test_polish() -> None:
    text = ("Pod koniec stycznia aktywistę zatrzymano, a 3 lutego 2026 r. sąd zgodził się na "
            "ekstradycję. W 2023 roku wyjechał z kraju; w zeszłym tygodniu złożył apelację. "
            "Grozi mu 8 lat więzienia.")
    got = by_text(find_dates(text, "pl", "2026-02-18"))
    assert got["Pod koniec stycznia"] == ("2026-01-21", "2026-01-31", "part_of_month")
    assert got["3 lutego 2026 r."] == ("2026-02-03", "2026-02-03", "day")
    assert got["2023 roku"] == ("2023-01-01", "2023-12-31", "year")
    assert got["w zeszłym tygodniu"] == ("2026-02-09", "2026-02-15", "range")
    assert len(got) == 4, got


def test_undated_text_takes_a_year_only_from_its_paragraph() -> None:
    text = ("In 2023 he moved abroad. In mid-June he was detained. Yesterday he was freed.\n"
            "On 3 May he was questioned.")
    got = by_text(find_dates(text, "en", None))
    assert got["mid-June"] == ("2023-06-11", "2023-06-20", "part_of_month")
    assert "Yesterday" not in got  # needs the article date
    assert "3 May" not in got  # no year in its paragraph: year-less stays unknown
    assert infer_published(text, "en", find_dates(text, "en", None)) is None  # no dateline
    assert infer_published("Nothing dated here.", "en", []) is None


def test_dateline_gives_the_publication_date() -> None:
    for text in ("KYIV, 3 March 2026 - Police detained him.", "Title\n3 March 2026\nText."):
        assert infer_published(text, "en", find_dates(text, "en", None)) == "2026-03-03"
    text = "Police detained him on 3 March 2026."
    assert infer_published(text, "en", find_dates(text, "en", None)) is None


def test_month_with_relative_year_and_ranges_by_dash() -> None:
    got = by_text(find_dates("В декабре прошлого года его задержали, а 5-9 марта допрашивали; "
                             "агентство «Мир сегодня» сообщило об этом.", "ru", "2026-04-02"))
    assert got["декабре прошлого года"] == ("2025-12-01", "2025-12-31", "month")
    assert got["5-9 марта"] == ("2026-03-05", "2026-03-09", "range")
    assert "сегодня" not in got
    got = by_text(find_dates("Budżet na lata 2021-2027 przyjęto w okresie marzec-czerwiec "
                             "2020.", "pl", "2020-11-15"))
    assert got == {"2021-2027": ("2021-01-01", "2027-12-31", "range"),
                   "marzec-czerwiec 2020": ("2020-03-01", "2020-06-30", "range")}


def test_numeric_dates() -> None:
    got = by_text(find_dates("Рішення від 03.02.2026 оскаржено, засідання 2026-03-01.", "uk",
                             "2026-03-05"))
    assert got["03.02.2026"] == ("2026-02-03", "2026-02-03", "day")
    assert got["2026-03-01"] == ("2026-03-01", "2026-03-01", "day")


# ---- seeds --------------------------------------------------------------------------------


def test_seed_uk() -> None:
    text, published = read_seed("001")
    assert published == "2026-02-03"
    got = by_text(find_dates(text, "uk", published))
    assert got["2 лютого"] == ("2026-02-02", "2026-02-02", "day")
    assert got["2024 році"][2] == "year"


def test_seed_ro() -> None:
    text, published = read_seed("002")
    spans = find_dates(text, "ro", published)
    got = by_text(spans)
    assert got["La sfârșitul lunii ianuarie"] == ("2026-01-21", "2026-01-31", "part_of_month")
    assert got["aprilie 2024"] == ("2024-04-01", "2024-04-30", "month")
    assert got["Între 2022 și 2023"] == ("2022-01-01", "2023-12-31", "range")
    assert got["În luna următoare"] == ("2024-05-01", "2024-05-31", "month")
    assert got["La sfârșitul anului 2025"][:2] == ("2025-10-01", "2025-12-31")
    for s in spans:
        assert "mai" not in s.text.lower().split()
        assert not re.search(r"\b25\b", s.text)
    assert all(s.start and s.start <= published for s in spans)


def test_seed_ru() -> None:
    text, published = read_seed("000")
    spans = find_dates(text, "ru", published)
    got = by_text(spans)
    assert got["в конце февраля 2026 года"] == ("2026-02-21", "2026-02-28", "part_of_month")
    assert not any(":" in s.text or "минут" in s.text or "срок" in s.text for s in spans)
    assert len(spans) == 3, got


def test_seed_en_without_date_keeps_year_less_dates_unknown() -> None:
    text, published = read_seed("004")
    assert published is None
    first = find_dates(text, "en", None)
    assert infer_published(text, "en", first) is None  # the text has no dateline
    got = by_text(first)
    assert "late January" not in got  # no year for it in its paragraph
    assert not any("year-old" in t for t in got)


def test_ronec_precision() -> None:
    """Found Romanian expressions should overlap a DATETIME/PERIOD entity of RONEC (valid)."""
    path = SEEDS.parent / "data" / "ronec" / "valid.json"
    if not path.exists():
        pytest.skip("no RONEC data")
    found = hits = 0
    for sentence in json.loads(path.read_text(encoding="utf-8")):
        text, gold, current = "", [], None
        tokens = zip(sentence["tokens"], sentence["ner_tags"], sentence["space_after"], strict=True)
        for token, tag, space in tokens:
            start = len(text)
            text += token + (" " if space else "")
            if tag in ("B-DATETIME", "B-PERIOD"):
                current = [start, start + len(token)]
                gold.append(current)
            elif tag in ("I-DATETIME", "I-PERIOD") and current:
                current[1] = start + len(token)
            else:
                current = None
        for span in find_dates(text, "ro", "2019-06-15"):
            found += 1
            hits += any(span.doc_start < e and span.doc_end > s for s, e in gold)
    print(f"RONEC: {found} found, {hits} inside a DATETIME/PERIOD entity")
    assert found > 500 and hits / found > 0.97


# ---- weekdays, anaphoric offsets, "this week", "N days ago" (own sentences) ---------------
# 2026-03-05 is a Thursday.


def test_weekdays_point_to_the_latest_such_day_on_or_before_the_article() -> None:
    cases = [
        ("en", "The blogger was detained on Monday and questioned last Thursday.",
         {"on Monday": "2026-03-02", "last Thursday": "2026-02-26"}),
        ("en", "Police said Thursday that the hearing is set for next Monday.",
         {"Thursday": "2026-03-05", "next Monday": "2026-03-09"}),
        ("ru", "Активиста задержали в среду, а в прошлую пятницу его допросили.",
         {"в среду": "2026-03-04", "в прошлую пятницу": "2026-02-27"}),
        ("ru", "Суд рассмотрит жалобу в следующий понедельник.",
         {"в следующий понедельник": "2026-03-09"}),
        ("uk", "Журналіста затримали у середу, а минулого понеділка йому відмовили.",
         {"у середу": "2026-03-04", "минулого понеділка": "2026-03-02"}),
        ("ro", "Activistul a fost reținut marți, iar joia trecută a fost audiat.",
         {"marți": "2026-03-03", "joia trecută": "2026-02-26"}),
        ("ro", "Procesul a început pe luni dimineața la Chișinău.",
         {"pe luni dimineața": "2026-03-02"}),
        ("de", "Der Aktivist wurde am Dienstag festgenommen, am Sonntagabend verhört.",
         {"am Dienstag": "2026-03-03", "am Sonntagabend": "2026-03-01"}),
        ("pl", "Dziennikarza zatrzymano w sobotę, a w ubiegły wtorek przesłuchano.",
         {"w sobotę": "2026-02-28", "w ubiegły wtorek": "2026-03-03"}),
    ]
    for lang, text, want in cases:
        got = by_text(find_dates(text, lang, "2026-03-05"))
        for phrase, day in want.items():
            assert got.get(phrase) == (day, day, "day"), (lang, phrase, got)
        assert len(got) == len(want), (lang, got)


def test_weekday_distractors() -> None:
    assert find_dates("Au trecut luni de zile, iar după luni întregi nimic.", "ro",
                      "2026-03-05") == []
    assert find_dates("Peste două luni vom ști, a stat timp de luni acolo.", "ro",
                      "2026-03-05") == []
    assert find_dates("Проблемы окружающей среды и среду обитания обсудили.", "ru",
                      "2026-03-05") == []
    assert find_dates("He was detained on Monday.", "en", None) == []  # no article date
    assert find_dates("Another monday blues story.", "en", "2026-03-05") == []  # lower case
    # "luni, 2 martie": the date itself, not the weekday, gives the day
    got = by_text(find_dates("A fost reținut luni, 2 martie.", "ro", "2026-03-05"))
    assert got == {"2 martie": ("2026-03-02", "2026-03-02", "day")}


def test_offsets_count_from_the_date_before_them() -> None:
    cases = [
        ("en", "He was detained on 10 June 2025 and deported two days later; "
               "a week later he was charged.",
         {"two days later": ("2025-06-12", "2025-06-12", "day"),
          "a week later": ("2025-06-19", "2025-06-19", "day")}),
        ("en", "She was stopped on 3 May 2024. The next morning she was sent back.",
         {"The next morning": ("2024-05-04", "2024-05-04", "day")}),
        ("ru", "Его задержали 10 января. На следующий день суд арестовал его, "
               "через два дня после ареста предъявили обвинение.",
         {"На следующий день": ("2026-01-11", "2026-01-11", "day"),
          "через два дня после": ("2026-01-13", "2026-01-13", "day")}),
        ("ru", "В 2021 году он уехал. Через два года его объявили в розыск.",
         {"Через два года": ("2023-01-01", "2023-12-31", "year")}),
        ("uk", "Його затримали 4 лютого, наступного дня звільнили. Через два роки справу закрили.",
         {"наступного дня": ("2026-02-05", "2026-02-05", "day"),
          "Через два роки": ("2028-01-01", "2028-12-31", "year")}),
        ("ro", "A fost reținut pe 12 ianuarie, iar două zile mai târziu a fost eliberat.",
         {"două zile mai târziu": ("2026-01-14", "2026-01-14", "day")}),
        ("de", "Er wurde am 7. Januar festgenommen und zwei Tage später abgeschoben.",
         {"zwei Tage später": ("2026-01-09", "2026-01-09", "day")}),
        ("pl", "Zatrzymano go 7 stycznia, a dwa dni później deportowano.",
         {"dwa dni później": ("2026-01-09", "2026-01-09", "day")}),
        ("pl", "W 2019 roku wyjechał. Dwa lata później skazano go zaocznie.",
         {"Dwa lata później": ("2021-01-01", "2021-12-31", "year")}),
    ]
    for lang, text, want in cases:
        got = by_text(find_dates(text, lang, "2026-03-05"))
        for phrase, value in want.items():
            assert got.get(phrase) == value, (lang, phrase, got)


def test_a_finer_offset_keeps_a_coarse_anchor() -> None:
    got = by_text(find_dates("Er wurde im Juni festgenommen und wenige Tage später "
                             "abgeschoben.", "de", "2024-07-18"))
    assert got["wenige Tage später"] == ("2024-06-01", "2024-06-30", "month")
    got = by_text(find_dates("He was stopped on 3 May 2024 and a few days later released.",
                             "en", "2024-07-18"))
    assert got["a few days later"] == ("2024-05-05", "2024-05-09", "range")


def test_day_offsets_need_a_date_in_the_same_paragraph() -> None:
    text = "On 3 May 2024 he fled.\n\nTwo days later the court met. The next day it ruled."
    got = by_text(find_dates(text, "en", "2024-07-18"))
    assert list(got) == ["3 May 2024"]
    assert find_dates("Спустя два дня его отпустили.", "ru", "2026-03-05") == []


def test_durations_are_not_offsets() -> None:
    for lang, text in [
        ("en", "He was held for two days in custody and spent three years in prison."),
        ("ru", "Его задержали на два дня, он провёл три года в колонии."),
        ("ru", "Суд отложил заседание и через два дня снова его отложил."),
        ("uk", "Його затримали на два дні."),
        ("ro", "A stat două zile în arest."),
        ("de", "Er saß zwei Tage in Haft."),
        ("pl", "Spędził dwa dni w areszcie."),
    ]:
        assert find_dates(text, lang, "2026-03-05") == [], (lang, text)


def test_this_week_and_days_ago() -> None:
    cases = [
        ("en", "Earlier this week two days ago", {"Earlier this week":
                                                  ("2026-03-02", "2026-03-05", "range"),
                                                  "two days ago":
                                                  ("2026-03-03", "2026-03-03", "day")}),
        ("en", "Earlier this month he fled.", {"Earlier this month":
                                               ("2026-03-01", "2026-03-31", "month")}),
        ("ru", "На этой неделе его задержали, три дня назад допросили.",
         {"На этой неделе": ("2026-03-02", "2026-03-05", "range"),
          "три дня назад": ("2026-03-02", "2026-03-02", "day")}),
        ("uk", "Цього тижня його затримали, два дні тому допитали.",
         {"Цього тижня": ("2026-03-02", "2026-03-05", "range"),
          "два дні тому": ("2026-03-03", "2026-03-03", "day")}),
        ("ro", "În această săptămână a fost reținut, iar acum trei zile audiat.",
         {"În această săptămână": ("2026-03-02", "2026-03-05", "range"),
          "acum trei zile": ("2026-03-02", "2026-03-02", "day")}),
        ("de", "Diese Woche wurde er festgenommen, vor drei Tagen verhört.",
         {"Diese Woche": ("2026-03-02", "2026-03-05", "range"),
          "vor drei Tagen": ("2026-03-02", "2026-03-02", "day")}),
        ("pl", "W tym tygodniu go zatrzymano, trzy dni temu przesłuchano.",
         {"W tym tygodniu": ("2026-03-02", "2026-03-05", "range"),
          "trzy dni temu": ("2026-03-02", "2026-03-02", "day")}),
    ]
    for lang, text, want in cases:
        got = by_text(find_dates(text, lang, "2026-03-05"))
        assert got == want, (lang, got)


def test_undated_story_goes_on_in_the_year_of_its_last_full_date() -> None:
    text = ("Ивана Петрова задержали 9 апреля 2019 года в аэропорту.\nПо его словам, это "
            "ошибка.\n\n11 октября суд приговорил его к семи годам.\n19 декабря приговор "
            "устоял.\n5 марта его освободили.\nВ 2004 году он переехал.\n3 июня его вызвали.")
    got = by_text(find_dates(text, "ru", None))
    assert got["11 октября"] == ("2019-10-11", "2019-10-11", "day")
    assert got["19 декабря"] == ("2019-12-19", "2019-12-19", "day")
    assert "5 марта" not in got  # earlier in the calendar: it may be the next year
    assert "3 июня" not in got  # a bare year stands between: unsure
