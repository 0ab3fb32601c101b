"""Story clustering quality on the labelled dev sets, next to a TF-IDF baseline.

    .venv/bin/python benchmarks/quality.py [--data ../shared/data]

For ECB+ dev, GVC dev and BASIL dev (skipped when absent) it prints B-cubed
precision/recall/F1 and ARI of storytrace's default settings (find_duplicates +
group_stories, article fields only: text, title, date, source, url) and of a plain
TF-IDF + average-linkage baseline at several thresholds, computed in the same run. The
baseline's best threshold is chosen per set (an oracle storytrace does not get).

``--embeddings 0.1,0.2`` adds rows for storytrace with ``story_embedding_weight`` at those
weights (needs the embeddings extra; each set is encoded once, then read from a cache
kept in memory).
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

from storytrace.model import Article
from storytrace.settings import Settings
from storytrace.stages.dedupe import find_duplicates
from storytrace.stages.stories import group_stories

SETS = ("ecbplus_dev", "gvc_dev", "basil_dev")
BASELINE_THRESHOLDS = (0.7, 0.75, 0.8, 0.85, 0.9)  # cosine distance


def bcubed(gold: list, pred: list) -> tuple[float, float, float]:
    gold_sets, pred_sets = defaultdict(set), defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, pred)):
        gold_sets[g].add(i)
        pred_sets[p].add(i)
    precision = recall = 0.0
    for i, (g, p) in enumerate(zip(gold, pred)):
        both = len(gold_sets[g] & pred_sets[p])
        precision += both / len(pred_sets[p])
        recall += both / len(gold_sets[g])
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def ari(gold: list, pred: list) -> float:
    from sklearn.metrics import adjusted_rand_score
    return float(adjusted_rand_score(gold, pred))


def to_article(rec: dict) -> Article:
    # Only fields an article has in the wild; never the gold labels.
    return Article(id=str(rec["id"]), text=rec.get("text") or "", title=rec.get("title"),
                   published=rec.get("published") or rec.get("date"), source=rec.get("source"),
                   url=rec.get("url"))


class MemoryCache(dict):
    """An embedding cache kept in memory (the store's has the same two methods)."""

    def get(self, keys, model):
        return {k: self[k, model] for k in keys if (k, model) in self}

    def put(self, rows):
        self.update(((k, model), v) for k, model, v in rows)


def storytrace_labels(records: list[dict], settings: Settings, embedder=None) -> list[str]:
    arts = [to_article(r) for r in records]
    stories = group_stories(arts, find_duplicates(arts, settings), {}, settings, embedder=embedder)
    story_of = {aid: s.id for s in stories for aid in s.articles}
    return [story_of[a.id] for a in arts]


def baseline_labels(records: list[dict], distance: float) -> list[int]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [(r.get("title") or "") + "\n" + (r.get("text") or "") for r in records]
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    dist = np.clip(1.0 - (x @ x.T).toarray(), 0.0, None)
    return AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                   distance_threshold=distance).fit_predict(dist).tolist()


def main() -> None:
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--embeddings", default="", help="comma-separated story_embedding_weight values")
    args = parser.parse_args()
    weights = [float(w) for w in args.embeddings.split(",") if w.strip()]
    settings = Settings()
    print(f"{'set':<12} {'method':<28} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'ARI':>6} {'sec':>6}")
    for name in SETS:
        path = args.data / f"{name}.jsonl"
        if not path.exists():
            print(f"{name:<12} (absent, skipped)")
            continue
        records = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        gold = [r["cluster"] for r in records]
        t0 = time.perf_counter()
        pred = storytrace_labels(records, settings)
        secs = time.perf_counter() - t0
        p, r, f = bcubed(gold, pred)
        print(f"{name:<12} {'storytrace (defaults)':<28} {p:6.3f} {r:6.3f} {f:6.3f} {ari(gold, pred):6.3f} {secs:6.2f}")
        if weights:
            from storytrace.stages.story_embeddings import Embedder
            embedder = Embedder(cache=MemoryCache())
        for weight in weights:
            t0 = time.perf_counter()
            pred = storytrace_labels(records, replace(settings, story_embedding_weight=weight), embedder)
            secs = time.perf_counter() - t0
            p, r, f = bcubed(gold, pred)
            label = f"storytrace embeddings {weight}"
            print(f"{name:<12} {label:<28} {p:6.3f} {r:6.3f} {f:6.3f} {ari(gold, pred):6.3f} {secs:6.2f}")
        best = None
        for dist in BASELINE_THRESHOLDS:
            t0 = time.perf_counter()
            pred = baseline_labels(records, dist)
            secs = time.perf_counter() - t0
            p, r, f = bcubed(gold, pred)
            row = (f, f"{name:<12} {f'tfidf+avg-link d={dist}':<28} {p:6.3f} {r:6.3f} {f:6.3f} {ari(gold, pred):6.3f} {secs:6.2f}")
            print(row[1])
            best = max(best or row, row)
        print(f"{name:<12} best baseline F1 {best[0]:.3f} (threshold tuned on this set)")


if __name__ == "__main__":
    main()
