"""Per-article stages (quotes, opinion, claims): speed, profile, and a canonical dump.

    .venv/bin/python benchmarks/per_article_speed.py time [--repeat 3] [--real] [--spacy]
    .venv/bin/python benchmarks/per_article_speed.py dump OUT.json [--external] [--news N] [--chunked]
    .venv/bin/python benchmarks/per_article_speed.py profile [--top 40]
    .venv/bin/python benchmarks/per_article_speed.py compare OLD_SRC [--repeat 5] [--real] [--chunked]
    .venv/bin/python benchmarks/per_article_speed.py calls [--real]

The fixed article set: the first 500 articles of the generated scale corpus
(``generate.corpus(500)``, read through ingest as JSONL like ``run_all.py`` writes it), the
demo corpus and the two seed articles, all read with ``storytrace.ingest.iter_articles``.
``dump`` writes every quote, claim and opinion span as canonical JSON, so two versions of
the code can be compared byte for byte; ``--external`` adds the real news texts of the
labelled sets in ../shared/data (read there, never copied into the repo).
``time`` reports ms/article of ``pipeline.per_article_stages`` and, measured in the same
process on the same texts, a baseline (``text.sentences`` + ``\\w+`` tokenising); the
ratio between them is what compares across runs on this shared machine; ``--spacy`` adds
spaCy's full English pipeline over the same texts (``nlp.pipe``), the yardstick of issue 8.
``compare`` loads another checkout's package (``git worktree add /tmp/old REV``, then
``compare /tmp/old/src``) as ``storytrace_old`` and times old and new in turns in one
process (CPU time, best of ``--repeat``), so the load of the machine hits both alike.
``--news N`` (``dump``) adds ``generate.corpus(N, style="news")``. ``--chunked`` (``dump``,
``compare``): the new code runs through ``engine.run_chunk`` in chunks of 100, as the engines
do, where each chunk's spaCy calls are batched (``storytrace.nlp_batch``); ``compare``'s old
code still runs article by article. ``calls`` counts spaCy's ``nlp.pipe`` and ``nlp(text)``
calls per article, article by article and through ``run_chunk``.
``--real`` (``time``, ``compare``, ``profile``, ``calls``): the real news of the ECB+, GVC and BASIL dev
sets in ../shared/data (1,358 articles) instead of the fixed set; on real text the spaCy
calls (counted phrases, speakers) weigh far more than on generated text.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
N_GENERATED = 500


def fixed_articles() -> dict[str, list]:
    """{set name: articles}, each read through ingest like ``storytrace analyze`` reads it."""
    from generate import corpus

    from storytrace.ingest import iter_articles
    from storytrace.model import Article
    from storytrace.settings import Settings

    settings = Settings()

    def read(inputs: list[str]) -> list[Article]:
        return [a for a in iter_articles(inputs, settings) if isinstance(a, Article)]

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for a in corpus(N_GENERATED):
                fh.write(json.dumps({k: v for k, v in a.items() if k != "story"}) + "\n")
        sets = {"generated": read([str(path)])}
    sets["demo"] = read([str(ROOT / "demo" / "corpus")])
    sets["seeds"] = read(sorted(str(p) for p in SEEDS.glob("*.txt"))) if SEEDS.exists() else []
    return sets


def external_articles() -> dict[str, list]:
    """Real news texts from the labelled sets (skipped when ../shared/data is absent)."""
    from storytrace.model import Article

    sets = {}
    for name in ("polnear_dev", "ecbplus_dev", "gvc_dev", "basil_dev"):
        path = DATA / f"{name}.jsonl"
        if path.exists():
            recs = [json.loads(line) for line in open(path, encoding="utf-8")]
            sets[name] = [Article(id=f"{name}-{i}", text=r["text"], published=r.get("date"))
                          for i, r in enumerate(recs) if r.get("text")]
    return sets


def real_articles() -> dict[str, list]:
    """The real-text timing set: ECB+, GVC and BASIL dev (PolNeAR's texts are longer
    political news, kept for the dump)."""
    sets = external_articles()
    arts = [a for name in ("ecbplus_dev", "gvc_dev", "basil_dev") for a in sets.get(name, [])]
    return {"real": arts} if arts else {}


def _warm_up_articles() -> list:
    """Articles outside the timed set (another seed), to load modules before timing; also
    loads the spaCy pipelines the stages may ask for (a one-off per process)."""
    from generate import corpus

    from storytrace.model import Article
    from storytrace.nlp import load_english

    load_english(("ner", "lemmatizer", "parser"))  # claims._LazyTagger (skips its attribute_ruler)
    load_english(exclude=("ner", "lemmatizer"))  # speaker_parse._parse
    load_english(exclude=("parser", "lemmatizer", "attribute_ruler", "tagger", "tok2vec"))  # quotes._nearest_person

    return [Article(id=a["id"], text=a["text"], published=a["published"], language="en")
            for a in corpus(20, seed=99)]


def canonical(article, result: dict) -> dict:
    return {"id": article.id,
            "quotes": [q.to_dict() for q in result["quotes"]],
            "opinion_spans": [list(s) for s in result["opinion_spans"]],
            "claims": [c.to_dict() for c in result["claims"]]}


CHUNK = 100  # the engines' chunk (engine.local.CHUNK)


def news_articles(n: int) -> dict[str, list]:
    from generate import corpus

    from storytrace.model import Article

    return {"news": [Article(id=a["id"], title=a["title"], text=a["text"], published=a["published"],
                             source=a["source"]) for a in corpus(n, style="news")]}


def _run(arts, settings, chunked: bool) -> list:
    """The per-article results, article by article or through ``run_chunk`` chunks."""
    from storytrace.pipeline import per_article_stages

    if not chunked:
        return [per_article_stages(a, settings) for a in arts]
    from storytrace.engine import run_chunk

    out = []
    for i in range(0, len(arts), CHUNK):
        part = arts[i:i + CHUNK]
        got = run_chunk(part, settings)
        out.extend(got[a.id] for a in part)
    return out


def dump(out: str, external: bool, news: int = 0, chunked: bool = False) -> None:
    from storytrace.settings import Settings

    settings = Settings()
    sets = fixed_articles()
    if external:
        sets.update(external_articles())
    if news:
        sets.update(news_articles(news))
    data = {name: [canonical(a, r) for a, r in zip(arts, _run(arts, settings, chunked))]
            for name, arts in sets.items()}
    Path(out).write_text(json.dumps(data, sort_keys=True, ensure_ascii=False, indent=0), encoding="utf-8")
    print(json.dumps({name: len(arts) for name, arts in sets.items()}))


def _baseline(texts: list[str]) -> None:
    from storytrace.text import sentences

    word = re.compile(r"\w+")
    for t in texts:
        sentences(t)
        word.findall(t)


def _stages(articles, settings) -> None:
    from storytrace.pipeline import per_article_stages

    for a in articles:
        per_article_stages(a, settings)


def _clear_caches() -> None:
    """Empty every lru_cache in storytrace, so a repeat does not reuse the last run's work
    (``analyze`` sees each article once). Loaded models stay loaded."""
    for name, mod in list(sys.modules.items()):
        if name.startswith(("storytrace.", "storytrace_old.")) and not name.endswith(".nlp"):
            for value in list(vars(mod).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        _clear_caches()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _spacy_full(texts: list[str]) -> None:
    """spaCy's whole English pipeline over the texts (the yardstick of issue 8)."""
    from storytrace.nlp import load_english

    for _ in load_english().pipe(texts, batch_size=64):
        pass


def timing(repeat: int, real: bool = False, spacy: bool = False) -> dict:
    from storytrace.settings import Settings

    settings = Settings()
    sets = real_articles() if real else fixed_articles()
    _stages(_warm_up_articles(), settings)  # imports, compiled regexes, spaCy load
    rows = {}
    for name, arts in sets.items():
        texts = [a.analysis_text for a in arts]
        t_base = _best(lambda: _baseline(texts), repeat)
        t_stage = _best(lambda: _stages(arts, settings), repeat)
        rows[name] = {"articles": len(arts), "words": sum(len(t.split()) for t in texts),
                      "stages_ms_per_article": round(1000 * t_stage / len(arts), 3),
                      "baseline_ms_per_article": round(1000 * t_base / len(arts), 3),
                      "ratio_to_baseline": round(t_stage / t_base, 2)}
        if spacy:  # one pass: it takes minutes
            _spacy_full(texts[:20])  # loads the full pipeline
            t_spacy = _best(lambda: _spacy_full(texts), 1)
            rows[name].update(spacy_full_ms_per_article=round(1000 * t_spacy / len(arts), 3),
                              stages_share_of_spacy_full=round(t_stage / t_spacy, 3))
    print(json.dumps(rows, indent=1))
    return rows


def _load_old(src: str):
    """The package under ``src/storytrace`` imported as ``storytrace_old`` (its imports
    are relative, so it runs its own modules)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "storytrace_old", Path(src) / "storytrace" / "__init__.py",
        submodule_search_locations=[str(Path(src) / "storytrace")])
    module = importlib.util.module_from_spec(spec)
    sys.modules["storytrace_old"] = module
    spec.loader.exec_module(module)
    importlib.import_module("storytrace_old.pipeline")
    return sys.modules["storytrace_old.pipeline"]


def compare(old_src: str, repeat: int, real: bool = False, chunked: bool = False) -> dict:
    from storytrace import pipeline as new
    from storytrace.settings import Settings

    old = _load_old(old_src)
    settings = Settings()
    sets = real_articles() if real else fixed_articles()
    warm = _warm_up_articles()
    for impl in (old, new):
        for a in warm:
            impl.per_article_stages(a, settings)
    rows = {}
    for name, arts in sets.items():
        best = {"old": float("inf"), "new": float("inf")}
        for _ in range(repeat):
            for label, impl in (("old", old), ("new", new)):
                _clear_caches()
                t0 = time.process_time()
                if label == "new" and chunked:
                    _run(arts, settings, True)
                else:
                    for a in arts:
                        impl.per_article_stages(a, settings)
                best[label] = min(best[label], time.process_time() - t0)
        rows[name] = {"articles": len(arts),
                      "old_ms_per_article": round(1000 * best["old"] / len(arts), 3),
                      "new_ms_per_article": round(1000 * best["new"] / len(arts), 3),
                      "speed_up": round(best["old"] / best["new"], 2)}
    print(json.dumps(rows, indent=1))
    return rows


def calls(real: bool = False) -> dict:
    """spaCy calls (``Language.pipe`` and ``Language.__call__``) per article, article by
    article and through ``run_chunk``."""
    from spacy.language import Language

    from storytrace.settings import Settings

    settings = Settings()
    sets = real_articles() if real else fixed_articles()
    arts = [a for arts in sets.values() for a in arts]
    _stages(_warm_up_articles(), settings)
    count = {"pipe": 0, "call": 0, "texts": 0}
    pipe, call = Language.pipe, Language.__call__

    def counted_pipe(self, texts, *args, **kw):
        texts = list(texts)
        count["pipe"] += 1
        count["texts"] += len(texts)
        return pipe(self, texts, *args, **kw)

    def counted_call(self, text, *args, **kw):
        count["call"] += 1
        count["texts"] += 1
        return call(self, text, *args, **kw)

    Language.pipe, Language.__call__ = counted_pipe, counted_call
    rows = {"articles": len(arts)}
    try:
        for label, chunked in (("per_article", False), ("run_chunk", True)):
            _clear_caches()
            count.update(pipe=0, call=0, texts=0)
            _run(arts, settings, chunked)
            rows[label] = {k: round(v / len(arts), 3) for k, v in count.items()}
    finally:
        Language.pipe, Language.__call__ = pipe, call
    print(json.dumps(rows, indent=1))
    return rows


def profile(top: int, real: bool = False) -> None:
    from storytrace.settings import Settings

    settings = Settings()
    sets = real_articles() if real else fixed_articles()
    arts = [a for arts in sets.values() for a in arts]
    _stages(_warm_up_articles(), settings)
    prof = cProfile.Profile()
    prof.enable()
    _stages(arts, settings)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("time")
    t.add_argument("--repeat", type=int, default=3)
    t.add_argument("--real", action="store_true")
    t.add_argument("--spacy", action="store_true", help="also time spaCy's full pipeline on the texts")
    d = sub.add_parser("dump")
    d.add_argument("out")
    d.add_argument("--external", action="store_true")
    d.add_argument("--news", type=int, default=0, help="add N news-style generated articles")
    d.add_argument("--chunked", action="store_true", help="through engine.run_chunk chunks of 100")
    c = sub.add_parser("compare")
    c.add_argument("old_src")
    c.add_argument("--repeat", type=int, default=5)
    c.add_argument("--real", action="store_true")
    c.add_argument("--chunked", action="store_true", help="the new code through engine.run_chunk")
    k = sub.add_parser("calls")
    k.add_argument("--real", action="store_true")
    p = sub.add_parser("profile")
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--real", action="store_true")
    args = ap.parse_args()
    if args.cmd == "time":
        timing(args.repeat, args.real, args.spacy)
    elif args.cmd == "compare":
        compare(args.old_src, args.repeat, args.real, args.chunked)
    elif args.cmd == "calls":
        calls(args.real)
    elif args.cmd == "dump":
        dump(args.out, args.external, args.news, args.chunked)
    else:
        profile(args.top, args.real)


if __name__ == "__main__":
    main()
