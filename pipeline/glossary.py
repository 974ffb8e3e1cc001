"""The project glossary: English terms with the Spanish a translation must use.

``locales/glossary.csv`` has a header row and the columns English term,
Spanish term, note. :func:`apply` marks each occurrence of an English term in
a segment as a protected span whose output is the Spanish term, so an engine
is steered to it; :func:`find` is how the QA check finds the same occurrences.

Matching is whole-word and case-aware: a term written in lower case also
matches its capitalised and upper-case forms (sentence start, headlines) and
the Spanish term takes the same case; a term with capitals (a name, an
acronym) matches only as written.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .errors import InputError
from .files import read_text
from .model import GLOSSARY, TARGET_LANG, Document, Span
from .spans import Piece, split_free

GLOSSARY_FILE = "glossary.csv"
REASON = GLOSSARY
_HEADER_WORDS = {"english", "en", "source", "term", "english term"}


@dataclass(frozen=True)
class Term:
    """One glossary row: the English term, the Spanish the translation must use, a note."""

    english: str
    spanish: str
    note: str = ""
    line: int = 0  # line in glossary.csv, for messages

    @property
    def case_sensitive(self) -> bool:
        """Terms with capitals (names, acronyms) match only as written."""
        return self.english != self.english.lower()


@dataclass(frozen=True)
class Occurrence:
    """Where a term occurs in a text, and the Spanish it stands for there."""

    start: int
    end: int
    term: Term

    def spanish(self, text: str) -> str:
        """The Spanish term in the case of the English occurrence."""
        return match_case(text[self.start:self.end], self.term)


def load(locales: Path) -> list[Term]:
    """Terms from LOCALES/glossary.csv; [] when there is no such file.

    Raises InputError (file and line) for a row without an English or Spanish term,
    or an English term listed twice with different Spanish.
    """
    path = Path(locales) / GLOSSARY_FILE
    if not path.exists():
        return []
    return parse(read_text(path), path)


def parse(text: str, path: Path | str = GLOSSARY_FILE) -> list[Term]:
    """Terms from the text of a glossary CSV file (header row first)."""
    terms: dict[str, Term] = {}
    reader = csv.reader(io.StringIO(text))
    for row in reader:
        line = reader.line_num
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if line == 1 and cells[0].lower() in _HEADER_WORDS:
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise InputError("glossary row needs an English term and a Spanish term", path, line)
        term = Term(cells[0], cells[1], cells[2] if len(cells) > 2 else "", line)
        earlier = terms.get(term.english)
        if earlier and earlier.spanish != term.spanish:
            raise InputError(f"term {term.english!r} already has Spanish {earlier.spanish!r} "
                             f"(line {earlier.line})", path, line)
        terms.setdefault(term.english, term)
    return list(terms.values())


def find(text: str, terms: Sequence[Term]) -> list[Occurrence]:
    """Whole-word occurrences of the terms in `text`, longest term first where they overlap."""
    found: list[Occurrence] = []
    taken = [False] * len(text)
    for term in sorted(terms, key=lambda t: -len(t.english)):
        for match in _pattern(term).finditer(text):
            if any(taken[match.start():match.end()]):
                continue
            if not term.case_sensitive and not _case_allowed(match.group()):
                continue
            taken[match.start():match.end()] = [True] * (match.end() - match.start())
            found.append(Occurrence(match.start(), match.end(), term))
    return sorted(found, key=lambda o: o.start)


def apply(doc: Document, terms: Sequence[Term]) -> Document:
    """Split unprotected English spans at glossary terms into protected spans (reason "glossary")
    whose replacement is the Spanish term; returns doc."""
    if not terms:
        return doc
    for segment in doc.segments():
        if segment.lang == TARGET_LANG:
            continue
        segment.spans = split_free(segment.pieces, lambda span, offset: _terms_in(span, terms))
    return doc


def _terms_in(span: Span, terms: Sequence[Term]) -> list[Piece]:
    """The glossary terms in a free span as protected pieces whose replacement is the Spanish term."""
    return [(found.start, found.end, Span(span.text[found.start:found.end], True, span.lang, REASON,
                                          replacement=found.spanish(span.text)))
            for found in find(span.text, terms)]


def match_case(found: str, term: Term) -> str:
    """The Spanish term cased like the English text found: as written, Capitalised or UPPER."""
    if term.case_sensitive or found == term.english:
        return term.spanish
    if found.isupper() and len(found) > 1:
        return term.spanish.upper()
    if found[:1].isupper():
        return term.spanish[:1].upper() + term.spanish[1:]
    return term.spanish


def contains_spanish(translation: str, term: Term) -> bool:
    """True when the translation uses the term's Spanish (any case, plural endings allowed:
    "golpes de Estado" uses "golpe de Estado")."""
    plural = r"(?:e?s)?"
    pattern = r"(?<![\w-])" + r"\s+".join(re.escape(w) + plural for w in term.spanish.split()) + r"(?![\w-])"
    return re.search(pattern, translation, re.IGNORECASE) is not None


def _pattern(term: Term) -> re.Pattern:
    flags = 0 if term.case_sensitive else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + _words(term.english) + r"(?![\w-])", flags)


def _words(phrase: str) -> str:
    """A regex for the phrase with any run of whitespace between its words."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


def _case_allowed(found: str) -> bool:
    """A lower-case term matches lower case, UPPER case, or words each Capitalised (title case)."""
    return found.isupper() or all(word[1:] == word[1:].lower() for word in found.split())
