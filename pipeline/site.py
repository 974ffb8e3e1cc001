"""The published site: every document rendered, plus ``index.html`` and ``manifest.json``.

``render_site`` renders documents and writes the index; documents under a
review threshold are left out or rendered with a note, as po4a does with its
``--keep`` percentage. ``build`` is the publish step: the review gate first,
then everything, and nothing written to dist when the gate fails.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from . import stats
from .errors import InputError, PipelineError
from .files import write_atomic
from .model import Document
from .progress import progress
from .render import completeness, environment, fill_meta, output_names, render_document, render_template

MANIFEST = "manifest.json"
INDEX = "index.html"
BELOW_CHOICES = ("skip", "mark")


class GateFailed(PipelineError):
    """The review gate said no: too little is reviewed or translated to publish."""

    exit_code = 1


@dataclass
class SiteResult:
    """What a render of the site did."""

    entries: list[dict] = field(default_factory=list)  # one per document, as in manifest.json
    written: list[Path] = field(default_factory=list)  # files created or changed
    skipped: list[str] = field(default_factory=list)  # documents left out under the threshold


def percentages(counts: dict) -> dict:
    """Reviewed and translated (reviewed + machine/fuzzy) shares of the segments, 0-100."""
    share = stats.percentages({**counts, "translated": counts["reviewed"] + counts["machine"]})
    return {"reviewed": share["reviewed_percent"], "translated": share["translated_percent"]}


def below_threshold(counts: dict, min_reviewed: float = 0, min_translated: float = 0) -> str:
    """A one-line reason when a document is under a threshold, else ''."""
    share = percentages(counts)
    if share["reviewed"] < min_reviewed:
        return f"{share['reviewed']:g}% reviewed, below the {min_reviewed:g}% required"
    if share["translated"] < min_translated:
        return f"{share['translated']:g}% translated, below the {min_translated:g}% required"
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


def render_site(docs: Sequence[Document], dist: Path, templates: Path | None = None, *,
                min_reviewed: float = 0, min_translated: float = 0, below: str = "skip",
                replace_index: bool = False, quiet: bool = True, **options) -> SiteResult:
    """Render every document into `dist` and write the index and manifest.

    A document under `min_reviewed`/`min_translated` percent is left out
    (``below="skip"``) or rendered with a visible note (``below="mark"``).
    The index keeps documents rendered earlier unless `replace_index`.
    """
    if below not in BELOW_CHOICES:
        raise ValueError(f"below must be one of {BELOW_CHOICES}, not {below!r}")
    dist = Path(dist)
    environment(templates)  # a missing templates folder stops us before anything is written
    result = SiteResult()
    for doc in progress(docs, "rendering", total=len(docs), quiet=quiet, unit="doc"):
        reason = below_threshold(completeness(doc), min_reviewed, min_translated)
        if reason and below == "skip":
            result.skipped.append(doc.name)
            result.entries.append(document_entry(doc, dist, "skipped", reason))
            continue
        note = f"Traducción incompleta: {reason}" if reason else ""
        result.written += render_document(doc, dist, templates, incomplete=note, **options)
        result.entries.append(document_entry(doc, dist, "incomplete" if reason else "published", reason))
    entries = result.entries if replace_index else merge_entries(read_manifest(dist), result.entries, dist)
    result.written += write_index(entries, dist, templates)
    return result


def read_manifest(dist: Path) -> list[dict]:
    """The entries of an existing dist/manifest.json; [] when there is none or it is unreadable."""
    try:
        data = json.loads((Path(dist) / MANIFEST).read_text(encoding="utf-8"))
        return list(data["documents"])
    except (OSError, ValueError, KeyError, TypeError):
        return []


def merge_entries(old: Iterable[dict], new: Iterable[dict], dist: Path) -> list[dict]:
    """Old entries whose outputs are still in dist, updated by the new ones; sorted by name."""
    merged = {}
    for entry in old:
        outputs = entry.get("outputs") or {}
        if isinstance(entry, dict) and "name" in entry and all((dist / f).is_file() for f in outputs.values()):
            merged[entry["name"]] = entry
    merged.update((entry["name"], entry) for entry in new)
    return [merged[name] for name in sorted(merged)]


def write_index(entries: list[dict], dist: Path, templates: Path | None = None) -> list[Path]:
    """Write dist/index.html and dist/manifest.json (byte-stable: no timestamps)."""
    entries = sorted(entries, key=lambda e: e["name"])
    manifest = json.dumps({"version": 1, "documents": entries}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    page = render_template(environment(templates), "index.html", documents=entries)
    written = []
    for name, text in ((MANIFEST, manifest), (INDEX, page)):
        if write_atomic(Path(dist) / name, text):
            written.append(Path(dist) / name)
    return written


def build(sources: Sequence[os.PathLike | str] = (), locales: Path = Path("locales"), dist: Path = Path("dist"),
          templates: Path | None = None, *, min_reviewed: float | None = None, min_translated: float | None = None,
          below: str = "skip", quiet: bool = True, config=None, **options) -> SiteResult:
    """The publish step: check the review gate, then render everything and write the index.

    Sources default to the project config's ``sources``, then to the catalogs'
    X-Source headers. Thresholds left as None come from pipeline.toml (as in
    ``pipeline check``). Raises GateFailed (exit 1), writing nothing, when the gate fails.
    """
    from . import api
    from .config import load as load_config

    config = config or load_config()
    sources = list(sources) or list(config.sources) or api.catalog_sources(locales)
    if not sources:
        raise InputError("nothing to build: no sources given, none in pipeline.toml, no catalogs", locales)
    docs = api.load_documents(sources, locales, quiet, config)
    verdict = stats.gate(locales, config.min_reviewed if min_reviewed is None else min_reviewed,
                         config.min_translated if min_translated is None else min_translated,
                         config.fail_on_qa, names=[doc.name for doc in docs])
    if not verdict.passed:
        raise GateFailed("review gate failed, nothing published: " + "; ".join(verdict.failures))
    return render_site(docs, dist, templates, below=below, replace_index=True, quiet=quiet, **options)
