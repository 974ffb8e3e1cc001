"""News-style English dates, given to the engine as the Spanish it should write.

Engines get these wrong in the lines every article starts with: Apertium
leaves "March 3, 2024" in English and turns "Jan. 30, 2023" into
"Ene. 30, 2023". A date becomes a protected span (reason "date") whose
replacement is the Spanish date, "30 de enero de 2023"; English news style
drops "on" before a date where Spanish needs "el", so "on Jan. 9" and a bare
"Dec. 7" inside a sentence become "el 9 de enero" and "el 7 de diciembre".
"""
from __future__ import annotations

import re
from typing import Iterable

from .model import DATE, SOURCE_LANG, Document, Span
from .spans import Piece, split_free

REASON = DATE

MONTHS = {
    "jan": "enero", "january": "enero", "feb": "febrero", "february": "febrero", "march": "marzo",
    "mar": "marzo", "april": "abril", "apr": "abril", "may": "mayo", "june": "junio", "jun": "junio",
    "july": "julio", "jul": "julio", "aug": "agosto", "august": "agosto", "sept": "septiembre",
    "sep": "septiembre", "september": "septiembre", "oct": "octubre", "october": "octubre",
    "nov": "noviembre", "november": "noviembre", "dec": "diciembre", "december": "diciembre",
}

_MONTH = (r"(?P<month>Jan(?:uary|\.)|Feb(?:ruary|\.)|March|Mar\.|April|Apr\.|May|June|Jun\.|July|Jul\."
          r"|Aug(?:ust|\.)|Sept(?:ember|\.)|Sep\.|Oct(?:ober|\.)|Nov(?:ember|\.)|Dec(?:ember|\.))")
_DAY_DATE = re.compile(
    r"(?<![\w.])(?P<on>[Oo]n\s+)?" + _MONTH + r"\s+(?P<day>[1-9]|[12]\d|3[01])(?!\d)(?!,\d)"
    r"(?:(?:st|nd|rd|th)\b)?(?:,?\s+(?P<year>1\d{3}|20\d{2})(?!\d))?")
_MONTH_YEAR = re.compile(r"(?<![\w.])" + _MONTH + r"\s+(?P<year>1\d{3}|20\d{2})(?!\d)")


def spanish_date(month: str, day: str | None = None, year: str | None = None) -> str:
    """'30 de enero de 2023', '7 de diciembre', 'julio de 2021'."""
    name = MONTHS[month.rstrip(".").lower()]
    parts = [f"{int(day)} de {name}"] if day else [name]
    if year:
        parts.append(f"de {year}")
    return " ".join(parts)


def find(text: str, before: str = "") -> Iterable[tuple[int, int, str]]:
    """(start, end, Spanish) for each date in `text`; `before` is the segment's text ahead of it."""
    taken: list[tuple[int, int]] = []
    for match in _DAY_DATE.finditer(text):
        spanish = spanish_date(match["month"], match["day"], match["year"])
        if match["on"] or _wants_article(before + text[: match.start()]):
            spanish = "el " + spanish
        if match["on"] and match["on"][0] == "O":
            spanish = spanish[0].upper() + spanish[1:]
        taken.append((match.start(), match.end()))
        yield match.start(), match.end(), spanish
    for match in _MONTH_YEAR.finditer(text):
        if not any(start < match.end() and match.start() < end for start, end in taken):
            yield match.start(), match.end(), spanish_date(match["month"], year=match["year"])


_DETERMINERS = {"the", "a", "an", "this", "that", "every", "each", "last", "next"}


def _wants_article(preceding: str) -> bool:
    """Spanish says 'el 7 de diciembre' after a word ('a coup el 7...', 'since el 4...'), but not
    at the start of a segment, after punctuation ('N.Y., 14 de enero') or after a determiner."""
    preceding = preceding.rstrip()
    if not preceding or not preceding[-1].isalnum():
        return False
    return preceding.split()[-1].lower() not in _DETERMINERS


def apply(doc: Document) -> Document:
    """Split English spans of every English segment at dates into protected spans with Spanish replacements."""
    for segment in doc.segments():
        if segment.lang != SOURCE_LANG:
            continue
        spans = split_free(segment.pieces, lambda span, offset: _dates(span, segment.text[:offset]))
        if any(s.reason == REASON for s in spans):
            segment.spans = spans
    return doc


def _dates(span: Span, before: str) -> list[Piece]:
    """The dates in a free span as protected pieces carrying the Spanish date."""
    return [(start, end, Span(span.text[start:end], True, span.lang, REASON, replacement=spanish))
            for start, end, spanish in sorted(find(span.text, before))]
