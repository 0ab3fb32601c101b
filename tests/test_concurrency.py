"""Concurrency: readers keep working while a writer ingests.

Readers: `storytrace check --json` subprocesses, the web app (`storytrace serve`) over
HTTP on 127.0.0.1, and read-only Store connections in threads. Every read must succeed
and see a consistent snapshot (each article committed together with its version row).
"""
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from storytrace.store import Store

BIN = Path(sys.executable).parent / "storytrace"
ARTICLES = 3000


def corpus(path: Path) -> Path:
    rng = random.Random(11)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(ARTICLES):
            place = rng.choice(["Port Ellery", "Corran", "Kessick", "Alder Falls"])
            fh.write(json.dumps({"id": f"conc-{i:05d}", "source": f"outlet{i % 30}.example",
                                 "title": f"Flood report {i}",
                                 "text": f"Flood water rose in {place} on day {i}, the council said. "
                                         f"About {rng.randint(10, 900)} homes were evacuated overnight."}) + "\n")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.done: dict[str, int] = {}
        self.failed: list[str] = []

    def ok(self, kind):
        with self.lock:
            self.done[kind] = self.done.get(kind, 0) + 1

    def fail(self, kind, why):
        with self.lock:
            self.failed.append(f"{kind}: {why}")


def check_reader(db, stop, tally):
    last = 0
    while not stop.is_set():
        proc = subprocess.run([str(BIN), "check", "--json", "--db", str(db)], capture_output=True, text=True,
                              timeout=120)
        try:
            report = json.loads(proc.stdout)
            assert proc.returncode == 0 and report["ok"], proc.stderr[-500:]
            assert report["articles"] >= last, "article count went backwards"
            last = report["articles"]
            tally.ok("check --json")
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            tally.fail("check --json", repr(exc))


def store_reader(db, stop, tally):
    last = 0
    while not stop.is_set():
        try:
            with Store(db, readonly=True) as store:
                with store.conn:  # one read transaction: one snapshot
                    store.conn.execute("BEGIN")
                    n = store.count("articles")
                    versions = store.conn.execute(
                        "SELECT count(DISTINCT article_id) FROM article_versions").fetchone()[0]
                    ids = [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY random() LIMIT 5")]
                    arts = list(store.iter_articles(ids))
                    store.search("flood council")
            assert n == versions, f"{n} articles but {versions} with versions: a torn write"
            assert n >= last, "article count went backwards"
            assert all(a.text.startswith("Flood water") for a in arts)
            last = n
            tally.ok("Store(readonly)")
        except Exception as exc:  # noqa: BLE001
            tally.fail("Store(readonly)", repr(exc))
        time.sleep(0.01)


def web_reader(base, stop, tally):
    while not stop.is_set():
        try:
            with urllib.request.urlopen(base + "/index.json", timeout=30) as resp:
                assert resp.status == 200
                json.loads(resp.read())
            tally.ok("web app")
        except Exception as exc:  # noqa: BLE001
            tally.fail("web app", repr(exc))
        time.sleep(0.05)


def wait_for(base, proc, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"web app exited: {proc.stderr.read()[-2000:]}")
        try:
            with urllib.request.urlopen(base + "/index.json", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("web app did not start")


@pytest.mark.slow
def test_readers_keep_working_while_a_writer_ingests(tmp_path):
    db = tmp_path / "store.db"
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps({"id": "conc-seed", "title": "Flood seed",
                                 "text": "Flood water rose in Corran, the council said."}) + "\n")
    subprocess.run([str(BIN), "ingest", str(first), "--db", str(db)], check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    web = subprocess.Popen([str(BIN), "serve", "--db", str(db), "--port", str(port)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stop, tally = threading.Event(), Tally()
    try:
        wait_for(base, web)
        readers = [threading.Thread(target=check_reader, args=(db, stop, tally)),
                   threading.Thread(target=store_reader, args=(db, stop, tally)),
                   threading.Thread(target=store_reader, args=(db, stop, tally)),
                   threading.Thread(target=web_reader, args=(base, stop, tally))]
        for t in readers:
            t.start()
        writer = subprocess.run([str(BIN), "ingest", str(corpus(tmp_path / "big.jsonl")), "--db", str(db)],
                                capture_output=True, text=True, timeout=600,
                                env={**os.environ, "STORYTRACE_BATCH_SIZE": "50"})
        time.sleep(0.5)  # a few reads of the finished store too
        stop.set()
        for t in readers:
            t.join(timeout=180)
    finally:
        stop.set()
        web.terminate()
        web.wait(timeout=30)
    assert writer.returncode == 0, writer.stderr[-2000:]
    assert tally.failed == [], tally.failed[:5]
    assert all(tally.done.get(k, 0) >= 2 for k in ("check --json", "Store(readonly)", "web app")), tally.done
    with Store(db, readonly=True) as store:
        assert store.count("articles") == ARTICLES + 1
    print(f"concurrent reads while ingesting {ARTICLES} articles: {tally.done}, failed {len(tally.failed)}")
