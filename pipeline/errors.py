"""Every error a user can see: a one-line message (file and line first, where there is one) and an exit code.

The command line prints ``pipeline: error: MESSAGE`` and exits with the code;
nothing else may reach a user (no traceback, no ``ValueError``).
"""
from __future__ import annotations

from pathlib import Path

EXIT_FAILED = 1  # a check or gate said no, or an engine or model could not do its work
EXIT_BAD_INPUT = 2  # bad input or usage
EXIT_INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it
EXIT_TERMINATED = 143  # SIGTERM: 128 + 15


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
    """A source, catalog, config file or option cannot be used as it is."""


class EngineError(PipelineError):
    """No usable translation engine, or an engine failed."""

    exit_code = EXIT_FAILED


class ModelError(PipelineError):
    """An Argos model cannot be found, fetched, installed or removed."""

    exit_code = EXIT_FAILED


class GateFailed(PipelineError):
    """The review gate said no: too little is reviewed or translated to publish."""

    exit_code = EXIT_FAILED


class Interrupted(PipelineError):
    """The user pressed Ctrl-C."""

    exit_code = EXIT_INTERRUPTED


class Terminated(KeyboardInterrupt):
    """The process was sent SIGTERM (a CI job cancelled, a container stopped): handled like Ctrl-C.

    A KeyboardInterrupt, not a PipelineError, so that no ``except Exception`` on
    the way up can take it for a failure: it unwinds every ``finally`` to the CLI."""

    exit_code = EXIT_TERMINATED


class ProcessingError(InputError):
    """A library the pipeline uses (pySBD, markdown-it, html.parser, an engine) failed on a source.

    Raised with the failing `snippet` of text when the source is not known yet;
    the caller that knows the source re-raises it with the file and line.
    """

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None, snippet: str = ""):
        super().__init__(message, path, line)
        self.message = message
        self.snippet = snippet
