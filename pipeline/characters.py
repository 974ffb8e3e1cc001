"""What the pipeline does with characters that are not plain text: controls, separators, invisible ones.

Sources are normalised when read (``normalise_source``), each change noted
with its source line, because these characters break the tools downstream:

- U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR and U+0085 NEXT LINE are
  line breaks to Python's ``str.splitlines`` (polib, pySBD) but not to GNU
  gettext; they are read as a newline.
- C0 controls other than tab and newline (BEL, the U+001C-U+001E separators,
  VT, FF, ...), DEL and the C1 controls are dropped: gettext writes some as
  ``\\a``-style escapes other readers do not know, and a control before
  "1." crashed pySBD's list handling (issue 13, findings 3-5).
- Zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF) between two
  letters or digits are dropped, so an engine sees one word, not two
  (``pro\\u200btesters`` was translated as "testers"); elsewhere they stay.

Bidirectional controls are kept but balanced wherever text is put into HTML
(``balance_bidi``): an embedding, override or isolate left open is closed at
the end of its block, a closer with nothing open is dropped, so one
U+202E RIGHT-TO-LEFT OVERRIDE cannot reverse the rest of a page.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .model import WARNING

LINE_BREAKS = "\u2028\u2029\u0085"
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x84\x86-\x9f]")
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH_IN_WORD = re.compile(rf"(?<=[^\W_])[{ZERO_WIDTH}]+(?=[^\W_])")
_ODD = re.compile(rf"[{LINE_BREAKS}]|{CONTROLS.pattern}|{_ZERO_WIDTH_IN_WORD.pattern}")

BIDI_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",  # LRE RLE LRO RLO
                "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}  # LRI RLI FSI
BIDI_CLOSERS = {"\u202c", "\u2069"}  # PDF, PDI
BIDI_CONTROLS = "".join(BIDI_OPENERS) + "".join(BIDI_CLOSERS) + "\u200e\u200f\u061c"
# Characters a file name may not hold to be a catalog name: a PO reference or header would break on them.
_BAD_NAME = re.compile(rf"[\x00-\x1f\x7f-\x9f{LINE_BREAKS}{ZERO_WIDTH}{BIDI_CONTROLS}]")


@dataclass(frozen=True)
class Note:
    """One change made to a source while reading it."""

    line: int  # 1-based line of the source as it was
    message: str


_CONTROL_NAMES = {0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED",
                  0x1B: "ESCAPE", 0x1C: "FILE SEPARATOR", 0x1D: "GROUP SEPARATOR", 0x1E: "RECORD SEPARATOR",
                  0x1F: "UNIT SEPARATOR", 0x7F: "DELETE", 0x85: "NEXT LINE"}


def describe(char: str) -> str:
    """'U+2028 LINE SEPARATOR', 'U+0007 BELL'."""
    name = _CONTROL_NAMES.get(ord(char)) or unicodedata.name(char, "control character")
    return f"U+{ord(char):04X} {name}"


def normalise_source(text: str) -> tuple[str, list[Note]]:
    """`text` with separators read as newlines and controls and in-word zero-width characters dropped,
    and one note per kind of change per source line."""
    if not _ODD.search(text):
        return text, []
    notes: dict[tuple[int, str], Note] = {}
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    line = 1

    def note(found: re.Match) -> str:
        nonlocal line
        while line < len(starts) and starts[line] <= found.start():
            line += 1
        char = found.group()[0]
        if char in LINE_BREAKS:
            action, replacement = "read as a line break", "\n"
        elif char in ZERO_WIDTH:
            action, replacement = "inside a word dropped", ""
        else:
            action, replacement = "dropped", ""
        message = f"{describe(char)} {action}"
        notes.setdefault((line, message), Note(line, message))
        return replacement

    return _ODD.sub(note, text), list(notes.values())


def catalog_name_problem(name: str) -> str:
    """Why `name` (a source's stem) cannot name a catalog, or ''."""
    if not name or name.startswith("."):
        return "a catalog name cannot be empty or start with '.'"
    found = _BAD_NAME.search(name)
    if found:
        return f"the file name holds {describe(found.group())}, which a catalog name cannot hold"
    return ""


def balance_bidi(text: str) -> str:
    """`text` with every bidi embedding, override or isolate closed by its end, unmatched closers dropped."""
    if not any(c in text for c in BIDI_OPENERS) and not any(c in text for c in BIDI_CLOSERS):
        return text
    out, open_stack = [], []
    for char in text:
        if char in BIDI_OPENERS:
            open_stack.append(BIDI_OPENERS[char])
        elif char in BIDI_CLOSERS:
            if char not in open_stack:
                continue  # nothing of its kind open: dropped
            while open_stack and open_stack[-1] != char:  # an isolate's PDI also closes embeddings inside it
                out.append(open_stack.pop())
            open_stack.pop()
        out.append(char)
    out.extend(reversed(open_stack))
    return "".join(out)


def invisible_characters(text: str) -> list[str]:
    """Descriptions of the zero-width and bidi control characters in `text`, once each, in order."""
    return list(dict.fromkeys(describe(c) for c in text if c in ZERO_WIDTH or c in BIDI_CONTROLS))


def control_characters(text: str) -> list[str]:
    """Descriptions of the control and separator characters in `text` (tab and newline aside)."""
    return list(dict.fromkeys(describe(c) for c in text if CONTROLS.match(c) or c in LINE_BREAKS))


# QA checks (registered with their severity; ``pipeline.qa`` runs them on every translated entry)

def check_invisible(msgid: str, msgstr: str) -> list[str]:
    """Zero-width and bidi control characters a reviewer cannot see, in either string."""
    found = invisible_characters(msgid + msgstr)
    return [f"invisible character {', '.join(found)}: it can split a word or reorder the text"] if found else []


def check_controls(msgid: str, msgstr: str) -> list[str]:
    """Control and separator characters (only an outside edit can bring them in: sources are normalised)."""
    found = control_characters(msgid + msgstr)
    return [f"control character {', '.join(found)}"] if found else []


CHARACTER_CHECKS = [("invisible-characters", WARNING, check_invisible),
                    ("control-characters", WARNING, check_controls)]
