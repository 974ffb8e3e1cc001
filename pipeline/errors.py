"""Errors a user sees as one line and an exit code."""
from __future__ import annotations

from pathlib import Path

EXIT_FAILED = 1  # a check or gate said no
EXIT_BAD_INPUT = 2  # bad input or usage


class PipelineError(Exception):
    """An error with a one-line message for the user and an exit code."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line


class InputError(PipelineError):
    """A source or catalog file cannot be used as it is."""


class EngineError(PipelineError):
    """No usable translation engine, or an engine failed."""

    exit_code = EXIT_FAILED
