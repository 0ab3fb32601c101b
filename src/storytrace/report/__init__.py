"""Story dossiers: JSON, Markdown and self-contained HTML, plus ``DIR/index.html``.

Layout of ``DIR``::

    index.html (index-2.html ... when there are many stories)
    stories/SLUG/index.html          the dossier
    stories/SLUG/articles-N.html     the articles, 50 a page, reused passages highlighted
    stories/SLUG/dossier.md          the same dossier as Markdown
    stories/SLUG/dossier.json        the same dossier as JSON (see docs/json-contract.md)
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .bundle import Limits, get, story_dossier
from .html import links_by_article, render_article_pages, render_index, render_story, story_slug, write_text_atomic
from .markdown import render_markdown

STORIES_PER_INDEX_PAGE = 500

__all__ = ["write_reports", "story_dossier", "render_story", "render_markdown", "Limits", "story_slug"]


def write_reports(analysis: Any, out_dir: str | Path, limits: Limits = Limits()) -> Path:
    """Write every story's dossier and the index under ``out_dir``; return index.html's path."""
    out = Path(out_dir)
    (out / "stories").mkdir(parents=True, exist_ok=True)
    articles = {get(a, "id"): a for a in get(analysis, "articles", [])}
    links_of = links_by_article(get(analysis, "links", []))
    rows = []
    parts = split_by_story(analysis)
    for story in sorted(get(analysis, "stories", []), key=lambda s: (-len(get(s, "articles", [])), get(s, "id", ""))):
        d = story_dossier(parts.get(get(story, "id"), {}), story, limits)
        folder = out / "stories" / story_slug(d["id"])
        folder.mkdir(parents=True, exist_ok=True)
        write_story_files(folder, d, links_of, articles, limits)
        verdicts = [g["verdict"] for g in d["claim_groups"]]
        rows.append({"id": d["id"], "title": d["title"], "href": f"stories/{story_slug(d['id'])}/index.html",
                     "articles": d["counts"]["articles"], "outlets": d["counts"]["outlets"],
                     "origins": d["counts"]["origins"] + len(d["origin_sources"]),
                     "disputed": verdicts.count("disputed"), "conflict": verdicts.count("conflict"),
                     "first": d["first_published"]})
    pages = max(1, -(-len(rows) // STORIES_PER_INDEX_PAGE))
    for page in range(1, pages + 1):
        chunk = rows[(page - 1) * STORIES_PER_INDEX_PAGE: page * STORIES_PER_INDEX_PAGE]
        name = "index.html" if page == 1 else f"index-{page}.html"
        write_text_atomic(out / name, render_index(chunk, page, pages, len(rows)))
    return out / "index.html"


def write_story_files(folder: Path, d: dict, links_of: dict, articles: dict, limits: Limits) -> None:
    seen: dict[int, Any] = {}
    for a in d["articles"]:
        for lk in links_of.get(a["id"], []):
            seen[id(lk)] = lk
    member_links = list(seen.values())
    write_text_atomic(folder / "index.html", render_story(d, limits))
    for page, html in render_article_pages(d, member_links, articles, limits):
        write_text_atomic(folder / f"articles-{page}.html", html)
    write_text_atomic(folder / "dossier.md", render_markdown(d))
    write_text_atomic(folder / "dossier.json", json.dumps(d, ensure_ascii=False) + "\n")  # C encoder: no indent


def split_by_story(analysis: Any) -> dict[str, dict]:
    """Each story's own records, bucketed in one pass (so many stories never cost stories x records)."""
    story_of = {aid: get(s, "id") for s in get(analysis, "stories", []) for aid in get(s, "articles", [])}
    for a in get(analysis, "articles", []):
        story_of.setdefault(get(a, "id"), get(a, "story"))
    parts: dict[str, dict] = {}

    def part(sid):
        return parts.setdefault(sid, {"articles": [], "links": [], "quotes": [], "claims": [], "claim_groups": [],
                                      "extra": {"facts": [], "quote_groups": []}})
    for a in get(analysis, "articles", []):
        part(story_of.get(get(a, "id")))["articles"].append(a)
    for lk in get(analysis, "links", []):
        part(story_of.get(get(lk, "from_") or get(lk, "from")))["links"].append(lk)
    for name in ("quotes", "claims"):
        for rec in get(analysis, name, []):
            part(story_of.get(get(rec, "article")))[name].append(rec)
    for g in get(analysis, "claim_groups", []):
        part(get(g, "story"))["claim_groups"].append(g)
    ex = get(analysis, "extra", {}) or {}
    for f in ex.get("facts") or []:
        part(story_of.get(get(f, "article")))["extra"]["facts"].append(f)
    for g in ex.get("quote_groups") or []:
        part(get(g, "story"))["extra"]["quote_groups"].append(g)
    return parts
