"""Catalog statistics, counted as GNU gettext and Translate Toolkit count them, and the publish gate.

Every non-obsolete entry is in exactly one state (see ``catalog.entry_state``):
reviewed, machine (unreviewed engine output or an automatic date), fuzzy (a
starting point from an older source or the memory) or untranslated; obsolete
entries are counted apart.

``translated`` means what it means to gettext: a non-empty msgstr without the
fuzzy flag, i.e. what a reviewer approved -- so translated = reviewed, and on
any catalog ``translated`` equals ``msgfmt --statistics``' "translated
messages" and pocount's "Translated". Machine output and fuzzy matches are
``awaiting_review`` (= machine + fuzzy = msgfmt's "fuzzy translations" =
pocount's "Fuzzy"), named apart so a reviewer sees which is which. Wholly
Spanish entries (msgstr = msgid, not fuzzy) count as reviewed: they are final
as written.

Words are source (msgid) words counted the way pocount counts them (its
``wordcount``: ``<br>`` to a newline, tags removed, ``X.Y`` between non-digits
to a space, then Unicode word boundaries, UAX #29): "far-right" is two words,
"1,554" one. On the reference article (tests/test_publishing.py) that gives
pocount's 1,558 words where the earlier regex gave 1,554.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Mapping

import polib

from . import catalog
from .errors import InputError
from .model import SEVERITIES, severities_at_or_above

STATES = ("reviewed", "machine", "fuzzy", "untranslated")
COUNTS = ("total", "translated", "awaiting_review", *STATES, "obsolete")

# pocount's preprocessing (translate/tools/pocount.py), then UAX #29 words: letters joined across
# ' ’ . : · between letters, digits across , . ; ' ’ between digits (rules WB6-7, WB11-12).
_BR_TAG = re.compile(r"<br\s*?/?>")
_XML_TAG = re.compile(r"""<([\w.:]+)(\s([\w.:]+=((".*?")|('.*?')))?)*/?>|</([\w.]+)>""")
_DOTTED = re.compile(r"\D\.\D")
_WORD = re.compile(r"\w+(?:(?:(?<=[^\W\d_])[.'’:·](?=[^\W\d_])|(?<=\d)[.,;'’](?=\d))\w+)*")


def word_count(text: str) -> int:
    """Words in `text` as pocount counts them (see the module docstring)."""
    text = _DOTTED.sub(" ", _XML_TAG.sub("", _BR_TAG.sub("\n", text)))
    return sum(1 for word in _WORD.findall(text) if word.strip("_"))


def count_entries(entries: Iterable[polib.POEntry]) -> tuple[dict[str, int], dict[str, int]]:
    """(strings, source words) by state for PO entries: every key of COUNTS; the header is skipped.

    A plain function over entries, so a review tool can count a catalog it holds in memory.
    """
    strings = dict.fromkeys(COUNTS, 0)
    words = dict.fromkeys(COUNTS, 0)
    for entry in entries:
        if not entry.msgid:
            continue
        state = "obsolete" if entry.obsolete else catalog.entry_state(entry).value
        strings[state] += 1
        words[state] += word_count(entry.msgid)
    for table in (strings, words):
        table["translated"] = table["reviewed"]  # gettext: non-empty msgstr, not fuzzy
        table["awaiting_review"] = table["machine"] + table["fuzzy"]  # gettext's "fuzzy"
        table["total"] = sum(table[s] for s in STATES)
    return strings, words


def catalog_stats(po_path: Path) -> dict:
    """Strings and source words by state for one PO file.

    Keys: name, path, total, translated (= reviewed, as gettext counts),
    awaiting_review (= machine + fuzzy, gettext's fuzzy), reviewed, machine,
    fuzzy, untranslated, obsolete (strings); words (source words of
    non-obsolete entries); words_by_state (the same keys, in words);
    reviewed_percent, translated_percent (the same share), awaiting_review_percent.
    """
    po_path = Path(po_path)
    strings, words = count_entries(catalog.read_po(po_path))
    return {"name": po_path.stem, "path": str(po_path), **strings, "words": words["total"],
            "words_by_state": words, **percentages(strings)}


def percentages(counts: Mapping[str, int]) -> dict[str, float]:
    """Shares of `counts` (keys total, reviewed and machine, fuzzy or awaiting_review), in percent
    rounded to 0.1; 100 reviewed when there is nothing to translate.

    reviewed_percent = translated_percent: the share gettext counts as translated.
    """
    total = counts["total"]
    waiting = counts.get("awaiting_review", counts.get("machine", 0) + counts.get("fuzzy", 0))
    reviewed = round(100 * counts["reviewed"] / total, 1) if total else 100.0
    return {"reviewed_percent": reviewed, "translated_percent": reviewed,
            "awaiting_review_percent": round(100 * waiting / total, 1) if total else 0.0}


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

    A catalog fails when its reviewed share -- the strings gettext counts as
    translated (non-empty msgstr, not fuzzy) -- is below `min_reviewed` or
    `min_translated` (the same measure under po4a's name: machine output and
    fuzzy matches never count), or, with `fail_on_qa` "error" (or "warning"),
    when QA finds an error (or a warning or error) in it; "" leaves QA out. The
    thresholds are the caller's (options over the project's ``min_reviewed``,
    ``min_translated``, ``fail_on_qa``).
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
    minimum = max(min_reviewed, min_translated)
    for path in _catalog_paths(locales, names):
        numbers = catalog_stats(path)
        problems = []
        if numbers["reviewed_percent"] < minimum:
            problems.append(f"{numbers['reviewed_percent']:g}% reviewed ({numbers['reviewed']}/{numbers['total']} "
                            f"translated as gettext counts; {numbers['machine']} machine and {numbers['fuzzy']} "
                            f"fuzzy awaiting review), minimum {minimum:g}%")
        if fail_on_qa:
            problems += _qa_problems(path, severities_at_or_above(fail_on_qa))
        if problems:
            reasons.append(f"{path}: " + "; ".join(problems))
    return reasons


def _qa_problems(po_path: Path, severities: tuple[str, ...]) -> list[str]:
    """One summary of the QA findings at the given severities, if any."""
    from .qa import check_catalog  # here: the site's percentages need none of the checks (5 ms)

    findings = [f for f in check_catalog(po_path) if f.severity in severities]
    if not findings:
        return []
    first = findings[0]
    label = " or ".join(severities[::-1]) if len(severities) > 1 else severities[0]
    return [f"{len(findings)} QA {label}{'s' if len(findings) > 1 else ''} "
            f"(first: line {first.line}: {first.check}: {first.message})"]

