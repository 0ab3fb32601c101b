"""Speed and results of the per-story stages (provenance, quote groups, verdicts).

Runs ``pipeline.per_story_stages`` over fixed story tasks and writes a canonical JSON of
every result (links, passages, origins, facts, quotes, quote groups, claims, claim groups),
so two versions of the code can be compared byte for byte, and times it against a
baseline measured in the same process (``storytrace.text.words`` over the same texts).

Task sets (built once by a whole single-process ``analyze`` that records each story task,
then cached as pickles under ``--work``):

- ``generated``: the stories of a generated ``--size``-article corpus (benchmarks/generate.py);
- ``demo``: the demo corpus's stories (demo/corpus);
- ``copies``: ``--copies`` exact copies of one generated article on 50 outlets (issue 9);
- ``wire``: ``--wire`` exact copies of one wire story that credits its agency twice
  (dateline and sign-off), so every copy holds media credits.

    .venv/bin/python benchmarks/per_story_speed.py [--sets generated,demo,copies] [--dump OUT.json]

To compare with an older checkout in one command, run it twice with PYTHONPATH pointing at
each ``src`` (the task pickles hold only model records, so both read the same tasks).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def _record_tasks(inputs: list[str], workdir: Path) -> list[bytes]:
    """Analyse ``inputs`` in this process and return every story task, pickled as it was
    handed to ``per_story_stages`` (before the stages touch its quotes)."""
    import storytrace.pipeline as pipeline

    recorded: list[bytes] = []
    original = pipeline.per_story_stages

    def recording(task, settings):
        recorded.append(pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL))
        return original(task, settings)

    pipeline.per_story_stages = recording
    try:
        workdir.mkdir(parents=True, exist_ok=True)
        for p in workdir.glob("record.db*"):
            p.unlink()
        pipeline.analyze(inputs, db=workdir / "record.db", engine="local", workers=1)
    finally:
        pipeline.per_story_stages = original
    return recorded


def _write_jsonl(path: Path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def build_inputs(name: str, work: Path, size: int, copies: int) -> list[str]:
    import generate

    if name == "generated":
        rows = [{k: a[k] for k in ("id", "source", "title", "published", "text", "url")}
                for a in generate.corpus(size)]
        return [_write_jsonl(work / f"generated-{size}.jsonl", rows)]
    if name == "demo":
        return [str(ROOT / "demo" / "corpus")]
    if name == "copies":
        text = generate.article_text(random.Random(11), "Port Ellery", "storm", paragraphs=3)
        rows = [{"id": f"copy-{i}", "source": f"outlet{i % 50}.example", "text": text} for i in range(copies)]
        return [_write_jsonl(work / f"copies-{copies}.jsonl", rows)]
    if name == "wire":
        body = generate.article_text(random.Random(12), "Kessick", "flood", paragraphs=3)
        text = f"KESSICK (Reuters) - {body}\n\nReuters contributed to this report."
        rows = [{"id": f"wire-{i}", "source": f"outlet{i % 50}.example", "text": text} for i in range(copies)]
        return [_write_jsonl(work / f"wire-{copies}.jsonl", rows)]
    raise SystemExit(f"unknown set {name!r}")


def load_tasks(name: str, work: Path, size: int, copies: int) -> list[bytes]:
    tag = {"generated": f"generated-{size}", "demo": "demo", "copies": f"copies-{copies}",
           "wire": f"wire-{copies}"}[name]
    cache = work / f"tasks-{tag}.pkl"
    if not cache.exists():
        tasks = _record_tasks(build_inputs(name, work, size, copies), work / f"run-{tag}")
        cache.write_bytes(pickle.dumps(tasks, protocol=pickle.HIGHEST_PROTOCOL))
    return pickle.loads(cache.read_bytes())


def canonical(results: list[dict]) -> list[dict]:
    """Every result in JSON-contract form (what analysis.json would hold for the story)."""
    out = []
    for res in results:
        out.append({"links": [lk.to_dict() for lk in res["links"]], "origins": res["origins"],
                    "origin_sources": res["origin_sources"], "facts": [f.to_dict() for f in res["facts"]],
                    "quotes": [q.to_dict() for q in res["quotes"]], "quote_groups": res["quote_groups"],
                    "claims": [c.to_dict() for c in res["claims"]],
                    "claim_groups": [g.to_dict() for g in res["claim_groups"]]})
    return out


def run_set(blobs: list[bytes], repeat: int) -> tuple[float, float, list[dict], dict]:
    """(best seconds of per_story_stages over all tasks, best baseline seconds, canonical
    results, counts with the best CPU seconds). Each repeat unpickles fresh tasks outside the timing."""
    from storytrace.pipeline import per_story_stages
    from storytrace.settings import Settings
    from storytrace.text import words

    settings = Settings()
    best, cpu, results = float("inf"), float("inf"), None
    for _ in range(repeat):
        tasks = [pickle.loads(b) for b in blobs]
        t0, c0 = time.perf_counter(), time.process_time()
        results = [per_story_stages(t, settings) for t in tasks]
        best = min(best, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    texts = [a.text for b in blobs for a in pickle.loads(b)["articles"]]
    base = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for t in texts:
            words(t)
        base = min(base, time.perf_counter() - t0)
    counts = {"stories": len(blobs), "articles": len(texts), "cpu_seconds": round(cpu, 4),
              "links": sum(len(r["links"]) for r in results)}
    return best, base, canonical(results), counts


def _json_default(value):
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(type(value).__name__)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="generated,demo,copies,wire")
    ap.add_argument("--work", default="/tmp/storytrace-per-story", help="cache of inputs and task pickles")
    ap.add_argument("--size", type=int, default=2000, help="articles in the generated corpus")
    ap.add_argument("--copies", type=int, default=5000, help="exact copies in the copies set")
    ap.add_argument("--wire", type=int, default=2000, help="exact copies in the wire set")
    ap.add_argument("--repeat", type=int, default=1, help="timed passes per set (best is kept)")
    ap.add_argument("--dump", help="write the canonical results (JSON) here")
    ap.add_argument("--label", default="", help="a name for this run in the printed JSON")
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    report, dump = {"label": args.label, "sets": {}}, {}
    for name in args.sets.split(","):
        blobs = load_tasks(name, work, args.size, args.wire if name == "wire" else args.copies)
        seconds, base, results, counts = run_set(blobs, args.repeat)
        text = json.dumps(results, sort_keys=True, ensure_ascii=False, default=_json_default)
        dump[name] = results
        report["sets"][name] = {**counts, "seconds": round(seconds, 4), "baseline_words_s": round(base, 4),
                                "ratio_to_baseline": round(seconds / base, 2),
                                "sha256": hashlib.sha256(text.encode()).hexdigest()[:16]}
        print(json.dumps({name: report["sets"][name]}), file=sys.stderr, flush=True)
    if args.dump:
        Path(args.dump).write_text(json.dumps(dump, sort_keys=True, ensure_ascii=False, indent=1,
                                              default=_json_default), encoding="utf-8")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
