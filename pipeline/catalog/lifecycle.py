"""A document's catalog over time: loaded before translating, saved after, rebuilt when the source is absent.

The PO file is where reviewers work, so it is read before anything is written
and its translations win: a catalog entry that has a translation is kept as it
is (a reviewed one is never overwritten), removed segments become obsolete
(``#~``) and come back with their translation when the sentence returns, and an
edited sentence inherits the closest old translation as a fuzzy starting point
with the old source as previous msgid (``#| msgid``), as msgmerge does.

Entries are written in source order and header dates are kept unless the
content changed; a file whose content would not change is not rewritten, so a
file re-saved by msgcat or Poedit is taken as it is.

Compare before replace: ``save`` keeps the Snapshot of the PO bytes it read and
replaces the file only if it still holds them (``files.write_atomic``). When an
editor (which takes no lock) saved it in between, the file is read again and the
catalog rebuilt over the editor's version: every entry the editor translated or
changed stays as the editor left it, and this run's new translations go only into
entries still untranslated there. After ``MERGE_TRIES`` such races in a row the
catalog is left as it is and the caller gets one line saying so.

Memory (issue 13, finding 9): a 30 MB source's extract peaked at 725 MB of RSS, 273 MB of it in
``save`` and the read-back. Entries are now made as they are written (never a POFile of the new
template or catalog), old and new texts are compared by digest (``_fingerprint``), and old files
are parsed entry by entry keeping only what is used (``_read_old``, ``_read_for_load``): the same
extract's save and read-back add ~60 MB to the Document, and the files' bytes are unchanged.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from pathlib import Path
from typing import Callable, Collection, Iterable, Iterator

import polib

from ..errors import InputError
from ..files import FileChanged, Snapshot, holds_nothing, read_parsed, write_atomic
from ..model import DO_NOT_TRANSLATE, SOURCE_LANG, SPANISH, TARGET_LANG, Document, Paragraph, Segment, Span, State
from ..similarity import best_match
from ..spans import cover
from ..segment import CUT_NOTES
from .conventions import (ATTRIBUTE, CUT, HISTORY, KEEP, MEMORY_ENGINE, PREVIOUS_MSGIDS, attribute_comments, comment_values,
                          cut_of, engine_of, entry_state, foreign_comments, header, header_date, history_comments,
                          history_lines, kind_comments, kind_of, memory_pair, protected_comments, replaced_comment,
                          translator_comments, with_markup_moved)
from .paths import locales_of, po_path, pot_path
from .pofile import Key, entry_block, header_block, iter_po, key_digest, po_chunks, read_po

# Document.meta key: the (msgctxt, msgid) of machine translations redone on purpose (a glossary change)
RETRANSLATED = "retranslated"
# A key's occurrences, flat: [reference line, segment, reference line, segment, ...]. A 30 MB source has
# ~270,000 segments; a (line, segment) tuple for each was 15 MB of the save's peak.
Occurrences = list
FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
MERGE_TRIES = 5  # re-reads of a catalog saved by someone else while we were saving it, before giving up


# Loading into a Document

def load(doc: Document, locales: Path, similarity: float, catalog_text: str | None = None) -> Document:
    """Fill each segment's translation, state and engine from the document's existing PO file.

    An exact msgid (and msgctxt) match, active or obsolete, gives its translation
    and state. Otherwise an old translated entry becomes a FUZZY starting point,
    its msgid recorded as previous msgid in ``doc.meta["previous_msgids"]``,
    wherever msgmerge would offer one: the old sentence that stood at the same
    place (aligned with difflib over the entry sequence) when at least
    SAME_PLACE_FLOOR alike, else the closest old entry at least
    min(`similarity`, MSGMERGE_THRESHOLD) alike. The project's ``similarity``
    setting can make matching looser, never stricter than msgmerge's; among
    several candidates the most alike wins. Segments with no match stay as they
    are (UNTRANSLATED, for the engine). `catalog_text`: the PO's text, when the
    caller read it (a worker of a parallel run has no files).
    """
    path = po_path(locales, doc.name)
    previous: dict[Key, str] = {}
    doc.meta[PREVIOUS_MSGIDS] = previous
    if catalog_text is None and not path.is_file():
        return doc
    if catalog_text is not None:
        return _apply(doc, _read_for_load(catalog_text, path, doc), similarity)
    old = read_parsed(path, lambda raw: None if holds_nothing(raw) else _read_for_load(raw, path, doc))
    return doc if old is None else _apply(doc, old, similarity)  # None: what a crash left of a new catalog


def read_back(doc: Document, locales: Path, similarity: float, saved: Saved | None = None,
              raw: bytes | None = None) -> str:
    """``load`` the document's PO file just saved (so what is rendered is what the PO holds); returns
    the SHA-256 (hex) of exactly the bytes read, "" when there is no file.

    With `saved` (what ``save_catalog`` returned for it) that holds the catalog as ``load`` would read
    it (the save wrote, or found, exactly the text it made), the file is not parsed again: the same
    entries give the same translations, states, engines and previous msgids, and its digest is of
    the bytes written. At 2,024 documents the parse was 1.8 s of a 4.4 s save stage.
    `raw`: the PO's bytes, given (``make_catalogs``'s, on a worker), not read from the file."""
    doc.meta[PREVIOUS_MSGIDS] = {}
    if saved is not None and saved.held is not None:
        _apply(doc, saved.held.catalog(), similarity)
        return saved.digest
    path = po_path(locales, doc.name)
    if raw is not None:
        if not holds_nothing(raw):
            _apply(doc, _read_for_load(raw, path, doc), similarity)
        return hashlib.sha256(raw).hexdigest()
    if not path.is_file():
        load(doc, locales, similarity)
        return ""
    def parse(raw: bytes) -> tuple[bytes, _OldCatalog | None]:
        return raw, None if holds_nothing(raw) else _read_for_load(raw, path, doc)

    raw, old = read_parsed(path, parse)
    if old is not None:
        _apply(doc, old, similarity)
    return hashlib.sha256(raw).hexdigest()


def _apply(doc: Document, old: _OldCatalog, similarity: float) -> Document:
    """Fill the document's segments from what ``load`` keeps of a catalog (see ``load``)."""
    previous = doc.meta[PREVIOUS_MSGIDS]
    unmatched = []
    for segment in doc.segments():
        key = (segment.context, segment.text)
        entry = old.found.get(key)
        if entry is not None:
            segment.translation, segment.state, segment.engine = entry.msgstr, entry.state, entry.engine
            if entry.previous_msgid is not None and not entry.obsolete:
                previous[key] = entry.previous_msgid
        elif not segment.fully_protected and segment.state == State.UNTRANSLATED:
            unmatched.append(segment)
    if unmatched and old.candidates:  # no translated old entry outside the document: nothing to offer
        in_place = _same_place(doc, old.sequence, set(map(id, old.candidates)))
        threshold = min(similarity, MSGMERGE_THRESHOLD)
        for segment in unmatched:
            here = in_place.get((segment.context, segment.text), [])
            match = closest(segment.text, here, SAME_PLACE_FLOOR) or closest(segment.text, old.candidates, threshold)
            if match is not None:
                segment.translation, segment.state, segment.engine = match.msgstr, State.FUZZY, ""
                previous[(segment.context, segment.text)] = match.msgid
    return doc


@dataclasses.dataclass(slots=True)
class _Old:
    """What ``load`` keeps of an old entry: its translation and how it was made."""

    msgid: str
    msgstr: str
    state: State
    engine: str
    previous_msgid: str | None
    obsolete: bool


@dataclasses.dataclass
class _OldCatalog:
    """What ``load`` needs of a PO file, gathered entry by entry as it is parsed.

    `found`: for each key of the document, its old entry (an active one before any obsolete one, as
    msgmerge chooses) when that has a translation. `candidates`: the other keys' chosen entries that have a
    translation, fuzzy starting points for edited sentences. `sequence`: the active chosen entries in
    file order, for aligning old with new; an entry that is neither stands there as a marker that
    equals no key. Untranslated entries and references are not kept: read back after a save, a
    30 MB source's catalog held ~130 MB as polib's POFile and needs a few MB this way.
    """

    found: dict[Key, _Old]
    candidates: list[_Old]
    sequence: list


def _read_for_load(text: bytes | str, path: Path, doc: Document) -> _OldCatalog:
    """Parse the PO file (every check of ``parse_po``) keeping only what ``load`` uses for `doc`."""
    gather = _Gathering(doc)
    iter_po(text, path, gather.take)
    return gather.catalog()


class _Gathering:
    """What ``load`` keeps of a catalog for `doc`, gathered from its entries in file order (``take``):
    the entries parsed from the file, or those ``save`` writes into it as it writes them (``written``)."""

    def __init__(self, doc: Document) -> None:
        self._canonical: dict[Key, Key] = {}  # the document's own key objects, so that no msgid read is kept
        for segment in doc.segments():
            key = (segment.context, segment.text)
            self._canonical.setdefault(key, key)
        # a document key, or the key_digest of another → the chosen entry: an _Old when it has a
        # translation, else True (active) or False (obsolete); no object is made for an untranslated entry
        self._chosen: dict[Key | bytes, _Old | bool] = {}
        self._no_msgid: set[Key | bytes] = set()
        self.exact = True  # every entry written reads back as it was made (``written``)
        self.memory: list[tuple[str, str, str | None]] = []  # what the memory takes of the entries written

    def take(self, entry: polib.POEntry) -> None:
        key = (entry.msgctxt, entry.msgid)
        ours = self._canonical.get(key)
        slot = ours if ours is not None else key_digest(*key)
        held = self._chosen.get(slot)
        if held is True or (isinstance(held, _Old) and not held.obsolete):
            return  # an active entry was chosen already: it wins over any later one
        state = entry_state(entry)
        self._chosen[slot] = (not entry.obsolete if state == State.UNTRANSLATED else
                              _Old(entry.msgid, entry.msgstr, state, engine_of(entry), entry.previous_msgid,
                                   entry.obsolete))
        if not entry.msgid:
            self._no_msgid.add(slot)

    def written(self, entries: Iterable[polib.POEntry]) -> Iterator[polib.POEntry]:
        """`entries` as they go to the writer, each taken as the parse of the file would give it."""
        for entry in entries:
            if self.exact and not _reads_back_as_made(entry):
                self.exact = False
            self.take(entry)
            pair = memory_pair(entry)
            if pair is not None:
                self.memory.append(pair)
            yield entry

    def catalog(self) -> _OldCatalog:
        return _catalog_of(self._chosen, self._no_msgid)


# Characters the parse of a written entry would not give back as they were: NUL makes the file "binary"
# (an InputError), a CR in a comment ends its line there, and the parser strips whitespace (U+2028, VT,
# ... included) from the end of a comment line.
_BINARY = "\x00"


def _reads_back_as_made(entry: polib.POEntry) -> bool:
    """True when what ``load`` reads of `entry` (its strings, flags, history lines) is, parsed from the text
    ``po_chunks`` writes for it, exactly what it holds. Quoted strings are escaped so that the parse
    gives them back whole (tests/test_save_fast.py); comments are written as they are, line by line."""
    for text in (entry.msgid, entry.msgstr, entry.msgctxt or "", entry.previous_msgid or "",
                 *entry.msgstr_plural.values()):
        if _BINARY in text:
            return False
    for comment in (entry.tcomment, entry.comment):
        if comment and ("\r" in comment or _BINARY in comment):
            return False
        for line in comment.split("\n") if comment else ():  # a line as written; load reads history_comments,
            # its pieces split as str.splitlines does: one whose end the parse would strip must not hold one
            if line != line.rstrip() and any(piece.startswith(HISTORY) for piece in line.splitlines()):
                return False
    return all(flag == flag.strip() and "," not in flag for flag in entry.flags)


def _catalog_of(chosen: dict, no_msgid: set) -> _OldCatalog:
    found: dict[Key, _Old] = {}
    candidates: list[_Old] = []
    sequence: list = []
    for slot, held in chosen.items():
        if isinstance(held, _Old):
            if isinstance(slot, tuple):
                found[slot] = held
            else:
                candidates.append(held)
        if (held is True or (isinstance(held, _Old) and not held.obsolete)) and slot not in no_msgid:
            sequence.append(slot if isinstance(slot, tuple) else held if isinstance(held, _Old) else object())
    return _OldCatalog(found, candidates, sequence)


# msgmerge offers an old translation as fuzzy above 0.6 on its fstrcmp measure (gettext's
# FUZZY_THRESHOLD); difflib's ratio is the same kind of measure (2 × matches / total length).
MSGMERGE_THRESHOLD = 0.6
# A sentence edited in place (the old one gone from the same spot) is offered down to this much alike,
# so an edit msgmerge would catch is never missed because the two measures differ a little.
SAME_PLACE_FLOOR = 0.5


def _same_place(doc: Document, sequence: list, usable: set[int]) -> dict[Key, list[_Old]]:
    """For each new segment key, the usable old entries that stood at the same place in the entry
    sequence: aligned with difflib, the old side of each replaced run of entries. `sequence`: the old
    active entries in order, as keys of the document, usable entries, or markers equal to nothing."""
    from difflib import SequenceMatcher

    new_keys = list(dict.fromkeys((s.context, s.text) for s in doc.segments() if s.text.strip()))
    old_keys = [item if isinstance(item, tuple) else id(item) for item in sequence]  # ids equal no key
    places: dict[Key, list[_Old]] = {}
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes():
        if tag == "replace":
            for key in new_keys[j1:j2]:
                places[key] = [item for item in sequence[i1:i2] if id(item) in usable]
    return places


def closest(text: str, entries: list[polib.POEntry], similarity: float) -> polib.POEntry | None:
    """The entry whose msgid is most like `text`, if at least `similarity` alike (0..1)."""
    found = best_match(text, entries, similarity, key=lambda entry: entry.msgid)
    return found[0] if found else None


# Saving

def save(doc: Document, locales: Path, wrap: int, untouched: list[str] | None = None) -> list[Path]:
    """Write the document's POT and PO files; returns the files that changed (``save_catalog``)."""
    return save_catalog(doc, locales, wrap, untouched).written


@dataclasses.dataclass
class Saved:
    """What ``save_catalog`` did: the files it changed, and, when the PO holds exactly the text it made
    (written, or found there byte for byte; no merge with another program's save), what ``load`` reads
    of it (`held`, made into a catalog only there: the save returns as soon as its rename is done) and the
    SHA-256 (hex) of its bytes, for ``read_back``. `held` None: read it back."""

    written: list[Path]
    held: _Gathering | None = None
    digest: str = ""


def save_catalog(doc: Document, locales: Path, wrap: int, untouched: list[str] | None = None,
                 files: _Files | None = None) -> Saved:
    """Write the document's POT and PO files; returns what it did (``Saved``). `files`: where the old
    files are read from and the new ones go (``make_catalogs``: bytes given, texts returned); default, the disk.

    An existing entry that has a translation is kept as it is (a reviewed one
    is never overwritten); entries whose segment left the source become
    obsolete. A file whose content would not change is left as it is, in
    whatever layout it was saved (msgcat, Poedit). `wrap` is the line width
    (the project's ``wrap`` setting, 79 like msgmerge); 0 means no wrapping.
    A PO file changed on disk while it was being saved is merged (see the
    module docstring); one that cannot be is left alone, with a line in `untouched`.

    Durability: a file is written with an fsync only when it replaces a PO that holds something (it
    may hold a translator's work). A catalog created where there was none, and the template (made
    from the source alone, and made again when damaged), are not: a crash that loses them leaves no
    file or an empty one, whose digest differs from the build state's, so the document is done again.
    At 2,024 documents the 4,048 fsyncs of a first run were 1.35 s of the save stage's 4.4 s.
    """
    locales = Path(locales)
    read_old, write = (files.read_old, files.write) if files is not None else (_read_old, write_atomic)
    pot_file, po_file = pot_path(locales, doc.name), po_path(locales, doc.name)
    groups = _group(doc)
    old_po, snapshot = read_old(po_file, groups, wrap)
    try:
        old_pot = read_old(pot_file, None, wrap)[0]
    except InputError:  # a template left empty or cut short by a crash: it is made again from the source
        old_pot = None
    source = (files.x_source if files is not None and files.x_source is not None
              else _x_source(doc, locales, old_po.header if old_po else None))

    def template_text() -> Iterator[str]:  # made afresh for each use: never held whole
        return po_chunks(pot, (_template_entry(key, occurrences, doc.filename)
                               for key, occurrences in groups.items()), wrap)

    pot = polib.POFile()  # the template's header; its entries are made as they are written
    pot.metadata_is_fuzzy = True
    created = old_pot.header.metadata.get("POT-Creation-Date") if old_pot else None
    pot.metadata = header(created or header_date(), source, template=True)
    old_template = old_pot.fingerprint if old_pot is not None else None
    if created is None or _fingerprint(template_text()) != old_template:
        # the template changed: new date, so the text differs from the old one's from here on
        created = pot.metadata["POT-Creation-Date"] = header_date()
        old_template = None
    del old_pot
    written = []
    if old_template is None and write(pot_file, template_text(), durable=False):
        written.append(pot_file)

    previous = doc.meta.get(PREVIOUS_MSGIDS, {})
    fillable: set[Key] | None = None  # None: every entry may take the run's translation
    for _ in range(MERGE_TRIES):
        old_print = old_po.fingerprint if old_po is not None else None  # taken before _obsolete marks its entries
        text = _catalog_text(groups, doc.filename, old_po, created, source, previous, wrap, fillable,
                             doc.meta.get(RETRANSLATED, set()))
        # after a merge the file holds the other program's entries too: read back, not gathered
        gather, hashed = (_Gathering(doc) if fillable is None else None), hashlib.sha256()
        if old_print is not None and _fingerprint(text(gather), hashed) == old_print:
            # same content: left as it is. In our own layout the bytes read are the text made (a re-run
            # that changes nothing); in another tool's (msgcat, Poedit), they are read back
            if gather is not None and gather.exact and hashed.hexdigest() == snapshot.digest:
                return Saved(written, gather, hashed.hexdigest())
            return Saved(written)
        gather, hashed = (_Gathering(doc) if fillable is None else None), hashlib.sha256()
        try:
            if write(po_file, _hashing(text(gather), hashed), expected=snapshot, durable=old_po is not None):
                written.append(po_file)
            if gather is None or not gather.exact:
                return Saved(written)
            return Saved(written, gather, hashed.hexdigest())
        except FileChanged:
            if fillable is None:  # the run may fill only what was untranslated when it first read the file
                first = old_po.by_key if old_po is not None else {}
                fillable = {key for key in groups
                            if key not in first or entry_state(first[key]) == State.UNTRANSLATED}
            old_po, snapshot = read_old(po_file, groups, wrap)
    note = (f"{po_file}: saved by another program {MERGE_TRIES} times while this run was saving it; "
            "left as that program wrote it (run again to add this run's translations)")
    if untouched is not None:
        untouched.append(note)
    return Saved(written)


@dataclasses.dataclass(frozen=True)
class Unwritten:
    """A file ``make_catalogs`` made and did not write: `data` for `path`, with what ``write_atomic`` is to
    be given (`expected`: replace only a file that still holds what the catalog was made from)."""

    path: Path
    data: bytes
    expected: Snapshot | None
    durable: bool


class _Files:
    """Where ``save_catalog`` reads the old files and puts the new ones: the disk (``_read_old`` and
    ``write_atomic``), or, for ``make_catalogs``, the old files' bytes as given and a list of what it would write."""

    def __init__(self, old: dict[Path, bytes | None], x_source: str | None = None) -> None:
        self._old = old
        self.x_source = x_source  # the header's X-Source, as the driver made it (None: made here)
        self.made: list[Unwritten] = []

    def read_old(self, path: Path, keys: Collection[Key] | None, wrap: int) -> tuple[_OldFile | None, Snapshot]:
        return _read_old(path, keys, wrap, raw=self._old.get(path))

    def write(self, path: Path, data: Iterable[str] | Iterable[bytes], expected: Snapshot | None = None,
              durable: bool = True) -> bool:
        whole = b"".join(piece.encode("utf-8") if isinstance(piece, str) else piece for piece in data)
        self.made.append(Unwritten(path, whole, expected, durable))
        return True


def make_catalogs(doc: Document, locales: Path, wrap: int, old: dict[Path, bytes | None],
                  x_source: str | None = None) -> tuple[Saved, list[Unwritten]]:
    """What ``save_catalog`` would write, made from the old POT and PO given as bytes (`old`: path -> bytes,
    None or absent when there is no file) without reading or writing a file: for a task on a worker
    (``pipeline.batch``), whose driver writes the files (``write_atomic`` with each one's `expected`;
    FileChanged when an editor saved the PO since its bytes were read, and then the driver saves it
    itself, merging). The same bytes as ``save_catalog`` on files that hold `old`; InputError when an
    old file does not parse (an editor's save caught halfway: the driver saves it, waiting for the rest).
    `x_source`: the source's path relative to the locales folder as the driver sees them
    (:func:`x_source`): a worker's current folder may be another, and a relative path means another place there."""
    files = _Files(old, x_source)
    saved = save_catalog(doc, locales, wrap, files=files)
    return saved, files.made


def _hashing(chunks: Iterable[str], hashed) -> Iterator[bytes]:
    """The pieces of text as the UTF-8 bytes ``write_atomic`` writes, each added to `hashed` as it goes."""
    for chunk in chunks:
        piece = chunk.encode("utf-8")
        hashed.update(piece)
        yield piece


def _fingerprint(chunks: Iterable[str], whole=None) -> bytes:
    """What stands for a catalog's text given in pieces (``po_chunks``: the header block first), so
    that two texts are compared with neither held whole: the SHA-256 of the header block, then that
    of the rest (an old file's header is known only once it is all read). `whole`: a hash that is
    also given every byte of the text."""
    pieces = iter(chunks)
    head = next(pieces).encode("utf-8", "surrogatepass")
    first, rest = hashlib.sha256(head).digest(), hashlib.sha256()
    if whole is not None:
        whole.update(head)
    for chunk in pieces:
        piece = chunk.encode("utf-8", "surrogatepass")
        rest.update(piece)
        if whole is not None:
            whole.update(piece)
    return first + rest.digest()


@dataclasses.dataclass
class _OldFile:
    """What ``save`` needs of the POT or PO file on disk, gathered entry by entry as it is parsed."""

    header: polib.POFile  # header comments, fuzzy mark and metadata; no entries
    fingerprint: bytes  # of the file's text as ``po_text`` would write it (``_fingerprint``)
    by_key: dict[Key, polib.POEntry]  # the entries of the document's keys, an active one before any obsolete
    # one; an active entry that _as_if_new is left out (as if there were none: _catalog_entry makes the same)
    others: list[polib.POEntry]  # the translated entries of other keys, in file order: may become obsolete


def _read_old(path: Path, keys: Collection[Key] | None, wrap: int, raw: bytes | None | bool = False
              ) -> tuple[_OldFile | None, Snapshot]:
    """The old file at `path` (None if there is none) and the Snapshot of the bytes parsed. Entries are
    kept only for `keys` (None: none, as for a template) and for other keys' translations: a re-run
    over a 30 MB source held its old PO as polib's POFile, its text and its bytes at once (~200 MB).
    `raw`: the file's bytes, given (None: there is no file); by default they are read from `path`."""
    if raw is None or (raw is False and not path.is_file()):
        return None, Snapshot(path, None)

    def parse(raw: bytes) -> tuple[_OldFile | None, Snapshot]:
        snapshot = Snapshot.of(path, raw)
        if holds_nothing(raw):  # what a crash left of a file created without an fsync: nothing to keep
            return None, snapshot
        rest, held = hashlib.sha256(), []  # the active entries' text as it goes; the obsolete ones' for after
        by_key: dict[Key, polib.POEntry] = {}
        others: list[polib.POEntry] = []
        blank: set[bytes] = set()  # key_digest of active entries left out of by_key by _as_if_new

        def take(entry: polib.POEntry) -> None:
            block = "\n" + entry_block(entry, wrap)
            if entry.obsolete:
                held.append(block)
            else:
                rest.update(block.encode("utf-8", "surrogatepass"))
            if keys is None:
                return
            key = (entry.msgctxt, entry.msgid)
            if key not in keys:
                if entry.msgid and entry_state(entry) != State.UNTRANSLATED:
                    others.append(entry)
            elif not entry.obsolete:  # an active entry wins over any obsolete one (one active per key)
                if _as_if_new(entry):
                    by_key.pop(key, None)
                    blank.add(key_digest(*key))
                else:
                    by_key[key] = entry
            elif key_digest(*key) not in blank and (key not in by_key or by_key[key].obsolete):
                by_key[key] = entry

        header = iter_po(raw, path, take)
        for block in held:
            rest.update(block.encode("utf-8", "surrogatepass"))
        first = hashlib.sha256(header_block(header, wrap).encode("utf-8", "surrogatepass")).digest()
        return _OldFile(header, first + rest.digest(), by_key, others), snapshot

    if isinstance(raw, bytes):
        return parse(raw)
    return read_parsed(path, parse)


def _as_if_new(entry: polib.POEntry) -> bool:
    """True for an untranslated entry with nothing of a translator's or another tool's (no translator
    comment, flag but fuzzy, or comment the pipeline does not write): ``_catalog_entry`` makes the
    same entry from it as from none. Most entries of an extracted catalog are such; a re-run over a
    30 MB source kept ~75,000 of them as polib entries."""
    return (entry_state(entry) == State.UNTRANSLATED and not translator_comments(entry)
            and all(flag == "fuzzy" for flag in entry.flags) and not foreign_comments(entry))


def _catalog_text(groups: dict[Key, Occurrences], filename: str, old_po: _OldFile | None,
                  created: str, source: str | None, previous: dict[Key, str], wrap: int,
                  fillable: set[Key] | None, retranslated: Collection[Key] = frozenset()
                  ) -> Callable[..., Iterator[str]]:
    """What makes the PO file's text, in pieces (call it once per use; with a ``_Gathering``, every entry
    is also given to it in file order, as written): the template's entries filled
    from `old_po`, else (for keys in `fillable`, or all keys when it is None) from the document's
    segments; for keys in `retranslated`, the segment's new machine translation replaces the old
    entry's machine translation. Old entries gone from the source are marked obsolete here, once."""
    po = _po_file(old_po.header if old_po is not None else None, created, source)
    old_by_key = old_po.by_key if old_po is not None else {}
    gone = _obsolete(old_po.others, set(groups)) if old_po is not None else []

    def entries() -> Iterator[polib.POEntry]:
        for key, occurrences in groups.items():
            fill = fillable is None or key in fillable
            yield _catalog_entry(_template_entry(key, occurrences, filename), occurrences[1],
                                 old_by_key.get(key), previous.get(key),
                                 fill=fill, replace_machine=fill and key in retranslated)
    def text(gather: _Gathering | None = None) -> Iterator[str]:
        if gather is None:
            return po_chunks(po, entries(), wrap, obsolete=gone)
        return po_chunks(po, gather.written(entries()), wrap, obsolete=gather.written(gone))
    return text


def _group(doc: Document) -> dict[Key, Occurrences]:
    """Each (msgctxt, msgid)'s occurrences (reference line and segment), in source order; blank segments skipped.

    The reference is the source line where the segment's paragraph starts
    (``#: NAME.txt:8``), so "open source" in Poedit and Lokalize lands on it; a
    paragraph a reader gave no line keeps its number."""
    groups: dict[Key, Occurrences] = {}
    for paragraph in doc.paragraphs:
        for segment in paragraph.segments:
            if segment.text.strip():
                key = (segment.context, segment.text)
                occurrences = groups.get(key)
                if occurrences is None:
                    groups[key] = [paragraph.line or paragraph.number, segment]
                else:
                    occurrences += (paragraph.line or paragraph.number, segment)
    return groups


def x_source(doc: Document, locales: Path) -> str | None:
    """The catalog header's X-Source for `doc` as this process sees the paths (None: the document has no source)."""
    return _x_source(doc, locales, None) if doc.source is not None else None


def _x_source(doc: Document, locales: Path, old_po: polib.POFile | None) -> str | None:
    """The source path relative to the locales folder, with forward slashes."""
    if doc.source is None:
        return old_po.metadata.get("X-Source") if old_po else None
    return os.path.relpath(doc.source, locales).replace(os.sep, "/")  # relpath makes both absolute first


def _po_file(old_po: polib.POFile | None, created: str, source: str | None) -> polib.POFile:
    """An empty PO file whose header keeps what a translator set in the old one."""
    po = polib.POFile()
    if old_po is not None:
        po.header, po.metadata_is_fuzzy = old_po.header, False
    po.metadata = header(created, source, old=old_po.metadata if old_po is not None else None)
    return po


def _template_entry(key: Key, occurrences: Occurrences, filename: str) -> polib.POEntry:
    """The POT entry for all occurrences of one segment text: comments and references."""
    first = occurrences[1]
    lines = kind_comments(first.kind) + ([CUT + CUT_NOTES[first.cut]] if first.cut else [])
    lines += attribute_comments([s.place for s in occurrences[1::2]])
    kept = list(dict.fromkeys(s.text for s in first.spans
                              if s.protected and s.replacement is None and s.text.strip() and "\n" not in s.text))
    if not kept and first.lang == TARGET_LANG:
        kept = [first.text]
    lines += [KEEP + text for text in kept]
    lines += list(dict.fromkeys(replaced_comment(s.reason, s.text, s.replacement) for s in first.spans
                                if s.protected and s.replacement is not None))
    references = list(dict.fromkeys((filename, str(number)) for number in occurrences[::2]))
    return polib.POEntry(msgctxt=key[0], msgid=key[1], msgstr="", comment="\n".join(lines),
                         occurrences=references)


def _catalog_entry(template: polib.POEntry, segment: Segment, old: polib.POEntry | None,
                   previous: str | None, fill: bool = True, replace_machine: bool = False) -> polib.POEntry:
    """The PO entry: the old entry's translation if it has one, else the segment's (unless not `fill`:
    an entry someone emptied while we worked stays empty). `replace_machine`: the segment was
    machine-translated again (a glossary change) and the old entry is the engine's, not a human's,
    so the new translation takes its place (its translator comments stay)."""
    lines = template.comment.splitlines()
    entry = polib.POEntry(msgctxt=template.msgctxt, msgid=template.msgid, occurrences=template.occurrences)
    notes = translator_comments(old) if old is not None else []  # the translator's own, first and as written
    if old is not None:
        entry.flags = [f for f in old.flags if f != "fuzzy"]
    replace = replace_machine and old is not None and entry_state(old) == State.MACHINE \
        and segment.state == State.MACHINE
    if old is not None and entry_state(old) != State.UNTRANSLATED and not replace:
        entry.msgstr = old.msgstr
        if old.fuzzy:
            entry.flags.insert(0, "fuzzy")
        entry.previous_msgid = old.previous_msgid if old.fuzzy and not old.obsolete else None
        history = history_comments(old)  # a legacy `#.` mark moves to a translator comment here
        lines += foreign_comments(old)
    else:
        entry.msgstr = segment.translation if segment.state != State.UNTRANSLATED and fill else ""
        if entry.msgstr and segment.state in (State.MACHINE, State.FUZZY):
            entry.flags.insert(0, "fuzzy")
        if entry.msgstr and segment.state == State.FUZZY:
            entry.previous_msgid = previous
        history = []
        if fill and (segment.engine.startswith(MEMORY_ENGINE) or (entry.msgstr and segment.state == State.MACHINE)):
            history = history_lines(segment.engine or "unknown")
        if old is not None:
            lines += foreign_comments(old)
    entry.tcomment = "\n".join(notes + history)
    if old is None or entry_state(old) == State.UNTRANSLATED:  # a new translation: its markup-moved note
        entry.tcomment = with_markup_moved(entry.tcomment, bool(entry.msgstr) and segment.markup_moved)
    entry.comment = "\n".join(lines)
    return entry


def _obsolete(old_entries: Iterable[polib.POEntry], keys: set[Key]) -> list[polib.POEntry]:
    """Old entries no longer in the source that hold a translation, in their old order, marked obsolete."""
    gone = []
    for entry in old_entries:
        key = (entry.msgctxt, entry.msgid)
        if key in keys or entry_state(entry) == State.UNTRANSLATED or not entry.msgid:
            continue
        keys = keys | {key}
        entry.obsolete, entry.occurrences, entry.previous_msgid = True, [], None
        gone.append(entry)
    return gone


# Rebuilding a Document from a catalog

def document_from_catalog(po_file: Path, *, do_not_translate: Iterable[str]) -> Document:
    """A Document rebuilt from a PO file alone, for filling its untranslated entries.

    One Paragraph per reference number; each segment's protected spans come
    back from its ``keep:`` comments (reason "do-not-translate" for the terms
    in `do_not_translate`, the locales' do-not-translate list, else "spanish")
    and its replaced-span comments; translations, states and engines from the
    entries. Saving it again obsoletes nothing.
    """
    po_file = Path(po_file)
    po = read_po(po_file)
    locales = locales_of(po_file)
    source_name = po.metadata.get("X-Source")
    references = [ref for entry in po if not entry.obsolete for ref, _ in entry.occurrences]
    if source_name:
        source = Path(os.path.normpath(locales / source_name))
    else:
        source = locales / (references[0] if references else po_file.stem + ".txt")
    terms = set(do_not_translate)
    paragraphs: dict[int, list[Segment]] = {}
    previous: dict[Key, str] = {}
    number = 1
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        numbers = [int(n) for _, n in entry.occurrences if n.isdigit()] or [number]
        number = numbers[0]
        for where in dict.fromkeys(numbers):
            paragraphs.setdefault(where, []).append(_segment_from_entry(entry, terms))
        if entry.previous_msgid is not None:
            previous[(entry.msgctxt, entry.msgid)] = entry.previous_msgid
    doc = Document(name=po_file.stem, source=source, format=FORMATS.get(source.suffix.lower(), "text"),
                   meta={PREVIOUS_MSGIDS: previous})
    for where in sorted(paragraphs):
        segments = paragraphs[where]
        for segment in segments[:-1]:
            segment.trailing = " "
        doc.paragraphs.append(Paragraph(segments=segments, number=where))
    return doc


def _segment_from_entry(entry: polib.POEntry, terms: set[str]) -> Segment:
    """A Segment with spans rebuilt from the entry's keep:/glossary:/date: comments."""
    protected: list[tuple[int, int, Span]] = []
    for reason, text, replacement in protected_comments(entry):
        if reason is None:  # a keep: line
            span = Span(text, protected=True, lang=SOURCE_LANG if text in terms else TARGET_LANG,
                        reason=DO_NOT_TRANSLATE if text in terms else SPANISH)
        else:
            span = Span(text, protected=True, reason=reason, replacement=replacement)
        for found in re.finditer(re.escape(text), entry.msgid) if text else ():
            if not any(start < found.end() and found.start() < end for start, end, _ in protected):
                protected.append((found.start(), found.end(), dataclasses.replace(span)))
    protected.sort(key=lambda item: item[0])
    spans = cover(entry.msgid, protected) if protected else []  # no protected span: no spans, as detect leaves it
    whole = len(protected) == 1 and protected[0][2].text == entry.msgid and protected[0][2].reason == SPANISH
    segment = Segment(text=entry.msgid, kind=kind_of(entry), lang=TARGET_LANG if whole else SOURCE_LANG,
                      spans=spans, context=entry.msgctxt, place="\n".join(comment_values(entry, ATTRIBUTE)),
                      cut=cut_of(entry))
    state = entry_state(entry)
    if state != State.UNTRANSLATED:
        segment.translation, segment.state, segment.engine = entry.msgstr, state, engine_of(entry)
    return segment
