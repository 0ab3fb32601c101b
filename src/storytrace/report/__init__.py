"""Story dossiers: JSON, Markdown and self-contained HTML, plus ``DIR/index.html``.

Layout of ``DIR``::

    index.html (index-2.html ... when there are many stories)
    stories/SLUG/index.html          the dossier
    stories/SLUG/articles-N.html     the articles, 50 a page, reused passages highlighted
    stories/SLUG/dossier.md          the same dossier as Markdown
    stories/SLUG/dossier.json        the same dossier as JSON (see docs/json-contract.md)
"""
from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .. import jsontext
from .bundle import Limits, get, story_dossier
from .html import (links_by_article, render_article_pages, render_index, render_story, story_slug, warm_templates,
                   write_text_atomic)
from .markdown import render_markdown

STORIES_PER_INDEX_PAGE = 500

__all__ = ["write_reports", "ReportWriter", "write_index", "story_order", "story_dossier", "render_story", "render_markdown", "Limits", "story_slug"]


def write_reports(analysis: Any, out_dir: str | Path, limits: Limits = Limits(), workers: int = 1) -> Path:
    """Write every story's dossier and the index under ``out_dir``; return index.html's path.

    With ``workers`` > 1 the stories are rendered by that many forked processes."""
    return ReportWriter(analysis, out_dir, limits, workers).finish()


class ReportWriter:
    """Renders the stories' files, in forked worker processes when asked, while the caller
    goes on (the pipeline writes the store meanwhile); ``finish()`` waits and writes the index.

    Forking lets the workers read the analysis from memory instead of receiving it pickled:
    at 10k articles that would be hundreds of MB. Each worker starts with ``gc.freeze()``:
    what it inherited lives as long as it does, and its collections no longer walk (and
    copy, page by page) the whole inherited heap."""

    def __init__(self, analysis: Any, out_dir: str | Path, limits: Limits = Limits(), workers: int = 1):
        self.job = _StoryJob(analysis, Path(out_dir), limits)
        self.pool = None
        self.pending: list = []
        n = len(self.job.stories)
        if workers > 1 and n > 1 and "fork" in multiprocessing.get_all_start_methods():
            global _JOB
            _JOB = self.job  # read by the forked workers (_render_range)
            warm_templates()  # once here rather than in every worker of every batch
            self.pool = ProcessPoolExecutor(min(workers, n), mp_context=multiprocessing.get_context("fork"),
                                            initializer=gc.freeze)
            self.pending = [self.pool.submit(_render_range, r) for r in self.job.ranges(workers)]

    def finish(self) -> Path:
        """Wait for the stories' files, then write the index; return index.html's path."""
        return write_index(self.job.out, self.rows())

    def rows(self) -> list[dict]:
        """Wait for the stories' files; their index rows (biggest story first)."""
        try:
            if self.pool is None:
                return [self.job.render(i) for i in range(len(self.job.stories))]
            return [row for future in self.pending for row in future.result()]
        finally:
            self.cancel()

    def cancel(self) -> None:
        global _JOB
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
            if _JOB is self.job:
                _JOB = None


def write_index(out: Path, rows: list[dict]) -> Path:
    """The index pages over the stories' rows, STORIES_PER_INDEX_PAGE a page."""
    pages = max(1, -(-len(rows) // STORIES_PER_INDEX_PAGE))
    for page in range(1, pages + 1):
        chunk = rows[(page - 1) * STORIES_PER_INDEX_PAGE: page * STORIES_PER_INDEX_PAGE]
        name = "index.html" if page == 1 else f"index-{page}.html"
        write_text_atomic(out / name, render_index(chunk, page, pages, len(rows)))
    return out / "index.html"


def story_order(stories: list) -> list:
    """The order of the index: biggest story first, then by id."""
    return sorted(stories, key=lambda s: (-len(get(s, "articles", [])), get(s, "id", "")))


class _StoryJob:
    """Everything one story's files need, bucketed once for all stories."""

    def __init__(self, analysis: Any, out: Path, limits: Limits):
        self.out, self.limits = out, limits
        (out / "stories").mkdir(parents=True, exist_ok=True)
        self.articles = {get(a, "id"): a for a in get(analysis, "articles", [])}
        self.links_of = links_by_article(get(analysis, "links", []))
        self.parts = split_by_story(analysis)
        self.stories = story_order(get(analysis, "stories", []))

    def ranges(self, workers: int) -> list[tuple[int, int]]:
        """Runs of consecutive stories holding about 1/(8 x workers) of the articles each
        (biggest stories first), so the workers finish at about the same time."""
        sizes = [len(get(s, "articles", [])) for s in self.stories]
        target = max(1, sum(sizes) // (8 * workers))
        out, start, held = [], 0, 0
        for i, size in enumerate(sizes):
            held += size
            if held >= target:
                out.append((start, i + 1))
                start, held = i + 1, 0
        if start < len(sizes):
            out.append((start, len(sizes)))
        return out

    def render(self, i: int) -> dict:
        """Write story ``i``'s files; return its row for the index."""
        story = self.stories[i]
        d = story_dossier(self.parts.get(get(story, "id"), {}), story, self.limits)
        folder = self.out / "stories" / story_slug(d["id"])
        folder.mkdir(parents=True, exist_ok=True)
        write_story_files(folder, d, self.links_of, self.articles, self.limits)
        verdicts = [g["verdict"] for g in d["claim_groups"]]
        return {"id": d["id"], "title": d["title"], "href": f"stories/{story_slug(d['id'])}/index.html",
                "articles": d["counts"]["articles"], "outlets": d["counts"]["outlets"],
                "origins": d["counts"]["origins"] + len(d["origin_sources"]),
                "disputed": verdicts.count("disputed"), "conflict": verdicts.count("conflict"),
                "first": d["first_published"]}


_JOB: _StoryJob | None = None


def _render_range(bounds: tuple[int, int]) -> list[dict]:
    return [_JOB.render(i) for i in range(*bounds)]


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
    write_text_atomic(folder / "dossier.json", jsontext.dumps(d) + "\n")


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
