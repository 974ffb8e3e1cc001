"""The Python API: everything the command line does, callable from code.

    import pipeline
    pipeline.run(["article.txt"], locales="locales", dist="dist", engine="apertium")

Each call loads the configuration once (``pipeline.config.load``: pipeline.toml
and the environment) unless one is given, applies its own arguments over it,
and runs the named stages of ``pipeline.stages`` over Documents::

    read → detect → dates → glossary → catalog → memory → translate → save → render

All input is read and checked before anything is written.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from . import catalog, config as project_config, stages, stats
from .config import Config
from .detect import load_do_not_translate
from .engines import engine_class
from .errors import GateFailed, InputError
from .model import Document
from .progress import progress
from .readers import expand_sources, read_document, scan_folder
from .site import SiteOptions, SiteResult, render_site

PathLike = str | os.PathLike


@dataclass
class RunResult:
    """What a run did, for summaries and scripts."""

    documents: list[Document] = field(default_factory=list)
    translated: int = 0  # segments sent to the engine
    from_memory: int = 0  # segments filled from the translation memory
    engine: str = ""
    written: list[Path] = field(default_factory=list)  # catalogs and outputs that changed or were created


def configure(config: Config | None = None, *, locales: PathLike | None = None, dist: PathLike | None = None,
              engine: str | None = None) -> Config:
    """The config to run with: `config` (default: loaded from pipeline.toml and the environment)
    with the arguments that were given over it. An unknown engine name is an error here,
    whether or not anything will need translating."""
    config = (config or project_config.load()).with_options(locales=locales, dist=dist, engine=engine)
    if config.engine != "auto":
        engine_class(config.engine)
    return config


def _context(config: Config, quiet: bool, site_options: SiteOptions | None = None) -> stages.Context:
    return stages.Context.for_project(config, quiet, site_options)


def _result(docs: Sequence[Document], context: stages.Context) -> RunResult:
    return RunResult(documents=list(docs), translated=context.translated, from_memory=context.from_memory,
                     engine=context.engine.name if context.engine else "", written=context.written)


def read_documents(sources: Iterable[PathLike], context: stages.Context, disable: Iterable[str] = ()) -> list[Document]:
    """Read every source (all of them, before anything is written), then run the read stages
    (detect, dates, glossary, catalog) over each."""
    paths = expand_sources(map(Path, sources), exclude=(context.config.locales, context.config.dist))
    docs = [read_document(path, context.config) for path in paths]
    for doc in progress(docs, desc="reading", total=len(docs), quiet=context.quiet, unit="doc"):
        stages.run_stages([doc], context, stages.READ_STAGES, disable)
    return docs


def load_documents(sources: Iterable[PathLike], locales: PathLike | None = None, quiet: bool = False,
                   config: Config | None = None) -> list[Document]:
    """Read, segment and detect every source, and fill translations from its existing catalog."""
    return read_documents(sources, _context(configure(config, locales=locales), quiet))


def catalog_sources(locales: PathLike | None = None, config: Config | None = None) -> list[Path]:
    """The source file of every catalog in `locales`.

    Found, in order, through the ``X-Source`` header, among the project's
    ``sources`` (pipeline.toml), then by the file name of the catalog's ``#:``
    references in the current folder's tree (hidden folders, virtual
    environments, locales and dist skipped) -- so a catalog whose header a tool
    dropped (Babel's read_po/write_po round trip) still renders. Raises
    InputError naming the catalog, with the fix, when a source cannot be found.
    """
    config = configure(config, locales=locales)
    locales = config.locales
    exclude = (config.locales, config.dist)
    known: list[Path] | None = None
    found = []
    for po_path in catalog.catalogs(locales):
        po = catalog.read_po(po_path)
        source = po.metadata.get("X-Source")
        path = Path(os.path.normpath(locales / source)) if source else None
        if path is not None and path.is_file():
            found.append(path)
            continue
        names = {Path(ref).name for entry in po if not entry.obsolete for ref, _ in entry.occurrences}
        if known is None:
            roots = [Path(s) for s in config.sources if Path(s).exists()] or [Path(".")]
            known = [p for root in roots for p in (scan_folder(root, exclude) if root.is_dir() else [root])]
        match = [p for p in known if p.name in names and p.stem == po_path.stem] or \
                [p for p in known if p.name in names]
        if not match:
            wanted = ", ".join(sorted(names)) or po_path.stem + ".*"
            raise InputError(f"the source of this catalog ({wanted}) cannot be found: give it as SOURCE, or "
                             "list its folder in `sources` of pipeline.toml", po_path)
        found.append(match[0])
    return list(dict.fromkeys(found))


def extract(sources: Iterable[PathLike], locales: PathLike | None = None, quiet: bool = False,
            config: Config | None = None) -> RunResult:
    """Write POT and PO catalogs for the sources, without machine translation."""
    context = _context(configure(config, locales=locales), quiet)
    docs = read_documents(sources, context)
    stages.run_stage("save", docs, context)
    return _result(docs, context)


def translate_documents(docs: Sequence[Document], locales: PathLike | None = None, engine: str | None = None,
                        quiet: bool = False, config: Config | None = None) -> RunResult:
    """Fill untranslated segments from the memory, then the engine, and save their catalogs."""
    context = _context(configure(config, locales=locales, engine=engine), quiet)
    stages.run_stages(docs, context, ("memory", "translate", "save"))
    return _result(docs, context)


def translate_catalogs(locales: PathLike | None = None, engine: str | None = None, quiet: bool = False,
                       config: Config | None = None) -> RunResult:
    """Fill the untranslated entries of the existing PO files in `locales`."""
    config = configure(config, locales=locales, engine=engine)
    terms = load_do_not_translate(config.locales)
    docs = [catalog.document_from_catalog(path, do_not_translate=terms) for path in catalog.require_catalogs(config.locales)]
    return translate_documents(docs, quiet=quiet, config=config)


def _site_options(templates: PathLike | None, hide_review_marks: bool, unreviewed: str, min_reviewed: float = 0,
                  min_translated: float = 0, below: str = "skip", replace_index: bool = False,
                  mark_below: float | None = None) -> SiteOptions:
    return SiteOptions(Path(templates) if templates else None, hide_review_marks, unreviewed, min_reviewed,
                       min_translated, below, mark_below=mark_below or 0, replace_index=replace_index)


def render_documents(docs: Sequence[Document], dist: PathLike | None = None, quiet: bool = False, *,
                     templates: PathLike | None = None, hide_review_marks: bool = False,
                     unreviewed: str = "machine", min_reviewed: float = 0, min_translated: float = 0,
                     below: str = "skip", mark_below: float | None = None,
                     config: Config | None = None) -> SiteResult:
    """Write the outputs of documents whose translations were loaded from their catalogs, and the
    site index. Documents under `min_reviewed`/`min_translated` percent reviewed are skipped or marked
    (`below`); documents under `mark_below` percent reviewed are rendered with a visible note."""
    options = _site_options(templates, hide_review_marks, unreviewed, min_reviewed, min_translated, below,
                            mark_below=mark_below)
    context = _context(configure(config, dist=dist), quiet, options)
    stages.run_stage("render", docs, context)
    assert context.rendered is not None
    return context.rendered


def render(sources: Sequence[PathLike] = (), locales: PathLike | None = None, dist: PathLike | None = None,
           quiet: bool = False, *, templates: PathLike | None = None, hide_review_marks: bool = False,
           unreviewed: str = "machine", min_reviewed: float = 0, min_translated: float = 0,
           below: str = "skip", mark_below: float | None = None, config: Config | None = None) -> SiteResult:
    """Render the sources from their catalogs (no engine runs, so a translator's edits show as they are).
    With no sources, the config's ``sources`` (pipeline.toml), else the source of every catalog
    (see :func:`catalog_sources`)."""
    config = configure(config, locales=locales, dist=dist)
    sources = list(sources) or list(config.sources) or catalog_sources(config=config)
    if not sources:
        raise InputError("nothing to render: no SOURCE given and no catalog names an existing source",
                         config.locales)
    docs = load_documents(sources, quiet=quiet, config=config)
    return render_documents(docs, quiet=quiet, templates=templates, hide_review_marks=hide_review_marks,
                            unreviewed=unreviewed, min_reviewed=min_reviewed, min_translated=min_translated,
                            below=below, mark_below=mark_below, config=config)


def run(sources: Iterable[PathLike], locales: PathLike | None = None, dist: PathLike | None = None,
        engine: str | None = None, quiet: bool = False, *, templates: PathLike | None = None,
        hide_review_marks: bool = False, unreviewed: str = "machine", disable: Iterable[str] = (),
        config: Config | None = None) -> RunResult:
    """Every stage: catalogs extracted and translated, then output rendered from the catalogs.
    Stages named in `disable` are skipped (see ``pipeline.stages.STAGES``)."""
    config = configure(config, locales=locales, dist=dist, engine=engine)
    context = _context(config, quiet, _site_options(templates, hide_review_marks, unreviewed))
    disable = tuple(disable)
    docs = read_documents(sources, context, disable)
    stages.run_stages(docs, context, ("memory", "translate", "save", "render"), disable)
    return _result(docs, context)


def build(sources: Sequence[PathLike] = (), locales: PathLike | None = None, dist: PathLike | None = None,
          quiet: bool = True, *, templates: PathLike | None = None, min_reviewed: float | None = None,
          min_translated: float | None = None, below: str = "skip", mark_below: float | None = None,
          hide_review_marks: bool = False, unreviewed: str = "machine", config: Config | None = None) -> SiteResult:
    """The publish step: check the review gate, then render everything and write the index.

    Sources default to the config's ``sources``, then to the catalogs' X-Source
    headers. Thresholds left as None come from the config (as in ``pipeline check``).
    Raises GateFailed (exit 1), writing nothing, when the gate fails. Documents
    that pass it but are under `mark_below` percent reviewed are rendered with a
    visible note; `below="mark"` needs that threshold of its own, since the gate's
    minimum refuses a document before it could be marked.
    """
    if below == "mark" and not mark_below:
        raise InputError("build --below mark needs its own threshold, --mark-below PCT: "
                         "under --min-reviewed the gate refuses before anything could be marked")
    config = configure(config, locales=locales, dist=dist)
    sources = list(sources) or list(config.sources) or catalog_sources(config=config)
    if not sources:
        raise InputError("nothing to build: no sources given, none in pipeline.toml, no catalogs", config.locales)
    min_reviewed = config.min_reviewed if min_reviewed is None else min_reviewed
    min_translated = config.min_translated if min_translated is None else min_translated
    # The gate has the thresholds; documents that pass it are rendered without a threshold of their own.
    options = _site_options(templates, hide_review_marks, unreviewed, replace_index=True, mark_below=mark_below)
    context = _context(config, quiet, options)
    docs = read_documents(sources, context)
    verdict = stats.gate(config.locales, min_reviewed, min_translated, config.fail_on_qa,
                         names=[doc.name for doc in docs])
    if not verdict.passed:
        raise GateFailed("review gate failed, nothing published: " + "; ".join(verdict.failures))
    return render_site(docs, config.dist, options, quiet=quiet)
