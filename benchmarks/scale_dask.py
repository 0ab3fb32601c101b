"""Dask engine, 1 worker vs 2 workers of a LocalCluster, on the same ingested store.

    python benchmarks/scale_dask.py INPUT.jsonl WORKDIR [ROUNDS]

Times ``analyze_store`` (cluster start-up included) and each stage in it (from its first
progress tick to the next stage's), and checks that every run gives the same canonical
dump. Prints one JSON object. The per-article stages run on the workers while this process
finds duplicates and stories, so "quotes, opinion, claims" is the wait left after the
stories, not the stage's whole cost.

The 1- and 2-worker runs alternate for ROUNDS rounds (default 1): on a shared machine
one pair's ratio moves by ±0.15, so ``speedup`` is the median of the rounds' ratios and
``speedups`` lists them all. Each run also reports the CPU seconds of this process and of
the cluster's processes (counted once they exit at the run's end) and the cores it kept
busy on average: with one worker, this process's own stages (duplicates, stories) run on
the second core beside the worker.
"""
from __future__ import annotations

import json
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path


def _cpu_seconds() -> float:
    """CPU of this process and of its children that have exited (the cluster's, once closed)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(input_path: str, workdir: Path, workers=(1, 2), rounds: int = 1) -> dict:
    from storytrace.engine.dump import canonical_dump
    from storytrace.ingest import ingest
    from storytrace.pipeline import analyze_store
    from storytrace.settings import Settings
    from storytrace.store import Store

    workdir.mkdir(parents=True, exist_ok=True)
    base = workdir / "ingested.db"
    for p in workdir.glob("*.db*"):
        p.unlink()
    with Store(base) as store:
        run_id = store.begin_run("ingest", [input_path])
        ingest([input_path], store, run_id, Settings())
        store.finish_run(run_id, "ok")
    out: dict = {"rounds": []}
    dumps = set()
    for _ in range(max(1, rounds)):
        runs: dict = {}
        for w in workers:
            db = workdir / f"dask{w}.db"
            for p in workdir.glob(db.name + "*"):
                p.unlink()
            shutil.copy(base, db)
            marks: list[tuple[str, float]] = []  # (stage, first tick) in order; a batch ticks again

            def progress(stage, done, total):
                if not marks or marks[-1][0] != stage:
                    marks.append((stage, time.perf_counter()))

            with Store(db) as store:
                c0, t0 = _cpu_seconds(), time.perf_counter()
                analysis = analyze_store(store, Settings(), engine="dask", workers=w, progress=progress)
                t1, c1 = time.perf_counter(), _cpu_seconds()
                store.write_analysis(analysis)
            stages: dict[str, float] = {}
            for (stage, start), (_, end) in zip([("start", t0)] + marks, marks + [("end", t1)]):
                stages[stage] = stages.get(stage, 0.0) + end - start
            runs[w] = {"seconds": t1 - t0, "cpu_seconds": c1 - c0, "cores_busy": (c1 - c0) / (t1 - t0),
                       "stages": stages, "articles": len(analysis.articles)}
            dumps.add(canonical_dump(db))
        out["rounds"].append(runs)
    out["identical"] = len(dumps) == 1
    out["speedups"] = [r[workers[0]]["seconds"] / r[workers[-1]]["seconds"] for r in out["rounds"]]
    out["speedup"] = statistics.median(out["speedups"])
    return out


if __name__ == "__main__":
    json.dump(run(sys.argv[1], Path(sys.argv[2]), rounds=int(sys.argv[3]) if len(sys.argv) > 3 else 1),
              sys.stdout)
    print()
