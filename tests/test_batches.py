"""After the stories, the stages run one batch of stories at a time (analysis_batch_articles),
and each batch is stored, rendered and dropped before the next: the outputs must not depend
on the batch size, and a run that keeps no records must still write all of them."""
from __future__ import annotations

import json
import shutil

import pytest
from conftest import DEMO

from storytrace.engine.dump import canonical_dump
from storytrace.ingest import ingest
from storytrace.model import Analysis, Article, Story
from storytrace.outputs import AnalysisOutputs
from storytrace.pipeline import analyze, analyze_store, story_batches
from storytrace.settings import Settings
from storytrace.store import Store


def output_files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith("storytrace.db")}


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    """The demo corpus in one batch, records kept."""
    out = tmp_path_factory.mktemp("whole")
    return out, analyze([str(DEMO)], out=out)


def test_one_story_per_batch_writes_the_same_outputs_and_keeps_no_records(whole, tmp_path):
    out, kept = whole
    assert len(kept.stories) >= 3
    batched = analyze([str(DEMO)], out=tmp_path, settings=Settings(analysis_batch_articles=1),
                      keep_records=False)
    assert output_files(tmp_path) == output_files(out)  # analysis.json, dossiers, index
    assert canonical_dump(tmp_path / "storytrace.db") == canonical_dump(out / "storytrace.db")
    # Nothing but articles and stories held at the end; the counts are the kept run's lengths.
    assert batched.quotes == batched.claims == batched.links == batched.claim_groups == []
    assert batched.extra["quote_groups"] == batched.extra["facts"] == []
    # Its stories drop their facts and quote groups once their batch is written and
    # rendered; the last batch's may still be rendering when the run returns.
    assert all("facts" in s.extra and "quote_groups" in s.extra for s in kept.stories)
    assert [s.id for s in batched.stories if "facts" in s.extra or "quote_groups" in s.extra] \
        == [batched.stories[-1].id]
    for name in ("links", "quotes", "claims", "claim_groups"):
        assert batched.counts[name] == len(getattr(kept, name)) > 0, name
    assert batched.counts["quote_groups"] == len(kept.extra["quote_groups"])
    assert not list(tmp_path.glob(".analysis-*"))  # the section temp files are gone


def test_batches_rendered_by_forked_workers_give_the_same_files(whole, tmp_path):
    out, _ = whole
    db = tmp_path / "storytrace.db"
    shutil.copy(out / "storytrace.db", db)
    sizes = []
    with Store(db) as store, AnalysisOutputs(store, tmp_path, render_workers=2) as outputs:
        def take(part):
            sizes.append(len(part.stories))
            outputs.add(part)  # forks this batch's renderers while the next batch runs
        analysis = analyze_store(store, Settings(analysis_batch_articles=1), on_batch=take, keep_records=False)
        analysis.extra["ingest"] = json.loads((out / "analysis.json").read_text(encoding="utf-8"))["ingest"]
        outputs.close(analysis)
    assert sizes == [1] * len(analysis.stories)
    assert output_files(tmp_path) == output_files(out)


def test_a_failed_batch_leaves_the_previous_analysis_and_no_files(whole, tmp_path):
    out, _ = whole
    db = tmp_path / "storytrace.db"
    shutil.copy(out / "storytrace.db", db)
    before = canonical_dump(db)
    calls = []

    def fail_on_second(part):
        calls.append(part)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        outputs.add(part)

    with Store(db) as store:
        with pytest.raises(RuntimeError, match="disk full"):
            with AnalysisOutputs(store, tmp_path / "out", render_workers=1) as outputs:
                analyze_store(store, Settings(analysis_batch_articles=1), on_batch=fail_on_second)
    assert canonical_dump(db) == before  # the first batch's rows were rolled back
    assert not (tmp_path / "out" / "analysis.json").exists()
    assert not list((tmp_path / "out").glob(".analysis-*"))


def test_a_failed_run_that_learned_new_boilerplate_keeps_the_previous_analysis(whole, tmp_path):
    """Boilerplate learned in a run is stored in the run's transaction: a mid-run commit
    would also commit the emptied analysis tables, and a failure after it lost the
    previous analysis (the stories table was left empty)."""
    import sqlite3

    out, _ = whole
    db = tmp_path / "storytrace.db"
    shutil.copy(out / "storytrace.db", db)
    with sqlite3.connect(db) as conn:  # as if the demo outlets' furniture were not learned yet
        conn.execute("UPDATE articles SET boilerplate_spans = '[]'")
    conn.close()
    before = canonical_dump(db)
    assert "\nstories\t" in "\n" + before

    def fail(part):
        raise RuntimeError("disk full")

    with Store(db) as store:
        with pytest.raises(RuntimeError, match="disk full"):
            with AnalysisOutputs(store, tmp_path / "out", render_workers=1):
                analyze_store(store, Settings(), on_batch=fail)
    assert canonical_dump(db) == before


def test_story_batches_hold_at_most_the_batch_size_or_one_bigger_story():
    sizes = [3, 1, 5, 2, 2, 4]
    stories, articles = [], []
    for i, n in enumerate(sizes):
        ids = [f"a{i}-{j}" for j in range(n)]
        stories.append(Story(id=f"s{i}", title=f"story {i}", articles=ids))
        articles += [Article(id=a, text="x", story=f"s{i}") for a in ids]
    articles.reverse()  # a batch keeps the analysis's article order, not the story's
    batches = list(story_batches(Analysis(articles=articles, stories=stories), 4))
    assert [[s.id for s in b.stories] for b in batches] == [["s0", "s1"], ["s2"], ["s3", "s4"], ["s5"]]
    for b in batches:
        ids = {a for s in b.stories for a in s.articles}
        assert [a.id for a in b.articles] == [a.id for a in articles if a.id in ids]


def test_progress_counts_articles_of_the_whole_run(tmp_path):
    db = tmp_path / "s.db"
    with Store(db) as store:
        run = store.begin_run("ingest", [str(DEMO)])
        ingest([str(DEMO)], store, run, Settings())
        ticks = []
        analyze_store(store, Settings(analysis_batch_articles=1),
                      progress=lambda stage, done, total: ticks.append((stage, done, total)))
    per_article = [(d, t) for s, d, t in ticks if s == "quotes, opinion, claims"]
    assert {t for _, t in per_article} == {14}  # the demo corpus's articles, in every batch
    dones = [d for d, _ in per_article]
    assert dones == sorted(dones) and dones[-1] == 14
