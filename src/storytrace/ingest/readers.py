"""One reader per input format. Each yields (fields, metadata, record locator) or RecordError.

Readers never raise for bad data: a bad record becomes a RecordError naming the file
and the record, and reading goes on with the next one.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from ..model import RecordError
from ..settings import Settings
from .decode import decode_bytes, looks_binary
from .html import declared_charset, fragment_text
from .sources import InputFile

Raw = tuple[dict[str, Any], dict[str, Any], str | None]  # (fields, metadata, record locator)

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_SUFFIXES = (".csv", ".tsv")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
FEED_SUFFIXES = (".rss", ".atom", ".xml", ".rdf", ".feed")


def detect_format(item: InputFile, head: bytes) -> str:
    name = item.kind_name
    for fmt, suffixes in (("warc", WARC_SUFFIXES), ("html", HTML_SUFFIXES), ("jsonl", JSONL_SUFFIXES),
                          ("csv", CSV_SUFFIXES), ("feed", FEED_SUFFIXES), ("text", TEXT_SUFFIXES)):
        if name.endswith(suffixes):
            return fmt
    start = head.lstrip()[:512].lower()
    if head.startswith(b"WARC/"):
        return "warc"
    if re.match(rb"<\?xml[^>]*>\s*<(rss|feed|rdf)", start) or start.startswith((b"<rss", b"<feed")):
        return "feed"
    if start.startswith((b"<!doctype html", b"<html")) or b"<body" in start:
        return "html"
    if start.startswith((b"{", b"[")):
        return "jsonl"
    return "text"


def read_records(item: InputFile, settings: Settings) -> Iterator[Raw | RecordError]:
    """All records of one input file, whatever its format."""
    try:
        with item.opener() as fh:
            head = fh.read(1024)
        fmt = detect_format(item, head)
        reader = READERS[fmt]
        count = 0
        for rec in reader(item, settings):
            if isinstance(rec, RecordError):
                rec.source = rec.source or item.name
            else:
                count += 1
                if count > settings.max_records_per_file:
                    yield RecordError(item.name, f"more than {settings.max_records_per_file} records; "
                                      "the rest of the file is skipped", "too-many-records")
                    return
            yield rec
    except InputError as exc:
        yield RecordError(item.name, str(exc), exc.code)
    except (OSError, EOFError) as exc:
        yield RecordError(item.name, f"cannot read: {exc}", "unreadable")
    except (RecursionError, MemoryError) as exc:
        yield RecordError(item.name, f"file too complex to parse ({type(exc).__name__})", "too-complex")
    except Exception as exc:  # noqa: BLE001 - a reader bug must not end the run
        # Last resort, reported with the bug's type; the fuzz harnesses treat it as a finding.
        yield RecordError(item.name, f"unexpected error reading this file ({type(exc).__name__}: "
                          f"{str(exc)[:200]}); the rest of the file is skipped; please report it",
                          "internal-error")


def _whole_text(item: InputFile, settings: Settings) -> str:
    with item.opener() as fh:  # never more than the limit in memory, whatever the file's size
        data = fh.read(settings.max_file_bytes + 1)
    if not data.strip():
        raise InputError("empty file", "empty")
    if len(data) > settings.max_file_bytes:
        raise InputError(f"over the {settings.max_file_bytes}-byte limit", "too-large")
    return decode_bytes(data, declared_charset(data))


# -- plain text and Markdown --
_HEADLINE_END = re.compile(r"[.,;:]$")


def headline_of(text: str) -> str | None:
    """The first line when it looks like a headline: short, no sentence punctuation at the end."""
    first = text.lstrip().split("\n", 1)[0].strip()
    first = re.sub(r"^#+\s*", "", first)  # a Markdown heading
    if not first or len(first) > 200 or len(first.split()) > 30 or _HEADLINE_END.search(first):
        return None
    if not text.lstrip()[len(first):].strip() and not text.lstrip().startswith("#"):
        return None  # a one-line text is the article, not its headline
    if first[0].islower():
        return None
    return first


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n((?:[A-Za-z_][\w-]*[ \t]*:.*\n){1,40})---[ \t]*\n")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Markdown-style front matter (``---`` / ``key: value`` lines / ``---``) and the body.

    The front matter is metadata, not article text: the canonical text is the body.
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    header = {}
    for line in m.group(1).splitlines():
        key, _, value = line.partition(":")
        header[key.strip()] = value.strip().strip("\"'")
    return header, text[m.end():]


def read_text(item: InputFile, settings: Settings) -> Iterator[Raw]:
    from .normalize import map_fields

    header, text = split_front_matter(_whole_text(item, settings))
    fields, meta = map_fields(header)
    fields["text"] = text
    title = headline_of(text)
    if title and "title" not in fields:
        fields["title"] = title
    yield fields, meta, None


# -- HTML --
def read_html(item: InputFile, settings: Settings) -> Iterator[Raw]:
    yield {"html": _whole_text(item, settings)}, {}, None


# -- JSONL / JSON --
def read_jsonl(item: InputFile, settings: Settings) -> Iterator[Raw | RecordError]:
    with item.opener() as fh:
        first = fh.read(64).lstrip()
    if first.startswith(b"["):  # a JSON array of records, or JSON lines that start with one
        records = None
        try:
            records = json.loads(_whole_text(item, settings))
        except InputError as exc:
            if exc.code != "too-large" or not item.kind_name.endswith((".jsonl", ".ndjson")):
                raise
        except json.JSONDecodeError as exc:
            if "Extra data" not in str(exc):
                raise InputError(f"invalid JSON: {exc}", "bad-json") from exc
        except RecursionError:
            pass  # read line by line: the deep line becomes one error, the rest is kept
        if isinstance(records, list):
            for i, rec in enumerate(records, start=1):
                yield _json_record(rec, f"item {i}")
            return
    with item.opener() as fh:
        for lineno, line in _bounded_lines(fh, settings.max_file_bytes):
            where = f"line {lineno}"
            if line is None:
                yield RecordError(item.name, f"line over the {settings.max_file_bytes}-byte limit; skipped",
                                  "too-large", where)
                continue
            if not line.strip():
                continue
            try:
                rec = json.loads(decode_bytes(line))
            except (json.JSONDecodeError, InputError) as exc:
                yield RecordError(item.name, f"not valid JSON: {exc}", "bad-json", where)
                continue
            except RecursionError:
                yield RecordError(item.name, "JSON nested too deeply", "bad-json", where)
                continue
            yield _json_record(rec, where)


def _bounded_lines(fh, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) pairs; None for a line over ``limit`` bytes, which is skipped
    without ever holding it in memory (a 20 GB file may be a single line)."""
    lineno = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                chunk = fh.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield lineno, None
            continue
        yield lineno, line


def _json_record(rec: Any, where: str) -> Raw | RecordError:
    if not isinstance(rec, dict):
        return RecordError("", f"record is a JSON {type(rec).__name__}, not an object", "bad-record", where)
    from .normalize import map_fields

    fields, meta = map_fields(rec)
    return fields, meta, where


# -- CSV / TSV --
def read_csv(item: InputFile, settings: Settings) -> Iterator[Raw | RecordError]:
    from .normalize import map_fields

    text = _whole_text(item, settings)
    csv.field_size_limit(settings.max_text_chars * 4)
    dialect = "excel-tab" if item.kind_name.endswith(".tsv") else "excel"
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        for rowno, row in enumerate(reader, start=2):
            where = f"row {rowno}"
            if None in row:  # more cells than headers
                row.pop(None)
            fields, meta = map_fields({k: v for k, v in row.items() if k is not None})
            yield fields, meta, where
    except csv.Error as exc:
        yield RecordError(item.name, f"malformed CSV: {exc}", "bad-csv", f"row {reader.line_num}")


# -- WARC --
def read_warc(item: InputFile, settings: Settings) -> Iterator[Raw | RecordError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    with item.opener() as fh:
        it = ArchiveIterator(fh, arc2warc=True)
        try:
            for number, record in enumerate(it, start=1):
                # Asking warcio for the offset before reading the body empties the body.
                where = f"record {number}"
                try:
                    raw = _warc_record(record, settings)
                except InputError as exc:
                    yield RecordError(item.name, str(exc), exc.code, where)
                    continue
                except Exception as exc:  # warcio raises many types on damaged records
                    yield RecordError(item.name, f"damaged WARC record: {exc}", "bad-warc", where)
                    continue
                if raw is not None:
                    yield raw[0], raw[1], where
        except ArchiveLoadFailed as exc:
            yield RecordError(item.name, f"not a readable WARC file: {exc}", "bad-warc")
        except Exception as exc:  # truncated gzip members, damaged headers
            yield RecordError(item.name, f"WARC file is truncated or damaged: {exc}", "bad-warc")
            return
    if number == 0:
        # warcio yields nothing, silently, for a gzip cut inside the first record.
        yield RecordError(item.name, "no WARC records found: the file is empty, truncated or not WARC", "bad-warc")


def _warc_record(record, settings: Settings):
    if record.rec_type not in ("response", "resource"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    captured = record.rec_headers.get_header("WARC-Date")
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode()
        if status and not status.startswith("2"):
            return None
        ctype = record.http_headers.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    if "html" not in ctype.lower():
        return None
    data = record.content_stream().read(settings.max_file_bytes + 1)
    if len(data) > settings.max_file_bytes:
        raise InputError(f"WARC record over the {settings.max_file_bytes}-byte limit", "too-large")
    if _ends_early(record.raw_stream):
        # The file ended before the record's Content-Length: keep nothing half-read.
        raise InputError("WARC record is truncated (the file ends before its Content-Length)", "bad-warc")
    if looks_binary(data):
        raise InputError("WARC record declared as HTML is binary", "binary")
    html = decode_bytes(data, declared_charset(data))
    return {"html": html, "url": url}, {"warc_date": captured}


def _ends_early(raw) -> bool:
    """True when a record's stream ran out before its declared length (a cut-off file).

    Reads what is left of the record (warcio would skip it anyway) so that bytes after
    the payload, such as a chunked body's trailer, do not count as truncation.
    """
    while getattr(raw, "limit", 0) > 0:
        if not raw.read(min(raw.limit, 1 << 16)):
            return True
    return False


# -- RSS / Atom --
def read_feed(item: InputFile, settings: Settings) -> Iterator[Raw | RecordError]:
    import feedparser

    data = item.read()
    if b"<!ENTITY" in data[:65536].upper():
        # Internal entity definitions are the billion-laughs vector; feeds do not need them.
        raise InputError("feed declares XML entities (possible entity-expansion attack); refused", "xml-entities")
    try:
        parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 - feedparser itself fails on some damaged feeds
        # e.g. UnicodeDecodeError on a non-UTF-8 byte in the XML declaration (found by fuzzing)
        raise InputError(f"unreadable feed ({type(exc).__name__}: {str(exc)[:200]})", "bad-feed") from exc
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise InputError(f"no feed entries found{': ' + str(problem) if problem else ''}", "bad-feed")
    feed_title = parsed.feed.get("title")
    for i, entry in enumerate(parsed.entries, start=1):
        where = f"entry {i}"
        content = ""
        if entry.get("content"):
            content = max((c.get("value") or "" for c in entry.content), key=len)
        content = content or entry.get("summary") or ""  # feedparser may give None (fuzzing)
        text = fragment_text(content)
        if not text.strip():
            yield RecordError(item.name, "feed entry has no content or summary", "no-text", where)
            continue
        fields = {"text": text, "title": entry.get("title"), "url": entry.get("link"),
                  "published": entry.get("published") or entry.get("updated"),
                  "author": entry.get("author"), "source": feed_title}
        if entry.get("id"):
            fields["id"] = entry.get("id")
        yield {k: v for k, v in fields.items() if v}, {"feed": feed_title}, where


READERS = {"text": read_text, "html": read_html, "jsonl": read_jsonl, "csv": read_csv,
           "warc": read_warc, "feed": read_feed}
