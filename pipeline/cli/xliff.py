"""Commands for CAT tools: xliff export/import (XLIFF 1.2, one file per catalog; see pipeline.xliff)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import options


def register(subparsers: argparse._SubParsersAction) -> None:
    xliff = subparsers.add_parser(
        "xliff", help="exchange the catalogs with CAT tools as XLIFF 1.2",
        description="Write the catalogs as XLIFF 1.2 for CAT tools (OmegaT, Trados, memoQ, Okapi), one "
        "DIR/NAME.xlf per catalog, and bring the edits back. States: reviewed = state=\"translated\" "
        "approved=\"yes\"; machine output and fuzzy matches = state=\"needs-review-translation\"; "
        "untranslated = no target.")
    actions = xliff.add_subparsers(dest="xliff_command", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write DIR/NAME.xlf for every catalog",
                                description="Write DIR/NAME.xlf for every catalog under LOCALES. DIR is "
                                "created if the folder above it exists; nothing is written outside it.")
    export.add_argument("folder", type=Path, metavar="DIR")
    options.add_locales(export)
    options.add_quiet(export)
    export.set_defaults(func=_export)
    imported = actions.add_parser("import", help="bring the edits of DIR/*.xlf back into the catalogs",
                                  description="Read every DIR/NAME.xlf and write its edits into "
                                  "LOCALES/es/LC_MESSAGES/NAME.po: an edited target comes back reviewed "
                                  "(fuzzy if its state is new or needs-translation), a target approved in the "
                                  "tool (translated, signed-off, final) approves the entry; a unit whose source "
                                  "matches no entry is reported and skipped. A malformed file writes nothing.")
    imported.add_argument("folder", type=Path, metavar="DIR")
    options.add_locales(imported)
    options.add_quiet(imported)
    options.add_no_wait(imported)
    imported.set_defaults(func=_import)


def _export(args: argparse.Namespace) -> int:
    from .. import xliff

    written = xliff.export(options.configured(args).locales, args.folder)
    if not args.quiet:
        print(f"{len(written)} XLIFF files written or changed in {args.folder}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    from .. import api, xliff

    config = options.configured(args)
    with api.writing(config, "pipeline xliff import", args.wait, args.quiet):
        result = xliff.import_folder(args.folder, config.locales, config.wrap)
    for line in result.skipped:
        print(f"pipeline: warning: {line}", file=sys.stderr)
    if not args.quiet:
        print(f"{result.changed} entries changed in {len(result.written)} catalogs", file=sys.stderr)
    return 0
