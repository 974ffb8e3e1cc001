"""Apertium's stream between pipe programs: parsing it into items, reading lexical units, walking neighbours.

Every repair step reads the same items: lexical units ``^..$`` (or chunks
``^name<tags>{^..$ ^..$}$`` between transfer stages), superblanks ``[..]`` (markup
and kept spans), escaped characters, and plain blank text (spaces, quotes,
brackets). The pipe hands a step its input in arbitrary pieces; :func:`pieces`
cuts it only between complete items, and :class:`Sentences` holds items back
until a sentence ends, so where the pipe cuts never changes what a step sees.
"""
from __future__ import annotations

import codecs
import re
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Sequence

# Lexical units ^..$, plain blank text, chunks ^name<tags>{^..$ ^..$}$, superblanks [..] (also [[..]]
# and [{..}]), escaped characters; a lone "[", "^" or "\" is an item not complete yet.
#
# Written for speed (every in-pipe program splits the whole stream): each run of characters and
# escapes is "unrolled", [^X\\]*(?:\\.[^X\\]*)*, not (?:\\.|[^X\\])*, which tries an alternation per
# character; and the commonest items come first. 0.24 s -> 0.04 s for the 4 MB the lexical-choices
# step reads on FLORES x4 (benchmarks/engine_speed.py), with the same items: a run matches the same
# text either way (an escape or one character of the class at a time, greedy, and only the longest run
# can be followed by the closing character), and the order of the branches that can start at one
# character is kept ("[[" before "[" before a lone "["), but for the unit and the chunk, of which only
# one can match (what follows the run of the name and tags is "$" or "{").
STREAM = re.compile(
    r"\^[^{$\\]*(?:\\.[^{$\\]*)*\$"  # no "{": half a chunk that has arrived is not a lexical unit
    r"|[^\[\^\\]+"
    r"|\^[^{$\\]*(?:\\.[^{$\\]*)*\{[^}\\]*(?:\\.[^}\\]*)*\}\$"
    r"|\[\[[^\]\\]*(?:\\.[^\]\\]*)*\]\]"
    r"|\[[^\]\\]*(?:\\.[^\]\\]*)*\]"
    r"|\\."
    r"|[\[\^\\]",
    re.DOTALL,
)
_LEMMA = re.compile(r"\^((?:\\.|[^<{$\\])*)")
_READING_SEPARATOR = re.compile(r"(?<!\\)/")
_WORD_CHARACTER = re.compile(r"\w")
_ESCAPED = re.compile(r"\\(.)")
_TAG_OR_SPACE = re.compile(r"<[^>]*>|\s")
_INCOMPLETE = ("[", "^", "\\")


def items(stream: str) -> list[str]:
    """The items of a (complete) piece of stream, in order; joined they give the stream back."""
    return STREAM.findall(stream)


def pieces(chunks: Iterable[bytes]) -> Iterator[tuple[list[str], str]]:
    """The stream as (complete items, the item after them) as its bytes arrive; the last lookahead is ""."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    pending = ""
    for chunk in chunks:
        pending += decoder.decode(chunk)
        found = STREAM.findall(pending)
        opened = _first_open(found)
        # the lookahead (found[keep]) must be complete too: it comes before anything open or last
        keep = max(0, min(len(found) if opened is None else opened - 1, len(found) - 2))
        if keep:
            yield found[:keep], found[keep]
            pending = "".join(found[keep:])
    pending += decoder.decode(b"", final=True)
    if pending:
        yield STREAM.findall(pending), ""


def _first_open(found: list[str]) -> int | None:
    """Index of the first item not complete yet (a lone "[", "^" or "\\"), or None."""
    # list.index compares in C: a comprehension over every item cost as much as the split itself
    found_at = []
    for marker in _INCOMPLETE:
        try:
            found_at.append(found.index(marker))
        except ValueError:
            pass
    return min(found_at) if found_at else None


def lemma(unit: str) -> str:
    """The lemma of a lexical unit or chunk ``^lemma<tags>...$`` (an analyser unit: its surface form)."""
    found = _LEMMA.match(unit)
    return found.group(1) if found else unit  # not a lexical unit: the text itself


def readings(unit: str) -> list[str]:
    """The analyses of an analyser unit ``^form/reading/reading$`` (form excluded)."""
    return _READING_SEPARATOR.split(unit[1:-1])[1:]


@lru_cache(maxsize=1 << 16)  # asked of every unit after postchunk, twice: the same few thousand units recur
def is_word(unit: str) -> bool:
    """True when a lexical unit's lemma has a letter or digit (not punctuation)."""
    return bool(_WORD_CHARACTER.search(lemma(unit)))


def has_text(blank: str) -> bool:
    """True when a superblank carries text (a kept span, an entity), not just tags and spaces."""
    inner = _ESCAPED.sub(r"\1", blank.strip("[]{}"))
    return bool(_TAG_OR_SPACE.sub("", inner))


def neighbour(found: Sequence[str], index: int | None, step: int) -> int | None:
    """Index of the nearest lexical unit before (step -1) or after (step 1) found[index], across plain
    blanks only: None at a superblank, at other text or past the edge (and for index None)."""
    # the rule modules call this a quarter of a million times on FLORES devtest: the loop is kept bare
    if index is None:
        return None
    index += step
    end = len(found)
    while 0 <= index < end:
        item = found[index]
        first = item[:1]
        if first == "^":
            return index
        if first == "[" or item.strip(" "):
            return None
        index += step
    return None


def next_unit(found: Sequence[str], index: int, step: int) -> str:
    """The nearest lexical unit before or after found[index] (see :func:`neighbour`), or ""."""
    at = neighbour(found, index, step)
    return "" if at is None else found[at]


class Sentences:
    """Holds stream items back until a sentence ends, so fixes see whole sentences.

    `fix` takes a complete run of items and returns it repaired; `__call__` returns
    the items ready to go on, and `final=True` lets everything out. A run is cut only
    right after a sentence end (a ``<sent>`` unit), once the item after it has arrived,
    and only where the next run starts as the next sentence does: at a lexical unit or a
    superblank, or after blanks of spaces alone, which go with the sentence before. A
    sentence end with other text after it (a closing quote, "| `") is no cut: the quote
    belongs to the sentence before (quote_punctuation moves the period after it), and
    the next sentence does not start at a word (subject_articles). So where the pipe
    cuts the stream does not change what the fixes see. (Cutting at superblanks too, and
    after any blank, let a run start mid-sentence or at a word after such text, and the
    output changed with the pipe's timing: 4 of 2,135 lines of this project's docs.)
    """

    def __init__(self, fix: Callable[[list[str]], list[str]]):
        self.fix = fix
        self.pending: list[str] = []

    def __call__(self, found: Sequence[str], final: bool = False) -> list[str]:
        self.pending += found
        if final:
            cut = len(self.pending)
        else:
            cut = 0
            for end in range(len(self.pending) - 2, -1, -1):  # the last cut with an item after its end
                item = self.pending[end]
                if not (item.startswith("^") and "<sent>" in item):
                    continue
                after = self.pending[end + 1]
                if after.startswith(("^", "[")):
                    cut = end + 1
                elif not after.strip():
                    cut = end + 2
                else:
                    continue
                break
        ready, self.pending = self.pending[:cut], self.pending[cut:]
        return self.fix(ready) if ready else []
