"""Passage-level text reuse between two articles, in the spirit of passim.

Shared word n-grams are *seeds*; seeds that follow each other on both sides within a few
words are chained into one *passage*, so small edits, trimmed words and re-ordered
paragraphs still align (a re-ordered paragraph is its own chain). rapidfuzz's Indel
distance scores each passage. Direction (who copied whom) comes from publication times,
then attribution (the copy credits the source's outlet), then containment (a trimmed copy
is mostly made of the other text); otherwise it is unknown.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..model import Article, Passage, Span
from ..settings import Settings

_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")
# Quoted speech: “...”, "...", ‘...’ and '...' (apostrophes inside words allowed).
_QUOTED = re.compile(r"“[^”]{1,3000}”|\"[^\"\n]{1,3000}\"|‘(?:[^’\n]|’(?=\w))+’|"
                     r"(?<!\w)'(?:[^'\n]|'(?=\w))+'(?!\w)")


@dataclass
class Tokens:
    """Normalised words of an article's analysis text, with their character spans."""
    words: list[str]
    starts: list[int]
    ends: list[int]
    quoted: list[bool]  # word lies inside quotation marks
    _index: dict[int, dict[tuple[str, ...], list[int]]] = field(default_factory=dict, repr=False)

    def ngrams(self, n: int) -> dict[tuple[str, ...], list[int]]:
        """n-gram -> word positions (built once per n)."""
        idx = self._index.get(n)
        if idx is None:
            idx = {}
            w = self.words
            # zip of n shifted views yields the tuples w[i:i+n] without slicing per position
            for i, gram in enumerate(zip(*(w[k:] for k in range(n)))):
                if gram in idx:
                    idx[gram].append(i)
                else:
                    idx[gram] = [i]
            self._index[n] = idx
        return idx


def tokenize(text: str) -> Tokens:
    words, starts, ends = [], [], []
    for m in _WORD.finditer(text):
        words.append(m.group())
        starts.append(m.start())
        ends.append(m.end())
    # One lower() over the joined words, not one per word ("\n" never changes case).
    joined = "\n".join(words)
    lowered = joined.lower()
    if len(lowered) == len(joined):
        words = lowered.replace("’", "'").split("\n")
    else:  # a letter whose lower case is longer ("İ"): word by word
        words = [w.lower().replace("’", "'") for w in words]
    # Quoted spans are sorted and disjoint: a word is quoted when the last span starting at
    # or before it has not ended yet.
    q_starts, q_ends = [], []
    for m in _QUOTED.finditer(text):
        q_starts.append(m.start())
        q_ends.append(m.end())
    if q_starts:
        quoted = [k >= 0 and s < q_ends[k] for s in starts
                  for k in (bisect_right(q_starts, s) - 1,)]
    else:
        quoted = [False] * len(starts)
    return Tokens(words, starts, ends, quoted)


@dataclass
class ReusedPassage:
    """One aligned passage: word ranges and character spans on both sides."""
    a_span: Span
    b_span: Span
    a_words: tuple[int, int]
    b_words: tuple[int, int]
    matched: int  # words of b covered by shared n-grams
    similarity: float  # rapidfuzz Indel normalised similarity of the two word sequences
    quoted: float  # share of b's words in this passage that are inside quotation marks

    def to_dict(self) -> dict[str, Any]:
        return {"a_span": list(self.a_span), "b_span": list(self.b_span), "matched": self.matched,
                "similarity": round(self.similarity, 3), "quoted": round(self.quoted, 3)}


@dataclass
class Alignment:
    """Text reuse between articles ``a`` and ``b``: passages, shares and direction."""
    a: str
    b: str
    passages: list[ReusedPassage]
    share_a: float  # share of a's words inside aligned passages
    share_b: float
    source: str | None = None  # the article copied from, None when the direction is unknown
    copy: str | None = None
    basis: str = "unknown"  # time | attribution | containment | unknown
    quoted: float = 0.0  # share of the reused words (b side) that are quoted speech

    @property
    def words(self) -> int:
        return sum(p.matched for p in self.passages)

    def link_passages(self) -> list[Passage]:
        """Passages oriented for a Link: from_span in the copy, to_span in the source."""
        b_is_copy = self.copy != self.a
        return [Passage(p.b_span, p.a_span) if b_is_copy else Passage(p.a_span, p.b_span)
                for p in self.passages]

    def share_of(self, article_id: str) -> float:
        return self.share_a if article_id == self.a else self.share_b


def align_tokens(ta: Tokens, tb: Tokens, settings: Settings) -> list[ReusedPassage]:
    """Aligned passages between two tokenised texts, sorted by position in b."""
    n = settings.reuse_ngram
    gap = settings.reuse_max_gap + 1
    index_a = ta.ngrams(n)
    index_b = tb.ngrams(n)
    cap = settings.reuse_max_ngram_freq
    seed_i: list[int] = []
    seed_j: list[int] = []
    for gram in index_b.keys() & index_a.keys():
        is_, js = index_a[gram], index_b[gram]
        if len(is_) > cap or len(js) > cap:
            continue
        if len(is_) == 1 and len(js) == 1:
            seed_i.append(is_[0])
            seed_j.append(js[0])
        else:
            for i in is_:
                seed_i.extend([i] * len(js))
                seed_j.extend(js)
    if not seed_i:
        return []
    # Chain seeds: each seed, by position in b then in a, joins the nearest open chain that
    # it follows on both sides (lowest cost, then the oldest chain). A chain stays open while
    # its last seed is at most ``gap`` words behind in b.
    #
    # A seed right after another on both sides (a diagonal *run* of shared n-grams) always
    # joins that seed's chain: its cost is the lowest possible, only one chain can end
    # there, and no other seed can have moved that chain's end meanwhile. So runs are found
    # with numpy and only a run's first seed looks for a chain; while a chain's newest run
    # is still going on, no other seed can join it (it would not follow on both sides), so
    # the chain's end can be set to the run's last seed at once.
    runs_i, runs_j, runs_len = _diagonal_runs(seed_i, seed_j)
    chains: list[list[tuple[int, int, int]]] = []  # runs (i, j, length) of each chain
    last_i: list[int] = []
    last_j: list[int] = []
    active: list[int] = []
    prev_j = -1
    for i, j, length in zip(runs_i, runs_j, runs_len):
        if j != prev_j:
            active = [c for c in active if j - last_j[c] <= gap]
            prev_j = j
        best, best_cost = -1, 0
        for c in active:
            dj = j - last_j[c]
            di = i - last_i[c]
            if dj >= 1 and 1 <= di <= gap:
                cost = dj + di + (di - dj if di > dj else dj - di)
                if best < 0 or cost < best_cost:
                    best, best_cost = c, cost
        if best >= 0:
            chains[best].append((i, j, length))
            last_i[best], last_j[best] = i + length - 1, j + length - 1
        else:
            active.append(len(chains))
            chains.append([(i, j, length)])
            last_i.append(i + length - 1)
            last_j.append(j + length - 1)

    from rapidfuzz.distance import Indel

    candidates = []
    for c, chain in enumerate(chains):
        # Words of b under the chain's seeds: a chain's j strictly increase, so each seed
        # adds min(n, distance to the next seed) new words (1 inside a run).
        matched = n + chain[0][2] - 1
        prev_end = chain[0][1] + chain[0][2] - 1  # last seed of the previous run, in b
        for _, j, length in chain[1:]:
            step = j - prev_end
            matched += (step if step < n else n) + length - 1
            prev_end = j + length - 1
        if matched < settings.reuse_min_words:
            continue
        i0, j0 = chain[0][0], chain[0][1]
        i1, j1 = last_i[c] + n, last_j[c] + n
        i0, j0, more_left = _extend(ta.words, tb.words, i0, j0, -1)
        i1, j1, more_right = _extend(ta.words, tb.words, i1, j1, 1)
        matched += more_left + more_right
        candidates.append((matched, i0, i1, j0, j1))
    # Overlapping chains (repeated text): keep the longest, drop what overlaps it.
    candidates.sort(key=lambda c: (-c[0], c[3], c[1]))
    kept: list[tuple[int, int, int, int, int]] = []
    for c in candidates:
        if any(c[1] < k[2] and k[1] < c[2] or c[3] < k[4] and k[3] < c[4] for k in kept):
            continue
        kept.append(c)
    out = []
    for matched, i0, i1, j0, j1 in sorted(kept, key=lambda c: (c[3], c[1])):
        sim = Indel.normalized_similarity(ta.words[i0:i1], tb.words[j0:j1])
        quoted = sum(tb.quoted[j0:j1]) / (j1 - j0)
        out.append(ReusedPassage((ta.starts[i0], ta.ends[i1 - 1]), (tb.starts[j0], tb.ends[j1 - 1]),
                                 (i0, i1), (j0, j1), matched, sim, quoted))
    return out


def _diagonal_runs(seed_i: list[int], seed_j: list[int]) -> tuple[list[int], list[int], list[int]]:
    """Seeds (i, j) grouped into diagonal runs ((i, j), (i+1, j+1), ...): each run's first
    seed and length, sorted by position in b, then in a."""
    import numpy as np

    i = np.asarray(seed_i, dtype=np.int64)
    j = np.asarray(seed_j, dtype=np.int64)
    order = np.lexsort((j, i - j))  # by diagonal, then along it
    i, j = i[order], j[order]
    head = np.ones(len(i), dtype=bool)
    head[1:] = (i[1:] - j[1:] != i[:-1] - j[:-1]) | (j[1:] != j[:-1] + 1)
    starts = np.flatnonzero(head)
    lengths = np.diff(np.append(starts, len(i)))
    hi, hj = i[starts], j[starts]
    by_b = np.lexsort((hi, hj))
    return hi[by_b].tolist(), hj[by_b].tolist(), lengths[by_b].tolist()


def _extend(a: list[str], b: list[str], i: int, j: int, step: int) -> tuple[int, int, int]:
    """Grow a passage edge word by word, through single substituted words ("residents" ->
    "people") when the two words beyond match again. ``i, j`` are exclusive ends for
    step 1 and starts for step -1; returns the new edge and the words matched."""
    matched = 0
    la, lb = len(a), len(b)
    off = 0 if step > 0 else -1  # the word just beyond the edge
    while True:
        pa, pb = i + off, j + off
        if not (0 <= pa < la and 0 <= pb < lb):
            return i, j, matched
        if a[pa] == b[pb]:
            i, j, matched = i + step, j + step, matched + 1
            continue
        # One substituted word, when the two words beyond it match on both sides.
        a1, b1, a2, b2 = pa + step, pb + step, pa + 2 * step, pb + 2 * step
        if (0 <= a1 < la and 0 <= b1 < lb and 0 <= a2 < la and 0 <= b2 < lb
                and a[a1] == b[b1] and a[a2] == b[b2]):
            i, j, matched = i + 3 * step, j + 3 * step, matched + 2
            continue
        return i, j, matched


def _share(passages: list[ReusedPassage], side: str, total: int) -> float:
    if not total:
        return 0.0
    covered = sum((p.a_words if side == "a" else p.b_words)[1] - (p.a_words if side == "a" else p.b_words)[0]
                  for p in passages)
    return min(1.0, covered / total)


def parse_time(value: str | None) -> tuple[datetime, bool] | None:
    """(UTC datetime, has a time of day) for an ISO 8601 string, or None."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    has_time = "T" in value or " " in value.strip()
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc), has_time


def earlier(a: Article, b: Article) -> int:
    """-1 when a was published first, 1 when b was, 0 when unknown or the same."""
    return compare_times(parse_time(a.published), parse_time(b.published))


def compare_times(ta: tuple[datetime, bool] | None, tb: tuple[datetime, bool] | None) -> int:
    """``earlier`` on parsed times (see parse_time)."""
    if not ta or not tb:
        return 0
    if not (ta[1] and tb[1]):  # a date without a time: only different days decide
        da, db = ta[0].date(), tb[0].date()
        return -1 if da < db else 1 if db < da else 0
    return -1 if ta[0] < tb[0] else 1 if tb[0] < ta[0] else 0


def decide_direction(a: Article, b: Article, share_a: float, share_b: float, settings: Settings,
                     outlet_a: str | None = None, outlet_b: str | None = None,
                     credits_a: frozenset[str] | set[str] = frozenset(),
                     credits_b: frozenset[str] | set[str] = frozenset()) -> tuple[str | None, str | None, str]:
    """(source id, copy id, basis): the later copies the earlier; then credits; then containment."""
    order = earlier(a, b)
    if order:
        return (a.id, b.id, "time") if order < 0 else (b.id, a.id, "time")
    b_credits_a = bool(outlet_a) and outlet_a in credits_b and outlet_a != outlet_b
    a_credits_b = bool(outlet_b) and outlet_b in credits_a and outlet_a != outlet_b
    if b_credits_a != a_credits_b:
        return (a.id, b.id, "attribution") if b_credits_a else (b.id, a.id, "attribution")
    if share_b - share_a >= settings.direction_min_share_gap:
        return a.id, b.id, "containment"  # b is mostly a's text: b is the (trimmed) copy
    if share_a - share_b >= settings.direction_min_share_gap:
        return b.id, a.id, "containment"
    return None, None, "unknown"


def align(a: Article, b: Article, settings: Settings | None = None, *,
          outlet_a: str | None = None, outlet_b: str | None = None,
          credits_a: frozenset[str] | set[str] = frozenset(),
          credits_b: frozenset[str] | set[str] = frozenset(),
          tokens: tuple[Tokens, Tokens] | None = None,
          passages: list[ReusedPassage] | None = None) -> Alignment:
    """Text reuse between two articles: passages (spans into each ``text``), shares, direction.

    ``outlet_*`` are the articles' normalised outlets and ``credits_*`` the outlets each one
    credits (see stages.attributions); without them direction uses times and containment.
    ``passages``: ``align_tokens`` of these tokens when the caller already has it.
    """
    settings = settings or Settings()
    ta, tb = tokens or (tokenize(a.analysis_text), tokenize(b.analysis_text))
    if passages is None:
        passages = align_tokens(ta, tb, settings)
    share_a = _share(passages, "a", len(ta.words))
    share_b = _share(passages, "b", len(tb.words))
    words_b = sum(p.b_words[1] - p.b_words[0] for p in passages)
    quoted = sum(p.quoted * (p.b_words[1] - p.b_words[0]) for p in passages) / words_b if words_b else 0.0
    if not passages:
        return Alignment(a.id, b.id, [], 0.0, 0.0)
    source, copy, basis = decide_direction(a, b, share_a, share_b, settings, outlet_a, outlet_b,
                                           credits_a, credits_b)
    return Alignment(a.id, b.id, passages, share_a, share_b, source, copy, basis, quoted)
