"""Opinion vs reporting: the sentences where the author argues, judges or speculates.

Rules over sentences, no model: the author's own first person, rhetorical questions,
exhortations ("we must"), evaluative and speculative words score a sentence; reported
speech (quotes, "X said", "according to", "the BBC reported") never counts, even inside an
opinion piece. A paragraph that is mostly opinion is marked whole (minus reported speech),
so a column's closing argument reads as one passage.
"""
from __future__ import annotations

import re

from ..model import Article
from .attribution import CUE_WORDS
from .segments import Segments, segments_for
from .word_trie import trie_pattern

_FIRST_PERSON = re.compile(r"\b(?:I|I’m|I'm|I’ve|I've|I’d|I'd|me|my|we|We|we’re|we're|we’ve|we've|"
                           r"our|Our|ours|us|let’s|let's|Let’s|Let's)\b")
# Literal alternatives as tries (same matches, see word_trie.py); the word-family ones
# ("disgrace\w*") stay regexes: no literal starts like them, so one alternative at most
# matches at any position and counts are unchanged.
_EXHORT = re.compile(r"\b" + trie_pattern([
    "must", "should", "ought to", "need to", "needs to", "has to be", "have to be", "it is time",
    "it's time", "it’s time", "let us", "let's", "let’s"]) + r"\b", re.I)
_STRONG = re.compile(r"\b(?:" + trie_pattern([
    "bitter pill", "shameful", "ridiculous", "outrageous", "naive", "naïve", "sadly",
    "unfortunately", "of course", "obviously", "surely", "frankly", "undoubtedly", "arguably",
    "no doubt", "appalling", "scandalous", "unwise", "folly", "pathetic", "laughable", "sham",
    "make no mistake", "the truth is", "the real question", "shocking", "disastrous",
    "catastrophic", "deplorable", "inexcusable", "unforgivable", "misguided", "wrongheaded",
    "idiotic", "nonsense", "insane", "in our interest", "in the interest",
    "in our long-term interest", "in the long-term interest", "in our best interest",
    "in the best interest", "cannot afford", "can't afford", "can’t afford", "don't care",
    "don’t care", "doesn't care", "doesn’t care", "strategic necessity", "ultimately"])
    + r"|disgrace\w*|absurd\w*|foolish\w*|incompeten\w+|reckless\w*|hypocri\w+|cynical\w*|"
    r"betray\w*|stupid\w*|remarkabl\w+|astonishing\w*)\b", re.I)
_WEAK = re.compile(r"\b(?:" + trie_pattern([
    "certainly", "clearly", "perhaps", "maybe", "probably", "presumably", "doubtless", "it seems",
    "seemingly", "one wonders", "might well", "may well", "could well", "important", "crucial",
    "essential", "worse", "better", "best", "worst", "terrible", "great", "good", "bad", "wrong",
    "right thing", "mistake", "failure", "so-called", "enough", "even", "only"])
    + r"|tragic\w*|deserve\w*)\b", re.I)
_YOU = re.compile(r"\b(?:when|if) you\b|\byou (?:realize|realise|know|see|have to)\b", re.I)
_ATTRIBUTED = re.compile(r"\b" + trie_pattern(CUE_WORDS | {
    "according to", "reported", "reporting", "reportedly", "it was reported", "quoted as saying",
    "is understood", "are understood", "was understood", "were understood", "witnesses",
    "sources say"}) + r"\b", re.I)
_THRESHOLD = 1.0


def opinion_spans(article: Article, segments: Segments | None = None) -> list[tuple[int, int]]:
    """Sorted ``[start, end)`` spans of the author's own argument, judgement or speculation.

    ``segments``: the article's splits, shared with the other per-article stages."""
    if article.language and not article.language.lower().startswith("en"):
        return []
    text = article.analysis_text
    segments = segments_for(text, segments)
    quoted = [(m.start, m.end) for m in segments.quotations]
    spans: list[tuple[int, int]] = []
    for p_start, p_end in segments.paragraphs:
        sents = segments.sentences(p_start, p_end)
        scored = [(s, e, _score(text, s, e, quoted)) for s, e in sents]
        own = [x for x in scored if x[2] is not None]  # the author's voice, not reported speech
        if not own:
            continue
        hits = [x for x in own if x[2] >= _THRESHOLD]
        # A paragraph that mostly argues is argument throughout (minus reported speech):
        # half its sentences are opinion, or weak signals add up over the paragraph.
        total = sum(x[2] for x in own)
        whole = len(own) >= 2 and (len(hits) * 2 >= len(own) or total >= _THRESHOLD * len(own) / 2)
        for s, e, sc in scored:
            if sc is not None and (sc >= _THRESHOLD or whole):
                spans.append((s, e))
    return _merge(text, spans)


def _score(text: str, s: int, e: int, quoted: list[tuple[int, int]]) -> float | None:
    """Opinion score of one sentence, or None when it is reported speech or a quote."""
    overlapping = _overlapping(quoted, s, e)
    inside = sum(min(e, qe) - max(s, qs) for qs, qe in overlapping)
    if inside * 2 >= (e - s):
        return None
    own = _blank_quotes(text, s, e, overlapping)
    first_person = bool(_FIRST_PERSON.search(own))
    if _ATTRIBUTED.search(own) and not first_person:
        return None  # reported speech; "we were promised" is still the author's voice
    score = 0.0
    if first_person:
        score += 1.0
    if own.rstrip().endswith("?"):
        score += 1.0
    if _EXHORT.search(own):
        score += 1.0
    score += 1.0 * len(_STRONG.findall(own))
    score += 0.5 * len(_WEAK.findall(own))
    if _YOU.search(own):
        score += 0.5
    return score


def _overlapping(quoted: list[tuple[int, int]], s: int, e: int) -> list[tuple[int, int]]:
    """The quotations that overlap ``[s, e)`` (a comparison each; blanking is the costly part)."""
    return [(qs, qe) for qs, qe in quoted if qs < e and qe > s]


def _blank_quotes(text: str, s: int, e: int, quoted: list[tuple[int, int]]) -> str:
    """``text[s:e]`` with the quoted characters as spaces (same length)."""
    if not quoted:
        return text[s:e]
    chars = list(text[s:e])
    for qs, qe in quoted:
        lo, hi = max(s, qs) - s, min(e, qe) - s
        if hi > lo:
            chars[lo:hi] = " " * (hi - lo)
    return "".join(chars)


def _merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join opinion sentences separated only by spaces (same paragraph)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and not text[out[-1][1]:s].strip() and "\n" not in text[out[-1][1]:s]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
