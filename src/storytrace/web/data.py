"""Read-only loading for the web app: one story's records from the store as model objects.

The store holds articles (with their opinion spans), stories (with their passage-level
facts, quote groups and outside origins in ``stories.data``), links, quotes, claims and
claim groups: the app shows what ``analyze`` found. A written dossier
(``stories/SLUG/dossier.json`` beside the store) is reused when it describes the same
articles, so the app and the files agree exactly.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model import Article, Claim, ClaimGroup, Link, Passage, Quote, Story
from ..store import Store
from ..store.db import _row_to_article


def _json(value: str | None, default: Any) -> Any:
    try:
        return json.loads(value) if value else default
    except ValueError:
        return default


def load_story(store: Store, story_id: str) -> tuple[Story, dict] | None:
    """(Story, its records as an analysis-shaped dict) or None when the story is unknown."""
    row = store.conn.execute("SELECT * FROM stories WHERE id=?", (story_id,)).fetchone()
    if row is None:
        return None
    articles = [_row_to_article(r) for r in store.conn.execute(
        "SELECT * FROM articles WHERE story_id=? ORDER BY id", (story_id,))]
    extra = _json(row["data"], {})
    story = Story(id=row["id"], title=row["title"] or row["id"], articles=[a.id for a in articles],
                  origins=_json(row["origins"], []), related=_json(row["related"], []),
                  entities=_json(row["entities"], []), extra=extra if isinstance(extra, dict) else {})
    part = {"articles": articles, "links": load_links(store, "story_id=?", (story_id,)),
            "quotes": [_quote(r) for r in store.conn.execute("SELECT * FROM quotes WHERE story_id=?", (story_id,))],
            "claims": [_claim(r) for r in store.conn.execute("SELECT * FROM claims WHERE story_id=?", (story_id,))],
            "claim_groups": [_group(r) for r in store.conn.execute(
                "SELECT * FROM claim_groups WHERE story_id=?", (story_id,))],
            "extra": {"facts": story.extra.get("facts", []), "quote_groups": story.extra.get("quote_groups", [])}}
    return story, part


def load_links(store: Store, where: str, params: tuple) -> list[Link]:
    links = []
    for r in store.conn.execute(f"SELECT * FROM links WHERE {where} ORDER BY id", params):
        passages = []
        for p in _json(r["passages"], []):
            fs, ts = p.get("from_span"), p.get("to_span")
            if fs:
                passages.append(Passage(tuple(fs), tuple(ts) if ts else None))
        data = _json(r["data"], {})
        links.append(Link(from_=r["from_article"], to=r["to_article"], kind=r["kind"], to_source=r["to_source"],
                          cue=r["cue"], passages=passages, extra=data if isinstance(data, dict) else {}))
    return links


def _quote(r) -> Quote:
    data = _json(r["data"], {})
    return Quote(id=r["id"], article=r["article_id"], text=r["text"], span=(r["span_start"], r["span_end"]),
                 speaker=r["speaker"], group=r["quote_group"], extra=data if isinstance(data, dict) else {})


def _claim(r) -> Claim:
    data = _json(r["data"], {})
    return Claim(id=r["id"], article=r["article_id"], text=r["text"], span=(r["span_start"], r["span_end"]),
                 low=r["low"], high=r["high"], unit=r["unit"], subject=r["subject"],
                 attributed_to=r["attributed_to"], extra=data if isinstance(data, dict) else {})


def _group(r) -> ClaimGroup:
    data = _json(r["data"], {})
    return ClaimGroup(id=r["id"], story=r["story_id"], subject=r["subject"] or "", claims=_json(r["claims"], []),
                      verdict=r["verdict"] or "", explanation=r["explanation"] or "",
                      independent_origins=r["independent_origins"], extra=data if isinstance(data, dict) else {})


def written_dossier(db: str | Path, story_id: str, article_ids: list[str]) -> dict | None:
    """The dossier.json that ``analyze --out`` wrote beside the store, if it matches the store."""
    from ..report.html import story_slug

    path = Path(db).resolve().parent / "stories" / story_slug(story_id) / "dossier.json"
    try:
        if not path.is_file() or path.stat().st_size > 200_000_000:
            return None
        d = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if d.get("id") != story_id or sorted(a.get("id") for a in d.get("articles", [])) != sorted(article_ids):
        return None
    return d


def load_article(store: Store, article_id: str) -> Article | None:
    row = store.conn.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
    return _row_to_article(row) if row else None
