"""Engines run the parallel stages: in this process, a process pool, or Dask.

Two kinds of task run on an engine, both pure functions of their input:
- ``run_chunk``: the per-article (map) stages (quotes, opinion, claims) over a chunk;
- ``run_story_chunk``: the per-story (group) stages (provenance, quote groups, claim
  verdicts) over a batch of stories.
Every engine returns the results in task order, and the caller merges them by article or
story position, so the output does not depend on the engine or the number of workers.
"""
from __future__ import annotations

from ..errors import UsageError


def get_engine(name: str = "local", workers: int | None = None, scheduler: str | None = None,
               parts_dir: str | None = None):
    """``local`` (process pool over the cores) or ``dask`` (``scheduler`` address or a
    LocalCluster of ``workers``). ``parts_dir``: where Dask workers write part files."""
    if name == "local":
        from .local import LocalEngine
        return LocalEngine(workers)
    if name == "dask":
        from .dask import DaskEngine
        return DaskEngine(workers=workers, scheduler=scheduler, parts_dir=parts_dir)
    raise UsageError(f"unknown engine {name!r}: use 'local' or 'dask'")


def chunked(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def balanced_batches(costs: list[int], n_batches: int, max_items: int) -> list[list[int]]:
    """Item indexes in batches of similar total cost: largest first, each to the lightest
    batch, so one huge story does not leave the other workers idle. Deterministic."""
    if not costs:
        return []
    order = sorted(range(len(costs)), key=lambda i: (-costs[i], i))
    n = max(1, min(len(costs), max(n_batches, -(-len(costs) // max(1, max_items)))))
    batches: list[list[int]] = [[] for _ in range(n)]
    loads = [0] * n
    for i in order:
        k = min(range(n), key=lambda b: (loads[b], b))
        batches[k].append(i)
        loads[k] += costs[i]
    return [sorted(b) for b in batches if b]


def warm_up_worker(pace_gc: bool = True) -> None:
    """Runs on each worker as it starts: load what the per-article stages need, and (for
    workers of this run's own, not a shared cluster's) pace the cycle collector."""
    from ..gc_pace import pace_this_process
    from ..pipeline import warm_up_per_article

    if pace_gc:
        pace_this_process()
    warm_up_per_article()


def run_chunk(articles, settings) -> dict:
    """One task: the map stages over a chunk of articles (runs on any worker)."""
    from ..nlp_batch import map_batched
    from ..pipeline import per_article_stages

    # The articles' spaCy calls are batched across the chunk: half their CPU (nlp_batch).
    results = map_batched(lambda a: per_article_stages(a, settings), articles)
    return {a.id: r for a, r in zip(articles, results)}


def run_story_chunk(tasks, settings) -> list:
    """One task: the group stages for a batch of stories (runs on any worker)."""
    from ..pipeline import per_story_stages
    return [per_story_stages(task, settings) for task in tasks]


def map_articles_in_chunks(engine, articles, settings, chunk: int, progress=None, size: int | None = None) -> dict:
    """The per-article stages over ``chunk``-sized tasks on ``engine``: {article id: result}.
    ``size``: the articles of the whole run, when these are one batch of it (the engine
    decides by it whether to use its workers)."""
    results: dict = {}
    for part in engine.map_tasks(run_chunk, chunked(articles, chunk), settings, size or len(articles),
                                 "quotes, opinion, claims", progress):
        results.update(part)
    return results
