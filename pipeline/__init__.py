"""Bilingual translation and publishing pipeline: English articles with Spanish in them, into Spanish.

The stages are modules (``readers``, ``segment``, ``detect``, ``translate``,
``catalog``, ``render``) over the shared model in ``pipeline.model``; this
package exports the API that the command line uses (see ``pipeline.api``).
Stage modules share names with nothing here (``pipeline.translate`` is the
stage module; ``pipeline.translate_catalogs`` the API call). Names are imported on first use so that ``import pipeline.model`` stays light.
"""
from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "run": "api", "extract": "api", "translate_catalogs": "api", "render_documents": "api",
    "load_documents": "api", "catalog_sources": "api", "RunResult": "api",
    "Document": "model", "Paragraph": "model", "Segment": "model", "Span": "model", "State": "model",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
