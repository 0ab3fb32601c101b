"""The two reference points for the scale table, on the same texts as the analysis.

- floor: what any tool must do with the text: read the JSONL, tokenise with a regex and
  hash word 5-shingles (numpy), on a process pool over every core;
- naive: spaCy's full English pipeline (``en_core_web_sm``, all pipes) over all of each
  article's text, ``nlp.pipe(n_process=cores)``; the model load in this process is not
  counted, the workers' start-up is.
"""
from __future__ import annotations

import json
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor

_WORD = re.compile(r"\w+")
_P = 1_000_003


def _floor_range(args) -> int:
    """Read, tokenise and shingle-hash the records in one byte range of a JSONL file."""
    import numpy as np

    path, start, end = args
    shingles = 0
    with open(path, "rb") as fh:
        fh.seek(start)
        while fh.tell() < end:
            line = fh.readline()
            if not line:
                break
            text = json.loads(line).get("text") or ""
            words = _WORD.findall(text.lower())
            if len(words) < 5:
                continue
            h = np.fromiter((hash(w) for w in words), dtype=np.int64, count=len(words)).view(np.uint64)
            s = h[:-4] * np.uint64(_P ** 4 % 2**64)
            for k in range(1, 5):
                s = s + h[k:len(h) - 4 + k] * np.uint64(_P ** (4 - k) % 2**64)
            shingles += len(np.unique(s))
    return shingles


def _ranges(path: str, parts: int) -> list[tuple[str, int, int]]:
    size = os.path.getsize(path)
    cuts = [0]
    with open(path, "rb") as fh:
        for k in range(1, parts):
            fh.seek(size * k // parts)
            fh.readline()  # to the next record boundary
            cuts.append(max(cuts[-1], fh.tell()))
    cuts.append(size)
    return [(path, a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def floor(path: str, workers: int | None = None) -> dict:
    """Seconds for the floor over every record of ``path``."""
    workers = workers or os.cpu_count() or 1
    t0 = time.perf_counter()
    ranges = _ranges(path, workers * 4)
    with ProcessPoolExecutor(workers) as pool:
        shingles = sum(pool.map(_floor_range, ranges))
    return {"seconds": time.perf_counter() - t0, "workers": workers, "shingles": shingles}


def naive(texts: list[str], workers: int | None = None) -> dict:
    """Seconds for spaCy's full English pipeline over ``texts`` on ``workers`` processes."""
    from storytrace.nlp import load_english

    workers = workers or os.cpu_count() or 1
    nlp = load_english()
    nlp("warm up.")
    t0 = time.perf_counter()
    ents = 0
    for doc in nlp.pipe(texts, batch_size=32, n_process=workers):
        ents += len(doc.ents)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "articles": len(texts), "workers": workers, "pipes": list(nlp.pipe_names),
            "entities": ents}
