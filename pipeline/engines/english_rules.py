"""English-side edits to Apertium's tagged stream (after ``apertium-tagger``, before transfer).

Each unit is ``^lemma<tags>$`` with the tagger's one reading. Edits here give the
transfer English it translates better (e.g. an article Spanish needs that English leaves out).
"""
from __future__ import annotations

from typing import Sequence


def edit_tagged(items: Sequence[str]) -> list[str]:
    """Tagged stream items (whole sentences) with the English-side edits applied."""
    return list(items)
