"""Incremental stories: new articles join stored stories or open new ones, the rest is kept.

Each run below is the pipeline's own story pass over a real SQLite store: ingest, learn
boilerplate, find duplicates, group stories (incremental when the store holds an
analysis), write the analysis and finish the run.
"""
from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from storytrace.ids import content_hash
from storytrace.model import Analysis, Article
from storytrace.pipeline import prepare_articles
from storytrace.settings import Settings
from storytrace.stages.stories_incremental import stories_for_store
from storytrace.store import Store

from test_stories import first_quake, quake, second_quake

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "corpus"


def hashed(a: Article) -> Article:
    a.content_hash = content_hash(a.text, a.title, a.url, a.source, a.published, a.author)
    return a


def ingest(store: Store, arts: list[Article]) -> None:
    run = store.begin_run("ingest", [])
    store.ingest_batch(run, [hashed(a) for a in arts])
    store.finish_run(run, "ok")


def story_pass(store: Store, settings: Settings | None = None):
    """The pipeline's steps up to stories, then the store write, as one analyze run."""
    settings = settings or Settings()
    run = store.begin_run("analyze", [])
    arts, dups, changed = prepare_articles(store, settings)
    grouping = stories_for_store(store, arts, dups, settings, touched=changed)
    of = {aid: s.id for s in grouping.stories for aid in s.articles}
    for a in arts:
        a.story = of[a.id]
    store.write_analysis(Analysis(articles=arts, stories=grouping.stories))
    store.finish_run(run, "ok")
    return grouping


def by_article(stories):
    return {aid: s.id for s in stories for aid in s.articles}


def partition(stories):
    return sorted(sorted(s.articles) for s in stories)


def background():
    """Unrelated fictional events, months apart, each told three ways (not copies)."""
    events = [("Harbour strike", "Port Ellery dockers walked out over pay", "Mara Quell", "2024-07-02"),
              ("Museum fire", "A fire gutted the Lowmoor maritime museum", "Tobin Asch", "2024-09-14"),
              ("Rail deal", "Velm signed a contract for twelve new trams", "Odile Brannock", "2024-11-20"),
              ("Flood barrier", "Fenwick Cross opened its new river flood barrier", "Cass Hallam", "2025-01-08")]
    angles = ["{person} told reporters the work would continue despite the cost.",
              "Residents queued to ask {person} questions at a packed evening meeting.",
              "Figures released by {person}'s office showed the budget had doubled since spring."]
    out = []
    for k, (title, lead, person, day) in enumerate(events):
        for j, outlet in enumerate(["Northwire", "Daily Beacon", "Valley Gazette"]):
            text = f"{lead}, officials said. " + angles[j].format(person=person) + \
                f" {outlet} will follow the {title.lower()} closely."
            out.append(Article(id=f"bg{k}-{j}", title=f"{title}: {person} speaks", text=text,
                               published=day, source=outlet))
    return out


def ferry_strike():
    text = ("Crew of the Corran Star ferry walked off the ship in Skerra harbour on Tuesday, "
            "stranding four hundred passengers. Union leader Petra Vinsk said talks had failed. "
            "The Skerra port authority said sailings to Brannoch were cancelled until Friday.")
    return Article(id="ferry-1", title="Corran Star ferry crew strike in Skerra", text=text,
                   published="2024-05-20", source="Harbourside Review")


def test_follow_up_joins_its_story_and_unrelated_event_opens_a_new_one(tmp_path):
    first_run = first_quake()[:2] + second_quake() + background()
    with Store(tmp_path / "st.db") as store:
        ingest(store, first_run)
        before = story_pass(store).stories
        assert story_pass(store).stats["reclustered"] == 0  # nothing new: nothing re-clustered
        ingest(store, [first_quake()[2], ferry_strike()])
        grouping = story_pass(store)
    after = grouping.stories
    old, new = by_article(before), by_article(after)
    assert new["q1-c"] == old["q1-a"] == new["q1-a"]  # the follow-up joins its story, same id
    assert new["ferry-1"] not in set(old.values())  # an unrelated event opens a story
    assert [a for a, s in new.items() if s == new["ferry-1"]] == ["ferry-1"]
    now = {s.id: s for s in after}
    for story in before:  # other stories keep id, members, title, entities, related stories
        if "q1-a" not in story.articles:
            kept = now[story.id]
            assert (kept.articles, kept.title, kept.entities) == (story.articles, story.title, story.entities)
            assert set(story.related) <= set(kept.related)  # (a new story may be related too)
    # The follow-up is a near-duplicate of q1-a: it follows its representative, no
    # re-clustering. Only the ferry report (and stories it could join) was re-clustered.
    stats = grouping.stats
    assert stats["mode"] == "incremental" and stats["new"] == 1
    assert 1 <= stats["reclustered"] <= stats["representatives"] - len(background())


def test_incremental_equals_from_scratch_with_ids_of_a_full_run(tmp_path):
    arts = first_quake() + second_quake() + background() + [ferry_strike()]
    later = {"q1-c", "q2-b", "ferry-1", "bg1-2", "bg3-0", "bg3-1", "bg3-2"}
    with Store(tmp_path / "inc.db") as store:
        ingest(store, [a for a in arts if a.id not in later])
        first = by_article(story_pass(store).stories)
        ingest(store, [a for a in arts if a.id in later])
        incremental = story_pass(store)
    with Store(tmp_path / "full.db") as store:
        ingest(store, arts)
        scratch = story_pass(store)
    assert incremental.stats["mode"] == "incremental"
    assert scratch.stats["mode"] == "full"
    assert partition(incremental.stories) == partition(scratch.stories)
    inc = by_article(incremental.stories)
    assert all(inc[aid] == sid for aid, sid in first.items())  # stored ids are kept
    # Here every story's earliest article came first, so ids equal a full run's; the story
    # made only of new articles (bg3) and the ferry story get the ids a full run gives them.
    assert inc == by_article(scratch.stories)
    assert {s.id: (s.title, s.entities, s.related, s.origins) for s in incremental.stories} == \
        {s.id: (s.title, s.entities, s.related, s.origins) for s in scratch.stories}


def test_new_version_and_full_setting_recluster(tmp_path):
    arts = first_quake() + second_quake() + background()
    with Store(tmp_path / "st.db") as store:
        ingest(store, arts)
        story_pass(store)
        moved = quake("q2-b", "Arvensk", "Tolmar", "02-11", "6.4", "Governor Ilse Marroq", 40,
                      "Harbourside Review", "Ilse Marroq toured the Arvensk market.")
        ingest(store, [moved])  # same id, new text: now about the first quake
        grouping = story_pass(store)
        of = by_article(grouping.stories)
        assert grouping.stats["mode"] == "incremental" and grouping.stats["stories_reopened"] >= 1
        assert of["q2-b"] == of["q1-a"] != of["q2-a"]
        full = story_pass(store, Settings(story_incremental=False))
    assert full.stats["mode"] == "full"
    assert full.stories == grouping.stories


@pytest.mark.skipif(not DEMO.is_dir(), reason="demo corpus not present")
def test_demo_corpus_in_two_runs_equals_one_run(tmp_path):
    import storytrace

    files = sorted(p for p in DEMO.iterdir() if p.is_file())
    first, second = files[::2], files[1::2]
    storytrace.analyze([str(p) for p in first], db=tmp_path / "inc.db")
    two_runs = storytrace.analyze([str(p) for p in second], db=tmp_path / "inc.db")
    one_run = storytrace.analyze([str(p) for p in files], db=tmp_path / "full.db")
    assert partition(two_runs.stories) == partition(one_run.stories)
    assert sorted(len(s.articles) for s in two_runs.stories) == [3, 4, 7]
    assert sorted(s.title for s in two_runs.stories) == sorted(s.title for s in one_run.stories)


def _generated(n: int):
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [Article(id=r["id"], text=r["text"], title=r["title"], published=r["published"],
                    source=r["source"], url=r["url"]) for r in module.corpus(n, seed=11)]


def b_cubed_f1(gold: dict, pred: dict) -> float:
    from collections import defaultdict
    gs, ps = defaultdict(set), defaultdict(set)
    for aid in gold:
        gs[gold[aid]].add(aid)
        ps[pred[aid]].add(aid)
    p = sum(len(gs[gold[a]] & ps[pred[a]]) / len(ps[pred[a]]) for a in gold) / len(gold)
    r = sum(len(gs[gold[a]] & ps[pred[a]]) / len(gs[gold[a]]) for a in gold) / len(gold)
    return 2 * p * r / (p + r)


def test_generated_corpus_latest_articles_added_incrementally(tmp_path):
    arts = sorted(_generated(320), key=lambda a: a.published)
    old, new = arts[:-12], arts[-12:]  # the newest reports arrive in a second run
    random.Random(3).shuffle(old)
    with Store(tmp_path / "inc.db") as store:
        ingest(store, old)
        story_pass(store)
        ingest(store, new)
        incremental = story_pass(store)
    with Store(tmp_path / "full.db") as store:
        ingest(store, arts)
        scratch = story_pass(store)
    new_ids = {a.id for a in new}
    touching = lambda ss: partition([s for s in ss if new_ids & set(s.articles)])  # noqa: E731
    assert touching(incremental.stories) == touching(scratch.stories)  # new articles: exact
    # In this corpus every pair of articles is above the threshold (shared filler words), so a
    # full run also regroups a few older stories when the IDF and merge order shift; the
    # incremental run keeps them as stored. Measured: B3 F1 0.978 against the full run.
    assert b_cubed_f1(by_article(scratch.stories), by_article(incremental.stories)) > 0.95
    stats = incremental.stats
    assert stats["mode"] == "incremental" and stats["new"] >= 10
    # Stories months older than the new reports were not re-clustered.
    assert stats["reclustered"] < stats["representatives"] / 4


def test_related_stories_are_the_same_when_found_a_few_stories_at_a_time(tmp_path, monkeypatch):
    """The related pairs of an incremental run are found a chunk of stories at a time (a
    square stories x stories matrix would not fit at 100k articles): any chunk size gives
    the same stories and relations."""
    from storytrace.stages.stories import Similarity

    arts = first_quake() + second_quake() + background() + [ferry_strike()]

    def incremental_run(folder: Path):
        with Store(folder / "inc.db") as store:
            ingest(store, arts[:-3])
            story_pass(store)
            ingest(store, arts[-3:])
            grouping = story_pass(store)
        assert grouping.stats["mode"] == "incremental"
        return {s.id: (s.articles, s.related) for s in grouping.stories}

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    whole = incremental_run(tmp_path / "a")
    monkeypatch.setattr(Similarity, "ENTRIES_PER_CHUNK", 1)  # one story per chunk
    assert incremental_run(tmp_path / "b") == whole
    assert any(related for _, related in whole.values())
