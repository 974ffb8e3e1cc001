"""Spanish-side edits to Apertium's postchunk stream (Spanish lexical units, before generation)."""
from __future__ import annotations

from typing import Sequence


def edit_postchunk(items: Sequence[str]) -> list[str]:
    """Postchunk stream items (whole sentences) with the Spanish-side edits applied."""
    return list(items)
