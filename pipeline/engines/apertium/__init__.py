"""The Apertium engine: English to Spanish through the eng-spa pair, with repair steps in its pipe.

- engine.py: :class:`ApertiumEngine` (batching, HTML in and out, output fixes, pivot second opinions);
- process.py: the one place that runs apertium, and the mode files;
- steps.py: STEPS, the registry of repair steps (where each runs in the pipe, what it fixes);
- stream.py: the Apertium stream parser the steps read;
- repairs.py, english_rules.py, lexical_choice.py (+ .tsv), spanish_rules.py, unknown_words.py,
  text_fixes.py: the steps themselves; consensus.py: choosing among pivot candidates;
- __main__.py: the in-pipe program, ``python -m pipeline.engines.apertium STEP,STEP ...``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import ApertiumEngine

__all__ = ["ApertiumEngine"]


def __getattr__(name: str):
    """ApertiumEngine, imported on first use: the in-pipe program (five processes a batch) imports this
    package for its steps and never needs the engine's imports (threads, hashing, temporary folders)."""
    if name == "ApertiumEngine":
        from .engine import ApertiumEngine
        return ApertiumEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
