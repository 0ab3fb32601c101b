"""The dossier as Markdown. Text from articles is escaped for Markdown *and* HTML, so no
title or quote can open a link, an image, a tag or a table cell; only http(s) URLs and
our own relative paths become links.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .bundle import clean_url

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_MD_SPECIAL = "`*_{}[]()#+-.!|~:"  # and the backslash, escaped first


def md(value: Any) -> str:
    """Inline Markdown text: one line, HTML-escaped, every Markdown punctuation backslashed."""
    if type(value) is str:
        return _md(value)
    return _md("" if value is None else str(value))


@lru_cache(maxsize=8192)  # outlet names, verdicts and wire text repeat across a story
def _md(text: str) -> str:
    text = " ".join(_CONTROL.sub("", text).split())
    # str.replace per character: three times faster than a regex with a template or translate
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\\", "\\\\")
    for c in _MD_SPECIAL:
        if c in text:
            text = text.replace(c, "\\" + c)
    return text


def md_link(label: Any, url: str | None) -> str:
    """``[label](<url>)`` for http(s) URLs; the escaped label alone otherwise."""
    href = clean_url(url)
    return f"[{md(label)}](<{href}>)" if href else md(label)


def _ref(ref: dict | None, pages: dict[str, int], label: str = "sentence") -> str:
    if not ref:
        return ""
    return f"[{label}](articles-{pages.get(ref['article'], 1)}.html#{ref['anchor']})"


def _diff(pieces: list) -> str:
    out = []
    for op, text in pieces:
        if op == "insert":
            out.append(f"**+{md(text)}+**")
        elif op == "delete":
            out.append(f"~~{md(text)}~~")
        else:
            out.append(md(text))
    return " ".join(out)


def render_markdown(d: dict, list_limit: int = 200) -> str:
    pages = {a["id"]: a["page"] for a in d["articles"]}
    origins_n = d["counts"]["origins"] + len(d.get("origin_sources") or [])
    lines = [f"# {md(d['title'])}", "",
             f"Story {md(d['id'])} · {d['counts']['articles']} articles from {d['counts']['outlets']} outlets · "
             f"**{origins_n} independent origin{'s' if origins_n != 1 else ''}** · "
             f"{d['counts']['duplicates']} copies", ""]
    by_id = {a["id"]: a for a in d["articles"]}
    if d["origins"] or d.get("origin_sources"):
        names = [md_link(by_id[o]["source"] or o, by_id[o]["href"]) for o in d["origins"] if o in by_id]
        names += [f"{md(s)} (credited, not in the corpus)" for s in d.get("origin_sources") or []]
        lines += ["Origins: " + ", ".join(names), ""]

    lines += ["## Headline facts", ""]
    for f in d["facts"][:12]:
        lines.append(f"- **{f['independent_origins']}** independent origin(s), {f['supporting']} articles: "
                     f"“{md(f['text'])}” ({md(f['source'])}) {_ref(f['ref'], pages)}")
    if not d["facts"]:
        lines.append("No passage is shared between articles of this story.")
    lines += ["", "## Figures and verdicts", ""]
    if d["claim_groups"]:
        lines += ["| What is counted | Verdict | Origins | Who says what |", "| --- | --- | --- | --- |"]
        for g in d["claim_groups"]:
            who = "; ".join(f"**{md(c['text'])}** ({md(c['source'])}"
                            f"{', citing ' + md(c['attributed_to']) if c['attributed_to'] else ''}) {_ref(c['ref'], pages)}"
                            for c in g["members"])
            origins = g["independent_origins"] if g["independent_origins"] is not None else "?"
            lines.append(f"| {md(g['subject'])} | {md(g['verdict'])} | {origins} | {who} |")
        lines.append("")
        for g in d["claim_groups"]:
            if g["verdict"] in ("disputed", "conflict") and g["explanation"]:
                lines.append(f"- *{md(g['subject'])}* ({md(g['verdict'])}): {md(g['explanation'])}")
    else:
        lines.append("No figures compared across outlets.")
    lines += ["", "## Quotes by speaker", ""]
    for q in d["quote_groups"]:
        lines.append(f"### {md(q['speaker'])}")
        lines.append("")
        lines.append(f"> {md(q['canonical'])}")
        lines.append("")
        for v in q["variants"]:
            lines.append(f"- {md(v['source'])} ({md(v['fidelity'])}): {_diff(v['diff'])} {_ref(v['ref'], pages)}")
        if q["variants_total"] > len(q["variants"]):
            lines.append(f"- and {q['variants_total'] - len(q['variants'])} more versions")
        lines.append("")
    if not d["quote_groups"]:
        lines += ["No quotes found.", ""]
    lines += ["## Coverage timeline", "", "| First published | Outlet | Articles | Origin |", "| --- | --- | --- | --- |"]
    for o in d["outlets"]:
        lines.append(f"| {md(o['first'] or 'undated')} | {md(o['outlet'])} | {o['articles']} | {'yes' if o['origins'] else ''} |")
    if d["outlets_total"] > len(d["outlets"]):
        lines.append(f"\nand {d['outlets_total'] - len(d['outlets'])} more outlets")
    lines += ["", "## Articles", ""]
    for a in d["articles"][:list_limit]:
        flags = " **origin**" if a["origin"] else ""
        flags += " (copy)" if a["duplicate_of"] else ""
        lines.append(f"- {md(a['published'] or 'undated')} · {md(a['source'] or '(unknown outlet)')} · "
                     f"[{md(a['title'] or a['id'])}](articles-{a['page']}.html#{a['anchor']})"
                     f"{' · ' + md_link('original', a['url']) if a['href'] else ''}{flags}")
    if len(d["articles"]) > list_limit:
        lines.append(f"- and {len(d['articles']) - list_limit} more (see the HTML article pages)")
    return "\n".join(lines) + "\n"
