"""One atheris target per reader: bytes in, articles or RecordErrors out, never an exception.

Each ``fuzz_<format>.py`` calls ``main("<format>")``. The input goes through the same path
as a file on disk: container handling (sources._expand), the reader, then build_article.
Any exception escaping that path is a finding (atheris saves the input as crash-*).
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["storytrace"]):
    from storytrace.ingest import iter_articles  # noqa: F401 - instrumented for coverage
    from storytrace.ingest.normalize import build_article
    from storytrace.ingest.readers import read_records
    from storytrace.ingest.sources import InputFile, _expand
    from storytrace.errors import InputError
    from storytrace.model import RecordError
    from storytrace.settings import Settings

# Small limits: the fuzzer explores limit handling, and each run stays fast.
SETTINGS = Settings(max_file_bytes=200_000, max_decompressed_bytes=2_000_000, max_text_chars=50_000,
                    max_records_per_file=200, max_html_depth=200)
SUFFIX = {"text": "x.txt", "html": "x.html", "jsonl": "x.jsonl", "json": "x.json", "csv": "x.csv",
          "warc": "x.warc", "warcgz": "x.warc.gz", "feed": "x.rss", "gzip": "x.txt.gz", "zip": "x.zip",
          "sniff": "input"}
REPO = Path(__file__).resolve().parents[2]


def run_one(fmt: str, data: bytes) -> int:
    """Returns how many articles came out; raises only on a bug."""
    item = InputFile(SUFFIX[fmt], lambda d=data: io.BytesIO(d), len(data))
    articles = 0
    for expanded in _expand(item, SETTINGS):
        if isinstance(expanded, RecordError):
            continue
        for rec in read_records(expanded, SETTINGS):
            if isinstance(rec, RecordError):
                assert rec.message and rec.source
                assert rec.code != "internal-error", rec.message  # the reader's safety net caught a bug
                continue
            fields, meta, where = rec
            try:
                art = build_article(fields, expanded.name, SETTINGS, meta)
            except (InputError, RecursionError):
                continue
            assert 0 < len(art.text) <= SETTINGS.max_text_chars
            assert "\x00" not in art.text
            articles += 1
    return articles


def main(fmt: str) -> None:
    def target(data: bytes) -> None:
        run_one(fmt, data)

    atheris.Setup(sys.argv, target)
    atheris.Fuzz()
