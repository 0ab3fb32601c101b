"""Hostile input through the real command line (`storytrace analyze`: ingest and every
stage), each case under a time and memory limit.

Every case ends in a clear error naming the input (or a correct result): never a
traceback, never a hang, never a file read from outside the input folder.
"""
import base64
import json
import os
import re
import resource
import sqlite3
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hostile import CASES, SECRET
from spans import span_problems

BIN = Path(sys.executable).parent / "storytrace"
MEMORY_LIMIT = 3 * 1024**3  # address space per run: a bomb that inflates in memory dies here


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _limits_in_own_group():
    os.setsid()  # its own process group, so a timeout also ends the worker processes it starts
    _limits()


def run_cli(args, seconds, env=None):
    start = time.monotonic()
    with subprocess.Popen([str(BIN), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          preexec_fn=_limits_in_own_group, stdin=subprocess.DEVNULL,
                          env={**os.environ, **(env or {})}) as child:
        try:
            out, err = child.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            raise
    proc = subprocess.CompletedProcess(child.args, child.returncode, out, err)
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


def _param(case):
    # A case that exposes a bug in a stage outside ingest stays strict: it fails loudly
    # (XPASS) once the stage is fixed, so the marker is removed and the case guards it.
    marks = [pytest.mark.xfail(strict=True, reason=case.known_bug)] if case.known_bug else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hostile_input(case, tmp_path):
    inputs_dir, outside, work = tmp_path / "in", tmp_path / "outside", tmp_path / "work"
    for d in (inputs_dir, outside, work):
        d.mkdir()
    inputs = case.build(inputs_dir, outside)
    db, out = work / "store.db", work / "out"
    proc, took = run_cli(["analyze", *inputs, "--out", str(out), "--db", str(db)], case.seconds, case.env)

    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr[-3000:])
    texts, errors = stored(db)
    codes = {e[2] for e in errors}
    if case.codes:
        assert codes & case.codes, f"expected one of {case.codes}, got {codes}"
    if case.articles is not None:
        assert len(texts) == case.articles, (len(texts), errors[:10])
    assert len(texts) >= case.min_articles
    if case.errors is not None:
        assert len(errors) == case.errors, errors
    if case.text_check:
        assert case.text_check(texts)
    # each error names the input it came from, and says so on stderr too
    for source, record, code, message in errors:
        assert source and (source.startswith(str(inputs_dir)) or source == "-"), source
        assert message
    printed = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(printed) == len(errors)
    # the analysis is complete and every span in it holds
    result = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert len(result["articles"]) == len(texts)
    assert span_problems(result) == []
    if case.result_check:
        assert case.result_check(result)
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
    # zipfile raised NotImplementedError ("zip file version 10.6") on a damaged central directory
    "damaged.zip": base64.b64decode('UEsDBBQAAAAIAEM+d10Pnx9xhAAAAKsAAAAFAAAAYS50eHQdzcEKgzAQhOG7Tw82dzIXjdSEqpGFrTms////////////////////////////////////////////VkRW67z1amkkBjZdRsfm3/9IVmNy/+e4WhNUJXT6yQ9QSwECFANqaSQGNl1Gx+bf/0hWY3L/AABV////+v8ABwAAAAAAAAAAgAEAAAAAYS50eHRQSwECFAMUAAAACABDPndd1N9kI/QAAAD6AQAABwAAAABbAAAAAAAAgAGnAAAAYi5qc29ubFBLBQYAAAAAAgACAGgAAADAAQAAAAA='),
    # feedparser gave a None content value for a mangled <content:encoded> element
    "mangled.rss": base64.b64decode('PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz4KPHJzcyB2ZXJzaW9uPSIyLjAiIHhtbG5zOmNvbnRlbnQ9Imh0dHA6Ly9wdXJsLm9yZy9yc3MvMS4wL21vZHVsZXMvY29udGVudC8iPgo8Y2hhbm5lbD4KICA8dGl0bGU+Tm9ydGhlcm4gTGVkZ2VyPC90aXRsZT4KICA8bGluaz5odHRwczovL25vcnRoZXJubGVkZ2VyLmV4YW1wbGUvPC9saW5rPgogIDxkZXNjcmlwdGlvbj5GaWN0aW9uYWwgYXJ0aWNsZSB3cml0dGVuIGZvciB0aGUgc3Rvcnl0cmFjZSBkZW1vLiBPdXRsZXRzLCBwZW9wbGUgYW5kIGV2ZW50cyBhcmUgaW52ZW50ZWQuPC9kZXNjcmlwdGlvbj4KICA8aXRlbT4KICAgIDx0aXRsZT5Db3JyYW4gU3RhcjogdHdlbHZlIGRpZSBpbiBmZXJyeSBibGF6ZTwvdGl0bmU+CiAgICA8bGluaz5odHRwczovL25vcnRoZXJubGVkZ2VyLmV4YW1wbGUvMjAyNS8wNi8xNC9jb3JyYW4tc3Rhci1maXJlPC9saW5rPgogICAgPGd1aWQgaXNQZXJtYUxpbms9ImZhbHNlIj5ubC1mZXJyeS1maXJlLTE8L2d1aWQ+CiAgICA8cHViRGF0ZT5TYXQsIDE0IEp1biAyMDI1IDExOjAwOjAwICswMDAwPC9wdWJEYXRlPgogICAgPGNvbnRlbnQ6ZW5jb2RlZD4mbHQ7cCZndDtQT1JUIEVMTEVSWSwgSnVuZSAxNCAoTVBBKSAtIEF0IGxlYXN0IDEyIHBlb3BsZSB3ZXJlIGtpbGxlZCB3aGVuIGEgYmxhemUgYnJva2Ugb3V0IGFib2FyZCB0aGUgcGFzc2VuZ2VyIGZlcnJ5IENvcnJhbiBTdGFyIGxhdGUgb24gRnJpZGF5LCBwb3J0IG9mZmljaWFscyBzYWlkLiZsdDsvcCZndDsmbHQ7cCZndDtUaGUgZmVycnkgaGFkIG1vcmUgdGhhbiAyMDAgcGFzc2VuZ2VycyBhbmQgMzEgY3JldyBhYm9hcmQgZm9yIHRoZSBuaWdodCBzYWlsaW5nIHRvIFNrZXJyYSBJc2xhbmQgd2hlbiB0aGUgZmlyZSBicm9rZSBvdXQgb24gaXRzIHZlaGljbGUgZGVjayBzaG9ydGx5IGFmdGVyIDEwIHAubS4mbHQ7L3AmZ3Q7Jmx0O3AmZ3Q7JmFtcDtxdW90O1dlIGdvdCBldmVyeSBsaWZlYm9hdCBpbiB0aGUgd2F0ZXIgd2l0aGluIGVsZXZlbiBtaW51dGVzLiBUaGUgY3JldyBkaWQgZXZlcnl0aGluZyByaWdodCwmYW1wO3F1b3Q7IGhhcmJvdXIgbWFzdGVyIEVsZW5hIE1hcnNoIHRvbGQgcmVwb3J0ZXJzIGF0IHRoZSBxdWF5c2lkZS4mbHQ7L3AmZ3Q7Jmx0O3AmZ3Q7Q29hc3RndWFyZCB2ZXNzZWxzIGFuZCBmaXNoaW5nIGJvYXRzIHB1bGxlZCBzdXJ2aXZvcnMgZnJvbSB0aGUgd2F0ZXIgZm9yIG1vcmUgdGhhbiBmb3VyIGhvdXJzLiBBYm91dCA0MCBwZW9wbGUgd2VyZSB0YWtlbiB0byBob3NwaXRhbCwgc29tZSB3aXRoIHNlcmlvdXMgYnVybnMuJmx0Oy9wJmd0OyZsdDtwJmd0O1RoZSBjYXVzZSBvZiB0aGUgZmlyZSB3YXMgbm90IHlldCBrbm93bi4gVGhlIGZlcnJ5JmFtcDsjeDI3O3Mgb3BlcmF0b3IsIENvcnJhbiBMaW5lcywgc2FpZCBpbiBhIHN0YXRlbWVudCB0aGF0IGl0IHdhcyBjb29wZXJhdGluZyBmdWxseSB3aXRoIGludmVzdGlnYXRvcnMuJmx0Oy9wJmd0OyZsdDtwJmd0O1RoZSBDb3JyYW4gU3RhciwgYnVpbHQgaW4gMTk5OCwgd2FzIGluc3BlY3RlZCBpbiBNYXJjaCBhbmQgcGFzc2VkLCBhY2NvcmRpbmcgdG8gdGhlIG1hcml0aW1lIHNhZmV0eSBhZ2VuY3kuJmx0Oy9wJmd0OyZsdDtwJmd0O0luIER1bm1vcmUsIHdoZXJlIHNldmVyYWwgb2YgdGhlIHBhc3NlbmdlcnMgbGl2ZWQsIHRoZSB0b3duIGNvdW5jaWwgb3BlbmVkIGl0cyBoYWxsIHRvIGZhbWlsaWVzIHdhaXRpbmcgZm9yIG5ld3MuJmx0Oy9wJmd0OzwvY29udGVudDplbmNvZGVkPgogIDwvaXRlbT4KICA8aXRlbT4KICAgIDx0aXRsZT5UaHJlZSBkZWFkIGluIEFsZGVyIEZhbGxzIGVhcnRocXVha2U8L3RpdGxlPgogICAgPGxpbms+aHR0cHM6Ly9ub3J0aGVybmxlZGdlci5leGFtcGxlLzIwMjUvMDMvMTkvYWxkZXItZmFsbHMtcXVha2U8L2xpbms+CiAgICA8Z3VpZCBpc1Blcm1hTGluaz0iZmFsc2UiPm5sLWFsZGVyLWZhbGxzLXF1YWtlPC9ndWlkPgogICAgPHB1YkRhdGU+V2VkLCAxOSBNYXIgMjAyNSAxMTo0MDowMCArMDAwMDwvcHViRGF0ZT4KICAgIDxjb250ZW50OmVuY29kZWQ+Jmx0O3AmZ3Q7VGhyZWUgcGVvcGxlIGRpZWQgYW5kIDE0IHdlcmUgaW5qdXJlZCB3aGVuIGEgbWFnbml0dWRlIDUuNCBlYXJ0aHF1YWtlIHN0cnVjayBBbGRlciBGYWxscyBpbiBzb3V0aGVybiBWZWxtb3JhIG9uIFdlZG5lc2RheSwgdGhlIHRvd24mYW1wOyN4Mjc7cyBtYXlvciBzYWlkLiZsdDsvcCZndDsmbHQ7cCZndDtNYXlvciBMZW5hIE9kdXlhIHNhaWQgdGhlIG9sZCByYWlsd2F5IGJyaWRnZSBoYWQgYmVlbiBjbG9zZWQgYWZ0ZXIgY3JhY2tzIGFwcGVhcmVkIGluIGl0cyBtYWluIGFyY2guICZhbXA7cXVvdDtXZSBhcmUgbHVja3kgaXQgaGFwcGVuZWQgYWZ0ZXIgdGhlIG1vcm5pbmcgdHJhaW5zIGhhZCBwYXNzZWQsJmFtcDtxdW90OyBzaGUgc2FpZC4mbHQ7L3AmZ3Q7Jmx0O3AmZ3Q7VGhlIFZlbG1vcmEgU2Vpc21pYyBJbnN0aXR1dGUgc2FpZCB0aGUgcXVha2Ugd2FzIG5vdCBsaW5rZWQgdG8gdGhlIG9uZSB0aGF0IHN0cnVjayBLZXNzaWNrIG9uIE1hcmNoIDMuJmx0Oy9wJmd0OzwvY29udGVudDplbmNvZGVkPgogIDwvaXRlbT4KPC9jaGFubmVsPgo8L3Jzcz4K'),
    # zipfile.ZipInfo.is_dir raised IndexError for a member with an empty name
    "empty-name.zip": base64.b64decode('UEsDBBQAAAAIAG4+d10Pnx9xhAAAAKsAAAAFAAAAYS50eHQdzcEKgzAQhOG7TzF4Lj5EofdSCj2vyWqCmoXdjda3b+p5hu+/Czksl8W67sUWKsOZNkMueIo6HuvKesKYNCSO8MRIpKNUhRS8K1ukEzQ5KwhTtpTLjPFyqSw4sqdW+CIoH6A2aBzQf/7MzpiklqYego0LaM07sEsvSqzUpo4dbKVpKHv32Q7bM+wmfZK+Hz2FUeINBB7EBgTTg3P3QbGbCJhwiGAcvPvAcLaWwgKRMHSaFLAm8BhaPwXwDj4nigoXwJ4pAEJvojbuCq1HhojuBrNh67z1amkkBjZdRsfm3/9IVmNy/+e4WhNUJXT6yQ9QSwECFAMUAAAACABuPnddD58fcYQAAACrAAAABQAAAAB0+skPUEsBAhQDFAAAAAgAbj53XQ+fH3GEAAAAqwAAAAUAAAAAAAAAAAAAAIABAAAAAGEudHh0UEsBAhQDFAAAAAgAbj53XVBLBQYAAAAAAgACAGgAAADAAQAAAAA='),
    # feedparser raised UnicodeDecodeError on a non-UTF-8 byte in the XML declaration
    "bad-declaration.rss": base64.b64decode('PD94bX9/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f39/f2wgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTggYnJva2Ugb3V0IGFib2FyZCB0aGUgcGFzc2VuZ2VyIGZlcnJ5IENvcnJhbiBTdGFyIGxhdGUgb24gRnJpZGF5LCBwb3J0IG9mZmljaWFscyBzYWlkLiZsdDsvcCZndDsmbHQ7cCZndDtUaGUgZmVycnkgaGFkIG1vcmUgdGhhbiAyMDAgcGFzc2VuZ2VycyBhbmQgMzEgY3JldyBhYm9hcmQgZm9yIHRoZSBuaWdodCBzYWlsaW5nIHRvIP//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////U2tlcnJhIElzbGFuZCB3aGVuIHRoZSBmaXJlIGJyb2tlIG91dCBvbiBpdHMgdmVoaWNsZSBkZWNrIHNob3J0bHkgYWZ0ZXIgMTAgcC5tLiZsdDs8P3htbCB2ZXJzaW9uPSIxLjAiPz48cnNzIHZlcnNpb249IjIuMCI+PGNoYW5uZWw+PHRpdGxlPk5ld3M8L3RpdGxlPjxpMWVtPjx0aXRsZT5Cb2F0PC90aXRsZT48bGluPmt0aHRwczovL25ld3MuZXhhbXBsZS9hPC9saW5rPjxkZXNjcmlwdGlvbj4mbHQ7cCZndDtSZXNjdWUgdGVhbXMgaW4gUG9ydCBFbGxlcnkgc2VhcmMvcCZndDsmbHQ7cCZndDsmYW1wO3F1b3Q7aGVkIHRoZVdlICBoYXJib3VyZ290ILa2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tiA='),
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
