"""Stories: features, the incremental index, clustering, dates, titles and timelines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dossier.model import Analysis, DateSpan, Document, Event, Evidence, Mention, Story
from dossier.stories.cluster import (
    add_document,
    cluster_stories,
    document_keys,
    restore_index,
    story_timeline,
)
from dossier.stories.features import (
    DIM,
    Features,
    day_of,
    decode_vector,
    document_vector,
    encode_vector,
)
from dossier.stories.index import StoryIndex, entity_weight
from dossier.stories.keys import name_keys, settings
from dossier.stories.titles import month_span, story_title

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SCORE = settings()["score"]


def unit(rng: np.random.Generator) -> np.ndarray:
    v = rng.standard_normal(DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def at_cosine(base: np.ndarray, cosine: float, rng: np.random.Generator) -> np.ndarray:
    """A unit vector whose cosine with the unit vector `base` is exactly `cosine`."""
    other = unit(rng)
    other -= (other @ base) * base
    other /= np.linalg.norm(other)
    v = cosine * base + np.sqrt(1 - cosine**2) * other
    return (v / np.linalg.norm(v)).astype(np.float32)


def feat(doc_id: str, vector: np.ndarray, day: str | None = None, lang: str = "en",
         entities: tuple[str, ...] = (), events: tuple[str, ...] = (),
         dated: bool = True) -> Features:
    return Features(doc_id, vector, frozenset(entities), frozenset(events), day_of(day),
                    dated and day is not None, lang)


# ---- features ------------------------------------------------------------------------------


def test_vector_encoding_is_compact_and_round_trips():
    v = unit(np.random.default_rng(1))
    text = encode_vector(v)
    assert len(text) == 1024  # 384 float16 values in base64
    assert float(decode_vector(text) @ v) > 0.9999


def test_document_vector_is_cross_lingual():
    def doc(text: str, lang: str) -> Document:
        return Document(lang, "t", None, lang, None, None, None, text)

    en = decode_vector(document_vector(doc(
        "The court in Almaty approved the extradition of the activist to Russia.", "en")))
    uk = decode_vector(document_vector(doc(
        "Суд в Алмати погодив екстрадицію активіста до Росії.", "uk")))
    other = decode_vector(document_vector(doc(
        "The bakery on the corner sells fresh bread and cakes every morning.", "en")))
    assert float(en @ uk) > float(en @ other) + 0.05


def test_name_keys_meet_across_scripts_and_ignore_common_words():
    uk = name_keys("Суд відмовив Ємельяновій у звільненні.", "uk")
    en = name_keys("On Friday the court refused to release Yemelyanova.", "en")
    shared = set(uk) & set(en)
    assert shared and all(en[k] == 1.0 for k in shared)
    assert not any(k.startswith("frida") for k in en)  # "Friday" is common: no key


def test_entity_weight_favours_rare_people_over_famous_ones():
    weights = settings()["entity_weights"]
    assert entity_weight("person:yulia-yemelyanova", weights) == pytest.approx(1.0)
    assert entity_weight("person:vladimir-putin", weights) < 0.2
    assert entity_weight("location:kazakhstan", weights) < 0.1


# ---- the index -----------------------------------------------------------------------------


def test_close_articles_join_and_distant_ones_start_stories():
    rng = np.random.default_rng(2)
    base = unit(rng)
    index = StoryIndex()
    first = index.add(feat("a", base, "2026-02-03", "uk"))
    assert index.add(feat("b", at_cosine(base, 0.9, rng), "2026-02-20", "ro")) == first
    assert index.add(feat("c", unit(rng), "2026-02-10", "en")) != first  # unrelated text
    # the same text three years earlier: another story
    assert index.add(feat("d", at_cosine(base, 0.97, rng), "2023-01-10", "uk")) != first
    assert first == "story-a"
    assert sorted(index.members("b")) == ["a", "b"]


def test_shared_rare_people_and_events_link_articles_text_alone_would_not():
    rng = np.random.default_rng(3)
    base = unit(rng)
    low = at_cosine(base, SCORE["join"] - 0.12, rng)
    people = ("person:kamil-kasimov", "person:semyon-bazhukov")
    alone = StoryIndex()
    alone.add(feat("a", base, "2026-02-03"))
    assert alone.add(feat("b", low, "2026-02-05")) == "story-b"
    linked = StoryIndex()
    linked.add(feat("a", base, "2026-02-03", entities=people, events=("ev1", "ev2")))
    assert linked.add(feat("b", low, "2026-02-05", entities=people, events=("ev1", "ev2"))) \
        == "story-a"


def test_a_bridging_article_merges_stories_that_belong_together():
    rng = np.random.default_rng(4)
    a = unit(rng)
    close = at_cosine(a, (SCORE["join"] + SCORE["merge"]) / 2, rng)  # below join, above merge
    index = StoryIndex()
    index.add(feat("a", a))
    assert index.add(feat("b", close)) == "story-b"
    bridge = (a + close) / np.linalg.norm(a + close)
    assert index.add(feat("c", bridge)) == "story-a"
    assert sorted(index.members("b")) == ["a", "b", "c"]


def test_a_bridging_article_does_not_merge_unrelated_stories():
    rng = np.random.default_rng(5)
    a = unit(rng)
    far = at_cosine(a, SCORE["merge"] - 0.06, rng)
    index = StoryIndex()
    index.add(feat("a", a))
    index.add(feat("b", far))
    bridge = (a + far) / np.linalg.norm(a + far)
    assert float(bridge @ a) >= SCORE["join"] and float(bridge @ far) >= SCORE["join"]
    index.add(feat("c", bridge))
    assert index.story_of("a") != index.story_of("b")
    assert len(index.members("c")) == 2


# ---- clustering, dates, titles, timelines --------------------------------------------------


def analysis(doc_id: str, vector: np.ndarray, published: str | None, lang: str,
             basis: str | None = "declared") -> Analysis:
    doc = Document(doc_id, f"{doc_id}.txt", f"Title {doc_id}", lang, lang, published,
                   basis if published else None, "text")
    result = Analysis(doc)
    result.vector = encode_vector(vector)  # type: ignore[attr-defined]
    return result


def test_cluster_stories_is_deterministic_and_leaves_undated_members_undated():
    rng = np.random.default_rng(6)
    base = unit(rng)
    make = [
        ("d1", at_cosine(base, 0.95, rng), "2026-02-03", "uk"),
        ("d2", at_cosine(base, 0.95, rng), "2026-02-22", "ro"),
        ("d3", at_cosine(base, 0.95, rng), "2026-03-10", "ru"),
        ("d4", at_cosine(base, 0.95, rng), None, "en"),
        ("d5", unit(rng), None, "en"),
    ]
    runs = []
    for order in (make, make[::-1]):
        analyses = [analysis(*row) for row in order]
        stories = cluster_stories(analyses, {}, [])
        runs.append((stories, {a.document.id: a.document for a in analyses}))
    (stories, docs), (again, _) = runs
    assert [(s.id, s.documents) for s in stories] == [(s.id, s.documents) for s in again]
    main = next(s for s in stories if "d1" in s.documents)
    assert main.id == "story-d1" and sorted(main.documents) == ["d1", "d2", "d3", "d4"]
    assert main.languages == ["en", "ro", "ru", "uk"]
    assert (main.start, main.end) == ("2026-02-03", "2026-03-10")
    # a story's dates say when its other articles appeared, not this one
    assert (docs["d4"].published, docs["d4"].published_basis) == (None, None)
    assert docs["d5"].published is None
    assert docs["d1"].published_basis == "declared"


def test_a_member_keeps_its_own_date_whatever_its_story_says():
    rng = np.random.default_rng(7)
    base = unit(rng)
    analyses = [
        analysis("d1", at_cosine(base, 0.99, rng), "2026-02-03", "uk"),
        analysis("d2", at_cosine(base, 0.99, rng), "2026-02-21", "uk"),
        analysis("d3", at_cosine(base, 0.99, rng), "2022-12-31", "uk", basis="inferred"),
        analysis("d4", at_cosine(base, 0.99, rng), "2026-02-10", "uk", basis="inferred"),
    ]
    shared = [event("e1", "handover", "person:x", None, ["d1", "d3"])]
    stories = cluster_stories(analyses, {}, shared)
    assert [sorted(s.documents) for s in stories] == [["d1", "d2", "d3", "d4"]]
    docs = {a.document.id: a.document for a in analyses}
    assert docs["d3"].published == "2022-12-31"  # a 2022 article is not read as 2026
    assert docs["d4"].published == "2026-02-10"
    assert stories[0].start == "2026-02-03" and stories[0].end == "2026-02-21"


def two_stories() -> list[tuple]:
    """Rows of four documents in two stories of two languages each (a1 a2, b1 b2)."""
    rng = np.random.default_rng(8)
    base, other = unit(rng), unit(rng)
    return [("a1", at_cosine(base, 0.99, rng), "2026-01-05", "uk"),
            ("a2", at_cosine(base, 0.99, rng), "2026-01-09", "ro"),
            ("b1", at_cosine(other, 0.99, rng), "2026-01-07", "en"),
            ("b2", at_cosine(other, 0.99, rng), "2026-01-08", "ru")]


def test_online_adding_matches_batch_and_a_restored_index_goes_on():
    rows = two_stories()
    batch = {d: s.id for s in cluster_stories([analysis(*r) for r in rows], {}, [])
             for d in s.documents}
    assert batch == {"a1": "story-a1", "a2": "story-a1", "b1": "story-b1", "b2": "story-b1"}
    restored = restore_index([analysis(*r) for r in rows[:3]], batch, {}, [])
    assert add_document(restored, analysis(*rows[3]), {}, []) == batch["b2"]
    assert sorted(restored.members("a1")) == ["a1", "a2"]


def test_known_stories_stay_as_they_were_and_only_new_documents_are_scored():
    rows = two_stories()
    # a store that (say, by an analyst's earlier run) keeps a1 and a2 apart: a relink keeps
    # them apart, and the new b2 still joins b1 by its score
    known = {"a1": "story-a1", "a2": "story-a2", "b1": "story-b1"}
    stories = cluster_stories([analysis(*r) for r in rows], {}, [], known=known)
    assert sorted(s.documents for s in stories) == [["a1"], ["a2"], ["b1", "b2"]]


def event(eid: str, etype: str, subject: str, start: str | None, docs: list[str]) -> Event:
    return Event(eid, etype, "occurred", subject, None, [], "RU", "KZ", None,
                 DateSpan(start, start, "day" if start else "unknown", ""), {},
                 [Evidence(d, 0, 4, "text") for d in docs])


def test_story_timeline_lists_the_story_events_in_time_order():
    story = Story("story-a", "t", ["a", "b"], ["en"], None, None)
    events = [
        event("e1", "handover", "person:x", "2026-02-01", ["b"]),
        event("e2", "detention", "person:x", None, ["a"]),
        event("e3", "arrest", "person:x", "2026-01-20", ["a", "z"]),
        event("e4", "arrest", "person:y", "2026-01-01", ["z"]),
    ]
    assert [e.id for e in story_timeline(story, events)] == ["e3", "e1", "e2"]


def test_title_names_the_main_events_people_and_months():
    def mention(mid: str, latin: str) -> Mention:
        return Mention(mid, "a", 0, 1, latin, "person", latin, latin, "en")

    a = Analysis(Document("a", "a", "x", "en", None, "2026-02-03", "declared", "x"),
                 mentions=[mention("a:m1", "Alexander Kachkurkin"),
                           mention("a:m2", "Mansur Movlaev")])
    ids = {"a:m1": "person:alexander-kachkurkin", "a:m2": "person:mansur-movlaev"}
    names = {"person:alexander-kachkurkin": "Alexander Kachkurkin",
             "person:mansur-movlaev": "Mansur Movlaev"}
    events = [
        event("e1", "handover", "person:alexander-kachkurkin", None, ["a"]),
        event("e2", "handover", "person:semyon-bazhukov", None, ["a"]),
        event("e3", "detention", "person:mansur-movlaev", None, ["a"]),
        event("e4", "detention", "person:mansur-movlaev", None, ["a"]),
        event("e5", "detention", "person:mansur-movlaev", None, ["a"]),
    ]
    title = story_title([a], ids, events, names, "2026-01-28", "2026-02-22")
    assert title == ("Handovers to Russia and detentions in Kazakhstan: Movlaev, Kachkurkin "
                     "(Jan–Feb 2026)")


def test_title_without_events_or_people_uses_an_english_member_title():
    ro = Analysis(Document("r", "r", "Reguli noi de ședere", "ro", None, None, None, "x"))
    en = Analysis(Document("e", "e", "New residence rules ", "en", None, None, None, "x"))
    assert story_title([ro, en], {}, [], {}, "2024-07-18", None) == "New residence rules (Jul 2024)"
    assert story_title([ro], {}, [], {}, None, None) == "Reguli noi de ședere"


def test_month_span():
    assert month_span("2026-02-03", "2026-02-20") == "Feb 2026"
    assert month_span("2025-12-30", "2026-02-01") == "Dec 2025–Feb 2026"
    assert month_span(None, None) is None


# ---- the seed articles ---------------------------------------------------------------------


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not present")
def test_seed_handover_articles_form_one_story_without_the_visa_rules_article():
    from dossier.ingest import iter_inputs
    from dossier.pipeline import analyse, link

    analyses = [analyse(r.document) for r in iter_inputs([str(SEEDS)]) if r.document]
    corpus = link(analyses)
    story_of = {Path(d.source).name[:3]: d.story for d in corpus.documents}
    assert story_of["001"] == story_of["002"] == story_of["004"]
    assert story_of["003"] != story_of["001"]
    main = next(s for s in corpus.stories if s.id == story_of["001"])
    assert {"en", "ro", "uk"} <= set(main.languages)
    assert main.start == "2026-02-03"


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not present")
def test_seed_name_keys_link_the_handover_articles():
    from dossier.ingest import iter_inputs
    from dossier.language import detect_language

    keys = {}
    for r in iter_inputs([str(SEEDS)]):
        text = r.document.body
        doc = Document("x", r.source, None, detect_language(text), None, None, None, text)
        keys[Path(r.source).name[:3]] = {k for k, w in document_keys(doc).items() if w >= 0.9}
    assert len(keys["001"] & keys["002"] & keys["004"]) >= 2
    assert not (keys["003"] & keys["001"] & keys["002"] & keys["004"])
