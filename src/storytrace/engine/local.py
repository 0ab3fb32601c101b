"""The default engine: this process for small inputs, a process pool over the cores otherwise."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

from . import chunked, run_chunk

# Below this many articles a pool costs more (start-up, model load per worker) than it saves.
MIN_ARTICLES_FOR_POOL = 400
CHUNK = 100


class LocalEngine:
    def __init__(self, workers: int | None = None):
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool:
            self.pool.shutdown(cancel_futures=True)

    def map_articles(self, articles, settings, progress=None) -> dict:
        results: dict = {}
        chunks = chunked(articles, CHUNK)
        if self.workers <= 1 or len(articles) < MIN_ARTICLES_FOR_POOL:
            for i, chunk in enumerate(chunks):
                results.update(run_chunk(chunk, settings))
                if progress:
                    progress("quotes, opinion, claims", (i + 1) * CHUNK, len(articles))
            return results
        self.pool = ProcessPoolExecutor(self.workers)
        for i, part in enumerate(self.pool.map(run_chunk, chunks, [settings] * len(chunks))):
            results.update(part)
            if progress:
                progress("quotes, opinion, claims", (i + 1) * CHUNK, len(articles))
        return results
