"""A real storytrace web server on a free 127.0.0.1 port, for the web and browser tests."""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from storytrace.ids import content_hash
from storytrace.report import write_reports
from storytrace.store import Store


def build_store(folder: Path, analysis) -> Path:
    """Store an Analysis as `analyze --out` would: the SQLite store plus the written dossiers."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "storytrace.db"
    with Store(db) as store:
        run = store.begin_run("test", [])
        for art in analysis.articles:
            art.content_hash = art.content_hash or content_hash(art.text)
        store.ingest_batch(run, analysis.articles)
        store.write_analysis(analysis)
        store.finish_run(run, "ok")
    write_reports(analysis, folder)
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(db: Path):
    import uvicorn

    from storytrace.web import create_app

    port = free_port()
    config = uvicorn.Config(create_app(db, "127.0.0.1", port), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 15
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
