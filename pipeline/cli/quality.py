"""Commands for translation quality: qa (checks on the catalogs) and tm export/import (TMX)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..model import SEVERITIES
from . import options

FAIL_LEVELS = (*SEVERITIES, "never")


def register(subparsers: argparse._SubParsersAction) -> None:
    qa = subparsers.add_parser(
        "qa", help="check translations: kept Spanish, numbers, markup, punctuation, glossary ...",
        description="Check the translated entries of the PO catalogs and list the findings as "
        "FILE:LINE: SEVERITY: CHECK: MESSAGE. Errors (kept Spanish lost, numbers, placeholders, markup) "
        "fail the command (exit 1); warnings are for the reviewer.")
    qa.add_argument("catalogs", nargs="*", type=Path, metavar="PO",
                    help="PO files to check (default: every catalog under LOCALES)")
    options.add_locales(qa)
    options.add_json(qa, help="print the findings as a JSON list (also accepted before the command)")
    qa.add_argument("--write-comments", action="store_true",
                    help="write the findings into the PO files as '# qa:' translator comments "
                    "(replacing earlier ones), so they show in Poedit")
    options.add_no_wait(qa)
    qa.add_argument("--fail-on", choices=FAIL_LEVELS, default="error",
                    help="exit 1 when a finding of this severity or worse is found (default: %(default)s)")
    options.add_quiet(qa)
    qa.set_defaults(func=_qa)

    tm = subparsers.add_parser(
        "tm", help="translation memory: export or import TMX",
        description="Exchange the translation memory (every reviewed translation of the catalogs) "
        "with other tools as TMX 1.4 (OmegaT, Weblate, Okapi, Trados).")
    actions = tm.add_subparsers(dest="tm_command", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write the memory to a TMX file",
                                description="Write every reviewed English/Spanish pair of the catalogs "
                                "(and of LOCALES/memory/) to FILE.tmx.")
    export.add_argument("file", type=Path, metavar="FILE.tmx")
    options.add_locales(export)
    options.add_quiet(export)
    export.set_defaults(func=_tm_export)
    imported = actions.add_parser("import", help="add the pairs of a TMX file to the memory",
                                  description="Add the English/Spanish pairs of FILE.tmx to "
                                  "LOCALES/memory/imported.po, which later runs reuse like any reviewed catalog.")
    imported.add_argument("file", type=Path, metavar="FILE.tmx")
    options.add_locales(imported)
    options.add_quiet(imported)
    options.add_no_wait(imported)
    imported.set_defaults(func=_tm_import)


def _qa(args: argparse.Namespace) -> int:
    from contextlib import nullcontext

    from .. import api, catalog, glossary, qa

    config = options.configured(args)
    findings = []
    with api.writing(config, "pipeline qa", args.wait, args.quiet) if args.write_comments else nullcontext():
        paths = args.catalogs or catalog.require_catalogs(config.locales)
        terms = glossary.load(config.locales)
        for path in paths:
            found = qa.check_catalog(path, terms)
            findings += found
            if args.write_comments:
                qa.write_comments(path, found, wrap=config.wrap)
    if args.json:
        print(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            print(finding)
    errors = sum(f.severity == qa.ERROR for f in findings)
    warnings = len(findings) - errors
    if not args.quiet:
        print(f"{errors} errors, {warnings} warnings in {len(paths)} catalogs", file=sys.stderr)
    failing = {"error": errors, "warning": len(findings), "never": 0}[args.fail_on]
    return 1 if failing else 0


def _tm_export(args: argparse.Namespace) -> int:
    from .. import tm

    count = tm.export_tmx(options.configured(args).locales, args.file)
    if not args.quiet:
        print(f"{count} translation units written to {args.file}", file=sys.stderr)
    return 0


def _tm_import(args: argparse.Namespace) -> int:
    from .. import api, tm

    config = options.configured(args)
    with api.writing(config, "pipeline tm import", args.wait, args.quiet):
        count, target = tm.import_tmx(args.file, config.locales, config.wrap)
    if not args.quiet:
        print(f"{count} translation units added or changed in {target}", file=sys.stderr)
    return 0
