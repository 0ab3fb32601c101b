"""`make bench`: the scale table. For generated corpora of 1k, 10k and 100k articles
(realistic length, ~10% syndicated copies, stories of 1-200 articles; benchmarks/generate.py):
articles/s per stage and end to end, peak memory, and in the same command on the same texts
the floor (read + regex tokenise + shingle hash) and the naive approach (spaCy's full
English pipeline over all the text; above --naive-sample articles it is measured on the
first --naive-sample articles and scaled linearly, which the table says). Then the Dask
engine with 1 and 2 local workers.

    python benchmarks/run_all.py [--sizes 1000,10000,100000] [--naive-sample 2000]
                                 [--dask-size 2000] [--dask-rounds 2] [--workdir DIR] [--json FILE]
                                 [--style news|uniform]

--style picks the generator (benchmarks/generate.py): "news" (the default since
2026-11-23 evening) is calibrated on real news (benchmarks/corpus_stats.py: lengths,
vocabulary growth, ~1% of pairs at the story threshold, pronoun speakers that send
sentences to spaCy); "uniform" is the earlier ~1,000-word generator that produced every
table in benchmarks/README.md's Scale section up to 2026-11-23 16:45, kept so those
figures can be reproduced.

Every size runs `analyze` in a fresh process (so peak memory is that size's own).
Timings on a shared machine are noisy: compare the ratios within one run.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

STAGES = ["ingest", "boilerplate", "duplicates", "stories", "quotes+opinion+claims",
          "provenance+quote groups+verdicts", "store+outputs"]


def write_corpus(n: int, path: Path, style: str = "news") -> list[str]:
    """The generated corpus as JSONL input (no story labels); returns the texts."""
    from generate import corpus

    texts = []
    with open(path, "w", encoding="utf-8") as fh:
        for a in corpus(n, style=style):
            rec = {k: v for k, v in a.items() if k != "story"}
            fh.write(json.dumps(rec) + "\n")
            texts.append(a["text"])
    return texts


def run_size(path: Path, workdir: Path) -> dict:
    proc = subprocess.run([sys.executable, str(HERE / "scale_analyze.py"), str(path), str(workdir)],
                          capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"analyze failed on {path}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> str:
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}), {psutil.virtual_memory().total / 2**30:.0f} GiB, "
            f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at start")


def fmt_rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}" if seconds > 0 else "—"


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--naive-sample", type=int, default=2000)
    ap.add_argument("--dask-size", type=int, default=2000, help="0 skips the Dask comparison")
    ap.add_argument("--dask-rounds", type=int, default=2, help="alternating 1- and 2-worker pairs (median ratio)")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--json", default=None, help="also write the raw numbers here")
    ap.add_argument("--style", choices=("news", "uniform"), default="news",
                    help="corpus generator: news (calibrated on real news) or uniform (the earlier tables)")
    args = ap.parse_args(argv)
    from scale_refs import floor, naive

    sizes = [int(s) for s in args.sizes.split(",") if s]
    work = Path(args.workdir or tempfile.mkdtemp(prefix="storytrace-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}\nworkdir: {work}\ncorpus style: {args.style}", flush=True)
    results: dict = {"machine": machine(), "style": args.style, "sizes": {}}
    naive_cache: dict[tuple, dict] = {}
    for n in sizes:
        path = work / f"corpus-{args.style}-{n}.jsonl"
        texts = write_corpus(n, path, args.style)
        sample = texts[:min(n, args.naive_sample)]
        key = (len(sample), hash(tuple(sample)))  # the generator is prefix-stable: 10k and 100k share it
        del texts
        print(f"\n{n:,} articles: analyze ...", flush=True)
        res = run_size(path, work / f"run-{n}")
        print(f"  {res['seconds']:.1f} s; floor ...", flush=True)
        fl = floor(str(path))
        if key not in naive_cache:
            print(f"  naive spaCy on {len(sample):,} articles ...", flush=True)
            naive_cache[key] = naive(sample)
        nv = naive_cache[key]
        naive_rate = nv["articles"] / nv["seconds"]
        res.update(floor=fl, naive=nv, naive_seconds_for_n=n / naive_rate,
                   naive_measured_on=nv["articles"])
        results["sizes"][n] = res
        if args.json:  # after every size: a long run that fails later keeps what it measured
            Path(args.json).write_text(json.dumps(results, indent=1, default=str))
        print(f"  floor {fl['seconds']:.2f} s, naive {n / naive_rate:.0f} s "
              f"({'measured' if nv['articles'] >= n else 'scaled from ' + format(nv['articles'], ',')})",
              flush=True)
    if args.dask_size:
        from scale_dask import run as run_dask

        path = work / f"corpus-{args.style}-{args.dask_size}.jsonl"
        if not path.exists():
            write_corpus(args.dask_size, path, args.style)
        print(f"\nDask 1 vs 2 workers on {args.dask_size:,} articles ...", flush=True)
        try:
            results["dask"] = run_dask(str(path), work / "dask", rounds=args.dask_rounds)
        except Exception as exc:  # the table above still prints
            print(f"  Dask comparison failed: {exc!r}", flush=True)
    print()
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    return results


def table(results: dict) -> str:
    rows = []
    head = ["articles", *STAGES, "end to end", "seconds", "peak memory (tree PSS / tree RSS / main RSS)",
            "floor art/s", "naive art/s", "analyze time ÷ naive", "× floor"]
    rows.append("| " + " | ".join(head) + " |")
    rows.append("|" + "---|" * len(head))
    sizes = results["sizes"]
    for n, r in sizes.items():
        n = int(n)
        st = r["stages"]
        naive_s = r["naive_seconds_for_n"]
        measured = "" if r["naive_measured_on"] >= n else f" (on {r['naive_measured_on']:,}, scaled)"
        cells = [f"{n:,}", *[fmt_rate(n, st.get(s, 0.0)) for s in STAGES], fmt_rate(n, r["seconds"]),
                 f"{r['seconds']:.1f}",
                 " / ".join(f"{r.get(k, r['peak_rss_tree']) / 2**30:.2f}"
                            for k in ("peak_pss_tree", "peak_rss_tree", "peak_rss_main")) + " GiB",
                 fmt_rate(n, r["floor"]["seconds"]), fmt_rate(n, naive_s) + measured,
                 f"1/{naive_s / r['seconds']:.1f}", f"{r['seconds'] / r['floor']['seconds']:.0f}×"]
        rows.append("| " + " | ".join(cells) + " |")
    style = results.get("style", "uniform")  # runs saved before --style were all uniform
    out = [f"Articles/s per stage (parallel stages on all cores), end to end, and the references "
           f"(corpus style: {style}):", "", *rows]
    ns = sorted(int(n) for n in sizes)
    if len(ns) >= 2:
        out += ["", "Growth of cost per stage: exponent k in time ∝ n^k (1.0 = linear)", "",
                "| from → to | " + " | ".join(STAGES) + " | end to end |",
                "|" + "---|" * (len(STAGES) + 2)]
        for a, b in zip(ns, ns[1:]):
            ra, rb = sizes.get(a) or sizes[str(a)], sizes.get(b) or sizes[str(b)]

            def k(ta, tb):
                return f"{math.log(tb / ta) / math.log(b / a):.2f}" if ta > 0 and tb > 0 else "—"
            cells = [k(ra["stages"].get(s, 0), rb["stages"].get(s, 0)) for s in STAGES]
            out.append(f"| {a:,} → {b:,} | " + " | ".join(cells) + f" | {k(ra['seconds'], rb['seconds'])} |")
    if "dask" in results:
        d = results["dask"]
        first = d["rounds"][0]  # the stage table shows the first pair
        r1, r2 = first.get(1) or first["1"], first.get(2) or first["2"]
        ratios = ", ".join(f"{s:.2f}" for s in d["speedups"])
        busy = (f"; cores busy 1 → 2 workers: {r1['cores_busy']:.2f} → {r2['cores_busy']:.2f} "
                f"({r1['cpu_seconds']:.0f} → {r2['cpu_seconds']:.0f} CPU s)")
        out += ["", f"Dask LocalCluster on {r1['articles']:,} articles: 1 worker {r1['seconds']:.1f} s, "
                f"2 workers {r2['seconds']:.1f} s (first pair) → median {d['speedup']:.2f}× of the pairs "
                f"({ratios}; cluster start-up included){busy}; "
                f"canonical dumps identical: {d['identical']}; seconds per stage, 1 → 2 workers: "
                + ", ".join(f"{s} {r1['stages'][s]:.1f} → {r2['stages'].get(s, 0):.1f}" for s in r1["stages"])]
    return "\n".join(out)


if __name__ == "__main__":
    main()
