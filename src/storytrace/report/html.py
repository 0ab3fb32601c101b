"""Self-contained HTML dossiers: inline CSS and SVG, no script, a CSP that allows none.

Jinja2 autoescapes every value; URLs become links only through ``safe_href`` (http/https),
and control characters are dropped before rendering. The same templates serve the web app
with another ``Linker`` (see storytrace.web).
"""
from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from .bundle import Limits, article_marks, get, segments, sentence_anchor, sentences
from .svg import graph_layout, provenance_svg, timeline_svg

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def strip_controls(value: Any) -> Any:
    """Drop control characters (newline and tab stay) from any string before it is shown."""
    if isinstance(value, Markup):  # already built from escaped parts (macros, our SVG)
        return value
    return _CONTROL.sub("", value) if isinstance(value, str) else value


@lru_cache(maxsize=1)
def css() -> str:
    return resources.files(__package__).joinpath("templates/style.css").read_text(encoding="utf-8")


def static_csp() -> str:
    """The dossier policy: nothing may load or run; only our own inline stylesheet applies."""
    digest = base64.b64encode(hashlib.sha256(css().encode("utf-8")).digest()).decode()
    return (f"default-src 'none'; script-src 'none'; style-src 'sha256-{digest}'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def text_html(sentences: list[dict]) -> Markup:
    """An article's text as HTML: a span per sentence (its anchor) holding a span per
    highlighted piece. Built here rather than in the template, where the per-piece loop was
    the dossier's largest cost; the output is what the template loop gave."""
    out = []
    for sent in sentences:
        out.append(f'<span id="{escape(strip_controls(sent["anchor"]))}">')
        for piece in sent["pieces"]:
            text = escape(strip_controls(piece["text"]))
            if piece["classes"]:
                out.append(f'<span class="{escape(strip_controls(" ".join(piece["classes"])))}">{text}</span>')
            else:
                out.append(text)
        out.append("</span>")
    return Markup("".join(out))


def cssname(value: Any) -> str:
    return re.sub(r"[^a-z0-9_-]", "-", str(value or "").lower())[:60]


def when(value: Any) -> str:
    """An ISO time as a person reads it: '1 Mar 2026 08:00 UTC' (dates alone stay dates)."""
    from ..stages.reuse import parse_time

    t = parse_time(value) if isinstance(value, str) else None
    if not t:
        return value or "undated"
    fmt = "%-d %b %Y %H:%M UTC" if t[1] else "%-d %b %Y"
    return t[0].strftime(fmt)


def make_env(extra_loader=None):
    import jinja2

    loaders = [jinja2.PackageLoader("storytrace.report", "templates")]
    if extra_loader is not None:
        loaders.insert(0, extra_loader)
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                             finalize=strip_controls, trim_blocks=False, lstrip_blocks=False)
    env.filters["cssname"] = cssname
    env.filters["when"] = when
    env.filters["text_html"] = text_html
    env.globals["pager_items"] = pager_items
    return env


def pager_items(current: int, pages: int) -> list[tuple[str, int]]:
    """("current" | "link" | "gap", page) for a pager: the first ten pages, the last three and
    three either side of the current one. Only those are visited, so a story of 2,000 pages
    does not cost 2,000 x 2,000 loop steps."""
    near = range(max(1, current - 3), min(pages, current + 3) + 1)
    candidates = sorted({*range(1, min(pages, 10) + 1), *range(max(1, pages - 3), pages + 1), *near, 11} & set(range(1, pages + 1)))
    items = []
    for p in candidates:
        if p == current:
            items.append(("current", p))
        elif p <= 10 or p > pages - 3 or abs(p - current) < 4:
            items.append(("link", p))
        elif p == 11 or p == pages - 3:
            items.append(("gap", p))
    return items


@lru_cache(maxsize=1)
def _env():
    return make_env()


def story_slug(story_id: str) -> str:
    """A file-name-safe folder for a story (ids may come from anywhere)."""
    slug = re.sub(r"[^A-Za-z0-9_-]", "_", story_id or "story")[:80]
    if slug != story_id:
        from ..ids import digest
        slug = f"{slug[:60]}-{digest(story_id, size=4)}"
    return slug


class StaticLinker:
    """Relative links between the files of ``DIR``: index.html and stories/SLUG/*.html."""

    def __init__(self, depth: int = 2):
        self.up = "../" * depth

    def index(self) -> str:
        return f"{self.up}index.html"

    def story(self, d: dict) -> str:
        return f"{self.up}stories/{story_slug(d['id'])}/index.html"

    def articles_page(self, d: dict, page: int) -> str:
        return f"{self.up}stories/{story_slug(d['id'])}/articles-{page}.html"

    def article(self, a: dict) -> str:
        return f"articles-{a['page']}.html#{a['anchor']}"

    def sentence(self, ref: dict) -> str:
        page = self.pages.get(ref["article"], 1)
        return f"articles-{page}.html#{ref['anchor']}"

    def formats(self, d: dict) -> list[tuple[str, str]]:
        return [("Markdown", "dossier.md"), ("JSON", "dossier.json")]

    def compare(self, a: str, b: str) -> str | None:
        return None

    def for_dossier(self, d: dict) -> "StaticLinker":
        self.pages = {a["id"]: a["page"] for a in d["articles"]}
        return self


def article_view(analysis_links: list, article: Any, row: dict, rows_by_id: dict,
                 same_text_as: dict | None = None) -> dict:
    """One article's text cut into sentences (each with its anchor) and highlighted pieces.

    A word-for-word copy of another article in the story (``same_text_as``, the row of its
    representative) keeps its sentence anchors but not the text: the page says where to
    read it, so 100,000 verbatim copies do not print the same text 100,000 times."""
    text = get(article, "text", "")
    sents: list[dict] = []
    if same_text_as is not None:
        sents = [{"start": s, "anchor": sentence_anchor(row["id"], s), "pieces": []}
                 for s in sorted({0} | {s for s, _ in sentences(text)})]
    else:
        for p in segments(text, article_marks(analysis_links, article)):
            if not sents or sents[-1]["start"] != p["sentence"]:
                sents.append({"start": p["sentence"], "anchor": sentence_anchor(row["id"], p["sentence"]), "pieces": []})
            sents[-1]["pieces"].append(p)
    sources = []
    for lk in analysis_links:
        if (get(lk, "from_") or get(lk, "from")) != row["id"]:
            continue
        to = get(lk, "to")
        label = (rows_by_id[to]["source"] or to) if to in rows_by_id else (get(lk, "to_source") or "?")
        sources.append({"label": label, "kind": get(lk, "kind"), "uncredited": bool((get(lk, "extra") or {}).get("uncredited"))})
    sources.sort(key=lambda s: (str(s["label"]), str(s["kind"])))
    return {**row, "sentences": sents, "sources": sources, "same_text_as": same_text_as}


def links_by_article(links: list) -> dict[str, list]:
    """Each article's links (as the derived or the source side), so a page never scans them all."""
    out: dict[str, list] = {}
    for lk in links:
        for aid in {get(lk, "from_") or get(lk, "from"), get(lk, "to")}:
            if aid:
                out.setdefault(aid, []).append(lk)
    return out


def story_context(d: dict, link, limits: Limits, graph_href=None) -> dict:
    verdicts: dict[str, int] = {}
    for g in d["claim_groups"]:
        verdicts[g["verdict"]] = verdicts.get(g["verdict"], 0) + 1
    altered = sum(1 for q in d["quote_groups"] for v in q["variants"] if v["fidelity"] not in ("exact", "verbatim", "identical", None))
    layout = graph_layout(d, limits)
    return {"d": d, "link": link, "verdicts": verdicts, "altered": altered, "layout": layout,
            "graph_svg": Markup(provenance_svg(layout, graph_href)), "timeline_svg": Markup(timeline_svg(d)),
            "articles_by_id": {a["id"]: a for a in d["articles"]}, "list_limit": limits.articles_per_page * 4,
            "compare": False}


def render_story(d: dict, limits: Limits = Limits()) -> str:
    link = StaticLinker().for_dossier(d)
    ctx = story_context(d, link, limits, graph_href=lambda n: f"articles-{n['page']}.html#{n['anchor']}")
    return _env().get_template("story.html").render(csp=static_csp(), css=css(), **ctx)


def render_article_pages(d: dict, analysis_links: list, articles: dict[str, Any], limits: Limits = Limits()):
    """(page number, html) for every page of the story's articles, fully highlighted."""
    link = StaticLinker().for_dossier(d)
    rows_by_id = {a["id"]: a for a in d["articles"]}
    by_article = links_by_article(analysis_links)
    template = _env().get_template("articles.html")
    for page in range(1, d["pages"] + 1):
        chunk = d["articles"][(page - 1) * limits.articles_per_page: page * limits.articles_per_page]
        items = [article_view(by_article.get(r["id"], []), articles[r["id"]], r, rows_by_id,
                              _same_text_as(r, articles, rows_by_id)) for r in chunk]
        yield page, template.render(csp=static_csp(), css=css(), d=d, link=link, page=page, items=items)


def _same_text_as(row: dict, articles: dict[str, Any], rows_by_id: dict) -> dict | None:
    """The row of the article this one copies word for word, when that one is in the story."""
    rep = row.get("duplicate_of")
    if rep in rows_by_id and rep in articles and rep != row["id"]:
        if get(articles[rep], "text") == get(articles[row["id"]], "text"):
            return rows_by_id[rep]
    return None


def render_index(stories: list[dict], page: int, pages: int, total: int) -> str:
    link = StaticLinker(depth=0)
    return _env().get_template("index.html").render(
        csp=static_csp(), css=css(), link=link, stories=stories, page=page, pages=pages, total=total,
        page_href=lambda p: "index.html" if p == 1 else f"index-{p}.html")


def safe_path_part(value: str) -> str:
    return quote(value, safe="")


def write_text_atomic(path: Path, text: str) -> None:
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = ["render_story", "render_article_pages", "render_index", "static_csp", "story_slug"]
