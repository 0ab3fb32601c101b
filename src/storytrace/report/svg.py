"""Inline SVG drawings for a dossier: the provenance graph (time left to right, one lane
per outlet, origins marked) and the coverage timeline. No script, no remote loads; every
string from an article passes through ``esc``.
"""
from __future__ import annotations

import re
from collections import Counter
from html import escape
from typing import Any

from .bundle import Limits, parsed_time

KIND_STYLE = {  # stroke colour, dash pattern
    "copies-text": ("#c0392b", ""),
    "duplicate": ("#7f8c8d", ""),
    "cites": ("#2471a3", "5,3"),
    "shares-text": ("#8e44ad", "2,3"),
}
OUTSIDE_LANE = "credited, not in corpus"
OTHER_LANE = "other outlets"


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def esc(value: Any) -> str:
    """Escaped for HTML/SVG text and attributes, control characters dropped."""
    return escape(_CONTROL.sub("", "" if value is None else str(value)), quote=True)


def _short(text: str | None, n: int = 28) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n - 1] + "…"


def graph_layout(dossier: dict, limits: Limits = Limits(), width: int = 960) -> dict:
    """Nodes with x/y and lanes, edges between kept nodes: shared by the SVG and the web app."""
    arts = dossier.get("articles") or []
    links = dossier.get("links") or []
    degree = Counter()
    for lk in links:
        degree[lk["from"]] += 1
        if lk.get("to"):
            degree[lk["to"]] += 1
    keep = sorted(arts, key=lambda a: (not a["origin"], -degree[a["id"]], a["published"] or "~", a["id"]))
    keep = keep[:limits.graph_nodes]
    kept_ids = {a["id"] for a in keep}

    outlet_order = [o["outlet"] for o in dossier.get("outlets") or []]
    used = []
    for name in outlet_order:
        if any((a["source"] or "(unknown outlet)") == name for a in keep):
            used.append(name)
    outside = sorted({lk["to_source"] for lk in links if not lk.get("to") and lk.get("to_source")
                      and lk["from"] in kept_ids})
    lanes = ([OUTSIDE_LANE] if outside else []) + used[:limits.graph_lanes]
    if len(used) > limits.graph_lanes:
        lanes.append(OTHER_LANE)
    lane_of = {name: i for i, name in enumerate(lanes)}

    times = {a["id"]: parsed_time(a["published"]) for a in keep}
    stamps = [t[0].timestamp() for t in times.values() if t]
    t0, t1 = (min(stamps), max(stamps)) if stamps else (0.0, 1.0)
    left, right = 190, width - 70  # label column on the left, an "undated" column on the right
    lane_h = 34
    nodes = []
    slot = Counter()
    for i, name in enumerate(outside):  # outside sources spread along their own lane
        nodes.append({"id": "source:" + name, "label": name, "kind": "source", "lane": 0,
                      "x": left + 24 + (i * 110) % max(110, right - left - 24), "y": 30,
                      "origin": name in dossier.get("origin_sources", [])})
    for a in keep:
        lane = lane_of.get(a["source"] or "(unknown outlet)", lane_of.get(OTHER_LANE, len(lanes) - 1))
        t = times[a["id"]]
        x = right + 40 if not t else left + 20 + (right - left - 40) * ((t[0].timestamp() - t0) / ((t1 - t0) or 1.0))
        # articles at the same moment in one lane are nudged apart so every one stays visible
        key = (lane, round(x / 8))
        x += 9 * slot[key]
        slot[key] += 1
        nodes.append({"id": a["id"], "label": a["source"] or "?", "title": a["title"], "kind": "article",
                      "lane": lane, "x": round(x, 1), "y": 30 + lane_h * lane, "origin": a["origin"],
                      "published": a["published"], "duplicate": bool(a["duplicate_of"]), "anchor": a["anchor"],
                      "page": a["page"]})
    ids = {n["id"] for n in nodes}
    edges = []
    for lk in links:
        target = lk["to"] if lk.get("to") else ("source:" + lk["to_source"] if lk.get("to_source") else None)
        if target in ids and lk["from"] in ids and target != lk["from"]:
            edges.append({"source": target, "target": lk["from"], "kind": lk["kind"],
                          "uncredited": lk.get("uncredited", False)})
    edges.sort(key=lambda e: (e["source"], e["target"], e["kind"]))
    return {"lanes": lanes, "nodes": nodes, "edges": edges, "width": width,
            "height": 30 + lane_h * max(1, len(lanes)) + 30, "shown": len(keep), "total": len(arts),
            "t0": t0 if stamps else None, "t1": t1 if stamps else None, "left": left, "right": right}


def provenance_svg(layout: dict, href=None) -> str:
    """The graph as SVG; ``href(node)`` gives each article node's link (or None)."""
    w, h = layout["width"], layout["height"]
    pos = {n["id"]: n for n in layout["nodes"]}
    out = [f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
           'role="img" aria-label="Provenance graph: time runs left to right, one lane per outlet">',
           '<defs>']
    for kind, (colour, _) in KIND_STYLE.items():
        out.append(f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
                   f'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{colour}"/></marker>')
    out.append('</defs>')
    for i, lane in enumerate(layout["lanes"]):
        y = 30 + 34 * i
        out.append(f'<line x1="{layout["left"]}" y1="{y}" x2="{w - 10}" y2="{y}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{layout["left"] - 8}" y="{y + 4}" text-anchor="end" class="lane">{esc(_short(lane))}</text>')
    if layout["t0"] is not None:
        from datetime import datetime, timezone
        for frac, anchor_ in ((0.0, "start"), (1.0, "end")):
            t = layout["t0"] + frac * (layout["t1"] - layout["t0"])
            label = datetime.fromtimestamp(t, timezone.utc).strftime("%d %b %Y %H:%M")
            x = layout["left"] + 20 + (layout["right"] - layout["left"] - 40) * frac
            out.append(f'<text x="{x:.0f}" y="{h - 8}" text-anchor="{anchor_}" class="axis">{esc(label)}</text>')
        out.append(f'<text x="{layout["right"] + 40}" y="{h - 8}" text-anchor="middle" class="axis">undated</text>')
    for e in layout["edges"]:
        a, b = pos[e["source"]], pos[e["target"]]
        colour, dash = KIND_STYLE.get(e["kind"], ("#555", ""))
        width = 2.5 if e["uncredited"] else 1.3
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<path d="M {a["x"]} {a["y"]} C {(a["x"] + b["x"]) / 2:.1f} {a["y"]} {(a["x"] + b["x"]) / 2:.1f} '
                   f'{b["y"]} {b["x"]} {b["y"]}" fill="none" stroke="{colour}" stroke-width="{width}"{dash_attr} '
                   f'marker-end="url(#arrow-{esc(e["kind"]) if e["kind"] in KIND_STYLE else "copies-text"})">'
                   f'<title>{esc(e["kind"])}{" (uncredited)" if e["uncredited"] else ""}</title></path>')
    for n in layout["nodes"]:
        title = f'{n.get("label")}: {n.get("title") or ""} ({n.get("published") or "undated"})' \
            if n["kind"] == "article" else f'{n["label"]} (credited source outside the corpus)'
        if n["kind"] == "source":
            shape = (f'<rect x="{n["x"] - 7}" y="{n["y"] - 7}" width="14" height="14" fill="#fff" stroke="#2471a3" '
                     f'stroke-width="{3 if n["origin"] else 1.5}"/><text x="{n["x"] + 10}" y="{n["y"] - 9}" class="node">'
                     f'{esc(_short(n["label"], 20))}</text>')
        else:
            fill = "#f5b041" if n["origin"] else ("#d5d8dc" if n.get("duplicate") else "#5d6d7e")
            ring = '<circle cx="{x}" cy="{y}" r="10" fill="none" stroke="#b9770e" stroke-width="2"/>'.format(**n) if n["origin"] else ""
            shape = f'{ring}<circle cx="{n["x"]}" cy="{n["y"]}" r="6" fill="{fill}" stroke="#222" stroke-width="0.6"/>'
        body = f'<g class="node-{esc(n["kind"])}"><title>{esc(title)}</title>{shape}</g>'
        link = href(n) if (href and n["kind"] == "article") else None
        out.append(f'<a href="{esc(link)}">{body}</a>' if link else body)
    out.append('</svg>')
    return "".join(out)


def timeline_svg(dossier: dict, width: int = 960, bins: int = 48) -> str:
    """Articles published over time as a histogram, origins drawn in their own colour."""
    arts = dossier.get("articles") or []
    dated = [(t[0].timestamp(), a["origin"]) for a in arts for t in (parsed_time(a["published"]),) if t]
    h = 110
    if not dated:
        return (f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 40" width="{width}" '
                f'height="40"><text x="10" y="25" class="axis">No publication times known.</text></svg>')
    t0, t1 = min(t for t, _ in dated), max(t for t, _ in dated)
    span = (t1 - t0) or 1.0
    counts, origin_counts = Counter(), Counter()
    for t, origin in dated:
        b = min(bins - 1, int((t - t0) / span * bins))
        counts[b] += 1
        origin_counts[b] += origin
    peak = max(counts.values())
    bw = (width - 60) / bins
    out = [f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {h}" width="{width}" '
           f'height="{h}" role="img" aria-label="Articles published over time">']
    from datetime import datetime, timezone
    for b in range(bins):
        if not counts[b]:
            continue
        bh = 70 * counts[b] / peak
        oh = 70 * origin_counts[b] / peak
        x = 30 + b * bw
        out.append(f'<rect x="{x:.1f}" y="{80 - bh:.1f}" width="{max(1.0, bw - 2):.1f}" height="{bh:.1f}" fill="#5d6d7e">'
                   f'<title>{counts[b]} article(s), {origin_counts[b]} origin(s)</title></rect>')
        if oh:
            out.append(f'<rect x="{x:.1f}" y="{80 - oh:.1f}" width="{max(1.0, bw - 2):.1f}" height="{oh:.1f}" fill="#f5b041"/>')
    for t, anchor_, x in ((t0, "start", 30), (t1, "end", width - 30)):
        label = datetime.fromtimestamp(t, timezone.utc).strftime("%d %b %Y %H:%M UTC")
        out.append(f'<text x="{x}" y="100" text-anchor="{anchor_}" class="axis">{esc(label)}</text>')
    out.append(f'<text x="{width / 2:.0f}" y="100" text-anchor="middle" class="axis">tallest bar: {peak} article(s); '
               f'{len(dated)} dated of {len(arts)}</text></svg>')
    return "".join(out)
