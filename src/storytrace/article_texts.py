"""Article texts for a run's stages: held in the articles, or read from the store a chunk
at a time.

The main process of a run used to hold every article's text from start to end. Python
keeps a text with a single curly quote or dash at two bytes a character, so on the 100k
generated corpus the text strings took 400 of the 518 MiB its loaded articles held. A run now
loads its articles without text (``text=None``); each stage that reads texts asks for them
here, a chunk or a batch at a time, and they are dropped again after use.
"""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from .errors import StoreError
from .model import Article
from .store.db import readonly_uri

CHUNK = 1000  # texts loaded at once by a stage that reads them all (~4 MB)
_IDS_PER_QUERY = 500  # under SQLite's limit on bound parameters


class HeldTexts:
    """Texts the articles already hold (articles built in memory): loading does nothing."""

    @contextmanager
    def loaded(self, articles: Sequence[Article]) -> Iterator[Sequence[Article]]:
        """``articles`` with their texts, for the ``with`` block."""
        yield articles

    def chunks(self, articles: Sequence[Article], size: int | None = None) -> Iterator[Sequence[Article]]:
        """``articles`` in chunks of ``size`` (``CHUNK``), each with its texts while it is
        being used (until the next chunk is asked for)."""
        size = size or CHUNK
        for start in range(0, len(articles), size):
            with self.loaded(articles[start:start + size]) as chunk:
                yield chunk

    def with_texts(self, articles: Sequence[Article]) -> list[Article]:
        """Copies of ``articles`` that hold their texts (for a task sent to a worker); the
        articles themselves are left as they are."""
        return list(articles)

    def fill(self, articles: Iterable[Article]) -> None:
        """Give ``articles`` their texts until ``release``."""

    def release(self, articles: Iterable[Article]) -> None:
        """Drop the texts ``fill`` gave (and the masked copies made from them)."""

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class StoredTexts(HeldTexts):
    """Texts read from the store's file: each thread reads through its own read-only
    connection (the per-article tasks are fed from a background thread), so reads never
    wait for this process's open write transaction (the store is in WAL mode)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(readonly_uri(self.path), uri=True, timeout=30,
                                   check_same_thread=False)
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def texts(self, articles: Sequence[Article]) -> list[str]:
        """The stored texts of ``articles``, in order. An article gone from the store, or
        stored again in a new version since the run loaded it (a concurrent ingest), is an
        error: the run's boilerplate spans and results would not fit the new text."""
        conn = self._connection()
        rows: dict[str, tuple[str, int]] = {}
        for start in range(0, len(articles), _IDS_PER_QUERY):
            ids = [a.id for a in articles[start:start + _IDS_PER_QUERY]]
            marks = ",".join("?" * len(ids))
            rows.update((i, (text, version)) for i, text, version in conn.execute(
                f"SELECT id, text, version FROM articles WHERE id IN ({marks})", ids))
        out = []
        for a in articles:
            if a.id not in rows:
                raise StoreError(f"{self.path}: article {a.id!r} vanished from the store during the run")
            text, version = rows[a.id]
            if version != a.version:
                raise StoreError(f"{self.path}: article {a.id!r} was stored again (version {a.version} -> "
                                 f"{version}) during the run; analyse again")
            out.append(text)
        return out

    @contextmanager
    def loaded(self, articles: Sequence[Article]) -> Iterator[Sequence[Article]]:
        missing = [a for a in articles if a.text is None]
        self.fill(missing)
        try:
            yield articles
        finally:
            self.release(missing)

    def with_texts(self, articles: Sequence[Article]) -> list[Article]:
        # Always copies with texts read here: a task is built in a background thread while
        # this process may fill or release the same articles' texts for a batch.
        return [replace(a, text=text) for a, text in zip(articles, self.texts(articles))]

    def fill(self, articles: Iterable[Article]) -> None:
        missing = [a for a in articles if a.text is None]
        for a, text in zip(missing, self.texts(missing)):
            a.text = text

    def release(self, articles: Iterable[Article]) -> None:
        for a in articles:
            a.text = None
            a.__dict__.pop("_analysis_text", None)

    def close(self) -> None:
        with self._lock:
            for conn in self._opened:
                conn.close()
            self._opened.clear()
