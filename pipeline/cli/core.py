"""Commands for the main job and its stages: run, extract, translate."""
from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from . import options

if TYPE_CHECKING:
    from ..api import RunResult


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser(
        "run", help="every stage: extract, translate, write catalogs, render",
        description=f"Translate English sources ({options.source_formats()}) into Spanish, keeping the "
        "Spanish already in them: writes LOCALES/es/LC_MESSAGES/NAME.po and LOCALES/templates/NAME.pot "
        f"and, in DIST, {options.OUTPUTS}. Machine output is written fuzzy, awaiting review. "
        f"Terms: {options.TERMS}.")
    options.add_sources(run)
    options.add_locales(run)
    options.add_dist(run)
    options.add_engine(run)
    options.add_batch(run)
    options.add_quiet(run)
    options.add_no_wait(run)
    options.add_json(run, help="print a JSON summary on stdout: documents, segments, translated, "
                     "from_memory, engine, files_written, unchanged, from_cache, engine_calls, seconds "
                     "(also accepted before the command)")
    run.set_defaults(func=_run)

    extract = subparsers.add_parser(
        "extract", help="sources to POT/PO catalogs, without translating",
        description="Segment the sources and write their POT templates and PO catalogs; "
        "nothing is machine-translated (already-Spanish segments are kept as they are).")
    options.add_sources(extract)
    options.add_locales(extract)
    options.add_quiet(extract)
    options.add_no_wait(extract)
    extract.set_defaults(func=_extract)

    translate = subparsers.add_parser(
        "translate", help="fill the untranslated entries of existing PO files",
        description="Machine-translate the untranslated entries of every PO catalog under LOCALES "
        "(from the translation memory first); reviewed and machine translations already there are kept.")
    options.add_locales(translate)
    options.add_engine(translate)
    options.add_quiet(translate)
    options.add_no_wait(translate)
    translate.set_defaults(func=_translate)


def _run(args: argparse.Namespace) -> int:
    from .. import api  # stage modules load only when a command runs, so --help stays fast

    result = api.run(args.sources, quiet=args.quiet or args.json, force=args.force, keep_documents=False,
                     config=options.configured(args), wait=args.wait)
    _summary(args, result)
    return 0


def _extract(args: argparse.Namespace) -> int:
    from .. import api

    _summary(args, api.extract(args.sources, quiet=args.quiet, config=options.configured(args), wait=args.wait))
    return 0


def _translate(args: argparse.Namespace) -> int:
    from .. import api

    _summary(args, api.translate_catalogs(quiet=args.quiet, config=options.configured(args), wait=args.wait))
    return 0


def summary(result: RunResult) -> dict[str, Any]:
    """The run as `--json` prints it (``RunResult.summary``). Segments are catalog entries (a repeated
    sentence once), as ``pipeline stats`` counts them; more fields may be added, none removed."""
    return result.summary()


def _summary(args: argparse.Namespace, result: RunResult) -> None:
    """A JSON object on stdout with --json; else one line per document and one for the run, on
    stderr, unless --quiet."""
    report = summary(result)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    if args.quiet:
        return
    for doc in report["documents"] if getattr(args, "verbose", True) else ():  # run: with --verbose only
        print(f"{doc['name']}: {doc['segments']} segments", file=sys.stderr)
    engine = f" with {result.engine}" if result.engine else ""
    unchanged = f"{len(result.unchanged)} of {len(result.names)} documents unchanged, " if result.names else ""
    print(f"{unchanged}{result.translated} segments machine-translated{engine}, {result.from_memory} from memory, "
          f"{len(result.written)} files written", file=sys.stderr)
