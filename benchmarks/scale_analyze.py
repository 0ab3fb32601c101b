"""One whole ``analyze`` run, timed per stage, with peak memory; run in a fresh process.

    python benchmarks/scale_analyze.py INPUT.jsonl WORKDIR [--engine local|dask] [--workers N]

Prints one JSON object: seconds per stage, total seconds, article count, peak RSS of this
process (ru_maxrss) and of the whole process tree (this process plus pool/Dask workers and
the forked dossier renderers; RSS sampled every 0.2 s, PSS every 1 s): summed RSS counts a
page shared by a fork once per process, so it overestimates; summed PSS splits shared pages
between the processes that map them, so it is the tree's real footprint.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import threading
import time
from pathlib import Path

STAGE_NAMES = {  # progress labels of pipeline.analyze -> table columns
    "boilerplate": "boilerplate",
    "duplicates": "duplicates",
    "stories": "stories",
    "quotes, opinion, claims": "quotes+opinion+claims",
    "stories: provenance, quotes, claims": "provenance+quote groups+verdicts",
    "writing": "store+outputs",  # each batch's store rows, analysis.json section and dossiers
}


class TreeMemory:
    """Peak summed RSS and PSS of a process and its children, sampled in a thread.

    RSS (/proc/PID/statm) is read every ``interval``; PSS (smaps_rollup, which walks every
    page table: at 0.2 s it cost ~55 s of system CPU in a 10k run, a quarter of a core)
    every ``pss_interval``, and only when the summed RSS could hold a new PSS peak."""

    def __init__(self, interval: float = 0.2, pss_interval: float = 1.0):
        import psutil

        self.proc = psutil.Process()
        self.interval, self.pss_interval = interval, pss_interval
        self.peak = 0
        self.peak_pss = 0
        self._last_pss = float("-inf")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, pss_too: bool = True) -> None:
        import psutil

        procs = [self.proc, *self.proc.children(recursive=True)]
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        self.peak = max(self.peak, total)
        now = time.monotonic()
        if not pss_too and (now - self._last_pss < self.pss_interval or total <= self.peak_pss):
            return  # PSS <= RSS: no new PSS peak is possible below the one found
        self._last_pss = now
        pss = 0
        for p in procs:
            try:
                info = p.memory_full_info()
                pss += getattr(info, "pss", info.rss)
            except psutil.Error:
                pass
        self.peak_pss = max(self.peak_pss, pss)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample(pss_too=False)

    def __enter__(self):
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()


def run(inputs: list[str], workdir: Path, engine: str = "local", workers: int | None = None,
        outputs: bool = True) -> dict:
    from storytrace.pipeline import analyze

    marks: list[tuple[str, float]] = []  # (stage, first tick)
    last_tick: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if not marks or marks[-1][0] != stage:
            marks.append((stage, now))
        last_tick[stage] = now

    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "storytrace.db"
    for p in workdir.glob("storytrace.db*"):
        p.unlink()
    with TreeMemory() as mem:
        t0 = time.perf_counter()
        analysis = analyze(inputs, db=db, out=workdir / "out" if outputs else None, engine=engine,
                           workers=workers, progress=progress, keep_records=False)  # as the CLI runs it
        t1 = time.perf_counter()
    # Each stage runs from its first tick to the next stage's; the last one ends at its
    # last tick (its last task done), after which come merging, the store and the outputs.
    # The stages after the stories run once per batch of stories: their times add up.
    end_of_last = last_tick[marks[-1][0]] if marks else t0
    bounds = [("ingest", t0)] + marks + [("store+outputs", end_of_last), ("end", t1)]
    stages: dict[str, float] = {}
    for (name, start), (_, end) in zip(bounds, bounds[1:]):
        key = STAGE_NAMES.get(name, name)
        stages[key] = stages.get(key, 0.0) + end - start
    counts = analysis.counts
    return {"articles": len(analysis.articles), "stories": len(analysis.stories),
            "quotes": counts["quotes"], "claims": counts["claims"], "links": counts["links"],
            "seconds": t1 - t0, "stages": stages,
            "peak_rss_main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "peak_rss_tree": mem.peak, "peak_pss_tree": mem.peak_pss, "engine": engine, "workers": workers}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("workdir")
    ap.add_argument("--engine", default="local")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--no-outputs", action="store_true", help="skip analysis.json and dossiers")
    args = ap.parse_args(argv)
    result = run([args.input], Path(args.workdir), args.engine, args.workers, not args.no_outputs)
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
