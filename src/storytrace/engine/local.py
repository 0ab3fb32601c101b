"""The default engine: this process for small inputs, a process pool over the cores otherwise."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from itertools import islice

from . import map_articles_in_chunks, warm_up_worker

# Below this many articles a pool costs more (start-up, model load per worker) than it saves.
MIN_ARTICLES_FOR_POOL = 400
CHUNK = 100
IN_FLIGHT = 3  # tasks a worker of submit_tasks, queued or running: never idle, inputs bounded


class LocalEngine:
    @property
    def chunk(self) -> int:
        return CHUNK  # articles per per-article task (read at run time: tests set it)

    def __init__(self, workers: int | None = None):
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.pool: ProcessPoolExecutor | None = None
        self.slots = max(1, self.workers)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:  # one pool for every stage: workers keep their loaded models
            self.pool = ProcessPoolExecutor(self.workers, initializer=warm_up_worker)
        return self.pool

    def prepare(self, size: int) -> None:
        """The run will hold ``size`` articles: when that takes the pool, start it now, so
        its workers load their models while this process ingests or learns boilerplate."""
        if self.pool is None and self.parallel(size):
            self._pool().submit(int)  # a first task makes the pool start every worker

    def map_tasks(self, fn, tasks: list, settings, size: int, label: str = "", progress=None) -> list:
        """``fn(task, settings)`` for every task, results in task order. ``size`` is the
        number of articles behind the tasks: small inputs stay in this process. ``tasks``
        is consumed: each entry is dropped when its result arrives, so a caller that keeps
        no other reference never holds every input and every result at once."""
        return self.start_tasks(fn, tasks, settings, size)(label, progress)

    def start_tasks(self, fn, tasks: list, settings, size: int) -> Callable[..., list]:
        """``map_tasks`` started now (on the pool): its results from the returned
        ``collect(label, progress)``, which waits for them (in this process, runs them)."""
        n = len(tasks)
        if not self.parallel(size):
            results: list = tasks

            def get(task):
                return fn(task, settings)
        else:
            results = self._submit(fn, tasks, settings)
            get = Future.result

        def collect(label: str = "", progress=None) -> list:
            out = []
            if progress:
                progress(label, 0, n)
            for i in range(n):
                out.append(get(results[i]))
                results[i] = None
                if progress:
                    progress(label, i + 1, n)
            return out
        return collect

    def map_articles(self, articles, settings, progress=None, size: int | None = None) -> dict:
        return map_articles_in_chunks(self, articles, settings, CHUNK, progress, size)

    def parallel(self, size: int) -> bool:
        """Whether a run of ``size`` articles goes to the pool (else it stays in this process)."""
        return self.workers > 1 and size >= MIN_ARTICLES_FOR_POOL

    def submit_tasks(self, fn, tasks: Iterable, settings) -> Iterator:
        """``fn(task, settings)`` for every task on the pool; the results, in the order they
        finish, from the returned iterator. ``IN_FLIGHT`` tasks a worker are queued at a
        time, the next as one finishes, so ``tasks`` may build its inputs lazily (the
        per-article tasks read their texts as they are queued) and never holds them all."""
        pending = iter(tasks)
        pool = self._pool()
        running = {pool.submit(fn, task, settings) for task in islice(pending, IN_FLIGHT * self.slots)}

        def results() -> Iterator:
            nonlocal running
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:  # the next task queued as each result is handed on
                    running |= {pool.submit(fn, task, settings) for task in islice(pending, 1)}
                    yield future.result()
        return results()

    def _submit(self, fn, tasks: list, settings) -> list[Future]:
        """A future per task on the pool; ``tasks`` is emptied (the futures hold them until they run)."""
        futures = [self._pool().submit(fn, task, settings) for task in tasks]
        tasks.clear()
        return futures
