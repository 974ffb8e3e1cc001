"""Batch runs: incremental, in bounded chunks, with the per-document work in parallel.

``pipeline run`` and ``pipeline build`` go through :func:`run_batch`:

1. every source is hashed with its catalogs and compared with the build state
   (:mod:`pipeline.buildstate`); a document whose fingerprints all match is not read;
   the others are read and checked (UTF-8, PO syntax) before anything is written;
2. the changed documents go through in chunks (at most :data:`CHUNK_DOCUMENTS` documents and
   :data:`CHUNK_BYTES` of source, :func:`chunks`): read, segmented,
   detected and their catalog loaded (a task per document, on the executor), then memory and
   engine in this process (each distinct segment to the engine once per run, the engine's batch
   split across ``jobs`` concurrent runs), then each document finished by a task (its catalogs
   made from their bytes as read here, read back, its pages rendered: :func:`finish_task`), and
   what the tasks made written here as it comes; the state is saved after every chunk;
3. the index and manifest are written from the state's entries, unchanged documents included.

Memory stays flat because only one chunk of Documents is alive at a time (the run keeps
names, counts and manifest entries). Tasks take values and return values
(:mod:`pipeline.executors`), so the same chunk gives the same bytes in this process,
in a process pool, or on a Dask cluster.
"""
from __future__ import annotations

import json
import os
import time
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, ContextManager, Iterator, Sequence

from . import __version__, catalog, glossary, stages
from .buildstate import BuildState, Entry, digest, file_digest, folder_digest, output_stamps, stamped_digest
from .config import DO_NOT_TRANSLATE_FILE, Config
from .engines import Engine
from .engines.runs import CachedEngine, PartitionedEngine
from .errors import EngineError, InputError
from .executors import Executor
from .files import FileChanged, decode_text, holds_nothing, read_text, write_atomic
from .model import GLOSSARY, Document, State
from .progress import Counter
from .readers import read_document, warn_reading_notes
from .render import TEMPLATES_DIR, environment
from .site import (INDEX, MANIFEST, SiteOptions, document_site_pages, manifest_line, merge_entries, read_manifest,
                   write_index)

if TYPE_CHECKING:  # imported where pages are made (render.environment)
    import jinja2

# What one chunk may hold: its documents are alive at once and its segments are one engine call. Few, large
# chunks: every engine call pays Apertium's start-up with the repair steps and the pivot word list (about
# 1 CPU second, 0.5 s of wall time, whatever the batch), and one Apertium pipe already keeps both cores of
# this machine busy (raw `apertium -u eng-spa` on FLORES devtest x4: 7.9 CPU s in 4.0 s). Measured on
# benchmarks/scale.py's 2,024 documents: first run 19.7 s in chunks of 500 documents cut into engine runs
# of at most 600 segments (9 runs), 15.1 s in one chunk and one run. But the chunk is what memory grows
# with: a forced re-run of the 2,024 (--jobs 1) peaked at 228 MB in one chunk, 176 MB in chunks of 1,000,
# 184 MB in chunks of 500, against 161 MB for 100 documents. A Document holds about 9x its source.
CHUNK_DOCUMENTS = 1000
CHUNK_BYTES = 2_000_000


@dataclass
class RunResult:
    """What a run did, for summaries and scripts (``--json`` prints :meth:`summary`)."""

    names: list[str] = field(default_factory=list)  # every document of the run, in order
    unchanged: list[str] = field(default_factory=list)  # skipped: fingerprints matched
    documents: list[Document] = field(default_factory=list)  # the Documents processed, when kept
    segments: int = 0  # segments of the documents processed
    document_segments: dict[str, int] = field(default_factory=dict)  # name -> catalog entries, every document
    translated: int = 0  # segments sent to the engine (or answered by this run's cache)
    from_memory: int = 0  # segments filled from the translation memory
    from_cache: int = 0  # of `translated`, answered by this run's cache, not the engine
    engine_calls: int = 0  # batches that reached the engine
    engine: str = ""
    written: list[Path] = field(default_factory=list)  # catalogs and outputs that changed or were created
    untouched: list[str] = field(default_factory=list)  # one line per catalog left as it was (changed meanwhile)
    manifest_lines: list[str] = field(default_factory=list)  # each document's manifest.json line (site.manifest_line)
    skipped: list[str] = field(default_factory=list)  # under a review threshold
    seconds: float = 0.0

    @cached_property
    def entries(self) -> list[dict]:
        """The manifest entries of the run's documents, parsed from `manifest_lines` when first asked for
        (an unchanged re-run of 2,024 documents, which never needs them, is spared their 7 ms)."""
        return json.loads("[" + ",".join(self.manifest_lines) + "]")

    def summary(self) -> dict:
        """The one JSON object of ``run --json``: every document of the run with its segments (catalog
        entries, as ``pipeline stats`` counts them; unchanged ones from the build state), the counts, and
        what this run spared (unchanged documents, segments from its cache) and cost (engine calls, seconds)."""
        from .render import completeness

        counts = self.document_segments or {doc.name: completeness(doc)["total"] for doc in self.documents}
        names = self.names or [doc.name for doc in self.documents]
        documents = [{"name": name, "segments": counts.get(name, 0)} for name in names]
        return {"documents": documents, "segments": sum(d["segments"] for d in documents),
                "translated": self.translated, "from_memory": self.from_memory, "engine": self.engine,
                "files_written": [str(path) for path in self.written], "unchanged": len(self.unchanged),
                "from_cache": self.from_cache, "engine_calls": self.engine_calls, "seconds": round(self.seconds, 3)}


@dataclass(frozen=True)
class ReadTask:
    """One document to read, as values: a worker needs no file of ours."""

    path: Path
    text: str
    catalog_text: str | None  # its PO, None when it has none
    config: Config
    do_not_translate: tuple[str, ...]
    terms: tuple[glossary.Term, ...]
    disable: tuple[str, ...]
    guard: Callable[[Path], ContextManager] | None = None  # turns a failure into one line naming the file


def read_task(task: ReadTask) -> Document:
    """Read and segment one source, detect its languages, mark dates and terms, load its catalog."""
    with task.guard(task.path) if task.guard is not None else nullcontext():
        return _read(task)


def _read(task: ReadTask) -> Document:
    doc = read_document(task.path, task.config, task.text)
    context = stages.Context(config=task.config, do_not_translate=list(task.do_not_translate),
                             terms=list(task.terms))
    for name in ("detect", "dates", "glossary"):
        if name not in task.disable:
            stages.run_stage(name, [doc], context)
    if "catalog" not in task.disable and task.catalog_text is not None:
        catalog.load(doc, task.config.locales, task.config.similarity, catalog_text=task.catalog_text)
    else:
        doc.meta[catalog.PREVIOUS_MSGIDS] = {}
    return doc


@dataclass(frozen=True)
class CatalogInputs:
    """What a task needs to make a document's catalogs: where they go, and the old POT and PO bytes as the
    driver read them just before (None: no file)."""

    locales: Path
    wrap: int
    similarity: float
    pot: bytes | None
    po: bytes | None
    x_source: str | None = None  # the header's source path, made here (catalog.x_source)


@dataclass(frozen=True)
class FinishTask:
    """One translated document to finish, as values: its catalogs made (`save`; None: the driver saved them,
    or the run saves none) and its pages rendered from them."""

    doc: Document
    dist: Path
    options: SiteOptions
    templates_digest: str
    cache_dir: Path | None = None  # where compiled templates are kept (render.CompiledTemplates); None: none
    save: CatalogInputs | None = None
    render: bool = True
    keep: bool = False  # return the Document as finished (a pool's worker holds its own copy)


@dataclass
class Finished:
    """What a FinishTask made, for the driver to write: the catalogs (POT first; nothing when the files hold
    them already), the digests of the PO and POT bytes the pages come from, the entries the memory takes of
    the PO, the pages and manifest entry. `failed`: an old catalog did not parse (an editor's save caught
    halfway), so nothing was made and the driver saves the document itself."""

    catalogs: list = field(default_factory=list)  # catalog.Unwritten
    po_digest: str = ""
    pot_digest: str = ""
    memory: list | None = None
    pages: dict[str, str] = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)
    doc: Document | None = None
    failed: str = ""


def finish_task(task: FinishTask) -> Finished:
    """Make one document's catalogs as the save stage would (``catalog.make_catalogs``), read its
    translations back from them, and render its pages."""
    doc, done = task.doc, Finished()
    if task.save is not None:
        inputs = task.save
        pot_file, po_file = catalog.pot_path(inputs.locales, doc.name), catalog.po_path(inputs.locales, doc.name)
        try:
            saved, done.catalogs = catalog.make_catalogs(doc, inputs.locales, inputs.wrap,
                                                         {pot_file: inputs.pot, po_file: inputs.po}, inputs.x_source)
        except InputError as error:
            return Finished(failed=str(error))
        made = {item.path: item.data for item in done.catalogs}
        for segment in doc.segments():
            segment.translation, segment.state, segment.engine = "", State.UNTRANSLATED, ""
        po_bytes = made.get(po_file, inputs.po)
        done.po_digest = catalog.read_back(doc, inputs.locales, inputs.similarity, saved=saved,
                                           raw=None if saved.held is not None else po_bytes)
        done.pot_digest = digest(made.get(pot_file, inputs.pot))
        done.memory = saved.held.memory if saved.held is not None else None
    if task.render:
        done.pages, done.manifest = document_site_pages(
            doc, task.dist, task.options, _environment(task.options.templates, task.templates_digest, task.cache_dir))
    if task.keep:
        done.doc = doc
    return done


@lru_cache(maxsize=4)
def _environment(templates: Path | None, templates_digest: str, cache_dir: Path | None) -> jinja2.Environment:
    """The run's template environment, made once per process (keyed by the templates' digest, so an edited
    template is compiled again)."""
    return environment(templates, cache_dir)


def source_digest(path: Path, stamps: dict[str, str] | None = None, known: str = "") -> tuple[str, str | None]:
    """The source's fingerprint, its bytes and its path as given (the manifest names it), and its settled
    stamp (buildstate.stamped_digest: `known` when its stat is the one in `stamps`)."""
    name = path.as_posix()
    found, stamp = stamped_digest(name, stamps or {}, known, name.encode("utf-8") + b"\0")
    if not found:
        raise FileNotFoundError(2, "No such file or directory", name)
    return found, stamp


def catalog_files(config: Config) -> Callable[[str], tuple[str, str]]:
    """name -> the PO and POT paths of that document as strings, as the stamps name them: one place builds
    the keys that the check (_changed_documents) and the stamping (_settle) must agree on. The folders are
    made once: 4,000 pathlib joins were a fifth of an unchanged re-run's check."""
    po_folder, pot_folder = (os.path.dirname(os.fspath(folder(config.locales, "x")))
                             for folder in (catalog.po_path, catalog.pot_path))
    return lambda name: (f"{po_folder}/{name}.po", f"{pot_folder}/{name}.pot")


def templates_digest(options: SiteOptions) -> str:
    return folder_digest([TEMPLATES_DIR, options.templates])


def run_inputs(context: stages.Context, command: str, engine_id: str, templates: str,
               disable: Sequence[str]) -> str:
    """The digest of what every document's output depends on besides its own files (buildstate.py)."""
    config = context.config
    options = asdict(context.site)
    options["templates"] = str(options["templates"]) if options["templates"] else ""
    settings = {"wrap": config.wrap, "similarity": config.similarity, "trust_tm_exact": config.trust_tm_exact,
                "front_matter": list(config.markdown_front_matter), "site": options, "disable": sorted(disable)}
    return digest(json.dumps([__version__, command, engine_id, templates, settings,
                              file_digest(config.locales / glossary.GLOSSARY_FILE),
                              file_digest(config.locales / DO_NOT_TRANSLATE_FILE)], sort_keys=True))


def engine_id(context: stages.Context) -> str:
    """The engine's name and version for the fingerprints; made (not run) to ask its version."""
    try:
        engine = context.get_engine()
    except EngineError:
        return f"{context.config.engine} (not installed)"
    return f"{engine.name} {engine.version}"


@dataclass
class _Run:
    """What one batch run carries from chunk to chunk."""

    context: stages.Context
    executor: Executor
    state: BuildState
    inputs: str  # the run-wide digest (run_inputs)
    templates: str  # the templates' digest
    glossary: str  # the glossary's digest
    translate: bool
    disable: tuple[str, ...]
    result: RunResult
    bar: Counter
    guard: Callable[[Path], ContextManager] | None = None
    keep_documents: bool = False  # the finished Documents go into the result (FinishTask.keep)
    manifest: dict[str, str] = field(default_factory=dict)  # name -> manifest line, unchanged ones included
    source_stamps: dict[str, str | None] = field(default_factory=dict)  # name -> its source's settled stamp
    recorded: list[str] = field(default_factory=list)  # the documents recorded in the state by this run


def run_batch(paths: Sequence[Path], context: stages.Context, executor: Executor, *, command: str,
              translate: bool, force: bool = False, disable: Sequence[str] = (), keep_documents: bool = False,
              before_render=None, guard: Callable[[Path], ContextManager] | None = None) -> RunResult:
    """The run described in the module docstring; `translate`: memory, engine and save (``run``), else the
    pages are rendered from the catalogs as they are (``build``). `before_render(names)` may stop the run
    (the review gate) after everything is read and before anything is written; `guard(path)` wraps each
    document's reading (``api.naming_source``: a library's failure as one line naming the file).
    The caller holds the project lock (``api.writing``, which also removes a killed run's temporary files)."""
    started = time.monotonic()
    config, result = context.config, RunResult()
    disable = tuple(disable)
    templates = templates_digest(context.site)
    state = BuildState.load(config.locales, __version__)
    inputs = run_inputs(context, command, engine_id(context) if translate else "", templates, disable)
    run = _Run(context, executor, state, inputs, templates, file_digest(config.locales / glossary.GLOSSARY_FILE),
               translate, disable, result, Counter(len(paths), "documents", quiet=context.quiet), guard,
               keep_documents)
    pending = _changed_documents(paths, run, force)
    if before_render is not None:
        before_render(result.names)
    if translate:
        context.engine = _run_engine(context, executor) if pending else None
    engine = context.engine if isinstance(context.engine, CachedEngine) else None
    run.bar.advance(unchanged=len(result.unchanged))
    quiet, context.quiet = context.quiet, True  # one bar for the run: the stages' own bars stay off
    try:
        cut = chunks(pending)
        for number, docs in enumerate(_run_chunks(cut, run), 1):
            if keep_documents:
                result.documents += docs
            if number < len(cut):  # the last chunk's entries are saved with the index record, just below
                state.save()
        if "render" not in disable:
            listed = [name for name in result.names if name in run.manifest]
            result.manifest_lines = [run.manifest[name] for name in listed]
            index_key = _index_key(result.names, state, inputs, context.site.replace_index)
            if pending or not state.index_current(index_key, config.dist):  # else it was made from the same
                within = context.site.replace_index or state.manifest_within(listed, config.dist, MANIFEST)
                entries = result.entries if within else merge_entries(
                    read_manifest(config.dist), result.entries, config.dist)
                context.written += write_index(entries, config.dist, context.site.templates,
                                               _environment(context.site.templates, templates, config.cache_dir),
                                               durable=False, lines=run.manifest)
                state.record_index(index_key, output_stamps(config.dist, [MANIFEST, INDEX]),
                                   [entry["name"] for entry in entries])
        _settle(run)
    finally:
        run.bar.close()
        context.quiet = quiet
        state.save()
    result.translated, result.from_memory, result.written = context.translated, context.from_memory, context.written
    result.untouched = context.untouched
    if engine is not None:
        result.engine, result.from_cache, result.engine_calls = engine.name, engine.hits, engine.calls
    result.seconds = time.monotonic() - started
    return result


def _index_key(names: Sequence[str], state: BuildState, inputs: str, replace_index: bool) -> str:
    """What the index and manifest are made from: the run's documents in order, each one's fingerprints
    (its manifest entry follows from them), the run-wide inputs. Rendering them again for 2,024 unchanged
    documents was 0.4 s of a 0.7 s re-run; the manifest's other documents are in its own stamp."""
    parts = [inputs, str(replace_index)]
    for name in names:
        entry = state.entries.get(name)
        parts.append(f"{name}\0{entry.source}\0{entry.po}\0{entry.pot}" if entry else f"{name}\0-")
    return digest("\n".join(parts))


def _settle(run: _Run) -> None:
    """Stamp the catalogs of the documents this run recorded, once their bytes hash as recorded: last, so
    that most were written long enough ago to be settled (buildstate.py; 4,048 catalogs of a first run of
    2,024 documents hash in 0.05 s), and the next run needs only their stats."""
    files_of = catalog_files(run.context.config)
    for name in run.recorded:
        entry = run.state.entries.get(name)
        if entry is not None:
            po_file, pot_file = files_of(name)
            run.state.settle(name, {po_file: entry.po, pot_file: entry.pot})


def _changed_documents(paths: Sequence[Path], run: _Run, force: bool) -> list[tuple[Path, str]]:
    """(path, source digest) of the documents to do; the others are counted unchanged. Every document to do
    is read and checked here (UTF-8, PO syntax), before anything is written."""
    config, pending = run.context.config, []
    files_of = catalog_files(config)
    for path in paths:
        name = path.stem
        known = None if force else run.state.entries.get(name)
        stamps = known.stamps if known is not None else {}
        source, run.source_stamps[name] = source_digest(path, stamps, known.source if known else "")
        run.result.names.append(name)
        po_file, pot_file = files_of(name)
        entry = None
        if known is not None:
            po = stamped_digest(po_file, stamps, known.po)[0]
            pot = stamped_digest(pot_file, stamps, known.pot)[0]
            entry = run.state.unchanged(name, source, po, pot, run.inputs, config.dist)
        if entry is not None:
            run.result.unchanged.append(name)
            run.result.document_segments[name] = entry.segments
            run.manifest[name] = entry.manifest_line
            continue
        read_text(path)
        if os.path.isfile(po_file):
            catalog.read_po(Path(po_file))
        pending.append((path, source))
    return pending


Chunk = list[tuple[Path, str]]  # (source, its digest) of each document of a chunk


def chunks(pending: Chunk) -> list[Chunk]:
    """`pending` in order, cut into chunks of at most CHUNK_DOCUMENTS documents and CHUNK_BYTES of source
    (a larger source is a chunk of its own), as even in documents as those bounds allow: 2,024 documents
    are two chunks of 1,012, not 1,000, 1,000 and 24 (an engine run's start-up for 24 documents)."""
    sizes = [path.stat().st_size for path, _ in pending]
    cut = _cut(pending, sizes, CHUNK_DOCUMENTS)
    return _cut(pending, sizes, -(-len(pending) // len(cut))) if len(cut) > 1 else cut


def _cut(pending: Chunk, sizes: list[int], most: int) -> list[Chunk]:
    cut: list[Chunk] = []
    size = 0
    for item, length in zip(pending, sizes):
        if not cut or len(cut[-1]) >= most or (cut[-1] and size + length > CHUNK_BYTES):
            cut.append([])
            size = 0
        cut[-1].append(item)
        size += length
    return cut


def _run_chunks(chunks: list[Chunk], run: _Run) -> Iterator[list[Document]]:
    """Each chunk read, translated, saved and rendered, and recorded in the state; yields its Documents.

    One chunk after the other: what a chunk reads of other documents' catalogs (the translation memory)
    is what the chunks before it saved. Running the engine of one chunk in a thread while the next was
    read and the one before rendered was tried and measured: no faster on this 2-core machine (400
    documents in chunks of 100, medians of 3-5 runs: 15.4 s against 10.0 s, 19.5 s against 19.0 s),
    because the engine's own processes already keep both cores busy, and every system call of the
    rendering thread then waited for the GIL.

    But the next chunk is read while this one is finished: its FinishTasks are queued first, then the
    next chunk's ReadTasks, and this process writes what the FinishTasks made as it comes. Nothing the
    reading reads is written by the chunk before it (its own source and catalog), and what depends on
    that chunk (the memory) runs after. Two chunks of Documents are then alive at once, with a pool or
    a cluster; in this process (--jobs 1) the next chunk is read only when its turn comes.

    Finishing on the workers (the catalogs made there, not in this process) took a first run of 2,024
    documents with --jobs 2 from 13.1 and 11.9 s to 11.4 and 10.9 s (A/B pairs, warm cache): the save
    and the page writes, 4.3-5.5 s of this process's time, became 2.7-3.3 s of writing while the
    workers make the next results.
    """
    upcoming = _start_reading(chunks[0], run) if chunks else None
    for number, chunk in enumerate(chunks):
        assert upcoming is not None
        docs, catalogs = _read_chunk(upcoming, run)
        if run.translate:
            stages.run_stages(docs, run.context, ("memory", "translate"), run.disable)
        finishing = _start_finishing(docs, run)  # before the next chunk's reading: the workers take it first
        upcoming = _start_reading(chunks[number + 1], run) if number + 1 < len(chunks) else None
        yield _finish_chunk(chunk, docs, catalogs, finishing, run)


@dataclass
class _Reading:
    """A chunk's reading, started on the executor: its tasks' results, and each one's PO digest."""

    results: Callable[[], list[Document]]
    catalogs: list[str]  # the digest of the PO bytes each task got, in order


def _start_reading(chunk: Chunk, run: _Run) -> _Reading:
    tasks = [_read_task(path, run.context, run.disable, run.guard) for path, _ in chunk]
    return _Reading(run.executor.map_later(read_task, [task for task, _ in tasks]), [po for _, po in tasks])


def _read_chunk(reading: _Reading, run: _Run) -> tuple[list[Document], dict[str, str]]:
    """The chunk's documents as read (on the executor), and the digest of each one's PO as the task got it."""
    docs = reading.results()
    if not run.bar.quiet:
        for doc in docs:
            warn_reading_notes(doc)
    catalogs = {doc.name: po for doc, po in zip(docs, reading.catalogs)}
    if run.translate:
        for doc in docs:
            entry = run.state.entries.get(doc.name)
            if entry and entry.glossary != run.glossary:
                _retranslate_missed_terms(doc)
    return docs, catalogs


# A source above this size has its catalogs saved here, streamed (lifecycle's module docstring, issue 13:
# a 30 MB source's PO is never held whole); the ones below are made whole by the tasks.
SAVE_HERE_BYTES = 1_000_000
TRIM_DOCUMENTS = 100  # a chunk this large hands the C heap's free pages back before its catalogs are made


@dataclass
class _Finishing:
    """A chunk's FinishTasks, started on the executor: their results in order as they come, and what
    each document's segments held before (the save of an in-process task changes them; the driver's own
    save, when an editor saved a catalog meanwhile, starts from them)."""

    results: Iterator[Finished]
    saved_here: set[str]  # the documents whose catalogs this process saved (SAVE_HERE_BYTES)
    before: dict[str, tuple[list[tuple[str, State, str]], dict]]


def _start_finishing(docs: list[Document], run: _Run) -> _Finishing:
    """Start the chunk's FinishTasks: each document's catalogs made on the executor from the POT and PO
    bytes as they are now (the save stage's work, moved off this process: 2.3 of its CPU seconds in a
    first run of 2,024 documents), its pages rendered from them. Large sources are saved here first."""
    context, config = run.context, run.context.config
    save = run.translate and "save" not in run.disable
    render = "render" not in run.disable
    large = [doc for doc in docs if save and _source_size(doc) > SAVE_HERE_BYTES]
    if large:
        stages.run_stages(large, context, ("save",), run.disable)
    saved_here = {doc.name for doc in large}
    before, tasks = {}, []
    if save and len(docs) >= TRIM_DOCUMENTS:
        from .memory import release_free_memory  # with ctypes: 10 ms, of a one-document run's 0.6 s

        release_free_memory()  # what reading and translating freed, before the catalogs are made (pipeline.memory)
    for doc in docs:
        inputs = None
        if save and doc.name not in saved_here:
            before[doc.name] = ([(s.translation, s.state, s.engine) for s in doc.segments()],
                                dict(doc.meta.get(catalog.PREVIOUS_MSGIDS, {})))
            inputs = CatalogInputs(config.locales, config.wrap, config.similarity,
                                   _bytes_of(catalog.pot_path(config.locales, doc.name)),
                                   _bytes_of(catalog.po_path(config.locales, doc.name)),
                                   catalog.x_source(doc, config.locales))
        tasks.append(FinishTask(doc, config.dist, context.site, run.templates, config.cache_dir, inputs, render,
                                keep=run.keep_documents))
    return _Finishing(run.executor.map_streamed(finish_task, tasks), saved_here, before)


def _finish_chunk(chunk: Chunk, docs: list[Document], catalogs: dict[str, str], finishing: _Finishing,
                  run: _Run) -> list[Document]:
    """Write what the chunk's FinishTasks made, as each comes: catalogs (compare before replace), pages, and
    each document's record in the state; the chunk's Documents as finished."""
    context, config, state = run.context, run.context.config, run.state
    finished_docs, remembered = [], []
    for (path, source), doc, done in zip(chunk, docs, finishing.results):
        state.drop(doc.name)  # not up to date until its pages are written
        if doc.name in finishing.before:  # its catalogs made by the task
            if done.failed or not _write_catalogs(done.catalogs, context):
                done = _finish_here(doc, finishing.before[doc.name], run)
            elif done.memory is not None:
                remembered.append((catalog.po_path(config.locales, doc.name), done.po_digest, done.memory))
        else:  # saved here first (a large source), or not saved: the pages come from the catalog on disk
            _digests_on_disk(done, doc, catalogs, finishing.saved_here, config)
        doc = done.doc or doc
        finished_docs.append(doc)
        run.result.segments += sum(1 for _ in doc.segments())
        if "render" in run.disable:
            run.bar.advance(documents=1)
            continue
        _record(path, source, doc, done, run)
    if remembered:
        from . import tm

        tm.remember(config.locales, remembered, context.memory_cache())
    return finished_docs


def _write_catalogs(made: list, context: stages.Context) -> bool:
    """Write a task's catalogs (POT, then PO) as ``save_catalog`` would have; False when the PO changed on
    disk since its bytes were read (an editor's save): then it is left alone, for the driver's own save."""
    for item in made:
        try:
            if write_atomic(item.path, item.data, expected=item.expected, durable=item.durable):
                context.written.append(item.path)
        except FileChanged:
            return False
    return True


def _finish_here(doc: Document, before: tuple[list[tuple[str, State, str]], dict], run: _Run) -> Finished:
    """One document finished in this process: its segments as translated (`before`), then the save stage
    (which reads the catalog again and merges with what an editor saved) and its pages (:func:`finish_task`)."""
    context, config = run.context, run.context.config
    translations, previous = before
    for segment, (translation, state_, engine) in zip(doc.segments(), translations):
        segment.translation, segment.state, segment.engine = translation, state_, engine
    doc.meta[catalog.PREVIOUS_MSGIDS] = previous
    stages.run_stages([doc], context, ("save",), run.disable)
    done = finish_task(FinishTask(doc, config.dist, context.site, run.templates, config.cache_dir,
                                  render="render" not in run.disable))
    _digests_on_disk(done, doc, {}, {doc.name}, config)
    return done


def _digests_on_disk(done: Finished, doc: Document, catalogs: dict[str, str], saved_here: set[str],
                     config: Config) -> None:
    """The digests of the catalogs `doc`'s pages come from, for a document whose catalogs no task made: its PO
    as this process's save stage read it back (`saved_here`), else as the reading got it (`catalogs`)."""
    done.po_digest = doc.meta[stages.CATALOG_DIGEST] if doc.name in saved_here else catalogs[doc.name]
    done.pot_digest = file_digest(catalog.pot_path(config.locales, doc.name))


def _record(path: Path, source: str, doc: Document, done: Finished, run: _Run) -> None:
    """Write a document's pages and record it in the state."""
    context, config, state = run.context, run.context.config, run.state
    context.written += [config.dist / name for name, text in done.pages.items()  # made again if lost
                        if write_atomic(config.dist / name, text, durable=False)]
    manifest = done.manifest
    if manifest["status"] == "skipped":
        run.result.skipped.append(doc.name)
    line = run.manifest[doc.name] = manifest_line(manifest)
    segments = run.result.document_segments[doc.name] = manifest["counts"]["total"]
    source_stamp = run.source_stamps.get(doc.name)
    state.record(doc.name, Entry(source, done.po_digest, done.pot_digest, run.inputs,
                                 output_stamps(config.dist, done.pages), line, segments, run.glossary,
                                 {path.as_posix(): source_stamp} if source_stamp else {}))
    run.recorded.append(doc.name)
    run.bar.advance(documents=1, segments=segments)


def _source_size(doc: Document) -> int:
    try:
        return os.stat(doc.source).st_size if doc.source is not None else 0
    except OSError:
        return 0


def _bytes_of(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _read_task(path: Path, context: stages.Context, disable: tuple[str, ...],
               guard: Callable[[Path], ContextManager] | None) -> tuple[ReadTask, str]:
    """The task of one document, and the digest of the PO bytes it carries (what its pages come from)."""
    po_file = catalog.po_path(context.config.locales, path.stem)
    raw = po_file.read_bytes() if po_file.is_file() else None
    # a catalog a crash left with nothing in it (created without an fsync) is read as none
    catalog_text = decode_text(raw, po_file) if raw is not None and not holds_nothing(raw) else None
    task = ReadTask(path, read_text(path), catalog_text, context.config, tuple(context.do_not_translate),
                    tuple(context.terms), disable, guard)
    return task, digest(raw)


def _run_engine(context: stages.Context, executor: Executor) -> Engine | None:
    """The run's engine: its batches split across the executor's jobs when it can run several at once,
    and each distinct segment translated once. None when it is not installed (an error only if needed)."""
    try:
        engine = context.get_engine()
    except EngineError:
        return None
    if engine.concurrent_runs:  # cut the same way whatever the jobs, so that the output is the same
        engine = PartitionedEngine(engine, executor.jobs, executor.partitions)
    return CachedEngine(engine)


def _retranslate_missed_terms(doc: Document) -> None:
    """After a glossary change: machine translations that miss a term's Spanish go to the engine again
    (reviewed and fuzzy ones are a human's, and stay)."""
    from .catalog.lifecycle import RETRANSLATED
    from .translate import uses_term

    redone = doc.meta.setdefault(RETRANSLATED, set())
    for segment in doc.segments():
        terms = [span for span in segment.spans if span.reason == GLOSSARY]
        if segment.state == State.MACHINE and terms and not all(uses_term(segment.translation, span)
                                                                for span in terms):
            segment.translation, segment.state, segment.engine = "", State.UNTRANSLATED, ""
            redone.add((segment.context, segment.text))
