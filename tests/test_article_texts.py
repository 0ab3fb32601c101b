"""A run's main process does not hold the corpus's texts: articles come from the store
without them, and each stage reads them through StoredTexts a chunk or a batch at a time.
The stages must give exactly what they give on articles that hold their texts."""
from __future__ import annotations

import re
import threading

import pytest
from conftest import DEMO

from storytrace.article_texts import StoredTexts
from storytrace.engine.local import IN_FLIGHT, LocalEngine
from storytrace.errors import StoreError
from storytrace.pipeline import _distinct_texts, analyze_store
from storytrace.settings import Settings
from storytrace.stages.boilerplate import learn_boilerplate
from storytrace.stages.dedupe import find_duplicates
from storytrace.stages.stories import group_stories
from storytrace.store import Store


@pytest.fixture(scope="module")
def demo_db(demo_ingested):
    """The demo corpus (furniture lines, syndicated copies, three stories) ingested."""
    return demo_ingested


def test_articles_load_without_texts_and_read_them_back_a_chunk_at_a_time(demo_db):
    with Store(demo_db) as store, StoredTexts(demo_db) as texts:
        held = {a.id: a.text for a in store.iter_articles()}
        bare = list(store.iter_articles(texts=False))
        assert [a.id for a in bare] == list(held) and all(a.text is None for a in bare)
        seen = []
        for chunk in texts.chunks(bare, size=4):
            assert len(chunk) <= 4
            seen += [(a.id, a.text) for a in chunk]
            chunk[0].analysis_text  # noqa: B018 - caches the masked copy, which goes too
        assert dict(seen) == held
        assert all(a.text is None and "_analysis_text" not in a.__dict__ for a in bare)


def test_loaded_keeps_texts_it_did_not_load(demo_db):
    with Store(demo_db) as store, StoredTexts(demo_db) as texts:
        first, second = list(store.iter_articles(texts=False))[:2]
        texts.fill([first])
        with texts.loaded([first, second]):
            assert first.text and second.text
        assert first.text is not None and second.text is None


def test_task_copies_keep_their_texts_whatever_happens_to_the_articles(demo_db):
    """The per-article tasks are built in a background thread while this process fills
    and releases the same articles' texts batch by batch: a task must never share them."""
    with Store(demo_db) as store, StoredTexts(demo_db) as texts:
        held = {a.id: a.text for a in store.iter_articles()}
        bare = list(store.iter_articles(texts=False))
        texts.fill(bare[:3])  # a batch being analysed holds its texts
        copies = texts.with_texts(bare)
        texts.release(bare[:3])  # and drops them once written
        assert all(c is not a for c, a in zip(copies, bare))
        assert {c.id: c.text for c in copies} == held
        assert all(a.text is None for a in bare)


def test_an_article_gone_or_stored_again_during_a_run_is_named(demo_db, tmp_path):
    """Texts are read after the run loaded its articles: one that vanished, or that a
    concurrent ingest stored in a new version (its spans would not fit), stops the run
    with the store and the article named."""
    from dataclasses import replace

    from storytrace.ids import content_hash
    from storytrace.model import Article

    db = tmp_path / "run.db"
    db.write_bytes(demo_db.read_bytes())
    with Store(db) as store, StoredTexts(db) as texts:
        first, second = list(store.iter_articles(texts=False))[:2]
        with pytest.raises(StoreError, match=re.escape(f"{db}: article 'a-gone' vanished")):
            texts.texts([Article(id="a-gone", text=None)])
        held = next(store.iter_articles([first.id]))  # an ingest stores a corrected text meanwhile
        text = held.text + "\nCorrection: an earlier version misstated the time."
        store.ingest_batch(store.begin_run("ingest", []), [replace(held, text=text, content_hash=content_hash(
            text, held.title, held.url, held.source, held.published, held.author))])
        with pytest.raises(StoreError, match=re.escape(f"{db}: article {first.id!r} was stored again (version 1 -> 2)")):
            texts.fill([first])
        texts.fill([second])  # an unchanged article reads as before
        assert second.text and first.text is None


def test_stages_give_the_same_results_from_stored_texts(demo_db):
    """Boilerplate, duplicates, exact-copy grouping and stories: articles without texts,
    read through StoredTexts, against the same articles holding theirs."""
    settings = Settings()
    with Store(demo_db) as store, StoredTexts(demo_db) as texts:
        held = list(store.iter_articles())
        bare = list(store.iter_articles(texts=False))
        spans = learn_boilerplate(held)
        assert learn_boilerplate(bare, texts=texts) == spans
        assert any(spans.values())  # the demo outlets repeat furniture lines
        for arts in (held, bare):
            for a in arts:
                a.boilerplate_spans = spans[a.id]
        dups = find_duplicates(held, settings)
        assert dups and find_duplicates(bare, settings, texts) == dups
        distinct, copies_of = _distinct_texts(held)
        got, got_copies = _distinct_texts(bare, texts)
        assert [a.id for a in got] == [a.id for a in distinct] and got_copies == copies_of
        stories = group_stories(held, dups, {}, settings)
        assert len(stories) >= 3
        assert group_stories(bare, dups, {}, settings, texts) == stories
        assert all(a.text is None for a in bare)  # every text read was dropped again


def test_a_run_that_keeps_no_records_keeps_the_texts_of_its_last_batch_only(demo_db, tmp_path):
    db = tmp_path / "run.db"
    db.write_bytes(demo_db.read_bytes())
    with Store(db) as store:
        stored = {a.id: a.text for a in store.iter_articles()}
        batches = []

        def take(part):  # each batch arrives with its articles' texts
            batches.append([a.id for a in part.articles])
            assert all(a.text == stored[a.id] for a in part.articles)
        lean = analyze_store(store, Settings(analysis_batch_articles=1), on_batch=take, keep_records=False)
        kept = analyze_store(store, Settings(analysis_batch_articles=1))
    assert len(batches) >= 3
    assert sorted(a.id for a in lean.articles if a.text is not None) == sorted(batches[-1])
    assert {a.id: a.text for a in kept.articles} == stored


def test_local_engine_takes_tasks_a_few_at_a_time():
    """submit_tasks reads its task iterator only as workers free up, so the per-article
    tasks' texts are read when queued, not all at the start."""
    drawn = []
    lock = threading.Lock()

    def tasks():
        for i in range(30):
            with lock:
                drawn.append(i)
            yield i

    with LocalEngine(2) as engine:
        results = engine.submit_tasks(_square_after_a_while, tasks(), Settings())
        assert len(drawn) == IN_FLIGHT * 2  # two workers: the first tasks only
        got = []
        for value in results:
            got.append(value)
            assert len(drawn) == min(30, IN_FLIGHT * 2 + len(got))  # one more for each result
    assert sorted(got) == [i * i for i in range(30)]


def _square_after_a_while(task: int, settings) -> int:
    import time
    time.sleep(0.02)
    return task * task


def _reference_boilerplate(group, min_articles=3, max_line_chars=400, max_overlap=0.3):
    """The per-source rule as first written, on texts held whole and line keys as strings:
    the streamed learner must give exactly its spans."""
    from collections import defaultdict
    from itertools import combinations

    from storytrace.stages.boilerplate import _line_key, merge_spans, service_message_spans
    from storytrace.text import lines

    line_spans = {a.id: lines(a.text) for a in group}
    result = {a.id: service_message_spans(a.text, line_spans[a.id]) for a in group}
    keyed = {a.id: [(s, e, _line_key(a.text[s:e])) for s, e in line_spans[a.id]] for a in group}
    first_of_text = {}
    for a in sorted(group, key=lambda a: a.id):
        first_of_text.setdefault(a.text, a.id)
    text_of = {a.id: a.text for a in group}
    owners = defaultdict(set)
    for aid, items in keyed.items():
        for s, e, key in items:
            if e - s <= max_line_chars:
                owners[key].add(first_of_text[text_of[aid]])
    candidates = {k for k, ids in owners.items() if len(ids) >= min_articles}
    line_sets = {aid: {k for _, _, k in items} - candidates for aid, items in keyed.items()}

    def otherwise_different(ids):
        scores = [len(line_sets[x] & line_sets[y]) / len(line_sets[x] | line_sets[y])
                  if line_sets[x] | line_sets[y] else 1.0 for x, y in combinations(ids, 2)]
        return not scores or sum(scores) / len(scores) <= max_overlap

    accepted = {k for k in candidates if otherwise_different(sorted(owners[k])[:12])}
    for aid, items in keyed.items():
        extra = [(s, e) for s, e, k in items if k in accepted]
        if extra:
            result[aid] = merge_spans(result[aid] + extra)
    return result


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("max_overlap", [0.3, 0.7])  # at 0.7, exact copies counted as owners change the spans
def test_boilerplate_learned_a_chunk_at_a_time_equals_the_whole_source_rule(seed, max_overlap, tmp_path, monkeypatch):
    """One outlet's articles, read back from a store 7 at a time: furniture lines, exact
    copies, later versions that share paragraphs, lines too long to be furniture."""
    import random

    from storytrace import article_texts
    from storytrace.ids import content_hash
    from storytrace.model import Article

    rng = random.Random(seed)
    words = "harbour council ferry fire minister flood vote strike court river".split()
    articles = []
    for i in range(rng.randint(30, 90)):
        body = [" ".join(rng.choice(words) for _ in range(rng.randint(6, 30))) + "." for _ in range(rng.randint(1, 6))]
        if rng.random() < 0.6:
            body.insert(0, "Home | News | Sport | Weather")
        if rng.random() < 0.4:
            body.append(f"Follow the Gazette on social media {rng.randint(0, 2)}")
        if rng.random() < 0.1:
            body.append("Read more: " + "very long line " * 40)  # over max_line_chars
        if articles and rng.random() < 0.15:
            body = articles[-1].text.split("\n")  # an exact copy
        elif articles and rng.random() < 0.15:
            body = articles[-1].text.split("\n")[:-1] + [f"Updated at {i}."]  # a later version
        text = "\n".join(body)
        articles.append(Article(id=f"a{rng.randint(0, 10**9):09d}-{i}", text=text, source="Gazette",
                                content_hash=content_hash(text, None, None, "Gazette", None, None)))
    want = _reference_boilerplate(articles, max_overlap=max_overlap)
    assert any(want.values())
    db = tmp_path / "source.db"
    with Store(db) as store:
        run = store.begin_run("test", [])
        store.ingest_batch(run, articles)
        bare = list(store.iter_articles(texts=False))
    monkeypatch.setattr(article_texts, "CHUNK", 7)
    with StoredTexts(db) as texts:
        got = learn_boilerplate(bare, max_overlap=max_overlap, texts=texts)
    assert got == want
    assert all(a.text is None for a in bare)


def test_a_store_in_a_folder_named_with_uri_characters_is_analysed_and_read(tmp_path):
    """The texts are read through a read-only SQLite URI: '#', '?' and '%' in the folder's
    name must be encoded, or SQLite opens some other (empty) file."""
    from storytrace.engine.dump import canonical_dump
    from storytrace.pipeline import analyze

    out = tmp_path / "news #1? 100% done"
    analysis = analyze([str(DEMO)], out=out, keep_records=False)
    assert len(analysis.stories) >= 3
    with Store(out / "storytrace.db", readonly=True) as store:
        assert store.count("stories") == len(analysis.stories)
    assert "\nstories\t" in "\n" + canonical_dump(out / "storytrace.db")
