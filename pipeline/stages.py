"""The named stages a Document goes through, in order: a small version of spaCy's ``Language`` pipeline.

A source is read into a Document (``pipeline.readers``), then each stage of
:data:`STAGES` fills it in place:

=========  ===============================  =========================================================
name       module                           what it does
=========  ===============================  =========================================================
detect     ``pipeline.detect``              language of every segment, Spanish spans kept as written
dates      ``pipeline.dates``               English dates given to the engine as the Spanish date
glossary   ``pipeline.glossary``            glossary terms marked, to steer the engine where it misses
catalog    ``pipeline.catalog``             translations and states loaded from the existing PO
memory     ``pipeline.tm``                  untranslated segments filled from the translation memory
translate  ``pipeline.translate``           the rest sent to the engine, protected spans verified
save       ``pipeline.catalog``             POT and PO written; translations read back from the PO
render     ``pipeline.site``                dist/: every page of every document, index and manifest
=========  ===============================  =========================================================

Each stage is a callable ``stage(docs, context)`` over a batch of Documents
(memory and translate need the whole batch: identical segments across
documents go to the engine once), runnable alone (``run_stage("detect", docs,
context)``) and skippable by name (``run_stages(docs, context, disable=("dates",))``).
The :class:`Context` carries what the stages share: the config, loaded once
where the API or CLI starts, the project's word lists, the engine (made on
first use, so a run with nothing to translate needs none) and the counts a
run reports.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from . import catalog, detect, glossary, site
from .site import SiteOptions, SiteResult  # by name: the Context field `site` hides the module in the class
from .config import Config
from .engines import Engine, get_engine
from .errors import InputError
from .model import Document, State

if TYPE_CHECKING:
    from . import tm

# dates, tm, translate and memory are imported by their stages: a run whose documents are all unchanged
# runs none (their imports, with difflib, xml.etree and ctypes, were 10 ms of its start)


@dataclass
class Context:
    """What the stages of one run share."""

    config: Config
    quiet: bool = True
    site: site.SiteOptions = field(default_factory=lambda: site.SiteOptions())
    do_not_translate: list[str] = field(default_factory=list)
    terms: list[glossary.Term] = field(default_factory=list)
    engine: Engine | None = None
    # what the run did, for summaries
    translated: int = 0  # segments sent to the engine
    from_memory: int = 0  # segments filled from the translation memory
    written: list[Path] = field(default_factory=list)  # files created or changed
    untouched: list[str] = field(default_factory=list)  # catalogs left as another program saved them (one line each)
    rendered: SiteResult | None = None  # what the render stage did
    _memory_cache: tm.CacheFile | None = field(default=None, init=False, repr=False)

    @classmethod
    def for_project(cls, config: Config, quiet: bool = True, site_options: SiteOptions | None = None) -> Context:
        """A context with the project's do-not-translate list and glossary read from its locales folder."""
        return cls(config=config, quiet=quiet, site=site_options or site.SiteOptions(),
                   do_not_translate=detect.load_do_not_translate(config.locales),
                   terms=glossary.load(config.locales))

    @property
    def locales(self) -> Path:
        return self.config.locales

    def memory_cache(self) -> tm.CacheFile:
        """The translation memory's cache file, read once for the run's memory and save stages (tm.CacheFile)."""
        if self._memory_cache is None:
            from . import tm

            self._memory_cache = tm.CacheFile(self.locales)
        return self._memory_cache

    def get_engine(self) -> Engine:
        """The configured engine, made on first use."""
        if self.engine is None:
            self.engine = get_engine(self.config.engine, self.config.engines)
        return self.engine


CATALOG_DIGEST = "catalog_sha256"  # Document.meta key: SHA-256 of the PO bytes the save stage read back

Stage = Callable[[Sequence[Document], Context], None]


def detect_languages(docs: Sequence[Document], context: Context) -> None:
    for doc in docs:
        detect.detect(doc, context.do_not_translate, cache_dir=context.config.cache_dir)
        for segment in doc.segments():
            segment.drop_plain_spans()  # the later stages read them through Segment.pieces


def mark_dates(docs: Sequence[Document], context: Context) -> None:
    from . import dates

    for doc in docs:
        dates.apply(doc)


def mark_glossary_terms(docs: Sequence[Document], context: Context) -> None:
    for doc in docs:
        glossary.apply(doc, context.terms)


def load_catalogs(docs: Sequence[Document], context: Context) -> None:
    for doc in docs:
        catalog.load(doc, context.locales, similarity=context.config.similarity)


def fill_from_memory(docs: Sequence[Document], context: Context) -> None:
    from . import tm, translate

    translate.keep_protected([s for doc in docs for s in doc.segments()])
    context.from_memory += tm.fill(list(docs), context.locales, context.config.similarity,
                                   context.config.trust_tm_exact, context.memory_cache())


def machine_translate(docs: Sequence[Document], context: Context) -> None:
    from . import translate

    segments = [s for doc in docs for s in doc.segments()]
    translate.keep_protected(segments)
    if any(translate.needs_engine(s) for s in segments):
        context.translated += translate.translate(segments, context.get_engine(), quiet=context.quiet)


def save_catalogs(docs: Sequence[Document], context: Context) -> None:
    """Write POT and PO, then read the translations back, so what is rendered is what the PO holds.

    A PO the save wrote (or found) exactly as it made it is not parsed again: the save hands over the
    entries it wrote and the digest of their bytes (``catalog.Saved``); any other (merged with an
    editor's save, left in another tool's layout) is read back from the file."""
    from . import tm, translate
    from .memory import release_free_memory

    translate.keep_protected([s for doc in docs for s in doc.segments()])
    release_free_memory()  # what reading and translating freed, before the catalogs are made (pipeline.memory)
    saved = []
    for doc in docs:
        untouched = len(context.untouched)
        saved.append(catalog.save_catalog(doc, context.locales, wrap=context.config.wrap,
                                          untouched=context.untouched))
        context.written += saved[-1].written
        for note in context.untouched[untouched:]:
            print(f"pipeline: warning: {note}", file=sys.stderr)
    release_free_memory()
    for doc, done in zip(docs, saved):
        for segment in doc.segments():
            segment.translation, segment.state, segment.engine = "", State.UNTRANSLATED, ""
        # the fingerprint of exactly what was read back, for the build state: a translator's save after
        # this moment changes the file's digest, so the next run sees it
        doc.meta[CATALOG_DIGEST] = catalog.read_back(doc, context.locales, similarity=context.config.similarity,
                                                     saved=done)
    tm.remember(context.locales, [(catalog.po_path(context.locales, doc.name), done.digest, done.held.memory)
                                  for doc, done in zip(docs, saved) if done.held is not None],
                context.memory_cache())


def render_site(docs: Sequence[Document], context: Context) -> None:
    context.rendered = site.render_site(docs, context.config.dist, context.site, quiet=context.quiet)
    context.written += context.rendered.written


STAGES: dict[str, Stage] = {
    "detect": detect_languages,
    "dates": mark_dates,
    "glossary": mark_glossary_terms,
    "catalog": load_catalogs,
    "memory": fill_from_memory,
    "translate": machine_translate,
    "save": save_catalogs,
    "render": render_site,
}
READ_STAGES = ("detect", "dates", "glossary", "catalog")  # a Document as its sources and catalog say


def check_names(names: Iterable[str]) -> None:
    """InputError for the first name that is not a stage."""
    for unknown in [name for name in names if name not in STAGES]:
        raise InputError(f"unknown stage {unknown!r} (stages: {', '.join(STAGES)})")


def run_stage(name: str, docs: Sequence[Document], context: Context) -> None:
    """Run one stage by name."""
    check_names([name])
    STAGES[name](docs, context)


def run_stages(docs: Sequence[Document], context: Context, names: Iterable[str] = tuple(STAGES),
               disable: Iterable[str] = ()) -> None:
    """Run the named stages in their pipeline order, leaving out those in `disable`."""
    names, disable = list(names), set(disable)
    check_names([*names, *disable])
    for name in STAGES:
        if name in names and name not in disable:
            STAGES[name](docs, context)
