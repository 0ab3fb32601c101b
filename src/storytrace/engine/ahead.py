"""Per-article results computed ahead: the workers analyse every article while this process
finds duplicates and stories, which would otherwise leave them idle.

The per-article stages (quotes, opinion, claims) read only an article's own text, so they
need not wait for the stories. Results arrive pickled, are appended to a temp file next
to the store, and are read back when a batch of stories asks for them: memory holds an
offset per article, never the results of the whole run.
"""
from __future__ import annotations

import os
import pickle
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator

from ..article_texts import HeldTexts
from ..model import Article
from . import chunked, run_chunk


def run_chunk_pickled(articles: list[Article], settings) -> dict[str, bytes]:
    """``run_chunk``, each article's result pickled on the worker: this process only
    stores the bytes, and unpickles them when the article's batch comes."""
    return {aid: pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            for aid, result in run_chunk(articles, settings).items()}


class ArticleResults:
    """Results of ``run_chunk`` for ``articles``, filled in the background from ``results``
    (an iterator of ``run_chunk_pickled`` outputs in any order) into a temp file in
    ``folder``. ``take`` blocks until the asked articles are there."""

    def __init__(self, results: Iterator[dict[str, bytes]], total: int, folder: str | None):
        fd, self.path = tempfile.mkstemp(prefix=".storytrace-ahead-", suffix=".tmp", dir=folder)
        self._out = os.fdopen(fd, "wb")
        self._read_fd = os.open(self.path, os.O_RDONLY)
        self._where: dict[str, tuple[int, int]] = {}  # article id -> (offset, length)
        self._end = 0
        self.total = total
        self._error: BaseException | None = None
        self._finished = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._fill, args=(results,), daemon=True,
                                        name="storytrace-ahead")
        self._thread.start()

    @classmethod
    def start(cls, engine, articles: list[Article], settings, chunk: int, folder: str | None,
              texts: HeldTexts | None = None) -> "ArticleResults":
        """Submit ``articles`` to ``engine`` in ``chunk``-sized tasks; returns at once. The
        engine takes the tasks a few at a time, and each task's articles are copied with
        their texts (read through ``texts``) only as it is taken."""
        texts = texts or HeldTexts()
        tasks = (texts.with_texts(part) for part in chunked(articles, chunk))
        return cls(engine.submit_tasks(run_chunk_pickled, tasks, settings), len(articles), folder)

    def _fill(self, results: Iterator[dict[str, bytes]]) -> None:
        try:
            for part in results:
                for aid, blob in part.items():
                    self._out.write(blob)
                    self._where[aid] = (self._end, len(blob))
                    self._end += len(blob)
                self._out.flush()  # readable through the other descriptor from here on
                with self._changed:
                    self._changed.notify_all()
        except BaseException as exc:  # handed to the caller of take()
            self._error = exc
        finally:
            with self._changed:
                self._finished = True
                self._changed.notify_all()

    def take(self, ids: Iterable[str], progress: Callable[[int, int], None] | None = None) -> dict[str, dict]:
        """The results of ``ids`` (unpickled), waiting for them; a failed task raises here.
        ``progress(done, total)`` is called while waiting, with articles of the whole run."""
        ids = list(ids)
        with self._changed:
            while self._error is None and any(aid not in self._where for aid in ids):
                if self._finished:
                    missing = next(aid for aid in ids if aid not in self._where)
                    raise KeyError(f"no per-article result for {missing!r}")
                if progress:
                    progress(len(self._where), self.total)
                self._changed.wait(0.5)
            if self._error is not None:
                raise self._error
            if progress:
                progress(len(self._where), self.total)
            where = [self._where[aid] for aid in ids]
        return {aid: pickle.loads(os.pread(self._read_fd, length, offset))  # our own file
                for aid, (offset, length) in zip(ids, where)}

    def close(self) -> None:
        """Stop reading results (tasks still queued are left to the engine's shutdown) and
        remove the temp file."""
        self._thread.join(timeout=0 if not self._finished else None)
        self._out.close()
        os.close(self._read_fd)
        os.unlink(self.path)
