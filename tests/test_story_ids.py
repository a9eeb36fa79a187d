"""Story ids survive relinks: kept where a story keeps its documents, aliased where it went."""

from dossier.model import Story
from dossier.stories.ids import keep_story_ids


def story(story_id: str, *docs: str) -> Story:
    return Story(id=story_id, title=story_id, documents=list(docs), languages=["en"],
                 start=None, end=None)


def ids(stories: list[Story]) -> dict[str, list[str]]:
    return {s.id: s.documents for s in stories}


def test_an_earlier_article_joining_keeps_the_story_id():
    previous = {"d2": "story-d2", "d3": "story-d2"}
    stories, aliases = keep_story_ids([story("story-d1", "d1", "d2", "d3")], previous)
    assert ids(stories) == {"story-d2": ["d1", "d2", "d3"]}
    assert aliases == {}


def test_a_merge_keeps_the_bigger_story_id_and_aliases_the_other():
    previous = {"a": "story-a", "b": "story-a", "c": "story-c"}
    stories, aliases = keep_story_ids([story("story-a", "a", "b", "c")], previous)
    assert ids(stories) == {"story-a": ["a", "b", "c"]}
    assert aliases == {"story-c": "story-a"}


def test_a_split_keeps_one_id_and_names_the_other_story_afresh():
    previous = {"a": "story-a", "b": "story-a", "c": "story-a"}
    stories, aliases = keep_story_ids([story("story-a", "a"), story("story-b", "b", "c")],
                                      previous)
    assert ids(stories) == {"story-a": ["b", "c"], "story-a-2": ["a"]}
    assert aliases == {}


def test_new_documents_get_natural_ids():
    stories, aliases = keep_story_ids([story("story-x", "x")], {})
    assert ids(stories) == {"story-x": ["x"]}
    assert aliases == {}
