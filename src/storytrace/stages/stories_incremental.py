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

from ..model import Article, Story
from ..settings import Settings
from .dedupe import Duplicate
from .stories import (_precedence, _root, build_stories, cluster_similarity, content_similarity,
                      group_stories, representatives, story_vectors, time_factor)

# A stored story is a candidate for a new article at this share of the story threshold:
# below 1 so that merges which need a few new articles together are still seen.
REACH = 0.5


@dataclass
class StoryGrouping:
    stories: list[Story]
    stats: dict = field(default_factory=dict)


def stories_for_store(store, articles: list[Article], duplicates: dict[str, Duplicate],
                      settings: Settings, touched=()) -> StoryGrouping:
    """The stories stage of a run over ``store``: incremental when the store holds an
    analysis and ``settings.story_incremental`` is on. ``touched``: article ids whose
    analysed text changed in this run (boilerplate)."""
    from ..store.story_state import load_story_state

    return regroup_stories(articles, duplicates, load_story_state(store), settings, set(touched))


def regroup_stories(articles: list[Article], duplicates: dict[str, Duplicate], stored,
                    settings: Settings, touched: set[str] = frozenset()) -> StoryGrouping:
    """Stories for ``articles`` given the stored grouping (a ``StoredStories``)."""
    previous = stored.story_of
    if not articles:
        return StoryGrouping([], {"mode": "full", "representatives": 0, "reclustered": 0})
    if not settings.story_incremental or not previous:
        return _full(articles, duplicates, previous, settings, "full")

    arts = sorted(articles, key=_precedence)
    by_id = {a.id: a for a in arts}
    reps = representatives(arts, duplicates)
    n = len(reps)
    index = {a.id: i for i, a in enumerate(reps)}

    # What is new: never analysed, new version, new boilerplate, or another representative.
    dirty_stories: set[str] = set()
    seeds: set[int] = set()
    for a in arts:
        dup = duplicates.get(a.id)
        now_of = dup.of if dup else None
        if (a.id not in previous or a.id in stored.changed or a.id in touched
                or stored.duplicate_of.get(a.id) != now_of):
            seeds.add(index[_root(a.id, duplicates, by_id)])
            if a.id in previous:
                dirty_stories.add(previous[a.id])
    # A stored story whose members no longer all follow it (or whose id was lost) is dirty.
    story_reps: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(reps):
        if i not in seeds:
            story_reps[previous[a.id]].append(i)
    dirty_stories |= {sid for sid in story_reps if sid not in stored.labels}
    if not seeds and not dirty_stories:
        return _keep(arts, duplicates, reps, previous, stored, story_reps, n)

    words, ents, days, years = story_vectors(reps)
    clean = sorted(sid for sid in story_reps if sid not in dirty_stories)
    candidates = _reachable_stories(sorted(seeds), clean, story_reps, words, ents, days, years, settings)
    redo = set(dirty_stories) | candidates
    part = sorted(seeds | {i for sid in redo for i in story_reps.get(sid, ())})
    # Re-cluster the neighbourhood with the full run's rules, on the full run's features.
    idx = np.array(part)
    w_part, e_part = words[idx], ents[idx]
    sub_labels, sub_related = cluster_similarity(
        content_similarity(w_part, e_part, w_part, e_part, settings), days[idx], years[idx], settings)
    kept = [sid for sid in clean if sid not in redo]
    labels: list = [None] * n
    for i, lab in zip(part, sub_labels):
        labels[i] = ("new", lab)
    for sid in kept:
        for i in story_reps[sid]:
            labels[i] = ("kept", sid)
    related_pairs = [(("new", x), ("new", y)) for x, y in sub_related]
    related_pairs += _related_to_kept(idx, sub_labels, kept, story_reps, words, ents, settings)
    kept_set = set(kept)
    extra_related = {sid: [r for r in stored.related.get(sid, []) if r in kept_set] for sid in kept}
    known = {("kept", sid): stored.labels[sid] for sid in kept}
    stories = build_stories(arts, duplicates, reps, labels, related_pairs, previous,
                            known_labels=known, extra_related=extra_related)
    return StoryGrouping(stories, {"mode": "incremental", "representatives": n,
                                   "new": len(seeds), "stories_reopened": len(redo),
                                   "reclustered": len(part)})


def _full(articles, duplicates, previous, settings, mode) -> StoryGrouping:
    stories = group_stories(articles, duplicates, previous, settings)
    n = len(representatives(sorted(articles, key=_precedence), duplicates))
    return StoryGrouping(stories, {"mode": mode, "representatives": n, "reclustered": n})


def _keep(arts, duplicates, reps, previous, stored, story_reps, n) -> StoryGrouping:
    """Nothing new: the stored stories as they are."""
    labels = [previous[a.id] for a in reps]
    known = {sid: stored.labels[sid] for sid in story_reps}
    stories = build_stories(arts, duplicates, reps, labels, [], previous, known_labels=known,
                            extra_related={sid: stored.related.get(sid, []) for sid in story_reps})
    return StoryGrouping(stories, {"mode": "incremental", "representatives": n, "new": 0,
                                   "stories_reopened": 0, "reclustered": 0})


def _story_matrix(story_ids: list[str], story_reps: dict[str, list[int]], n: int):
    """n x stories one-hot membership of representatives, and story sizes."""
    from scipy.sparse import csr_matrix

    rows = [i for sid in story_ids for i in story_reps[sid]]
    cols = [k for k, sid in enumerate(story_ids) for _ in story_reps[sid]]
    member = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(story_ids)))
    sizes = np.array([len(story_reps[sid]) for sid in story_ids], dtype=np.float64)
    return member, sizes


def _reachable_stories(seeds: list[int], clean: list[str], story_reps, words, ents, days, years,
                       settings: Settings) -> set[str]:
    """Stored stories whose average damped similarity to a seed reaches REACH x threshold.

    Costs one sparse product of the seed rows against all rows: no square matrix."""
    if not seeds or not clean:
        return set()
    n = words.shape[0]
    s = np.array(seeds)
    sim = content_similarity(words[s], ents[s], words, ents, settings).tocoo()
    damped = sim.data * time_factor(days, years, s[sim.row], sim.col, settings)
    from scipy.sparse import csr_matrix

    damped = csr_matrix((damped, (sim.row, sim.col)), shape=sim.shape)
    member, sizes = _story_matrix(clean, story_reps, n)
    avg = np.asarray((damped @ member).todense()) / sizes
    reach = avg.max(axis=0) >= REACH * settings.story_threshold
    return {sid for sid, hit in zip(clean, reach) if hit}


def _related_to_kept(idx: np.ndarray, sub_labels: list[int], kept: list[str], story_reps,
                     words, ents, settings: Settings) -> list[tuple]:
    """Related pairs between re-clustered stories and kept ones: undamped average >= threshold,
    as in a full run."""
    if not kept or len(idx) == 0:
        return []
    from scipy.sparse import csr_matrix

    n = words.shape[0]
    sim = content_similarity(words[idx], ents[idx], words, ents, settings)
    member, sizes = _story_matrix(kept, story_reps, n)
    lab = np.asarray(sub_labels)
    k = int(lab.max()) + 1
    onehot = csr_matrix((np.ones(len(lab)), (lab, np.arange(len(lab)))), shape=(k, len(lab)))
    sums = np.asarray((onehot @ (sim @ member)).todense())  # new clusters x kept stories
    new_sizes = np.bincount(lab, minlength=k).astype(np.float64)
    avg = sums / np.outer(new_sizes, sizes)
    xs, ys = np.nonzero(avg >= settings.story_threshold)
    return [(("new", int(x)), ("kept", kept[y])) for x, y in zip(xs, ys)]
