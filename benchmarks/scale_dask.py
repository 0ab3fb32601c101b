"""Dask engine, 1 worker vs 2 workers of a LocalCluster, on the same ingested store.

    python benchmarks/scale_dask.py INPUT.jsonl WORKDIR

Times ``analyze_store`` (cluster start-up included) and each stage in it (from its first
progress tick to the next stage's), and checks that both runs give the same canonical
dump. Prints one JSON object. The per-article stages run on the workers while this process
finds duplicates and stories, so "quotes, opinion, claims" is the wait left after the
stories, not the stage's whole cost.
"""
from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path


def run(input_path: str, workdir: Path, workers=(1, 2)) -> dict:
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
    out: dict = {"runs": {}}
    dumps = {}
    for w in workers:
        db = workdir / f"dask{w}.db"
        shutil.copy(base, db)
        marks: list[tuple[str, float]] = []  # (stage, first tick) in order; a batch ticks again

        def progress(stage, done, total):
            if not marks or marks[-1][0] != stage:
                marks.append((stage, time.perf_counter()))

        with Store(db) as store:
            t0 = time.perf_counter()
            analysis = analyze_store(store, Settings(), engine="dask", workers=w, progress=progress)
            t1 = time.perf_counter()
            store.write_analysis(analysis)
        stages: dict[str, float] = {}
        for (stage, start), (_, end) in zip([("start", t0)] + marks, marks + [("end", t1)]):
            stages[stage] = stages.get(stage, 0.0) + end - start
        out["runs"][w] = {"seconds": t1 - t0, "stages": stages, "articles": len(analysis.articles)}
        dumps[w] = canonical_dump(db)
    out["identical"] = len(set(dumps.values())) == 1
    r1, r2 = out["runs"][workers[0]], out["runs"][workers[-1]]
    out["speedup"] = r1["seconds"] / r2["seconds"]
    return out


if __name__ == "__main__":
    json.dump(run(sys.argv[1], Path(sys.argv[2])), sys.stdout)
    print()
