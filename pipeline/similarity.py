"""How alike two sentences are, as msgmerge and translation memories judge fuzzy matches."""
from __future__ import annotations

from difflib import SequenceMatcher
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


def best_match(text: str, candidates: Iterable[T], threshold: float,
               key: Callable[[T], str] = str) -> tuple[T, float] | None:
    """The candidate whose `key` is most like `text` (difflib ratio ≥ threshold) and its ratio.

    The first candidate wins a tie; cheap upper bounds skip hopeless candidates.
    """
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(text)
    best: tuple[T, float] | None = None
    for candidate in candidates:
        matcher.set_seq1(key(candidate))
        floor = best[1] if best else threshold
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        ratio = matcher.ratio()
        if ratio >= floor and (best is None or ratio > best[1]):
            best = (candidate, ratio)
    return best
