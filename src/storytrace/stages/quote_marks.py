"""Quotation spans found from quotation marks alone: cheap, offset-preserving, no model.

Handles curly, straight, single and guillemet marks, nested quotes (the inner pair is part
of the outer quote), apostrophes inside words, and the news convention for quotes that run
over several paragraphs: the paragraph ends without a closing mark and the next one opens
again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import paragraphs

# Double-quote family (straight, curly, low-9, guillemets) and single-quote family.
_DOUBLE_OPEN = '"“„«‟'
_DOUBLE_CLOSE = '"”»“'
_SINGLE_OPEN = "'‘‹‚"
_SINGLE_CLOSE = "'’›‘"
_BEFORE_OPEN = set(" \t\n([{—–-:;,/") | set(_DOUBLE_OPEN) | set(_SINGLE_OPEN)
_AFTER_CLOSE = set(" \t\n)]}—–-.,;:!?…/") | set(_DOUBLE_CLOSE) | set(_SINGLE_CLOSE)
_AFTER_SINGLE_CLOSE = _AFTER_CLOSE | {" "}
_MARKS = _DOUBLE_OPEN + _DOUBLE_CLOSE + _SINGLE_OPEN + _SINGLE_CLOSE
# The scan jumps from mark to mark: looking at every character in Python cost ~5 ms/article.
_NEXT_MARK = re.compile("[" + re.escape(_MARKS) + "]")
_INSIDE_MARK = re.compile("[" + re.escape(_DOUBLE_OPEN + _DOUBLE_CLOSE + "‘’") + "]")


@dataclass
class Marked:
    """One quotation: ``start``/``end`` include the marks; ``parts`` are the inner spans."""
    start: int
    end: int
    parts: list[tuple[int, int]] = field(default_factory=list)
    closed: bool = True

    def inner_text(self, text: str) -> str:
        return " ".join(text[s:e].strip() for s, e in self.parts if text[s:e].strip())


def _kind(text: str, i: int, inside: str | None) -> tuple[str, str] | None:
    """('open'|'close', family) for a quotation mark at ``i``, or None for an apostrophe."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if ch in _DOUBLE_OPEN or ch in _DOUBLE_CLOSE:
        if inside == "d" and ch in _DOUBLE_CLOSE:
            return ("close", "d")
        if inside is None and ch in _DOUBLE_OPEN and not nxt.isspace():
            return ("open", "d")
        if inside == "s" and ch in _DOUBLE_CLOSE and ch not in _DOUBLE_OPEN:
            return ("close", "d")  # a stray closer inside a single quote: ignore it below
        return None
    if ch in _SINGLE_OPEN or ch in _SINGLE_CLOSE:
        if prev.isalnum() and nxt.isalnum():
            return None  # an apostrophe inside a word: didn't, IS’s
        if inside == "s" and ch in _SINGLE_CLOSE and not prev.isspace() and nxt in _AFTER_SINGLE_CLOSE:
            return ("close", "s")
        if inside is None and ch in _SINGLE_OPEN and prev in _BEFORE_OPEN and (nxt.isalnum() or nxt in "…."):
            return ("open", "s")
    return None


def find_quotations(text: str, paras: list[tuple[int, int]] | None = None) -> list[Marked]:
    """Top-level quotations in ``text`` (inner nested quotes stay inside their outer one).

    ``paras``: ``paragraphs(text)`` when the caller has them already."""
    found: list[Marked] = []
    if paras is None:
        paras = paragraphs(text)
    current: Marked | None = None
    family: str | None = None
    for p_index, (p_start, p_end) in enumerate(paras):
        if current is not None:
            # An unclosed quote continues only if this paragraph reopens with the same family.
            first = text[p_start] if p_start < p_end else ""
            opens = _DOUBLE_OPEN if family == "d" else _SINGLE_OPEN
            if first in opens:
                current.parts.append((p_start + 1, p_start + 1))
                pos = p_start + 1
            else:
                _finish_unclosed(current, found)
                current, family = None, None
                pos = p_start
        else:
            pos = p_start
        depth_inner: str | None = None  # family of a nested quote we are inside
        i = pos
        skip: set[int] = set()  # openers that turned out to have no partner
        while i < p_end or (current is not None and current.start >= p_start
                            and _has_marks_inside(text, current.start + 1, p_end) and not _reset(
                                current, skip)):
            if i >= p_end:
                # An opener never closed in its own paragraph while other marks follow it:
                # it was a stray mark (an apostrophe, a typo); scan again without it.
                i = current.start + 1
                current, family, depth_inner = None, None, None
                continue
            if i in skip:
                i += 1
                continue
            ch = text[i]
            if ch not in _MARKS:
                nxt_mark = _NEXT_MARK.search(text, i, p_end)
                i = nxt_mark.start() if nxt_mark else p_end
                continue
            if current is None:
                k = _kind(text, i, None)
                if k and k[0] == "open":
                    current, family = Marked(start=i, end=i + 1, parts=[(i + 1, i + 1)]), k[1]
            else:
                other = "s" if family == "d" else "d"
                if depth_inner is not None:
                    k = _kind(text, i, depth_inner)
                    if k and k[0] == "close" and k[1] == depth_inner:
                        depth_inner = None
                    elif _kind(text, i, family) == ("close", family) and (
                            i + 1 >= p_end or text[i + 1].isspace()):
                        # The nested quote was never closed: the outer closer still ends it.
                        s, _ = current.parts[-1]
                        current.parts[-1] = (s, i)
                        current.end = i + 1
                        found.append(current)
                        current, family, depth_inner = None, None, None
                else:
                    k = _kind(text, i, family)
                    if k and k[0] == "close" and k[1] == family:
                        s, _ = current.parts[-1]
                        current.parts[-1] = (s, i)
                        current.end = i + 1
                        found.append(current)
                        current, family = None, None
                    else:
                        k2 = _kind(text, i, None)
                        if k2 and k2[0] == "open" and k2[1] == other:
                            depth_inner = other
            i += 1
        if current is not None:
            s, _ = current.parts[-1]
            current.parts[-1] = (s, p_end)
            current.end = p_end
            if p_index == len(paras) - 1:
                _finish_unclosed(current, found)
                current = None
    return [m for m in found if any(e > s for s, e in m.parts)]


def _has_marks_inside(text: str, start: int, end: int) -> bool:
    return _INSIDE_MARK.search(text, start, end) is not None


def _reset(current: Marked, skip: set[int]) -> bool:
    """Mark ``current``'s opener as stray (always False, to keep the scan loop going)."""
    skip.add(current.start)
    return False


def _finish_unclosed(current: Marked, found: list[Marked]) -> None:
    """A quote never closed runs to the end of its paragraph; it is kept but flagged."""
    current.closed = False
    found.append(current)


_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")


def word_count(s: str) -> int:
    return len(_WORD.findall(s))
