"""Site furniture: lines a source repeats across its articles, and common service messages.

Boilerplate is *marked* as spans, never cut from the text, so offsets stay stable. Two
signals: service-message shapes that a lone article can be judged by, and lines that one
source repeats across otherwise different articles (learned from the corpus).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

import numpy as np

from ..article_texts import HeldTexts
from ..ids import text_key
from ..model import Article
from ..text import lines

Span = tuple[int, int]

# Whole-line shapes of service messages: help, subscription, newsletter, share prompts.
_SERVICE = re.compile(
    r"""^(?:
        if\ you\ (?:experience|have|are\ having)\ (?:any\ )?(?:technical\ )?(?:problems|issues|difficult).*
      | (?:please\ )?(?:subscribe|sign\ up|register|log\ in|sign\ in)\b.{0,160}
      | .{0,80}\b(?:newsletter|subscription|subscribers?\ only|paywall)\b.{0,100}
      | share\ (?:this|on|via)\b.{0,80}
      | (?:follow|like)\ us\ on\b.{0,80}
      | click\ here\b.{0,120}
      | (?:advertisement|advert|sponsored(?:\ content)?|skip\ advert|story\ continues\ below.*)
      | (?:copyright|©|\(c\))\s.{0,120} | all\ rights\ reserved\.?
      | (?:read\ more|related(?:\ (?:articles|stories|coverage))?|more\ on\ this\ story|most\ read)\s*:?.{0,120}
      | (?:download|get)\ (?:our|the)\ (?:free\ )?app\b.{0,100}
      | we\ use\ cookies\b.*
      | (?:support|donate\ to)\ (?:our|independent)\ journalism\b.{0,120}
      | (?:image|video|media)\ (?:copyright|caption|source)\b.{0,160}
      | (?:email|contact)\ us\ at\b.{0,120}
      | (?:comments?|leave\ a\ comment|\d+\ comments?|print|email|tweet|whatsapp|facebook|twitter|linkedin)\s*
    )$""", re.I | re.X)

# A last line cut off mid-phrase (a truncated trailer): no end punctuation, ends on a function word.
_CUT_OFF = re.compile(r"\b(?:to|at|for|of|the|a|an|and|or|via|on|in|with|from|by)\s*$", re.I)
_SENTENCE_END = re.compile(r"[.!?…\"'”’)\]:]\s*$")


def service_message_spans(text: str, line_spans: list[Span] | None = None) -> list[Span]:
    """Boilerplate a lone article shows: service-message lines and a cut-off trailing line.
    ``line_spans``: ``lines(text)``, when the caller has them."""
    spans = []
    line_spans = lines(text) if line_spans is None else line_spans
    for i, (s, e) in enumerate(line_spans):
        line = text[s:e]
        if len(line) <= 300 and _SERVICE.match(line.strip()):
            spans.append((s, e))
        elif (i == len(line_spans) - 1 and i > 0 and len(line.split()) <= 15
              and not _SENTENCE_END.search(line) and _CUT_OFF.search(line)):
            spans.append((s, e))
    return spans


_DIGIT = re.compile(r"\d")


def _line_key(line: str) -> str:
    """The line lower-cased, digits as 0, whitespace runs as one space, stripped (split()
    splits at the characters re's \\s matches; 2.6x faster than two re.sub calls)."""
    return " ".join(_DIGIT.sub("0", line.lower()).split())


def learn_boilerplate(articles: Iterable[Article], min_articles: int = 3,
                      max_line_chars: int = 400, max_overlap: float = 0.3,
                      texts: HeldTexts | None = None) -> dict[str, list[Span]]:
    """Spans per article id: service messages plus lines its source repeats across articles.

    A repeated line counts only when the articles repeating it are otherwise different
    (low overlap of their other lines), so successive versions of one story, which share
    real paragraphs, never mark reported text as boilerplate. ``texts``: where articles
    loaded without text get theirs (a chunk at a time, even within one source).
    """
    texts = texts or HeldTexts()
    by_source: dict[str, list[Article]] = defaultdict(list)
    for art in articles:
        by_source[art.source or ""].append(art)
    result: dict[str, list[Span]] = {}
    for source, group in by_source.items():
        if not source or len(group) < min_articles:  # nothing to learn: service messages only
            for chunk in texts.chunks(group):
                result.update((a.id, service_message_spans(a.text)) for a in chunk)
            continue
        result.update(_source_boilerplate(group, texts, min_articles, max_line_chars, max_overlap))
    return result


def _source_boilerplate(group: list[Article], texts: HeldTexts, min_articles: int, max_line_chars: int,
                        max_overlap: float) -> dict[str, list[Span]]:
    """``learn_boilerplate`` for the articles of one source, reading their texts a chunk at
    a time, so a crawl of one site never holds the site's texts. Each line is kept as a
    64-bit hash of its key (8 bytes, against ~2 bytes a character of text); the texts of
    the articles that hold an accepted line are read once more to mark it."""
    group = sorted(group, key=lambda a: a.id)  # an owner is the first article, by id, with its text
    result: dict[str, list[Span]] = {}
    owner_of_text: dict[bytes, int] = {}
    owners = np.empty(len(group), dtype=np.int64)
    keys: list[int] = []  # every line's key hash, article after article
    short: list[bool] = []  # the line is short enough to be furniture
    ends = np.empty(len(group), dtype=np.int64)  # where each article's lines end in ``keys``
    position = 0
    for chunk in texts.chunks(group):
        for a in chunk:
            owners[position] = owner_of_text.setdefault(text_key(a.text), position)
            spans = lines(a.text)
            result[a.id] = service_message_spans(a.text, spans)
            # Python's string hash: the same for equal keys within a run, 64 bits wide
            keys += [hash(_line_key(a.text[s:e])) for s, e in spans]
            short += [e - s <= max_line_chars for s, e in spans]
            ends[position] = len(keys)
            position += 1
    del owner_of_text
    key_array = np.array(keys, dtype=np.int64)
    del keys
    starts = np.concatenate([[0], ends[:-1]])
    article_of_line = np.repeat(np.arange(len(group)), ends - starts)
    short_lines = np.array(short, dtype=bool)
    first_owners = _repeated_lines(key_array[short_lines], owners[article_of_line[short_lines]], min_articles)
    if not first_owners:
        return result
    candidates = set(first_owners)
    judges = {o for judged in first_owners.values() for o in judged}
    line_sets = {o: set(key_array[starts[o]:ends[o]].tolist()) - candidates for o in judges}
    accepted = {k for k, judged in first_owners.items() if _otherwise_different(judged, line_sets, max_overlap)}
    if not accepted:
        return result
    marked = np.isin(key_array, np.array(sorted(accepted), dtype=np.int64))
    holders = np.unique(article_of_line[marked]).tolist()
    index_of = {group[i].id: i for i in holders}
    for chunk in texts.chunks([group[i] for i in holders]):
        for a in chunk:
            i = index_of[a.id]
            hit = marked[starts[i]:ends[i]].tolist()
            extra = [span for span, h in zip(lines(a.text), hit) if h]
            result[a.id] = merge_spans(result[a.id] + extra)
    return result


def _repeated_lines(keys: np.ndarray, owners: np.ndarray, min_articles: int) -> dict[int, list[int]]:
    """{line key: its first 12 owners} for the keys at least ``min_articles`` owners repeat."""
    pairs = np.unique(np.stack([keys, owners], axis=1), axis=0)  # (key, owner), sorted, once each
    if not len(pairs):
        return {}
    cuts = np.flatnonzero(np.diff(pairs[:, 0])) + 1
    starts = np.concatenate([[0], cuts])
    counts = np.diff(np.concatenate([starts, [len(pairs)]]))
    return {int(pairs[s, 0]): pairs[s:s + min(c, 12), 1].tolist()
            for s, c in zip(starts.tolist(), counts.tolist()) if c >= min_articles}


def _otherwise_different(ids: list[int], line_sets: dict[int, set[int]], max_overlap: float) -> bool:
    scores = []
    for a, b in combinations(ids, 2):
        union = line_sets[a] | line_sets[b]
        # Nothing left but repeated lines: copies of one text, not different articles.
        scores.append(len(line_sets[a] & line_sets[b]) / len(union) if union else 1.0)
    return not scores or sum(scores) / len(scores) <= max_overlap


def merge_spans(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
