"""XLIFF 1.2 for CAT tools (OmegaT, Trados, memoQ, Okapi): the catalogs out as XLIFF, edits back in.

One module for the format, as Translate Toolkit has one: the files are written
and read through Translate Toolkit's storage classes (``translate.storage.xliff``),
never as hand-made XML, so escaping, ``xml:space`` and the unit layout are the
toolkit's. One file per catalog, ``DIR/NAME.xlf``, a ``trans-unit`` per active
entry, with the msgctxt and the ``#:`` references as context groups (as
Translate Toolkit's po2xliff writes them), and the extracted comments
(``keep: …``, ``kind: …``, ``date: …``) and translator comments as notes.

States (the meaning of a PO entry's state is ``catalog.conventions``'s; this
module only maps it):

========================  ===================================================================
PO state                  XLIFF 1.2
========================  ===================================================================
reviewed                  ``<target state="translated">``, ``approved="yes"``
machine (engine, dates)   ``state="needs-review-translation" state-qualifier="mt-suggestion"``
fuzzy                     ``state="needs-review-translation" state-qualifier="fuzzy-match"``
                          (``leveraged-tm`` for a memory match), the previous msgid as an
                          ``<alt-trans origin="previous">`` with its source
untranslated              no ``<target>``
========================  ===================================================================

On import, ``translated``, ``signed-off`` and ``final`` (or ``approved="yes"``
with no state) are reviewed. A target edited in the XLIFF comes back into the
PO as reviewed (machine and memory marks dropped, ``conventions.mark_reviewed``),
unless its state says it still needs work (``new``, ``needs-translation``,
``needs-adaptation``, ``needs-l10n``): then it comes back fuzzy
(``conventions.mark_edited``). An unchanged target whose state was raised to
reviewed approves the entry.

Nothing a human wrote is lost: each ``trans-unit`` carries the fingerprint of
what was exported (``pipeline:exported``, a hash of the review class and the
msgstr, in a namespace of its own as XLIFF 1.2 allows). A unit that still
matches it changed nothing in the CAT tool and is skipped, so a PO edited in
Poedit after the export is never reverted by an untouched XLIFF; a unit changed
in both places is reported and skipped. A tool that drops the attribute loses
only that protection: then every target that differs from the PO is an edit.
An empty target never clears a translation.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import polib
from lxml import etree
from translate.storage import xliff as toolkit

from .catalog import catalogs, entry_state, header_date, po_text, read_po, read_po_snapshot, require_catalogs
from .catalog.conventions import MEMORY, history_value, mark_edited, mark_reviewed
from .errors import InputError
from .files import write_atomic
from .model import SOURCE_LANG, TARGET_LANG, State

SUFFIX = ".xlf"
NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
PIPELINE_NAMESPACE = "urn:x-bilingual-pipeline:xliff"
EXPORTED = f"{{{PIPELINE_NAMESPACE}}}exported"  # the fingerprint attribute on each trans-unit
MSGCTXT = "x-po-msgctxt"  # the context type Translate Toolkit's po2xliff gives a msgctxt

REVIEWED_STATES = ("translated", "signed-off", "final")
NEEDS_WORK_STATES = ("new", "needs-translation", "needs-adaptation", "needs-l10n")
NEEDS_REVIEW = "needs-review-translation"
QUALIFIERS = {State.MACHINE: "mt-suggestion", State.FUZZY: "fuzzy-match"}
MEMORY_QUALIFIER = "leveraged-tm"


class _Unit(toolkit.xliffunit):
    namespace = NAMESPACE  # Translate Toolkit's default is XLIFF 1.1's


class _File(toolkit.xlifffile):
    """Translate Toolkit's XLIFF store, started from a 1.2 skeleton (its own is 1.1)."""

    UnitClass = _Unit
    namespace = NAMESPACE
    XMLskeleton = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="{NAMESPACE}" xmlns:pipeline="{PIPELINE_NAMESPACE}">
<file original="NoName" source-language="{SOURCE_LANG}" datatype="plaintext">
<body>
</body>
</file>
</xliff>"""


def xliff_path(folder: Path, name: str) -> Path:
    """The XLIFF file of catalog NAME: FOLDER/NAME.xlf (a catalog name is a file stem, so never outside FOLDER)."""
    return Path(folder) / f"{Path(name).name}{SUFFIX}"


# Export

def export(locales: Path, folder: Path) -> list[Path]:
    """Write DIR/NAME.xlf for every catalog under `locales`; returns the files written or changed.

    The folder is created when its parent exists (a mistyped deeper path is an
    error, as with ``tm export``); a file whose content would not change is not
    rewritten, and the same catalogs give the same bytes.
    """
    folder = Path(folder)
    if not folder.parent.is_dir():
        raise InputError("no such folder (create it first: only DIR itself is created)", folder.parent)
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file, not a folder", folder)
    paths = require_catalogs(Path(locales))
    stores = [(xliff_path(folder, path.stem), catalog_xliff(read_po(path), path.name)) for path in paths]
    folder.mkdir(exist_ok=True)
    return [target for target, data in stores if write_atomic(target, data)]


def catalog_xliff(po: polib.POFile, original: str) -> bytes:
    """The XLIFF 1.2 bytes of one catalog's active entries (the file's ``original`` is the PO file name)."""
    store = _File(sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
    for entry in po:
        if entry.obsolete or not entry.msgid or entry.msgid_plural:
            continue  # the pipeline writes no plurals; the header is not a unit
        unit = store.addsourceunit(entry.msgid, original, createifmissing=True)
        unit.setid(unit_id(entry))
        state = entry_state(entry)
        if state != State.UNTRANSLATED:
            unit.target = entry.msgstr
            target = unit.getlanguageNode(lang=None, index=1)
            if state == State.REVIEWED:
                unit.set_state_n(unit.S_TRANSLATED)  # state="translated" approved="yes"
            else:
                unit.set_state_n(unit.S_NEEDS_REVIEW)  # state="needs-review-translation" approved="no"
                memory = history_value(entry, MEMORY) is not None
                target.set("state-qualifier", MEMORY_QUALIFIER if memory else QUALIFIERS[state])
        else:
            unit.markapproved(False)
        unit.xmlelement.set(EXPORTED, fingerprint(_review_class(state), entry.msgstr))
        if entry.msgctxt is not None:
            unit.createcontextgroup("po-entry", [(MSGCTXT, entry.msgctxt)], purpose="information")
        for path, line in entry.occurrences:
            unit.addlocation(f"{path}:{line}" if line else path)
        if entry.comment:
            unit.addnote(entry.comment, origin="developer")
        if entry.tcomment:
            unit.addnote(entry.tcomment, origin="translator")
        if entry.previous_msgid is not None and state != State.UNTRANSLATED:
            unit.addalttrans(entry.msgstr, origin="previous", sourcetxt=entry.previous_msgid)
    return bytes(store)


def unit_id(entry: polib.POEntry) -> str:
    """A trans-unit id that names the entry (msgctxt and msgid), stable across exports and entry order."""
    key = (entry.msgctxt or "") + "\x04" + entry.msgid
    return "u" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def fingerprint(review_class: str, text: str) -> str:
    """What was exported for a unit: its review class and msgstr, hashed (16 hex digits)."""
    return hashlib.sha256(f"{review_class}\x00{text}".encode("utf-8")).hexdigest()[:16]


def _review_class(state: State) -> str:
    """The part of a state an XLIFF round trip can carry whatever the tool: reviewed, awaiting review, empty."""
    if state == State.UNTRANSLATED:
        return "empty"
    return "reviewed" if state == State.REVIEWED else "unreviewed"


# Import

@dataclass
class Edit:
    """One unit read from an XLIFF file."""

    context: str | None
    source: str
    target: str | None  # None: no <target> (or an empty one)
    state: str | None  # the target's state attribute
    approved: bool
    exported: str | None  # the fingerprint written on export, if the tool kept it
    line: int | None

    @property
    def reviewed(self) -> bool:
        return self.state in REVIEWED_STATES or (self.state is None and self.approved)

    @property
    def review_class(self) -> str:
        if not self.target:
            return "empty"
        return "reviewed" if self.reviewed else "unreviewed"


@dataclass
class ImportResult:
    """What an import did: the catalogs written, how many entries changed, and one line per unit skipped."""

    written: list[Path] = field(default_factory=list)
    changed: int = 0
    skipped: list[str] = field(default_factory=list)


def read_xliff(path: Path) -> list[Edit]:
    """The units of an XLIFF 1.x file, or InputError naming the file (and line) when it is not one."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "is a directory, not a file", path)
    data = path.read_bytes()
    try:
        etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML: {exc.msg}", path, exc.lineno or None) from None
    try:
        store = toolkit.xlifffile.parsestring(data)
    except (ValueError, StopIteration, etree.XMLSyntaxError) as exc:
        raise InputError(f"not an XLIFF 1.x file: {str(exc).splitlines()[0] if str(exc) else 'no <file>'}",
                         path) from None
    root = store.document.getroot()
    if etree.QName(root).localname != "xliff":
        raise InputError(f"not an XLIFF file (root element <{etree.QName(root).localname}>)", path)
    edits = []
    for unit in store.unit_iter():
        target = unit.getlanguageNode(lang=None, index=1)
        contexts = [value for group in unit.getcontextgroups("po-entry") for kind, value in group if kind == MSGCTXT]
        edits.append(Edit(context=contexts[0] if contexts else None, source=unit.source or "",
                          target=unit.target or None, state=target.get("state") if target is not None else None,
                          approved=unit.isapproved(), exported=unit.xmlelement.get(EXPORTED),
                          line=unit.xmlelement.sourceline))
    return edits


def read_folder(folder: Path, locales: Path) -> dict[Path, tuple[Path, list[Edit]]]:
    """Every FOLDER/NAME.xlf read and checked, by catalog path, before anything is written."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("no such folder" if not folder.exists() else "is a file, not a folder", folder)
    known = {path.stem: path for path in catalogs(Path(locales))}
    found = {}
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        edits = read_xliff(path)
        if path.stem not in known:
            raise InputError(f"no catalog {path.stem}.po under {locales} for this file", path)
        found[known[path.stem]] = (path, edits)
    if not found:
        raise InputError(f"no XLIFF files here (expected NAME{SUFFIX}; `pipeline xliff export` writes them)", folder)
    return found


def import_folder(folder: Path, locales: Path, wrap: int) -> ImportResult:
    """Bring the edits of FOLDER/NAME.xlf back into the catalogs (the caller holds the project lock).

    Every file is read and checked first, so a malformed one writes nothing.
    Each catalog is replaced atomically, only if it still holds the bytes read
    (FileChanged otherwise), and only when an entry changed.
    """
    result = ImportResult()
    for po_file, (xlf, edits) in read_folder(folder, locales).items():
        po, snapshot = read_po_snapshot(po_file)
        changed = apply_edits(po, edits, xlf, result.skipped)
        if changed:
            po.metadata["PO-Revision-Date"] = header_date()
            write_atomic(po_file, po_text(po, wrap), expected=snapshot)
            result.written.append(po_file)
            result.changed += changed
    return result


def apply_edits(po: polib.POFile, edits: Iterable[Edit], xlf: Path, skipped: list[str]) -> int:
    """Apply one file's units to its catalog; returns how many entries changed, with a line in
    `skipped` for each unit left out."""
    entries = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete and e.msgid}
    changed = 0
    for edit in edits:
        where = f"{xlf}:{edit.line}" if edit.line else str(xlf)
        entry = entries.get((edit.context, edit.source))
        if entry is None:
            skipped.append(f"{where}: skipped: the source no longer matches an entry of the catalog: "
                           f"{edit.source[:60]!r}")
            continue
        if _apply(entry, edit, where, skipped):
            changed += 1
    return changed


def _apply(entry: polib.POEntry, edit: Edit, where: str, skipped: list[str]) -> bool:
    """Apply one unit to its entry; True when the entry changed."""
    if edit.exported is not None and fingerprint(edit.review_class, edit.target or "") == edit.exported:
        return False  # not touched in the CAT tool
    state = entry_state(entry)
    if edit.exported is not None and fingerprint(_review_class(state), entry.msgstr) != edit.exported:
        skipped.append(f"{where}: skipped: changed in the catalog too since the export; "
                       "export again and redo the edit")
        return False
    if not edit.target:
        if entry.msgstr:
            skipped.append(f"{where}: skipped: empty target; the catalog's translation is kept")
        return False
    needs_work = edit.state in NEEDS_WORK_STATES
    if edit.target != entry.msgstr:
        entry.msgstr = edit.target
        (mark_edited if needs_work else mark_reviewed)(entry)
        return True
    if edit.reviewed and state != State.REVIEWED:
        mark_reviewed(entry)  # approved in the CAT tool
        return True
    if edit.exported is not None and not edit.reviewed and state == State.REVIEWED:
        mark_edited(entry)  # un-approved in the CAT tool (only known with the fingerprint)
        return True
    return False
