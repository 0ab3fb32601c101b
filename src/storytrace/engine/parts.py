"""Part files: how a worker hands results to the single writer without sharing SQLite.

A worker writes its chunk's results to a temp file in the parts folder, fsyncs it and
renames it into place, so a reader only ever sees whole parts; the writer process loads
them and alone touches the store. On a multi-machine cluster the parts folder must be on
a filesystem every worker and the writer can reach (NFS, a mounted bucket ...).
"""
from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path


def write_part(folder: str | os.PathLike, name: str, value) -> str:
    """Atomically write ``value`` as ``folder/name`` (temp file, fsync, rename); returns the path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            fh.flush()
            os.fsync(fh.fileno())
        final = folder / name
        os.replace(tmp, final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(folder)
    return str(final)


def read_part(path: str | os.PathLike, remove: bool = True):
    """Load one part (written by this storytrace version) and, by default, delete it."""
    with open(path, "rb") as fh:
        value = pickle.load(fh)  # parts are our own files in our own folder, never user input
    if remove:
        Path(path).unlink(missing_ok=True)
    return value


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
