"""Commands for the review workflow: stats (how far review has got) and check (the publish gate)."""
from __future__ import annotations

import argparse
import json
import sys

from . import options

_COLUMNS = ("total", "translated", "machine", "fuzzy", "untranslated", "obsolete")


def register(subparsers: argparse._SubParsersAction) -> None:
    stats = subparsers.add_parser(
        "stats", help="strings and words per catalog by state, as msgfmt --statistics and pocount count them",
        description="Count the entries of every PO catalog under LOCALES by review state, as GNU gettext "
        "and pocount count them: translated (= reviewed), machine and fuzzy (together msgfmt's and "
        "pocount's fuzzy), untranslated and obsolete; with source words counted like pocount. "
        f"Terms: {options.TERMS}.")
    stats.add_argument("catalogs", nargs="*", metavar="NAME", help="only these catalogs (default: all)")
    options.add_json(stats, help="print JSON: {\"catalogs\": {NAME: {...}}, \"total\": {...}} with keys total, "
                     "translated, awaiting_review, reviewed, machine, fuzzy, untranslated, obsolete, words, "
                     "words_by_state, reviewed_percent, translated_percent, awaiting_review_percent")
    options.add_locales(stats)
    options.add_quiet(stats)
    stats.set_defaults(func=_stats)

    check = subparsers.add_parser(
        "check", help="the publish gate: exit 1 unless every catalog is reviewed enough",
        description="Exit 0 when every catalog under LOCALES meets the thresholds, else print one line "
        "per failing catalog and exit 1. Thresholds default to min_reviewed, min_translated and "
        "fail_on_qa in pipeline.toml (else 0, 0 and QA errors). reviewed% = translated% = reviewed / all "
        "strings (what msgfmt --statistics counts as translated); obsolete entries do not count. "
        f"Terms: {options.TERMS}.")
    check.add_argument("catalogs", nargs="*", metavar="NAME", help="only these catalogs (default: all)")
    check.add_argument("--min-reviewed", type=options.percentage, metavar="PCT",
                       help="minimum percentage of reviewed strings per catalog (not fuzzy)")
    check.add_argument("--min-translated", type=options.percentage, metavar="PCT",
                       help="the same measure under po4a's name: minimum percentage of strings translated as "
                       "gettext counts (machine output and fuzzy matches excluded)")
    check.add_argument("--fail-on-qa", choices=("error", "warning", "never"),
                       help="fail a catalog on QA findings of this severity (warning includes errors); "
                       "never: QA findings do not fail the check (default: fail_on_qa in pipeline.toml, else error)")
    options.add_locales(check)
    options.add_quiet(check)
    options.add_json(check, help="print JSON on stdout: {\"passed\": BOOL, \"failures\": [LINE, ...]} "
                     "(also accepted before the command)")
    check.set_defaults(func=_check)


def _stats(args: argparse.Namespace) -> int:
    from .. import stats

    report = stats.collect(options.configured(args).locales, args.catalogs or None)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    rows = [(name, numbers) for name, numbers in report["catalogs"].items()] + [("total", report["total"])]
    width = max(len(name) for name, _ in [("catalog", None), *rows])
    print(f"{'catalog':<{width}}  " + "  ".join(f"{c:>18}" for c in _COLUMNS) + "  translated  awaiting review")
    for name, numbers in rows:
        cells = [f"{numbers[c]} ({numbers['words_by_state'][c]} words)" for c in _COLUMNS]
        print(f"{name:<{width}}  " + "  ".join(f"{cell:>18}" for cell in cells)
              + f"  {numbers['translated_percent']:>9g}%  {numbers['awaiting_review_percent']:>14g}%")
    if not args.quiet:
        print("translated = reviewed (not fuzzy), as msgfmt --statistics counts; machine + fuzzy = its fuzzy",
              file=sys.stderr)
    return 0


def _check(args: argparse.Namespace) -> int:
    from .. import stats
    from ..errors import EXIT_FAILED

    config = options.configured(args)
    reasons = stats.gate(config.locales,
                         min_reviewed=config.min_reviewed if args.min_reviewed is None else args.min_reviewed,
                         min_translated=config.min_translated if args.min_translated is None else args.min_translated,
                         fail_on_qa=config.fail_on_qa if args.fail_on_qa is None else
                         {"never": ""}.get(args.fail_on_qa, args.fail_on_qa),
                         names=args.catalogs or None)
    if args.json:
        print(json.dumps({"passed": reasons.passed, "failures": reasons.failures}, indent=2, ensure_ascii=False))
    for reason in reasons:
        print(f"pipeline: check failed: {reason}", file=sys.stderr)
    if reasons:
        return EXIT_FAILED
    if not args.quiet and not args.json:
        print("check passed: every catalog meets the thresholds", file=sys.stderr)
    return 0
