"""Crash safety: SIGKILL `storytrace ingest` (and `analyze`) at random moments.

After every kill `storytrace check --json` passes, and finishing the work afterwards
gives the same store content as one clean, uninterrupted run.
"""
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "storytrace"
ARTICLES = 2000
KILLS = 8
STORES = 4  # stores killed KILLS // STORES times each, then finished and compared
PLACES = ["Port Ellery", "Corran", "Kessick", "Alder Falls", "Mistle Bay", "Velmora", "Harrow Point"]


def corpus(folder: Path) -> list[str]:
    """Thousands of fictional articles: JSONL, plain-text files and a gzipped JSONL."""
    rng = random.Random(7)
    records = []
    for i in range(ARTICLES):
        place = rng.choice(PLACES)
        n = rng.randint(2, 500)
        text = (f"Officials in {place} said on day {i} that {n} homes were damaged by a storm. "
                f"\"We are assessing item {i} and expect more reports,\" said councillor {i % 97}. "
                f"Crews cleared {rng.randint(1, 90)} roads overnight, the {place} council said.")
        records.append({"id": f"crash-{i:05d}", "source": f"outlet{i % 40}.example", "text": text,
                        "published": f"2025-0{1 + i % 9}-1{i % 10}T08:00:00Z", "title": f"Storm report {i}"})
    jsonl = folder / "a.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records[: ARTICLES // 2]), encoding="utf-8")
    texts = folder / "texts"
    texts.mkdir()
    for r in records[ARTICLES // 2:]:
        (texts / f"{r['id']}.txt").write_text(r["title"] + "\n\n" + r["text"], encoding="utf-8")
    return [str(jsonl), str(texts)]


def env(batch: int = 40) -> dict:
    # Small batches: more transactions in flight, more moments where a kill can land mid-commit.
    return {**os.environ, "STORYTRACE_BATCH_SIZE": str(batch)}


def check_ok(db: Path) -> dict:
    proc = subprocess.run([str(BIN), "check", "--json", "--db", str(db)], capture_output=True, text=True,
                          timeout=120, env=env())
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["ok"], (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    return report


def dump(db: Path):
    """Canonical store content: articles and their versions."""
    conn = sqlite3.connect(db)
    try:
        arts = conn.execute("SELECT id, content_hash, version, text, title, source, published, url "
                            "FROM articles ORDER BY id").fetchall()
        versions = conn.execute("SELECT article_id, version, content_hash FROM article_versions "
                                "ORDER BY article_id, version").fetchall()
        return arts, versions
    finally:
        conn.close()


def kill_at_random(args: list[str], rng: random.Random, low: float, high: float) -> bool:
    """Start the command, SIGKILL it after a random delay; True when it was still running."""
    proc = subprocess.Popen([str(BIN), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env())
    try:
        proc.wait(timeout=rng.uniform(low, high))
        return False  # finished before the kill
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return True


@pytest.mark.slow
def test_ingest_survives_sigkill_at_random_moments(tmp_path):
    inputs = corpus(tmp_path)
    clean = tmp_path / "clean.db"
    start = time.monotonic()
    subprocess.run([str(BIN), "ingest", *inputs, "--db", str(clean)], timeout=600, capture_output=True, env=env())
    full = time.monotonic() - start
    expected = dump(clean)
    assert len(expected[0]) == ARTICLES

    rng = random.Random(2024)
    kills, stored_at_kill = 0, []
    for store_no in range(STORES):
        db = tmp_path / f"killed{store_no}.db"
        for _ in range(KILLS // STORES):  # kill the same store repeatedly: a fresh one, then a half-written one
            if kill_at_random(["ingest", *inputs, "--db", str(db)], rng, 0.3, full):
                kills += 1
            stored_at_kill.append(check_ok(db)["articles"])
        final = subprocess.run([str(BIN), "ingest", *inputs, "--db", str(db)], timeout=600,
                               capture_output=True, text=True, env=env())
        assert final.returncode == 0, final.stderr[-2000:]
        assert dump(db) == expected
        report = check_ok(db)
        assert len(report["interrupted_runs"]) >= 1  # killed runs show as interrupted, not finished
    assert kills >= KILLS * 2 // 3
    assert any(0 < n < ARTICLES for n in stored_at_kill)  # some kills landed mid-ingest
    print(f"ingest: {kills} SIGKILLs survived (articles stored at each kill: {stored_at_kill}); "
          f"every store equals a clean run ({ARTICLES} articles) after one more run")


@pytest.mark.slow
def test_analyze_survives_sigkill(tmp_path):
    inputs = corpus(tmp_path)
    # a few hundred articles: enough stages to kill in the middle of, quick to finish
    small = tmp_path / "small.jsonl"
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()[:80]
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    clean_out, killed_out = tmp_path / "clean", tmp_path / "killed"
    subprocess.run([str(BIN), "analyze", str(small), "--out", str(clean_out)], timeout=600,
                   capture_output=True, env=env())
    rng = random.Random(99)
    kills = 0
    start = time.monotonic()
    subprocess.run([str(BIN), "analyze", str(small), "--out", str(tmp_path / "timing")], timeout=600,
                   capture_output=True, env=env())
    full = time.monotonic() - start
    for _ in range(3):
        if kill_at_random(["analyze", str(small), "--out", str(killed_out)], rng, 0.5, full):
            kills += 1
        check_ok(killed_out / "storytrace.db")
    final = subprocess.run([str(BIN), "analyze", str(small), "--out", str(killed_out)], timeout=600,
                           capture_output=True, text=True, env=env())
    assert final.returncode == 0, final.stderr[-2000:]
    a = json.loads((clean_out / "analysis.json").read_text(encoding="utf-8"))
    b = json.loads((killed_out / "analysis.json").read_text(encoding="utf-8"))
    for key in ("articles", "stories", "links", "quotes", "claims", "claim_groups"):
        assert a[key] == b[key], key
    assert dump(clean_out / "storytrace.db") == dump(killed_out / "storytrace.db")
    print(f"analyze: {kills} SIGKILLs survived; final analysis equals a clean run")
