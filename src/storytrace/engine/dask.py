"""The Dask engine: the same chunks as the local engine, on a dask.distributed cluster.

Workers only compute; results come back to this process, the single writer of the store.
"""
from __future__ import annotations

from . import chunked, run_chunk

CHUNK = 200  # Dask costs ~1.5 ms a task: keep tasks seconds long


class DaskEngine:
    def __init__(self, workers: int | None = None, scheduler: str | None = None):
        from dask.distributed import Client, LocalCluster

        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1,
                                        processes=True, dashboard_address=None)
            self.client = Client(self.cluster)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def map_articles(self, articles, settings, progress=None) -> dict:
        from dask.distributed import as_completed

        chunks = chunked(articles, CHUNK)
        settings_future = self.client.scatter(settings, broadcast=True)
        futures = [self.client.submit(run_chunk, chunk, settings_future, pure=False) for chunk in chunks]
        results: dict = {}
        for done, future in enumerate(as_completed(futures), start=1):
            results.update(future.result())
            if progress:
                progress("quotes, opinion, claims", done * CHUNK, len(articles))
        return results
