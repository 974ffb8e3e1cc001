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

with its manifest entry (as its line of ``manifest.json``, text: parsed only when the index is made,
and written into the manifest as it is), so the index and manifest are rebuilt without reading
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

Hashes, not timestamps, decide: a checkout (CI) gives every file a new time. But a file whose
stat is exactly what it was when its hash was taken is not read again (git's index does the
same): ``stamps`` records, per source and catalog path, size, ctime and inode
(:func:`stamp`), and a file whose stamp matches is taken to hold the bytes the entry's digest
was made from. Hashing the 6,072 sources and catalogs of benchmarks/scale.py's 2,024
documents was 0.09 s of a 0.31 s unchanged re-run; their stats are 0.01 s.

Why a stamp cannot hide an edit: ctime cannot be set by a program, and every write, rename
over or metadata change gives the file the clock's current time. A stamp is recorded only
from a stat taken before the bytes it vouches for were read and hashed, and only when that
ctime was already :data:`SETTLED_NS` old (three seconds on a file system with whole-second
times): any later write then gets a later ctime. A file written too recently for that
(every catalog a run saves) has no stamp until :meth:`BuildState.settle` hashes it again at
the end of the run; an edit in between fails that hash, and a file without a stamp is hashed.
A file system whose clock runs behind this machine's (a network share) can defeat the
margin: ``--force`` redoes everything.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .files import FileChanged, Snapshot, write_atomic

STATE_FILE = ".build-state.json"
FORMAT = 2  # 2: each manifest entry as its manifest.json line (text), not an object


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


# How old a file's ctime must be for its stat to vouch for its bytes: far above the kernel's timestamp
# tick (a jiffy, at most 10 ms), and a file system that keeps whole seconds (ext3, HFS+; FAT's two) gets
# the longer margin
SETTLED_NS = 100_000_000
SETTLED_NS_WHOLE_SECONDS = 3_000_000_000


def stamp(stat: os.stat_result) -> str:
    """What a file's stat says of its bytes: size, ctime and inode (a rename over it changes the last). Not
    mtime: whatever sets it sets the ctime too."""
    return f"{stat.st_size}:{stat.st_ctime_ns}:{stat.st_ino}"


def settled_stamp(stat: os.stat_result, now_ns: int) -> str | None:
    """The stamp of `stat`, taken at `now_ns`, when its ctime is old enough that any later write changes it."""
    margin = SETTLED_NS_WHOLE_SECONDS if stat.st_ctime_ns % 1_000_000_000 == 0 else SETTLED_NS
    return stamp(stat) if now_ns - stat.st_ctime_ns >= margin else None


def stamped_digest(path: str, stamps: dict[str, str], known: str, prefix: bytes = b"") -> tuple[str, str | None]:
    """(digest of `prefix` + the file's bytes, its settled stamp or None); ('', None) when there is no file.
    When its stat matches `stamps[path]`, the file is not read: `known` (what the stamp was recorded with)."""
    try:
        if stamps:
            recorded = stamps.get(path)
            if recorded is not None and stamp(os.stat(path)) == recorded:
                return known, recorded
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())  # before the read: a write after it changes the ctime
            now = time.time_ns()
            return digest(prefix + handle.read()), settled_stamp(stat, now)
    except FileNotFoundError:
        return "", None


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
    # strings, not pathlib or os.path.join: 12,000 pages of an unchanged re-run, 0.1 s less, then 0.01 s
    folder = os.fspath(dist) + os.sep
    try:
        for name, (size, mtime_ns) in stamps.items():
            stat = os.stat(folder + name)
            if stat.st_size != size or stat.st_mtime_ns != mtime_ns:
                return False
    except (OSError, TypeError, ValueError):  # a page gone, or a stamp that is not [size, mtime] (a damaged state)
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
    # its manifest.json entry as the manifest's line for it (site.manifest_line): as text, the state of
    # 2,024 documents parses in 15 ms instead of 30, and a manifest is written without encoding them again
    manifest_line: str = ""
    segments: int = 0
    glossary: str = ""  # sha256 of the glossary it was translated with: a change re-translates missed terms
    stamps: dict[str, str] = field(default_factory=dict)  # source or catalog path -> stamp its digest was made at

    def to_json(self) -> dict:
        return {"source": self.source, "po": self.po, "pot": self.pot, "inputs": self.inputs,
                "outputs": self.outputs, "manifest": self.manifest_line, "segments": self.segments,
                "glossary": self.glossary, "stamps": self.stamps}

    @classmethod
    def from_json(cls, data: dict) -> Entry:
        """The entry of a state file's document; TypeError or KeyError when it is not one. Values are
        taken as read, not converted one by one (8 ms of 2,024 entries): a digest or stamp of another
        type only fails to match (the document is redone), and outputs_intact takes any odd stamp as
        a page to write again."""
        outputs, stamps, manifest = data["outputs"], data.get("stamps", {}), data["manifest"]
        if not isinstance(outputs, dict) or not isinstance(stamps, dict) or not isinstance(manifest, str):
            raise TypeError("outputs and stamps must be objects, the manifest line text")
        return cls(data["source"], data["po"], data["pot"], data["inputs"], outputs, manifest,
                   int(data.get("segments", 0)), str(data.get("glossary", "")), stamps)


class BuildState:
    """The per-document entries of ``LOCALES/.build-state.json`` (empty when it is missing or unusable)."""

    def __init__(self, path: Path, entries: dict[str, Entry] | None = None, snapshot: Snapshot | None = None,
                 version: str = ""):
        self.path = Path(path)
        self.entries: dict[str, Entry] = entries or {}
        self._snapshot = snapshot  # None: made from `_read` when first asked for (the `snapshot` property)
        self.version = version
        self._changed: set[str] = set()  # names this run recorded or dropped
        self._dropped: set[str] = set()
        # what dist/index.html and manifest.json were last made from, and their [size, mtime_ns]
        self.index: dict = {}
        self._index_changed = False
        self._changes = 0  # records, drops and index records so far: tells whether a save is due
        self._saved: int | None = None  # how many there had been when the file was last written
        self._read: tuple[bytes, list[str]] | None = None  # the file's bytes as read, and its documents in order

    @property
    def snapshot(self) -> Snapshot:
        """What the state file held when it was read, for compare-before-replace when it is saved: the bytes
        read, kept in `_read` anyway, compared byte for byte (Snapshot.kept), never hashed."""
        if self._snapshot is None:
            raw = self._read[0] if self._read is not None else None
            self._snapshot = Snapshot.kept(self.path, raw) if raw is not None else Snapshot(self.path, None)
        return self._snapshot

    @snapshot.setter
    def snapshot(self, value: Snapshot) -> None:
        self._snapshot = value

    @classmethod
    def load(cls, locales: Path, version: str) -> BuildState:
        """The state of `locales`; an empty one when there is none, it is corrupt, or another project
        version wrote it (a full run then, never a wrong output)."""
        path = Path(locales) / STATE_FILE
        try:
            raw = path.read_bytes()
        except OSError:
            return cls(path, version=version)
        entries, index = _parse(raw, version)
        state = cls(path, entries, None, version)
        state.index = index
        state._read = (raw, list(entries))
        return state

    def index_current(self, key: str, dist: Path) -> bool:
        """True when the index and manifest in `dist` were made from `key` and are as they were written."""
        return bool(self.index) and self.index.get("key") == key and outputs_intact(dist, self.index["outputs"])

    def manifest_within(self, names: Iterable[str], dist: Path, manifest: str) -> bool:
        """True when every document of the manifest (`manifest`, one of the index record's outputs in `dist`) is
        one of `names` and the file is as it was written: then merging with it keeps nothing of it, and it
        need not be read (2.4 MB of JSON at 2,024 documents, 20 ms of a one-document run's 0.55 s)."""
        listed = self.index.get("names")
        stamp = self.index.get("outputs", {}).get(manifest)
        return (listed is not None and stamp is not None and outputs_intact(dist, {manifest: stamp})
                and set(listed) <= set(names))

    def record_index(self, key: str, outputs: dict[str, list[int]], names: Iterable[str] = ()) -> None:
        """The index and manifest's key and stamps, and the documents the manifest lists (`names`)."""
        self.index = {"key": key, "outputs": outputs, "names": sorted(names)}
        self._index_changed = True
        self._changes += 1

    def unchanged(self, name: str, source: str, po: str, pot: str, inputs: str, dist: Path) -> Entry | None:
        """The entry of `name` when every fingerprint matches and its pages are intact, else None."""
        entry = self.entries.get(name)
        if entry is None or (entry.source, entry.po, entry.pot, entry.inputs) != (source, po, pot, inputs):
            return None
        return entry if outputs_intact(dist, entry.outputs) else None

    def settle(self, name: str, files: dict[str, str]) -> None:
        """Stamp the files (path -> the digest the entry has for it) of `name`'s entry whose bytes still hash
        to that digest and whose ctime is settled (module docstring): the catalogs a run saved, at its end."""
        entry = self.entries.get(name)
        if entry is None:
            return
        stamps = dict(entry.stamps)
        for path, known in files.items():
            found, settled = stamped_digest(path, {}, "")
            if settled is not None and found == known and known:
                stamps[path] = settled
        if stamps != entry.stamps:
            entry.stamps = stamps
            self.record(name, entry)

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
            encoded = self._text().encode("utf-8")
            try:
                written = write_atomic(self.path, encoded, expected=self.snapshot)
            except FileChanged:
                self._merge_theirs()
                continue
            self._snapshot = None  # of `encoded`, hashed if another save needs it
            self._saved = self._changes
            self._read = (encoded, sorted(self.entries))
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
        self.snapshot = Snapshot.kept(self.path, raw) if raw is not None else Snapshot(self.path, None)
        self._read = (raw, list(theirs)) if raw is not None else None

    def _text(self) -> str:
        """The file's text: JSON with one document a line, sorted by name (the rest on the last line). A
        document this run did not record keeps its line as read: encoding all 2,024 entries again was
        26 ms of every run that changes one document."""
        kept = _lines_by_name(*self._read) if self._read is not None else {}
        lines = []
        for name in sorted(self.entries):
            line = kept.get(name) if name not in self._changed else None
            lines.append(line if line is not None else
                         _json(name) + ":" + _json(self.entries[name].to_json()))
        rest = _json({"format": FORMAT, "index": self.index, "version": self.version})
        return '{"documents":{\n' + ",\n".join(lines) + "\n}," + rest[1:] + "\n"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _lines_by_name(raw: bytes, names: list[str]) -> dict[str, str]:
    """Each document's line in a state file `raw` that lists `names` in this order, one a line, as
    BuildState._text writes it; {} for any other layout (every entry is then encoded again)."""
    lines = raw.decode("utf-8", "replace").split("\n")
    if lines[0] != '{"documents":{' or len(lines) < len(names) + 2:
        return {}
    found = {}
    for name, line in zip(names, lines[1:]):
        line = line[:-1] if line.endswith(",") else line
        # the name as JSON: itself in quotes unless it holds a character JSON escapes (json.dumps for all
        # 2,024 names was a third of this)
        if not line.startswith(f'"{name}":') and not line.startswith(_json(name) + ":"):
            return {}
        found[name] = line
    return found


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
        record = {"key": index["key"], "outputs": {str(k): [int(v[0]), int(v[1])]
                                                   for k, v in dict(index["outputs"]).items()}}
        names = index.get("names")
        if isinstance(names, list) and all(isinstance(name, str) for name in names):
            record["names"] = names
        return record
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return {}
