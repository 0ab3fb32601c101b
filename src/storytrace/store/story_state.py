"""What the store remembers of the last story grouping, for an incremental update.

Read-only queries: each article's story and duplicate_of as last written by an analysis,
the stored stories' labels and related lists, and which articles changed text since.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from .db import Store


@dataclass
class StoredStories:
    story_of: dict[str, str] = field(default_factory=dict)  # article id -> story id
    duplicate_of: dict[str, str | None] = field(default_factory=dict)  # of analysed articles
    changed: set[str] = field(default_factory=set)  # analysed, then replaced by a new version
    labels: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # story -> (title, entities)
    related: dict[str, list[str]] = field(default_factory=dict)  # story id -> related story ids


def load_story_state(store: Store) -> StoredStories:
    state = StoredStories()
    for aid, sid, dup in store.conn.execute(
            "SELECT id, story_id, duplicate_of FROM articles WHERE story_id IS NOT NULL"):
        state.story_of[aid] = sid
        state.duplicate_of[aid] = dup
    if not state.story_of:
        return state
    state.changed = _changed_since_analysis(store)
    for sid, title, entities, related in store.conn.execute(
            "SELECT id, title, entities, related FROM stories"):
        state.labels[sid] = (title or "", json.loads(entities))
        state.related[sid] = json.loads(related)
    return state


def _changed_since_analysis(store: Store) -> set[str]:
    """Analysed articles whose text was replaced after the last finished analysis.

    A new version keeps the old row's story_id, so the text it was grouped on is gone. When
    no finished ``analyze`` run is on record (analyses written by other code), every
    article with more than one version counts as changed: safe, only slower.
    """
    row = store.conn.execute(
        "SELECT max(id) FROM runs WHERE command='analyze' AND status IN ('ok', 'errors')").fetchone()
    last = row[0] if row and row[0] is not None else -1
    return {r[0] for r in store.conn.execute(
        "SELECT id FROM articles WHERE story_id IS NOT NULL AND version > 1 "
        "AND (run_id IS NULL OR run_id > ? OR ? < 0)", (last, last))}
