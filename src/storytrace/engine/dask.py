"""The Dask engine: the same tasks as the local engine, on a dask.distributed cluster.

Workers only compute. Each task writes its results to a part file (temp file, fsync,
atomic rename; see parts.py) and returns the path; this process, the single writer of
the store, loads the parts. SQLite is never opened by a worker.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator

from . import map_articles_in_chunks, warm_up_worker
from .parts import read_part, write_part

CHUNK = 200  # Dask costs ~1.5 ms a task and ~10 ms a round trip: keep tasks seconds long
IN_FLIGHT = 3  # tasks a worker of submit_tasks, queued or running: never idle, inputs bounded


def _task_to_part(fn, task, settings, folder: str, name: str) -> str:
    """Runs on a worker: compute one task and leave the result as a part file."""
    return write_part(folder, name, fn(task, settings))


class DaskEngine:
    @property
    def chunk(self) -> int:
        return CHUNK  # articles per per-article task (read at run time: tests set it)

    def __init__(self, workers: int | None = None, scheduler: str | None = None,
                 parts_dir: str | os.PathLike | None = None):
        from dask.distributed import Client, LocalCluster

        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1,
                                        processes=True, dashboard_address=None)
            self.client = Client(self.cluster)
        # With a remote scheduler the folder must be shared with the workers (see parts.py).
        parts_dir = parts_dir or os.environ.get("STORYTRACE_PARTS_DIR")
        self._own_dir = parts_dir is None
        self.parts_dir = str(parts_dir) if parts_dir else tempfile.mkdtemp(prefix="storytrace-parts-")
        self._round = 0
        self.slots = max(1, len(self.client.scheduler_info().get("workers", {})) or (workers or 1))
        self._warming: list = []  # held, or Dask would cancel them

    def prepare(self, size: int) -> None:
        """The run will hold ``size`` articles: each worker loads its models now, while this
        process ingests or learns boilerplate (once per engine; a worker that joins later
        loads them with its first task)."""
        if not self._warming and size > 0:
            own = self.cluster is not None  # a shared cluster's workers keep their own settings
            self._warming = [self.client.submit(warm_up_worker, own, workers=[address], allow_other_workers=False,
                                                pure=False)
                             for address in self.client.scheduler_info().get("workers", {})]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        if self._own_dir:
            shutil.rmtree(self.parts_dir, ignore_errors=True)
        else:
            try:
                os.rmdir(self.parts_dir)  # only when empty: never delete what others left there
            except OSError:
                pass

    def map_tasks(self, fn, tasks: list, settings, size: int = 0, label: str = "", progress=None) -> list:
        """``fn(task, settings)`` for every task on the cluster, results in task order."""
        return self.start_tasks(fn, tasks, settings, size)(label, progress)

    def start_tasks(self, fn, tasks: list, settings, size: int = 0) -> Callable[..., list]:
        """``map_tasks`` submitted now: its results from the returned ``collect(label,
        progress)``, which waits for them."""
        from dask.distributed import as_completed

        folder = self._next_folder()
        futures = {future: i for i, future in enumerate(self._submit(fn, tasks, settings, folder))}
        n = len(tasks)
        tasks.clear()

        def collect(label: str = "", progress=None) -> list:
            out: list = [None] * n
            if progress:
                progress(label, 0, n)
            for done, future in enumerate(as_completed(futures), start=1):
                out[futures[future]] = read_part(future.result())
                if progress:
                    progress(label, done, n)
            shutil.rmtree(folder, ignore_errors=True)
            return out
        return collect

    def map_articles(self, articles, settings, progress=None, size: int | None = None) -> dict:
        return map_articles_in_chunks(self, articles, settings, CHUNK, progress, size)

    def parallel(self, size: int) -> bool:
        return True  # a cluster was asked for: every run goes to it

    def submit_tasks(self, fn, tasks: Iterable, settings) -> Iterator:
        """``fn(task, settings)`` for every task (each leaves a part file), the results in
        the order they finish from the returned iterator. At most ``IN_FLIGHT`` tasks a
        worker are submitted at a time, the next as one finishes: a task's input is pickled
        when submitted, and the scheduler (in this process for a LocalCluster) holds it
        until a worker takes it, so submitting a whole run's articles at once held them
        all twice. ``tasks`` is read as tasks are submitted (it may build them lazily)."""
        from dask.distributed import as_completed

        folder = self._next_folder()
        queue = enumerate(tasks)

        def submit_next():
            item = next(queue, None)
            return None if item is None else self._submit_one(fn, item[1], settings, folder, item[0])

        first = [f for f in (submit_next() for _ in range(IN_FLIGHT * self.slots)) if f is not None]
        running = as_completed(first)
        del first

        def results() -> Iterator:
            for future in running:
                if (more := submit_next()) is not None:
                    running.add(more)
                yield read_part(future.result())
            shutil.rmtree(folder, ignore_errors=True)
        return results()

    def _submit(self, fn, tasks: list, settings, folder: str) -> list:
        """A future per task, each leaving its result as a part file in ``folder``."""
        return [self._submit_one(fn, task, settings, folder, i) for i, task in enumerate(tasks)]

    def _submit_one(self, fn, task, settings, folder: str, index: int):
        # Settings are small: sent with each task (a scattered copy is released between rounds).
        return self.client.submit(_task_to_part, fn, task, settings, folder, f"part-{index:06d}.pkl", pure=False)

    def _next_folder(self) -> str:
        self._round += 1
        return os.path.join(self.parts_dir, f"round-{self._round:03d}-{os.getpid()}")
