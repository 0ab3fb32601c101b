"""The provenance graph as a networkx DiGraph, written as GEXF (for Gephi) or GraphML.

Nodes are articles (``kind="article"``) and credited sources outside the corpus
(``kind="source"``, id ``source:NAME``); edges are the analysis links, one edge per
article pair with every link kind on it (``kinds="copies-text cites"``). Articles carry
their publication time as GEXF ``start`` so Gephi's timeline plays the spread. Every
string is stripped of characters XML cannot hold, so the files always read back.
"""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..stages.reuse import parse_time
from ..store.db import readonly_uri

# XML 1.0 forbids C0 controls (except tab, newline, CR), lone surrogates and U+FFFE/U+FFFF;
# C1 controls are legal but break some readers: drop them too.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def sanitize(value: Any) -> Any:
    """A value safe to write as a GEXF/GraphML attribute (strings cleaned, None dropped upstream)."""
    if isinstance(value, str):
        return _XML_BAD.sub("", value)
    if isinstance(value, (bool, int, float)):
        return value
    return sanitize(json.dumps(value, ensure_ascii=False, sort_keys=True))


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _origin_sources(story: Any) -> list[str]:
    """Outside origins of a story: a contract dict's key, or a Story's ``extra``."""
    value = _get(story, "origin_sources")
    if value is None and not isinstance(story, Mapping):
        value = (_get(story, "extra") or {}).get("origin_sources")
    return list(value or [])


def story_graph(analysis: Any = None, *, articles: Iterable[Any] = (), links: Iterable[Any] = (),
                stories: Iterable[Any] = (), story: str | None = None):
    """A DiGraph of articles and outside sources joined by links.

    ``analysis`` is an ``Analysis`` or its ``to_dict()``; or give ``articles``, ``links``
    and ``stories`` (objects or dicts) directly. ``story`` keeps one story only.
    """
    import networkx as nx

    if analysis is not None:
        articles, links, stories = (_get(analysis, "articles", []), _get(analysis, "links", []),
                                    _get(analysis, "stories", []))
    origins = {o for s in stories for o in (_get(s, "origins") or [])}
    outside_origins = {o for s in stories for o in _origin_sources(s)}
    g = nx.DiGraph()
    kept: set[str] = set()
    for a in articles:
        aid = _get(a, "id")
        if story is not None and _get(a, "story") != story:
            continue
        kept.add(aid)
        attrs = {"kind": "article", "label": _get(a, "title") or aid, "source": _get(a, "source"),
                 "url": _get(a, "url"), "story": _get(a, "story"), "published": _get(a, "published"),
                 "duplicate_of": _get(a, "duplicate_of"), "origin": aid in origins}
        t = parse_time(_get(a, "published"))
        if t:
            attrs["start"] = t[0].strftime("%Y-%m-%dT%H:%M:%S")
        g.add_node(sanitize(aid), **{k: sanitize(v) for k, v in attrs.items() if v is not None})
    for lk in links:
        frm = _get(lk, "from") or _get(lk, "from_")
        if frm not in kept:
            continue
        to, to_source = _get(lk, "to"), _get(lk, "to_source")
        if to is None:
            if not to_source:
                continue
            to = "source:" + to_source
            if to not in g:
                g.add_node(sanitize(to), kind="source", label=sanitize(to_source),
                           origin=to_source in outside_origins)
        elif to not in g:
            continue
        frm, to = sanitize(frm), sanitize(to)
        extra = _get(lk, "extra") or {}
        kind = _get(lk, "kind")
        data = g.edges[frm, to] if g.has_edge(frm, to) else {}
        kinds = sorted(set(data.get("kinds", "").split()) | {kind})
        attrs = dict(data)
        attrs.update({"kinds": " ".join(kinds), "kind": kinds[0] if len(kinds) == 1 else "+".join(kinds),
                      "passages": data.get("passages", 0) + len(_get(lk, "passages") or [])})
        if kind == "cites" and _get(lk, "cue"):
            attrs["cue"] = sanitize(_get(lk, "cue"))
        for key in ("share", "uncredited", "direction", "common_source"):
            value = _get(lk, key) if isinstance(lk, Mapping) else extra.get(key)
            if value is not None:
                attrs[key] = sanitize(value)
        g.add_edge(frm, to, **attrs)
    return g


def write_graph(graph, path: str | Path, format: str = "gexf") -> Path:
    """Write the graph as ``gexf`` (with timeline) or ``graphml``; returns the path."""
    import networkx as nx

    path = Path(path)
    if format == "gexf":
        nx.write_gexf(graph, path, version="1.2draft")
    elif format == "graphml":
        g = graph.copy()
        for _, data in g.nodes(data=True):
            data.pop("start", None)  # GraphML has no time model; "published" stays
        nx.write_graphml(g, path)
    else:
        raise ValueError(f"unknown graph format {format!r}: use gexf or graphml")
    return path


def load_graph_tables(db_path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Articles, links and stories from a storytrace SQLite store, as contract-shaped dicts."""
    con = sqlite3.connect(readonly_uri(db_path), uri=True)
    con.row_factory = sqlite3.Row
    try:
        articles = [{"id": r["id"], "source": r["source"], "title": r["title"], "url": r["url"],
                     "published": r["published"], "story": r["story_id"], "duplicate_of": r["duplicate_of"]}
                    for r in con.execute("SELECT id, source, title, url, published, story_id, duplicate_of "
                                         "FROM articles ORDER BY id")]
        links = []
        for r in con.execute("SELECT from_article, to_article, to_source, kind, cue, passages, data "
                             "FROM links ORDER BY id"):
            d = dict(json.loads(r["data"] or "{}"))
            d.update({"from": r["from_article"], "to": r["to_article"], "to_source": r["to_source"],
                      "kind": r["kind"], "cue": r["cue"], "passages": json.loads(r["passages"] or "[]")})
            links.append(d)
        stories = []
        for r in con.execute("SELECT id, origins, data FROM stories ORDER BY id"):
            d = json.loads(r["data"] or "{}")
            stories.append({"id": r["id"], "origins": json.loads(r["origins"] or "[]"),
                            "origin_sources": d.get("origin_sources", []) if isinstance(d, dict) else []})
    finally:
        con.close()
    return {"articles": articles, "links": links, "stories": stories}


def export_graph(db_path: str | Path, fmt: str, out_path: str | Path, story: str | None = None) -> Path:
    """``storytrace export graph``: read the store, write GEXF or GraphML to ``out_path``."""
    tables = load_graph_tables(db_path)
    return write_graph(story_graph(tables, story=story), out_path, fmt)
