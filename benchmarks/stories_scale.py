"""The stories stage alone at growing sizes: its parts' cost, and what the banded pair search
changes against the unbounded one.

    .venv/bin/python benchmarks/stories_scale.py [--sizes 10000,30000,100000] [--exact-max 30000]

For each size: a news-style generated corpus (``generate.corpus(n, style="news")``, with its
gold story of every article), duplicates found, then the stories stage in its parts, each
timed: features (word and name TF-IDF), blocks (threshold pairs among articles at most
``story_max_block`` apart in time order), clustering (average linkage per block window and
the near-miss split). Up to ``--exact-max`` articles the blocks are also found with an
unbounded band (every pair compared, the search before the band) and clustered the same
way; both groupings are scored against the gold stories (B³) and against each other (ARI,
identical stories). Prints one line per size and the growth exponent k (time ∝ nᵏ) of each
part between consecutive sizes. Times are CPU seconds of this process (every part runs on one
thread), so other jobs on the machine do not inflate them.
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import corpus  # noqa: E402
from quality import bcubed  # noqa: E402

from storytrace.model import Article  # noqa: E402
from storytrace.settings import Settings  # noqa: E402
from storytrace.stages import stories as st  # noqa: E402
from storytrace.stages.dedupe import find_duplicates  # noqa: E402

PARTS = ("features", "blocks", "clustering")


class _GivenBlocks(st.Similarity):
    """A Similarity whose blocks were found beforehand (to time the clustering alone)."""

    def __init__(self, similarity: st.Similarity, found: list):
        super().__init__(similarity.words, similarity.ents, similarity.settings)
        self.found = found

    def blocks(self, threshold: float, band: int) -> list:
        return self.found


def labels_per_article(arts, reps, dups, rep_labels) -> list:
    """Each article's cluster label: its own, or (a copy) its representative's."""
    label_of = {a.id: lab for a, lab in zip(reps, rep_labels)}
    out = []
    for a in arts:
        aid = a.id
        while aid not in label_of:
            aid = dups[aid].of
        out.append(label_of[aid])
    return out


def run_size(n: int, exact: bool, settings: Settings) -> dict:
    from sklearn.metrics import adjusted_rand_score

    recs = corpus(n, style="news")
    gold_of = {r["id"]: r["story"] for r in recs}
    arts = [Article(id=r["id"], text=r["text"], title=r["title"], published=r["published"], source=r["source"])
            for r in recs]
    dups = find_duplicates(arts, settings)
    arts = sorted(arts, key=st._precedence)
    reps = st.representatives(arts, dups)
    gold = [gold_of[a.id] for a in arts]
    row: dict = {"articles": n, "representatives": len(reps)}

    t0 = time.process_time()
    words, ents, days, years = st.story_vectors(reps)
    row["features"] = time.process_time() - t0
    similarity = st.Similarity(words, ents, settings)

    def grouping(band: int, key: str) -> list:
        t0 = time.process_time()
        found = similarity.blocks(settings.story_threshold, band)
        row[f"blocks{key}"] = time.process_time() - t0
        t0 = time.process_time()
        labels, _ = st.cluster_similarity(_GivenBlocks(similarity, found), days, years, settings)
        row[f"clustering{key}"] = time.process_time() - t0
        row[f"largest_block{key}"] = max(map(len, found))
        row[f"stories{key}"] = len(set(labels))
        row[f"b3_f1{key}"] = bcubed(gold, labels_per_article(arts, reps, dups, labels))[2]
        return labels

    banded = grouping(settings.story_max_block, "")
    if exact:
        unbounded = grouping(len(reps), "_unbounded")
        row["ari_vs_unbounded"] = adjusted_rand_score(unbounded, banded)
        as_sets = [{frozenset(i for i, lab in enumerate(labels) if lab == k) for k in set(labels)}
                   for labels in (banded, unbounded)]
        row["identical_stories"] = len(as_sets[0] & as_sets[1])
    return row


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,30000,100000")
    ap.add_argument("--exact-max", type=int, default=30000, help="also run the unbounded search up to this size")
    args = ap.parse_args(argv)
    settings = Settings()
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        row = run_size(n, n <= args.exact_max, settings)
        rows.append(row)
        print(" ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()), flush=True)
    for a, b in zip(rows, rows[1:]):
        ratio = b["articles"] / a["articles"]
        growth = {p: math.log(b[p] / a[p]) / math.log(ratio) for p in PARTS}
        print(f"growth {a['articles']} -> {b['articles']}: "
              + " ".join(f"{p} k={k:.2f}" for p, k in growth.items()), flush=True)


if __name__ == "__main__":
    main()
