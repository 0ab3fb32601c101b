"""storytrace: follow one news story across many outlets.

Importing storytrace does no work; the heavy parts load when first used.

    >>> import storytrace
    >>> result = storytrace.analyze(["articles/"])   # doctest: +SKIP
    >>> result.to_dict()["stories"]                   # doctest: +SKIP
"""
from __future__ import annotations

from .model import (Analysis, Article, Claim, ClaimGroup, Link, Passage, Quote, RecordError,
                    Story)
from .settings import Settings, load_settings

__version__ = "0.1.0"

__all__ = ["analyze", "open_store", "Settings", "load_settings", "Analysis", "Article", "Claim",
           "ClaimGroup", "Link", "Passage", "Quote", "RecordError", "Story", "__version__"]


def analyze(inputs, *args, **kwargs) -> Analysis:
    """Ingest ``inputs`` (paths, ``-`` for stdin) and run every stage; see pipeline.analyze."""
    from .pipeline import analyze as _analyze
    return _analyze(inputs, *args, **kwargs)


def open_store(path="storytrace.db", readonly: bool = False):
    from .store import open_store as _open
    return _open(path, readonly=readonly)
