"""Reading and writing PO files, and nothing else: what entries mean is in ``conventions``.

Files are read with polib, after a syntax check of our own, because polib
accepts some files GNU gettext rejects (a comment inside an entry, a string
outside any entry) and a translator should hear about those with a file and
line before anything is written. Files are written in GNU gettext's layout
(wrapped at ``PO_WRAP_WIDTH`` = 79 columns like msgmerge, breaking after
spaces, hyphens and slashes; 0 disables wrapping), header first, then active
entries, then obsolete ones, so a file the pipeline writes is the file msgcat
would write and a re-run on unchanged input changes no byte.

Both directions stream, entry by entry (issue 13, finding 9: a 30 MB source peaked at 725 MB of RSS,
~270 MB of it in saving and reading back its catalog). ``po_chunks`` yields the file's text one entry
at a time (``po_text`` is their join, the same bytes), so a writer never holds the whole text, and
``iter_po`` hands polib's entries to the caller one at a time over lines split lazily, where
``parse_po`` keeps the POFile (``parse_po`` of a 30 MB source's PO, 17.5 MB in 586,000 lines, added
127 MB of RSS: polib's entries and the list of lines). Parsed either way, a file gets the same checks.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from pathlib import Path
from typing import Callable, Iterable, Iterator

import polib

from ..config import PO_WRAP_WIDTH
from ..errors import InputError
from ..files import Snapshot, decode_lines, decode_text, holds_nothing, read_bytes, read_parsed, split_lines

Key = tuple[str | None, str]  # (msgctxt, msgid): what identifies an entry


# Reading

_STRING = r'"(?:[^"\\]|\\.)*"'
_LINE = re.compile(rf'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*')


def read_po(path: Path) -> polib.POFile:
    """The PO (or POT) file at `path`, parsed by polib.

    Raises InputError naming the file and line for a syntax error polib or
    GNU gettext would reject (unterminated string, stray text, duplicate entry).
    A file caught half-saved by an editor is read again (``files.read_settled``).
    A file that holds nothing (empty, or only whitespace or NUL bytes: what a crash leaves of a catalog
    created without an fsync, ``files.holds_nothing``) is a catalog of no entries, as msgcat reads it.
    """
    return read_po_snapshot(path)[0]


def read_po_snapshot(path: Path) -> tuple[polib.POFile, Snapshot]:
    """The PO file at `path` and the Snapshot of exactly the bytes parsed, for compare-before-replace."""
    path = Path(path)

    def parse(raw: bytes) -> tuple[polib.POFile, Snapshot]:
        if holds_nothing(raw):  # as msgcat, polib and Babel read an empty file: a catalog of no entries
            po = polib.POFile()
            po.fpath = str(path)
            return po, Snapshot.of(path, raw)
        return parse_po(decode_text(raw, path), path), Snapshot.of(path, raw)

    return read_parsed(path, parse)


def parse_po(text: str, path: Path) -> polib.POFile:
    """Parse the text of a PO file read from `path` (named in errors)."""
    po = _parse(lambda: split_lines(text), path, polib.POFile)
    po.fpath = str(path)
    return po


def iter_po(raw: bytes | str, path: Path, take: Callable[[polib.POEntry], None]) -> polib.POFile:
    """Parse the bytes (or text) of a PO file read from `path` like ``parse_po``, giving each entry but the
    header to `take` as soon as it is read instead of keeping it: the POFile returned holds the
    header, header comments and metadata only. Every check of ``parse_po`` is made, the syntax
    check before the first entry is given; a duplicate entry raises InputError when it is reached.
    The bytes are decoded a line at a time (``files.decode_lines``), never into one text."""
    def streaming(**options) -> polib.POFile:
        return _StreamingPOFile(take, **options)
    lines = decode_lines(raw, path) if isinstance(raw, bytes) else lambda: split_lines(raw)
    po = _parse(lines, path, streaming)
    po.fpath = str(path)
    return po


class _StreamingPOFile(polib.POFile):
    """A POFile that keeps only its header entry (the first active one with an empty msgid, the one
    polib takes as the header at the end of a parse) and hands every other entry on as polib appends it."""

    def __init__(self, take: Callable[[polib.POEntry], None], **options) -> None:
        super().__init__(**options)
        self._take, self._header_seen = take, False

    def append(self, entry: polib.POEntry) -> None:
        if not self._header_seen and entry.msgid == "" and not entry.obsolete:
            self._header_seen = True
            super().append(entry)
        else:
            self._take(entry)


def _parse(lines: Callable[[], Iterator[str]], path: Path, klass) -> polib.POFile:
    """polib's parse of the file's `lines` (a maker of them: read twice) with our syntax and duplicate
    checks, entries appended to a `klass`."""
    _check_syntax(lines(), path)
    seen: dict[bytes, int] = {}  # by key_digest: a streamed file's msgids are not all kept for this
    header: list[polib.POEntry] = []  # polib's header: the first active entry with an empty msgid

    def check_duplicate(entry: polib.POEntry) -> None:
        if entry.obsolete:
            return
        if not header and entry.msgid == "":
            header.append(entry)
            return
        key = key_digest(entry.msgctxt, entry.msgid)
        if key in seen:
            raise InputError(f"duplicate entry for msgid {entry.msgid[:40]!r} (first at line {seen[key]})",
                             path, entry.linenum)
        seen[key] = entry.linenum

    def checked(**options) -> polib.POFile:
        po = klass(**options)
        append = po.append

        def checking_append(entry: polib.POEntry) -> None:
            check_duplicate(entry)
            append(entry)
        po.append = checking_append  # the instance's own: polib's parser appends every entry it reads
        return po

    try:
        po = _polib_parse(lines(), checked)
    except (OSError, ValueError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise InputError(f"PO syntax error: {exc}".split(" in po file")[0], path,
                         int(found.group(1)) if found else None) from None
    del po.append  # polib's own again
    return po


def key_digest(msgctxt: str | None, msgid: str) -> bytes:
    """A 16-byte BLAKE2 digest standing for the key (msgctxt, msgid): no context and an empty one differ."""
    context = "\x00" if msgctxt is None else msgctxt + "\x04"  # \x04: gettext's own context separator
    return hashlib.blake2b((context + msgid).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _polib_parse(lines: Iterator[str], klass=polib.POFile) -> polib.POFile:
    """polib's parser over the file's lines, split at newlines only.

    ``polib.pofile(text)`` splits a string with ``str.splitlines``, which also
    breaks at U+2028, U+2029, U+0085, U+001C-U+001E, VT and FF; GNU gettext,
    and polib itself reading from a path, break lines at newline only, so a
    catalog holding those characters read as a syntax error (issue 13, finding 3).
    The lines are made one at a time (and GNU gettext's escapes polib does not know
    replaced in each), never held as a list.
    """
    parser = polib._POFileParser("", encoding="utf-8", check_for_duplicates=False, klass=klass)
    parser.fhandle = _gettext_escapes(lines)
    po = parser.parse()
    po.wrapwidth = PO_WRAP_WIDTH
    return po


# GNU gettext's escapes polib does not know: \a, octal \ooo and hex \xhh, inside quoted strings.
_STRING_LINE = re.compile(r'^\s*(?:#[~|]\s*)*(?:msg\w*(?:\[\d+\])?\s+)?"')
_UNKNOWN_ESCAPE = re.compile(r'\\(\\|a|[0-7]{1,3}|x[0-9A-Fa-f]{1,2})')


def _gettext_escapes(lines: Iterable[str]) -> Iterator[str]:
    """The lines with the escapes polib would leave as backslash + letter replaced by their character
    (raw, which polib then reads as it is), so BEL written as ``\a`` reads back as BEL."""
    for line in lines:
        if "\\" in line and _STRING_LINE.match(line):
            line = _UNKNOWN_ESCAPE.sub(_unescape_one, line)
        yield line


def _unescape_one(found: re.Match) -> str:
    code = found.group(1)
    if code == "\\":
        return "\\\\"  # an escaped backslash stays escaped for polib
    if code == "a":
        return "\a"
    value = int(code[1:], 16) if code.startswith("x") else int(code, 8)
    char = chr(value)
    return {"\n": "\\n", "\t": "\\t", "\r": "\\r", '"': '\\"', "\\": "\\\\"}.get(char, char)


# What may follow each kind of line within one entry: msgctxt → msgid → [msgid_plural] → msgstr(s).
_FOLLOWS = {"start": {"msgctxt", "msgid"}, "msgctxt": {"msgid", "string"},
            "msgid": {"msgid_plural", "msgstr", "string"}, "msgid_plural": {"msgstr[]", "string"}, "msgstr": {"string"}, "msgstr[]": {"msgstr[]", "string"},
            "string": set()}


def _check_syntax(lines: Iterable[str], path: Path) -> None:
    """Raise InputError at the first line that breaks the PO grammar (polib accepts some of these)."""
    keyword_state = "start"
    number = 0
    for number, line in enumerate(lines, 1):
        body = line.strip()
        if body.startswith("#~") and not body.startswith("#~|"):
            body = body[2:].strip()  # an obsolete entry's line
        elif body.startswith("#") or not body:
            if body and keyword_state not in ("start", "msgstr", "msgstr[]"):
                raise InputError("PO syntax error: comment inside an entry, before its msgstr", path, number)
            if keyword_state in ("msgstr", "msgstr[]"):
                keyword_state = "start"
            continue
        if not _LINE.fullmatch(body):
            raise InputError(f"PO syntax error: {_describe(body)}", path, number)
        keyword = "string" if body.startswith('"') else body.split(None, 1)[0]
        keyword = "msgstr[]" if keyword.startswith("msgstr[") else keyword
        if keyword in ("msgctxt", "msgid") and keyword_state in ("msgstr", "msgstr[]"):
            keyword_state = "start"  # the next entry starts without a blank line
        if keyword != "string" and keyword not in _FOLLOWS[keyword_state]:
            expected = " or ".join(sorted(k for k in _FOLLOWS[keyword_state] if k != "string"))
            raise InputError(f"PO syntax error: {keyword} where {expected} was expected", path, number)
        if keyword == "string" and keyword_state == "start":
            raise InputError("PO syntax error: a string outside any entry", path, number)
        if keyword != "string":
            keyword_state = keyword
    if keyword_state not in ("start", "msgstr", "msgstr[]"):
        raise InputError("PO syntax error: the last entry has no msgstr", path, number)


def _describe(line: str) -> str:
    """What is wrong with a PO line, in a few words."""
    if '"' in line and not re.search(rf'{_STRING}\s*$', line):
        return "unterminated string"
    return f"unexpected text {line[:30]!r}"


# Writing, in GNU gettext's layout

def po_text(po: polib.POFile, wrap: int = PO_WRAP_WIDTH) -> str:
    """The PO file as GNU gettext writes it: header, active entries, then obsolete ones.

    Strings are wrapped at `wrap` columns (0 or less: only at embedded newlines).
    """
    return "".join(po_chunks(po, po, wrap))


def po_chunks(header: polib.POFile, entries: Iterable[polib.POEntry], wrap: int = PO_WRAP_WIDTH,
              obsolete: Iterable[polib.POEntry] = ()) -> Iterator[str]:
    """The text of ``po_text`` in pieces, one per entry: the header block of `header` (its header
    comments, fuzzy mark and metadata), the active entries of `entries`, then the obsolete ones of
    `entries` followed by those of `obsolete`. `entries` is read once; its obsolete entries are
    held until the active ones are written (a catalog has few)."""
    yield header_block(header, wrap)
    later = []
    for entry in entries:
        if entry.obsolete:
            later.append(entry)
        else:
            yield "\n" + entry_block(entry, wrap)
    for entry in (*later, *obsolete):
        yield "\n" + entry_block(entry, wrap)


def header_block(po: polib.POFile, wrap: int = PO_WRAP_WIDTH) -> str:
    """The header entry's text: header comments, fuzzy mark, metadata."""
    lines = [f"# {line}" if line else "#" for line in po.header.split("\n")] if po.header else []
    if po.metadata_is_fuzzy:
        lines.append("#, fuzzy")
    lines += _field("", "msgid", "", wrap)
    lines += _field("", "msgstr", "".join(f"{k}: {v}\n" for k, v in po.metadata.items()), wrap)
    return "\n".join(lines) + "\n"


def entry_block(entry: polib.POEntry, wrap: int = PO_WRAP_WIDTH) -> str:
    """One entry's text as GNU gettext writes it, ending in a newline."""
    lines = [f"# {line}" if line else "#" for line in entry.tcomment.split("\n")] if entry.tcomment else []
    lines += [f"#. {line}" if line else "#." for line in entry.comment.split("\n")] if entry.comment else []
    if entry.occurrences and not entry.obsolete:
        lines += _references([f"{path}:{line}" if line else path for path, line in entry.occurrences], wrap)
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    prefix = "#~ " if entry.obsolete else ""
    if not entry.obsolete:
        if entry.previous_msgctxt is not None:
            lines += _field("#| ", "msgctxt", entry.previous_msgctxt, wrap)
        if entry.previous_msgid is not None:
            lines += _field("#| ", "msgid", entry.previous_msgid, wrap)
    if entry.msgctxt is not None:
        lines += _field(prefix, "msgctxt", entry.msgctxt, wrap)
    lines += _field(prefix, "msgid", entry.msgid, wrap)
    if entry.msgid_plural:
        lines += _field(prefix, "msgid_plural", entry.msgid_plural, wrap)
        for index in sorted(entry.msgstr_plural):
            lines += _field(prefix, f"msgstr[{index}]", entry.msgstr_plural[index], wrap)
    else:
        lines += _field(prefix, "msgstr", entry.msgstr, wrap)
    return "\n".join(lines) + "\n"


def _references(refs: list[str], wrap: int) -> list[str]:
    lines, current = [], ""
    for ref in refs:
        if current and wrap > 0 and len(current) + 1 + len(ref) > wrap:
            lines.append(current)
            current = ""
        current = f"{current} {ref}" if current else f"#: {ref}"
    return lines + [current]


# BEL is written as it is, not as gettext's \\a: polib reads \\a as backslash + "a" (finding 5); raw, every
# reader (polib, msgfmt, ours) gets BEL back. The reader still takes \\a in files others wrote as gettext does.
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b",
            "\f": "\\f", "\v": "\\v"}
_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")


def _field(prefix: str, keyword: str, text: str, wrap: int) -> list[str]:
    """Lines for `keyword "text"` as gettext wraps them: one line if it fits, else `keyword ""` and chunks."""
    pieces = ([p for p in _AFTER_NEWLINE.split(text) if p] or [""]) if "\n" in text else [text]
    escaped = [_ESCAPE.sub(_escape_one, piece) if _ESCAPE.search(piece) else piece for piece in pieces]
    head = f'{prefix}{keyword} "{escaped[0]}"'
    if len(escaped) == 1 and (wrap <= 0 or len(head) <= wrap):
        return [head]
    lines = [f'{prefix}{keyword} ""']
    room = wrap - len(prefix) - 2
    for piece in escaped:
        for chunk in _chunks(piece, room) if wrap > 0 else [piece]:
            lines.append(f'{prefix}"{chunk}"')
    return lines


_AFTER_NEWLINE = re.compile(r"(?<=\n)")


def _escape_one(found: re.Match) -> str:
    return _ESCAPES[found.group()]


_BREAK_AFTER = re.compile(r" +(?=[^ ,.;:!?)\]}/])|[-/](?=[^\W\d_])")  # Unicode line-break rules, simplified


def _chunks(text: str, room: int) -> list[str]:
    """Split an escaped string after spaces, hyphens or slashes so that each chunk fits in `room`."""
    if len(text) <= room:  # most lines of a header, and short sentences: no break to look for
        return [text] if text else []
    breaks = [m.end() for m in _BREAK_AFTER.finditer(text)] + [len(text)]
    chunks, start = [], 0
    while start < len(text):
        last = bisect.bisect_right(breaks, start + room) - 1  # the furthest break that fits
        end = breaks[last] if last >= 0 and breaks[last] > start else breaks[bisect.bisect_right(breaks, start)]
        chunks.append(text[start:end])
        start = end
    return chunks
