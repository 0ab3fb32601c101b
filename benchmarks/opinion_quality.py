"""Opinion spans (issue 5): paragraph-level precision/recall on our own labelled set
(benchmarks/data/opinion_labelled.jsonl, text written for this project). A paragraph is
predicted opinion when opinion spans cover at least half of its characters."""
from __future__ import annotations

import json
from pathlib import Path

from storytrace.model import Article
from storytrace.stages.opinion import opinion_spans

DATA = Path(__file__).resolve().parent / "data" / "opinion_labelled.jsonl"


def main() -> dict:
    tp = fp = fn = tn = 0
    for line in open(DATA):
        rec = json.loads(line)
        text, bounds, pos = "", [], 0
        for p in rec["paragraphs"]:
            bounds.append((len(text), len(text) + len(p["text"]), p["opinion"]))
            text += p["text"] + "\n\n"
        spans = opinion_spans(Article(id=rec["id"], text=text))
        for s, e, gold in bounds:
            cov = sum(max(0, min(e, b) - max(s, a)) for a, b in spans)
            pred = cov * 2 >= (e - s)
            tp += pred and gold
            fp += pred and not gold
            fn += gold and not pred
            tn += not pred and not gold
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    res = {"paragraphs": tp + fp + fn + tn, "precision": round(p, 3), "recall": round(r, 3),
           "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
    print("opinion (own labelled set):", res)
    return res


if __name__ == "__main__":
    main()
