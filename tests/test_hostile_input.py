"""Hostile input through the real command line, each case under a time and memory limit.

Every case ends in a clear error naming the input (or a correct result): never a
traceback, never a hang, never a file read from outside the input folder.
"""
import json
import os
import re
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hostile import CASES, SECRET

BIN = Path(sys.executable).parent / "storytrace"
MEMORY_LIMIT = 3 * 1024**3  # address space per run: a bomb that inflates in memory dies here


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_cli(args, seconds):
    start = time.monotonic()
    proc = subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=seconds,
                          preexec_fn=_limits, stdin=subprocess.DEVNULL)
    return proc, time.monotonic() - start


def stored(db: Path):
    conn = sqlite3.connect(db)
    try:
        texts = [r[0] for r in conn.execute("SELECT text FROM articles ORDER BY id")]
        errors = conn.execute("SELECT source, record, code, message FROM errors").fetchall()
    finally:
        conn.close()
    return texts, errors


def no_secret_in(folder: Path) -> bool:
    """The secret planted outside the input is in no file the run wrote (db, WAL, outputs)."""
    needle = SECRET.encode()
    for path in folder.rglob("*"):
        if path.is_file() and needle in path.read_bytes():
            return False
    return True


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case, tmp_path):
    inputs_dir, outside, work = tmp_path / "in", tmp_path / "outside", tmp_path / "work"
    for d in (inputs_dir, outside, work):
        d.mkdir()
    inputs = case.build(inputs_dir, outside)
    db = work / "store.db"
    proc, took = run_cli(["ingest", *inputs, "--db", str(db)], case.seconds)

    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr[-3000:])
    texts, errors = stored(db)
    codes = {e[2] for e in errors}
    if case.codes:
        assert codes & case.codes, f"expected one of {case.codes}, got {codes}"
    if case.articles is not None:
        assert len(texts) == case.articles, (len(texts), errors[:10])
    assert len(texts) >= case.min_articles
    if case.text_check:
        assert case.text_check(texts)
    # each error names the input it came from, and says so on stderr too
    for source, record, code, message in errors:
        assert source and (source.startswith(str(inputs_dir)) or source == "-"), source
        assert message
    printed = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(printed) == len(errors)
    assert all(str(inputs_dir) in line for line in printed)
    assert no_secret_in(work)
    assert all(SECRET not in t for t in texts)
    # the store is sound afterwards
    check, _ = run_cli(["check", "--json", "--db", str(db)], 60)
    assert check.returncode == 0 and json.loads(check.stdout)["ok"]
    print(f"{case.name}: {len(texts)} articles, {len(errors)} errors {sorted(codes)}, {took:.1f}s")


def test_unknown_inputs_and_bad_store_are_clear_errors(tmp_path):
    proc, _ = run_cli(["ingest", str(tmp_path / "missing.txt"), "--db", str(tmp_path / "s.db")], 60)
    assert proc.returncode == 1 and "missing.txt" in proc.stderr and "Traceback" not in proc.stderr
    not_a_db = tmp_path / "garbage.db"
    not_a_db.write_bytes(os.urandom(8192))
    proc, _ = run_cli(["check", "--db", str(not_a_db)], 60)
    assert proc.returncode == 3 and "garbage.db" in proc.stderr and "Traceback" not in proc.stderr
    proc, _ = run_cli(["ingest", str(tmp_path), "--db", str(not_a_db)], 60)
    assert proc.returncode == 3 and "garbage.db" in proc.stderr and "Traceback" not in proc.stderr


def test_stdin_with_hostile_bytes(tmp_path):
    data = os.urandom(100_000)
    proc = subprocess.run([str(BIN), "ingest", "-", "--db", str(tmp_path / "s.db")], input=data,
                          capture_output=True, timeout=60, preexec_fn=_limits)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in err and re.search(r"error: -: ", err)


# -- regressions found by fuzzing (tests/fuzz): each input once crashed a reader --

FUZZ_FINDINGS = {
    # dateutil raised decimal.InvalidOperation on a long digit run in a time
    "front-matter-date.md": b"---\nsource: Harbourside Review\npublished: 2025-06-16T07:30222222222222222222"
                            b"22222222222222:00+00:00\n---\nThe Corran Star was a disaster\n\nSeventeen people "
                            b"are now known to have died.\n",
}


@pytest.mark.parametrize("name", sorted(FUZZ_FINDINGS))
def test_fuzz_findings_stay_fixed(name, tmp_path):
    from storytrace.ingest import iter_articles
    from storytrace.model import RecordError
    from storytrace.settings import Settings

    path = tmp_path / name
    path.write_bytes(FUZZ_FINDINGS[name])
    items = list(iter_articles([str(path)], Settings()))
    assert items and not any(isinstance(i, RecordError) and i.code == "internal-error" for i in items)
