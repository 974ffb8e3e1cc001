"""Options shared by several commands, so every command spells them the same way."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..config import Config
from ..engines import ENGINE_NAMES


def add_locales(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--locales", type=Path, metavar="DIR",
                        help="catalog folder (default: PIPELINE_LOCALES, else `locales` in pipeline.toml, else locales)")


def add_dist(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dist", type=Path, metavar="DIR",
                        help="output folder (default: PIPELINE_DIST, else `dist` in pipeline.toml, else dist)")


def add_engine(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=ENGINE_NAMES,
                        help="translation engine; auto prefers an installed Argos model, "
                        "else Apertium (default: PIPELINE_ENGINE, else `engine` in pipeline.toml, else auto)")


def add_quiet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress bar or summary, errors only")


def add_batch(parser: argparse.ArgumentParser) -> None:
    """Options of the batch commands (run, build): incremental runs, parallel work, the JSON summary."""
    parser.add_argument("--force", action="store_true",
                        help="redo every document, even those the build state says are up to date")
    parser.add_argument("-j", "--jobs", type=positive, metavar="N",
                        help="processes for reading and rendering documents, and concurrent engine runs "
                        "(default: PIPELINE_JOBS, else `jobs` in pipeline.toml, else one per core)")
    parser.add_argument("--executor", choices=("local", "dask"),
                        help="where document tasks run: this machine, or a Dask cluster (default: local)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="the Dask scheduler for --executor dask, e.g. tcp://10.0.0.5:8786 "
                        "(default: PIPELINE_DASK_SCHEDULER, else a LocalCluster of --jobs workers)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object for CI on stdout: documents, unchanged, segments "
                        "translated, from memory, engine, files written, seconds")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per document")


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, not {text!r}")
    return int(text)


def add_no_wait(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-wait", dest="wait", action="store_false",
                        help="fail at once (exit 2) when another run is writing this project, instead of waiting")


def add_sources(parser: argparse.ArgumentParser, nargs: str = "+") -> None:
    parser.add_argument("sources", nargs=nargs, type=Path, metavar="SOURCE",
                        help="article files (.txt) or folders holding them")


def configured(args: argparse.Namespace) -> Config:
    """The config that main() loaded, with this command's --locales, --dist, --engine, --jobs, --executor
    and --scheduler over it."""
    return args.config.with_options(locales=getattr(args, "locales", None), dist=getattr(args, "dist", None),
                                    engine=getattr(args, "engine", None), jobs=getattr(args, "jobs", None),
                                    executor=getattr(args, "executor", None),
                                    dask_scheduler=getattr(args, "scheduler", None))


def print_batch_summary(args: argparse.Namespace, result) -> None:
    """A batch command's summary: the JSON object with --json (stdout), else, unless --quiet, one line per
    document with --verbose and one line for the run (stderr)."""
    import json
    import sys

    if getattr(args, "json", False):
        print(json.dumps(result.summary(), sort_keys=True))
        return
    if args.quiet:
        return
    if getattr(args, "verbose", False):
        unchanged = set(result.unchanged)
        for name in result.names:
            print(f"{name}: {'unchanged' if name in unchanged else 'done'}", file=sys.stderr)
    engine = f" with {result.engine}" if result.engine else ""
    print(f"{len(result.names)} documents ({len(result.unchanged)} unchanged), {result.translated} segments "
          f"machine-translated{engine}, {result.from_memory} from memory, {len(result.written)} files written",
          file=sys.stderr)


def percentage(text: str) -> float:
    """An argparse type: a number from 0 to 100."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"a percentage from 0 to 100, not {text}")
    return value
