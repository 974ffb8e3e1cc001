"""Bilingual translation and publishing pipeline: English articles with Spanish in them, into Spanish.

The stages are modules (``readers``, ``segment``, ``detect``, ``translate``,
``catalog``, ``render``) over the shared model in ``pipeline.model``, run in
order by ``pipeline.stages``; this package exports the API that the command
line uses (see ``pipeline.api``). Stage modules share names with nothing here
(``pipeline.translate`` is the stage module; ``pipeline.translate_catalogs``
the API call). Names are imported on first use so that ``import pipeline.model``
stays light; type checkers see them through the ``TYPE_CHECKING`` imports.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .api import (RunResult, build, catalog_sources, extract, load_documents, render, render_documents, run,
                      translate_catalogs)
    from .config import Config
    from .model import Document, Paragraph, Segment, Span, State

_EXPORTS = {
    "run": "api", "extract": "api", "translate_catalogs": "api", "render_documents": "api", "render": "api",
    "build": "api", "load_documents": "api", "catalog_sources": "api", "RunResult": "api", "Config": "config",
    "Document": "model", "Paragraph": "model", "Segment": "model", "Span": "model", "State": "model",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
