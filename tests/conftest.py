import json
from pathlib import Path

import pytest

# Sockets to anything but loopback fail for the whole suite, subprocesses included.
pytest_plugins = ["network_guard"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DEMO = REPO / "demo" / "corpus"


@pytest.fixture(scope="session")
def seeds_dir():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is absent")
    return SEEDS


@pytest.fixture(scope="session")
def demo_dir():
    return DEMO


@pytest.fixture(scope="session")
def demo_ingested(tmp_path_factory) -> Path:
    """A store holding the demo corpus, ingested once: tests that write copy it first."""
    from storytrace.ingest import ingest
    from storytrace.settings import Settings
    from storytrace.store import Store

    db = tmp_path_factory.mktemp("demo-ingested") / "ingested.db"
    with Store(db) as store:
        run = store.begin_run("ingest", [str(DEMO)])
        ingest([str(DEMO)], store, run, Settings())
        store.finish_run(run, "ok")
    return db


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
