"""Incremental story grouping: new articles join stored stories or open new ones.

A store that already holds an analysis keeps it: only the *neighbourhood* of the articles
that are new since (new ids, new versions, texts whose boilerplate changed, copies whose
representative changed) is re-clustered, with the same rules as a full run (average
linkage on time-damped similarity, then the near-miss split). Every other story is kept
exactly as stored, with its id, members, title and entities.

The neighbourhood: the stored stories that a new article could join, i.e. whose average
damped similarity to some new article reaches ``REACH`` x ``story_threshold`` (average
linkage merges a new article, or a group of them, into a story only when that average
reaches the threshold), plus every story that held a changed article. Those stories and
the new articles are clustered together; the result replaces them.

Features are refitted on all representatives (the exact IDF a full run uses), so the
re-clustered part is what a full run computes for it. Stories outside the neighbourhood
keep the grouping made with the IDF of their own run: benchmarks/incremental_stories.py
measures how far that drifts from a full run.

Ids follow ``stories._stable_ids`` as in a full run: a story keeps its id when it absorbs
articles; a new story's id derives from its earliest article.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..article_texts import HeldTexts
from ..model import Article, Story
from ..settings import Settings
from .dedupe import Duplicate
from .stories import (Similarity, _precedence, _root, _story_features, build_stories, cluster_similarity,
                      content_similarity, group_stories, representatives, story_embedder, time_factor)
from .story_embeddings import Embedder

# A stored story is a candidate for a new article at this share of the story threshold:
# below 1 so that merges which need a few new articles together are still seen.
REACH = 0.5


@dataclass
class StoryGrouping:
    stories: list[Story]
    stats: dict = field(default_factory=dict)


def stories_for_store(store, articles: list[Article], duplicates: dict[str, Duplicate],
                      settings: Settings, touched=(), texts: HeldTexts | None = None) -> StoryGrouping:
    """The stories stage of a run over ``store``: incremental when the store holds an
    analysis and ``settings.story_incremental`` is on. ``touched``: article ids whose
    analysed text changed in this run (boilerplate); ``texts``: where articles loaded
    without text get theirs."""
    from ..store.story_state import load_story_state

    # Sentence embeddings (when on) are cached in the store: a later run encodes only new texts.
    embedder = story_embedder(settings, Embedder(cache=store.embeddings()))
    return regroup_stories(articles, duplicates, load_story_state(store), settings, set(touched), texts, embedder)


def regroup_stories(articles: list[Article], duplicates: dict[str, Duplicate], stored,
                    settings: Settings, touched: set[str] = frozenset(),
                    texts: HeldTexts | None = None, embedder: Embedder | None = None) -> StoryGrouping:
    """Stories for ``articles`` given the stored grouping (a ``StoredStories``)."""
    previous = stored.story_of
    if not articles:
        return StoryGrouping([], {"mode": "full", "representatives": 0, "reclustered": 0})
    if not settings.story_incremental or not previous:
        return _full(articles, duplicates, previous, settings, "full", texts, embedder)

    arts = sorted(articles, key=_precedence)
    by_id = {a.id: a for a in arts}
    reps = representatives(arts, duplicates)
    n = len(reps)
    index = {a.id: i for i, a in enumerate(reps)}

    # What is new: never analysed, new version, new boilerplate, or a new duplicate status.
    # Such a representative is re-clustered; such an analysed article reopens its story. A
    # new copy of an unchanged representative needs neither: it follows its representative.
    dirty_stories: set[str] = set()
    seeds: set[int] = set()
    for a in arts:
        dup = duplicates.get(a.id)
        now_of = dup.of if dup else None
        if (a.id not in previous or a.id in stored.changed or a.id in touched
                or stored.duplicate_of.get(a.id) != now_of):
            if a.id in index:
                seeds.add(index[a.id])
            if a.id in previous:
                dirty_stories.add(previous[a.id])
    # A stored story whose members no longer all follow it (or whose id was lost) is dirty.
    story_reps: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(reps):
        if i not in seeds:
            story_reps[previous[a.id]].append(i)
    dirty_stories |= {sid for sid in story_reps if sid not in stored.labels}
    if not seeds and not dirty_stories:
        return _keep(arts, duplicates, reps, previous, stored, story_reps, n, texts)

    words, ents, days, years, emb, rep_names = _story_features(reps, texts, story_embedder(settings, embedder))
    clean = sorted(sid for sid in story_reps if sid not in dirty_stories)
    candidates = _reachable_stories(sorted(seeds), clean, story_reps, words, ents, days, years, settings, emb)
    redo = set(dirty_stories) | candidates
    part = sorted(seeds | {i for sid in redo for i in story_reps.get(sid, ())})
    # Re-cluster the neighbourhood with the full run's rules, on the full run's features.
    idx = np.array(part)
    w_part, e_part = words[idx], ents[idx]
    sub_labels, _ = cluster_similarity(Similarity(w_part, e_part, settings, None if emb is None else emb[idx]),
                                       days[idx], years[idx], settings)
    kept = [sid for sid in clean if sid not in redo]
    labels: list = [None] * n
    for i, lab in zip(part, sub_labels):
        labels[i] = ("new", lab)
    for sid in kept:
        for i in story_reps[sid]:
            labels[i] = ("kept", sid)
    related_pairs = _related_pairs_all(labels, words, ents, settings, emb)
    known = _unchanged_labels(arts, duplicates, by_id, reps, labels, previous, stored)
    stories = build_stories(arts, duplicates, reps, labels, related_pairs, previous, known_labels=known,
                            rep_names=rep_names, texts=texts)
    return StoryGrouping(stories, {"mode": "incremental", "representatives": n,
                                   "new": len(seeds), "stories_reopened": len(redo),
                                   "reclustered": len(part)})


def _full(articles, duplicates, previous, settings, mode, texts=None, embedder=None) -> StoryGrouping:
    stories = group_stories(articles, duplicates, previous, settings, texts, embedder)
    n = len(representatives(sorted(articles, key=_precedence), duplicates))
    return StoryGrouping(stories, {"mode": mode, "representatives": n, "reclustered": n})


def _keep(arts, duplicates, reps, previous, stored, story_reps, n, texts=None) -> StoryGrouping:
    """Nothing new: the stored stories as they are."""
    labels = [previous[a.id] for a in reps]
    known = _unchanged_labels(arts, duplicates, {a.id: a for a in arts}, reps, labels, previous, stored)
    stories = build_stories(arts, duplicates, reps, labels, [], previous, known_labels=known,
                            extra_related={sid: stored.related.get(sid, []) for sid in story_reps}, texts=texts)
    return StoryGrouping(stories, {"mode": "incremental", "representatives": n, "new": 0,
                                   "stories_reopened": 0, "reclustered": 0})


def _unchanged_labels(arts, duplicates, by_id, reps, labels, previous, stored) -> dict:
    """Stored (title, entities) of kept stories whose members are exactly the stored ones
    (a new copy changes the label a full run computes, so that story is labelled again)."""
    label_of_rep = {a.id: lab for a, lab in zip(reps, labels)}
    members: dict = defaultdict(set)
    for a in arts:
        members[label_of_rep[_root(a.id, duplicates, by_id)]].add(a.id)
    stored_members: dict[str, set[str]] = defaultdict(set)
    for aid, sid in previous.items():
        stored_members[sid].add(aid)
    out = {}
    for lab, ids in members.items():
        sid = lab[1] if isinstance(lab, tuple) and lab[0] == "kept" else lab
        if isinstance(sid, str) and sid in stored.labels and stored_members.get(sid) == ids:
            out[lab] = stored.labels[sid]
    return out


def _story_matrix(story_ids: list[str], story_reps: dict[str, list[int]], n: int):
    """n x stories one-hot membership of representatives, and story sizes."""
    from scipy.sparse import csr_matrix

    rows = [i for sid in story_ids for i in story_reps[sid]]
    cols = [k for k, sid in enumerate(story_ids) for _ in story_reps[sid]]
    member = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(story_ids)))
    sizes = np.array([len(story_reps[sid]) for sid in story_ids], dtype=np.float64)
    return member, sizes


def _reachable_stories(seeds: list[int], clean: list[str], story_reps, words, ents, days, years,
                       settings: Settings, emb: np.ndarray | None = None) -> set[str]:
    """Stored stories whose average damped similarity to a seed reaches REACH x threshold.

    Costs one product of the seed rows against all rows (sparse; with embeddings dense, a
    chunk of seeds at a time): no square matrix."""
    if not seeds or not clean:
        return set()
    from scipy.sparse import csr_matrix

    n = words.shape[0]
    member, sizes = _story_matrix(clean, story_reps, n)
    best = np.full(len(clean), -np.inf)
    step = len(seeds) if emb is None else max(1, Similarity.ENTRIES_PER_CHUNK // max(1, n))
    for start in range(0, len(seeds), step):
        s = np.array(seeds[start:start + step])
        sim = content_similarity(words[s], ents[s], words, ents, settings,
                                 None if emb is None else emb[s], emb)
        sim = csr_matrix(sim).tocoo()
        damped = sim.data * time_factor(days, years, s[sim.row], sim.col, settings)
        damped = csr_matrix((damped, (sim.row, sim.col)), shape=sim.shape)
        avg = np.asarray((damped @ member).todense()) / sizes
        best = np.maximum(best, avg.max(axis=0))
    reach = best >= REACH * settings.story_threshold
    return {sid for sid, hit in zip(clean, reach) if hit}


def _related_pairs_all(labels: list, words, ents, settings: Settings, emb: np.ndarray | None = None) -> list[tuple]:
    """Related story pairs, all stories at once: undamped average similarity >= threshold,
    the full run's rule. The average over all member pairs is bilinear, so it is the dot
    product of the stories' summed vectors: stories x vocabulary, never articles x articles.
    Recomputed for kept stories too, on the current IDF."""
    from scipy.sparse import csr_matrix

    keys = sorted(set(labels), key=str)
    pos = {k: i for i, k in enumerate(keys)}
    cols = np.array([pos[lab] for lab in labels])
    member = csr_matrix((np.ones(len(cols)), (cols, np.arange(len(cols)))), shape=(len(keys), len(cols)))
    sw, se = member @ words.astype(np.float64), member @ ents.astype(np.float64)
    sv = None if emb is None else member @ emb.astype(np.float64)  # summed embeddings (dense)
    w, e = settings.story_entity_weight, settings.story_embedding_weight
    sizes = np.bincount(cols, minlength=len(keys)).astype(np.float64)
    pairs = []
    # A chunk of stories against the stories after it: 25k stories (100k articles) would
    # make a 5 GB square matrix.
    rows = max(1, Similarity.ENTRIES_PER_CHUNK // max(1, len(keys)))
    for start in range(0, len(keys), rows):
        stop = min(len(keys), start + rows)
        sums = ((1 - w) * (sw[start:stop] @ sw[start:].T) + w * (se[start:stop] @ se[start:].T)).toarray()
        if sv is not None:
            sums = (1 - e) * sums + e * (sv[start:stop] @ sv[start:].T)
        avg = sums / np.outer(sizes[start:stop], sizes[start:])
        xs, ys = np.nonzero(np.triu(avg >= settings.story_threshold, 1))
        pairs += [(keys[x + start], keys[y + start]) for x, y in zip(xs, ys)]
    return pairs
