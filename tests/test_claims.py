"""Numeric claims and their grouping: own sentences in six languages, plus the seeds."""

from __future__ import annotations

from seeds import read_seed

from dossier.claims import find_claims, group_claims
from dossier.model import ClaimMention, Document


def doc(text: str, language: str, doc_id: str = "d1") -> Document:
    return Document(doc_id, "test", None, language, None, "2026-01-01", "declared", text)


def facts(claims: list[ClaimMention]) -> list[tuple[float, float | None, str, str | None]]:
    return [(c.value, c.value_max, c.unit, c.qualifier) for c in claims]


def test_english_counts_and_distractors() -> None:
    text = ("In 2023 more than 12,500 Ukrainians lived in Poland. The 34-year-old was jailed for "
            "6 years and fined $5,000 on 4 May. About 2.5 million people crossed into Germany, "
            "and 45% of them were women. The hearing began at 10:30 and lasted 3 hours.")
    claims = find_claims(doc(text, "en"))
    assert facts(claims) == [(12500, None, "people", "more than"),
                             (2500000, None, "people", "about"),
                             (45, None, "percent", None)]
    assert claims[0].about == "Ukrainians living in Poland"
    assert claims[1].about == "people entering Germany"
    assert claims[0].id == "d1:c1" and claims[0].evidence.text.startswith("In 2023 more than")
    assert text[claims[1].evidence.start:claims[1].evidence.end] == claims[1].evidence.text


def test_romanian_thousands_range_and_bare_number() -> None:
    text = ("Anul trecut, peste 15.000 de persoane au intrat în Georgia. Se estimează că între "
            "3.000 și 5.000 au rămas acolo. Un bărbat în vârstă de 41 de ani a primit 9 ani "
            "de închisoare pe 3 martie 2025.")
    claims = find_claims(doc(text, "ro"))
    assert facts(claims) == [(15000, None, "people", "more than"),
                             (3000, 5000, "people", "estimated")]
    assert claims[0].about == "people entering Georgia"
    assert claims[1].about == "people remaining"


def test_russian_spaces_millions_and_ranges() -> None:
    text = ("По данным ведомства, 1,3 млн россиян выехали в Грузию, а от 50 до 80 тысяч "
            "человек остались там. В Армении живут 70 000–90 000 эмигрантов. "
            "Ему грозит до 10 лет, штраф 300 000 рублей, а 25 февраля 2024 года ему исполнилось "
            "30 лет.")
    claims = find_claims(doc(text, "ru"))
    assert facts(claims) == [(1300000, None, "people", None),
                             (50000, 80000, "people", None),
                             (70000, 90000, "people", None)]
    assert claims[0].about == "Russians leaving for Georgia"
    shares = find_claims(doc("Опрос показал, что от 30% до 35% жителей готовы уехать.", "ru"))
    assert facts(shares) == [(30, 35, "percent", None)]


def test_ukrainian_german_polish() -> None:
    uk = find_claims(doc("Понад 2 тисячі громадян затримали у 2025 році, 25-річного "
                         "засудили до 7 років.", "uk"))
    assert facts(uk) == [(2000, None, "people", "more than")]
    de = find_claims(doc("Rund 8.500 Russen leben in Serbien, seit 2022 ist die Zahl "
                         "um 40 Prozent gestiegen.", "de"))
    assert facts(de) == [(8500, None, "people", "about"), (40, None, "percent", None)]
    assert de[0].about == "Russians living in Serbia"
    pl = find_claims(doc("Około 1,2 mln Ukraińców mieszka w Polsce od 24 lutego 2022 r.", "pl"))
    assert facts(pl) == [(1200000, None, "people", "about")]


def test_grouping_merges_equal_values_and_flags_conflicts() -> None:
    a = find_claims(doc("More than 20,000 Russians live in Armenia.", "en", "a"))
    b = find_claims(doc("Peste 20.000 de ruși trăiesc în Armenia.", "ro", "b"))
    c = find_claims(doc("Up to 5,000 Russians stayed in Armenia.", "en", "c"))
    d = find_claims(doc("About 20,000 Russians crossed the border with Georgia.", "en", "d"))
    e = find_claims(doc("Around 21,000 Russians remained in Armenia.", "en", "e"))
    groups = group_claims(a + b + c + d + e)
    by_id = {g.id: g for g in groups}
    main = by_id["a:c1"]
    assert {ev.document for ev in main.evidence} == {"a", "b"}
    assert main.conflicts_with == ["c:c1"]
    assert sorted(by_id["c:c1"].conflicts_with) == ["a:c1", "e:c1"]
    assert by_id["e:c1"].conflicts_with == ["c:c1"]  # 21,000 is within 10% of 20,000
    assert by_id["d:c1"].conflicts_with == []  # another country, another verb: another group


# ---- seeds --------------------------------------------------------------------------------


def seed(prefix: str, language: str) -> Document:
    return doc(read_seed(prefix)[0], language, prefix)


def test_seed_en_claims_and_merge() -> None:
    claims = find_claims(seed("003", "en"))
    values = [c.value for c in claims]
    for expected in (400000, 36000, 1300000, 260000):
        assert expected in values
    assert values.count(400000) >= 3
    groups = group_claims(claims)
    merged = [g for g in groups if g.value == 400000]
    assert len(merged) == 1 and len(merged[0].evidence) >= 3
    assert all(c.unit == "people" for c in claims)


def test_seed_ro_claims() -> None:
    claims = find_claims(seed("002", "ro"))
    assert (400000, None, "people", "more than") in facts(claims)
    assert (50000, 80000, "people", "estimated") in facts(claims)
    assert not any(1900 <= c.value <= 2100 for c in claims)  # no years
    assert not any(c.value in (25, 6) for c in claims)  # no ages, no prison terms


def test_seed_claims_across_documents() -> None:
    claims = find_claims(seed("003", "en")) + find_claims(seed("004", "en"))
    groups = group_claims(claims)
    up_to = next(g for g in groups if g.value == 100000)
    assert up_to.qualifier == "up to"
    assert any(g.value == 400000 and g.id in up_to.conflicts_with for g in groups)
