"""The records storytrace produces: frozen-ish dataclasses, no I/O.

One canonical text per article; every other record points into it with ``[start, end)``
character spans. ``to_dict()`` gives the JSON contract's shape (see docs/json-contract.md).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from .text import mask_spans

Span = tuple[int, int]


@dataclass
class Article:
    id: str
    text: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601
    captured: str | None = None  # archive capture time, ISO 8601
    language: str | None = None
    boilerplate_spans: list[Span] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    origin: str | None = None  # input file (and record) it came from
    version: int = 1
    content_hash: str | None = None
    story: str | None = None
    duplicate_of: str | None = None
    opinion_spans: list[Span] = field(default_factory=list)

    @property
    def analysis_text(self) -> str:
        """The text with boilerplate blanked out (same length, so offsets still hold)."""
        cached = self.__dict__.get("_analysis_text")
        if cached is None:
            cached = mask_spans(self.text, self.boilerplate_spans)
            self.__dict__["_analysis_text"] = cached
        return cached

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "url": self.url, "source": self.source, "title": self.title,
            "author": self.author, "published": self.published, "captured": self.captured,
            "language": self.language, "text": self.text, "story": self.story,
            "duplicate_of": self.duplicate_of, "version": self.version,
            "boilerplate_spans": [list(s) for s in self.boilerplate_spans],
            "opinion_spans": [list(s) for s in self.opinion_spans],
            "metadata": self.metadata, "origin": self.origin,
        }


@dataclass
class RecordError:
    """A bad input record: where it came from and what was wrong. Never raised."""
    source: str  # file path (or "-" for stdin)
    message: str
    code: str = "bad-input"
    record: str | None = None  # record locator inside the file: line 3, WARC offset, entry 2

    def __str__(self) -> str:
        where = f"{self.source}" + (f" [{self.record}]" if self.record else "")
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Story:
    id: str
    title: str
    articles: list[str]
    origins: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "title": self.title, "articles": self.articles,
             "origins": self.origins, "related": self.related, "entities": self.entities}
        d.update(self.extra)
        return d


@dataclass
class Passage:
    from_span: Span
    to_span: Span | None

    def to_dict(self) -> dict[str, Any]:
        return {"from_span": list(self.from_span),
                "to_span": list(self.to_span) if self.to_span else None}


@dataclass
class Link:
    """A provenance edge: ``from_`` (derived article) -> ``to`` (article or outside source)."""
    from_: str
    to: str | None
    kind: str  # duplicate | copies-text | cites | shares-text
    to_source: str | None = None
    cue: str | None = None
    passages: list[Passage] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = {"from": self.from_, "to": self.to, "to_source": self.to_source, "kind": self.kind,
             "cue": self.cue, "passages": [p.to_dict() for p in self.passages]}
        d.update(self.extra)
        return d


@dataclass
class Quote:
    id: str
    article: str
    text: str
    span: Span
    speaker: str | None
    group: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "article": self.article, "text": self.text, "span": list(self.span),
             "speaker": self.speaker, "group": self.group}
        d.update(self.extra)
        return d


@dataclass
class Claim:
    id: str
    article: str
    text: str
    span: Span
    low: float | None
    high: float | None
    unit: str | None
    subject: str | None
    attributed_to: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "article": self.article, "text": self.text, "span": list(self.span),
             "low": self.low, "high": self.high, "unit": self.unit, "subject": self.subject,
             "attributed_to": self.attributed_to}
        d.update(self.extra)
        return d


@dataclass
class ClaimGroup:
    id: str
    story: str
    subject: str
    claims: list[str]
    verdict: str  # consistent | compatible | conflict | disputed
    explanation: str
    independent_origins: int
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "story": self.story, "subject": self.subject, "claims": self.claims,
             "verdict": self.verdict, "explanation": self.explanation,
             "independent_origins": self.independent_origins}
        d.update(self.extra)
        return d


SCHEMA_VERSION = "1.0"


@dataclass
class Analysis:
    """Everything one analysis produced: what the CLI writes to analysis.json."""
    articles: list[Article] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    claim_groups: list[ClaimGroup] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    # How many records of each list the run produced, also when they were streamed to the
    # outputs batch by batch and not kept here (pipeline.analyze(keep_records=False)).
    counts: dict[str, int] = field(default_factory=dict)

    RECORD_LISTS = ("articles", "stories", "links", "quotes", "claims", "claim_groups", "errors")

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        for name in self.RECORD_LISTS:
            d[name] = [r.to_dict() for r in getattr(self, name)]
        d.update({key: _plain(value) for key, value in self.extra.items()})
        return d

    def json_pieces(self, dumps, sections: dict | None = None) -> Iterator[str]:
        """``dumps(self.to_dict())`` in pieces, one record at a time, for writing a big
        analysis without holding all of it as dicts (and one huge string) in memory.

        ``sections`` maps a record list's name to a function giving that list's records as
        compact JSON text ("rec,rec,..."), written batch by batch elsewhere (outputs.py)."""
        sections = sections or {}
        yield "{" + dumps("schema_version") + ":" + dumps(SCHEMA_VERSION)
        extra = {key: value for key, value in self.extra.items() if key not in self.RECORD_LISTS}
        for name in self.RECORD_LISTS:
            records = self.extra[name] if name in self.extra else getattr(self, name)
            yield from self._list_pieces(name, records, sections.get(name), dumps)
        for key, value in extra.items():
            if key in sections or isinstance(value, (list, tuple)):
                yield from self._list_pieces(key, value, sections.get(key), dumps)
            else:
                yield "," + dumps(key) + ":" + dumps(_plain(value))
        yield "}"

    @staticmethod
    def _list_pieces(name: str, records, section, dumps) -> Iterator[str]:
        yield "," + dumps(name) + ":["
        if section is not None:
            yield from section()
        else:
            for i, record in enumerate(records):
                yield ("," if i else "") + dumps(_plain(record))
        yield "]"


def _plain(value: Any) -> Any:
    """Stage results kept in ``extra`` as plain JSON data (records become their dicts)."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
