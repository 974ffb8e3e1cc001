"""Options shared by several commands, so every command spells them the same way."""
from __future__ import annotations

import argparse
from pathlib import Path

import os


def add_locales(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--locales", type=Path, default=Path(os.environ.get("PIPELINE_LOCALES") or "locales"), metavar="DIR",
                        help="catalog folder (default: %(default)s)")


def add_dist(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dist", type=Path, default=Path(os.environ.get("PIPELINE_DIST") or "dist"), metavar="DIR",
                        help="output folder (default: %(default)s)")


def add_engine(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", default=os.environ.get("PIPELINE_ENGINE") or "auto", choices=("auto", "apertium", "argos"),
                        help="translation engine; auto prefers an installed Argos model, "
                        "else Apertium (default: %(default)s)")


def add_quiet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress bar or summary, errors only")


def add_sources(parser: argparse.ArgumentParser, nargs: str = "+") -> None:
    parser.add_argument("sources", nargs=nargs, type=Path, metavar="SOURCE",
                        help="article files (.txt) or folders holding them")


def percentage(text: str) -> float:
    """An argparse type: a number from 0 to 100."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"a percentage from 0 to 100, not {text}")
    return value
