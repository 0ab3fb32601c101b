"""Quotes across a story: one speaker per person, one group per utterance, fidelity of each
outlet's variant against the earliest.

"Colonel Ryan Dillon", "Col. Dillon" and "Dillon" are one person when the story names no
other Dillon. Two quotes are one utterance when most words of the shorter one appear, in
order, in the longer (so trimmed, spliced and re-punctuated variants still match).
"""
from __future__ import annotations

import math
import re

from ..ids import make_id
from ..model import Article, Quote
from .attribution import TITLES

_MIN_SHARED = 0.6  # share of the shorter quote's words aligned with the other quote
_MIN_WORDS = 3


def normalise_words(text: str) -> list[str]:
    """Lower-case words without punctuation or quote marks: the unit of comparison."""
    return re.findall(r"\w+(?:[’'.-]\w+)*", text.lower().replace("’", "'"))


def _name_tokens(name: str) -> list[str]:
    toks = [t.strip(".,") for t in name.split()]
    while toks and toks[0].lower().strip(".") in TITLES:
        toks.pop(0)
    return [t for t in toks if t]


def canonical_speakers(names: list[str]) -> dict[str, str]:
    """Map each name to the fullest form of the same person in the story.

    A shorter name (titles dropped) is the same person as a longer one when its words are a
    subset ending in the same surname, and only one longer person fits.
    """
    full = sorted({n for n in names if n}, key=lambda n: (-len(_name_tokens(n)), n))
    out: dict[str, str] = {}
    for name in full:
        toks = _name_tokens(name)
        if not toks or not toks[0][:1].isupper():
            out[name] = name  # unnamed speakers ("one driver") stay as written
            continue
        fits = []
        for other in full:
            ot = _name_tokens(other)
            if other == name or len(ot) <= len(toks) or not ot[0][:1].isupper():
                continue
            if ot[-1].lower() == toks[-1].lower() and {t.lower() for t in toks} <= {t.lower() for t in ot}:
                fits.append(" ".join(ot))
        fits = sorted(set(fits))
        longest = [f for f in fits if not any(f != g and set(f.split()) < set(g.split()) for g in fits)]
        out[name] = longest[0] if len(longest) == 1 else " ".join(toks)
    return out


def _shared(a: list[str], b: list[str]) -> int:
    from rapidfuzz.distance import Indel

    if not a or not b:
        return 0
    ops = Indel.opcodes(a, b)
    return sum(o.src_end - o.src_start for o in ops if o.tag == "equal")


def _utterance_roots(word_lists: list[list[str]]) -> list[int]:
    """For each quote, the position of the earliest quote of its utterance.

    Utterances are the connected components of "shares enough words in order", so any
    visiting order gives the same groups. Components are relabelled small-into-large, so
    "already together?" is one list lookup, not a union-find walk per pair.

    Quotes with the same words (of at least ``_MIN_WORDS``) are one utterance whatever else
    holds, so each such word list is compared once: a wire quote carried by thousands of
    copies costs one comparison, not one per pair of copies.
    """
    first: dict[tuple[str, ...], int] = {}
    distinct: list[list[str]] = []
    slot = []  # quote -> its position in ``distinct``
    for ws in word_lists:
        key = tuple(ws)
        if len(ws) >= _MIN_WORDS and key in first:
            slot.append(first[key])
            continue
        if len(ws) >= _MIN_WORDS:
            first[key] = len(distinct)
        slot.append(len(distinct))
        distinct.append(ws)
    comp = _components(distinct)
    low: dict[int, int] = {}
    for i, k in enumerate(slot):
        low.setdefault(comp[k], i)  # i grows, so the first one seen is the earliest
    return [low[comp[k]] for k in slot]


def _components(word_lists: list[list[str]]) -> list[int]:
    """A component label for each word list (see _utterance_roots)."""
    n = len(word_lists)
    comp = list(range(n))
    parts = [[i] for i in range(n)]
    for a, b in _candidate_pairs(word_lists):
        ca, cb = comp[a], comp[b]
        if ca == cb:
            continue
        wa, wb = word_lists[a], word_lists[b]
        if _shared(wa, wb) >= _MIN_SHARED * min(len(wa), len(wb)):
            if len(parts[ca]) < len(parts[cb]):
                ca, cb = cb, ca
            for k in parts[cb]:
                comp[k] = ca
            parts[ca].extend(parts[cb])
            parts[cb] = []
    return comp


def _candidate_pairs(word_lists: list[list[str]]):
    """Pairs (i < j) that can share ``_MIN_SHARED`` of the shorter quote's words, in order.

    Prefix filtering: words become occurrence tokens ("the#2" = the second "the"), so the
    token overlap bounds the in-order overlap from above; if two quotes share t tokens, the
    shorter one's |A| - t + 1 rarest tokens include one of them, so probing that prefix
    loses no pair. When quotes are so alike that probing costs more than all pairs (one
    utterance repeated by a whole story), all pairs it is.
    """
    usable = [i for i, ws in enumerate(word_lists) if len(ws) >= _MIN_WORDS]
    tokens: dict[int, list[str]] = {}
    freq: dict[str, int] = {}
    for i in usable:
        seen: dict[str, int] = {}
        toks = []
        for w in word_lists[i]:
            seen[w] = seen.get(w, 0) + 1
            toks.append(f"{w}#{seen[w]}")
        tokens[i] = toks
        for t in toks:
            freq[t] = freq.get(t, 0) + 1
    postings: dict[str, list[int]] = {}
    for i in usable:
        for t in tokens[i]:
            postings.setdefault(t, []).append(i)
    prefixes = {}
    cost = 0
    for i in usable:
        n = len(tokens[i])
        need = math.ceil(_MIN_SHARED * n - 1e-9)  # overlap needed when this quote is the shorter
        prefixes[i] = sorted(tokens[i], key=lambda t: (freq[t], t))[:max(1, n - need + 1)]
        cost += sum(freq[t] for t in prefixes[i])
    all_pairs = len(usable) * (len(usable) - 1) // 2
    if cost >= all_pairs:
        for k, i in enumerate(usable):
            for j in usable[k + 1:]:
                yield i, j
        return
    pairs = set()
    for i in usable:
        n = len(tokens[i])
        for t in prefixes[i]:
            for j in postings[t]:
                if j != i and len(tokens[j]) >= n:
                    pairs.add((i, j) if i < j else (j, i))
    yield from sorted(pairs)


def _diff(base: list[str], var: list[str]) -> list[list]:
    """Word-level edit ops turning the earliest quote into the variant."""
    from rapidfuzz.distance import Levenshtein

    out = []
    for o in Levenshtein.opcodes(base, var):
        out.append([o.tag, " ".join(base[o.src_start:o.src_end]), " ".join(var[o.dest_start:o.dest_end])])
    return out


def _fidelity(base: list[str], var: list[str], base_sp: str | None, var_sp: str | None) -> str:
    from rapidfuzz.distance import Levenshtein

    if base_sp and var_sp and base_sp != var_sp:
        return "misattributed"
    if base == var:
        return "verbatim"
    ops = [o for o in Levenshtein.opcodes(base, var) if o.tag != "equal"]
    # Only words dropped: a cut at the ends is a truncation, a cut inside is a splice.
    # Only words added at the ends: the earliest was the cut one, still a truncation.
    if all(o.tag == "delete" for o in ops):
        inner = [o for o in ops if 0 < o.src_start and o.src_end < len(base)]
        return "spliced" if inner else "truncated"
    if all(o.tag == "insert" for o in ops):
        inner = [o for o in ops if 0 < o.dest_start and o.dest_end < len(var)]
        return "altered" if inner else "truncated"  # words put inside are an alteration
    return "altered"


def group_quotes(story_id: str, quotes: list[Quote], articles: dict[str, Article],
                 origin_of: dict[str, str] | None = None) -> tuple[list[Quote], list[dict]]:
    """Quotes of one story with ``group`` and ``extra["speaker_canonical"]`` set, and one
    summary per group that holds quotes from more than one article or outlet variant."""
    origin_of = origin_of or {}
    canon = canonical_speakers([q.speaker for q in quotes if q.speaker])

    def when(q: Quote):
        art = articles.get(q.article)
        return (art.published or "9999") if art else "9999", q.article, q.span

    order = sorted(quotes, key=when)
    words = {q.id: normalise_words(q.text) for q in order}
    roots = _utterance_roots([words[q.id] for q in order])
    members: dict[str, list[Quote]] = {}
    for q, root in zip(order, roots):
        members.setdefault(order[root].id, []).append(q)
    out_quotes: list[Quote] = []
    summaries: list[dict] = []
    for root, qs in members.items():
        earliest = qs[0]
        gid = make_id("qg", story_id, earliest.article, earliest.span[0], earliest.span[1])
        base_sp = canon.get(earliest.speaker) if earliest.speaker else None
        variants = []
        for q in qs:
            q.group = gid
            sp = canon.get(q.speaker) if q.speaker else None
            q.extra["speaker_canonical"] = sp
            out_quotes.append(q)
            variants.append({
                "quote": q.id, "article": q.article, "speaker": sp,
                "diff": _diff(words[earliest.id], words[q.id]),
                "fidelity": _fidelity(words[earliest.id], words[q.id],
                                      base_sp if not earliest.extra.get("unnamed") else None,
                                      sp if not q.extra.get("unnamed") else None),
            })
        arts = sorted({q.article for q in qs})
        summaries.append({
            "id": gid, "story": story_id, "speaker": base_sp, "canonical_text": earliest.text,
            "articles": arts, "variants": variants,
            "independent_origins": len({origin_of.get(a, a) for a in arts}),
        })
    out_quotes.sort(key=lambda q: (q.article, q.span, q.id))
    summaries.sort(key=lambda g: g["id"])
    return out_quotes, summaries
