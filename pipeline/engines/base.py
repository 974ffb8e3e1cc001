"""The small interface every translation engine implements."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Sequence

from ..model import Span


class Engine(ABC):
    """An English-to-Spanish machine translation engine.

    Engines receive whole batches so they can start one process or load one
    model per run. Each segment comes as its spans; an engine masks the
    protected ones in whatever way it keeps best. The translate stage checks
    the result and falls back when a protected span did not survive.
    """

    name: str = "engine"

    @classmethod
    @abstractmethod
    def available(cls) -> bool:
        """True when this engine can translate English to Spanish on this machine."""

    @abstractmethod
    def translate_batch(self, segments: Sequence[Sequence[Span]]) -> list[str]:
        """Return one translation per segment, protected spans kept verbatim where possible."""
