"""Schema migrations, applied in order; ``meta.schema_version`` records the last one.

The schema is a public API (Datasette users query it): add columns and tables in new
migrations, never rewrite an old one.
"""

MIGRATIONS: list[str] = [
    # 1: articles, their versions, runs, errors, full-text search
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        inputs TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running',  -- running | ok | errors | failed
        articles_added INTEGER NOT NULL DEFAULT 0,
        articles_changed INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE errors (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        source TEXT NOT NULL,
        record TEXT,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL DEFAULT 1,
        content_hash TEXT NOT NULL,
        url TEXT, source TEXT, title TEXT, author TEXT,
        published TEXT, captured TEXT, language TEXT,
        text TEXT NOT NULL,
        boilerplate_spans TEXT NOT NULL DEFAULT '[]',
        metadata TEXT NOT NULL DEFAULT '{}',
        origin TEXT,
        run_id INTEGER REFERENCES runs(id),
        story_id TEXT,
        duplicate_of TEXT
    );
    CREATE INDEX articles_story ON articles(story_id);
    CREATE INDEX articles_published ON articles(published);
    CREATE TABLE article_versions (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        record TEXT NOT NULL,  -- the full article as JSON, as ingested
        run_id INTEGER REFERENCES runs(id),
        PRIMARY KEY (article_id, version)
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid', tokenize='unicode61'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    """,
    # 2: analysis results, replaced as a whole by each analysis run
    """
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT,
        entities TEXT NOT NULL DEFAULT '[]',
        origins TEXT NOT NULL DEFAULT '[]',
        related TEXT NOT NULL DEFAULT '[]',
        size INTEGER NOT NULL DEFAULT 0,
        first_published TEXT, last_published TEXT,
        data TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE links (
        id INTEGER PRIMARY KEY,
        story_id TEXT,
        from_article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        to_article TEXT REFERENCES articles(id) ON DELETE CASCADE,
        to_source TEXT, kind TEXT NOT NULL, cue TEXT,
        passages TEXT NOT NULL DEFAULT '[]',
        data TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX links_from ON links(from_article);
    CREATE INDEX links_story ON links(story_id);
    CREATE TABLE quotes (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        story_id TEXT,
        text TEXT NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL,
        speaker TEXT, quote_group TEXT,
        data TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX quotes_article ON quotes(article_id);
    CREATE TABLE claims (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        story_id TEXT,
        text TEXT NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL,
        low REAL, high REAL, unit TEXT, subject TEXT, attributed_to TEXT,
        data TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX claims_article ON claims(article_id);
    CREATE TABLE claim_groups (
        id TEXT PRIMARY KEY,
        story_id TEXT,
        subject TEXT, claims TEXT NOT NULL DEFAULT '[]',
        verdict TEXT, explanation TEXT, independent_origins INTEGER,
        data TEXT NOT NULL DEFAULT '{}'
    );
    """,
]
