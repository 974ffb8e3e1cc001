"""Commands that publish: render (PO catalogs → dist) and build (review gate, then render all)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import options


def _add_render_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--templates", type=Path, metavar="DIR",
                        help="folder of Jinja2 templates overriding the built-in ones file by file")
    parser.add_argument("--hide-review-marks", action="store_true",
                        help="do not mark machine translations awaiting review (for publication)")
    parser.add_argument("--unreviewed", choices=("machine", "english"), default="machine",
                        help="what unreviewed segments show: the machine translation or the English "
                        "(default: %(default)s)")
    parser.add_argument("--min-reviewed", type=options.percentage, metavar="PERCENT",
                        help="documents with fewer reviewed segments than this are skipped or marked")
    parser.add_argument("--min-translated", type=options.percentage, metavar="PERCENT",
                        help="documents with fewer translated segments (reviewed + machine) "
                        "than this are skipped or marked")
    parser.add_argument("--below", choices=("skip", "mark"), default="skip",
                        help="what to do with a document under a threshold (default: %(default)s)")


def register(subparsers: argparse._SubParsersAction) -> None:
    render = subparsers.add_parser(
        "render", help="PO catalogs → bilingual pages, Spanish HTML/Markdown/text, index",
        description="Render the sources from their PO catalogs into DIST (no engine is run, so a "
        "translator's edits show up as they are): NAME.bilingual.html, NAME.interleaved.html, "
        "NAME.es.html, NAME.en.html, NAME.es.md, NAME.es.txt, plus index.html and manifest.json. "
        "With no SOURCE, every catalog whose X-Source header names a source that exists is rendered.")
    options.add_sources(render, nargs="*")
    options.add_locales(render)
    options.add_dist(render)
    _add_render_options(render)
    options.add_quiet(render)
    options.add_no_wait(render)
    render.set_defaults(func=_render)

    build = subparsers.add_parser(
        "build", help="the publish step: review gate, then render everything and the index",
        description="Check the review gate (--min-reviewed/--min-translated, default from pipeline.toml), "
        "then render every source and write DIST/index.html and DIST/manifest.json. Exits 1 and "
        "writes nothing when the gate fails. Sources default to `sources` in pipeline.toml, "
        "then to the catalogs' X-Source headers.")
    options.add_sources(build, nargs="*")
    options.add_locales(build)
    options.add_dist(build)
    _add_render_options(build)
    options.add_batch(build)
    options.add_quiet(build)
    options.add_no_wait(build)
    build.set_defaults(func=_build)


def _render_options(args: argparse.Namespace) -> dict:
    return {"templates": args.templates, "hide_review_marks": args.hide_review_marks, "unreviewed": args.unreviewed,
            "below": args.below, "wait": args.wait}


def _render(args: argparse.Namespace) -> int:
    from .. import api

    result = api.render(args.sources, quiet=args.quiet, min_reviewed=args.min_reviewed or 0,
                        min_translated=args.min_translated or 0, config=options.configured(args),
                        **_render_options(args))
    _summary(args, result)
    return 0


def _build(args: argparse.Namespace) -> int:
    from .. import api

    config = options.configured(args)
    result = api.build(args.sources, quiet=args.quiet or args.json, min_reviewed=args.min_reviewed,
                       min_translated=args.min_translated, force=args.force, config=config,
                       **_render_options(args))
    if args.json:
        options.print_batch_summary(args, result)
    else:
        _summary(args, result, per_document=args.verbose)
        if args.verbose and not args.quiet:
            print(f"{len(result.names)} documents, {len(result.unchanged)} unchanged", file=sys.stderr)
    return 0


def _summary(args: argparse.Namespace, result, per_document: bool = True) -> None:
    if args.quiet:
        return
    for entry in result.entries if per_document else ():
        share = entry["percent"]
        print(f"{entry['name']}: {entry['status']}, {share['reviewed']:g}% reviewed, "
              f"{share['translated']:g}% translated", file=sys.stderr)
    print(f"{len(result.written)} files written to {options.configured(args).dist}", file=sys.stderr)
