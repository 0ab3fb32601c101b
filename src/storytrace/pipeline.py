"""The whole analysis: ingest, then every stage, then the store and the outputs.

Stages are pure functions (see stages/): *map* stages take one article, *group* stages
take one story's articles. The engine runs the map stages over chunks of articles, in
this process or on workers, with identical results.
"""
from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from .article_texts import HeldTexts, StoredTexts
from .gc_pace import paced_collections
from .ids import text_key
from .model import Analysis, Article, Quote, RecordError
from .settings import Settings
from .store import Store

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def analyze(inputs: Iterable[str] = (), db: str | os.PathLike | None = None,
            out: str | os.PathLike | None = None, settings: Settings | None = None,
            engine: str = "local", workers: int | None = None, scheduler: str | None = None,
            on_error: Callable[[RecordError], None] | None = None,
            progress: Progress | None = None, fetch: bool = False, keep_records: bool = True) -> Analysis:
    """Ingest ``inputs`` into the store, analyse every article in it, return the Analysis.

    With ``out``, the store defaults to ``out/storytrace.db`` and ``out`` receives
    ``analysis.json`` and a dossier per story (Markdown and HTML) with an ``index.html``.
    The stories are analysed and written in batches (``analysis_batch_articles``); with
    ``keep_records=False`` the returned Analysis keeps only the articles, stories, errors
    and ``counts`` (the records are in the store and the outputs), so memory stays bounded:
    its stories keep their facts and quote groups only in the last batch, whose dossiers
    may still be rendering.
    """
    from .engine import get_engine
    from .ingest import ingest
    from .outputs import AnalysisOutputs

    settings = settings or Settings()
    if db is None:
        db = Path(out) / "storytrace.db" if out is not None else "storytrace.db"
    inputs = list(inputs)
    with paced_collections(), Store(db) as store:
        run_id = store.begin_run("analyze", inputs)
        status = "failed"
        try:
            with get_engine(engine, workers=workers, scheduler=scheduler, parts_dir=_parts_dir(store)) as run:
                before = store.count("articles")
                # Records are built on this machine's cores whatever engine analyses them; once
                # the run proves big, the engine's workers load their models meanwhile.
                report = ingest(inputs, store, run_id, settings, on_error=on_error, fetch=fetch,
                                workers=_local_cores(engine, workers),
                                on_stored=lambda added: run.prepare(before + added))
                cores = _render_cores(store, engine, workers)
                with AnalysisOutputs(store, Path(out) if out is not None else None, cores) as outputs:
                    analysis = analyze_store(store, settings, run=run, progress=progress,
                                             on_batch=outputs.add, keep_records=keep_records)
                    analysis.errors = report.errors
                    analysis.counts["errors"] = len(report.errors)
                    analysis.extra["ingest"] = {"files": report.files, "records": report.records,
                                                "added": report.added, "changed": report.changed,
                                                "unchanged": report.unchanged, "errors": len(report.errors)}
                    _tick(progress, "writing", 1, 1)
                    outputs.close(analysis)
            status = "errors" if report.errors else "ok"
        finally:
            store.finish_run(run_id, status)
    return analysis


def analyze_store(store: Store, settings: Settings, engine: str = "local", workers: int | None = None,
                  scheduler: str | None = None, progress: Progress | None = None,
                  on_batch: Callable[[Analysis], None] | None = None, keep_records: bool = True,
                  run=None) -> Analysis:
    """Run every stage over all articles in the store (results are not written here).

    After the stories, the stages run one batch of stories at a time (at most
    ``analysis_batch_articles`` articles, or one bigger story); ``on_batch`` receives each
    batch as an Analysis of those stories, their articles and their records. ``run``: an
    engine already open (the caller closes it), else one is opened from ``engine``,
    ``workers`` and ``scheduler``. The articles are loaded without their texts, which are
    read from the store when a stage needs them: with ``keep_records=False`` the returned
    articles hold theirs only in the last batch."""
    from .engine import get_engine

    opened = nullcontext(run) if run is not None else \
        get_engine(engine, workers=workers, scheduler=scheduler, parts_dir=_parts_dir(store))
    with paced_collections(), opened as run, StoredTexts(store.path) as texts:
        run.prepare(store.count("articles"))  # workers load their models during the boilerplate
        articles, changed = learned_articles(store, progress, texts)
        with _articles_ahead(run, articles, settings, store, texts) as ahead:
            return _analyze_articles(store, run, ahead, articles, changed, settings, progress, on_batch,
                                     keep_records, texts)


def _analyze_articles(store: Store, run, ahead, articles: list[Article], changed: dict, settings: Settings,
                      progress: Progress | None, on_batch, keep_records: bool, texts: StoredTexts) -> Analysis:
    """``analyze_store`` once the engine is open and the boilerplate learned. The articles
    come without their texts: each stage reads them through ``texts``; a batch holds its
    articles' texts until it is written (for good with ``keep_records``)."""
    from .stages.stories_incremental import stories_for_store

    duplicates = mark_duplicates(articles, settings, progress, texts)
    _tick(progress, "stories", 0, len(articles))
    stories = stories_for_store(store, articles, duplicates, settings, touched=changed, texts=texts).stories
    by_id = {a.id: a for a in articles}
    for story in stories:
        for aid in story.articles:
            by_id[aid].story = story.id

    analysis = Analysis(articles=articles, stories=stories, extra={"quote_groups": [], "facts": []})
    counts = dict.fromkeys(("links", "quotes", "claims", "claim_groups", "quote_groups", "facts"), 0)
    ticks = _BatchProgress(progress, len(articles))

    written: list[Analysis] = []  # the last batch handed to on_batch (it may still render)

    def finish(part: Analysis, stages: Callable[[], None]) -> None:
        stages()
        for name in counts:
            records = part.extra[name] if name in part.extra else getattr(part, name)
            counts[name] += len(records)
            if keep_records:
                (analysis.extra[name] if name in analysis.extra else getattr(analysis, name)).extend(records)
        if on_batch:
            _tick(progress, "writing", 0, 1)
            on_batch(part)
        if not keep_records:
            # A batch handed to on_batch may render until the next one is handed over; then
            # its stories need their records no more (kept, they grew a 100k run by ~400 MB),
            # nor its articles their texts.
            if written:
                _drop_batch(written.pop(), texts)
            if on_batch:
                written.append(part)
            else:
                _drop_batch(part, texts)

    # A batch's story stages are started before the previous batch is stored and
    # rendered, so the workers compute the one while this process writes the other.
    started = None
    for part in story_batches(analysis, settings.analysis_batch_articles):
        tick = ticks.batch(len(part.articles))
        texts.fill(part.articles)
        if ahead is not None:
            _take_per_article(ahead, part, progress)
        else:
            _per_article_stages(run, part, settings, tick, len(articles))
        stages = _start_story_stages(run, part, by_id, duplicates, settings, tick, len(articles))
        if started is not None:
            finish(*started)
        started = (part, stages)
        del part
    if started is not None:
        finish(*started)
    analysis.counts.update(counts, articles=len(articles), stories=len(stories))
    return analysis


def _drop_batch(part: Analysis, texts: HeldTexts) -> None:
    """The per-story records (facts, quote groups) out of a written batch's stories, and
    the texts out of its articles."""
    for story in part.stories:
        story.extra.pop("facts", None)
        story.extra.pop("quote_groups", None)
    texts.release(part.articles)


def story_batches(analysis: Analysis, max_articles: int) -> Iterator[Analysis]:
    """Runs of consecutive stories with at most ``max_articles`` articles together (a bigger
    story makes a batch alone), each with its articles in the analysis's article order."""
    stories = analysis.stories
    story_of = {a.id: a.story for a in analysis.articles}
    start = 0
    while start < len(stories):
        end, held = start, 0
        while end < len(stories) and (end == start or held + len(stories[end].articles) <= max_articles):
            held += len(stories[end].articles)
            end += 1
        ids = {s.id for s in stories[start:end]}
        yield Analysis(articles=[a for a in analysis.articles if story_of[a.id] in ids],
                       stories=stories[start:end])
        start = end


def _per_article_stages(run, part: Analysis, settings: Settings, progress, run_size: int) -> None:
    """Quotes, opinion and claims for a batch's articles; exact copies analysed once."""
    distinct, copies_of = _distinct_texts(part.articles)
    per_article = run.map_articles(distinct, settings, progress, size=run_size)
    _hand_to_story_stages(part, _with_copies(per_article, copies_of))


def _with_copies(results: dict[str, dict], copies_of: dict[str, list[str]]) -> dict[str, dict]:
    """``results`` (by representative) plus each exact copy's: its representative's, re-keyed."""
    for rep, copies in copies_of.items():
        template = _CopyResults(results[rep])
        for copy_id in copies:
            results[copy_id] = template.for_copy(copy_id)
    return results


class _Ahead:
    """The whole run's per-article results, computed ahead on the engine (engine/ahead.py),
    and which article's results each exact copy reuses."""

    def __init__(self, results, copies_of: dict[str, list[str]]):
        self.results = results
        self.rep_of = {copy: rep for rep, copies in copies_of.items() for copy in copies}


def _take_per_article(ahead: _Ahead, part: Analysis, progress) -> None:
    """A batch's per-article results from those computed ahead (copies re-keyed)."""
    copies_here: dict[str, list[str]] = defaultdict(list)
    for a in part.articles:
        if a.id in ahead.rep_of:
            copies_here[ahead.rep_of[a.id]].append(a.id)
    reps = sorted({a.id for a in part.articles if a.id not in ahead.rep_of} | copies_here.keys())
    got = ahead.results.take(reps, lambda done, total: _tick(progress, "quotes, opinion, claims", done, total))
    _hand_to_story_stages(part, _with_copies(got, copies_here))


@contextmanager
def _articles_ahead(run, articles: list[Article], settings: Settings, store: Store, texts: HeldTexts):
    """Start the per-article stages of the whole run on the engine's workers, when it has
    any (they then run while this process finds duplicates and stories); None otherwise.
    Each task's texts are read as it is handed to the engine."""
    if not articles or not run.parallel(len(articles)):
        yield None
        return
    from .engine.ahead import ArticleResults

    distinct, copies_of = _distinct_texts(articles, texts)
    path = getattr(store, "path", None)
    results = ArticleResults.start(run, distinct, settings, run.chunk,
                                   str(Path(path).parent) if path is not None else None, texts)
    try:
        yield _Ahead(results, copies_of)
    finally:
        results.close()


def _hand_to_story_stages(part: Analysis, per_article: dict[str, dict]) -> None:
    """Each article's opinion spans, and its quotes and claims grouped by story for the
    story stages."""
    quotes_by_story: dict[str, list] = defaultdict(list)
    claims_by_story: dict[str, list] = defaultdict(list)
    for art in part.articles:
        result = per_article.pop(art.id)
        art.opinion_spans = result["opinion_spans"]
        quotes_by_story[art.story].extend(result["quotes"])
        claims_by_story[art.story].extend(result["claims"])
    # Handed to the story stages through the part (and dropped there as tasks are built).
    part.extra["quotes_by_story"], part.extra["claims_by_story"] = quotes_by_story, claims_by_story


class _BatchProgress:
    """Progress over all batches: a stage's (done, total) in one batch becomes articles done
    of the whole run, so a progress bar does not restart with every batch."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress, self.total, self.before = progress, total, 0

    def batch(self, size: int) -> Progress:
        """The progress callback for the next batch, of ``size`` articles."""
        before = self.before
        self.before += size

        def tick(stage: str, done: int, total: int) -> None:
            if self.progress:
                share = done / total if total else 1.0
                self.progress(stage, before + round(share * size), self.total)
        return tick


def prepare_articles(store: Store, settings: Settings, progress: Progress | None = None):
    """The store's articles with learned boilerplate (written back) and duplicates marked:
    (articles, duplicates, {article id: boilerplate spans that changed in this run})."""
    articles, changed = learned_articles(store, progress)
    return articles, mark_duplicates(articles, settings, progress), changed


def learned_articles(store: Store, progress: Progress | None = None, texts: StoredTexts | None = None):
    """The store's articles with learned boilerplate (written back): (articles, {article id:
    boilerplate spans that changed in this run}). With ``texts`` the articles come without
    their texts (``text=None``), read through it when needed."""
    from .stages.boilerplate import learn_boilerplate

    articles = list(store.iter_articles(texts=texts is None))
    _tick(progress, "boilerplate", 0, len(articles))
    learned = learn_boilerplate(articles, texts=texts)
    changed = {a.id: learned[a.id] for a in articles if learned[a.id] != list(a.boilerplate_spans)}
    if changed:
        store.update_boilerplate(changed)
        for a in articles:
            if a.id in changed:
                a.boilerplate_spans = changed[a.id]
                a.__dict__.pop("_analysis_text", None)
    return articles, changed


def mark_duplicates(articles: list[Article], settings: Settings, progress: Progress | None = None,
                    texts: HeldTexts | None = None):
    """Duplicate groups (``find_duplicates``), each copy's ``duplicate_of`` set in place."""
    from .stages.dedupe import find_duplicates

    _tick(progress, "duplicates", 0, len(articles))
    duplicates = find_duplicates(articles, settings, texts)
    for a in articles:
        dup = duplicates.get(a.id)
        a.duplicate_of = dup.of if dup else None
    return duplicates


def _distinct_texts(articles: list[Article], texts: HeldTexts | None = None) -> tuple[list[Article], dict[str, list[str]]]:
    """Articles with distinct (text, boilerplate, date, language), and the exact copies of each.

    The per-article stages depend only on those fields, so a wire story carried verbatim by
    a thousand sites is analysed once. A text is known by a 16-byte digest, so the texts
    are read a chunk at a time (through ``texts``) and never all held.
    """
    texts = texts or HeldTexts()
    first: dict[tuple, str] = {}
    distinct: list[Article] = []
    copies_of: dict[str, list[str]] = defaultdict(list)
    for art in (a for chunk in texts.chunks(articles) for a in chunk):
        key = (text_key(art.text), tuple(map(tuple, art.boilerplate_spans)), art.published, art.language)
        if key in first:
            copies_of[first[key]].append(art.id)
        else:
            first[key] = art.id
            distinct.append(art)
    return distinct, copies_of


class _CopyResults:
    """A representative's per-article results, re-keyed for each exact copy.

    Record ids derive from the article id, so each copy gets its own. A copy's ``extra``
    dicts are shallow copies sharing the representative's values (no later stage changes
    them in place), except the few values holding record ids (an itemised total's parts),
    which are rebuilt with the copy's ids: 100,000 copies cost little more than their ids."""

    def __init__(self, result: dict):
        self.result = result
        self.records = result["quotes"] + result["claims"]
        old_ids = {r.id for r in self.records}
        self.keys_with_ids = [[key for key, value in r.extra.items() if _holds(value, old_ids)]
                              for r in self.records]

    def for_copy(self, article_id: str) -> dict:
        from dataclasses import replace

        from .ids import make_id

        ids = {r.id: make_id("q" if isinstance(r, Quote) else "c", article_id, *r.span) for r in self.records}

        def rekey(value):
            if isinstance(value, str):
                return ids.get(value, value)
            if isinstance(value, dict):
                return {k: rekey(v) for k, v in value.items()}
            if isinstance(value, list):
                return [rekey(v) for v in value]
            return value

        def copy(r, keys_with_ids):
            extra = dict(r.extra)
            for key in keys_with_ids:
                extra[key] = rekey(extra[key])
            return replace(r, id=ids[r.id], article=article_id, extra=extra)

        out = [copy(r, keys) for r, keys in zip(self.records, self.keys_with_ids)]
        n = len(self.result["quotes"])
        return {"opinion_spans": list(self.result["opinion_spans"]), "quotes": out[:n], "claims": out[n:]}


def _holds(value, ids: set[str]) -> bool:
    """Whether ``value`` is, or holds in its dicts and lists, one of ``ids``."""
    if isinstance(value, str):
        return value in ids
    if isinstance(value, dict):
        return any(_holds(v, ids) for v in value.values())
    if isinstance(value, list):
        return any(_holds(v, ids) for v in value)
    return False


def _parts_dir(store: Store) -> str | None:
    """Dask part files go next to the store unless STORYTRACE_PARTS_DIR names a shared folder."""
    path = getattr(store, "path", None)
    return str(Path(path).with_name(Path(path).name + ".parts")) if path is not None else None


STORIES_PER_TASK = 64  # at most this many stories in one group-stage task


def _start_story_stages(run, part: Analysis, by_id: dict[str, Article], duplicates, settings: Settings,
                        progress, run_size: int) -> Callable[[], None]:
    """Start the group stages, one story at a time (provenance, quote groups, claim
    verdicts), in batches of similar cost on the engine; the returned function waits for
    them and merges their results into ``part`` in story order."""
    from .engine import balanced_batches, run_story_chunk

    duplicate_of = {k: v.of for k, v in duplicates.items()}
    stories = part.stories
    quotes_by_story = part.extra.pop("quotes_by_story")
    claims_by_story = part.extra.pop("claims_by_story")

    def task(story) -> dict:
        members = [by_id[a] for a in story.articles]
        # Quotes popped: the task returns them with their groups set (a pool returns copies),
        # so nothing here holds them twice. Claims come back unchanged, so they stay here
        # and only the verdicts return: unpickling 92k claims sent back cost this process
        # 1.6-3.1 s at 10k articles.
        return {"story": story.id, "articles": members,
                "duplicate_of": {a.id: duplicate_of[a.id] for a in members if a.id in duplicate_of},
                "quotes": quotes_by_story.pop(story.id, []), "claims": claims_by_story.get(story.id, [])}

    costs = [len(s.articles) ** 2 + len(quotes_by_story.get(s.id, ())) + len(claims_by_story.get(s.id, ()))
             for s in stories]
    batches = balanced_batches(costs, 4 * max(1, getattr(run, "slots", 1)), STORIES_PER_TASK)
    payloads = [[task(stories[i]) for i in b] for b in batches]
    collect = run.start_tasks(run_story_chunk, payloads, settings, run_size)
    del payloads
    return lambda: _merge_story_results(part, batches, collect("stories: provenance, quotes, claims", progress),
                                        claims_by_story)


def _merge_story_results(part: Analysis, batches: list[list[int]], done: list,
                         claims_by_story: dict[str, list]) -> None:
    """The group stages' results (``done``: one list per batch of stories) and each story's
    claims into ``part``."""
    stories = part.stories
    results: list = [None] * len(stories)
    for batch, outs in zip(batches, done):
        for i, out in zip(batch, outs):
            results[i] = out
    quote_groups, provenance_facts = [], []
    for story, res in zip(stories, results):
        part.links.extend(res["links"])
        story.origins = res["origins"]
        # Kept with the story in the store too, so the web app and exports need no dossier file.
        story.extra.update({"origin_sources": res["origin_sources"],
                            "facts": [f.to_dict() for f in res["facts"]],
                            "quote_groups": res["quote_groups"]})
        provenance_facts.extend(res["facts"])
        part.quotes.extend(res["quotes"])
        quote_groups.extend(res["quote_groups"])
        part.claims.extend(claims_by_story.pop(story.id, []))
        part.claim_groups.extend(res["claim_groups"])
    part.extra["quote_groups"] = quote_groups
    part.extra["facts"] = provenance_facts


def per_story_stages(task: dict, settings: Settings) -> dict:
    """The group stages for one story; pure, so any worker gives the same result.

    ``task``: story id, its member articles (story order), their duplicate_of, and the
    quotes and claims the map stages found in them."""
    from .stages.conflicts import judge_claims
    from .stages.provenance import trace_provenance
    from .stages.quote_groups import group_quotes

    story_id, members = task["story"], task["articles"]
    prov = trace_provenance(story_id, members, task["duplicate_of"], settings)
    articles_here = {a.id: a for a in members}
    quotes, groups = group_quotes(story_id, task["quotes"], articles_here, prov.origin_of)
    return {"links": prov.links, "origins": prov.origins, "origin_sources": prov.origin_sources,
            "facts": list(prov.facts), "quotes": quotes, "quote_groups": groups,
            "claim_groups": judge_claims(story_id, task["claims"], articles_here, prov.origin_of)}


def warm_up_per_article() -> None:
    """Load the per-article stages' spaCy pipelines in this process (a worker, before its
    first task: the ~3 s CPU load then overlaps this run's ingest)."""
    from .nlp import warm_up
    from .stages.claims import TAGGER
    from .stages.quotes import NER_ONLY

    warm_up([TAGGER, NER_ONLY])


def per_article_stages(article: Article, settings: Settings) -> dict:
    """The map stages for one article; pure, so any worker gives the same result."""
    from .stages.claims import extract_claims
    from .stages.opinion import opinion_spans
    from .stages.quotes import extract_quotes
    from .stages.segments import Segments

    # Paragraphs, sentences and quotation marks are found once for the three stages.
    english = not article.language or article.language.lower().startswith("en")
    segments = Segments(article.analysis_text) if english else None
    quotes = extract_quotes(article, segments)
    return {"quotes": quotes, "opinion_spans": opinion_spans(article, segments),
            "claims": extract_claims(article, quotes, segments)}


def _tick(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress:
        progress(stage, done, total)


def _render_cores(store: Store, engine: str, workers: int | None) -> int:
    """Processes for the dossiers: this machine's cores (the local engine's worker count),
    whatever engine ran the stages, since the output folder is local."""
    from .engine.local import MIN_ARTICLES_FOR_POOL

    if store.count("articles") < MIN_ARTICLES_FOR_POOL:
        return 1  # a fork costs more than a few stories take to render
    return _local_cores(engine, workers)


def _local_cores(engine: str, workers: int | None) -> int:
    """This machine's processes for local work: the local engine's worker count, else the cores."""
    return workers if engine == "local" and workers is not None else (os.cpu_count() or 1)
