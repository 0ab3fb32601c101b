"""Dossier rendering: CPU per story, this checkout against an older one, and byte-identity.

    .venv/bin/python benchmarks/render_speed.py --old /tmp/old/src [--articles 2000] [--repeat 3]

Builds once (kept in --work) a news corpus of --articles articles (run_all.write_corpus)
and its Analysis (pipeline.analyze, pickled), then renders every story's files and the
index (report.write_reports, one process) with each source tree in turn -- old, new, old,
new, ... -- each in a fresh child process, and reports the child's CPU time for rendering
(user + system, best of --repeat; loading the pickle is not counted) as ms per story.
With --workers N the stories render in N forked processes, as in ``storytrace analyze``,
and their CPU time is counted as well.
--old is the src/ folder of the code to compare with, e.g. after
``git worktree add /tmp/old <commit>``. With --old the two output folders must be byte
for byte the same (every file compared); the script exits 1 when any differs.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"


def cpu() -> float:
    """CPU seconds of this process and of its finished children (the forked renderers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child(pickled: str, out: str, workers: str) -> None:
    from storytrace.report import write_reports

    analysis = pickle.loads(Path(pickled).read_bytes())
    shutil.rmtree(out, ignore_errors=True)
    start = cpu()
    write_reports(analysis, out, workers=int(workers))
    print(json.dumps({"cpu_s": cpu() - start, "stories": len(analysis.stories)}))


def prepare(work: Path, articles: int) -> Path:
    pickled = work / f"analysis-{articles}.pickle"
    if not pickled.exists():
        sys.path.insert(0, str(HERE))
        sys.path.insert(0, str(SRC))
        from run_all import write_corpus
        from storytrace.pipeline import analyze

        corpus = work / f"news-{articles}.jsonl"
        write_corpus(articles, corpus, "news")
        db = work / f"store-{articles}.db"
        for p in work.glob(db.name + "*"):
            p.unlink()
        pickled.write_bytes(pickle.dumps(analyze([str(corpus)], db=db, workers=1)))
    return pickled


def run(src: Path, pickled: Path, out: Path, workers: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run([sys.executable, __file__, "--child", str(pickled), str(out), str(workers)], env=env,
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def differences(a: Path, b: Path) -> list[str]:
    files = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    other = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    out = [f"only in one: {p}" for p in sorted(files ^ other)]
    out += [f"differs: {p}" for p in sorted(files & other) if (a / p).read_bytes() != (b / p).read_bytes()]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--child", nargs=3, metavar=("PICKLE", "OUT", "WORKERS"), help=argparse.SUPPRESS)
    ap.add_argument("--old", type=Path, help="src/ folder of the code to compare with")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1, help="forked renderers (their CPU is counted too)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/storytrace-render-speed"))
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    pickled = prepare(args.work, args.articles)
    trees = ([("old", args.old.resolve())] if args.old else []) + [("new", SRC)]
    best: dict[str, float] = {}
    stories = 0
    for turn in range(args.repeat):
        for name, src in trees:
            r = run(src, pickled, args.work / f"out-{name}", args.workers)
            stories = r["stories"]
            best[name] = min(best.get(name, float("inf")), r["cpu_s"])
            print(f"turn {turn + 1} {name}: {r['cpu_s']:.2f} s CPU, {1000 * r['cpu_s'] / stories:.2f} ms/story",
                  flush=True)
    for name, s in best.items():
        print(f"best {name}: {s:.2f} s CPU for {stories} stories = {1000 * s / stories:.2f} ms/story")
    if args.old:
        print(f"old / new: {best['old'] / best['new']:.2f}x")
        diff = differences(args.work / "out-old", args.work / "out-new")
        n = sum(1 for p in (args.work / "out-new").rglob("*") if p.is_file())
        print(f"{n} files compared: " + ("byte-identical" if not diff else f"{len(diff)} differ"))
        for line in diff[:20]:
            print("  " + line)
        return 1 if diff else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
