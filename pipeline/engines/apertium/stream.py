"""Walking Apertium's stream between pipe stages: the lexical units next to an item.

The repairs in apertium.py and the rule modules all read the same items: lexical
units ``^..$``, superblanks ``[..]``, plain blanks and other text (quotes, brackets).
"""
from __future__ import annotations

from typing import Sequence


def neighbour(items: Sequence[str], index: int | None, step: int) -> int | None:
    """Index of the nearest lexical unit before (step -1) or after (step 1) items[index], across plain
    blanks only: None at a superblank, at other text or past the edge (and for index None)."""
    if index is None:
        return None
    index += step
    while 0 <= index < len(items):
        item = items[index]
        if item.startswith("^"):
            return index
        if item.startswith("[") or item.strip(" "):
            return None
        index += step
    return None
