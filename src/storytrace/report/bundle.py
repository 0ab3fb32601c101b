"""One story's dossier as plain data: what the HTML, Markdown, JSON and web views render.

Built from an ``Analysis`` (objects) defensively: any field may be missing, None or empty.
Every item carries ``ref`` = (article id, sentence start) so each view can link it to the
sentence it comes from. Long lists are cut to ``limits`` with their full length kept, so a
story of 100,000 articles still renders in bounded size.
"""
from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from ..ids import digest
from ..ingest.urls import safe_href
from ..stages.reuse import parse_time
from ..text import sentences as split_sentences


@lru_cache(maxsize=1 << 14)  # once per text: for the refs and the article pages, and for every copy
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(split_sentences(text))

REUSE_KINDS = ("duplicate", "copies-text", "shares-text")
VERDICT_ORDER = {"disputed": 0, "conflict": 1, "compatible": 2, "consistent": 3}


@dataclass(frozen=True)
class Limits:
    """How much of a long list a page shows; the rest is counted and paginated."""
    facts: int = 50
    claim_groups: int = 200
    quote_groups: int = 100
    variants: int = 30
    outlets: int = 100
    articles_per_page: int = 50
    graph_nodes: int = 250
    graph_lanes: int = 30
    fact_chars: int = 400


def get(obj: Any, name: str, default: Any = None) -> Any:
    """A field from a dataclass or a dict, ``default`` when missing or None."""
    # dict first: the ABC check behind Mapping is slow and this runs for every field
    value = obj.get(name) if isinstance(obj, dict) or (
        not hasattr(obj, "__dataclass_fields__") and isinstance(obj, Mapping)) else getattr(obj, name, None)
    return default if value is None else value


def extra(obj: Any) -> dict:
    value = get(obj, "extra", {})
    return value if isinstance(value, Mapping) else {}


@lru_cache(maxsize=1 << 16)  # every sentence of an article, every ref to it: one digest
def anchor(article_id: str) -> str:
    """A safe HTML id for an article (input ids come from strangers)."""
    return "a" + digest(article_id, size=6)


def sentence_anchor(article_id: str, start: int) -> str:
    return f"{anchor(article_id)}-s{int(start)}"


def span_of(value: Any) -> tuple[int, int] | None:
    try:
        s, e = int(value[0]), int(value[1])
    except (TypeError, ValueError, IndexError, KeyError):
        return None
    return (s, e) if 0 <= s <= e else None


@lru_cache(maxsize=1 << 16)  # the same few timestamps are parsed for sorting, outlets, the timeline
def _parse_time_cached(value: str) -> tuple | None:
    return parse_time(value)


def parsed_time(value: Any) -> tuple | None:
    """``parse_time`` (a datetime and a flag, both immutable), remembered per string."""
    return _parse_time_cached(value) if isinstance(value, str) else parse_time(value)


@lru_cache(maxsize=1 << 16)
def _time_key(published: str) -> tuple:
    t = parse_time(published)
    return (0, t[0].isoformat()) if t else (1, "")


def time_key(published: str | None) -> tuple:
    if isinstance(published, str):
        return _time_key(published)
    t = parse_time(published)
    return (0, t[0].isoformat()) if t else (1, "")


def clean_url(url: str | None) -> str | None:
    """Only http(s) URLs become links; anything else (javascript:, data:) stays text."""
    return safe_href(url) if isinstance(url, str) else None


class SentenceIndex:
    """Sentence starts per article, computed once, to turn any span into its sentence."""

    def __init__(self, articles: Mapping[str, Any]):
        self.articles = articles
        self._cache: dict[str, tuple[tuple[int, int], ...]] = {}
        self._starts: dict[str, list[int]] = {}
        self._refs: dict[tuple[str, int], tuple[int, str]] = {}

    def sentences(self, article_id: str) -> tuple[tuple[int, int], ...]:
        if article_id not in self._cache:
            art = self.articles.get(article_id)
            text = get(art, "text", "") if art is not None else ""
            self._cache[article_id] = sentences(text) if text else ()
        return self._cache[article_id]

    def sentence_at(self, article_id: str, pos: int) -> tuple[int, int] | None:
        """The last sentence starting at or before ``pos`` (sentences are in order and
        do not overlap), found by bisection."""
        starts = self._starts.get(article_id)
        if starts is None:
            starts = self._starts[article_id] = [s for s, _ in self.sentences(article_id)]
        i = bisect_right(starts, pos) - 1
        return self._cache[article_id][i] if i >= 0 else None

    def ref(self, article_id: str | None, span: Any) -> dict | None:
        """{article, sentence, start}: where an item's sentence begins."""
        sp = span_of(span)
        if not article_id or article_id not in self.articles or sp is None:
            return None
        key = (article_id, sp[0])
        found = self._refs.get(key)
        if found is None:
            sent = self.sentence_at(article_id, sp[0])
            start = sent[0] if sent else sp[0]
            found = self._refs[key] = (start, sentence_anchor(article_id, start))
        return {"article": article_id, "start": found[0], "anchor": found[1]}


def word_diff(base: str, other: str) -> list[tuple[str, str]]:
    return list(_word_diff(base or "", other or ""))


_WORDS = re.compile(r"\S+")
_EDGE_PUNCT = re.compile(r"^\W+|\W+$")


@lru_cache(maxsize=4096)  # the canonical text is compared with every version
def _words_and_keys(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    words = tuple(_WORDS.findall(text))

    def key(w: str) -> str:
        return _EDGE_PUNCT.sub("", w.lower().replace("’", "'")) or w
    return words, tuple(key(w) for w in words)


@lru_cache(maxsize=4096)  # outlets repeat the same versions: diff each pair once
def _word_diff(base: str, other: str) -> tuple[tuple[str, str], ...]:
    """Word-level diff as (op, text) pieces, op in equal|insert|delete.

    Words are compared without case and surrounding punctuation (a quote that loses its
    full stop is not altered); the pieces show ``other``'s words as written.
    """
    (a, ka), (b, kb) = _words_and_keys(base or ""), _words_and_keys(other or "")
    out: list[tuple[str, str]] = []
    if ka == kb:  # the usual case: the same words (what the matcher would say, without it)
        return (("equal", " ".join(b)),) if b else ()
    sm = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(("equal", " ".join(b[j1:j2])))
        if op in ("delete", "replace"):
            out.append(("delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("insert", " ".join(b[j1:j2])))
    return tuple(out)


def story_dossier(analysis: Any, story: Any, limits: Limits = Limits()) -> dict[str, Any]:
    """The dossier of one story: everything a reader needs, as JSON-ready data."""
    sid = get(story, "id", "")
    member_ids = [a for a in get(story, "articles", []) if isinstance(a, str)]
    members = set(member_ids)
    all_articles = {get(a, "id"): a for a in get(analysis, "articles", []) if get(a, "id") in members}
    origins = set(get(story, "origins", []))
    index = SentenceIndex(all_articles)

    ordered = sorted(all_articles.values(), key=lambda a: (time_key(get(a, "published")), get(a, "id")))
    page_of = {get(a, "id"): i // limits.articles_per_page + 1 for i, a in enumerate(ordered)}
    links = [lk for lk in get(analysis, "links", []) if (get(lk, "from_") or get(lk, "from")) in members]
    articles = [_article_row(a, origins, page_of) for a in ordered]
    outlets = _outlets(ordered, origins)
    return {
        "id": sid,
        "title": get(story, "title", "") or sid,
        "entities": list(get(story, "entities", []))[:20],
        "origins": sorted(origins & members),
        "origin_sources": list(extra(story).get("origin_sources") or []),
        "related": list(get(story, "related", [])),
        "counts": {"articles": len(ordered), "outlets": len(outlets), "origins": len(origins & members),
                   "duplicates": sum(1 for a in ordered if get(a, "duplicate_of")),
                   "links": len(links)},
        "first_published": next((get(a, "published") for a in ordered if parsed_time(get(a, "published"))), None),
        "articles": articles,
        "outlets": outlets[:limits.outlets],
        "outlets_total": len(outlets),
        "pages": max(1, -(-len(ordered) // limits.articles_per_page)),
        "facts": _facts(analysis, members, all_articles, index, limits),
        "claim_groups": _claim_groups(analysis, sid, members, all_articles, index, limits),
        "claim_groups_total": sum(1 for g in get(analysis, "claim_groups", []) if get(g, "story") == sid),
        "quote_groups": _quote_groups(analysis, sid, members, all_articles, index, limits),
        "links": sorted((_link_row(lk, all_articles) for lk in links),
                        key=lambda r: (r["from"] or "", r["to"] or "", r["kind"], r["to_source"] or "", r["cue"] or "")),
    }


def _article_row(a: Any, origins: set, page_of: dict) -> dict:
    aid = get(a, "id")
    return {"id": aid, "anchor": anchor(aid), "source": get(a, "source"), "title": get(a, "title"),
            "url": get(a, "url"), "href": clean_url(get(a, "url")), "published": get(a, "published"),
            "duplicate_of": get(a, "duplicate_of"), "origin": aid in origins, "page": page_of[aid],
            "opinion_spans": [list(sp) for sp in (span_of(x) for x in get(a, "opinion_spans", [])) if sp],
            "opinion_chars": sum(max(0, e - s) for s, e in (span_of(x) or (0, 0) for x in get(a, "opinion_spans", [])))}


def _outlets(ordered: list, origins: set) -> list[dict]:
    rows: dict[str, dict] = {}
    for a in ordered:
        name = get(a, "source") or "(unknown outlet)"
        row = rows.setdefault(name, {"outlet": name, "articles": 0, "first": None, "first_article": get(a, "id"),
                                     "origins": 0})
        row["articles"] += 1
        row["origins"] += get(a, "id") in origins
        if row["first"] is None and parsed_time(get(a, "published")):
            row["first"], row["first_article"] = get(a, "published"), get(a, "id")
    return sorted(rows.values(), key=lambda r: (time_key(r["first"]), r["outlet"]))


def _excerpt(text: str, span: tuple[int, int], limit: int) -> str:
    piece = " ".join(text[span[0]:span[1]].split())
    return piece if len(piece) <= limit else piece[:limit - 1].rstrip() + "…"


def _facts(analysis, members, articles, index, limits) -> list[dict]:
    rows = []
    for f in get(analysis, "extra", {}).get("facts", []) if isinstance(get(analysis, "extra", {}), Mapping) else []:
        aid = get(f, "article")
        sp = span_of(get(f, "span"))
        if aid not in members or sp is None:
            continue
        text = get(articles[aid], "text", "")
        rows.append({"text": _excerpt(text, sp, limits.fact_chars), "article": aid,
                     "source": get(articles[aid], "source"),
                     "independent_origins": get(f, "independent_origins", 0),
                     "supporting": len(get(f, "supporting", [])), "ref": index.ref(aid, sp)})
    rows.sort(key=lambda r: (-r["independent_origins"], -r["supporting"], r["article"], r["ref"]["start"] if r["ref"] else 0))
    return rows[:limits.facts]


def _claim_groups(analysis, sid, members, articles, index, limits) -> list[dict]:
    claims = {get(c, "id"): c for c in get(analysis, "claims", []) if get(c, "article") in members}
    rows = []
    for g in get(analysis, "claim_groups", []):
        if get(g, "story") != sid:
            continue
        sub_of = {}
        for i, sg in enumerate(extra(g).get("compatible_subgroups") or []):
            for cid in sg:
                sub_of[cid] = i
        member_rows = []
        for cid in get(g, "claims", []):
            c = claims.get(cid)
            if c is None:
                continue
            aid = get(c, "article")
            member_rows.append({"claim": cid, "article": aid, "source": get(articles[aid], "source"),
                                "published": get(articles[aid], "published"), "text": get(c, "text", ""),
                                "low": get(c, "low"), "high": get(c, "high"), "unit": get(c, "unit"),
                                "attributed_to": get(c, "attributed_to"), "set": sub_of.get(cid),
                                "span": get(c, "span")})
        member_rows.sort(key=lambda m: (time_key(m["published"]), m["article"], m["claim"]))
        rows.append({"id": get(g, "id"), "subject": get(g, "subject", ""), "verdict": get(g, "verdict", ""),
                     "values": _grouped(member_rows, lambda m: (" ".join(m["text"].split()).lower(), m["attributed_to"] or ""),
                                        limits, index),
                     "explanation": get(g, "explanation", ""),
                     "independent_origins": get(g, "independent_origins"),
                     "members": _with_refs(member_rows[:limits.variants], index),
                     "members_total": len(member_rows)})
    rows.sort(key=lambda r: (VERDICT_ORDER.get(r["verdict"], 9), -(r["independent_origins"] or 0), r["subject"], r["id"] or ""))
    return rows[:limits.claim_groups]


def _quote_groups(analysis, sid, members, articles, index, limits) -> list[dict]:
    quotes = [q for q in get(analysis, "quotes", []) if get(q, "article") in members]
    by_id = {get(q, "id"): q for q in quotes}
    ex = get(analysis, "extra", {})
    given = [g for g in (ex.get("quote_groups") or [] if isinstance(ex, Mapping) else []) if get(g, "story") == sid]
    groups: list[dict] = []
    if given:
        for g in given:
            variants = [(by_id.get(get(v, "quote")), v) for v in get(g, "variants", [])]
            groups.append({"id": get(g, "id"), "speaker": get(g, "speaker"),
                           "canonical": get(g, "canonical_text", ""),
                           "independent_origins": get(g, "independent_origins"),
                           "variants": [(q, get(v, "fidelity")) for q, v in variants if q is not None]})
    else:  # rebuilt from the quotes' group ids (the web app reads quotes from the store)
        grouped: dict[str, list] = defaultdict(list)
        for q in quotes:
            grouped[get(q, "group") or get(q, "id")].append(q)
        for gid, qs in grouped.items():
            texts = Counter(get(q, "text", "") for q in qs)
            canonical = max(texts, key=lambda t: (texts[t], len(t), t))
            speakers = Counter(get(q, "speaker") for q in qs if get(q, "speaker"))
            groups.append({"id": gid, "speaker": min(speakers, key=lambda s: (-speakers[s], s)) if speakers else None,
                           "canonical": canonical, "independent_origins": None,
                           "variants": [(q, extra(q).get("fidelity")) for q in qs]})
    rows = []
    for g in groups:
        variants = []
        for q, fidelity in g["variants"]:
            aid = get(q, "article")
            text = get(q, "text", "")
            diff = word_diff(g["canonical"], text)
            variants.append({"quote": get(q, "id"), "article": aid, "source": get(articles[aid], "source"),
                             "published": get(articles[aid], "published"), "text": text,
                             "speaker": get(q, "speaker"),
                             "fidelity": fidelity or ("exact" if all(op == "equal" for op, _ in diff) else "altered"),
                             "diff": diff, "span": get(q, "span")})
        variants.sort(key=lambda v: (time_key(v["published"]), v["article"], v["quote"] or ""))
        rows.append({"id": g["id"], "speaker": g["speaker"] or "(unattributed)", "canonical": g["canonical"],
                     "versions": _grouped(variants, lambda v: " ".join(v["text"].split()), limits, index),
                     "independent_origins": g["independent_origins"],
                     "outlets": len({v["source"] for v in variants}),
                     "variants": _with_refs(variants[:limits.variants], index), "variants_total": len(variants)})
    rows.sort(key=lambda r: (-len(r["variants"]), r["speaker"], r["canonical"]))
    return rows[:limits.quote_groups]


def _grouped(items: list[dict], key, limits: Limits, index: SentenceIndex) -> list[dict]:
    """Identical values said by several outlets, as one row each: {first item, outlets: [...],
    count}; the most repeated first, at most ``limits.variants`` rows of ``limits.outlets``
    outlets (a wire figure carried by 100,000 sites is one row with its count)."""
    groups: dict = {}
    for it in items:
        groups.setdefault(key(it), []).append(it)
    ordered = sorted(groups.values(), key=lambda its: (-len(its), time_key(its[0]["published"])))
    return [{**its[0], "ref": index.ref(its[0]["article"], its[0]["span"]), "count": len(its),
             "outlets": [{"source": i["source"], "ref": index.ref(i["article"], i["span"]), "published": i["published"]}
                         for i in its[:limits.outlets]]}
            for its in ordered[:limits.variants]]


def _with_refs(rows: list[dict], index: SentenceIndex) -> list[dict]:
    """The shown rows with the sentence each item sits in (found only for what is shown)."""
    return [{**r, "ref": index.ref(r["article"], r["span"])} for r in rows]


def _link_row(lk: Any, articles: Mapping) -> dict:
    return {"from": get(lk, "from_") or get(lk, "from"), "to": get(lk, "to"),
            "to_source": get(lk, "to_source"), "kind": get(lk, "kind", ""), "cue": get(lk, "cue"),
            "uncredited": bool(extra(lk).get("uncredited")),
            "passages": len(get(lk, "passages", []))}


def article_marks(analysis_links: list, article: Any) -> dict[str, list[tuple[int, int]]]:
    """Spans to highlight in one article: text reused from others, text others reused, opinion."""
    aid = get(article, "id")
    marks: dict[str, list[tuple[int, int]]] = {"reused": [], "copied": [], "opinion": [], "boilerplate": []}
    for lk in analysis_links:
        if get(lk, "kind") not in REUSE_KINDS:
            continue
        frm, to = get(lk, "from_") or get(lk, "from"), get(lk, "to")
        if frm == aid:
            marks["reused"] += [sp for sp in (span_of(get(p, "from_span")) for p in get(lk, "passages", [])) if sp]
        if to == aid:
            marks["copied"] += [sp for sp in (span_of(get(p, "to_span")) for p in get(lk, "passages", [])) if sp]
    marks["opinion"] = [sp for sp in (span_of(x) for x in get(article, "opinion_spans", [])) if sp]
    marks["boilerplate"] = [sp for sp in (span_of(x) for x in get(article, "boilerplate_spans", [])) if sp]
    return marks


def segments(text: str, marks: dict[str, list[tuple[int, int]]]) -> list[dict]:
    """The text cut at every mark and sentence boundary: [{start, text, classes, sentence}]."""
    n = len(text)
    cuts = {0, n}
    sents = sentences(text) if text else []
    for s, e in sents:
        cuts.update((s, e))
    for spans in marks.values():
        for s, e in spans:
            cuts.update((min(s, n), min(e, n)))
    points = sorted(cuts)
    sent_starts = sorted({s for s, _ in sents} | {0})
    # Every mark starts and ends on a cut, so one sweep over the cuts knows which marks
    # cover each piece (was: every piece checked against every span).
    changes: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for kind, spans in marks.items():
        for s, e in spans:
            if s < e:
                changes[s].append((kind, 1))
                changes[e].append((kind, -1))
    active: Counter = Counter()
    classes: list[str] = []
    out = []
    si, last = 0, len(sent_starts) - 1
    for a, b in zip(points, points[1:]):
        if a in changes:  # the marks covering a piece change only where one starts or ends
            for kind, step in changes[a]:
                active[kind] += step
            classes = sorted(k for k, count in active.items() if count > 0)
        while si < last and sent_starts[si + 1] <= a:
            si += 1
        out.append({"start": a, "text": text[a:b], "classes": list(classes), "sentence": sent_starts[si]})
    return out
