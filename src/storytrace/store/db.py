"""SQLite store: WAL, foreign keys, FTS5, migrations, one transaction per batch."""
from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import jsontext
from ..errors import StoreError
from ..model import Analysis, Article, RecordError
from .schema import MIGRATIONS

DEFAULT_DB = "storytrace.db"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return jsontext.dumps(value, sort_keys=True)


def readonly_uri(path: str | Path) -> str:
    """The SQLite URI that opens ``path`` read-only; the path percent-encoded, so a folder
    named with ``#``, ``?`` or ``%`` still opens (pasted in raw, those end the path)."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def open_store(path: str | Path = DEFAULT_DB, readonly: bool = False) -> "Store":
    return Store(path, readonly=readonly)


class Store:
    """One SQLite file. Writers hold one connection; readers may open their own."""

    def __init__(self, path: str | Path = DEFAULT_DB, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        try:
            if readonly:
                self.conn = sqlite3.connect(readonly_uri(self.path), uri=True, timeout=30, check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable storytrace store ({exc})") from exc

    # -- schema --
    def schema_version(self) -> int:
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.OperationalError:
            return 0
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise StoreError(f"{self.path}: schema version {current} is newer than this storytrace")
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            # executescript commits first; the migration and its version bump commit together.
            self.conn.executescript(
                "BEGIN;\n" + script +
                f"\nINSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '{number}');\nCOMMIT;")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- runs and errors --
    def begin_run(self, command: str, inputs: Iterable[str] = ()) -> int:
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO runs(command, inputs, started_at) VALUES (?, ?, ?)",
                (command, _dumps(list(inputs)), _now()))
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, status: str) -> None:
        with self.conn:
            self.conn.execute(
                "UPDATE runs SET finished_at=?, status=?, "
                "errors=(SELECT count(*) FROM errors WHERE run_id=?) WHERE id=?",
                (_now(), status, run_id, run_id))

    def add_errors(self, run_id: int | None, errors: Iterable[RecordError]) -> None:
        with self.conn:
            self._insert_errors(run_id, errors)

    def _insert_errors(self, run_id: int | None, errors: Iterable[RecordError]) -> None:
        self.conn.executemany(
            "INSERT INTO errors(run_id, source, record, code, message, created_at) VALUES (?,?,?,?,?,?)",
            [(run_id, e.source, e.record, e.code, e.message, _now()) for e in errors])

    # -- articles --
    def ingest_batch(self, run_id: int, articles: list[Article],
                     errors: Iterable[RecordError] = ()) -> tuple[int, int, list[RecordError]]:
        """Store one batch in one transaction. Returns (added, changed, version notices).

        The same id with the same content is a no-op; with other content it becomes a
        new version (kept in article_versions, flagged in metadata) and replaces the text.
        """
        added = changed = 0
        notices: list[RecordError] = []
        with self.conn:
            for art in articles:
                row = self.conn.execute(
                    "SELECT version, content_hash FROM articles WHERE id=?", (art.id,)).fetchone()
                if row is None:
                    art.version = 1
                    self._insert_article(run_id, art)
                    added += 1
                elif row["content_hash"] == art.content_hash:
                    continue
                else:
                    art.version = row["version"] + 1
                    art.metadata = {**art.metadata, "versions": art.version}
                    self._replace_article(run_id, art)
                    changed += 1
                    notices.append(RecordError(
                        art.origin or "?", f"article id {art.id!r} seen before with other content; "
                        f"stored as version {art.version}", code="new-version"))
            self._insert_errors(run_id, [*errors, *notices])
            self.conn.execute(
                "UPDATE runs SET articles_added=articles_added+?, articles_changed=articles_changed+? "
                "WHERE id=?", (added, changed, run_id))
        return added, changed, notices

    def _article_values(self, run_id: int, art: Article) -> tuple:
        return (art.version, art.content_hash, art.url, art.source, art.title, art.author,
                art.published, art.captured, art.language, art.text,
                _dumps([list(s) for s in art.boilerplate_spans]), _dumps(art.metadata),
                art.origin, run_id)

    def _insert_article(self, run_id: int, art: Article) -> None:
        self.conn.execute(
            "INSERT INTO articles(version, content_hash, url, source, title, author, published, "
            "captured, language, text, boilerplate_spans, metadata, origin, run_id, id) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (*self._article_values(run_id, art), art.id))
        self._insert_version(run_id, art)

    def _replace_article(self, run_id: int, art: Article) -> None:
        self.conn.execute(
            "UPDATE articles SET version=?, content_hash=?, url=?, source=?, title=?, author=?, "
            "published=?, captured=?, language=?, text=?, boilerplate_spans=?, metadata=?, "
            "origin=?, run_id=? WHERE id=?", (*self._article_values(run_id, art), art.id))
        self._insert_version(run_id, art)

    def _insert_version(self, run_id: int, art: Article) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO article_versions(article_id, version, content_hash, record, run_id) "
            "VALUES (?,?,?,?,?)", (art.id, art.version, art.content_hash, _dumps(art.to_dict()), run_id))

    def update_boilerplate(self, spans: dict[str, list[tuple[int, int]]]) -> None:
        """Store learned boilerplate spans. Inside an open transaction (an analysis being
        written, see ``analysis_writer``) they join it: committing here would also commit
        the emptied analysis tables, and a run failing later would lose the previous analysis."""
        with nullcontext() if self.conn.in_transaction else self.conn:
            self.conn.executemany("UPDATE articles SET boilerplate_spans=? WHERE id=?",
                                  [(_dumps([list(s) for s in v]), k) for k, v in spans.items()])

    def embeddings(self) -> "EmbeddingCache":
        """The cache of sentence embeddings (stages/story_embeddings.py)."""
        return EmbeddingCache(self.conn)

    def iter_articles(self, ids: Iterable[str] | None = None, texts: bool = True) -> Iterator[Article]:
        """The articles (``ids``, else all in storage order); ``texts=False``: with
        ``text=None``, for a run that reads texts a batch at a time (article_texts.py)."""
        columns = "*" if texts else ", ".join(
            "NULL AS text" if r[1] == "text" else r[1] for r in self.conn.execute("PRAGMA table_info(articles)"))
        if ids is None:
            rows: Iterable = self.conn.execute(f"SELECT {columns} FROM articles ORDER BY rowid")
        else:
            rows = (r for i in ids for r in self.conn.execute(f"SELECT {columns} FROM articles WHERE id=?", (i,)))
        for r in rows:
            yield _row_to_article(r)

    def article(self, article_id: str) -> Article | None:
        return next(self.iter_articles([article_id]), None)

    def count(self, table: str) -> int:
        if not re.fullmatch(r"[a-z_]+", table):
            raise ValueError(table)
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def previous_stories(self) -> dict[str, str]:
        """article id -> story id from the last analysis (for stable story ids)."""
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT id, story_id FROM articles WHERE story_id IS NOT NULL")}

    # -- analysis results --
    def write_analysis(self, analysis: Analysis) -> None:
        """Replace all analysis tables with this analysis, in one transaction."""
        with self.analysis_writer() as writer:
            writer.add(analysis)

    def analysis_writer(self) -> "AnalysisWriter":
        """Replace all analysis tables with the parts given to ``add``, in one transaction:
        committed when the ``with`` block ends, rolled back if it raises."""
        return AnalysisWriter(self.conn)

    # -- search --
    def search(self, query: str, limit: int = 50) -> list[str]:
        """Article ids matching free text; any user text is safe (quoted as FTS5 phrases)."""
        terms = re.findall(r"\w+", query)
        if not terms:
            return []
        match = " ".join('"' + t.replace('"', '""') + '"' for t in terms[:20])
        rows = self.conn.execute(
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
            "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts) LIMIT ?", (match, limit))
        return [r[0] for r in rows]

    # -- health --
    def check(self) -> dict[str, Any]:
        integrity = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
        fk = self.conn.execute("PRAGMA foreign_key_check").fetchall()
        counts = {t: self.count(t) for t in
                  ("articles", "article_versions", "stories", "links", "quotes", "claims",
                   "claim_groups", "errors", "runs")}
        errors = [dict(r) for r in self.conn.execute(
            "SELECT code, count(*) AS n FROM errors GROUP BY code ORDER BY n DESC")]
        interrupted = [dict(r) for r in self.conn.execute(
            "SELECT id, command, started_at FROM runs WHERE status='running' ORDER BY id")]
        schema = self.schema_version()
        ok = integrity == ["ok"] and not fk and schema == len(MIGRATIONS)
        return {"ok": ok, "path": str(self.path), "integrity": integrity[:20],
                "foreign_key_violations": len(fk), "schema_version": schema,
                "schema_expected": len(MIGRATIONS), "articles": counts["articles"],
                "counts": counts, "errors": errors, "interrupted_runs": interrupted}


def _row_to_article(r: sqlite3.Row) -> Article:
    return Article(
        id=r["id"], text=r["text"], url=r["url"], source=r["source"], title=r["title"],
        author=r["author"], published=r["published"], captured=r["captured"],
        language=r["language"],
        boilerplate_spans=[tuple(s) for s in json.loads(r["boilerplate_spans"])],
        metadata=json.loads(r["metadata"]), origin=r["origin"], version=r["version"],
        content_hash=r["content_hash"], story=r["story_id"], duplicate_of=r["duplicate_of"],
        opinion_spans=[tuple(s) for s in json.loads(r["opinion_spans"])])


class AnalysisWriter:
    """One transaction that empties the analysis tables, then takes an analysis part by part
    (a batch of stories with their articles and records), rows generated as SQLite takes
    them. Readers keep seeing the previous analysis until the commit."""

    TABLES = ("links", "quotes", "claims", "claim_groups", "stories")

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> "AnalysisWriter":
        if self.conn.in_transaction:  # a caller's pending statements must not ride along
            self.conn.commit()
        for table in self.TABLES:  # opens the transaction (sqlite3 begins before DML)
            self.conn.execute(f"DELETE FROM {table}")
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.conn.commit()
        else:
            self.conn.rollback()

    def add(self, part: Analysis) -> None:
        """Store one part: its articles' story, duplicate and opinion fields, its stories and
        the records of its stories (links, quotes, claims, claim groups)."""
        story_of = {a.id: a.story for a in part.articles}
        published = {a.id: a.published for a in part.articles}
        conn = self.conn
        conn.executemany(
            "UPDATE articles SET story_id=?, duplicate_of=?, opinion_spans=? WHERE id=?",
            ((a.story, a.duplicate_of, _dumps([list(s) for s in a.opinion_spans]), a.id)
             for a in part.articles))
        for s in part.stories:
            dates = sorted(d for d in (published.get(i) for i in s.articles) if d)
            conn.execute(
                "INSERT INTO stories(id, title, entities, origins, related, size, first_published, "
                "last_published, data) VALUES (?,?,?,?,?,?,?,?,?)",
                (s.id, s.title, _dumps(s.entities), _dumps(s.origins), _dumps(s.related),
                 len(s.articles), dates[0] if dates else None, dates[-1] if dates else None,
                 _dumps(s.extra)))
        conn.executemany(
            "INSERT INTO links(story_id, from_article, to_article, to_source, kind, cue, passages, data) "
            "VALUES (?,?,?,?,?,?,?,?)",
            ((story_of.get(link.from_), link.from_, link.to, link.to_source, link.kind, link.cue,
              _dumps([p.to_dict() for p in link.passages]), _dumps(link.extra))
             for link in part.links))
        conn.executemany(
            "INSERT INTO quotes(id, article_id, story_id, text, span_start, span_end, speaker, "
            "quote_group, data) VALUES (?,?,?,?,?,?,?,?,?)",
            ((q.id, q.article, story_of.get(q.article), q.text, q.span[0], q.span[1], q.speaker,
              q.group, _dumps(q.extra)) for q in part.quotes))
        conn.executemany(
            "INSERT INTO claims(id, article_id, story_id, text, span_start, span_end, low, high, "
            "unit, subject, attributed_to, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            ((c.id, c.article, story_of.get(c.article), c.text, c.span[0], c.span[1], c.low,
              c.high, c.unit, c.subject, c.attributed_to, _dumps(c.extra))
             for c in part.claims))
        conn.executemany(
            "INSERT INTO claim_groups(id, story_id, subject, claims, verdict, explanation, "
            "independent_origins, data) VALUES (?,?,?,?,?,?,?,?)",
            ((g.id, g.story, g.subject, _dumps(g.claims), g.verdict, g.explanation,
              g.independent_origins, _dumps(g.extra)) for g in part.claim_groups))


class EmbeddingCache:
    """Sentence embeddings by (text digest, model), kept in the store.

    Rows written inside an open transaction (an analysis being written) join it, as the
    learned boilerplate does: a run that fails rolls them back with the rest."""

    _KEYS_PER_QUERY = 500  # under SQLite's limit on bound parameters

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def get(self, keys: list[bytes], model: str) -> dict[bytes, bytes]:
        found: dict[bytes, bytes] = {}
        unique = sorted(set(keys))
        for start in range(0, len(unique), self._KEYS_PER_QUERY):
            part = unique[start:start + self._KEYS_PER_QUERY]
            marks = ",".join("?" * len(part))
            found.update((bytes(k), bytes(v)) for k, v in self.conn.execute(
                f"SELECT text_key, vector FROM embeddings WHERE model=? AND text_key IN ({marks})", [model, *part]))
        return found

    def put(self, rows: list[tuple[bytes, str, bytes]]) -> None:
        with nullcontext() if self.conn.in_transaction else self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO embeddings(text_key, model, vector) VALUES (?,?,?)", rows)
