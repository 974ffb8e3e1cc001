"""Translation engines behind one interface, and the `auto` choice between them."""
from __future__ import annotations

from ..errors import EngineError
from .base import Engine

ENGINE_NAMES = ("auto", "apertium", "argos")


def engine_class(name: str) -> type[Engine]:
    """The Engine class for a name; argostranslate is imported only when asked for."""
    if name == "apertium":
        from .apertium import ApertiumEngine

        return ApertiumEngine
    if name == "argos":
        from .argos import ArgosEngine

        return ArgosEngine
    raise EngineError(f"unknown engine {name!r} (choose from {', '.join(ENGINE_NAMES)})")


def get_engine(name: str = "auto", settings=None) -> Engine:
    """An engine ready to translate: `auto` prefers Argos when a model is installed, else Apertium."""
    if name != "auto":
        cls = engine_class(name)
        if not cls.available():
            raise EngineError(_missing_message(name))
        return cls()
    for candidate in ("argos", "apertium"):
        cls = engine_class(candidate)
        if cls.available():
            return cls()
    raise EngineError(
        "no English-to-Spanish engine is installed: install Apertium "
        "(apt-get install apertium-eng-spa) or an Argos model (pipeline models install en es)"
    )


def _missing_message(name: str) -> str:
    if name == "apertium":
        return "Apertium eng-spa is not installed: apt-get install apertium-eng-spa"
    return ("no English-to-Spanish Argos model is installed: pipeline models install en es "
            "(or pipeline models install --file MODEL.argosmodel offline)")
