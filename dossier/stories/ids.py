"""Story ids that survive a relink.

Clustering names a story after its earliest document ("story-<doc id>"), so a relink that
adds an earlier article, merges two stories or splits one would change the id, and every
link an analyst saved or shared would 404. `keep_story_ids` gives each new story the id of the
previous story it shares most documents with, and returns an alias for every previous id that
no longer names a story, pointing to the story that now holds most of its documents.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from dossier.model import Story


def keep_story_ids(
    stories: list[Story], previous: dict[str, str]
) -> tuple[list[Story], dict[str, str]]:
    """(stories with stable ids, {vanished previous id: current id}).

    `previous` maps document id -> its story id before this relink. Overlaps are settled
    largest first, so when two stories merge the bigger one keeps its id.
    """
    overlaps = []
    for position, story in enumerate(stories):
        shared = Counter(previous[d] for d in story.documents if d in previous)
        overlaps += [(-count, old, position) for old, count in shared.items()]
    claimed: dict[int, str] = {}
    taken: set[str] = set()
    for _, old, position in sorted(overlaps):
        if position not in claimed and old not in taken:
            claimed[position] = old
            taken.add(old)
    natural = {s.id for position, s in enumerate(stories) if position not in claimed}
    renamed = []
    for position, story in enumerate(stories):
        new_id = claimed.get(position, story.id)
        if position not in claimed and story.id in taken:
            # its natural id went to another story: derive one that nothing else uses
            new_id = _fresh(story.id, taken | natural)
        taken.add(new_id)
        renamed.append(replace(story, id=new_id))
    return sorted(renamed, key=lambda s: s.id), _aliases(renamed, previous)


def _aliases(stories: list[Story], previous: dict[str, str]) -> dict[str, str]:
    current = {d: s.id for s in stories for d in s.documents}
    ids = {s.id for s in stories}
    moved: dict[str, Counter[str]] = {}
    for doc, old in previous.items():
        if old not in ids and doc in current:
            moved.setdefault(old, Counter())[current[doc]] += 1
    return {old: min(counts, key=lambda new: (-counts[new], new)) for old, counts in moved.items()}


def _fresh(base: str, used: set[str]) -> str:
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"
