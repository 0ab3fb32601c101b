"""The cycle collector is paced for a run's duration only, and put back after, even on error."""
import gc
from pathlib import Path

import pytest

from storytrace.gc_pace import YOUNG_OBJECTS, paced_collections
from storytrace.pipeline import analyze

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_paced_collections_restore_the_previous_pace_even_on_error():
    before = gc.get_threshold()
    assert before[0] < YOUNG_OBJECTS  # CPython's default (700): the test means something
    with pytest.raises(RuntimeError):
        with paced_collections():
            assert gc.get_threshold() == (YOUNG_OBJECTS, *before[1:])
            raise RuntimeError("a stage failed")
    assert gc.get_threshold() == before


def test_collection_switched_off_by_the_caller_stays_off():
    before = gc.get_threshold()
    gc.set_threshold(0)
    try:
        with paced_collections():
            assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def test_analyze_paces_collections_while_it_runs(tmp_path):
    before = gc.get_threshold()
    seen = set()
    analysis = analyze([str(SEEDS)], out=tmp_path / "out",
                       progress=lambda stage, done, total: seen.add(gc.get_threshold()[0]))
    assert len(analysis.stories) == 1  # the two seed articles: one story
    assert seen == {YOUNG_OBJECTS}
    assert gc.get_threshold() == before
