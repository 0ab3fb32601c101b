"""How the generated corpus compares with real news: the calibration table.

    .venv/bin/python benchmarks/corpus_stats.py [--n N] [--styles news,uniform] [--seeds 7,1]
                                                [--real-jsonl OUT]

Real = the dev sets of ../shared/data (ECB+, GVC, BASIL: 1,358 articles), read there at run
time and never copied; generated = ``generate.corpus(N, seed=..., style=...)`` for each
style and seed, N = the real count unless ``--n``. Every corpus is read through storytrace's own ingest
(language id included) from a JSONL file in a temporary folder, then measured with the
project's own code:

- language: ``language`` after ingest, and py3langid's model alone on the first 1,000
  characters (ingest skips it for text dense in English function words);
- length: ``\\w+`` words per article (mean, median, p10, p90);
- vocabulary: distinct lower-cased ``\\w+`` words over the first 100, 300, ... articles;
- pairs at the story threshold: undamped content similarity (``stories.story_vectors`` +
  ``content_similarity``, what the stories stage's blocks are cut on) over all articles,
  and split into pairs of one story (gold cluster) and of different stories;
- repeated 4-grams: distinct word 4-grams seen twice or more inside one article;
- per-article stages (``pipeline.per_article_stages``): quotes, share with a speaker,
  claims, "according to" credits, and the spaCy calls they make, counted by wrapping
  ``claims._LazyTagger.check`` (tagger) and ``speaker_parse.speaker_from_parse`` (parses).

``--real-jsonl OUT`` also writes the real articles as storytrace JSONL input (for
``scale_analyze.py``; put it outside the repository, e.g. /tmp).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
DATA = HERE.parent.parent / "shared" / "data"
REAL_SETS = ("ecbplus_dev", "gvc_dev", "basil_dev")
_WORD = re.compile(r"\w+")
_CREDIT = re.compile(r"\baccording to\b|\btold [A-Z]|\b[A-Z][\w.]* (?:reported|said in a statement)")


def real_records() -> list[dict]:
    """The real dev articles as storytrace JSONL records, with their gold story."""
    out = []
    for name in REAL_SETS:
        for i, line in enumerate(open(DATA / f"{name}.jsonl", encoding="utf-8")):
            r = json.loads(line)
            if not r.get("text"):
                continue
            rec = {"id": f"{name}-{i}", "title": r.get("title") or "", "text": r["text"],
                   "story": f"{name}:{r.get('cluster')}"}
            if r.get("date"):
                rec["published"] = r["date"]
            if r.get("source"):
                rec["source"] = r["source"]
            out.append(rec)
    return out


def write_jsonl(records: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({k: v for k, v in r.items() if k != "story"}) + "\n")


def ingested(records: list[dict]) -> list:
    """The records read through storytrace's ingest, as ``analyze`` reads them."""
    from storytrace.ingest import iter_articles
    from storytrace.model import Article
    from storytrace.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        write_jsonl(records, path)
        return [a for a in iter_articles([str(path)], Settings()) if isinstance(a, Article)]


def pair_stats(articles: list, stories: list[str]) -> dict:
    """Share of article pairs at or above the story threshold: all, same story, different stories."""
    from storytrace.settings import Settings
    from storytrace.stages.stories import content_similarity, story_vectors

    settings = Settings()
    words, ents, _, _ = story_vectors(articles)
    labels = np.array([hash(s) for s in stories])
    n = len(articles)
    above = same_above = same = 0
    for start in range(0, n, 1000):  # a block of rows at a time: 10k x 10k would not fit
        sim = content_similarity(words[start:start + 1000], ents[start:start + 1000], words, ents,
                                 settings).toarray()
        rows = np.arange(start, min(n, start + 1000))[:, None]
        upper = np.arange(n)[None, :] > rows
        hit = (sim >= settings.story_threshold) & upper
        one = (labels[rows] == labels[None, :]) & upper
        above += int(hit.sum())
        same += int(one.sum())
        same_above += int((hit & one).sum())
    pairs = n * (n - 1) // 2
    return {"pairs_above": above / pairs, "same_story_pairs": same / pairs, "same_story_above": same_above / max(same, 1),
            "cross_story_above": (above - same_above) / max(pairs - same, 1)}


def spacy_counts(articles: list) -> dict:
    """Per-article stage results and spaCy calls, counted by wrapping the two entry points."""
    from storytrace.pipeline import per_article_stages
    from storytrace.settings import Settings
    from storytrace.stages import claims, speaker_parse

    calls = Counter()
    check, parse = claims._LazyTagger.check, speaker_parse.speaker_from_parse

    def counted_check(self, *a, **k):
        calls["tagger"] += 1
        return check(self, *a, **k)

    def counted_parse(*a, **k):
        calls["parse"] += 1
        return parse(*a, **k)

    claims._LazyTagger.check = counted_check
    speaker_parse.speaker_from_parse = counted_parse  # quotes.py imports it at call time
    settings = Settings()
    n_quotes = n_spoken = n_claims = n_pronoun = 0
    pronouns = {"he", "she", "they", "we", "i"}
    try:
        for a in articles:
            res = per_article_stages(a, settings)
            n_quotes += len(res["quotes"])
            n_spoken += sum(1 for q in res["quotes"] if q.speaker)
            n_claims += len(res["claims"])
            # a pronoun before the speech verb right after a quote: "he said", "she told"
            for q in res["quotes"]:
                after = a.analysis_text[q.span[1]:q.span[1] + 12].lower().split()
                n_pronoun += bool(after and after[0].strip(",") in pronouns)
    finally:
        claims._LazyTagger.check, speaker_parse.speaker_from_parse = check, parse
    n = len(articles)
    return {"quotes": n_quotes / n, "with_speaker": n_spoken / max(n_quotes, 1),
            "pronoun_after": n_pronoun / max(n_quotes, 1), "claims": n_claims / n,
            "tagger": calls["tagger"] / n, "parse": calls["parse"] / n}


def measure(records: list[dict]) -> dict:
    articles = ingested(records)
    story_of = {r["id"]: r["story"] for r in records}
    stories = [story_of.get(a.id, a.id) for a in articles]
    texts = [a.analysis_text for a in articles]
    lens = np.array([len(_WORD.findall(t)) for t in texts])
    vocab, growth = set(), {}
    marks = {100, 300, 1000, 3000, 10000, len(texts)}
    for k, t in enumerate(texts, 1):
        vocab.update(_WORD.findall(t.lower()))
        if k in marks:
            growth[k] = len(vocab)
    rep4 = []
    for t in texts:
        w = _WORD.findall(t.lower())
        grams = Counter(zip(w, w[1:], w[2:], w[3:]))
        rep4.append(sum(1 for c in grams.values() if c > 1))
    sizes = Counter(stories)
    from storytrace.ingest.normalize import _classify

    out = {"articles": len(articles), "english": sum((a.language or "").startswith("en") for a in articles)
           / len(articles),
           # ingest skips the model for text dense in English function words: ask it anyway
           "english_model": sum(_classify(t[:1000]) == "en" for t in texts) / len(texts), "mean": lens.mean(), "median": float(np.median(lens)),
           "p10": float(np.percentile(lens, 10)), "p90": float(np.percentile(lens, 90)),
           "growth": growth, "stories": len(sizes), "biggest_story": max(sizes.values()),
           "repeated_4grams": float(np.mean(rep4)),
           "credits": sum(len(_CREDIT.findall(t)) for t in texts) / len(texts),
           "numbers": sum(len(re.findall(r"\b\d[\d,.]*\b", t)) for t in texts) / len(texts)}
    out.update(pair_stats(articles, stories))
    out.update(spacy_counts(articles))
    return out


ROWS = [("articles", "{articles:,}"), ("English (ingest language id)", "{english:.1%}"),
        ("English (py3langid model alone)", "{english_model:.1%}"),
        ("words/article mean / median", "{mean:.0f} / {median:.0f}"),
        ("words/article p10 / p90", "{p10:.0f} / {p90:.0f}"),
        ("stories (gold) / biggest", "{stories:,} / {biggest_story}"),
        ("pairs within one story (gold)", "{same_story_pairs:.2%}"),
        ("pairs ≥ story threshold", "{pairs_above:.2%}"),
        ("  same-story pairs ≥ threshold", "{same_story_above:.1%}"),
        ("  cross-story pairs ≥ threshold", "{cross_story_above:.2%}"),
        ("distinct 4-grams repeated in one article", "{repeated_4grams:.1f}"),
        ("numbers (digits) / article", "{numbers:.1f}"),
        ("credits (\"according to\", \"told X\", \"X reported\") / article", "{credits:.2f}"),
        ("quotes / article", "{quotes:.2f}"), ("  with a speaker", "{with_speaker:.0%}"),
        ("  pronoun right after (\"he said\")", "{pronoun_after:.0%}"),
        ("claims / article", "{claims:.2f}"),
        ("spaCy tagger checks / article", "{tagger:.2f}"), ("spaCy parses / article", "{parse:.2f}")]


def table(results: dict[str, dict]) -> str:
    names = list(results)
    lines = ["| statistic | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for label, fmt in ROWS:
        lines.append(f"| {label} | " + " | ".join(fmt.format(**results[k]) for k in names) + " |")
    marks = sorted(set().union(*(r["growth"] for r in results.values())))
    for m in marks:
        cells = [f"{results[k]['growth'][m]:,}" if m in results[k]["growth"] else "—" for k in names]
        lines.append(f"| distinct words, first {m:,} articles | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=None, help="generated articles (default: as many as real)")
    ap.add_argument("--styles", default="news,uniform")
    ap.add_argument("--seeds", default="7", help="generator seeds, one column each (7: run_all's corpus)")
    ap.add_argument("--no-real", action="store_true")
    ap.add_argument("--real-jsonl", default=None, help="also write the real articles here (JSONL input)")
    args = ap.parse_args(argv)
    from generate import corpus

    results = {}
    n = args.n
    if not args.no_real and DATA.exists():
        real = real_records()
        if args.real_jsonl:
            write_jsonl(real, Path(args.real_jsonl))
        results["real (ECB+, GVC, BASIL dev)"] = measure(real)
        n = n or len(real)
    seeds = [int(s) for s in args.seeds.split(",") if s]
    for style in [s for s in args.styles.split(",") if s]:
        for seed in seeds:
            results[f"{style}, seed {seed}"] = measure(corpus(n or 1358, seed=seed, style=style))
    print(table(results))


if __name__ == "__main__":
    main()
