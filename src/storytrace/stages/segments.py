"""One article's paragraphs, sentences and quotation marks, found once and shared.

The quotes, opinion and claims stages all read the same splits of the same text; the
pipeline makes one ``Segments`` per article and hands it to each, so nothing is split
twice. Every field is computed on first use and only read afterwards.
"""
from __future__ import annotations

from ..text import paragraphs, sentences
from .quote_marks import Marked, find_quotations


class Segments:
    def __init__(self, text: str) -> None:
        self.text = text
        self.paragraphs: list[tuple[int, int]] = paragraphs(text)
        self._sentences: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self._quotations: list[Marked] | None = None

    def sentences(self, start: int, end: int) -> list[tuple[int, int]]:
        """``text.sentences(text, start, end)``, computed once per span."""
        got = self._sentences.get((start, end))
        if got is None:
            got = self._sentences[(start, end)] = sentences(self.text, start, end)
        return got

    @property
    def quotations(self) -> list[Marked]:
        """``find_quotations(text)``."""
        if self._quotations is None:
            self._quotations = find_quotations(self.text, self.paragraphs)
        return self._quotations


def segments_for(text: str, given: Segments | None) -> Segments:
    """``given`` when it was made for this very text, else a fresh one."""
    return given if given is not None and given.text is text else Segments(text)
