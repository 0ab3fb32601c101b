"""Duplicate detection throughput and peak memory vs datasketch's own MinHash LSH.

    .venv/bin/python benchmarks/dedupe_throughput.py [--sizes 10000 100000]

Generates N articles (~300 words, Zipf vocabulary) of which 10% are near-duplicates of
another (new headline, trimmed ending, an added paragraph, 3% of words changed). Runs in
one process tree, each method in a forked child so its peak RSS is its own:

- storytrace: ``find_duplicates`` (numpy MinHash, 32x4 banding, bucket cap, containment);
- datasketch: ``MinHash.update_batch`` + ``MinHashLSH`` (same 128 permutations, same 32x4
  bands) followed by the same containment check, so only the sketch/index differs.

Reports articles/s, peak RSS above the parent's, and recall/precision of the planted pairs.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import time

import numpy as np

from storytrace.model import Article
from storytrace.settings import Settings
from storytrace.stages.dedupe import _min_containment, find_duplicates, shingle_hashes


def generate(n: int, seed: int = 0) -> tuple[list[Article], set[tuple[str, str]]]:
    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}" for i in range(30_000)])
    zipf = 1.0 / np.arange(1, len(vocab) + 1)
    zipf /= zipf.sum()
    n_orig = n - n // 10
    articles, planted = [], set()
    for i in range(n_orig):
        words = vocab[rng.choice(len(vocab), size=300, p=zipf)]
        text = "\n\n".join(" ".join(words[k:k + 50]) for k in range(0, 300, 50))
        articles.append(Article(id=f"o{i:06d}", text=text, published=f"2024-01-{1 + i % 28:02d}"))
    pyrng = random.Random(seed)
    for j in range(n // 10):
        src = articles[pyrng.randrange(n_orig)]
        words = src.text.split()
        words = words[:int(len(words) * pyrng.uniform(0.7, 1.0))]  # trimmed ending
        for _ in range(len(words) * 3 // 100):  # light edits
            words[pyrng.randrange(len(words))] = str(vocab[pyrng.randrange(len(vocab))])
        extra = " ".join(str(w) for w in vocab[rng.choice(len(vocab), size=40, p=zipf)])
        text = f"Headline {j}\n\n" + " ".join(words) + "\n\n" + extra  # added paragraph
        articles.append(Article(id=f"d{j:06d}", text=text, published="2024-02-01"))
        planted.add((f"d{j:06d}", src.id))
    return articles, planted


def run_storytrace(articles: list[Article]) -> set[tuple[str, str]]:
    dups = find_duplicates(articles, Settings())
    return {(k, v.of) for k, v in dups.items()}


def run_datasketch(articles: list[Article]) -> set[tuple[str, str]]:
    from datasketch import MinHash, MinHashLSH

    s = Settings()
    lsh = MinHashLSH(num_perm=s.minhash_permutations,
                     params=(s.lsh_bands, s.minhash_permutations // s.lsh_bands))
    order = sorted(articles, key=lambda a: (a.published is None, a.published or "", a.id))
    shingles = {}
    rank = {a.id: i for i, a in enumerate(order)}
    result = set()
    for a in order:
        sh = shingle_hashes(a.analysis_text)
        shingles[a.id] = sh
        m = MinHash(num_perm=s.minhash_permutations)
        m.update_batch([x.tobytes() for x in sh])
        # Earlier articles already indexed: the earliest verified match is the original.
        verified = [c for c in lsh.query(m)
                    if _min_containment(sh, shingles[c]) >= s.duplicate_threshold]
        if verified:
            result.add((a.id, min(verified, key=lambda c: (rank[c], c))))
        lsh.insert(a.id, m)
    return result


def _child(method, articles, queue):
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    pairs = method(articles)
    secs = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((secs, (peak - base) / 1024, pairs))


def measure(method, articles):
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(method, articles, queue))
    proc.start()
    out = queue.get()
    proc.join()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    args = parser.parse_args()
    print(f"{'n':>7} {'method':<12} {'art/s':>8} {'speedup':>8} {'peak MB':>8} {'recall':>7} {'prec':>6}")
    for n in args.sizes:
        articles, planted = generate(n)
        base = None
        for name, method in (("datasketch", run_datasketch), ("storytrace", run_storytrace)):
            secs, peak_mb, pairs = measure(method, articles)
            found = {p for p in pairs if p in planted}
            recall = len(found) / len(planted)
            precision = len(found) / len(pairs) if pairs else 1.0
            base = base or secs
            print(f"{n:>7} {name:<12} {n / secs:8.0f} {base / secs:7.2f}x {peak_mb:8.0f} "
                  f"{recall:7.3f} {precision:6.3f}", flush=True)


if __name__ == "__main__":
    main()
