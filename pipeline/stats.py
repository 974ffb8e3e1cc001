"""Catalog statistics (like translate-toolkit's pocount) and the publish gate.

Every non-obsolete entry is in exactly one state (see ``catalog.entry_state``):
reviewed, machine (unreviewed engine output), fuzzy (a starting point from an
older source or the memory) or untranslated; obsolete entries are counted
apart. ``translated`` = reviewed + machine + fuzzy. Words are source (msgid)
words. Wholly Spanish entries (msgstr = msgid, not fuzzy) count as reviewed:
they are final as written.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from . import catalog
from .errors import InputError
from .model import SEVERITIES, severities_at_or_above
from .qa import check_catalog

STATES = ("reviewed", "machine", "fuzzy", "untranslated")
COUNTS = ("total", "translated", *STATES, "obsolete")

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


def word_count(text: str) -> int:
    """Words in `text`: runs of letters/digits, with inner apostrophes and hyphens."""
    return len(_WORD.findall(text))


def catalog_stats(po_path: Path) -> dict:
    """Strings and source words by state for one PO file.

    Keys: name, path, total, translated, reviewed, machine, fuzzy, untranslated,
    obsolete (strings); words (source words of non-obsolete entries);
    words_by_state (the same keys, in words); reviewed_percent, translated_percent.
    """
    po_path = Path(po_path)
    po = catalog.read_po(po_path)
    strings = dict.fromkeys(COUNTS, 0)
    words = dict.fromkeys(COUNTS, 0)
    for entry in po:
        if not entry.msgid:
            continue
        state = "obsolete" if entry.obsolete else catalog.entry_state(entry).value
        count = word_count(entry.msgid)
        strings[state] += 1
        words[state] += count
    for table in (strings, words):
        table["translated"] = sum(table[s] for s in ("reviewed", "machine", "fuzzy"))
        table["total"] = table["translated"] + table["untranslated"]
    return {"name": po_path.stem, "path": str(po_path), **strings, "words": words["total"],
            "words_by_state": words, **percentages(strings)}


def percentages(counts: dict) -> dict:
    """reviewed% and translated% of `counts` (total, reviewed, translated), 100 when there is nothing."""
    total = counts["total"]
    return {"reviewed_percent": round(100 * counts["reviewed"] / total, 1) if total else 100.0,
            "translated_percent": round(100 * counts["translated"] / total, 1) if total else 100.0}


def collect(locales: Path, names: Iterable[str] | None = None) -> dict:
    """Statistics of every catalog in `locales` (or only those named): ``{"catalogs": {name: stats}, "total": stats}``.

    Raises InputError when there is no catalog.
    """
    paths = _catalog_paths(Path(locales), names)
    per_catalog = {path.stem: catalog_stats(path) for path in paths}
    total = {key: sum(s[key] for s in per_catalog.values()) for key in (*COUNTS, "words")}
    total["words_by_state"] = {key: sum(s["words_by_state"][key] for s in per_catalog.values()) for key in COUNTS}
    total.update(percentages(total))
    return {"catalogs": per_catalog, "total": total}


def _catalog_paths(locales: Path, names: Iterable[str] | None) -> list[Path]:
    wanted = list(dict.fromkeys(names)) if names is not None else []
    if not wanted:
        return catalog.require_catalogs(locales)
    missing = [n for n in wanted if not catalog.po_path(locales, n).is_file()]
    if missing:
        raise InputError(f"no catalog for {', '.join(missing)}", catalog.po_path(locales, missing[0]).parent)
    return [catalog.po_path(locales, n) for n in wanted]


class GateResult(list):
    """The gate's reasons to refuse, one line per failing catalog; empty (falsy) when it passes."""

    @property
    def passed(self) -> bool:
        return not self

    @property
    def failures(self) -> list[str]:
        return list(self)


def gate(locales: Path, min_reviewed: float, min_translated: float, fail_on_qa: str,
         names: Iterable[str] | None = None) -> GateResult:
    """Whether the catalogs may be published: a list of one-line reasons (empty = pass).

    A catalog fails when its reviewed% or translated% is below the minimum, or,
    with `fail_on_qa` "error" (or "warning"), when QA finds an error (or a
    warning or error) in it; "" leaves QA out. The thresholds are the caller's
    (options over the project's ``min_reviewed``, ``min_translated``, ``fail_on_qa``).
    """
    if fail_on_qa and fail_on_qa not in SEVERITIES:
        raise InputError(f"fail_on_qa must be 'error' or 'warning', not {fail_on_qa!r}")
    reasons = GateResult()
    locales = Path(locales)
    if names is not None:
        names = list(dict.fromkeys(names))
        reasons += [f"{catalog.po_path(locales, n)}: no catalog (nothing extracted or translated yet)"
                    for n in names if not catalog.po_path(locales, n).is_file()]
        names = [n for n in names if catalog.po_path(locales, n).is_file()]
        if reasons and not names:
            return reasons
    for path in _catalog_paths(locales, names):
        numbers = catalog_stats(path)
        problems = []
        if numbers["reviewed_percent"] < min_reviewed:
            problems.append(f"{numbers['reviewed_percent']:g}% reviewed "
                            f"({numbers['reviewed']}/{numbers['total']}), minimum {min_reviewed:g}%")
        if numbers["translated_percent"] < min_translated:
            problems.append(f"{numbers['translated_percent']:g}% translated "
                            f"({numbers['translated']}/{numbers['total']}), minimum {min_translated:g}%")
        if fail_on_qa:
            problems += _qa_problems(path, severities_at_or_above(fail_on_qa))
        if problems:
            reasons.append(f"{path}: " + "; ".join(problems))
    return reasons


def _qa_problems(po_path: Path, severities: tuple[str, ...]) -> list[str]:
    """One summary of the QA findings at the given severities, if any."""
    findings = [f for f in check_catalog(po_path) if f.severity in severities]
    if not findings:
        return []
    first = findings[0]
    label = " or ".join(severities[::-1]) if len(severities) > 1 else severities[0]
    return [f"{len(findings)} QA {label}{'s' if len(findings) > 1 else ''} "
            f"(first: line {first.line}: {first.check}: {first.message})"]

