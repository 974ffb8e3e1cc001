"""The Python API: everything the command line does, callable from code.

    import pipeline
    pipeline.run(["article.txt"], locales="locales", dist="dist", engine="apertium")

Each function runs named stages over Documents: read → segment → detect →
dates → glossary → catalog.load → memory → translate → catalog.save → render.
All input is read and checked before anything is written.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from . import catalog, dates, detect, glossary, tm
from .config import Config
from .config import load as load_config
from .engines import get_engine
from .model import Document, State
from .progress import progress
from .readers import expand_sources, read_document
from .translate import keep_protected, needs_engine

PathLike = str | os.PathLike


@dataclass
class RunResult:
    """What a run did, for summaries and scripts."""

    documents: list[Document] = field(default_factory=list)
    translated: int = 0  # segments sent to the engine
    from_memory: int = 0  # segments filled from the translation memory
    engine: str = ""
    written: list[Path] = field(default_factory=list)  # catalogs and outputs that changed or were created


def load_documents(sources: Iterable[PathLike], locales: PathLike = "locales",
                   quiet: bool = False, config: Config | None = None) -> list[Document]:
    """Read, segment and detect every source, and fill translations from its existing catalog."""
    config = config or load_config()
    locales = Path(locales)
    paths = expand_sources(map(Path, sources))
    docs = [read_document(path) for path in paths]
    keep = detect.load_do_not_translate(locales)
    terms = glossary.load(locales)
    for doc in progress(docs, desc="reading", total=len(docs), quiet=quiet, unit="doc"):
        detect.detect(doc, keep)
        dates.apply(doc)
        glossary.apply(doc, terms)
        catalog.load(doc, locales, config.similarity)
    return docs


def catalog_sources(locales: PathLike = "locales") -> list[Path]:
    """The existing source files that the catalogs in `locales` were extracted from (X-Source header)."""
    locales = Path(locales)
    found = []
    for po_path in catalog.catalogs(locales):
        source = catalog.read_po(po_path).metadata.get("X-Source")
        path = Path(os.path.normpath(locales / source)) if source else None
        if path is not None and path.is_file():
            found.append(path)
    return found


def extract(sources: Iterable[PathLike], locales: PathLike = "locales", quiet: bool = False) -> RunResult:
    """Write POT and PO catalogs for the sources, without machine translation."""
    config = load_config()
    result = RunResult(documents=load_documents(sources, locales, quiet, config))
    for doc in result.documents:
        keep_protected(list(doc.segments()))
        result.written += catalog.save(doc, locales, config.wrap)
    return result


def translate_documents(docs: Sequence[Document], locales: PathLike = "locales", engine: str = "auto",
                        quiet: bool = False, config: Config | None = None) -> RunResult:
    """Fill untranslated segments from the memory, then the engine, and save their catalogs."""
    config = config or load_config()
    result = RunResult(documents=list(docs))
    segments = [s for doc in docs for s in doc.segments()]
    keep_protected(segments)
    result.from_memory = tm.fill(list(docs), Path(locales), config.similarity, config.trust_tm_exact)
    if any(needs_engine(s) for s in segments):
        chosen = get_engine(engine)
        result.engine = chosen.name
        # glossary terms are left to the engine first and steered only where it misses them
        result.translated = glossary.translate_steering_misses(segments, chosen, quiet=quiet)
    for doc in docs:
        result.written += catalog.save(doc, locales, config.wrap)
    return result


def translate_catalogs(locales: PathLike = "locales", engine: str = "auto", quiet: bool = False) -> RunResult:
    """Fill the untranslated entries of the existing PO files in `locales`."""
    keep = detect.load_do_not_translate(Path(locales))
    docs = [catalog.document_from_catalog(path, do_not_translate=keep)
            for path in catalog.require_catalogs(Path(locales))]
    return translate_documents(docs, locales, engine, quiet)


def render_documents(docs: Sequence[Document], dist: PathLike = "dist", quiet: bool = False,
                     **options) -> list[Path]:
    """Write the outputs of documents whose translations were loaded from their catalogs,
    and the site index; returns the files that changed. Options as `site.render_site`."""
    from .site import render_site

    return render_site(docs, Path(dist), quiet=quiet, **options).written


def reload_translations(docs: Sequence[Document], locales: PathLike = "locales",
                        config: Config | None = None) -> None:
    """Forget in-memory translations and read them back from the catalogs, so output shows the PO."""
    config = config or load_config()
    for doc in docs:
        for segment in doc.segments():
            segment.translation, segment.state, segment.engine = "", State.UNTRANSLATED, ""
        catalog.load(doc, Path(locales), config.similarity)


def run(sources: Iterable[PathLike], locales: PathLike = "locales", dist: PathLike = "dist",
        engine: str = "auto", quiet: bool = False, **render_options) -> RunResult:
    """Every stage: catalogs extracted and translated, then output rendered from the catalogs."""
    config = load_config()
    docs = load_documents(sources, locales, quiet, config)
    result = translate_documents(docs, locales, engine, quiet, config)
    reload_translations(docs, locales, config)
    result.written += render_documents(docs, dist, quiet, **render_options)
    return result
