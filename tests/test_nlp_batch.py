"""nlp_batch: run_chunk batches its articles' spaCy calls, with the results and exceptions of
running the articles one by one (real model, the demo corpus and news-style articles)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from storytrace import nlp, pipeline
from storytrace.engine import run_chunk
from storytrace.ingest import iter_articles
from storytrace.model import Article
from storytrace.nlp_batch import in_batch, map_batched
from storytrace.settings import Settings
from storytrace.stages.claims import TAGGER as _TAGGER

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    demo = [a for a in iter_articles([str(ROOT / "demo" / "corpus")], Settings()) if isinstance(a, Article)]
    news = [Article(id=a["id"], title=a["title"], text=a["text"], published=a["published"], source=a["source"])
            for a in generate.corpus(120, style="news")]
    return demo + news


def _canonical(result: dict) -> dict:
    return {"quotes": [q.to_dict() for q in result["quotes"]], "opinion_spans": result["opinion_spans"],
            "claims": [c.to_dict() for c in result["claims"]]}


def test_run_chunk_gives_the_per_article_results_with_batched_calls(articles, monkeypatch):
    settings = Settings()
    one_by_one = [_canonical(pipeline.per_article_stages(a, settings)) for a in articles]
    asked, tagged = [], []
    wait, now = nlp.wait_for_docs, nlp.tag_now
    monkeypatch.setattr(nlp, "wait_for_docs", lambda texts, ex: asked.append(len(texts)) or wait(texts, ex))
    monkeypatch.setattr(nlp, "tag_now", lambda texts, ex=(): tagged.append(len(texts)) or now(texts, ex))
    chunked = {}
    for i in range(0, len(articles), 100):
        chunked.update(run_chunk(articles[i:i + 100], settings))
    assert [_canonical(chunked[a.id]) for a in articles] == one_by_one
    assert sum(asked) == sum(tagged) > 100  # every text tagged once...
    assert len(tagged) * 5 < len(asked)  # ...in far fewer spaCy calls than requests


def test_tag_outside_a_batch_runs_at_once():
    assert not in_batch()
    assert [t.text for t in nlp.tag(["Ten trucks left."], _TAGGER)[0]] == ["Ten", "trucks", "left", "."]
    assert map_batched(lambda t: [tok.tag_ for tok in nlp.tag([t], _TAGGER)[0]], ["Go.", "He ran fast."]) \
        == [["VB", "."], ["PRP", "VBD", "RB", "."]]


def test_the_first_failing_item_in_order_raises_as_in_a_loop():
    def work(i):
        for _ in range(3 if i == 2 else 0):  # item 2 fails late, after three batches
            nlp.tag([f"Item {i} waits."], _TAGGER)
        if i in (2, 5):
            raise ValueError(f"item {i}")
        return i

    with pytest.raises(ValueError, match="item 2"):  # as [work(i) for i in range(8)] raises
        map_batched(work, range(8))
    assert map_batched(work, [0, 1, 3]) == [0, 1, 3]


def test_a_failed_batch_raises_in_the_item_that_asked(monkeypatch):
    now = nlp.tag_now

    def tag_now(texts, exclude=()):
        if "bad" in texts:
            raise RuntimeError("spaCy failed")
        return now(texts, exclude)

    monkeypatch.setattr(nlp, "tag_now", tag_now)
    caught = []

    def work(text):
        try:
            return nlp.tag([text], _TAGGER)[0].text
        except RuntimeError as exc:
            caught.append(text)
            return str(exc)

    assert map_batched(work, ["One.", "bad", "Two."]) == ["One.", "spaCy failed", "Two."]
    assert caught == ["bad"]
