"""Commands that publish: render (PO catalogs → dist) and build (review gate, then render all)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import options

if TYPE_CHECKING:
    from ..batch import RunResult
    from ..site import SiteResult


def _add_render_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--templates", type=Path, metavar="DIR",
                        help="folder of Jinja2 templates overriding the built-in ones file by file")
    parser.add_argument("--hide-review-marks", action="store_true",
                        help="publish machine text awaiting review without its marks and without the Spanish "
                        "notice of how much awaits review (by default every page marks it)")
    parser.add_argument("--unreviewed", choices=("machine", "english"), default="machine",
                        help="what unreviewed segments show: the machine translation or the English "
                        "(default: %(default)s)")
    parser.add_argument("--min-reviewed", type=options.percentage, metavar="PERCENT",
                        help="minimum share of reviewed entries (= translated as gettext counts: not fuzzy); "
                        "render: documents under it are skipped or marked (--below); build: the gate")
    parser.add_argument("--min-translated", type=options.percentage, metavar="PERCENT",
                        help="the same share under po4a's name (--keep): entries translated as gettext counts, "
                        "machine output and fuzzy matches excluded")
    parser.add_argument("--below", choices=("skip", "mark"), default="skip",
                        help="render: what to do with a document under --min-reviewed (default: %(default)s)")
    parser.add_argument("--mark-below", type=options.percentage, metavar="PERCENT",
                        help="documents with less than this share reviewed are published with a visible "
                        "'Traducción incompleta' note (build: among those that pass the gate)")


def register(subparsers: argparse._SubParsersAction) -> None:
    render = subparsers.add_parser(
        "render", help="PO catalogs → bilingual pages, Spanish HTML/Markdown/text, index",
        description=f"Render the sources ({options.source_formats()}) from their PO catalogs into DIST (no "
        f"engine is run, so a translator's edits show up as they are): {options.OUTPUTS}. Machine text "
        "awaiting review is marked on every page, with a notice in Spanish. With no SOURCE, the `sources` "
        "of pipeline.toml, else every catalog whose source can be found. "
        f"Terms: {options.TERMS}.")
    options.add_sources(render, nargs="*")
    options.add_locales(render)
    options.add_dist(render)
    _add_render_options(render)
    options.add_quiet(render)
    options.add_no_wait(render)
    render.set_defaults(func=_render)

    build = subparsers.add_parser(
        "build", help="the publish step: review gate, then render everything and the index",
        description="Check the review gate (--min-reviewed/--min-translated: the share of reviewed entries, "
        "default from pipeline.toml), then render every source into DIST: "
        f"{options.OUTPUTS}. Exits 1 and writes nothing when the gate fails. Machine text awaiting "
        "review is marked unless --hide-review-marks. Sources default to `sources` in pipeline.toml, "
        f"then to every catalog whose source can be found. Terms: {options.TERMS}.")
    options.add_sources(build, nargs="*")
    options.add_locales(build)
    options.add_dist(build)
    _add_render_options(build)
    options.add_batch(build)
    options.add_quiet(build)
    options.add_no_wait(build)
    options.add_json(build, help="print a JSON summary on stdout: documents (name, status, counts, percent), "
                     "skipped, files_written (also accepted before the command)")
    build.set_defaults(func=_build)


def _render_options(args: argparse.Namespace) -> dict:
    return {"templates": args.templates, "hide_review_marks": args.hide_review_marks, "unreviewed": args.unreviewed,
            "below": args.below, "mark_below": args.mark_below, "wait": args.wait}


def _render(args: argparse.Namespace) -> int:
    from .. import api

    result = api.render(args.sources, quiet=args.quiet or args.json, min_reviewed=args.min_reviewed or 0,
                        min_translated=args.min_translated or 0, config=options.configured(args),
                        **_render_options(args))
    _summary(args, result)
    return 0


def _build(args: argparse.Namespace) -> int:
    from .. import api

    config = options.configured(args)
    result = api.build(args.sources, quiet=args.quiet or args.json, min_reviewed=args.min_reviewed,
                       min_translated=args.min_translated, force=args.force, config=config, **_render_options(args))
    _summary(args, result)
    return 0


def summary(result: SiteResult | RunResult) -> dict[str, Any]:
    """The render or build as `--json` prints it; more fields may be added, none removed."""
    report = {"documents": [{key: entry[key] for key in ("name", "status", "counts", "percent")}
                            for entry in result.entries],
              "skipped": list(result.skipped), "files_written": [str(path) for path in result.written]}
    from ..batch import RunResult  # loaded when a command runs, so --help stays fast

    if isinstance(result, RunResult):  # build is incremental (pipeline.batch): what it spared and took
        report.update(unchanged=len(result.unchanged), seconds=round(result.seconds, 3))
    return report


def _summary(args: argparse.Namespace, result: SiteResult | RunResult) -> None:
    if getattr(args, "json", False):
        print(json.dumps(summary(result), indent=2, ensure_ascii=False))
        return
    if args.quiet:
        return
    for entry in result.entries if getattr(args, "verbose", True) else ():  # build: with --verbose only
        share, counts = entry["percent"], entry["counts"]
        print(f"{entry['name']}: {entry['status']}, {share['reviewed']:g}% reviewed "
              f"({counts['reviewed']}/{counts['total']}), {counts['awaiting_review']} awaiting review",
              file=sys.stderr)
    from ..batch import RunResult

    unchanged = f"{len(result.unchanged)} of {len(result.names)} documents unchanged, " \
        if isinstance(result, RunResult) and result.names else ""
    print(f"{unchanged}{len(result.written)} files written to {options.configured(args).dist}", file=sys.stderr)
