"""Run every reader's atheris harness for a while; report executions and findings.

    python tests/fuzz/run_fuzzers.py [--seconds 60] [--only html,jsonl] [--out fuzz-out]

Used by ``make fuzz`` (not part of ``make test``). Seeds come from the demo corpus and
small generated samples; crashes are saved as ``OUT/<target>-crash-*`` and listed in
``OUT/summary.json``. Exit status 1 when any target found a crash.
"""
from __future__ import annotations

import argparse
import bz2
import gzip
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEMO = REPO / "demo" / "corpus"
TARGETS = ["text", "html", "jsonl", "json", "csv", "warc", "warcgz", "feed", "gzip", "zip", "sniff"]
STORY = ("Rescue teams in Port Ellery searched the harbour on Tuesday after a fishing boat sank "
         "with six crew aboard. \"We have found two men alive,\" the coastguard said.")


def seeds(target: str) -> dict[str, bytes]:
    """A few valid and slightly broken inputs per format, to start from."""
    html = f"<html><head><title>Boat sinks</title></head><body><article><p>{STORY}</p></article></body></html>"
    warc_http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html.encode()
    warc = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/a\r\n"
            b"WARC-Date: 2025-06-16T07:30:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
            b"Content-Length: " + str(len(warc_http)).encode() + b"\r\n\r\n" + warc_http + b"\r\n\r\n")
    jsonl = (json.dumps({"id": "a1", "text": STORY, "title": "Boat", "published": "2025-06-16"}) + "\n"
             + json.dumps({"id": "a2", "html": html}) + "\n").encode()
    feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><item><title>Boat</title>'
            f'<link>https://news.example/a</link><description>&lt;p&gt;{STORY}&lt;/p&gt;</description></item>'
            f'</channel></rss>').encode()
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", "Boat sinks\n\n" + STORY)
        zf.writestr("b.jsonl", jsonl)
    base = {
        "text": {"story.txt": ("Boat sinks\n\n" + STORY).encode(), "front.md": b"---\nsource: X\n---\n# T\n\n" + STORY.encode()},
        "html": {"page.html": html.encode()},
        "jsonl": {"a.jsonl": jsonl},
        "json": {"a.json": json.dumps([{"id": "j", "text": STORY}]).encode()},
        "csv": {"a.csv": ("id,title,text\nc1,Boat,\"" + STORY.replace('"', '""') + "\"\n").encode()},
        "warc": {"a.warc": warc},
        "warcgz": {"a.warc.gz": gzip.compress(warc)},
        "feed": {"a.rss": feed},
        "gzip": {"a.txt.gz": gzip.compress(("Boat\n\n" + STORY).encode()), "b.txt.bz2": bz2.compress(STORY.encode())},
        "zip": {"a.zip": zbuf.getvalue()},
        "sniff": {"a": jsonl, "b": feed, "c": html.encode(), "d": warc},
    }[target]
    suffixes = {"text": (".txt", ".md"), "html": (".html",), "jsonl": (".jsonl",), "csv": (".csv",),
                "warc": (".warc",), "feed": (".rss", ".atom", ".xml")}.get(target, ())
    if DEMO.is_dir():
        for path in sorted(DEMO.iterdir()):
            if path.name.endswith(suffixes) and path.stat().st_size < 100_000:
                base[path.name] = path.read_bytes()
    return base


def run_target(target: str, seconds: int, out: Path) -> dict:
    corpus = out / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    for name, data in seeds(target).items():
        (corpus / name).write_bytes(data)
    cmd = [sys.executable, str(HERE / f"fuzz_{target}.py"), str(corpus), f"-max_total_time={seconds}",
           "-timeout=30", "-rss_limit_mb=3072", "-max_len=65536", f"-artifact_prefix={out}/{target}-",
           "-print_final_stats=1"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 300)
    log = proc.stdout + proc.stderr
    (out / f"{target}.log").write_text(log[-200_000:], encoding="utf-8")
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", log) or re.findall(r"Done (\d+) runs", log)
    crashes = sorted(p.name for p in out.glob(f"{target}-crash-*")) + sorted(
        p.name for p in out.glob(f"{target}-timeout-*")) + sorted(p.name for p in out.glob(f"{target}-oom-*"))
    finding = None
    if proc.returncode != 0:
        m = re.search(r"(Uncaught Python exception:.*?)(?:\n\n|==\d+==)", log, re.S)
        finding = (m.group(1) if m else log[-3000:]).strip()[-3000:]
    return {"target": target, "executions": int(runs[-1]) if runs else 0, "seconds": seconds,
            "exit": proc.returncode, "artifacts": crashes, "finding": finding}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=60, help="fuzzing time per target")
    ap.add_argument("--only", default="", help="comma-separated targets (default: all)")
    ap.add_argument("--out", default=str(REPO / "fuzz-out"))
    args = ap.parse_args()
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("atheris is not installed: pip install -e '.[fuzz]'", file=sys.stderr)
        return 2
    out = Path(args.out)
    shutil.rmtree(out / "corpus", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    targets = [t for t in (args.only.split(",") if args.only else TARGETS) if t]
    results = []
    for target in targets:
        result = run_target(target, args.seconds, out)
        results.append(result)
        status = "FINDING" if result["finding"] else "ok"
        print(f"{target:8s} {result['executions']:>9d} executions in {args.seconds}s  {status}", flush=True)
        if result["finding"]:
            print("    " + result["finding"][-1500:].replace("\n", "\n    "), flush=True)
    (out / "summary.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    total = sum(r["executions"] for r in results)
    print(f"total: {total} executions, {sum(1 for r in results if r['finding'])} targets with findings")
    return 1 if any(r["finding"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
