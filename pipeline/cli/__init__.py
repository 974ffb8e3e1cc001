"""The `pipeline` command: a thin layer over the Python API.

Each module in this package adds one group of subcommands through its
``register(subparsers)`` function; each subcommand's handler returns an exit code.
"""
from __future__ import annotations

import argparse
import atexit
import importlib
import os
import pkgutil
import signal
import sys
from typing import NoReturn

from .. import __version__, config
from ..errors import EXIT_FAILED, Interrupted, PipelineError, Terminated
from . import options

_HELPER_MODULES = {"options"}
JSON_COMMANDS = ("run", "build", "stats", "check", "qa")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command group found in this package."""
    parser = argparse.ArgumentParser(
        prog="pipeline",
        description="Translate English articles that contain Spanish into Spanish, "
        "keeping the Spanish as written, with PO catalogs for review and bilingual output.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help=options.QUIET_HELP)
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print the result as JSON (run, build, stats, check, qa; also after the command)")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name not in _HELPER_MODULES:
            importlib.import_module(f"{__name__}.{info.name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    The configuration (pipeline.toml and the environment) is loaded here, once,
    and handed to the command as ``args.config``; options given on the command
    line are applied over it by ``options.configured(args)``.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "json", False) and args.command not in JSON_COMMANDS:
        parser.error(f"--json is not available for {args.command} (only {', '.join(JSON_COMMANDS)})")
    args.quiet = getattr(args, "quiet", False)
    args.json = getattr(args, "json", False)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        args.config = config.load()
        return int(args.func(args) or 0)
    except Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the clean-up short
        print("pipeline: terminated", file=sys.stderr)
        return Terminated.exit_code
    except PipelineError as exc:
        print(f"pipeline: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("pipeline: interrupted", file=sys.stderr)
        return Interrupted.exit_code
    except Exception as exc:  # a bug of ours or a library's: still one line, never a traceback
        detail = str(exc).strip().split("\n")[0][:200]
        print(f"pipeline: error: internal error: {type(exc).__name__}: {detail}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        signal.signal(signal.SIGTERM, previous)


def run() -> NoReturn:
    """The `pipeline` command (pyproject's [project.scripts], ``python -m pipeline``): :func:`main`, then exit."""
    exit_now(main())


def exit_now(code: int) -> NoReturn:
    """End the process with `code`, without the interpreter's teardown when this thread is the only one left.

    Why: freeing every module and object at exit took 13 ms of a 0.17 s unchanged re-run of 2,024
    documents and 23 ms of a 0.5 s re-run after one edit; this way the exit takes 2-5 ms. What the
    teardown would do that matters still happens: the atexit handlers run (multiprocessing's, logging's,
    weakref.finalize's) and the standard streams are flushed. Another live thread (a Dask client, a
    server) would be cut short, so then the exit is Python's own; so it is when a stream cannot be
    flushed (a closed pipe), which Python reports as it always has.
    """
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)


def _terminate(signum, frame) -> None:
    """SIGTERM unwinds the stack like Ctrl-C, so every `finally` and `except BaseException`
    (temp files, the run's temp folder, the lock, engine processes) cleans up on the way out."""
    raise Terminated("terminated")
