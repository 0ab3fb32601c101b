"""Exact and near-duplicate articles: syndicated copies collapse into one duplicate group.

Word 5-shingles -> own vectorised MinHash (numpy, measured ~4x faster than datasketch with
the same estimate quality, see benchmarks/dedupe_throughput.py) -> LSH banding with a cap
on bucket size -> exact shingle containment to confirm each candidate pair -> union-find.
The earliest copy (by ``published``, then id) represents its group.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

from ..article_texts import HeldTexts
from ..ids import make_id, text_key
from ..model import Article
from ..settings import Settings

SHINGLE = 5  # words per shingle: long enough that shared 5-grams mean shared text
_WORD = re.compile(r"\w+")
_MERSENNE = np.uint64((1 << 61) - 1)
_MASK32 = np.uint64(0xFFFFFFFF)


@dataclass(frozen=True)
class Duplicate:
    of: str  # the group's representative: the earliest published copy
    shared: float  # share of this copy's shingles found in the representative
    group: str  # deterministic duplicate-group id


def find_duplicates(articles: list[Article], settings: Settings,
                    texts: HeldTexts | None = None) -> dict[str, Duplicate]:
    """Map every non-representative copy's id to its :class:`Duplicate` record. ``texts``:
    where articles loaded without text get theirs (a chunk at a time)."""
    texts = texts or HeldTexts()
    arts = sorted(articles, key=_precedence)  # order-independent: index 0 = earliest
    parent = list(range(len(arts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:  # the earlier article stays root, so roots are representatives
            parent[max(ri, rj)] = min(ri, rj)

    # Exact copies (also texts too short to shingle) by a digest of the normalised text;
    # only the first article of each distinct text is shingled and hashed, so 100,000
    # verbatim copies of a wire story cost one MinHash.
    first_with: dict[bytes, int] = {}  # a 16-byte digest, not a copy of the text
    distinct: list[int] = []  # index of the first article with each distinct text
    text_of: list[int] = []  # per article: its position in ``distinct``
    signatures: list[np.ndarray] = []  # per batch of distinct texts
    usable: list[bool] = []  # per distinct text: it has shingles
    pending: list[list[str]] = []  # words of distinct texts not yet shingled
    word_hashes: dict[str, int] = {}

    def sign(word_lists: list[list[str]]) -> None:
        # Shingles are dropped once signed: the few texts in candidate pairs are shingled
        # again below. With the digests, the stage's peak at 100k fell from +611 to +196 MB.
        shingled = _shingle_hashes_of_many(word_lists, word_hashes)
        signatures.append(minhash_signatures(shingled, settings.minhash_permutations))
        usable.extend(len(s) > 0 for s in shingled)

    for i, a in enumerate(a for chunk in texts.chunks(arts) for a in chunk):
        words = _words(a)
        norm = " ".join(words)
        key = text_key(norm)
        if key in first_with:
            text_of.append(text_of[first_with[key]])
            if norm:
                union(first_with[key], i)
        else:
            first_with[key] = i
            text_of.append(len(distinct))
            distinct.append(i)
            pending.append(words)  # the words found once serve both
            if len(pending) == _SHINGLE_BATCH:
                sign(pending)
                pending = []
    sign(pending)
    del first_with, pending

    pairs = candidate_pairs(np.concatenate(signatures), settings.lsh_bands, settings.lsh_max_bucket, usable)
    del signatures
    # Every text of a group that holds more than one text is in a candidate pair.
    paired = sorted({x for pair in pairs for x in pair})
    shingles: dict[int, np.ndarray] = {}
    for start in range(0, len(paired), _SHINGLE_BATCH):
        batch = paired[start:start + _SHINGLE_BATCH]
        with texts.loaded([arts[distinct[x]] for x in batch]) as chunk:
            shingles.update(zip(batch, _shingle_hashes_of_many([_words(a) for a in chunk], word_hashes)))
    for x, y in pairs:
        i, j = distinct[x], distinct[y]
        if find(i) == find(j):
            continue
        if _min_containment(shingles[x], shingles[y]) >= settings.duplicate_threshold:
            union(i, j)

    result: dict[str, Duplicate] = {}
    for i, a in enumerate(arts):
        root = find(i)
        if root == i:
            continue
        rep = arts[root]
        mine, theirs = text_of[i], text_of[root]
        shared = 1.0 if mine == theirs else _containment(shingles[mine], shingles[theirs])
        result[a.id] = Duplicate(of=rep.id, shared=round(shared, 4), group=make_id("dup", rep.id))
    return dict(sorted(result.items()))


def _words(article: Article) -> list[str]:
    return _WORD.findall(article.analysis_text.lower())


def _precedence(a: Article) -> tuple:
    # Undated copies come after dated ones; ties break on id, never on input order.
    return (a.published is None, a.published or "", a.id)


def shingle_hashes(text: str, size: int = SHINGLE) -> np.ndarray:
    """Sorted unique 64-bit hashes of the lower-cased word ``size``-grams of ``text``."""
    return _shingle_hashes_of(_WORD.findall(text.lower()), size)


def _shingle_hashes_of(words: list[str], size: int = SHINGLE, memo: dict[str, int] | None = None) -> np.ndarray:
    """``shingle_hashes`` of a text whose lower-cased words are ``words``."""
    if not words:
        return np.empty(0, dtype=np.uint64)
    size = min(size, len(words))  # a very short text is one shingle
    return np.unique(_rolling_hashes(_word_hashes(words, {} if memo is None else memo), size))


def _word_hashes(words: list[str], memo: dict[str, int]) -> np.ndarray:
    """crc32 of each word; ``memo`` keeps them for the next texts (news repeats its words:
    the 10k corpus has ~56,000 distinct words among ~3.5 million)."""
    for w in set(words).difference(memo):
        memo[w] = zlib.crc32(w.encode("utf-8", "surrogatepass"))
    return np.fromiter(map(memo.__getitem__, words), dtype=np.uint64, count=len(words))


def _rolling_hashes(h: np.ndarray, size: int) -> np.ndarray:
    """The hash of each run of ``size`` consecutive word hashes (polynomial; uint64
    arithmetic wraps by design)."""
    n = len(h) - size + 1
    acc = np.zeros(n, dtype=np.uint64)
    for k in range(size):
        acc = acc * np.uint64(1_000_003) + h[k:k + n]
    return acc


_SHINGLE_BATCH = 1000  # texts shingled together: numpy's per-call cost spread, memory bounded


def _shingle_hashes_of_many(word_lists: list[list[str]], memo: dict[str, int],
                            size: int = SHINGLE) -> list[np.ndarray]:
    """``_shingle_hashes_of`` of each text, the hashes computed over all their words joined
    (numpy's fixed cost per call was most of the time for a text of a few hundred words:
    the 10k corpus's shingles 2.85 -> 1.60 s, the same arrays)."""
    out: list = [_shingle_hashes_of(words, size, memo) if len(words) < size else None for words in word_lists]
    long = [t for t, words in enumerate(word_lists) if len(words) >= size]
    if not long:
        return out
    acc = _rolling_hashes(_word_hashes([w for t in long for w in word_lists[t]], memo), size)
    start = 0
    for t in long:  # the shingles that start and end inside text t
        out[t] = np.unique(acc[start:start + len(word_lists[t]) - size + 1])
        start += len(word_lists[t])
    return out


def _hash_params(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(1)  # fixed seed: signatures are comparable across runs
    a = rng.randint(1, 1 << 31, size=num_perm, dtype=np.int64).astype(np.uint64) * 2 + 1
    b = rng.randint(0, 1 << 31, size=num_perm, dtype=np.int64).astype(np.uint64)
    return a, b


def minhash_signatures(shingle_sets: list[np.ndarray], num_perm: int = 128) -> np.ndarray:
    """A ``(len(shingle_sets), num_perm)`` uint32 MinHash matrix (multiply-shift hashing)."""
    a, b = _hash_params(num_perm)
    out = np.full((len(shingle_sets), num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    for i, s in enumerate(shingle_sets):
        if len(s):
            # (a*x + b) mod 2^64, top 32 bits: a universal family, one row per permutation.
            hv = (s[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)
            out[i] = hv.min(axis=0).astype(np.uint32)
    return out


def candidate_pairs(signatures: np.ndarray, bands: int, max_bucket: int,
                    usable: list[bool] | None = None) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, that share at least one LSH band.

    A bucket holding more than ``max_bucket`` articles pairs each member only with the
    bucket's first member and its predecessor: 100,000 copies of one wire story make
    2e5 pairs, not 5e9, and still end up in one group through union-find.
    """
    n, num_perm = signatures.shape
    rows = max(1, num_perm // bands)
    keep = np.ones(n, dtype=bool) if usable is None else np.asarray(usable, dtype=bool)
    idx = np.nonzero(keep)[0]
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        chunk = signatures[idx, band * rows:(band + 1) * rows]
        if chunk.shape[1] == 0:
            break
        keys = np.ascontiguousarray(chunk).view(np.dtype((np.void, chunk.dtype.itemsize * chunk.shape[1])))
        for members in _shared_buckets(keys.ravel(), idx):
            m = len(members)
            if m <= max_bucket:
                pairs.update((members[x], members[y]) for x in range(m) for y in range(x + 1, m))
            else:
                first = members[0]
                pairs.update((first, j) for j in members[1:])
                pairs.update((members[x - 1], members[x]) for x in range(2, m))
    return sorted(pairs)


def _shared_buckets(keys: np.ndarray, idx: np.ndarray) -> list[list[int]]:
    """The ``idx`` of equal ``keys``, ascending, for each key held by two or more rows (found
    by sorting: a dict of every row's key cost a Python step per row and band)."""
    _, bucket, sizes = np.unique(keys, return_inverse=True, return_counts=True)
    bucket = bucket.ravel()
    shared = np.flatnonzero(sizes[bucket] >= 2)
    if not len(shared):
        return []
    shared = shared[np.argsort(bucket[shared], kind="stable")]  # by bucket, rows in order
    cuts = np.flatnonzero(np.diff(bucket[shared])) + 1
    return [group.tolist() for group in np.split(idx[shared], cuts)]


def _containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of ``a``'s shingles that are in ``b``."""
    if len(a) == 0:
        return 0.0
    return len(np.intersect1d(a, b, assume_unique=True)) / len(a)


def _min_containment(a: np.ndarray, b: np.ndarray) -> float:
    # The shorter text's share found in the longer: a trimmed or padded copy still counts.
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return _containment(small, big)
