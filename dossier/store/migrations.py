"""Schema migrations, applied in order; `PRAGMA user_version` records how far a store is.

Append new migrations at the end; never edit one that has shipped.
"""

MIGRATIONS: list[str] = [
    # 1: documents with their raw input and per-document analysis; linked results.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        source TEXT NOT NULL,
        title TEXT,
        language TEXT NOT NULL,
        declared_language TEXT,
        published TEXT,
        published_basis TEXT,
        text TEXT NOT NULL,
        warnings TEXT NOT NULL,
        url TEXT,
        outlet TEXT,
        format TEXT NOT NULL,
        encoding TEXT NOT NULL,
        story TEXT,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX documents_published ON documents(published);
    CREATE INDEX documents_story ON documents(story);
    CREATE TABLE raw_inputs (document TEXT PRIMARY KEY, raw BLOB NOT NULL);
    CREATE TABLE analyses (document TEXT PRIMARY KEY, data TEXT NOT NULL);

    CREATE TABLE entities (
        id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, country TEXT,
        mention_count INTEGER NOT NULL, search TEXT NOT NULL, data TEXT NOT NULL
    );
    CREATE INDEX entities_type ON entities(type, mention_count);
    CREATE TABLE mentions (
        id TEXT PRIMARY KEY, document TEXT NOT NULL, entity TEXT, start INTEGER NOT NULL,
        "end" INTEGER NOT NULL, text TEXT NOT NULL, type TEXT NOT NULL
    );
    CREATE INDEX mentions_document ON mentions(document);
    CREATE INDEX mentions_entity ON mentions(entity);
    CREATE TABLE events (
        id TEXT PRIMARY KEY, type TEXT NOT NULL, status TEXT NOT NULL, subject TEXT,
        date_start TEXT, date_end TEXT, data TEXT NOT NULL
    );
    CREATE INDEX events_subject ON events(subject);
    CREATE TABLE event_documents (event TEXT NOT NULL, document TEXT NOT NULL);
    CREATE INDEX event_documents_document ON event_documents(document);
    CREATE TABLE cases (
        id TEXT PRIMARY KEY, person TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
        date_start TEXT, date_end TEXT, event_types TEXT NOT NULL, event_statuses TEXT NOT NULL,
        countries TEXT NOT NULL, search TEXT NOT NULL, event_count INTEGER NOT NULL,
        conflict_count INTEGER NOT NULL, data TEXT NOT NULL
    );
    CREATE INDEX cases_name ON cases(name);
    CREATE TABLE claims (id TEXT PRIMARY KEY, about TEXT NOT NULL, data TEXT NOT NULL);
    CREATE TABLE quotes (
        id TEXT PRIMARY KEY, document TEXT NOT NULL, speaker TEXT, data TEXT NOT NULL
    );
    CREATE INDEX quotes_document ON quotes(document);
    CREATE INDEX quotes_speaker ON quotes(speaker);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, start TEXT, "end" TEXT,
        document_count INTEGER NOT NULL, data TEXT NOT NULL
    );
    """,
    # 2: analysts' review decisions, kept apart from machine output (never replaced by a
    # relink). `anchor` and `value` are JSON: the evidence or mentions a decision was made on.
    """
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        action TEXT NOT NULL,
        anchor TEXT NOT NULL,
        value TEXT NOT NULL,
        analyst TEXT,
        note TEXT,
        at TEXT NOT NULL
    );
    """,
    # 3: file names that are not UTF-8, byte for byte (documents.source shows them escaped).
    """
    CREATE TABLE source_names (document TEXT PRIMARY KEY, name BLOB NOT NULL);
    """,
    # 4: story ids a relink retired, pointing to the story that now holds most of their
    # documents, so links saved by analysts keep working (see dossier/stories/ids.py).
    """
    CREATE TABLE story_aliases (old TEXT PRIMARY KEY, new TEXT NOT NULL);
    """,
    # 5: what incremental linking reads instead of every analysis (dossier/incremental.py).
    # Written once per document when it is first linked (`link_docs` lists those): its
    # mentions under their name-blocking key, the blocks a lone given name links in it, its
    # event mentions with the mentions they name, its quotes and claims, and what story
    # clustering reads of it. `event_of` (event mention -> linked event) and `entity_slugs`
    # (entity -> the id it has unless another shares its slug) follow every link.
    """
    CREATE TABLE link_docs (document TEXT PRIMARY KEY, data TEXT NOT NULL, mentions TEXT NOT NULL);
    CREATE TABLE name_keys (
        mention TEXT PRIMARY KEY, key TEXT NOT NULL, document TEXT NOT NULL, data TEXT NOT NULL
    );
    CREATE INDEX name_keys_key ON name_keys(key);
    CREATE TABLE name_links (a TEXT NOT NULL, b TEXT NOT NULL, document TEXT NOT NULL);
    CREATE INDEX name_links_a ON name_links(a);
    CREATE INDEX name_links_b ON name_links(b);
    CREATE TABLE event_inputs (
        id TEXT PRIMARY KEY, document TEXT NOT NULL, ordinal INTEGER NOT NULL, subject TEXT,
        type TEXT NOT NULL, possible INTEGER NOT NULL, data TEXT NOT NULL
    );
    CREATE INDEX event_inputs_document ON event_inputs(document);
    CREATE INDEX event_inputs_subject ON event_inputs(subject);
    CREATE TABLE event_refs (mention TEXT NOT NULL, input TEXT NOT NULL);
    CREATE INDEX event_refs_mention ON event_refs(mention);
    CREATE TABLE event_of (input TEXT PRIMARY KEY, event TEXT NOT NULL);
    CREATE INDEX event_of_event ON event_of(event);
    CREATE TABLE quote_inputs (
        id TEXT PRIMARY KEY, document TEXT NOT NULL, speaker TEXT, data TEXT NOT NULL
    );
    CREATE INDEX quote_inputs_speaker ON quote_inputs(speaker);
    CREATE TABLE claim_inputs (id TEXT PRIMARY KEY, document TEXT NOT NULL, data TEXT NOT NULL);
    CREATE TABLE entity_slugs (entity TEXT PRIMARY KEY, slug TEXT NOT NULL);
    CREATE INDEX entity_slugs_slug ON entity_slugs(slug);
    CREATE INDEX cases_person ON cases(person);
    """,
    # 6: the story index, kept so that an increment scores new documents against the stored
    # stories without reading every document (dossier/stories/stored.py): per story its size,
    # vector sum (float32 little-endian) and the rest of what the index scores (JSON); its
    # keys with their highest weight and how many members have them; per key how many
    # documents have it. Written by a full link and kept up to date by every increment.
    """
    CREATE TABLE story_index (
        story TEXT PRIMARY KEY, size INTEGER NOT NULL, sum BLOB NOT NULL, data TEXT NOT NULL
    );
    CREATE TABLE story_keys (
        story TEXT NOT NULL, key TEXT NOT NULL, weight REAL NOT NULL, count INTEGER NOT NULL,
        PRIMARY KEY (story, key)
    );
    CREATE INDEX story_keys_key ON story_keys(key);
    CREATE TABLE key_counts (key TEXT PRIMARY KEY, documents INTEGER NOT NULL);
    """,
]
