"""Incremental story grouping: agreement with a full run, and speed of the story stage.

    .venv/bin/python benchmarks/incremental_stories.py [--data ../shared/data] [--size 5000] [--add 100]

(1) Agreement: for ECB+ dev, GVC dev and BASIL dev (skipped when absent), a random 50% is
ingested into a store and analysed (stories stage, the pipeline's own steps), then the rest
arrives in 5 batches, each analysed incrementally. B-cubed F1 and ARI of the final
incremental grouping against a full run on all articles, and of both against gold.
(2) Speed: a generated corpus of --size articles is analysed; then the --add newest
articles arrive; the story stage on that store is timed incrementally and with
story_incremental=False, same process, same inputs.

``--embeddings W`` runs the agreement part with ``story_embedding_weight`` W (the
embeddings extra): every run encodes only what its store has not cached yet.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import corpus  # noqa: E402
from quality import ari, bcubed, to_article  # noqa: E402

from storytrace.ids import content_hash  # noqa: E402
from storytrace.model import Analysis, Article  # noqa: E402
from storytrace.pipeline import prepare_articles  # noqa: E402
from storytrace.settings import Settings  # noqa: E402
from storytrace.stages.stories_incremental import stories_for_store  # noqa: E402
from storytrace.store import Store  # noqa: E402

SETS = ("ecbplus_dev", "gvc_dev", "basil_dev")
BATCHES = 5


def hashed(a: Article) -> Article:
    a.content_hash = content_hash(a.text, a.title, a.url, a.source, a.published, a.author)
    return a


def ingest(store: Store, arts: list[Article]) -> None:
    run = store.begin_run("ingest", [])
    store.ingest_batch(run, [hashed(a) for a in arts])
    store.finish_run(run, "ok")


def story_pass(store: Store, settings: Settings):
    run = store.begin_run("analyze", [])
    arts, dups, changed = prepare_articles(store, settings)
    grouping = stories_for_store(store, arts, dups, settings, touched=changed)
    write(store, arts, grouping)
    store.finish_run(run, "ok")
    return grouping


def write(store: Store, arts: list[Article], grouping) -> None:
    of = {aid: s.id for s in grouping.stories for aid in s.articles}
    for a in arts:
        a.story = of[a.id]
    store.write_analysis(Analysis(articles=arts, stories=grouping.stories))


def labels(grouping, ids: list[str]) -> list[str]:
    of = {aid: s.id for s in grouping.stories for aid in s.articles}
    return [of[i] for i in ids]


def agreement(data: Path, tmp: Path, settings: Settings) -> None:
    print(f"{'set':<12} {'n':>5} {'inc vs full F1/ARI':>19} {'inc vs gold F1/ARI':>19} "
          f"{'full vs gold F1/ARI':>20} {'re-clustered':>13}")
    for name in SETS:
        path = data / f"{name}.jsonl"
        if not path.exists():
            print(f"{name:<12} (absent, skipped)")
            continue
        records = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        gold = {str(r["id"]): r["cluster"] for r in records}
        order = list(records)
        random.Random(13).shuffle(order)
        half = len(order) // 2
        rest = order[half:]
        reclustered = []
        with Store(tmp / f"{name}-inc.db") as store:
            ingest(store, [to_article(r) for r in order[:half]])
            story_pass(store, settings)
            for k in range(BATCHES):
                ingest(store, [to_article(r) for r in rest[k::BATCHES]])
                inc = story_pass(store, settings)
                reclustered.append(inc.stats["reclustered"] / max(1, inc.stats["representatives"]))
        with Store(tmp / f"{name}-full.db") as store:
            ingest(store, [to_article(r) for r in records])
            full = story_pass(store, settings)
        ids = sorted(gold)
        g, i, f = [gold[x] for x in ids], labels(inc, ids), labels(full, ids)
        row = [bcubed(f, i)[2], ari(f, i), bcubed(g, i)[2], ari(g, i), bcubed(g, f)[2], ari(g, f)]
        share = sum(reclustered) / len(reclustered)
        print(f"{name:<12} {len(ids):>5} {row[0]:>9.3f}/{row[1]:.3f} {row[2]:>9.3f}/{row[3]:.3f} "
              f"{row[4]:>10.3f}/{row[5]:.3f} {share:>12.0%}")


def speed(size: int, add: int, tmp: Path) -> None:
    settings = Settings()
    recs = sorted(corpus(size + add), key=lambda r: r["published"])
    arts = [Article(id=r["id"], text=r["text"], title=r["title"], published=r["published"],
                    source=r["source"], url=r["url"]) for r in recs]
    with Store(tmp / "speed.db") as store:
        ingest(store, arts[:-add])
        t0 = time.perf_counter()
        story_pass(store, settings)
        first = time.perf_counter() - t0
        ingest(store, arts[-add:])
        prepared = prepare_articles(store, settings)
        t0 = time.perf_counter()
        inc = stories_for_store(store, *prepared[:2], settings, touched=prepared[2])
        t_inc = time.perf_counter() - t0
        t0 = time.perf_counter()
        full = stories_for_store(store, *prepared[:2], Settings(story_incremental=False),
                                 touched=prepared[2])
        t_full = time.perf_counter() - t0
    same = sorted(map(sorted, (s.articles for s in inc.stories))) == \
        sorted(map(sorted, (s.articles for s in full.stories)))
    print(f"generated corpus: {size} articles analysed (first analysis, incl. boilerplate and "
          f"duplicates: {first:.1f} s), then {add} newest added")
    print(f"story stage, incremental: {t_inc:.2f} s ({inc.stats['reclustered']} of "
          f"{inc.stats['representatives']} representatives re-clustered)")
    print(f"story stage, full:        {t_full:.2f} s   ratio full/incremental {t_full / t_inc:.1f}x; "
          f"same partition: {same}")


def main() -> None:
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--add", type=int, default=100)
    parser.add_argument("--skip-agreement", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--embeddings", type=float, default=0.0, help="story_embedding_weight (agreement only)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_agreement:
            agreement(args.data, Path(tmp), replace(Settings(), story_embedding_weight=args.embeddings))
        if not args.skip_speed:
            speed(args.size, args.add, Path(tmp))


if __name__ == "__main__":
    main()
