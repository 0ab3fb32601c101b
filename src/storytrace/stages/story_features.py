"""What tells one real-world event from another: words, names, time.

Cheap, regex-only features (no model): the stories stage runs on every article.

- words: TF-IDF over title (counted twice: it names the event) and text, numbers included;
- names: runs of capitalised words that do not merely start a sentence ("Betty Ford
  Center", "Raqqa"), weighted by their own TF-IDF, so two earthquakes in one country that
  share every keyword still differ in the towns, people and agencies they name;
- time: the publication day, or else the year the text talks about most.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

from ..model import Article

_TOKEN = re.compile(r"[^\W_][\w'’.-]*[^\W_]|[^\W_]", re.UNICODE)
_CONNECT = {"of", "de", "la", "le", "al", "el", "bin", "van", "von", "der", "du", "da", "del"}
_SENTENCE_GAP = re.compile(r"(?:^|[.!?:;\"“”«»]\s*|\n\s*)$")
# Titles before a name: "Governor Ilse Marroq" and "Ilse Marroq" are one person.
_TITLES = frozenset(
    "president governor gov mayor senator sen rep representative minister prime chancellor "
    "king queen prince princess pope judge justice sheriff chief officer detective sergeant sgt "
    "colonel col general gen lieutenant lt captain capt major maj admiral commander "
    "professor prof dr mr mrs ms miss sir dame lord lady rev father sister brother".split())
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# Capitalised function words that start sentences or headlines but name nothing.
_NOT_NAMES = frozenset(
    "a an the this that these those it its he she they we i you his her their our my your "
    "in on at by for from to with of and or but if when while after before as so not no "
    "there here what who why how where which mr mrs ms dr monday tuesday wednesday thursday "
    "friday saturday sunday today yesterday tomorrow".split())


def title_and_text(article: Article) -> str:
    title = article.title or ""
    return f"{title}\n{title}\n{article.analysis_text}"


# Where a capital may start a token: a capital letter (any non-ASCII letter too; isupper()
# decides) not right after a letter or digit. re skips to those characters in C, so the
# Python loop below sees the capitalised tokens only, not every word (1.54x faster on the
# dev sets and the 10k corpus, same names on their 22,999 texts).
_CAPITAL_AT = re.compile(r"[^\W\d_a-z](?<![^\W_].)")
_INNER = "_'’.-"  # inside a token, but cannot start one
# What may lie between two words of one name: one space or tab, or connectors between them.
_JOIN = re.compile(r"[ \t](?:(?:%s)[ \t])*" % "|".join(sorted(_CONNECT)))


def _starts_token(text: str, start: int) -> bool:
    """Whether a token of ``_TOKEN.finditer(text)`` starts at ``start`` (a letter after
    ``_INNER`` characters is inside "O'Brien" or "pro-Russian", not after "'" alone)."""
    before = start - 1
    while before >= 0 and text[before] in _INNER:
        before -= 1
    return before < 0 or not text[before].isalnum()


def names(text: str) -> tuple[str, ...]:
    """Lower-cased proper names in ``text``: "Colonel Ryan Dillon", "Raqqa", "BBC": runs of
    capitalised tokens (``_TOKEN``) one space or tab apart, or joined by connectors."""
    out: list[str] = []
    run: list[str] = []
    run_end = -1
    first_starts_sentence = False

    def flush() -> None:
        while run and run[-1] in _CONNECT:
            run.pop()
        if len(run) > 1 and first_starts_sentence and run[1] in _CONNECT:
            del run[:2]  # "Residents of Arvensk" at a sentence start: the name is "Arvensk"
        while len(run) > 1 and (run[0] in _NOT_NAMES or run[0] in _TITLES):
            del run[0]  # "The Bank of England", "Governor Ilse Marroq": the name follows
        if run and not (len(run) == 1 and (first_starts_sentence or run[0] in _NOT_NAMES)):
            out.append(" ".join(run))

    for capital in _CAPITAL_AT.finditer(text):
        start = capital.start()
        if start < run_end or start and text[start - 1] in _INNER and not _starts_token(text, start):
            continue
        token = _TOKEN.match(text, start)
        if token is None or not token.group()[0].isupper():
            continue
        word = token.group().lower()
        if run:
            join = _JOIN.fullmatch(text, run_end, start)
            if join is not None:  # the run goes on, with any connectors in between
                run.extend(join.group().split())
                run.append(word)
                run_end = token.end()
                continue
            flush()
            run = []
        first_starts_sentence = bool(_SENTENCE_GAP.search(text[max(0, start - 3):start]))
        run_end = token.end()
        if not (first_starts_sentence and word in _NOT_NAMES):  # "The", "In" at a sentence start
            run = [word]
    flush()
    return tuple(n for n in out if n)


def day_number(article: Article) -> int | None:
    """Days since year 1 of the publication date, or None when it is missing or unreadable."""
    if not article.published:
        return None
    try:
        return date.fromisoformat(article.published[:10]).toordinal()
    except ValueError:
        return None


def main_year(text: str) -> int | None:
    """The year the text mentions most (ties: the latest), or None."""
    counts = Counter(int(y) for y in _YEAR.findall(text))
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
