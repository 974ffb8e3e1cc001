"""The Python API: everything the command line does, callable from code.

    import pipeline
    pipeline.run(["article.txt"], locales="locales", dist="dist", engine="apertium")

Each call loads the configuration once (``pipeline.config.load``: pipeline.toml
and the environment) unless one is given, applies its own arguments over it,
and runs the named stages of ``pipeline.stages`` over Documents::

    read → detect → dates → glossary → catalog → memory → translate → save → render

All input is read and checked before anything is written.

Every call that writes catalogs or ``dist/`` holds the project's writer lock
(``pipeline.lock.ProjectLock`` on the locales folder) from before it reads
anything until it is done, so a second run waits (``wait=False``: fails at
once with LockBusy) and then finds the first run's work in the catalogs
instead of redoing it. Whoever takes the lock first removes the temporary
files a killed run left in the locales and dist folders, and the run's
temporary folders live in one folder removed when it ends (``files.run_temp_folder``).
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from . import catalog, config as project_config, stages
from .batch import RunResult, run_batch
from .config import Config
from .detect import load_do_not_translate
from .engines import engine_class
from .errors import GateFailed, InputError, PipelineError, ProcessingError
from .executors import make_executor
from .files import remove_temp_files, run_temp_folder
from .lock import ProjectLock
from .model import Document
from .progress import progress
from .readers import expand_sources, printable, read_document, scan_folder, warn_reading_notes
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


@contextmanager
def writing(config: Config, command: str, wait: bool = True, quiet: bool = False) -> Iterator[ProjectLock]:
    """Hold the project's writer lock, with the clean-up that comes with taking it, for one command."""
    with ProjectLock(config.locales, command, wait=wait, quiet=quiet) as lock:
        # walked only after a writer died holding the lock (16,000 files at 2,024 documents: 8 ms of a 0.2 s re-run)
        if lock.outermost and lock.acquired is not None and lock.after_a_killed_writer:
            for folder in (config.locales, config.dist):
                remove_temp_files(folder, older_than=lock.acquired)
        with run_temp_folder():
            yield lock


def _context(config: Config, quiet: bool, site_options: SiteOptions | None = None) -> stages.Context:
    return stages.Context.for_project(config, quiet, site_options)


def _executor(config: Config):
    return make_executor(config.executor, config.job_count, config.dask_scheduler)


def _result(docs: Sequence[Document], context: stages.Context) -> RunResult:
    return RunResult(documents=list(docs), translated=context.translated, from_memory=context.from_memory,
                     engine=context.engine.name if context.engine else "", written=context.written,
                     untouched=context.untouched)


def read_documents(sources: Iterable[PathLike], context: stages.Context, disable: Iterable[str] = ()) -> list[Document]:
    """Read every source (all of them, before anything is written), then run the read stages
    (detect, dates, glossary, catalog) over each."""
    paths = expand_sources(map(Path, sources), exclude=(context.config.locales, context.config.dist))
    docs = []
    for path in paths:
        with naming_source(path):
            docs.append(read_document(path, context.config))
        if not context.quiet:
            warn_reading_notes(docs[-1])
    for doc in progress(docs, desc="reading", total=len(docs), quiet=context.quiet, unit="doc"):
        with naming_source(doc.source):
            stages.run_stages([doc], context, stages.READ_STAGES, disable)
    return docs


@contextmanager
def naming_source(path: Path | None) -> Iterator[None]:
    """Turn a library's exception while processing `path` into a one-line error naming it (and the
    line, when the failing text is known): no traceback reaches a user, and nothing has been written yet."""
    try:
        yield
    except ProcessingError as exc:
        if exc.path is not None or path is None:
            raise
        raise ProcessingError(exc.message, printable(path), _line_of(path, exc.snippet)) from None
    except PipelineError:
        raise
    except Exception as exc:
        if path is None:
            raise
        detail = str(exc).strip().split("\n")[0][:200]
        raise ProcessingError(f"could not be processed: {type(exc).__name__}: {detail}", printable(path)) from None


def _line_of(path: Path, snippet: str) -> int | None:
    """The 1-based line of `path` where `snippet` starts, if it can be found."""
    probe = snippet.strip().split("\n")[0][:60]
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = text.find(probe) if probe else -1
    return text.count("\n", 0, found) + 1 if found >= 0 else None


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
            config: Config | None = None, *, wait: bool = True) -> RunResult:
    """Write POT and PO catalogs for the sources, without machine translation."""
    config = configure(config, locales=locales)
    with writing(config, "pipeline extract", wait, quiet):
        context = _context(config, quiet)
        docs = read_documents(sources, context)
        stages.run_stage("save", docs, context)
        return _result(docs, context)


def translate_documents(docs: Sequence[Document], locales: PathLike | None = None, engine: str | None = None,
                        quiet: bool = False, config: Config | None = None, *, wait: bool = True) -> RunResult:
    """Fill untranslated segments from the memory, then the engine, and save their catalogs."""
    config = configure(config, locales=locales, engine=engine)
    with writing(config, "pipeline translate", wait, quiet):
        context = _context(config, quiet)
        stages.run_stages(docs, context, ("memory", "translate", "save"))
        return _result(docs, context)


def translate_catalogs(locales: PathLike | None = None, engine: str | None = None, quiet: bool = False,
                       config: Config | None = None, *, wait: bool = True) -> RunResult:
    """Fill the untranslated entries of the existing PO files in `locales`."""
    config = configure(config, locales=locales, engine=engine)
    with writing(config, "pipeline translate", wait, quiet):
        terms = load_do_not_translate(config.locales)
        docs = [catalog.document_from_catalog(path, do_not_translate=terms)
                for path in catalog.require_catalogs(config.locales)]
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
                     config: Config | None = None, wait: bool = True) -> SiteResult:
    """Write the outputs of documents whose translations were loaded from their catalogs, and the
    site index. Documents under `min_reviewed`/`min_translated` percent reviewed are skipped or marked
    (`below`); documents under `mark_below` percent reviewed are rendered with a visible note."""
    options = _site_options(templates, hide_review_marks, unreviewed, min_reviewed, min_translated, below,
                            mark_below=mark_below)
    config = configure(config, dist=dist)
    with writing(config, "pipeline render", wait, quiet):
        context = _context(config, quiet, options)
        stages.run_stage("render", docs, context)
        assert context.rendered is not None
        return context.rendered


def render(sources: Sequence[PathLike] = (), locales: PathLike | None = None, dist: PathLike | None = None,
           quiet: bool = False, *, templates: PathLike | None = None, hide_review_marks: bool = False,
           unreviewed: str = "machine", min_reviewed: float = 0, min_translated: float = 0,
           below: str = "skip", mark_below: float | None = None, config: Config | None = None,
           wait: bool = True) -> SiteResult:
    """Render the sources from their catalogs (no engine runs, so a translator's edits show as they are).
    With no sources, the config's ``sources`` (pipeline.toml), else the source of every catalog
    (see :func:`catalog_sources`)."""
    config = configure(config, locales=locales, dist=dist)
    with writing(config, "pipeline render", wait, quiet):
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
        force: bool = False, jobs: int | None = None, executor: str | None = None, scheduler: str | None = None,
        keep_documents: bool = True, config: Config | None = None, wait: bool = True) -> RunResult:
    """Every stage: catalogs extracted and translated, then output rendered from the catalogs.
    Stages named in `disable` are skipped (see ``pipeline.stages.STAGES``).

    Incremental (``pipeline.batch``): a document whose source, catalogs and shared inputs match the
    build state is not read again; `force` redoes every one. `jobs` processes (default: the config's,
    else one per core) or `executor="dask"` (at `scheduler`, else a LocalCluster) share the work.
    `keep_documents`: keep the processed Documents in the result (the command line does not: memory stays flat).
    """
    config = configure(config, locales=locales, dist=dist, engine=engine, jobs=jobs, executor=executor,
                       scheduler=scheduler)
    disable = tuple(disable)
    stages.check_names(disable)
    with writing(config, "pipeline run", wait, quiet):
        context = _context(config, quiet, _site_options(templates, hide_review_marks, unreviewed))
        paths = expand_sources(map(Path, sources), exclude=(config.locales, config.dist))
        with _executor(config) as pool:
            return run_batch(paths, context, pool, command="run", translate=True, force=force, disable=disable,
                             keep_documents=keep_documents, guard=naming_source)


def build(sources: Sequence[PathLike] = (), locales: PathLike | None = None, dist: PathLike | None = None,
          quiet: bool = True, *, templates: PathLike | None = None, min_reviewed: float | None = None,
          min_translated: float | None = None, below: str = "skip", mark_below: float | None = None,
          hide_review_marks: bool = False, unreviewed: str = "machine", force: bool = False, jobs: int | None = None,
          executor: str | None = None, scheduler: str | None = None, config: Config | None = None,
          wait: bool = True) -> RunResult:
    """The publish step: check the review gate, then render everything and write the index.

    Sources default to the config's ``sources``, then to the catalogs' X-Source
    headers. Thresholds left as None come from the config (as in ``pipeline check``).
    Raises GateFailed (exit 1), writing nothing, when the gate fails. Documents
    that pass it but are under `mark_below` percent reviewed are rendered with a
    visible note; `below="mark"` needs that threshold of its own, since the gate's
    minimum refuses a document before it could be marked. Incremental as :func:`run`:
    a document whose source, catalog and templates are unchanged is not rendered again.
    """
    if below == "mark" and not mark_below:
        raise InputError("build --below mark needs its own threshold, --mark-below PCT: "
                         "under --min-reviewed the gate refuses before anything could be marked")
    config = configure(config, locales=locales, dist=dist, jobs=jobs, executor=executor, scheduler=scheduler)
    with writing(config, "pipeline build", wait, quiet):
        sources = list(sources) or list(config.sources) or catalog_sources(config=config)
        if not sources:
            raise InputError("nothing to build: no sources given, none in pipeline.toml, no catalogs",
                             config.locales)
        min_reviewed = config.min_reviewed if min_reviewed is None else min_reviewed
        min_translated = config.min_translated if min_translated is None else min_translated
        # The gate has the thresholds; documents that pass it are rendered without a threshold of their own.
        options = _site_options(templates, hide_review_marks, unreviewed, replace_index=True, mark_below=mark_below)
        context = _context(config, quiet, options)
        paths = expand_sources(map(Path, sources), exclude=(config.locales, config.dist))

        def gate(names: list[str]) -> None:
            from . import stats  # here: only a gated build needs the QA checks

            verdict = stats.gate(config.locales, min_reviewed, min_translated, config.fail_on_qa, names=names)
            if not verdict.passed:
                raise GateFailed("review gate failed, nothing published: " + "; ".join(verdict.failures))

        with _executor(config) as pool:
            return run_batch(paths, context, pool, command="build", translate=False, force=force,
                             before_render=gate, guard=naming_source)
