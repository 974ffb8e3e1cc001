"""Commands for the main job and its stages: run, extract, translate."""
from __future__ import annotations

import argparse
import sys

from . import options


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser(
        "run", help="every stage: extract, translate, write catalogs, render",
        description="Translate English sources into Spanish, keeping the Spanish already in them: "
        "writes LOCALES/es/LC_MESSAGES/NAME.po, LOCALES/templates/NAME.pot and, in DIST, "
        "NAME.es.txt, NAME.es.html and NAME.bilingual.html.")
    options.add_sources(run)
    options.add_locales(run)
    options.add_dist(run)
    options.add_engine(run)
    options.add_batch(run)
    options.add_quiet(run)
    options.add_no_wait(run)
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
    options.print_batch_summary(args, result)
    return 0


def _extract(args: argparse.Namespace) -> int:
    from .. import api

    _summary(args, api.extract(args.sources, quiet=args.quiet, config=options.configured(args), wait=args.wait))
    return 0


def _translate(args: argparse.Namespace) -> int:
    from .. import api

    _summary(args, api.translate_catalogs(quiet=args.quiet, config=options.configured(args), wait=args.wait))
    return 0


def _summary(args: argparse.Namespace, result) -> None:
    """One line per document and one for the run, on stderr, unless --quiet."""
    if args.quiet:
        return
    for doc in result.documents:
        segments = list(doc.segments())
        print(f"{doc.name}: {len(segments)} segments", file=sys.stderr)
    engine = f" with {result.engine}" if result.engine else ""
    print(f"{result.translated} segments machine-translated{engine}, {result.from_memory} from memory, "
          f"{len(result.written)} files written", file=sys.stderr)
