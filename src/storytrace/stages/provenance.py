"""The provenance graph of one story: who copied whom, who credited whom, and the origins.

Joins three kinds of evidence into ``model.Link`` edges:

- ``duplicate``: the dedupe stage's copies -> their representative;
- ``copies-text`` / ``shares-text``: passage-level reuse (stages.reuse) between the story's
  representatives. Two articles whose shared text is explained by a third they both copy,
  or that only share quoted speech, or that both credit the same outside source, *share*
  text: neither is said to copy the other;
- ``cites``: media credits in the text (stages.attributions), linked to the credited
  outlet's article when the story holds one.

Every article then follows its main derivation edge to an *origin* (an article of the
story, or an outside credited source such as ``source:BBC``); ``origin_of`` lets any fact
count independent origins rather than repeating outlets.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..model import Article, Link, Passage, Span
from ..settings import Settings
from .attributions import (Attribution, _host, attributions_for, media_credits, outlet_name, same_outlet,
                           scan_credits)
from .reuse import Alignment, ReusedPassage, Tokens, align, align_tokens, compare_times, parse_time, tokenize

QUOTED_ONLY = 0.8  # reuse this much inside quotation marks is shared quoting, not copying


@dataclass
class Fact:
    """A passage of text carried by several articles, with its independent support."""
    article: str  # the article the passage is taken from (the source side)
    span: Span
    supporting: list[str]
    independent_origins: int

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "span": list(self.span), "supporting": self.supporting,
                "independent_origins": self.independent_origins}


@dataclass
class Provenance:
    story: str
    links: list[Link]
    origins: list[str]  # article ids that are primary reporting
    origin_of: dict[str, str]  # article id -> origin key (an article id or "source:NAME")
    origin_sources: list[str] = field(default_factory=list)  # outside outlets that are origins
    facts: list[Fact] = field(default_factory=list)
    attributions: dict[str, list[Attribution]] = field(default_factory=dict)
    alignments: list[Alignment] = field(default_factory=list)

    def independent_origins(self, article_ids: Iterable[str]) -> int:
        return independent_origins(article_ids, self.origin_of)

    def to_dict(self) -> dict[str, Any]:
        return {"story": self.story, "links": [lk.to_dict() for lk in self.links],
                "origins": self.origins, "origin_sources": self.origin_sources,
                "origin_of": self.origin_of, "facts": [f.to_dict() for f in self.facts]}


def independent_origins(article_ids: Iterable[str], origin_of: Mapping[str, str]) -> int:
    """How many independent origins a set of supporting articles amounts to."""
    return len({origin_of.get(a, a) for a in article_ids})


def _time_key(a: Article) -> tuple:
    t = parse_time(a.published)
    return (0, t[0].isoformat(), a.id) if t else (1, "", a.id)


def _spans_in(al: Alignment, article_id: str) -> list[Span]:
    return [p.a_span if article_id == al.a else p.b_span for p in al.passages]


def _coverage(spans: list[Span], by: list[Span]) -> float:
    """Share of the characters of ``spans`` that lie inside the union of ``by``."""
    total = sum(e - s for s, e in spans)
    if not total:
        return 0.0
    merged: list[list[int]] = []
    for s, e in sorted(by):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    inside = sum(max(0, min(e, me) - max(s, ms)) for s, e in spans for ms, me in merged)
    return inside / total


def candidate_pairs(ids: list[str], tokens: dict[str, Tokens], settings: Settings,
                    rank: dict[str, tuple]) -> list[tuple[str, str]]:
    """Pairs worth aligning: each article with its top articles by shared n-grams.

    One sparse product counts shared n-grams for all pairs of the story at once.
    """
    import numpy as np
    from scipy import sparse

    n = settings.reuse_ngram
    if not ids:
        return []
    rows, cols = _gram_columns([tokens[aid] for aid in ids], n)
    if not len(cols):
        return []
    x = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)),
                          shape=(len(ids), int(cols.max()) + 1))
    shared = (x @ x.T).tocsr()
    pairs: set[tuple[str, str]] = set()
    indptr, indices, data = shared.indptr, shared.indices.tolist(), shared.data.tolist()
    for r, aid in enumerate(ids):
        lo, hi = int(indptr[r]), int(indptr[r + 1])
        cands = [(v, ids[c]) for c, v in zip(indices[lo:hi], data[lo:hi])
                 if c != r and v >= settings.reuse_min_shared_ngrams]
        cands.sort(key=lambda cv: (-cv[0], rank[cv[1]]))
        for _, other in cands[:settings.reuse_max_candidates]:
            pairs.add(tuple(sorted((aid, other), key=lambda i: rank[i])))
    return sorted(pairs, key=lambda p: (rank[p[0]], rank[p[1]]))


def _gram_columns(texts: list[Tokens], n: int):
    """(row, column) of every word n-gram of ``texts``: row = text, column = one id per
    distinct n-gram. Words become story-wide integers and an n-gram one integer key, so the
    n-grams are counted by numpy rather than as tuples in a dict."""
    import numpy as np

    vocab: dict[str, int] = {}
    ids = [np.fromiter((vocab.setdefault(w, len(vocab)) for w in t.words), dtype=np.int64,
                       count=len(t.words)) for t in texts]
    size = len(vocab) + 1
    if size ** n >= 2 ** 62:  # too many distinct words for one int64 key: tuples instead
        grams: dict[tuple[str, ...], int] = {}
        rows, cols = [], []
        for r, t in enumerate(texts):
            for gram in t.ngrams(n):
                rows.append(r)
                cols.append(grams.setdefault(gram, len(grams)))
        return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    keys, rows = [], []
    for r, w in enumerate(ids):
        m = len(w) - n + 1
        if m <= 0:
            continue
        key = np.zeros(m, dtype=np.int64)
        for k in range(n):
            key = key * size + w[k:k + m]
        # one entry per distinct n-gram of the text, as Tokens.ngrams has it
        keys.append(np.unique(key))
        rows.append(np.full(len(keys[-1]), r, dtype=np.int64))
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    cols = np.unique(np.concatenate(keys), return_inverse=True)[1]
    return np.concatenate(rows), cols.ravel()


def acronym_aliases(outlets: Iterable[str | None]) -> dict[str, str]:
    """Initials of the story's multi-word outlets as aliases: "(MPA) -" credits Meridian Press Agency.

    Only outlets present in the story, so an acronym is read as a credit to an outlet the
    corpus holds; ambiguous initials (two outlets, one acronym) are left out.
    """
    found: dict[str, set[str]] = {}
    for name in outlets:
        if not name:
            continue
        words = [w for w in re.findall(r"[A-Za-z][\w'-]*", name) if w.lower() not in ("the", "of", "and")]
        if len(words) >= 2 and all(w[0].isupper() for w in words):
            found.setdefault("".join(w[0] for w in words), set()).add(name)
    return {acro: names.pop() for acro, names in found.items() if len(names) == 1}


def trace_provenance(story_id: str, articles: list[Article], duplicate_of: Mapping[str, str],
                     settings: Settings | None = None) -> Provenance:
    """The provenance graph of one story (see the module docstring)."""
    settings = settings or Settings()
    by_id = {a.id: a for a in articles}
    aliases = {**acronym_aliases(a.source for a in articles), **settings.aliases}
    rank = {a.id: _time_key(a) for a in articles}
    ids = sorted(by_id, key=lambda i: rank[i])
    dup = {c: r for c, r in duplicate_of.items() if c in by_id and r in by_id and c != r}
    reps = [i for i in ids if i not in dup]
    # Work that depends only on the text (or the outlet string) is done once per distinct
    # value: a wire story carried verbatim by thousands of sites is tokenised, scanned for
    # credits and aligned once.
    outlet_of: dict[str | None, str | None] = {}
    texts: dict[str, tuple[Tokens, list]] = {}  # analysis text -> (tokens, credits in it)
    outlet, attrs, tokens = {}, {}, {}
    for i in ids:
        art = by_id[i]
        where = art.source or _host(art.url)
        if where not in outlet_of:
            outlet_of[where] = outlet_name(where, aliases)
        outlet[i] = outlet_of[where]
        text = art.analysis_text
        if text not in texts:
            texts[text] = (tokenize(text), scan_credits(text, aliases))
        tokens[i], scanned = texts[text]
        attrs[i] = attributions_for(i, scanned, outlet[i])
    credits = {i: media_credits(attrs[i]) for i in ids}
    credited = {i: frozenset(a.source for a in credits[i]) for i in ids}
    passages_of: dict[tuple[int, int], list[ReusedPassage]] = {}  # per pair of distinct texts

    def passages(x: str, y: str) -> list[ReusedPassage]:
        key = (id(tokens[x]), id(tokens[y]))
        if key not in passages_of:
            passages_of[key] = align_tokens(tokens[x], tokens[y], settings)
        return passages_of[key]

    alignments: list[Alignment] = []
    for x, y in candidate_pairs(reps, tokens, settings, rank):
        al = align(by_id[x], by_id[y], settings, outlet_a=outlet[x], outlet_b=outlet[y],
                   credits_a=credited[x], credits_b=credited[y], tokens=(tokens[x], tokens[y]),
                   passages=passages(x, y))
        if al.passages:
            alignments.append(al)

    # Which directed copying is explained by a common source (then it is sibling sharing)?
    sources_of: dict[str, dict[str, Alignment]] = {}
    for al in alignments:
        if al.source and al.quoted < QUOTED_ONLY:
            sources_of.setdefault(al.copy, {})[al.source] = al
    links: list[Link] = []
    derived_from: dict[str, list[tuple[int, str]]] = {}  # copy -> [(words, source)]
    unknown_pairs: list[tuple[str, str]] = []
    for al in alignments:
        x, y = al.a, al.b  # x ranks first (earlier or same time)
        common = _common_source(al, sources_of, credited, outlet, settings)
        if common:
            links.append(Link(y, x, "shares-text", passages=[Passage(p.b_span, p.a_span) for p in al.passages],
                              extra={"common_source": common, "share": round(al.share_b, 3),
                                     "direction": "none"}))
            continue
        if al.source is None:
            unknown_pairs.append((x, y))
            links.append(Link(y, x, "copies-text", passages=al.link_passages(),
                              extra={"direction": "unknown", "share": round(al.share_b, 3),
                                     "to_share": round(al.share_a, 3)}))
            continue
        src, cp = al.source, al.copy
        is_credited = bool(credited[cp] & ({outlet[src]} | credited[src]) - {None})
        links.append(Link(cp, src, "copies-text", to_source=outlet[src], passages=al.link_passages(),
                          extra={"direction": al.basis, "share": round(al.share_of(cp), 3),
                                 "to_share": round(al.share_of(src), 3), "uncredited": not is_credited}))
        derived_from.setdefault(cp, []).append((al.words, src))

    for cp, rep in sorted(dup.items()):
        if by_id[cp].analysis_text == by_id[rep].analysis_text:  # an exact copy: no aligning
            spans = _whole_text(tokens[cp])
            share = 1.0 if spans else 0.0
        else:
            al = align(by_id[rep], by_id[cp], settings, tokens=(tokens[rep], tokens[cp]),
                       passages=passages(rep, cp))
            spans, share = [(p.b_span, p.a_span) for p in al.passages], al.share_b
        is_credited = bool(credited[cp] & ({outlet[rep]} | credited[rep]) - {None})
        links.append(Link(cp, rep, "duplicate", to_source=outlet[rep],
                          passages=[Passage(b, a) for b, a in spans],
                          extra={"share": round(share, 3), "uncredited": not is_credited}))

    cited_article: dict[str, list[tuple[int, str]]] = {}
    cited_outside: dict[str, list[tuple[int, int, str]]] = {}
    reuse_words = {(al.a, al.b): al.words for al in alignments}
    credit_targets = _CreditTargets(ids, outlet, by_id, reuse_words, rank, dup)
    story_outlet: dict[str, str] = {}
    for i in ids:
        by_source: dict[str, list[Attribution]] = {}
        for at in credits[i]:
            if at.source not in story_outlet:
                story_outlet[at.source] = _story_outlet(at.source, outlet)
            by_source.setdefault(story_outlet[at.source], []).append(at)
        for source, ats in sorted(by_source.items()):
            target = credit_targets.find(i, source)
            links.append(Link(i, target, "cites", to_source=source, cue=ats[0].cue,
                              passages=[Passage(at.span, None) for at in ats],
                              extra={"mentions": len(ats), "patterns": sorted({at.pattern for at in ats})}))
            if target:
                cited_article.setdefault(i, []).append((len(ats), target))
            else:
                cited_outside.setdefault(i, []).append((len(ats), -ats[0].span[0], source))

    origin_of = _origins(ids, dup, derived_from, cited_article, cited_outside, unknown_pairs, rank)
    origins = sorted({k for k in origin_of.values() if not k.startswith("source:")}, key=lambda i: rank[i])
    origin_sources = sorted({k[len("source:"):] for k in origin_of.values() if k.startswith("source:")})
    links.sort(key=lambda lk: (rank[lk.from_], lk.kind, lk.to or "", lk.to_source or ""))
    return Provenance(story_id, links, origins, origin_of, origin_sources,
                      _facts(links, origin_of), attrs, alignments)


def _common_source(al: Alignment, sources_of: dict[str, dict[str, Alignment]],
                   credited: dict[str, frozenset[str]], outlet: dict[str, str | None],
                   settings: Settings) -> str | None:
    """What both articles of a pair derive from, when that explains their shared text."""
    if al.quoted >= QUOTED_ONLY:
        return "quoted speech"
    x, y = al.a, al.b
    for z in sorted(set(sources_of.get(x, {})) & set(sources_of.get(y, {})) - {x, y}):
        zx, zy = sources_of[x][z], sources_of[y][z]
        if (_coverage(_spans_in(al, x), _spans_in(zx, x)) >= settings.sibling_cover
                and _coverage(_spans_in(al, y), _spans_in(zy, y)) >= settings.sibling_cover):
            return z
    if al.basis != "attribution" and outlet[x] and outlet[y]:  # an unnamed outlet may be the credited one
        both = (credited[x] & credited[y]) - {outlet[x], outlet[y], None}
        if both and outlet[x] not in credited[y] and outlet[y] not in credited[x]:
            return "source:" + sorted(both)[0]
    return None


def _story_outlet(source: str, outlet: Mapping[str, str | None]) -> str:
    """A short credit ("the Courier") as the story's one outlet it names ("Coastline Courier")."""
    matches = sorted({o for o in outlet.values() if o and same_outlet(source, o)})
    return matches[0] if len(matches) == 1 else source


class _CreditTargets:
    """The story's article of a credited outlet: the one sharing most text with the citing
    article, else the earliest (an original before an exact copy); never one published later.

    Outlets and their articles are indexed once, so a credit costs a look at the credited
    outlet's articles in time order, not a pass over the whole story.
    """

    def __init__(self, ids: list[str], outlet: dict[str, str | None], by_id: dict[str, Article],
                 reuse_words: dict[tuple[str, str], int], rank: dict[str, tuple], dup: Mapping[str, str]):
        self.rank, self.dup, self.outlet = rank, dup, outlet
        self.time = {i: parse_time(by_id[i].published) for i in ids}
        self.articles_of: dict[str | None, list[str]] = {}  # outlet -> its articles, story order
        for i in ids:
            self.articles_of.setdefault(outlet[i], []).append(i)
        self.partners: dict[str, dict[str, int]] = {}  # article -> {article: shared words}
        for (a, b), words in reuse_words.items():
            self.partners.setdefault(a, {})[b] = self.partners.setdefault(a, {}).get(b, 0) + words
            self.partners.setdefault(b, {})[a] = self.partners.setdefault(b, {}).get(a, 0) + words
        self.matching: dict[str, list[str]] = {}  # credited name -> the story's articles of it

    def _of(self, source: str) -> list[str]:
        if source not in self.matching:
            outlets = [o for o in self.articles_of if same_outlet(source, o)]
            self.matching[source] = sorted((c for o in outlets for c in self.articles_of[o]),
                                           key=lambda c: self.rank[c])
        return self.matching[source]

    def _allowed(self, citing: str, c: str) -> bool:
        return c != citing and compare_times(self.time[citing], self.time[c]) >= 0

    def find(self, citing: str, source: str) -> str | None:
        cands = self._of(source)
        if not cands:
            return None
        # Articles sharing text win (most words, then not a copy, then the earliest) ...
        partners = self.partners.get(citing, {})
        sharing = [c for c in partners if partners[c] > 0 and c in self.outlet
                   and same_outlet(source, self.outlet[c]) and self._allowed(citing, c)]
        if sharing:
            return min(sharing, key=lambda c: (-partners[c], c in self.dup, self.rank[c]))
        # ... else the earliest that is not an exact copy, else the earliest copy.
        first_copy = None
        for c in cands:
            if self._allowed(citing, c):
                if c not in self.dup:
                    return c
                if first_copy is None:
                    first_copy = c
        return first_copy


def _origins(ids, dup, derived_from, cited_article, cited_outside, unknown_pairs, rank) -> dict[str, str]:
    """Each article's origin key: follow the main derivation edge; merge unknown directions."""
    parent: dict[str, str] = {}
    for i in ids:
        if i in dup:
            parent[i] = dup[i]
        elif derived_from.get(i):
            parent[i] = min(derived_from[i], key=lambda ws: (-ws[0], rank[ws[1]]))[1]
        elif cited_article.get(i):
            parent[i] = min(cited_article[i], key=lambda ms: (-ms[0], rank[ms[1]]))[1]
        elif cited_outside.get(i):
            parent[i] = "source:" + max(cited_outside[i])[2]
    uf: dict[str, str] = {}

    def find(n: str) -> str:
        uf.setdefault(n, n)
        while uf[n] != n:
            uf[n] = uf[uf[n]]
            n = uf[n]
        return n

    def union(p: str, q: str) -> None:
        rp, rq = find(p), find(q)
        if rp != rq:
            uf[max(rp, rq)] = min(rp, rq)

    for i in ids:
        find(i)
        if i in parent:
            union(i, parent[i])
    for x, y in unknown_pairs:
        union(x, y)
    members: dict[str, list[str]] = {}
    for n in list(uf):
        members.setdefault(find(n), []).append(n)
    key_of: dict[str, str] = {}
    for root, nodes in members.items():
        roots = [n for n in nodes if n not in parent]
        articles = [n for n in roots if not n.startswith("source:")]
        if articles:
            key = min(articles, key=lambda n: rank[n])
        elif roots:
            key = min(roots)
        else:  # a cycle of credits: the earliest article stands for it
            key = min((n for n in nodes if n in rank), key=lambda n: rank[n])
        key_of[root] = key
    return {i: key_of[find(i)] for i in ids}


def _whole_text(tokens: Tokens) -> list[tuple[Span, Span]]:
    """An exact copy's passage against its representative: the whole text, first word to
    last, on both sides (what ``align_tokens`` finds for two identical texts of at least
    ``reuse_min_words`` words); none when the text has no words."""
    if not tokens.words:
        return []
    span = (tokens.starts[0], tokens.ends[-1])
    return [(span, span)]


def _facts(links: list[Link], origin_of: dict[str, str]) -> list[Fact]:
    """Passages carried by several articles, merged per source article, with their support."""
    pieces: dict[str, list[tuple[int, int, str]]] = {}
    for lk in links:
        if lk.kind in ("duplicate", "copies-text", "shares-text") and lk.to:
            for p in lk.passages:
                if p.to_span:
                    pieces.setdefault(lk.to, []).append((p.to_span[0], p.to_span[1], lk.from_))
    facts = []
    for article, spans in sorted(pieces.items()):
        spans.sort()
        cur_s, cur_e, support = spans[0][0], spans[0][1], {article, spans[0][2]}
        for s, e, frm in spans[1:] + [(None, None, None)]:
            if s is not None and s < cur_e:
                cur_e = max(cur_e, e)
                support.add(frm)
                continue
            sup = sorted(support)
            facts.append(Fact(article, (cur_s, cur_e), sup, independent_origins(sup, origin_of)))
            if s is not None:
                cur_s, cur_e, support = s, e, {article, frm}
    return facts
