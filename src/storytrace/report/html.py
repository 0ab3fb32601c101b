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

from .bundle import Limits, article_marks, get, parsed_time, segments, sentence_anchor, sentences
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


def _e(value: Any) -> str:
    """What ``{{ value }}`` prints in our templates (finalize, then autoescape): for a plain
    string, markupsafe's five replacements made directly (a third of the cost)."""
    if type(value) is str:
        return (_CONTROL.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("'", "&#39;").replace('"', "&#34;"))
    return escape(strip_controls(value))


# The loops below were the templates' largest cost (a macro call, a context and a dozen
# attribute look-ups per item); they are built here instead, printing exactly what the
# template code they replace printed. A missing key prints as "" as an undefined one did.

def _outlets_cell(item: dict, link) -> str:
    """The first six outlets of a grouped value, each linked to its sentence, then "and N more"."""
    shown = item.get("outlets", "")[:6]
    out = ", ".join(f'{_e(o.get("source", "") or "(unknown outlet)")} {_src(link, o.get("ref", ""), "↗")}'
                    for o in shown)
    if item.get("count", "") > len(shown):
        out += f' and {_e(item["count"] - len(shown))} more'
    return out


def _src(link, ref: Any, label: str) -> str:
    return f'<a class="small" href="{_e(link.sentence(ref))}">{_e(label)}</a>' if ref else ""


def src_html(link, ref: Any, label: str = "source sentence") -> Markup:
    """A link to the sentence an item comes from (macros.html ``src``)."""
    return Markup(_src(link, ref, label))


def pager_html(link, d: dict, current: int) -> Markup:
    """Links to the story's article pages (macros.html ``pager``; the templates no longer
    import the macros: an import built a new module on every render)."""
    if not d["pages"] > 1:
        return Markup("")
    items = "".join(f"<b>{_e(p)}</b>" if kind == "current" else
                    f'<a href="{_e(link.articles_page(d, p))}">{_e(p)}</a>' if kind == "link" else "… "
                    for kind, p in pager_items(current, d["pages"]))
    return Markup(f'<p class="pager">Articles, page: {items}</p>')


def verdict_html(verdict: Any) -> Markup:
    return Markup(f'<span class="verdict v-{_e(cssname(verdict))}">{_e(verdict or "?")}</span>')


def claim_values_html(values: list[dict], link) -> Markup:
    """A figure group's distinct values: who says what, with the outlets saying it."""
    out = []
    for c in values:
        attributed = f' according to {_e(c["attributed_to"])}' if c.get("attributed_to", "") else ""
        out.append(f'<div><b>{_e(c.get("text", ""))}</b>{attributed} — {_outlets_cell(c, link)}</div>')
    return Markup("".join(out))


def quote_versions_html(versions: list[dict], link) -> Markup:
    """A quote's distinct versions as table rows: fidelity, word diff, outlets."""
    out = []
    for v in versions:
        diff = "".join(f'<ins class="ins">{_e(text)}</ins> ' if op == "insert" else
                       f'<del class="del">{_e(text)}</del> ' if op == "delete" else f"{_e(text)} "
                       for op, text in v.get("diff", ""))
        out.append(f'<tr><td>{_e(v.get("fidelity", ""))}</td><td>{diff}</td><td>{_outlets_cell(v, link)}</td></tr>')
    return Markup("".join(out))


def claim_rows_html(groups: list[dict], link) -> Markup:
    """The figures table's rows: subject, verdict, origins, who says what, the evidence."""
    out = []
    for g in groups:
        origins = g.get("independent_origins", "")
        more = (f'<div class="muted">and {_e(g["members_total"] - len(g["members"]))} more</div>'
                if g.get("members_total", "") > len(g.get("members", "")) else "")
        lines = (g.get("explanation", "") or "").split("\n")
        evidence = ""
        if len(lines) > 1:
            rest = _e("\n".join(lines[1:]))
            evidence = f'<details class="small"><summary>evidence</summary><div class="text">{rest}</div></details>'
        out.append(f'<tr id="{_e(cssname(g.get("id", "")))}"><td>{_e(g.get("subject", ""))}</td>'
                   f'<td>{verdict_html(g.get("verdict", ""))}</td><td>{_e(origins if origins is not None else "?")}</td>\n'
                   f'<td>{claim_values_html(g.get("values", ""), link)}\n{more}\n'
                   f'<div class="muted small">{_e(lines[0])}</div>{evidence}</td></tr>\n')
    return Markup("".join(out))


def quote_groups_html(groups: list[dict], link) -> Markup:
    """Each speaker's quote: the canonical text, its versions and where they appeared."""
    if not groups:
        return Markup('<p class="muted">No quotes found.</p>')
    out = []
    for q in groups:
        total, outlets, origins = q.get("variants_total", ""), q.get("outlets", ""), q.get("independent_origins", "")
        said = (f' · {_e(origins)} independent origin{"" if origins == 1 else "s"}' if origins is not None else "")
        more = (f'<div class="muted">and {_e(total - len(q["variants"]))} more versions</div>'
                if total > len(q.get("variants", "")) else "")
        out.append(f'<div class="quote-group"><b>{_e(q.get("speaker", ""))}</b>: “{_e(q.get("canonical", ""))}”\n'
                   f'<span class="muted">· {_e(total)} version{"" if total == 1 else "s"} in {_e(outlets)} '
                   f'outlet{"" if outlets == 1 else "s"}{said}</span>\n'
                   f'<table class="small">{quote_versions_html(q.get("versions", ""), link)}</table>\n{more}</div>\n')
    return Markup("".join(out))


def outlet_rows_html(outlets: list[dict]) -> Markup:
    """The coverage table's rows: outlet, first published, articles, origin."""
    origin = '<span class="origin">origin</span>'
    return Markup("".join(f'<tr><td>{_e(o.get("outlet", ""))}</td><td>{_e(when(o.get("first", "")))}</td>'
                          f'<td>{_e(o.get("articles", ""))}</td><td>{origin if o.get("origins", "") else ""}</td></tr>'
                          for o in outlets))


def article_list_html(rows: list[dict], link, compare: Any) -> Markup:
    """The story page's list of articles, a table row each."""
    out = []
    for a in rows:
        original = (f' <a class="muted" rel="noopener noreferrer nofollow" href="{_e(a["href"])}">original</a>'
                    if a.get("href", "") else "")
        flags = '<span class="origin">origin</span>' if a.get("origin", "") else ""
        if a.get("duplicate_of", ""):
            flags += ' <span class="muted">copy</span>'
        if a.get("opinion_chars", ""):
            flags += ' <span class="muted">opinion</span>'
        if compare and a.get("duplicate_of", ""):
            flags += f' <a class="small" href="{_e(link.compare(a.get("id", ""), a["duplicate_of"]))}">compare</a>'
        out.append(f'<tr><td>{_e(when(a.get("published", "")))}</td><td>{_e(a.get("source", "") or "(unknown outlet)")}</td>\n'
                   f'<td><a href="{_e(link.article(a))}">{_e(a.get("title", "") or a.get("id", ""))}</a>{original}</td>\n'
                   f'<td>{flags}</td></tr>\n')
    return Markup("".join(out))


def _link_or_url(a: dict) -> str:
    if a.get("href", ""):
        return f' · <a rel="noopener noreferrer nofollow" href="{_e(a["href"])}">{_e(a["href"])}</a>'
    return f' · {_e(a["url"])}' if a.get("url", "") else ""


def article_html(a: dict) -> Markup:
    """One article with its highlighted text (article_body.html)."""
    flags = ' · <span class="origin">origin</span>' if a.get("origin", "") else ""
    if a.get("duplicate_of", ""):
        flags += f' · copy of {_e(a["duplicate_of"])}'
    sources = ""
    if a.get("sources", ""):
        sources = "; ".join(f'{_e(s.get("label", ""))} <span class="muted">({_e(s.get("kind", ""))}'
                            f'{", uncredited" if s.get("uncredited", "") else ""})</span>' for s in a["sources"])
        sources = f'<p class="small">Takes from: {sources}</p>'
    return Markup(f'<section class="article" id="{_e(a.get("anchor", ""))}">\n'
                  f'<h2>{_e(a.get("title", "") or a.get("id", ""))}</h2>\n'
                  f'<p class="muted">{_e(a.get("source", "") or "(unknown outlet)")} · {_e(when(a.get("published", "")))}{flags}\n'
                  f'{_link_or_url(a)} · id {_e(a.get("id", ""))}</p>\n'
                  f'{sources}\n'
                  f'<div class="text">{text_html(a.get("sentences", ""))}</div>\n'
                  f'</section>')


def article_items_html(items: list[dict], link) -> Markup:
    """The articles of one page: in full, or, for a verbatim copy, a line saying where to read it."""
    out = []
    for a in items:
        same = a.get("same_text_as", "")
        if not same:
            out.append(article_html(a))
            continue
        anchors = "".join(f'<span id="{_e(s.get("anchor", ""))}"></span>' for s in a.get("sentences", ""))
        out.append(f'\n<section class="article copy" id="{_e(a.get("anchor", ""))}"><h2>{_e(a.get("title", "") or a.get("id", ""))}</h2>\n'
                   f'<p class="muted">{_e(a.get("source", "") or "(unknown outlet)")} · {_e(when(a.get("published", "")))} · '
                   f'word for word the same text as <a href="{_e(link.article(same))}">{_e(same.get("title", "") or same.get("id", ""))}</a> '
                   f'({_e(same.get("source", "") or "unknown outlet")}){_link_or_url(a)} · id {_e(a.get("id", ""))}{anchors}</p></section>\n')
    return Markup("".join(out))


def text_html(sentences: list[dict]) -> Markup:
    """An article's text as HTML: a span per sentence (its anchor) holding a span per
    highlighted piece. Built here rather than in the template, where the per-piece loop was
    the dossier's largest cost; the output is what the template loop gave."""
    out = []
    for sent in sentences:
        out.append(f'<span id="{_e(sent["anchor"])}">')
        for piece in sent["pieces"]:
            text = _e(piece["text"])
            if piece["classes"]:
                out.append(f'<span class="{_e(" ".join(piece["classes"]))}">{text}</span>')
            else:
                out.append(text)
        out.append("</span>")
    return Markup("".join(out))


def cssname(value: Any) -> str:
    return re.sub(r"[^a-z0-9_-]", "-", str(value or "").lower())[:60]


def when(value: Any) -> str:
    """An ISO time as a person reads it: '1 Mar 2026 08:00 UTC' (dates alone stay dates)."""
    return _when(value) if isinstance(value, str) else (value or "undated")


@lru_cache(maxsize=1 << 14)  # a story's articles share a few timestamps
def _when(value: str) -> str:
    t = parsed_time(value)
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
    env.globals.update(claim_values_html=claim_values_html, quote_versions_html=quote_versions_html,
                       claim_rows_html=claim_rows_html, quote_groups_html=quote_groups_html,
                       outlet_rows_html=outlet_rows_html, src_html=src_html, pager_html=pager_html,
                       verdict_html=verdict_html, article_list_html=article_list_html,
                       article_html=article_html, article_items_html=article_items_html)
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
    env = make_env()
    env.auto_reload = False  # packaged templates: no stat() of each one on every render
    return env


def warm_templates() -> None:
    """Import jinja2 and compile the dossier templates now: called before forking the
    renderers, so that each forked worker inherits them instead of doing it again (about
    0.3 s of CPU per worker, per batch)."""
    env = _env()
    for name in ("base.html", "macros.html", "story.html", "articles.html", "article_body.html", "index.html"):
        env.get_template(name)


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

    from ..public_files import temp_for

    fd, tmp = temp_for(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = ["render_story", "render_article_pages", "render_index", "static_csp", "story_slug"]
