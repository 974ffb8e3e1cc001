"""Translation engines behind one interface (base.py), the registry of them, and the `auto` choice.

The command line's ``--engine`` choices are :data:`ENGINE_NAMES`. An engine's module is
imported only when it is asked for (argostranslate is heavy). Adding an engine: a subclass of
:class:`~pipeline.engines.base.Engine` taking an ``EngineSettings``, and a line in ``_ENGINES``.
"""
from __future__ import annotations

from importlib import import_module
from typing import Iterator, Mapping

from ..config import EngineSettings
from ..errors import EngineError
from .base import Engine

_ENGINES = {"apertium": ".apertium:ApertiumEngine", "argos": ".argos:ArgosEngine"}  # name -> module:class
AUTO_ORDER = ("argos", "apertium")  # `auto` takes the first available: a neural model, when installed, over rules


class _Registry(Mapping[str, type[Engine]]):
    """Engine name -> class; the class's module is imported on first look-up."""

    def __init__(self, paths: dict[str, str]):
        self._paths = paths

    def __getitem__(self, name: str) -> type[Engine]:
        module, _, cls = self._paths[name].partition(":")
        return getattr(import_module(module, __name__), cls)

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


ENGINES: Mapping[str, type[Engine]] = _Registry(_ENGINES)
ENGINE_NAMES = ("auto", *ENGINES)


def engine_class(name: str) -> type[Engine]:
    """The Engine class for a name; EngineError listing the choices for an unknown one."""
    if name not in ENGINES:
        raise EngineError(f"unknown engine {name!r} (choose from {', '.join(ENGINE_NAMES)})")
    return ENGINES[name]


def get_engine(name: str = "auto", settings: EngineSettings = EngineSettings()) -> Engine:
    """An engine ready to translate: `auto` prefers Argos when a model is installed, else Apertium."""
    if name != "auto":
        cls = engine_class(name)
        if not cls.available(settings):
            raise EngineError(cls.unavailable)
        return cls(settings)
    for candidate in AUTO_ORDER:
        cls = engine_class(candidate)
        if cls.available(settings):
            return cls(settings)
    raise EngineError(
        "no English-to-Spanish engine is installed: install Apertium "
        "(apt-get install apertium-eng-spa) or an Argos model (pipeline models install en es)"
    )
