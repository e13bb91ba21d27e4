"""The store's schema, as named migrations applied in order and recorded in ``migrations``.

Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_initial",
        """
        CREATE TABLE entries (
            key          TEXT PRIMARY KEY,
            source       TEXT NOT NULL,
            url          TEXT NOT NULL,
            title        TEXT NOT NULL,
            html         TEXT NOT NULL,
            published    TEXT,
            modified     TEXT,
            content_hash TEXT NOT NULL,
            meta         TEXT NOT NULL,
            raw          TEXT NOT NULL,
            first_seen   TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        );
        CREATE INDEX entries_source ON entries (source);

        CREATE TABLE drafts (
            id                INTEGER PRIMARY KEY,
            key               TEXT NOT NULL REFERENCES entries (key),
            content_hash      TEXT NOT NULL,
            recipe            TEXT NOT NULL,
            current           INTEGER NOT NULL DEFAULT 1,
            engine            TEXT NOT NULL,
            prompt            TEXT,
            budget            TEXT NOT NULL,
            article           TEXT NOT NULL,
            paragraphs        TEXT NOT NULL,
            credit            TEXT NOT NULL,
            source_words      INTEGER NOT NULL,
            draft_words       INTEGER NOT NULL,
            score             REAL NOT NULL,
            passed            INTEGER NOT NULL,
            problems          TEXT NOT NULL,
            attempts          INTEGER NOT NULL,
            prompt_tokens     INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            created_at        TEXT NOT NULL
        );
        CREATE INDEX drafts_current ON drafts (key, current);

        CREATE TABLE attempts (
            id                INTEGER PRIMARY KEY,
            key               TEXT NOT NULL,
            draft_id          INTEGER REFERENCES drafts (id),
            n                 INTEGER NOT NULL,
            engine            TEXT NOT NULL,
            prompt            TEXT,
            score             REAL,
            passed            INTEGER,
            problems          TEXT NOT NULL,
            prompt_tokens     INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            error             TEXT,
            created_at        TEXT NOT NULL
        );
        CREATE INDEX attempts_key ON attempts (key);

        CREATE TABLE rejections (
            key          TEXT PRIMARY KEY,
            source       TEXT NOT NULL,
            reason       TEXT NOT NULL,
            detail       TEXT NOT NULL,
            content_hash TEXT,
            created_at   TEXT NOT NULL
        );

        CREATE TABLE failures (
            key        TEXT PRIMARY KEY,
            source     TEXT NOT NULL,
            stage      TEXT NOT NULL,
            error      TEXT NOT NULL,
            created_at TEXT NOT NULL
        );

        CREATE TABLE sites (
            site        TEXT PRIMARY KEY,
            api_root    TEXT,
            high_water  TEXT,
            last_sync   TEXT,
            state       TEXT NOT NULL DEFAULT '{}'
        );

        CREATE TABLE publications (
            key        TEXT NOT NULL,
            target     TEXT NOT NULL,
            draft_id   INTEGER NOT NULL REFERENCES drafts (id),
            remote_id  TEXT,
            link       TEXT,
            status     TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (key, target)
        );
        """,
    ),
    # --- safe updates and the desk (issue 8) ---------------------------------------------------
    (
        "0100_publish_state",
        """
        ALTER TABLE publications ADD COLUMN modified TEXT;
        ALTER TABLE publications ADD COLUMN sent_hash TEXT;

        CREATE TABLE instance (id TEXT NOT NULL);
        INSERT INTO instance (id) VALUES (lower(hex(randomblob(16))));

        CREATE TABLE reviews (
            id         INTEGER PRIMARY KEY,
            key        TEXT NOT NULL,
            draft_id   INTEGER NOT NULL REFERENCES drafts (id),
            decision   TEXT NOT NULL,
            who        TEXT NOT NULL,
            note       TEXT NOT NULL,
            decided_at TEXT NOT NULL
        );
        CREATE INDEX reviews_key ON reviews (key, id);
        """,
    ),
    (
        "0110_watch_list",
        """
        CREATE TABLE watch_list (
            url         TEXT PRIMARY KEY,
            name        TEXT NOT NULL DEFAULT '',
            category    TEXT NOT NULL DEFAULT '',
            language    TEXT NOT NULL DEFAULT '',
            include     TEXT NOT NULL DEFAULT '',
            exclude     TEXT NOT NULL DEFAULT '',
            budget      TEXT NOT NULL DEFAULT '',
            added_at    TEXT NOT NULL
        );
        """,
    ),
    # --- stories, their members, signatures and bands (issue 12) -------------------------------
    (
        "0200_stories",
        """
        CREATE TABLE stories (
            id         INTEGER PRIMARY KEY,
            first_key  TEXT NOT NULL,
            first_seen TEXT,
            last_seen  TEXT,
            draft_key  TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX stories_last_seen ON stories (last_seen);

        CREATE TABLE story_members (
            key       TEXT PRIMARY KEY,
            story     INTEGER NOT NULL REFERENCES stories (id),
            layer     TEXT NOT NULL,
            of        TEXT,
            score     REAL NOT NULL,
            published TEXT,
            profile   TEXT NOT NULL,
            signature BLOB,
            added_at  TEXT NOT NULL
        );
        CREATE INDEX story_members_story ON story_members (story, published);

        CREATE TABLE story_names (
            identity TEXT PRIMARY KEY,
            key      TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE story_bands (
            band      INTEGER NOT NULL,
            key       TEXT NOT NULL,
            published TEXT NOT NULL
        );
        CREATE INDEX story_bands_band ON story_bands (band, published);

        CREATE TABLE story_terms (
            term      TEXT NOT NULL,
            story     INTEGER NOT NULL,
            last_seen TEXT NOT NULL,
            PRIMARY KEY (term, story)
        ) WITHOUT ROWID;
        CREATE INDEX story_terms_recent ON story_terms (term, last_seen);
        CREATE INDEX story_terms_story ON story_terms (story);

        CREATE TABLE story_df (
            term TEXT PRIMARY KEY,
            df   INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    ),
    (
        "0210_story_df_pending",
        """
        CREATE TABLE story_df_pending (
            id    INTEGER PRIMARY KEY,
            terms TEXT NOT NULL
        );
        """,
    ),
    # --- what a post held when redraft last wrote it (issue 12, publish) ------------------------
    (
        "0220_post_digests",
        """
        ALTER TABLE publications ADD COLUMN remote_digest TEXT;
        """,
    ),
    # --- fewer pages written per item (issue 13) ------------------------------------------------
    # ``story_terms`` was a WITHOUT ROWID table keyed (term, story) plus an index on (term,
    # last_seen): each term of an item written into both, each on its own page. It becomes one
    # table clustered on what the lookup of recent stories by term reads, (term, last_seen,
    # story), still one row per (term, story) (a story's rows all carry its last_seen).
    (
        "0221_story_terms_clustered",
        """
        CREATE TABLE story_terms_clustered (
            term      TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            story     INTEGER NOT NULL,
            PRIMARY KEY (term, last_seen, story)
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO story_terms_clustered (term, last_seen, story)
            SELECT term, last_seen, story FROM story_terms;
        DROP TABLE story_terms;
        ALTER TABLE story_terms_clustered RENAME TO story_terms;
        CREATE INDEX story_terms_story ON story_terms (story);
        """,
    ),
)
