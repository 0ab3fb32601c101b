"""Finding input files: folders (recursively), single files, stdin, and containers.

Yields ``InputFile`` objects (a display name and a way to read the bytes) or
``RecordError`` for what cannot be read. Never follows a link out of an input folder,
never reads a FIFO or device, and decompresses only within the settings' limits.
"""
from __future__ import annotations

import bz2
import gzip
import io
import os
import stat
import struct
import sys
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from ..errors import InputError
from ..model import RecordError
from ..settings import Settings

# Formats read record by record from a stream; they may be larger than max_file_bytes.
STREAMED_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".jsonl", ".ndjson", ".csv", ".tsv")


@dataclass
class InputFile:
    name: str  # what messages call it: the path, "path!member" inside a zip, or "-"
    opener: Callable[[], BinaryIO]
    size: int | None = None
    format_name: str | None = None  # the name that tells the format: "a.html" for "a.html.gz"

    @property
    def kind_name(self) -> str:
        return (self.format_name or self.name).lower()

    def read(self) -> bytes:
        with self.opener() as fh:
            return fh.read()


def iter_input_files(inputs: list[str], settings: Settings,
                     fetch: bool = False) -> Iterator[InputFile | RecordError]:
    """``fetch``: download http(s) inputs (opt-in; see ingest/fetch.py for the guards)."""
    for raw in inputs:
        from .fetch import looks_like_url

        if looks_like_url(raw):
            yield from _fetched(raw, settings) if fetch else iter(
                [RecordError(raw, "input is a URL; URLs are only fetched with --fetch", "url-not-fetched")])
            continue
        if raw == "-":
            data = sys.stdin.buffer.read(settings.max_file_bytes + 1)
            if len(data) > settings.max_file_bytes:
                yield RecordError("-", f"stdin is over the {settings.max_file_bytes}-byte limit", "too-large")
                continue
            yield from _expand(InputFile("-", lambda d=data: io.BytesIO(d), len(data)), settings)
            continue
        path = Path(raw)
        if not os.path.lexists(path):
            yield RecordError(raw, "no such file or folder", "not-found")
        elif path.is_dir():
            yield from _walk(path, settings)
        else:
            yield from _file(path, path.parent.resolve(), settings, explicit=True)


def _fetched(url: str, settings: Settings) -> Iterator[InputFile | RecordError]:
    from .fetch import fetch_url, format_name_for

    try:
        body, final_url, ctype = fetch_url(url, settings)
    except InputError as exc:
        yield RecordError(url, str(exc), exc.code)
        return
    yield from _expand(InputFile(url, lambda d=body: io.BytesIO(d), len(body),
                                 format_name_for(final_url, ctype)), settings)


def _walk(root: Path, settings: Settings) -> Iterator[InputFile | RecordError]:
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for d in list(dirnames):
            p = Path(dirpath) / d
            if p.is_symlink():
                dirnames.remove(d)
                try:
                    target = p.resolve()
                except (OSError, RuntimeError):  # a symlink loop
                    yield RecordError(str(p), "symlink loop or unreadable link; skipped", "unreadable")
                    continue
                if _inside(target, real_root):
                    yield from _walk(p, settings)
                else:
                    yield RecordError(str(p), "symlink points outside the input folder; skipped", "symlink-escape")
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            yield from _file(Path(dirpath) / name, real_root, settings, explicit=False)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _file(path: Path, root: Path, settings: Settings, explicit: bool) -> Iterator[InputFile | RecordError]:
    name = str(path)
    try:
        if not explicit and path.is_symlink() and not _inside(path.resolve(), root):
            yield RecordError(name, "symlink points outside the input folder; skipped", "symlink-escape")
            return
        st = path.stat()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        yield RecordError(name, f"cannot read: {getattr(exc, 'strerror', None) or exc}", "unreadable")
        return
    if not stat.S_ISREG(st.st_mode):
        yield RecordError(name, "not a regular file (FIFO, socket or device); skipped", "not-a-file")
        return
    limit = settings.max_archive_bytes if name.lower().endswith(STREAMED_SUFFIXES) else settings.max_file_bytes
    if st.st_size > limit:
        yield RecordError(name, f"file is {st.st_size} bytes, over the {limit}-byte limit", "too-large")
        return
    if st.st_size == 0:
        yield RecordError(name, "empty file", "empty")
        return
    yield from _expand(InputFile(name, lambda p=path: open(p, "rb"), st.st_size), settings)


def _expand(item: InputFile, settings: Settings, depth: int = 0) -> Iterator[InputFile | RecordError]:
    """Open .gz/.bz2/.zip containers (bounded); pass everything else through."""
    lower = item.kind_name
    if lower.endswith((".warc.gz", ".arc.gz")):
        yield item  # warcio reads gzipped WARC record by record
        return
    try:
        if lower.endswith((".gz", ".bz2")):
            if depth > 2:
                raise InputError("containers nested too deeply", "container")
            data = bounded_decompress(item, settings)
            inner_format = lower[: lower.rfind(".")]
            yield from _expand(InputFile(item.name, lambda d=data: io.BytesIO(d), len(data), inner_format),
                               settings, depth + 1)
            return
        if lower.endswith(".zip") or (lower == "-" and _sniff_zip(item)):
            if depth > 2:
                raise InputError("containers nested too deeply", "container")
            yield from _zip_members(item, settings, depth)
            return
    except InputError as exc:
        yield RecordError(item.name, str(exc), exc.code)
        return
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile, ValueError, NotImplementedError,
            RuntimeError, OverflowError, struct.error, IndexError, KeyError) as exc:
        # NotImplementedError: zipfile on an unknown zip version (found by fuzzing);
        # RuntimeError: encrypted members; struct.error/OverflowError: damaged headers.
        yield RecordError(item.name, f"corrupt, truncated or unsupported archive: {exc}", "corrupt-archive")
        return
    yield item


def _sniff_zip(item: InputFile) -> bool:
    with item.opener() as fh:
        return fh.read(4) == b"PK\x03\x04"


def bounded_decompress(item: InputFile, settings: Settings) -> bytes:
    """Decompress a .gz/.bz2 input, refusing output over the size or ratio limits."""
    opener = gzip.open if item.kind_name.endswith(".gz") else bz2.open
    limit = _output_limit(item.size, settings)
    with item.opener() as raw, opener(raw) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"decompresses to over {limit} bytes: refused as a decompression bomb", "bomb")
    return data


def _output_limit(compressed: int | None, settings: Settings) -> int:
    limit = settings.max_decompressed_bytes
    if compressed:
        limit = min(limit, max(compressed * settings.max_compression_ratio, 1_000_000))
    return limit


def _zip_members(item: InputFile, settings: Settings, depth: int) -> Iterator[InputFile | RecordError]:
    with item.opener() as raw:
        buf = io.BytesIO(raw.read())
    with zipfile.ZipFile(buf) as zf:
        total = 0
        infos = [i for i in zf.infolist()
                 if i.filename and not i.is_dir() and not os.path.basename(i.filename).startswith(".")]
        if not infos:  # say so: an archive that yields nothing must not pass silently
            yield RecordError(item.name, "zip archive holds no files", "empty")
        for info in sorted(infos, key=lambda i: i.filename):
            member = f"{item.name}!{info.filename}"
            limit = _output_limit(info.compress_size or 1, settings)
            try:
                with zf.open(info) as fh:
                    data = fh.read(limit + 1)
            except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, RuntimeError, ValueError,
                    EOFError, OverflowError, struct.error) as exc:
                yield RecordError(member, f"cannot read zip member: {exc}", "corrupt-archive")
                continue
            if len(data) > limit:
                yield RecordError(member, f"decompresses to over {limit} bytes: refused as a decompression bomb", "bomb")
                continue
            total += len(data)
            if total > settings.max_decompressed_bytes:
                yield RecordError(item.name, "archive decompresses to more than the total limit; rest skipped", "bomb")
                return
            yield from _expand(InputFile(member, lambda d=data: io.BytesIO(d), len(data)), settings, depth + 1)
