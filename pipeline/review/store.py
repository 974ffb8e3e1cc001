"""The review app's access to the catalogs: list, read one as segments, save one entry.

Everything goes through the project's own code: catalogs are found with
``catalog.catalogs``, read with ``catalog.read_po``, states and marks come from
``catalog.conventions`` (never parsed here), counts from ``stats``, findings
from ``qa``, memory matches from ``tm``. A save is one writer among others:

- it holds the project lock (``lock.ProjectLock``) while it reads, writes and
  re-renders, so it never interleaves with a ``pipeline run``;
- the page sends the revision it was shown (the SHA-256 of the PO file's
  bytes, ``files.Snapshot``); a file that changed since (a Poedit save, a run)
  is refused with :class:`Conflict`, and the final rename is a compare-before-
  replace (``files.write_atomic(expected=...)``), so an editor saving in the
  last instant is not overwritten either;
- only the edited entry's lines change: the entry is written in GNU layout by
  ``catalog.po_text`` and spliced into the file as it was, so a file another
  tool laid out differently keeps its layout everywhere else.

Reverting needs the machine translation, which the PO no longer holds once an
entry has been edited: the store remembers the machine text of every entry it
has seen in the MACHINE state (for the life of the server), and otherwise asks
the configured engine again for that one segment.
"""
from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .. import catalog, glossary, qa, stats, tm
from ..catalog import conventions
from ..config import Config
from ..detect import load_do_not_translate
from ..files import FileChanged, Snapshot, write_atomic
from ..lock import ProjectLock
from ..model import State

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}")  # a catalog's file stem; no slash, no leading dot
ACTIONS = ("save", "approve", "revert")
CONFIRM_CHECKS = ("keep", "numbers")  # approving over these findings needs the reviewer's confirmation
LOCK_TIMEOUT = 30.0  # seconds a save waits for a running `pipeline run` to finish


class ReviewError(Exception):
    """A request the store refuses; `status` is the HTTP status the app answers with."""

    status = 400

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.details = details


class NotFound(ReviewError):
    status = 404


class Conflict(ReviewError):
    status = 409


class NeedsConfirmation(ReviewError):
    status = 422


def entry_id(entry: polib.POEntry) -> str:
    """A stable id for an entry: its (msgctxt, msgid) hashed, so it survives edits elsewhere in the file."""
    key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"  # gettext's EOT separator
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class Store:
    """The catalogs under one locales folder, as the review app reads and writes them."""

    config: Config
    machine_texts: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (doc, id) -> (text, engine)
    _mutex: threading.Lock = field(default_factory=threading.Lock)

    @property
    def locales(self) -> Path:
        return self.config.locales

    # Finding catalogs

    def names(self) -> list[str]:
        return [path.stem for path in catalog.catalogs(self.locales)]

    def path_of(self, name: str) -> Path:
        """The catalog of document NAME; NotFound for anything that is not a catalog under the locales folder."""
        if not NAME.fullmatch(name or "") or name not in self.names():
            raise NotFound(f"no document named {name!r} under {self.locales}")
        path = catalog.po_path(self.locales, name)
        folder = catalog.po_path(self.locales, "x").parent.resolve()
        if path.resolve().parent != folder:  # a symlink leading out of the locales folder
            raise NotFound(f"no document named {name!r} under {self.locales}")
        return path

    # Reading

    def documents(self) -> list[dict]:
        """One summary per catalog: name, counts by state (``stats``), QA errors and warnings."""
        found = []
        for path in catalog.catalogs(self.locales):
            numbers = stats.catalog_stats(path)
            findings = qa.check_catalog(path, self.terms())
            found.append({
                "name": path.stem,
                "counts": {key: numbers[key] for key in (*stats.COUNTS, "words") if key in numbers},
                "reviewed_percent": numbers.get("reviewed_percent"),
                "qa_errors": sum(f.severity == qa.ERROR for f in findings),
                "qa_warnings": sum(f.severity == qa.WARNING for f in findings),
            })
        return found

    def terms(self) -> list[glossary.Term]:
        return glossary.load(self.locales)

    def document(self, name: str) -> dict:
        """A document as the page shows it: paragraphs of segment ids, the entries, the revision."""
        path = self.path_of(name)
        data = path.read_bytes()
        po = catalog.read_po(path)
        terms = self.terms()
        memory = tm.Memory.load(self.locales)
        entries = {}
        for entry in po:
            if entry.obsolete or not entry.msgid:
                continue
            self._remember(name, entry)
            entries[entry_id(entry)] = self.entry_view(entry, terms, memory, tm.catalog_name(path, self.locales))
        doc = catalog.document_from_catalog(path, do_not_translate=load_do_not_translate(self.locales))
        paragraphs = []
        for paragraph in doc.paragraphs:
            ids = [entry_id(polib.POEntry(msgctxt=s.context, msgid=s.text)) for s in paragraph.segments]
            paragraphs.append({"number": paragraph.number, "segments": [i for i in ids if i in entries]})
        return {"name": name, "revision": Snapshot.of(path, data).digest, "source": po.metadata.get("X-Source", ""),
                "paragraphs": paragraphs, "entries": list(entries.values())}

    def entry_view(self, entry: polib.POEntry, terms: list[glossary.Term], memory: tm.Memory | None = None,
                   exclude: str = "") -> dict:
        """One entry as JSON: texts, state and engine (``conventions``), what to highlight, QA, memory matches."""
        state = conventions.entry_state(entry)
        occurrences = glossary.find(entry.msgid, terms)
        view = {
            "id": entry_id(entry), "msgctxt": entry.msgctxt, "msgid": entry.msgid, "msgstr": entry.msgstr,
            "state": state.value, "engine": conventions.engine_of(entry), "kind": conventions.kind_of(entry),
            "line": entry.linenum, "previous_msgid": entry.previous_msgid,
            "keep": conventions.keep_texts(entry),
            "terms": [{"english": entry.msgid[o.start:o.end], "spanish": o.spanish(entry.msgid), "note": o.term.note}
                      for o in occurrences],
            "qa": [{"check": f.check, "severity": f.severity, "message": f.message}
                   for f in qa.check_entry(entry, terms)],
            "matches": [],
        }
        if memory is not None and state != State.REVIEWED:
            exact = memory.exact(entry.msgid, entry.msgctxt, exclude=exclude)
            if exact is not None:
                view["matches"].append({"source": exact.source, "target": exact.target, "catalog": exact.catalog,
                                        "similarity": 1.0})
            close = memory.close(entry.msgid, self.config.similarity, exclude=exclude)
            if close is not None:
                view["matches"].append({"source": close.unit.source, "target": close.unit.target,
                                        "catalog": close.unit.catalog, "similarity": round(close.similarity, 3)})
        return view

    def _remember(self, name: str, entry: polib.POEntry) -> None:
        """Keep the machine text of an entry awaiting review, for a later revert."""
        if conventions.entry_state(entry) == State.MACHINE:
            self.machine_texts[(name, entry_id(entry))] = (entry.msgstr, conventions.engine_of(entry))

    # Saving

    def update(self, name: str, ident: str, revision: str, action: str, msgstr: str | None = None,
               confirm: bool = False) -> dict:
        """Save one entry (`action` save, approve or revert) if the catalog is still at `revision`.

        Returns the entry as it now is, the new revision and the dist files re-rendered.
        Raises Conflict when the file changed since `revision`, NeedsConfirmation when
        approving a translation with a lost kept span or number without `confirm`.
        """
        if action not in ACTIONS:
            raise ReviewError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
        if action != "revert" and not isinstance(msgstr, str):
            raise ReviewError("msgstr (a string) is required")
        path = self.path_of(name)
        with self._mutex, ProjectLock(self.locales, command="pipeline review", quiet=True, timeout=LOCK_TIMEOUT):
            data = path.read_bytes()
            snapshot = Snapshot.of(path, data)
            if snapshot.digest != revision:
                raise Conflict("the catalog changed on disk since this page was loaded (another editor or a "
                               "pipeline run saved it); reload to see its current content", revision=snapshot.digest)
            po = catalog.read_po(path)
            if Snapshot.of(path).digest != snapshot.digest:
                raise Conflict("the catalog changed on disk while it was being read; reload",
                               revision=Snapshot.of(path).digest)
            before = catalog.po_text(po, self.config.wrap)
            for entry in po:
                self._remember(name, entry)
            entry = next((e for e in po if not e.obsolete and e.msgid and entry_id(e) == ident), None)
            if entry is None:
                raise NotFound(f"no entry {ident!r} in {name}")
            terms = self.terms()
            self._apply(name, entry, action, msgstr, confirm, terms, path)
            after = catalog.po_text(po, self.config.wrap)
            text = splice_entry(data.decode("utf-8"), before, after)
            try:
                write_atomic(path, text, expected=snapshot)
            except FileChanged:
                raise Conflict("the catalog changed on disk while saving; nothing was written, reload",
                               revision=Snapshot.of(path).digest) from None
            rendered = self._render(po)
            saved_revision = Snapshot.of(path).digest  # the file just written: never None
        saved = next(e for e in catalog.read_po(path) if not e.obsolete and entry_id(e) == ident)
        return {"entry": self.entry_view(saved, terms), "revision": saved_revision,
                "rendered": [str(p) for p in rendered]}

    def _apply(self, name: str, entry: polib.POEntry, action: str, msgstr: str | None, confirm: bool,
               terms: list[glossary.Term], path: Path) -> None:
        """Change the entry in memory as the action says; marks through ``conventions``."""
        if action == "revert":
            text, engine = self.machine_translation(name, entry, path)
            entry.msgstr = text
            conventions.mark_machine(entry, engine)
            return
        if msgstr is None:  # update() refuses this already; the other actions all need a msgstr
            raise ReviewError("msgstr (a string) is required")
        changed = msgstr != entry.msgstr
        entry.msgstr = msgstr
        if action == "save":
            if changed and conventions.entry_state(entry) != State.REVIEWED:
                conventions.mark_edited(entry)
            elif not msgstr:
                entry.flags = [f for f in entry.flags if f != "fuzzy"]  # an empty msgstr is untranslated, not fuzzy
            return
        if not msgstr.strip():
            raise ReviewError("an empty translation cannot be approved")
        findings = [f for f in qa.check_entry(entry, terms) if f.severity == qa.ERROR]
        serious = [f for f in findings if f.check in CONFIRM_CHECKS]
        if serious and not confirm:
            raise NeedsConfirmation("approve although QA finds: " + "; ".join(f.message for f in serious),
                                    qa=[{"check": f.check, "severity": f.severity, "message": f.message}
                                        for f in findings])
        conventions.mark_reviewed(entry)
        lines = [line for line in entry.tcomment.split("\n") if line and not line.startswith(qa.QA_PREFIX)] \
            if entry.tcomment else []
        # approved over QA errors: the finding stays in the PO (as `pipeline qa --write-comments` writes it)
        lines += [f"{qa.QA_PREFIX}{f.severity}: {f.check}: {f.message}" for f in findings]
        entry.tcomment = "\n".join(lines)

    def machine_translation(self, name: str, entry: polib.POEntry, path: Path) -> tuple[str, str]:
        """The machine text for an entry: the one this server saw, else the configured engine's, now."""
        remembered = self.machine_texts.get((name, entry_id(entry)))
        if remembered is not None:
            return remembered
        from ..engines import get_engine
        from ..translate import translate_segments

        doc = catalog.document_from_catalog(path, do_not_translate=load_do_not_translate(self.locales))
        segment = next((s for s in doc.segments() if (s.context, s.text) == (entry.msgctxt, entry.msgid)), None)
        if segment is None or segment.fully_protected:
            raise ReviewError("this segment has no machine translation (it is kept as written)")
        segment.translation, segment.state, segment.engine = "", State.UNTRANSLATED, ""
        engine = get_engine(self.config.engine, self.config.engines)
        translate_segments([segment], engine, quiet=True)
        self.machine_texts[(name, entry_id(entry))] = (segment.translation, segment.engine)
        return segment.translation, segment.engine

    def _render(self, po: polib.POFile) -> list[Path]:
        """Re-render the document's pages in dist from its catalog (only files whose bytes change are written)."""
        from .. import api

        source = po.metadata.get("X-Source")
        path = (self.locales / source) if source else None
        if path is None or not path.resolve().is_file():
            return []
        return list(api.render([path.resolve()], quiet=True, config=self.config).written)


def splice_entry(original: str, before: str, after: str) -> str:
    """The file `original` with only the entry that differs between `before` and `after` replaced.

    `before` and `after` are ``po_text`` of the catalog before and after one
    entry changed; entries are blank-line separated blocks, so the changed block
    is found by position and replaced in the original, keeping every other byte.
    When the original's blocks do not line up with ours, the whole file is
    written in GNU layout (``after``): same content, another tool's layout lost.
    """
    old_blocks, new_blocks, raw_blocks = before.split("\n\n"), after.split("\n\n"), original.split("\n\n")
    if len(old_blocks) != len(new_blocks) or len(raw_blocks) != len(old_blocks):
        return after
    changed = [i for i, (old, new) in enumerate(zip(old_blocks, new_blocks)) if old != new]
    if not changed:
        return original
    for index in changed:
        tail = "\n" if index == len(raw_blocks) - 1 and raw_blocks[index].endswith("\n") else ""
        raw_blocks[index] = new_blocks[index].rstrip("\n") + tail
    result = "\n\n".join(raw_blocks)
    check = polib.pofile(result, wrapwidth=0)
    expected = polib.pofile(after, wrapwidth=0)
    if [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.comment, e.tcomment, e.obsolete) for e in check] != \
            [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.comment, e.tcomment, e.obsolete) for e in expected]:
        return after  # the blocks did not correspond after all
    return result
