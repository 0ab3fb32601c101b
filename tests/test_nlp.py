"""nlp.tag: spaCy's pipeline with the attribute_ruler's POS/TAG/DEP set by lookup."""
from __future__ import annotations

import pytest

from storytrace.nlp import RulerLookup, load_english, ruler_lookup, tag

_TEXTS = [
    "There is  a thing here, but it's odd.  Do it, did he?",  # expl + be, 'but', 'do', spaces
    'Her senior adviser, Jake Sullivan, said: "We will win," and that was that.\nOK.',
    "Police responded to a 911 call from a man in the 9700 block of Shady Tree Lane.",
    "Nobody who has anything to say would have done that; those were the days.",
]


@pytest.mark.parametrize("exclude", [("ner", "lemmatizer", "parser"), ("ner", "lemmatizer")])
def test_lookup_sets_what_the_attribute_ruler_sets(exclude):
    assert ruler_lookup(exclude) is not None  # every rule of en_core_web_sm is readable
    full = list(load_english(exclude).pipe(_TEXTS))
    for fast in (tag(_TEXTS, exclude), [tag([t], exclude)[0] for t in _TEXTS]):
        for a, b in zip(full, fast):
            assert [(t.text, t.pos_, t.tag_, t.dep_, t.head.i) for t in a] == \
                   [(t.text, t.pos_, t.tag_, t.dep_, t.head.i) for t in b]


def test_unreadable_rules_fall_back_to_the_ruler():
    class Ruler:
        patterns = [{"patterns": [[{"TAG": "NN", "OP": "+"}]], "attrs": {"POS": "NOUN"}, "index": 0}]

    assert RulerLookup.from_ruler(Ruler()) is None


def test_spacy_is_imported_without_torch_and_torch_stays_importable(tmp_path):
    """thinc imports torch when it can (2 of spaCy's 3.4 s import, in every worker); the
    pipelines never use it. A stand-in torch package records whether it was imported."""
    import subprocess
    import sys

    fake = tmp_path / "torch"
    fake.mkdir()
    (fake / "__init__.py").write_text(f"open({str(tmp_path / 'imported')!r}, 'a').write('x')\n")
    script = ("import sys, pathlib; from storytrace import nlp; nlp._import_spacy(); "
              "import spacy, thinc.compat; "
              f"print(pathlib.Path({str(tmp_path / 'imported')!r}).exists(), thinc.compat.has_torch); "
              "import torch; print('torch' in sys.modules)")
    env = {**__import__("os").environ, "PYTHONPATH": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]
    assert (tmp_path / "imported").exists()  # imported on request, after spaCy
