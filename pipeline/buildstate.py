"""The build state: what each document's outputs were made from, so an unchanged document is skipped.

``LOCALES/.build-state.json`` records, per document (by name), the fingerprints of
everything its catalogs and pages depend on:

- ``source``: SHA-256 of the source file's bytes;
- ``po`` and ``pot``: SHA-256 of its catalogs as the run left them (a translator's edit
  to one PO changes that document's fingerprint alone);
- ``inputs``: one digest of what every document shares: the project version
  (``pipeline.__version__``), the engine's name and version, every template in use,
  the settings that change output (wrap, similarity, front matter, render options,
  disabled stages, the output folder), the glossary and the do-not-translate list;
- ``outputs``: size and modification time of each page it wrote, so a page deleted
  or edited in ``dist/`` is written again;

with its manifest entry, so the index and manifest are rebuilt without reading
unchanged documents again. A document whose fingerprints all match is not read.

Why the state cannot make an output wrong: an entry is recorded only after its
catalogs and pages are on disk, from their bytes as written; a document with no
entry, or any fingerprint that differs, is done again in full. A state that is
missing, unreadable, of another format version or made by another project version
is an empty state (a full run). The state is written atomically
(:func:`pipeline.files.write_atomic`) after every chunk of documents, so a killed run
leaves the entries of the chunks it finished, and compare-before-replace
(:class:`pipeline.files.Snapshot`) means a state another process wrote meanwhile is
never replaced with ours: ours is merged over theirs, read again.

Hashing rather than timestamps for sources and catalogs: a checkout (CI) gives every
file a new time, and 2,000 small files hash in well under a tenth of a second.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .files import FileChanged, Snapshot, write_atomic

STATE_FILE = ".build-state.json"
FORMAT = 1


def digest(data: bytes | str | None) -> str:
    """SHA-256 of bytes or text (UTF-8); '' for None (no such file)."""
    if data is None:
        return ""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def file_digest(path: Path | str) -> str:
    """SHA-256 of a file's bytes; '' when there is no file. Takes a str path too: an unchanged re-run hashes
    6,000 files, and pathlib's objects were a third of that."""
    try:
        with open(path, "rb") as handle:
            return digest(handle.read())
    except FileNotFoundError:
        return ""


def folder_digest(folders: Iterable[Path | None]) -> str:
    """One digest of every file (name and bytes) in these folders, in a stable order."""
    hashed = hashlib.sha256()
    for folder in folders:
        if folder is None or not Path(folder).is_dir():
            continue
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            hashed.update(f"{path.relative_to(folder).as_posix()}\0".encode())
            hashed.update(path.read_bytes())
    return hashed.hexdigest()


def output_stamps(dist: Path, names: Iterable[str]) -> dict[str, list[int]]:
    """Size and modification time (ns) of each written page, by file name."""
    stamps, folder = {}, os.fspath(dist)
    for name in names:
        stat = os.stat(os.path.join(folder, name))
        stamps[name] = [stat.st_size, stat.st_mtime_ns]
    return stamps


def outputs_intact(dist: Path, stamps: dict[str, list[int]]) -> bool:
    """True when every recorded page is still in `dist` with the size and time it was written with."""
    folder = os.fspath(dist)  # os.path, not pathlib: 12,000 pages of an unchanged re-run, 0.1 s less
    for name, (size, mtime_ns) in stamps.items():
        try:
            stat = os.stat(os.path.join(folder, name))
        except OSError:
            return False
        if stat.st_size != size or stat.st_mtime_ns != mtime_ns:
            return False
    return True


@dataclass
class Entry:
    """One document in the state."""

    source: str  # sha256 of the source's bytes
    po: str  # sha256 of its PO as the run left it ('' for none)
    pot: str
    inputs: str  # the run-wide digest it was made under
    outputs: dict[str, list[int]] = field(default_factory=dict)  # page -> [size, mtime_ns]
    manifest: dict = field(default_factory=dict)  # its manifest.json entry
    segments: int = 0
    glossary: str = ""  # sha256 of the glossary it was translated with: a change re-translates missed terms

    def to_json(self) -> dict:
        return {"source": self.source, "po": self.po, "pot": self.pot, "inputs": self.inputs,
                "outputs": self.outputs, "manifest": self.manifest, "segments": self.segments,
                "glossary": self.glossary}

    @classmethod
    def from_json(cls, data: dict) -> Entry:
        return cls(str(data["source"]), str(data["po"]), str(data["pot"]), str(data["inputs"]),
                   {str(k): [int(v[0]), int(v[1])] for k, v in dict(data["outputs"]).items()},
                   dict(data["manifest"]), int(data.get("segments", 0)), str(data.get("glossary", "")))


class BuildState:
    """The per-document entries of ``LOCALES/.build-state.json`` (empty when it is missing or unusable)."""

    def __init__(self, path: Path, entries: dict[str, Entry] | None = None, snapshot: Snapshot | None = None,
                 version: str = ""):
        self.path = Path(path)
        self.entries: dict[str, Entry] = entries or {}
        self.snapshot = snapshot if snapshot is not None else Snapshot(self.path, None)
        self.version = version
        self._changed: set[str] = set()  # names this run recorded or dropped
        self._dropped: set[str] = set()
        # what dist/index.html and manifest.json were last made from, and their [size, mtime_ns]
        self.index: dict = {}
        self._index_changed = False
        self._changes = 0  # records, drops and index records so far: tells whether a save is due
        self._saved: int | None = None  # how many there had been when the file was last written

    @classmethod
    def load(cls, locales: Path, version: str) -> BuildState:
        """The state of `locales`; an empty one when there is none, it is corrupt, or another project
        version wrote it (a full run then, never a wrong output)."""
        path = Path(locales) / STATE_FILE
        try:
            raw = path.read_bytes()
        except OSError:
            return cls(path, version=version)
        snapshot = Snapshot.of(path, raw)
        entries, index = _parse(raw, version)
        state = cls(path, entries, snapshot, version)
        state.index = index
        return state

    def index_current(self, key: str, dist: Path) -> bool:
        """True when the index and manifest in `dist` were made from `key` and are as they were written."""
        return bool(self.index) and self.index.get("key") == key and outputs_intact(dist, self.index["outputs"])

    def record_index(self, key: str, outputs: dict[str, list[int]]) -> None:
        self.index = {"key": key, "outputs": outputs}
        self._index_changed = True
        self._changes += 1

    def unchanged(self, name: str, source: str, po: str, pot: str, inputs: str, dist: Path) -> Entry | None:
        """The entry of `name` when every fingerprint matches and its pages are intact, else None."""
        entry = self.entries.get(name)
        if entry is None or (entry.source, entry.po, entry.pot, entry.inputs) != (source, po, pot, inputs):
            return None
        return entry if outputs_intact(dist, entry.outputs) else None

    def record(self, name: str, entry: Entry) -> None:
        self.entries[name] = entry
        self._changes += 1
        self._changed.add(name)
        self._dropped.discard(name)

    def drop(self, name: str) -> None:
        """Forget a document (it is being redone: until it is recorded again, it is not up to date)."""
        self.entries.pop(name, None)
        self._changes += 1
        self._changed.add(name)
        self._dropped.add(name)

    def save(self) -> bool:
        """Write the state atomically. When another process replaced the file since we read it, read it
        again and put our changes over it (never replace what it wrote without merging). Nothing is
        written when this run recorded nothing."""
        if not self._changed and not self._index_changed:
            return False
        if self._saved == self._changes:
            return False  # written already and nothing recorded since (2 MB of JSON at 2,000 documents)
        for _ in range(5):
            data = json.dumps({"format": FORMAT, "version": self.version, "index": self.index,
                               "documents": {name: self.entries[name].to_json() for name in sorted(self.entries)}},
                              ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
            try:
                written = write_atomic(self.path, data, expected=self.snapshot)
            except FileChanged:
                self._merge_theirs()
                continue
            self.snapshot = Snapshot.of(self.path, data.encode("utf-8"))
            self._saved = self._changes
            return written
        return False  # another process keeps writing it: our entries are simply not recorded (a redo later)

    def _merge_theirs(self) -> None:
        try:
            raw = self.path.read_bytes()
        except OSError:
            raw = None
        theirs, their_index = _parse(raw, self.version) if raw is not None else ({}, {})
        for name in self._changed:
            if name in self._dropped:
                theirs.pop(name, None)
            elif name in self.entries:
                theirs[name] = self.entries[name]
        self.entries = theirs
        if not self._index_changed:
            self.index = their_index
        self.snapshot = Snapshot.of(self.path, raw) if raw is not None else Snapshot(self.path, None)


def _parse(raw: bytes, version: str) -> tuple[dict[str, Entry], dict]:
    """The entries and the index record of a state file's bytes, read once; empty when the file is corrupt
    or another project version wrote it (a full run then), an empty index record when only it is unusable
    (the index is then written)."""
    try:
        data = json.loads(raw.decode("utf-8"))
        if data.get("format") != FORMAT or data.get("version") != version:
            return {}, {}
        entries = {str(name): Entry.from_json(entry) for name, entry in dict(data["documents"]).items()}
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, UnicodeDecodeError):
        return {}, {}
    return entries, _index_record(data.get("index"))


def _index_record(index: object) -> dict:
    try:
        if not isinstance(index, dict) or not isinstance(index.get("key"), str):
            return {}
        return {"key": index["key"], "outputs": {str(k): [int(v[0]), int(v[1])]
                                                 for k, v in dict(index["outputs"]).items()}}
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return {}
