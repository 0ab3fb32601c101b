"""Temp files for outputs the user reads or serves (dossiers, analysis.json).

``tempfile.mkstemp`` creates files readable by their owner only (0600), a mode the atomic
rename then gives the output itself; a dossier folder copied to a web server or shared with
colleagues must have the mode any other new file gets (0666 less the umask).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

_UMASK = os.umask(0)  # read once: os.umask can only be read by setting it
os.umask(_UMASK)


def temp_for(path: Path) -> tuple[int, str]:
    """(descriptor, name) of a new temp file beside ``path`` with a new file's usual mode."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.fchmod(fd, 0o666 & ~_UMASK)
    return fd, tmp
