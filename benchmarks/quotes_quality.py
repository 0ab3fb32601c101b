"""Quote extraction quality and speed (issue 5), next to textacy's direct_quotations.

Reads third-party data from ../shared/data (never copied into the repo); skips what is absent.
Gold = PolNeAR quotes marked is_direct whose span is mostly (>= 50%) inside quotation marks
("quotes with quotation marks"; paraphrases holding a scare-quoted word are left out).
A predicted quote is correct when >= 50% of its characters fall in a gold quote; a gold
quote is found when >= 50% of its characters are covered by predictions. Speaker accuracy:
over found gold quotes whose gold speaker is a name (not a pronoun), the predicted speaker
shares a capitalised word with the gold speaker.
Usage: .venv/bin/python benchmarks/quotes_quality.py [max_articles]
"""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

from storytrace.model import Article
from storytrace.stages.opinion import opinion_spans
from storytrace.stages.quote_marks import find_quotations
from storytrace.stages.quotes import extract_quotes

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PRONOUNS = {"he", "she", "they", "i", "we", "it", "you", "his", "her", "him", "them"}


def quoted_chars(text: str) -> set[int]:
    chars: set[int] = set()
    for m in find_quotations(text):
        chars.update(range(m.start, m.end))
    return chars


def frag_chars(q) -> set[int]:
    frags = q.get("quote_fragments") or [q["span"]]
    return {i for s, e in frags for i in range(s, e)}


def caps(s: str | None) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Z][\w’'-]+", s or "") if w.lower() not in PRONOUNS}


def score(records, predict):
    tp_pred = n_pred = found = n_gold = sp_ok = sp_n = 0
    for rec in records:
        text = rec["text"]
        inq = quoted_chars(text)
        golds = []
        for q in rec["quotes"] or []:
            if not q.get("is_direct", True):
                continue
            ch = frag_chars(q)
            if ch and len(ch & inq) >= 0.5 * len(ch):
                golds.append((ch, q))
        all_gold = set().union(*[frag_chars(q) for q in rec["quotes"] or []]) if rec["quotes"] else set()
        preds = predict(text)
        covered: set[int] = set()
        for (s, e), _ in preds:
            ch = set(range(s, e))
            covered |= ch
            n_pred += 1
            tp_pred += len(ch & all_gold) >= 0.5 * len(ch)
        for ch, q in golds:
            n_gold += 1
            if len(ch & covered) >= 0.5 * len(ch):
                found += 1
                gold_sp = q.get("speaker") or ""
                if caps(gold_sp) and gold_sp.strip().lower() not in PRONOUNS:
                    sp_n += 1
                    best = max(preds, key=lambda p: len(set(range(*p[0])) & ch))
                    sp_ok += bool(caps(best[1]) & caps(gold_sp))
    p = tp_pred / n_pred if n_pred else 0.0
    r = found / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "speaker_accuracy": round(sp_ok / sp_n, 3) if sp_n else None,
            "pred": n_pred, "gold": n_gold}


def ours(text):
    return [(q.span, q.speaker) for q in extract_quotes(Article(id="x", text=text))]


def textacy_predict(nlp):
    from textacy.extract.triples import direct_quotations

    def run(text):
        out = []
        doc = nlp(text)
        try:
            dqs = list(direct_quotations(doc))
        except ValueError:  # textacy bails out on unbalanced quotation marks
            dqs = []
        for dq in dqs:
            s, e = dq.content.start_char, dq.content.end_char
            out.append(((s, e), " ".join(t.text for t in dq.speaker)))
        return out
    return run


def textacy_cases():
    recs = []
    for line in open(DATA / "textacy_quote_cases.jsonl"):
        r = json.loads(line)
        if r.get("quotes") is not None:
            recs.append(r)
        else:
            recs.append({**r, "quotes": [{"span": [0, 0], "quote_fragments": [], "speaker": t}
                                         for t in []]})
    return recs


def main(limit: int = 200) -> None:
    from storytrace.nlp import load_english

    if not (DATA / "polnear_dev.jsonl").exists():
        print("no ../shared/data: skipped")
        return
    recs = [json.loads(l) for l in open(DATA / "polnear_dev.jsonl")][:limit]
    nlp = load_english()
    # Load the parser our stage uses for unsure sentences once, outside the timing (a
    # one-off per process, like the full pipeline loaded just above for textacy).
    load_english(exclude=("ner", "lemmatizer"))
    t0 = time.perf_counter()
    res_ours = score(recs, ours)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    res_tx = score(recs, textacy_predict(nlp))
    t_tx = time.perf_counter() - t0
    words = sum(len(re.findall(r"\w+", r["text"])) for r in recs)
    t0 = time.perf_counter()
    for r in recs:
        opinion_spans(Article(id="x", text=r["text"]))
    t_op = time.perf_counter() - t0
    print(f"PolNeAR dev, {len(recs)} articles, {words} words")
    print("  storytrace:", res_ours)
    print("  textacy   :", res_tx)
    cases = [json.loads(l) for l in open(DATA / "textacy_quote_cases.jsonl")]
    full = [c for c in cases if c.get("quotes") is not None]
    print("textacy cases (full expectation, %d):" % len(full))
    print("  storytrace:", score(full, ours))
    print("  textacy   :", score(full, textacy_predict(nlp)))
    print(f"speed: storytrace quotes {words / t_ours:,.0f} words/s, opinion {words / t_op:,.0f} words/s, "
          f"textacy incl. full spaCy {words / t_tx:,.0f} words/s")
    print(f"  quotes stage is {t_tx / t_ours:.1f}x faster than spaCy full pipeline + textacy")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
