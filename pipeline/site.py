"""The published site: every document rendered, plus ``index.html`` and ``manifest.json``.

``render_site`` renders documents and writes the index; documents under a
review threshold are left out or rendered with a note, as po4a does with its
``--keep`` percentage. The publish step (the review gate first, then
everything) is ``pipeline.api.build``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from .errors import InputError
from .files import write_atomic
from .model import Document
from .progress import progress
from .render import completeness, document_pages, environment, fill_meta, output_names, render_template
# (render is light: Jinja2 is imported only where pages are made; stats, with the QA checks, where a
# manifest entry is made)

if TYPE_CHECKING:  # imported where pages are made (render.environment)
    import jinja2

MANIFEST = "manifest.json"
INDEX = "index.html"
BELOW_CHOICES = ("skip", "mark")


@dataclass(frozen=True)
class SiteOptions:
    """How the site is rendered (the render and build commands' options)."""

    templates: Path | None = None  # a folder whose templates override the built-in ones file by file
    hide_review_marks: bool = False  # no marks on machine translations awaiting review
    unreviewed: str = "machine"  # what unreviewed segments show: "machine" or "english"
    min_reviewed: float = 0  # documents under this reviewed% are skipped or marked (`below`)
    min_translated: float = 0  # likewise for translated%
    below: str = "skip"  # "skip" or "mark"
    mark_below: float = 0  # documents under this reviewed% are rendered with a visible note (build: after the gate)
    replace_index: bool = False  # the index lists only these documents (else it keeps earlier ones)


@dataclass
class SiteResult:
    """What a render of the site did."""

    entries: list[dict] = field(default_factory=list)  # one per document, as in manifest.json
    written: list[Path] = field(default_factory=list)  # files created or changed
    skipped: list[str] = field(default_factory=list)  # documents left out under the threshold


def percentages(counts: Mapping[str, int]) -> dict[str, float]:
    """Shares of the document's entries, 0-100, as ``pipeline stats`` counts them: reviewed (=
    translated, as gettext counts) and awaiting_review (machine output and fuzzy matches)."""
    from . import stats

    share = stats.percentages(counts)
    return {"reviewed": share["reviewed_percent"], "translated": share["translated_percent"],
            "awaiting_review": share["awaiting_review_percent"]}


def below_threshold(counts: Mapping[str, int], min_reviewed: float = 0, min_translated: float = 0) -> str:
    """A one-line reason when a document's reviewed share (gettext's translated) is under a threshold, else ''."""
    share = percentages(counts)
    minimum = max(min_reviewed, min_translated)
    if share["reviewed"] < minimum:
        return (f"{share['reviewed']:g}% revisado, por debajo del {minimum:g}% requerido "
                f"({counts['awaiting_review']} de {counts['total']} segmentos pendientes de revisión)")
    return ""


def document_entry(doc: Document, dist: Path, status: str = "published", note: str = "") -> dict:
    """The manifest entry of one document: title, completeness and links to its outputs."""
    meta = fill_meta(doc)
    counts = completeness(doc)
    source = doc.source.as_posix() if doc.source is not None else ""
    entry = {
        "name": doc.name,
        "title": meta.get("headline", doc.name),
        "title_es": meta.get("headline_es", ""),
        "source": source,
        "format": doc.format,
        "status": status,
        "counts": counts,
        "percent": percentages(counts),
        "outputs": output_names(doc.name) if status != "skipped" else {},
    }
    for key in ("author", "date", "date_iso", "dateline"):
        if meta.get(key):
            entry[key] = meta[key]
    if note:
        entry["note"] = note
    return entry


def render_site(docs: Sequence[Document], dist: Path, options: SiteOptions = SiteOptions(), *,
                quiet: bool = True) -> SiteResult:
    """Render every document into `dist` and write the index and manifest.

    A document under ``options.min_reviewed``/``min_translated`` percent is left
    out (``below="skip"``) or rendered with a visible note (``below="mark"``).
    The index keeps documents rendered earlier unless ``options.replace_index``.
    """
    if options.below not in BELOW_CHOICES:
        raise InputError(f"below must be one of {', '.join(BELOW_CHOICES)}, not {options.below!r}")
    dist = Path(dist)
    env = environment(options.templates)  # once per run; a missing templates folder stops us before writing
    result = SiteResult()
    for doc in progress(docs, "rendering", total=len(docs), quiet=quiet, unit="doc"):
        pages, entry = document_site_pages(doc, dist, options, env)
        if entry["status"] == "skipped":
            result.skipped.append(doc.name)
        result.written += [dist / name for name, text in pages.items() if write_atomic(dist / name, text)]
        result.entries.append(entry)
    entries = result.entries if options.replace_index else merge_entries(read_manifest(dist), result.entries, dist)
    result.written += write_index(entries, dist, options.templates, env)
    return result


def document_site_pages(doc: Document, dist: Path, options: SiteOptions,
                        env: jinja2.Environment) -> tuple[dict[str, str], dict]:
    """One document's pages (file name -> text; none when it is skipped under a threshold) and its
    manifest entry, written nowhere: the driver of a run writes them (the pages may come from a worker)."""
    if options.below not in BELOW_CHOICES:
        raise InputError(f"below must be one of {', '.join(BELOW_CHOICES)}, not {options.below!r}")
    counts = completeness(doc)
    reason = below_threshold(counts, options.min_reviewed, options.min_translated)
    if reason and options.below == "skip":
        return {}, document_entry(doc, dist, "skipped", reason)
    reason = reason or below_threshold(counts, options.mark_below)
    note = f"Traducción incompleta: {reason}" if reason else ""
    pages = document_pages(doc, options.templates, hide_review_marks=options.hide_review_marks,
                           unreviewed=options.unreviewed, incomplete=note, env=env)
    return pages, document_entry(doc, dist, "incomplete" if reason else "published", reason)


def read_manifest(dist: Path) -> list[dict]:
    """The entries of an existing dist/manifest.json; [] when there is none or it is unreadable."""
    try:
        data = json.loads((Path(dist) / MANIFEST).read_text(encoding="utf-8"))
        return list(data["documents"])
    except (OSError, ValueError, KeyError, TypeError):
        return []


def merge_entries(old: Iterable[dict], new: Iterable[dict], dist: Path) -> list[dict]:
    """Old entries whose outputs are still in dist, updated by the new ones; sorted by name."""
    new = list(new)
    replaced = {entry["name"] for entry in new}  # their outputs are not looked for: 12,000 stats at 2,024 documents
    merged = {}
    for entry in old:
        if not isinstance(entry, dict) or "name" not in entry or entry["name"] in replaced:
            continue
        outputs = entry.get("outputs") or {}
        if all((dist / f).is_file() for f in outputs.values()):
            merged[entry["name"]] = entry
    merged.update((entry["name"], entry) for entry in new)
    return [merged[name] for name in sorted(merged)]


def manifest_line(entry: dict) -> str:
    """A document's line of manifest.json (its entry, keys sorted)."""
    return json.dumps(entry, ensure_ascii=False, sort_keys=True)


def manifest_text(entries: list[dict], lines: Mapping[str, str] | None = None) -> str:
    """manifest.json: ``{"documents": [...], "version": 1}`` with one document a line, so a change to one
    document is a one-line diff. Indented JSON came from json's pure-Python encoder: 41 ms for 2,024
    documents against 11 ms this way, in every run that changes a document. `lines`: name -> the line
    of an entry, as :func:`manifest_line` made it (a batch run's build state keeps them), used as it is."""
    lines = lines or {}
    rows = ",\n".join(lines.get(entry["name"]) or manifest_line(entry) for entry in entries)
    return '{"documents": [\n' + rows + ('\n' if rows else '') + '], "version": 1}\n'


def write_index(entries: list[dict], dist: Path, templates: Path | None = None,
                env: jinja2.Environment | None = None, durable: bool = True,
                lines: Mapping[str, str] | None = None) -> list[Path]:
    """Write dist/index.html and dist/manifest.json (byte-stable: no timestamps); `env`: the run's
    template environment, when it has one; `durable=False`: no fsync (a batch run's build state stamps
    both, so a crash that lost them has them written again: at 2,024 documents they are 2.4 MB, whose
    fsyncs took 2 ms on this machine's disk); `lines`: the manifest's lines that are known already
    (:func:`manifest_text`)."""
    entries = sorted(entries, key=lambda e: e["name"])
    manifest = manifest_text(entries, lines)
    page = render_template(env or environment(templates), "index.html", documents=entries)
    written = []
    for name, text in ((MANIFEST, manifest), (INDEX, page)):
        if write_atomic(Path(dist) / name, text, durable=durable):
            written.append(Path(dist) / name)
    return written
