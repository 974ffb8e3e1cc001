"""The small interface every translation engine implements."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Sequence

from ..config import EngineSettings
from ..model import Span


class Engine(ABC):
    """An English-to-Spanish machine translation engine.

    Engines receive whole batches so they can start one process or load one
    model per run. Each segment comes as its spans; an engine masks the
    protected ones in whatever way it keeps best. The translate stage checks
    the result and falls back when a protected span did not survive.

    An engine is made from the :class:`~pipeline.config.EngineSettings` the API or
    command line loaded (``Engine(settings)``) and reads no environment of its own.
    """

    name: str = "engine"
    unavailable: str = "the engine is not installed"  # what to tell a user who asked for it by name
    # True when several batches may run at once, each in processes of its own (``--jobs``); an engine
    # that keeps one model in memory and threads it itself (Argos) says False
    concurrent_runs: bool = False

    def __init__(self, settings: EngineSettings = EngineSettings()) -> None:
        """Every engine is made from the settings alone (``get_engine`` calls ``cls(settings)``)."""
        self.settings = settings

    @classmethod
    @abstractmethod
    def available(cls, settings: EngineSettings = EngineSettings()) -> bool:
        """True when this engine can translate English to Spanish on this machine."""

    @property
    def version(self) -> str:
        """What, besides the name, decides this engine's output (a package or model version, a digest):
        a translation cached under name and version is still the engine's answer."""
        return ""

    @abstractmethod
    def translate_batch(self, segments: Sequence[Sequence[Span]]) -> list[str]:
        """Return one translation per segment, protected spans kept verbatim where possible."""
