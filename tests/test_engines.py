"""The same stages on every engine give identical results: in-process, a process pool, Dask."""
import json

import pytest

from storytrace.ingest import ingest
from storytrace.pipeline import analyze_store
from storytrace.settings import Settings
from storytrace.store import Store


def canonical(analysis) -> str:
    return json.dumps(analysis.to_dict(), sort_keys=True, default=str)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory, demo_dir):
    db = tmp_path_factory.mktemp("eng") / "s.db"
    with Store(db) as store:
        run = store.begin_run("ingest", [str(demo_dir)])
        ingest([str(demo_dir)], store, run, Settings())
        store.finish_run(run, "ok")
    return db


def run_engine(db, **kwargs) -> str:
    with Store(db) as store:
        return canonical(analyze_store(store, Settings(), **kwargs))


def test_local_pool_matches_in_process(demo_store, monkeypatch):
    import storytrace.engine.local as local
    single = run_engine(demo_store, engine="local", workers=1)
    monkeypatch.setattr(local, "MIN_ARTICLES_FOR_POOL", 1)
    monkeypatch.setattr(local, "CHUNK", 3)
    pooled = run_engine(demo_store, engine="local", workers=2)
    assert pooled == single


def test_dask_local_cluster_matches_local(demo_store, monkeypatch):
    pytest.importorskip("dask.distributed")
    import storytrace.engine.dask as dask_engine
    monkeypatch.setattr(dask_engine, "CHUNK", 4)  # several tasks, so ordering is exercised
    single = run_engine(demo_store, engine="local", workers=1)
    on_dask = run_engine(demo_store, engine="dask", workers=2)
    assert on_dask == single
