"""The same stages on every engine give identical results: in-process, a process pool, and a
real Dask LocalCluster with 2 workers. Compared as canonical dumps of the stores written."""
import json
import shutil
from pathlib import Path

import pytest

from storytrace.engine import balanced_batches, get_engine
from storytrace.engine.dump import canonical_dump
from storytrace.engine.parts import read_part, write_part
from storytrace.gc_pace import YOUNG_OBJECTS
from storytrace.ingest import ingest
from storytrace.pipeline import analyze_store
from storytrace.settings import Settings
from storytrace.store import Store


@pytest.fixture(scope="module")
def demo_store(demo_ingested):
    return demo_ingested


def run_engine(ingested, tmp_path, name, settings=Settings(), **kwargs) -> tuple[str, str]:
    """Analyse a copy of the ingested store; (canonical dump of the store, analysis JSON)."""
    db = tmp_path / f"{name}.db"
    shutil.copy(ingested, db)
    with Store(db) as store:
        analysis = analyze_store(store, settings, **kwargs)
        store.write_analysis(analysis)
    return canonical_dump(db), json.dumps(analysis.to_dict(), sort_keys=True, default=str)


@pytest.fixture(scope="module")
def in_process(demo_store, tmp_path_factory):
    return run_engine(demo_store, tmp_path_factory.mktemp("single"), "single", engine="local", workers=1)


def test_in_process_run_has_results(in_process):
    dump, _ = in_process
    tables = {line.split("\t", 1)[0] for line in dump.splitlines()}
    assert {"articles", "stories", "links", "quotes", "claims", "claim_groups"} <= tables


def test_local_pool_matches_in_process(demo_store, in_process, tmp_path, monkeypatch):
    import storytrace.engine.local as local
    monkeypatch.setattr(local, "MIN_ARTICLES_FOR_POOL", 1)
    monkeypatch.setattr(local, "CHUNK", 3)
    # In batches of stories (one batch in process): the pool runs one round per batch and stage.
    batched = Settings(analysis_batch_articles=5)
    assert run_engine(demo_store, tmp_path, "pool", batched, engine="local", workers=2) == in_process


def test_pool_analyses_articles_while_the_stories_are_found(demo_store, in_process, tmp_path, monkeypatch):
    """On a pool the per-article stages start before duplicates and stories and run
    meanwhile: their results are arriving in the temp file before the stories stage ends,
    and the file is gone after the run."""
    import time

    import storytrace.engine.local as local
    import storytrace.stages.stories_incremental as stories_stage

    monkeypatch.setattr(local, "MIN_ARTICLES_FOR_POOL", 1)
    monkeypatch.setattr(local, "CHUNK", 3)
    real_stage = stories_stage.stories_for_store
    seen = []

    def stories_after_some_results(store, *args, **kwargs):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            spooled = list(Path(store.path).parent.glob(".storytrace-ahead-*.tmp"))
            if spooled and spooled[0].stat().st_size > 0:
                break
            time.sleep(0.05)
        seen.append(spooled[0].stat().st_size if spooled else 0)
        return real_stage(store, *args, **kwargs)

    monkeypatch.setattr(stories_stage, "stories_for_store", stories_after_some_results)
    assert run_engine(demo_store, tmp_path, "ahead", engine="local", workers=2) == in_process
    assert seen and seen[0] > 0
    assert not list(tmp_path.glob(".storytrace-ahead-*"))


def test_the_next_batch_of_stories_is_analysed_while_a_batch_is_written(demo_store, tmp_path, monkeypatch):
    """The story stages of a batch run on the pool while this process stores the batch
    before it: when a batch is handed over to be written, the workers have already begun
    the next batch's stories (they note each story in a file)."""
    import time

    import storytrace.engine.local as local
    import storytrace.pipeline as pipeline

    monkeypatch.setattr(local, "MIN_ARTICLES_FOR_POOL", 1)
    real_stages, real_batches = pipeline.per_story_stages, pipeline.story_batches
    noted = tmp_path / "analysed.txt"

    def noting_stages(task, settings):  # runs in the forked workers
        with open(noted, "a", encoding="utf-8") as fh:
            fh.write(task["story"] + "\n")
        return real_stages(task, settings)

    batches: list[set[str]] = []

    def listed_batches(analysis, max_articles):
        parts = list(real_batches(analysis, max_articles))
        batches.extend({s.id for s in part.stories} for part in parts)
        return iter(parts)

    monkeypatch.setattr(pipeline, "per_story_stages", noting_stages)
    monkeypatch.setattr(pipeline, "story_batches", listed_batches)
    next_begun = []

    def write(part):
        k = batches.index({s.id for s in part.stories})
        if k + 1 < len(batches):
            deadline = time.monotonic() + 60
            while not (noted.exists() and batches[k + 1] & set(noted.read_text(encoding="utf-8").split())):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            next_begun.append(batches[k + 1] & set(noted.read_text(encoding="utf-8").split()) != set())

    db = tmp_path / "overlap.db"
    shutil.copy(demo_store, db)
    with Store(db) as store:
        analyze_store(store, Settings(analysis_batch_articles=5), engine="local", workers=2, on_batch=write)
    assert len(next_begun) == len(batches) - 1 >= 2
    assert all(next_begun)


def test_a_failing_article_task_fails_the_run_and_leaves_no_temp_file(demo_store, tmp_path, monkeypatch):
    import storytrace.engine.local as local
    import storytrace.pipeline as pipeline

    monkeypatch.setattr(local, "MIN_ARTICLES_FOR_POOL", 1)
    monkeypatch.setattr(local, "CHUNK", 3)

    def broken(article, settings):
        raise ValueError(f"cannot analyse {article.id}")

    monkeypatch.setattr(pipeline, "per_article_stages", broken)  # the pool forks after this
    with pytest.raises(ValueError, match="cannot analyse"):
        run_engine(demo_store, tmp_path, "broken", engine="local", workers=2)
    assert not list(tmp_path.glob(".storytrace-ahead-*"))


def test_dask_local_cluster_matches_local(demo_store, in_process, tmp_path, monkeypatch):
    pytest.importorskip("dask.distributed")
    import storytrace.engine.dask as dask_engine
    monkeypatch.setattr(dask_engine, "CHUNK", 4)  # several tasks, so ordering is exercised
    on_dask = run_engine(demo_store, tmp_path, "dask", Settings(analysis_batch_articles=5), engine="dask", workers=2)
    assert on_dask == in_process
    assert not list(tmp_path.glob("dask.db.parts/**/*.pkl"))  # every part was loaded and removed


def _pipelines_to_load() -> int:
    """How many of the per-article pipelines this process had still to load."""
    from storytrace import nlp
    from storytrace.stages.claims import TAGGER
    from storytrace.stages.quotes import NER_ONLY

    before = nlp._load.cache_info().misses
    nlp.load_english(TAGGER), nlp.load_english(NER_ONLY)
    return nlp._load.cache_info().misses - before


def test_a_prepared_pool_loads_the_models_before_its_first_task():
    """``prepare`` (called as ingest stores articles) starts the pool only for a run big
    enough to use it, and each worker loads the per-article pipelines as it starts."""
    from storytrace import nlp
    from storytrace.engine.local import MIN_ARTICLES_FOR_POOL, LocalEngine

    nlp._load.cache_clear()  # the workers fork from this process: nothing for them to inherit
    nlp.ruler_lookup.cache_clear()
    with LocalEngine(2) as engine:
        engine.prepare(MIN_ARTICLES_FOR_POOL - 1)
        assert engine.pool is None
        engine.prepare(MIN_ARTICLES_FOR_POOL)
        assert engine.pool is not None
        results = [engine.pool.submit(_pipelines_to_load) for _ in range(8)]
        assert [r.result() for r in results] == [0] * 8  # the claims tagger and the quotes' NER
        paces = [engine.pool.submit(_young_objects_between_collections) for _ in range(8)]
        assert {r.result() for r in paces} == {YOUNG_OBJECTS}  # though this process is not paced


def test_a_prepared_dask_cluster_loads_the_models_on_every_worker():
    pytest.importorskip("dask.distributed")
    from dask.distributed import wait

    with get_engine("dask", workers=2) as engine:
        engine.prepare(1)
        wait(engine._warming)
        assert list(engine.client.run(_pipelines_to_load).values()) == [0, 0]
        # The cluster is this run's own, so its workers' cycle collector is paced too.
        assert list(engine.client.run(_young_objects_between_collections).values()) == [YOUNG_OBJECTS] * 2


def test_a_shared_clusters_workers_keep_their_own_collector_pace():
    pytest.importorskip("dask.distributed")
    from dask.distributed import LocalCluster, wait

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as shared:
        with get_engine("dask", scheduler=shared.scheduler_address) as engine:
            engine.prepare(1)
            wait(engine._warming)
            assert list(engine.client.run(_pipelines_to_load).values()) == [0]  # warmed up
            assert list(engine.client.run(_young_objects_between_collections).values()) == [700]  # the default


def test_dask_submits_a_few_tasks_a_worker_at_a_time_and_returns_every_result():
    """The per-article tasks computed ahead go to the cluster as workers free up: their
    pickled inputs are never all held at once by the scheduler (in this process)."""
    pytest.importorskip("dask.distributed")
    from storytrace.engine.dask import IN_FLIGHT

    with get_engine("dask", workers=1) as engine:
        results = engine.submit_tasks(_square_after_a_while, list(range(20)), Settings())
        assert len(engine.client.futures) == IN_FLIGHT  # one worker: IN_FLIGHT submitted
        got = []
        for value in results:
            got.append(value)
            assert len(engine.client.futures) <= IN_FLIGHT + 1  # and the one just read
        assert sorted(got) == [i * i for i in range(20)]


def _square_after_a_while(task: int, settings) -> int:
    import time
    time.sleep(0.02)
    return task * task


def _young_objects_between_collections() -> int:
    import gc
    return gc.get_threshold()[0]


def test_part_files_are_written_whole_and_read_once(tmp_path):
    path = write_part(tmp_path / "parts", "part-000001.pkl", {"a": [1, 2, 3]})
    assert [p.name for p in (tmp_path / "parts").iterdir()] == ["part-000001.pkl"]  # no temp left
    assert read_part(path) == {"a": [1, 2, 3]}
    assert not (tmp_path / "parts" / "part-000001.pkl").exists()


def test_balanced_batches_cover_every_item_once_and_spread_cost():
    costs = [10_000, 1, 1, 1, 2_500, 2_500, 2_500, 2_500, 5, 7]
    batches = balanced_batches(costs, 2, 64)
    assert sorted(i for b in batches for i in b) == list(range(len(costs)))
    loads = sorted(sum(costs[i] for i in b) for b in batches)
    assert loads == [10_007, 10_008]  # the big story alone with small ones, not with another big one
    assert balanced_batches(costs, 2, 64) == batches  # deterministic


def test_unknown_engine_is_a_usage_error():
    from storytrace.errors import UsageError
    with pytest.raises(UsageError):
        get_engine("spark")


def test_exact_copies_are_analysed_once_with_identical_results(tmp_path, demo_dir, monkeypatch):
    import storytrace.pipeline as pipeline

    wire = json.loads((demo_dir / "newswire-export.jsonl").read_text(encoding="utf-8").splitlines()[0])
    records = [{**wire, "id": f"copy-{i}", "source": f"Outlet {i % 3}"} for i in range(5)]
    (tmp_path / "copies.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "s.db"
    with Store(db) as store:
        run = store.begin_run("ingest", [])
        ingest([str(tmp_path / "copies.jsonl")], store, run, Settings())
        distinct, copies = pipeline._distinct_texts(list(store.iter_articles()))
    assert len(distinct) == 1 and sum(map(len, copies.values())) == 4
    shortcut = run_engine(db, tmp_path, "shortcut", engine="local", workers=1)
    monkeypatch.setattr(pipeline, "_distinct_texts", lambda arts: (arts, {}))
    assert run_engine(db, tmp_path, "every-copy", engine="local", workers=1) == shortcut
    data = json.loads(shortcut[1])
    assert len({q["article"] for q in data["quotes"]}) == 5 and len({q["id"] for q in data["quotes"]}) == len(data["quotes"])


def test_copies_rekey_ids_inside_claim_records(tmp_path, monkeypatch):
    # An itemised total lists its parts' claim ids, and each part names its total: in a
    # copy those ids must be the copy's own, exactly as if the copy had been analysed.
    import storytrace.pipeline as pipeline

    text = ("Convoy leaves Tabqa\n\nAlmost 50 trucks, 13 buses and more than 100 other vehicles left Tabqa "
            "on Sunday, a coalition spokesman said. About 4,000 people were in the convoy, he said.")
    records = [{"id": f"copy-{i}", "source": f"Outlet {i}", "text": text} for i in range(3)]
    (tmp_path / "copies.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest([str(tmp_path / "copies.jsonl")], store, store.begin_run("ingest", []), Settings())
        rep = list(store.iter_articles())[0]
    template = pipeline._CopyResults(pipeline.per_article_stages(rep, Settings()))
    assert any(template.keys_with_ids)  # the totals and parts refer to each other by id
    shortcut = run_engine(db, tmp_path, "shortcut", engine="local", workers=1)
    monkeypatch.setattr(pipeline, "_distinct_texts", lambda arts: (arts, {}))
    assert run_engine(db, tmp_path, "every-copy", engine="local", workers=1) == shortcut
