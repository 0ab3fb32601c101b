"""Errors with stable codes, and the CLI's exit codes."""
from __future__ import annotations

EXIT_OK = 0
EXIT_RECORD_ERRORS = 1  # finished, but some records failed
EXIT_USAGE = 2
EXIT_FATAL = 3


class StorytraceError(Exception):
    """A failure the user can act on; the message says what and where."""
    code = "error"
    exit_code = EXIT_FATAL


class InputError(StorytraceError):
    """One input (file or record) cannot be read. Caught per record, never fatal."""
    code = "bad-input"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code


class StoreError(StorytraceError):
    code = "store"


class UsageError(StorytraceError):
    code = "usage"
    exit_code = EXIT_USAGE
