"""N verbatim copies of one wire story (issue 9's `100k-copies` case), end to end.

    python benchmarks/copies_scale.py 20000 [--old-src PATH/src] [--workdir DIR]

Writes the same JSONL as tests/hostile.py's ``many_copies`` (one short story, 50 outlets)
and runs the whole ``analyze`` (ingest, stages, store, analysis.json, dossiers) in a fresh
process per code version with ``scale_analyze.py``: the current checkout, and with
``--old-src`` an older checkout's ``src`` (e.g. from ``git worktree add``) first, in the
same command, so the two are compared under the same machine load. Prints seconds per
stage and peak RSS for each.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))


def write_copies(n: int, path: Path) -> None:
    from hostile import STORY

    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"copy-{i}", "source": f"outlet{i % 50}.example", "text": STORY}) + "\n")


def run(path: Path, workdir: Path, src: str | None) -> dict:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src  # ahead of the editable install: that checkout's code runs
    proc = subprocess.run([sys.executable, str(HERE / "scale_analyze.py"), str(path), str(workdir)],
                          capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--old-src", default=None)
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args(argv)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="storytrace-copies-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / "copies.jsonl"
    write_copies(args.n, path)
    runs = {}
    if args.old_src:
        runs["old"] = run(path, work / "old", args.old_src)
    runs["new"] = run(path, work / "new", None)
    stages = list(runs["new"]["stages"])
    print(f"| {args.n:,} copies | " + " | ".join(stages) + " | total s | peak RSS main / tree |")
    print("|---" * (len(stages) + 3) + "|")
    for name, r in runs.items():
        cells = [f"{r['stages'].get(s, 0):.1f}" for s in stages]
        print(f"| {name} | " + " | ".join(cells) + f" | {r['seconds']:.1f} | "
              f"{r['peak_rss_main'] / 2**30:.2f} / {r['peak_rss_tree'] / 2**30:.2f} GiB |")
    if "old" in runs:
        print(f"\nnew is {runs['old']['seconds'] / runs['new']['seconds']:.2f}x faster end to end")


if __name__ == "__main__":
    main()
