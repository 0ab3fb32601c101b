"""Ingest: inputs -> records -> Articles -> the store, one transaction per batch."""
from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Article, RecordError
from ..settings import Settings
from ..stages.boilerplate import service_message_spans
from .normalize import build_article
from .readers import read_records
from .sources import iter_input_files


@dataclass
class IngestReport:
    files: int = 0
    records: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[RecordError] = field(default_factory=list)


class RecordTimeout(BaseException):
    """Raised by the record timer. A BaseException, like KeyboardInterrupt, so that the
    ``except Exception`` blocks inside trafilatura and other libraries cannot swallow it
    (they did: a page over the limit came back extracted, found by the hostile suite)."""


@contextmanager
def time_limit(seconds: float):
    """Abort a record that takes too long (main thread only; elsewhere no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum, frame):
        raise RecordTimeout()

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


_warm: set[str] = set()


def _warm_up(html: bool) -> None:
    """Load the lazily imported libraries and models before a record's timer starts:
    a one-time load (a second or more on a busy machine) is not the record's fault."""
    if "text" not in _warm:
        _warm.add("text")
        from .normalize import detect_language, normalise_date

        detect_language("warm up the language model with a short English sentence")
        normalise_date("1 January 2025 00:00")  # not plain ISO: loads dateutil
    if html and "html" not in _warm:
        _warm.add("html")
        import trafilatura  # noqa: F401


def iter_articles(inputs: list[str], settings: Settings,
                  on_file: Callable[[str], None] | None = None,
                  fetch: bool = False, workers: int = 1) -> Iterator[Article | RecordError]:
    """Every article (or error) from the inputs, in a deterministic order.

    ``fetch``: download http(s) inputs (opt-in, guarded: see ingest/fetch.py).
    ``workers`` > 1: records are built (extraction, normalisation, language) by that many
    forked processes once the input proves big, in the same order (see parallel.py)."""
    from .parallel import ordered_map

    yield from ordered_map(_build_record, _records(inputs, settings, on_file, fetch), settings, workers)


def _records(inputs: list[str], settings: Settings, on_file, fetch: bool) -> Iterator:
    """Each record to build as (file name, fields, meta, where), or a RecordError as read."""
    for item in iter_input_files(inputs, settings, fetch=fetch):
        if isinstance(item, RecordError):
            yield item
            continue
        if on_file:
            on_file(item.name)
        for rec in read_records(item, settings):
            if isinstance(rec, RecordError):
                yield rec
                continue
            fields, meta, where = rec
            yield item.name, fields, meta, where


def _build_record(record, settings: Settings) -> Article | RecordError:
    """One record's Article, or the RecordError saying why it has none (a RecordError read
    from the input passes through)."""
    if isinstance(record, RecordError):
        return record
    name, fields, meta, where = record
    origin = name + (f" [{where}]" if where else "")
    _warm_up("html" in fields)
    try:
        with time_limit(settings.max_record_seconds):
            article = build_article(fields, origin, settings, meta)
            article.boilerplate_spans = service_message_spans(article.text)
    except InputError as exc:
        return RecordError(name, str(exc), exc.code, where)
    except RecordTimeout:
        return RecordError(name, f"took over {settings.max_record_seconds}s to extract; skipped", "timeout", where)
    except (RecursionError, MemoryError) as exc:
        return RecordError(name, f"record too complex to parse ({type(exc).__name__})", "too-complex", where)
    except Exception as exc:  # noqa: BLE001 - a bug on one record must not end the run
        # Last resort: the record is reported (with the bug's type) and the run goes on.
        # The fuzz harnesses call build_article directly, so such bugs still surface there.
        return RecordError(name, f"unexpected error reading this record "
                           f"({type(exc).__name__}: {str(exc)[:200]}); please report it", "internal-error", where)
    return article


def ingest(inputs: Iterable[str], store, run_id: int, settings: Settings,
           on_error: Callable[[RecordError], None] | None = None,
           on_file: Callable[[str], None] | None = None, fetch: bool = False,
           workers: int = 1, on_stored: Callable[[int], None] | None = None) -> IngestReport:
    """Read every input into the store; each batch of articles is one transaction.
    ``workers``: processes building the records of a big input (see ``iter_articles``).
    ``on_stored``: called after each batch with the number of articles added so far."""
    report = IngestReport()
    batch: list[Article] = []
    batch_errors: list[RecordError] = []
    seen: dict[str, str] = {}  # id -> content hash, within this run

    def flush() -> None:
        added, changed, notices = store.ingest_batch(run_id, batch, batch_errors)
        report.added += added
        report.changed += changed
        report.unchanged += len(batch) - added - changed
        for notice in notices:
            report.errors.append(notice)
            if on_error:
                on_error(notice)
        batch.clear()
        batch_errors.clear()
        if on_stored:
            on_stored(report.added)

    def file_seen(name: str) -> None:
        report.files += 1
        if on_file:
            on_file(name)

    for item in iter_articles(list(inputs), settings, file_seen, fetch=fetch, workers=workers):
        if isinstance(item, RecordError):
            report.errors.append(item)
            batch_errors.append(item)
            if on_error:
                on_error(item)
        else:
            report.records += 1
            if seen.get(item.id) == item.content_hash:
                dup = RecordError(item.origin or "?", f"duplicate id {item.id!r} with identical content; skipped",
                                  "duplicate-id")
                report.errors.append(dup)
                batch_errors.append(dup)
                if on_error:
                    on_error(dup)
                continue
            seen[item.id] = item.content_hash or ""
            batch.append(item)
        if len(batch) >= settings.batch_size or len(batch_errors) >= settings.batch_size:
            flush()
    flush()
    return report
