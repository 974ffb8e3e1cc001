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


QUIET_HELP = "no progress bar or summary, errors only (also accepted before the command)"
JSON_HELP = "print the result as one JSON object on stdout (also accepted before the command)"
# Terms every help text uses the same way (gettext's meanings, see pipeline.stats).
TERMS = ("reviewed = translated, as gettext counts it: a non-empty msgstr without the fuzzy flag; "
         "machine = engine output or an automatic date awaiting review (fuzzy); fuzzy = a starting point "
         "from an older source or the translation memory; awaiting review = machine + fuzzy")
# Every output of a rendered document NAME, as pipeline.render writes them.
OUTPUTS = ("NAME.bilingual.html, NAME.interleaved.html, NAME.es.html, NAME.en.html, NAME.es.md, NAME.es.txt, "
           "plus index.html and manifest.json")


def add_quiet(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: the same option given before the command (on the main parser) is not reset here
    parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help=QUIET_HELP)


def add_json(parser: argparse.ArgumentParser, help: str = JSON_HELP) -> None:
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=help)


def source_formats() -> str:
    """The source formats the readers know, as help texts list them (".html, .md, .txt")."""
    from ..readers import READERS

    return ", ".join(sorted(READERS))


def add_batch(parser: argparse.ArgumentParser) -> None:
    """Options of the batch commands (run, build): incremental runs, parallel work, per-document lines
    (their --json is ``add_json``)."""
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
                        help=f"article files ({source_formats()}) or folders holding them"
                        + (" (default: `sources` in pipeline.toml)" if nargs == "*" else ""))


def configured(args: argparse.Namespace) -> Config:
    """The config that main() loaded, with this command's --locales, --dist, --engine, --jobs, --executor
    and --scheduler over it."""
    return args.config.with_options(locales=getattr(args, "locales", None), dist=getattr(args, "dist", None),
                                    engine=getattr(args, "engine", None), jobs=getattr(args, "jobs", None),
                                    executor=getattr(args, "executor", None),
                                    dask_scheduler=getattr(args, "scheduler", None))


def percentage(text: str) -> float:
    """An argparse type: a number from 0 to 100."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"a percentage from 0 to 100, not {text}")
    return value
