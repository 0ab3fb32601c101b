"""Engines run the per-article (map) stages: in this process, a process pool, or Dask.

All engines call the same pure function on the same chunks and merge results by article
id, so the output does not depend on the engine or the number of workers.
"""
from __future__ import annotations

from ..errors import UsageError


def get_engine(name: str = "local", workers: int | None = None, scheduler: str | None = None):
    if name == "local":
        from .local import LocalEngine
        return LocalEngine(workers)
    if name == "dask":
        from .dask import DaskEngine
        return DaskEngine(workers=workers, scheduler=scheduler)
    raise UsageError(f"unknown engine {name!r}: use 'local' or 'dask'")


def chunked(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def run_chunk(articles, settings) -> dict:
    """One task: the map stages over a chunk of articles (runs on any worker)."""
    from ..pipeline import per_article_stages
    return {a.id: per_article_stages(a, settings) for a in articles}
