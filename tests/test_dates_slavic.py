"""Temporal expressions in Czech, Slovene and Bulgarian: sentences written for these tests."""

from __future__ import annotations

import json

import pytest

from dossier.dates import find_dates
from dossier.langdata import DATA
from dossier.model import DateSpan

ARTICLE = "2026-03-10"  # a Tuesday


def by_text(spans: list[DateSpan]) -> dict[str, tuple[str | None, str | None, str]]:
    return {s.text: (s.start, s.end, s.precision) for s in spans}


@pytest.mark.parametrize("language", ["cs", "sl", "bg"])
def test_files_have_the_keys_of_the_polish_file(language: str) -> None:
    polish = json.loads((DATA / "dates" / "pl.json").read_text(encoding="utf-8"))
    own = json.loads((DATA / "dates" / f"{language}.json").read_text(encoding="utf-8"))
    assert set(polish) <= set(own)
    assert len(own["months"]) == 12 and len(own["weekdays"]) == 7


def test_czech() -> None:
    text = ("Soud ho 15. března 2024 odsoudil a koncem ledna se odvolal. "
            "V roce 2022 žil v Praze, v letech 2020 až 2021 v Brně. "
            "Ve středu ho zadrželi, loni v listopadu byl propuštěn. "
            "Před dvěma lety uprchl, včera a minulý týden mluvil s novináři. "
            "Na jaře 2023 a koncem roku 2019. Zeď září novou barvou. "
            "V září letošního roku. Mezi lednem a březnem.")
    got = by_text(find_dates(text, "cs", ARTICLE))
    assert got["15. března 2024"] == ("2024-03-15", "2024-03-15", "day")
    assert got["koncem ledna"] == ("2026-01-21", "2026-01-31", "part_of_month")
    assert got["2022"] == ("2022-01-01", "2022-12-31", "year")
    assert got["v letech 2020 až 2021"] == ("2020-01-01", "2021-12-31", "range")
    assert got["Ve středu"] == ("2026-03-04", "2026-03-04", "day")
    assert got["loni"] == ("2025-01-01", "2025-12-31", "year")
    assert got["listopadu"] == ("2025-11-01", "2025-11-30", "month")  # the November before
    assert got["Před dvěma lety"] == ("2024-01-01", "2024-12-31", "year")
    assert got["včera"] == ("2026-03-09", "2026-03-09", "day")
    assert got["minulý týden"] == ("2026-03-02", "2026-03-08", "range")
    assert got["Na jaře 2023"] == ("2023-03-01", "2023-05-31", "range")
    assert got["koncem roku 2019"] == ("2019-10-01", "2019-12-31", "range")
    assert got["září letošního roku"] == ("2026-09-01", "2026-09-30", "month")
    assert got["Mezi lednem a březnem"] == ("2026-01-01", "2026-03-31", "range")
    assert len(got) == 14, got  # "září" (shines) without a preposition is no month


def test_slovene() -> None:
    text = ("Sodišče ga je 15. marca 2024 obsodilo, konec januarja se je pritožil. "
            "Leta 2022 je živel v Ljubljani. Maja Novak je prišla. "
            "Policija ga je v sredo pridržala, lani novembra je bil izpuščen. "
            "Pred dvema letoma je pobegnil; tri dni pozneje so ga zaslišali. "
            "Včeraj in prejšnji teden. Spomladi 2023 in konec leta 2019. Marca lani. "
            "Sredi februarja.")
    got = by_text(find_dates(text, "sl", ARTICLE))
    assert got["15. marca 2024"] == ("2024-03-15", "2024-03-15", "day")
    assert got["konec januarja"] == ("2026-01-21", "2026-01-31", "part_of_month")
    assert got["2022"] == ("2022-01-01", "2022-12-31", "year")
    assert got["v sredo"] == ("2026-03-04", "2026-03-04", "day")
    assert got["novembra"] == ("2025-11-01", "2025-11-30", "month")
    assert got["Pred dvema letoma"] == ("2024-01-01", "2024-12-31", "year")
    # no finer than the date it counts from
    assert got["tri dni pozneje"] == ("2024-01-01", "2024-12-31", "year")
    assert got["Včeraj"] == ("2026-03-09", "2026-03-09", "day")
    assert got["prejšnji teden"] == ("2026-03-02", "2026-03-08", "range")
    assert got["Spomladi 2023"] == ("2023-03-01", "2023-05-31", "range")
    assert got["konec leta 2019"] == ("2019-10-01", "2019-12-31", "range")
    assert got["Marca lani"] == ("2025-03-01", "2025-03-31", "month")
    assert got["Sredi februarja"] == ("2026-02-11", "2026-02-20", "part_of_month")
    assert "Maja" not in got  # a given name, not May


def test_bulgarian() -> None:
    text = ("Съдът го осъди на 15 март 2024 г., а в края на януари той обжалва. "
            "През 2022 г. живееше в София. Полицията го задържа в сряда. "
            "Миналата година беше освободен, преди две години избяга. "
            "Вчера и миналата седмица. През пролетта на 2023 г. и в края на 2019 година. "
            "Май че не е така. В средата на май. От 2020 до 2022 г. На 3 март т.г.")
    got = by_text(find_dates(text, "bg", ARTICLE))
    assert got["15 март 2024 г."] == ("2024-03-15", "2024-03-15", "day")
    assert got["в края на януари"] == ("2026-01-21", "2026-01-31", "part_of_month")
    assert got["2022 г."] == ("2022-01-01", "2022-12-31", "year")
    assert got["в сряда"] == ("2026-03-04", "2026-03-04", "day")
    assert got["Миналата година"] == ("2025-01-01", "2025-12-31", "year")
    assert got["преди две години"] == ("2024-01-01", "2024-12-31", "year")
    assert got["Вчера"] == ("2026-03-09", "2026-03-09", "day")
    assert got["миналата седмица"] == ("2026-03-02", "2026-03-08", "range")
    assert got["През пролетта на 2023 г."] == ("2023-03-01", "2023-05-31", "range")
    assert got["в края на 2019 година"] == ("2019-10-01", "2019-12-31", "range")
    assert got["В средата на май"] == ("2026-05-11", "2026-05-20", "part_of_month")
    assert got["От 2020 до 2022 г."] == ("2020-01-01", "2022-12-31", "range")
    assert got["3 март т.г."] == ("2026-03-03", "2026-03-03", "day")
    assert len(got) == 13, got  # "Май че" ("it seems") is no month


@pytest.mark.parametrize("language, text, expected", [
    ("cs", "Dva dny později ho propustili.", None),  # no date before it to count from
    ("cs", "Zadrželi ho 3. února. O dva dny později ho propustili.", "2026-02-05"),
    ("sl", "Pridržali so ga 3. februarja. Dva dni pozneje so ga izpustili.", "2026-02-05"),
    ("bg", "Задържаха го на 3 февруари. Два дни по-късно го освободиха.", "2026-02-05"),
])
def test_offsets_count_from_the_date_before(language: str, text: str,
                                            expected: str | None) -> None:
    spans = find_dates(text, language, ARTICLE)
    later = [s for s in spans if s.precision == "day" and s.text[0].isalpha()]
    assert (later[-1].start if later else None) == expected, spans
