"""Lexical choices over Apertium's bilingual lookup (after ``lrx-proc``, before transfer)."""
from __future__ import annotations

from typing import Sequence


def choose(items: Sequence[str]) -> list[str]:
    """lrx-proc output items (whole sentences) with preferred Spanish words chosen."""
    return list(items)
