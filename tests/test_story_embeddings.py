"""Sentence embeddings in the stories stage (the embeddings extra): off by default and never
loaded then; with a weight, the real bundled model joins one story told in other words;
vectors cached in the store; a clear error without the extra."""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from storytrace.errors import UsageError
from storytrace.model import Article
from storytrace.settings import Settings
from storytrace.stages.stories import group_stories

# Two events each told twice in different words, and four unrelated reports (fictional).
TEXTS = {
    "fire-a": ("Warehouse blaze at the harbour",
               "A fire tore through a chemical warehouse on the edge of the harbour overnight, sending a plume of "
               "black smoke over the city. Firefighters battled the blaze for six hours before bringing it under "
               "control. Nobody was hurt."),
    "fire-b": ("Flames engulf solvent depot near docks",
               "Flames engulfed a storage depot for industrial solvents near the docks late on Tuesday. Thick dark "
               "fumes drifted across town while crews fought to contain it until dawn. No injuries were reported."),
    "vote-a": ("Councillors approve new tram line",
               "The city council voted 31 to 12 on Monday to approve a new tram line linking the university with "
               "the central station. Construction is due to start next spring and cost about 400 million."),
    "vote-b": ("Light rail link wins backing of local assembly",
               "Local representatives backed plans for a light rail connection between the campus and the main "
               "railway terminal, by a wide margin. Building work should begin in the spring; the budget is "
               "roughly 400 million."),
    "cup": ("Rovers reach cup final",
            "Rovers beat United 2-1 after extra time to reach the cup final, with a late header from their captain "
            "settling a tense semi-final in front of a sold-out stadium."),
    "bank": ("Central bank holds rates",
             "The central bank kept its main interest rate unchanged at 4.5 percent, saying inflation was easing "
             "but wages were still rising faster than expected."),
    "storm": ("Storm cuts power to thousands",
              "A winter storm brought down power lines across the northern valleys, leaving 20,000 homes without "
              "electricity as snow blocked mountain roads."),
    "film": ("Director wins festival prize",
             "A debut feature about a fishing village won the top prize at the film festival, the jury praising "
             "its patient camera and quiet performances."),
}
PAIRS = [["fire-a", "fire-b"], ["vote-a", "vote-b"]]
WITH_EMBEDDINGS = replace(Settings(), story_embedding_weight=0.3)


def articles() -> list[Article]:
    return [Article(id=k, title=t, text=x, published="2025-03-04", source=f"outlet-{k}")
            for k, (t, x) in TEXTS.items()]


def records() -> list[dict]:
    return [{"id": a.id, "title": a.title, "text": a.text, "published": a.published, "source": a.source}
            for a in articles()]


def grouped(stories) -> list[list[str]]:
    """The stories of more than one article, as sorted id lists."""
    return sorted(sorted(s.articles) for s in stories if len(s.articles) > 1)


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def test_default_settings_never_load_a_model():
    # A fresh interpreter: nothing else in the test session has imported anything yet.
    done = _python(
        "import sys\n"
        "from storytrace.model import Article\n"
        "from storytrace.settings import Settings\n"
        "from storytrace.stages.stories import group_stories\n"
        f"arts = [Article(id=str(i), title='t', text=t) for i, t in enumerate({[t for _, t in TEXTS.values()]!r})]\n"
        "group_stories(arts, {}, {}, Settings())\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_without_the_extra_a_weight_is_a_clear_usage_error():
    done = _python(
        "import sys\n"
        "sys.modules['sentence_transformers'] = None  # as if the extra were not installed\n"
        "from dataclasses import replace\n"
        "from storytrace.errors import UsageError\n"
        "from storytrace.model import Article\n"
        "from storytrace.settings import Settings\n"
        "from storytrace.stages.stories import group_stories\n"
        "arts = [Article(id='a', title='t', text='one text'), Article(id='b', title='u', text='another')]\n"
        "try:\n"
        "    group_stories(arts, {}, {}, replace(Settings(), story_embedding_weight=0.3))\n"
        "except UsageError as exc:\n"
        "    print(exc)\n")
    assert done.returncode == 0, done.stderr
    assert "pip install 'storytrace[embeddings]'" in done.stdout


@pytest.mark.parametrize("weight", [-0.1, 1.0, 2.0])
def test_a_weight_outside_zero_to_one_is_refused(weight):
    with pytest.raises(UsageError, match="story_embedding_weight"):
        group_stories(articles(), {}, {}, replace(Settings(), story_embedding_weight=weight))


def test_one_story_in_other_words_joins_only_with_embeddings():
    pytest.importorskip("sentence_transformers")
    assert grouped(group_stories(articles(), {}, {}, Settings())) == []  # too few shared words
    assert grouped(group_stories(articles(), {}, {}, WITH_EMBEDDINGS)) == PAIRS


def test_embeddings_are_cached_in_the_store_and_runs_stay_incremental(tmp_path):
    pytest.importorskip("sentence_transformers")
    import sqlite3

    import storytrace
    from storytrace.stages import story_embeddings

    first, later = records()[:6], records()[6:]
    db = tmp_path / "store.db"
    (tmp_path / "first.jsonl").write_text("".join(json.dumps(r) + "\n" for r in first), encoding="utf-8")
    (tmp_path / "later.jsonl").write_text("".join(json.dumps(r) + "\n" for r in later), encoding="utf-8")
    storytrace.analyze([str(tmp_path / "first.jsonl")], db=db, settings=WITH_EMBEDDINGS)

    def cached() -> int:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*) FROM embeddings WHERE model=?",
                                (story_embeddings.MODEL,)).fetchone()[0]

    assert cached() == 6
    story_embeddings.load_model.cache_clear()
    again = storytrace.analyze([str(tmp_path / "first.jsonl")], db=db, settings=WITH_EMBEDDINGS)
    assert story_embeddings.load_model.cache_info().misses == 0  # every vector came from the store
    assert grouped(again.stories) == PAIRS

    added = storytrace.analyze([str(tmp_path / "later.jsonl")], db=db, settings=WITH_EMBEDDINGS)
    assert cached() == 8
    scratch = storytrace.analyze([str(tmp_path / "first.jsonl"), str(tmp_path / "later.jsonl")],
                                 db=tmp_path / "scratch.db", settings=WITH_EMBEDDINGS)
    assert grouped(added.stories) == grouped(scratch.stories) == PAIRS
    assert {s.id for s in added.stories} >= {s.id for s in again.stories}  # story ids kept


def test_real_vectors_have_unit_length_and_pair_the_retold_events():
    pytest.importorskip("sentence_transformers")
    import numpy as np

    from storytrace.stages.story_embeddings import Embedder, centred, embedding_input

    raw = Embedder().vectors([embedding_input(a.title, a.text) for a in articles()])
    assert raw.shape == (len(TEXTS), 384) and raw.dtype == np.float32
    assert np.allclose(np.linalg.norm(raw, axis=1), 1.0, atol=1e-5)
    both = centred(raw)
    ids = list(TEXTS)
    unrelated = [both[i] @ both[j] for i in range(len(ids)) for j in range(i + 1, len(ids))
                 if sorted([ids[i], ids[j]]) not in PAIRS]
    paired = [both[ids.index(a)] @ both[ids.index(b)] for a, b in PAIRS]
    assert min(paired) > max(unrelated) + 0.2


def test_centring_removes_what_every_article_shares():
    import numpy as np

    from storytrace.stages.story_embeddings import centred

    # 2,000 unit vectors around one shared direction, as MiniLM puts all news of one kind.
    rng = np.random.default_rng(5)
    shared = rng.normal(size=384)
    rows = 2.0 * shared / np.linalg.norm(shared) + rng.normal(size=(2000, 384)) / np.sqrt(384)
    rows = (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)
    off = ~np.eye(len(rows), dtype=bool)
    assert (rows @ rows.T)[off].mean() > 0.7
    out = centred(rows)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert abs((out @ out.T)[off].mean()) < 0.05


def test_two_articles_of_one_story_stay_alike_after_centring():
    import numpy as np

    from storytrace.stages.story_embeddings import centred

    # Centred on their own mean, two vectors would point in opposite directions (cosine -1).
    a = np.zeros(384, dtype=np.float32)
    b = np.zeros(384, dtype=np.float32)
    a[0], a[1] = 1.0, 0.0
    b[0], b[1] = 0.8, 0.6
    out = centred(np.stack([a, b]))
    assert out[0] @ out[1] > 0.7
    assert np.allclose(centred(np.zeros((3, 384), dtype=np.float32)), 0.0)  # nothing to normalise
