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
    # 3: readable views for Datasette (`datasette storytrace.db`): names instead of ids,
    # one row per thing a person asks about. Views only: nothing stored changes.
    """
    CREATE VIEW story_overview AS
        SELECT s.id AS story, s.title, s.size AS articles,
               (SELECT count(DISTINCT coalesce(a.source, '?')) FROM articles a WHERE a.story_id = s.id) AS outlets,
               json_array_length(s.origins) AS origin_articles,
               (SELECT count(*) FROM claim_groups g WHERE g.story_id = s.id AND g.verdict = 'disputed') AS disputed_figures,
               (SELECT count(*) FROM claim_groups g WHERE g.story_id = s.id AND g.verdict = 'conflict') AS conflicting_figures,
               s.first_published, s.last_published
        FROM stories s;
    CREATE VIEW article_overview AS
        SELECT a.id AS article, a.story_id AS story, a.source AS outlet, a.published, a.title, a.url,
               a.duplicate_of, length(a.text) AS chars,
               EXISTS (SELECT 1 FROM stories s, json_each(s.origins) o
                       WHERE s.id = a.story_id AND o.value = a.id) AS is_origin
        FROM articles a;
    CREATE VIEW link_overview AS
        SELECT l.story_id AS story, l.kind, f.source AS from_outlet, l.from_article,
               coalesce(t.source, l.to_source) AS to_outlet, l.to_article, l.cue,
               json_array_length(l.passages) AS passages,
               json_extract(l.data, '$.uncredited') AS uncredited
        FROM links l JOIN articles f ON f.id = l.from_article LEFT JOIN articles t ON t.id = l.to_article;
    CREATE VIEW quote_overview AS
        SELECT q.story_id AS story, q.quote_group, q.speaker, a.source AS outlet, a.published, q.text,
               q.article_id AS article, q.span_start, q.span_end
        FROM quotes q JOIN articles a ON a.id = q.article_id;
    CREATE VIEW claim_overview AS
        SELECT c.story_id AS story, c.subject, c.low, c.high, c.unit, c.attributed_to, a.source AS outlet,
               a.published, c.text, c.article_id AS article, c.span_start, c.span_end
        FROM claims c JOIN articles a ON a.id = c.article_id;
    CREATE VIEW verdicts AS
        SELECT g.story_id AS story, s.title AS story_title, g.subject, g.verdict, g.independent_origins,
               json_array_length(g.claims) AS claims, g.explanation
        FROM claim_groups g LEFT JOIN stories s ON s.id = g.story_id;
    """,
    # 4: opinion passages, kept with the article like its boilerplate
    """
    ALTER TABLE articles ADD COLUMN opinion_spans TEXT NOT NULL DEFAULT '[]';
    """,
    # 5: sentence embeddings of the stories stage (story_embedding_weight > 0), by a digest
    # of the encoded text and the model: an incremental run encodes only new texts
    """
    CREATE TABLE embeddings (
        text_key BLOB NOT NULL,
        model TEXT NOT NULL,
        vector BLOB NOT NULL,  -- float32, little-endian, unit length
        PRIMARY KEY (text_key, model)
    ) WITHOUT ROWID;
    """,
]
