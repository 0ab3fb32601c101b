"""Two articles side by side: their shared passages on the same row, what differs between."""
from __future__ import annotations

from ..model import Article
from ..stages.reuse import align


def compare_rows(a: Article, b: Article) -> tuple[list[dict], float]:
    """Rows of (text of a, text of b), alternating unshared and shared, in reading order.

    Passages come from the reuse aligner; those that would cross (out of order in b) are
    dropped so both columns read top to bottom.
    """
    al = align(a, b)
    kept, last_b = [], 0
    for p in sorted(al.passages, key=lambda p: (p.a_span[0], p.b_span[0])):
        if p.b_span[0] >= last_b:
            kept.append(p)
            last_b = p.b_span[1]
    rows, pa, pb = [], 0, 0
    for p in kept:
        (sa, ea), (sb, eb) = p.a_span, p.b_span
        if sa > pa or sb > pb:
            rows.append({"shared": False, "a": a.text[pa:sa], "b": b.text[pb:sb], "a_span": [pa, sa], "b_span": [pb, sb]})
        rows.append({"shared": True, "a": a.text[sa:ea], "b": b.text[sb:eb], "a_span": [sa, ea], "b_span": [sb, eb]})
        pa, pb = ea, eb
    if pa < len(a.text) or pb < len(b.text):
        rows.append({"shared": False, "a": a.text[pa:], "b": b.text[pb:], "a_span": [pa, len(a.text)],
                     "b_span": [pb, len(b.text)]})
    return rows, round(max(al.share_a, al.share_b), 3)
