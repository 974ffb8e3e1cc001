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
from pathlib import Path
from typing import Iterable, Sequence

from . import catalog, config as project_config, stages, stats
from .batch import RunResult, run_batch
from .config import Config
from .detect import load_do_not_translate
from .engines import engine_class
from .errors import GateFailed, InputError
from .executors import make_executor
from .lock import ProjectLock
from .model import Document
from .progress import progress
from .readers import expand_sources, read_document
from .site import SiteOptions, SiteResult

PathLike = str | os.PathLike


def configure(config: Config | None = None, *, locales: PathLike | None = None, dist: PathLike | None = None,
              engine: str | None = None, jobs: int | None = None, executor: str | None = None,
              scheduler: str | None = None) -> Config:
    """The config to run with: `config` (default: loaded from pipeline.toml and the environment)
    with the arguments that were given over it. An unknown engine name is an error here,
    whether or not anything will need translating."""
    config = (config or project_config.load()).with_options(locales=locales, dist=dist, engine=engine, jobs=jobs,
                                                            executor=executor, dask_scheduler=scheduler)
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
    paths = expand_sources(map(Path, sources))
    docs = [read_document(path, context.config) for path in paths]
    for doc in progress(docs, desc="reading", total=len(docs), quiet=context.quiet, unit="doc"):
        stages.run_stages([doc], context, stages.READ_STAGES, disable)
    return docs


def load_documents(sources: Iterable[PathLike], locales: PathLike | None = None, quiet: bool = False,
                   config: Config | None = None) -> list[Document]:
    """Read, segment and detect every source, and fill translations from its existing catalog."""
    return read_documents(sources, _context(configure(config, locales=locales), quiet))


def catalog_sources(locales: PathLike | None = None, config: Config | None = None) -> list[Path]:
    """The existing source files that the catalogs in `locales` were extracted from (X-Source header)."""
    locales = Path(locales) if locales is not None else configure(config).locales
    found = []
    for po_path in catalog.catalogs(locales):
        source = catalog.read_po(po_path).metadata.get("X-Source")
        path = Path(os.path.normpath(locales / source)) if source else None
        if path is not None and path.is_file():
            found.append(path)
    return found


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
                  min_translated: float = 0, below: str = "skip", replace_index: bool = False) -> SiteOptions:
    return SiteOptions(Path(templates) if templates else None, hide_review_marks, unreviewed, min_reviewed,
                       min_translated, below, replace_index)


def render_documents(docs: Sequence[Document], dist: PathLike | None = None, quiet: bool = False, *,
                     templates: PathLike | None = None, hide_review_marks: bool = False,
                     unreviewed: str = "machine", min_reviewed: float = 0, min_translated: float = 0,
                     below: str = "skip", config: Config | None = None) -> SiteResult:
    """Write the outputs of documents whose translations were loaded from their catalogs, and the
    site index. Documents under `min_reviewed`/`min_translated` percent are skipped or marked (`below`)."""
    options = _site_options(templates, hide_review_marks, unreviewed, min_reviewed, min_translated, below)
    context = _context(configure(config, dist=dist), quiet, options)
    stages.run_stage("render", docs, context)
    assert context.rendered is not None
    return context.rendered


def render(sources: Sequence[PathLike] = (), locales: PathLike | None = None, dist: PathLike | None = None,
           quiet: bool = False, *, templates: PathLike | None = None, hide_review_marks: bool = False,
           unreviewed: str = "machine", min_reviewed: float = 0, min_translated: float = 0,
           below: str = "skip", config: Config | None = None) -> SiteResult:
    """Render the sources from their catalogs (no engine runs, so a translator's edits show as they are).
    With no sources, every catalog whose X-Source header names a source that exists."""
    config = configure(config, locales=locales, dist=dist)
    sources = list(sources) or catalog_sources(config=config)
    if not sources:
        raise InputError("nothing to render: no SOURCE given and no catalog names an existing source",
                         config.locales)
    docs = load_documents(sources, quiet=quiet, config=config)
    return render_documents(docs, quiet=quiet, templates=templates, hide_review_marks=hide_review_marks,
                            unreviewed=unreviewed, min_reviewed=min_reviewed, min_translated=min_translated,
                            below=below, config=config)


def run(sources: Iterable[PathLike], locales: PathLike | None = None, dist: PathLike | None = None,
        engine: str | None = None, quiet: bool = False, *, templates: PathLike | None = None,
        hide_review_marks: bool = False, unreviewed: str = "machine", disable: Iterable[str] = (),
        force: bool = False, jobs: int | None = None, executor: str | None = None, scheduler: str | None = None,
        keep_documents: bool = True, config: Config | None = None) -> RunResult:
    """Every stage: catalogs extracted and translated, then output rendered from the catalogs.
    Stages named in `disable` are skipped (see ``pipeline.stages.STAGES``).

    Incremental (``pipeline.batch``): a document whose source, catalogs and shared inputs match the
    build state is not read again; `force` redoes every one. `jobs` processes (default: the config's,
    else one per core) or `executor="dask"` (at `scheduler`, else a LocalCluster) share the work.
    `keep_documents`: keep the processed Documents in the result (the command line does not: memory stays flat).
    """
    config = configure(config, locales=locales, dist=dist, engine=engine, jobs=jobs, executor=executor,
                       scheduler=scheduler)
    context = _context(config, quiet, _site_options(templates, hide_review_marks, unreviewed))
    disable = tuple(disable)
    for unknown in [name for name in disable if name not in stages.STAGES]:
        raise InputError(f"unknown stage {unknown!r} (stages: {', '.join(stages.STAGES)})")
    paths = expand_sources(map(Path, sources))
    with ProjectLock(config.locales, "pipeline run", quiet=quiet), _executor(config) as pool:
        return run_batch(paths, context, pool, command="run", translate=True, force=force, disable=disable,
                         keep_documents=keep_documents)


def _executor(config: Config):
    return make_executor(config.executor, config.job_count, config.dask_scheduler)


def build(sources: Sequence[PathLike] = (), locales: PathLike | None = None, dist: PathLike | None = None,
          quiet: bool = True, *, templates: PathLike | None = None, min_reviewed: float | None = None,
          min_translated: float | None = None, below: str = "skip", hide_review_marks: bool = False,
          unreviewed: str = "machine", force: bool = False, jobs: int | None = None, executor: str | None = None,
          scheduler: str | None = None, config: Config | None = None) -> RunResult:
    """The publish step: check the review gate, then render everything and write the index.

    Sources default to the config's ``sources``, then to the catalogs' X-Source
    headers. Thresholds left as None come from the config (as in ``pipeline check``).
    Raises GateFailed (exit 1), writing nothing, when the gate fails. Incremental as :func:`run`:
    a document whose source, catalog and templates are unchanged is not rendered again.
    """
    config = configure(config, locales=locales, dist=dist, jobs=jobs, executor=executor, scheduler=scheduler)
    sources = list(sources) or list(config.sources) or catalog_sources(config.locales)
    if not sources:
        raise InputError("nothing to build: no sources given, none in pipeline.toml, no catalogs", config.locales)
    min_reviewed = config.min_reviewed if min_reviewed is None else min_reviewed
    min_translated = config.min_translated if min_translated is None else min_translated
    # The gate has the thresholds; documents that pass it are rendered without a threshold of their own.
    options = _site_options(templates, hide_review_marks, unreviewed, below=below, replace_index=True)
    context = _context(config, quiet, options)
    paths = expand_sources(map(Path, sources))

    def gate(names: list[str]) -> None:
        verdict = stats.gate(config.locales, min_reviewed, min_translated, config.fail_on_qa, names=names)
        if not verdict.passed:
            raise GateFailed("review gate failed, nothing published: " + "; ".join(verdict.failures))

    with ProjectLock(config.locales, "pipeline build", quiet=quiet), _executor(config) as pool:
        return run_batch(paths, context, pool, command="build", translate=False, force=force, before_render=gate)
