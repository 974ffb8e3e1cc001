"""The checks GNU ``msgfmt -c`` makes, as QA errors, so a catalog `msgfmt` rejects never passes ``qa`` or ``check``.

``msgfmt -c`` (``--check``) rejects a catalog whose header is malformed
(``Plural-Forms`` that does not parse, ``Content-Type`` without a charset) and
entries whose msgid and msgstr disagree on a leading or trailing newline, or
whose ``c-format``/``python-format`` directives differ (``--check-format``).
Before these checks a run exited 0, ``qa`` said nothing and ``check`` passed on
such a file (issue 13, finding 8). Each check is registered with its severity
in :data:`CATALOG_CHECKS` (the header) or :data:`ENTRY_CHECKS` (one entry);
``pipeline.qa`` runs both after its own checks.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

import polib

from .model import ERROR

# --- the header ------------------------------------------------------------------------------------

_LANGUAGE = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2}|_[A-Z][a-z]{3})?(?:@[a-z]+)?")
_CONTENT_TYPE = re.compile(r"text/plain;\s*charset=([-\w.:]+)", re.IGNORECASE)
_PLURAL_FORMS = re.compile(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*")


def check_content_type(po: polib.POFile) -> Iterable[str]:
    value = po.metadata.get("Content-Type")
    if value is None:
        yield "header has no Content-Type (msgfmt needs 'text/plain; charset=UTF-8')"
        return
    found = _CONTENT_TYPE.fullmatch(value.strip())
    if not found:
        yield f"Content-Type {value!r} is not 'text/plain; charset=...'"
    elif found.group(1).upper() not in ("UTF-8", "UTF8"):
        yield f"charset {found.group(1)!r}: the pipeline reads and writes UTF-8 only"


def check_language(po: polib.POFile) -> Iterable[str]:
    value = po.metadata.get("Language")
    if value is None or not value.strip():
        yield "header has no Language (msgfmt and Poedit need it for plural forms)"
    elif not _LANGUAGE.fullmatch(value.strip()):
        yield f"Language {value!r} is not a language code like 'es' or 'es_MX'"


def check_plural_forms(po: polib.POFile) -> Iterable[str]:
    value = po.metadata.get("Plural-Forms")
    if value is None:
        if any(entry.msgid_plural for entry in po):
            yield "header has no Plural-Forms, but entries have plurals"
        return
    found = _PLURAL_FORMS.fullmatch(value)
    if not found:
        yield f"Plural-Forms {value!r} is not 'nplurals=N; plural=EXPRESSION;'"
        return
    if int(found.group(1)) < 1:
        yield "Plural-Forms: nplurals must be at least 1"
    problem = plural_expression_problem(found.group(2))
    if problem:
        yield f"Plural-Forms: plural={found.group(2)!r} does not parse: {problem}"


# The grammar of gettext's plural expressions (C without assignments): the lowest precedence first.
_TOKEN = re.compile(r"\s*(?:(\d+)|(n)|(\|\||&&|==|!=|<=|>=|[-+*/%<>!?:()]))")
_BINARY = [("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%")]


def plural_expression_problem(expression: str) -> str:
    """Why `expression` is not a gettext plural expression, or ''."""
    tokens, at = [], 0
    while at < len(expression.rstrip()):
        found = _TOKEN.match(expression, at)
        if not found or found.end() == at:
            return f"unexpected {expression[at:].strip()[:10]!r}"
        tokens.append(found.group(found.lastindex or 0))  # every alternative of _TOKEN is a group
        at = found.end()
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take(expected: str | None = None) -> str:
        nonlocal position
        token = peek()
        if token is None or (expected is not None and token != expected):
            raise ValueError(f"expected {expected or 'a value'}, found {token or 'the end'}")
        position += 1
        return token

    def conditional() -> None:
        binary(0)
        if peek() == "?":
            take("?")
            conditional()
            take(":")
            conditional()

    def binary(level: int) -> None:
        if level == len(_BINARY):
            unary()
            return
        binary(level + 1)
        while peek() in _BINARY[level]:
            take()
            binary(level + 1)

    def unary() -> None:
        token = peek()
        if token == "!":
            take()
            unary()
        elif token == "(":
            take("(")
            conditional()
            take(")")
        elif token is not None and (token == "n" or token.isdigit()):
            take()
        else:
            raise ValueError(f"expected n, a number or '(', found {token or 'the end'}")

    try:
        conditional()
        if peek() is not None:
            raise ValueError(f"unexpected {peek()!r}")
    except ValueError as exc:
        return str(exc)
    return ""


CatalogCheck = Callable[[polib.POFile], Iterable[str]]
CATALOG_CHECKS: list[tuple[str, str, CatalogCheck]] = [
    ("header-content-type", ERROR, check_content_type),
    ("header-language", ERROR, check_language),
    ("header-plural-forms", ERROR, check_plural_forms),
]

# --- entries ---------------------------------------------------------------------------------------


def _strings(entry: polib.POEntry) -> tuple[list[str], list[str]]:
    """The entry's source strings and its translations (plural forms included)."""
    if entry.msgid_plural:
        return [entry.msgid, entry.msgid_plural], [s for _, s in sorted(entry.msgstr_plural.items()) if s]
    return [entry.msgid], [entry.msgstr] if entry.msgstr else []


def check_newlines(entry: polib.POEntry) -> Iterable[str]:
    sources, translations = _strings(entry)
    for where, test in (("begin", str.startswith), ("end", str.endswith)):
        if test(sources[0], "\n") and not all(test(t, "\n") for t in translations):
            yield f"msgid and msgstr do not both {where} with a newline (msgfmt -c rejects this)"
        elif not test(sources[0], "\n") and any(test(t, "\n") for t in translations):
            yield f"msgstr {where}s with a newline where the msgid does not (msgfmt -c rejects this)"


_C_DIRECTIVE = re.compile(r"%(?:\d+\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn%]")
_PYTHON_DIRECTIVE = re.compile(r"%(?:\(\w+\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


def check_format(entry: polib.POEntry) -> Iterable[str]:
    for flag, pattern in (("c-format", _C_DIRECTIVE), ("python-format", _PYTHON_DIRECTIVE)):
        if flag not in entry.flags:
            continue
        sources, translations = _strings(entry)
        wanted = sorted(d for d in pattern.findall(sources[0]) if d != "%%")
        for translation in translations:
            offered = sorted(d for d in pattern.findall(translation) if d != "%%")
            if offered != wanted:
                yield f"{flag} directives {' '.join(offered) or 'none'} do not match the msgid's {' '.join(wanted) or 'none'}"


EntryCheck = Callable[[polib.POEntry], Iterable[str]]
ENTRY_CHECKS: list[tuple[str, str, EntryCheck]] = [
    ("newlines", ERROR, check_newlines),
    ("format", ERROR, check_format),
]


def header_line(po: polib.POFile) -> int:
    """The line of the header entry (msgid "") in the file, 1 when it cannot be told."""
    entry = po.metadata_entry() if hasattr(po, "metadata_entry") else None
    return getattr(entry, "linenum", 0) or 1
