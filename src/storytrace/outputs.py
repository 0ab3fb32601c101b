"""Where an analysis goes, one batch of stories at a time: the store, analysis.json, dossiers.

The pipeline hands over each batch (a run of stories with their articles and records) as
soon as its stages are done; the batch is written and dropped, so memory follows
``analysis_batch_articles``, not the corpus. A batch's dossiers render in forked workers
while the next batch is analysed. Nothing is visible until ``close``: the store commits in
one transaction (rolled back on failure), analysis.json and the index are written last,
each through a temp file and an atomic rename.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from . import jsontext
from .article_texts import HeldTexts, StoredTexts
from .model import Analysis, Article
from .public_files import temp_for
from .store import Store

# Record lists written to analysis.json batch by batch (the rest is small and kept whole).
STREAMED_LISTS = ("stories", "links", "quotes", "claims", "claim_groups")  # stories: with their records
STREAMED_EXTRAS = ("quote_groups", "facts")


class AnalysisOutputs:
    """``with AnalysisOutputs(store, out) as outputs: outputs.add(part)...; outputs.close(analysis)``."""

    def __init__(self, store: Store, out: Path | None, render_workers: int = 1):
        self.writer = store.analysis_writer()
        self.store_path = store.path
        self.out = Path(out) if out is not None else None
        self.render_workers = render_workers
        self.sections: dict[str, _Section] = {}
        self.rows: list[dict] = []
        self.rendering = None  # the previous batch's ReportWriter, still running

    def __enter__(self) -> "AnalysisOutputs":
        self.writer.__enter__()
        if self.out is not None:
            self.out.mkdir(parents=True, exist_ok=True)
            self.sections = {name: _Section(self.out) for name in STREAMED_LISTS + STREAMED_EXTRAS}
        return self

    def add(self, part: Analysis) -> None:
        """Store one batch; start its dossiers; add its records to analysis.json's sections."""
        from .report import ReportWriter

        rendering = ReportWriter(part, self.out, workers=self.render_workers) if self.out else None
        try:
            self.writer.add(part)
            if self.out is not None:
                for name in STREAMED_LISTS:
                    self.sections[name].write(getattr(part, name))
                for name in STREAMED_EXTRAS:
                    self.sections[name].write(part.extra.get(name, ()))
            self._collect()
        except BaseException:
            if rendering:
                rendering.cancel()
            raise
        self.rendering = rendering

    def close(self, analysis: Analysis) -> None:
        """Wait for the dossiers; write the index and analysis.json (``analysis``: the whole
        run's articles, stories, errors and extras; the streamed records come from the
        batches, the texts of articles that hold none from the store)."""
        if self.out is None:
            return
        from .report import story_order, write_index

        # analysis.json is written to its temp file while the last batch's dossiers render,
        # and replaces the old file once they and the index are written.
        target = self.out / "analysis.json"
        sections = {name: section.read for name, section in self.sections.items()}
        with StoredTexts(self.store_path) as texts:
            sections["articles"] = lambda: _articles_json(analysis.articles, texts)
            tmp = write_json_temp(target, analysis, sections)
        try:
            self._collect()
            rank = {s.id: i for i, s in enumerate(story_order(analysis.stories))}
            write_index(self.out, sorted(self.rows, key=lambda row: rank[row["id"]]))
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self.rendering is not None:
                self.rendering.cancel()
            for section in self.sections.values():
                section.remove()
        finally:
            self.writer.__exit__(exc_type, exc, tb)  # commit, or roll back on failure

    def _collect(self) -> None:
        if self.rendering is not None:
            rendering, self.rendering = self.rendering, None
            self.rows.extend(rendering.rows())


class _Section:
    """One record list of analysis.json as JSON text in a temp file: "rec,rec,..."."""

    def __init__(self, folder: Path):
        fd, self.path = tempfile.mkstemp(dir=folder, prefix=".analysis-", suffix=".tmp")
        self.fh = os.fdopen(fd, "w+", encoding="utf-8")
        self.count = 0

    def write(self, records) -> None:
        from .model import _plain

        for record in records:
            self.fh.write(("," if self.count else "") + _dumps(_plain(record)))
            self.count += 1

    def read(self):
        self.fh.flush()
        self.fh.seek(0)
        while chunk := self.fh.read(1 << 20):
            yield chunk

    def remove(self) -> None:
        self.fh.close()
        Path(self.path).unlink(missing_ok=True)


def _articles_json(articles: list[Article], texts: HeldTexts):
    """analysis.json's articles as JSON text ("rec,rec,..."), with their texts read back a
    chunk at a time."""
    first = True
    for chunk in texts.chunks(articles):
        pieces = [_dumps(a.to_dict()) for a in chunk]
        yield ("" if first else ",") + ",".join(pieces)
        first = False


def _dumps(value) -> str:
    return jsontext.dumps(value, default=_json_default)


def write_json_temp(path: Path, analysis: Analysis, sections: dict | None = None) -> str:
    """Write analysis.json to a temp file beside ``path`` (fsynced) and return its name: the
    caller renames it over ``path``, so a killed run never leaves half a file. Written record
    by record (the same bytes as dumping ``to_dict()``), so a 100k-article analysis never
    exists twice in memory; ``sections`` give some of its record lists as JSON text instead
    (see ``Analysis.json_pieces``)."""
    fd, tmp = temp_for(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(analysis.json_pieces(_dumps, sections))
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _json_default(value):
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
