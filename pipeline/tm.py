"""Translation memory: reviewed translations from every catalog, reused in other documents.

The PO files are the source of truth: the memory is every reviewed entry of
the catalogs (``locales/es/LC_MESSAGES/*.po``) and of the memory files under
``locales/memory/`` (``pipeline tm import`` writes ``imported.po`` there).
What was read is cached in ``locales/.tm-cache.json``, per PO file, and read
again only when that file's size or modification time changed.

:func:`fill` offers memory translations to untranslated segments: an exact
match (same English) is a FUZZY starting point, or REVIEWED when the project
trusts exact matches (``trust_tm_exact`` in pipeline.toml); a close match
(similarity at least ``similarity``, default 0.75) is FUZZY; both settings
are the caller's, from the project config. Either way the segment's engine is
``tm:<catalog name>``, which the catalog writes as the comment ``from
translation memory: <catalog name>``. TMX 1.4 files, the
exchange format of OmegaT, Weblate, Okapi and Trados, go in and out through
:func:`export_tmx` and :func:`import_tmx`.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import polib

from .catalog import (IMPORTED, MEMORY_ENGINE, PREVIOUS_MSGIDS, header, header_date, memory_pair,
                      po_path, po_text, read_po, read_po_snapshot)
from . import __version__
from .config import PROJECT_ID
from .errors import InputError
from .files import Snapshot, write_atomic
from .model import SOURCE_LANG, TARGET_LANG, Document, State
from .similarity import best_match
from .translate import needs_engine

CACHE_FILE = ".tm-cache.json"
MEMORY_DIR = "memory"  # under locales: PO files that only feed the memory
IMPORTED_FILE = "imported.po"
CACHE_VERSION = 1
MIN_SHARED_WORDS = 0.5  # a close-match candidate shares at least this part of the smaller word set

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Unit:
    """One reviewed translation in the memory, and the catalog it came from."""

    source: str
    target: str
    catalog: str  # catalog name: the PO file's stem, or memory/NAME for memory files
    context: str | None = None


@dataclass(frozen=True)
class Match:
    """A memory unit offered for a segment, and how close its English is (1.0 = exact)."""

    unit: Unit
    similarity: float

    @property
    def exact(self) -> bool:
        return self.similarity >= 1.0


class Memory:
    """Reviewed translations searchable by exact English and by closeness."""

    def __init__(self, units: Iterable[Unit]):
        self.units = list(units)
        self._exact: dict[str, list[Unit]] = defaultdict(list)
        self._by_word: dict[str, list[int]] = defaultdict(list)
        self._words: list[set[str]] = []
        for index, unit in enumerate(self.units):
            self._exact[unit.source].append(unit)
            words = _words(unit.source)
            self._words.append(words)
            for word in words:
                self._by_word[word].append(index)

    def __len__(self) -> int:
        return len(self.units)

    @classmethod
    def load(cls, locales: Path, cache: CacheFile | None = None) -> "Memory":
        """The memory of every catalog and memory file under `locales`, through the cache (`cache`: the
        run's :class:`CacheFile`, else the file is read afresh)."""
        locales = Path(locales)
        return cls(unit for units in _read_cached(locales, cache or CacheFile(locales)).values() for unit in units)

    def exact(self, text: str, context: str | None = None, exclude: str = "") -> Unit | None:
        """The unit for exactly this English, not from catalog `exclude`.

        Same context first; among several translations the most common, then the first catalog.
        """
        units = [u for u in self._exact.get(text, ()) if u.catalog != exclude]
        if not units:
            return None
        same_context = [u for u in units if u.context == context] or units
        counts = Counter(u.target for u in same_context)
        best = max(counts.values())
        return next(u for u in same_context if counts[u.target] == best)

    def close(self, text: str, threshold: float, exclude: str = "") -> Match | None:
        """The most similar unit with similarity ≥ threshold (below 1.0), not from catalog `exclude`.

        Similarity is difflib's ratio on the characters. Candidates are first narrowed
        to units sharing at least half of their (or the text's) words and of a length
        that could reach the threshold: a heuristic, but an edited sentence keeps most words.
        """
        words = _words(text)
        if not words:
            return None
        shared: Counter[int] = Counter()
        for word in words:
            shared.update(self._by_word.get(word, ()))
        low, high = len(text) * threshold / (2 - threshold), len(text) * (2 - threshold) / threshold

        def candidates():
            for index, count in sorted(shared.items()):  # memory order: the first wins a tie
                unit = self.units[index]
                if (unit.catalog != exclude and unit.source != text and low <= len(unit.source) <= high
                        and count >= MIN_SHARED_WORDS * min(len(words), len(self._words[index]))):
                    yield unit

        found = best_match(text, candidates(), threshold, key=lambda unit: unit.source)
        return Match(*found) if found else None


def fill(docs: list[Document], locales: Path, similarity: float, trust_exact: bool,
         cache: CacheFile | None = None) -> int:
    """Fill untranslated segments that need translating from the memory; returns how many.

    A document never matches its own catalog. An exact match is REVIEWED when
    `trust_exact`, else FUZZY; a close match (at least `similarity` alike, 0..1)
    is FUZZY and records the memory's English as the previous msgid, so a
    reviewer sees what differs. `cache`: the run's :class:`CacheFile` (default: the file read afresh).
    """
    pending = [(doc, s) for doc in docs for s in doc.segments() if needs_engine(s)]
    if not pending:
        return 0
    memory = Memory.load(Path(locales), cache)
    if not memory:
        return 0
    filled = 0
    for doc, segment in pending:
        unit = memory.exact(segment.text, segment.context, exclude=doc.name)
        state = State.REVIEWED if unit and trust_exact else State.FUZZY
        if unit is None:
            match = memory.close(segment.text, similarity, exclude=doc.name)
            if match is None:
                continue
            unit = match.unit
            doc.meta.setdefault(PREVIOUS_MSGIDS, {})[(segment.context, segment.text)] = unit.source
        segment.translation = unit.target
        segment.state = state
        segment.engine = MEMORY_ENGINE + unit.catalog
        filled += 1
    return filled


def memory_files(locales: Path) -> list[tuple[str, str, str]]:
    """The PO files the memory is built from, every catalog (as ``catalog.catalogs`` lists them), then the
    memory files (as ``glob("*.po")``, sorted): (key in the cache, path, catalog name), as strings. Path
    objects for 2,024 catalogs were 10 ms of the 16 ms that filling from the memory took in a re-run."""
    found = []
    for under, memory in ((po_path(Path(), "x").parent.as_posix(), False), (MEMORY_DIR, True)):
        folder = os.path.join(locales, under)
        try:
            names = sorted(entry.name for entry in os.scandir(folder)
                           if entry.name.endswith(".po") and not (memory and entry.name.startswith(".")))
        except (FileNotFoundError, NotADirectoryError):
            continue
        prefix = under + "/"
        for name in names:
            found.append((prefix + name, os.path.join(folder, name), f"{MEMORY_DIR}/{name[:-3]}" if memory else name[:-3]))
    return found


def catalog_name(po_path: Path, locales: Path) -> str:
    """The name a memory unit's catalog goes by: NAME for NAME.po, memory/NAME for memory files."""
    po_path = Path(po_path)
    if po_path.parent.resolve() == (Path(locales) / MEMORY_DIR).resolve():
        return f"{MEMORY_DIR}/{po_path.stem}"
    return po_path.stem


def units_from_po(po: polib.POFile, catalog: str) -> list[Unit]:
    """The reviewed translations of a catalog: translated, not fuzzy, not obsolete, not a copy of the English."""
    return [Unit(pair[0], pair[1], catalog, pair[2]) for pair in map(memory_pair, po) if pair is not None]


def remember(locales: Path, saved: Iterable[tuple[Path, str, list[tuple[str, str, str | None]]]],
             cache: CacheFile | None = None) -> None:
    """Put catalogs a run has just saved into the memory's cache: (PO path, SHA-256 of the bytes saved, the
    (msgid, msgstr, msgctxt) of its reviewed entries, as :func:`units_from_po` takes them). A file whose
    bytes are no longer those (an editor saved it since) is left for the next read to parse. Without this,
    the first run after a run that saved 2,024 catalogs parsed every one of them again (0.9 s). `cache`:
    the run's :class:`CacheFile`, else the file is read afresh."""
    locales = Path(locales)
    cache = cache or CacheFile(locales)
    cached = cache.files()
    fresh = dict(cached)
    for path, digest, pairs in saved:
        try:
            stat = path.stat()  # before the bytes: a save after it changes the time the cache keeps
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                continue
        except OSError:
            continue
        key = _cache_key(path, locales)
        fresh[key] = {"mtime_ns": stat.st_mtime_ns, "size": stat.st_size,
                      "units": [[source, target, catalog_name(path, locales), context] for source, target, context in pairs]}
    if fresh != cached and locales.is_dir():
        cache.write(fresh)


def _read_cached(locales: Path, cache: CacheFile) -> dict[str, list[Unit]]:
    """Units per memory file, re-reading only the PO files that changed since the cache was written."""
    cached = cache.files()
    fresh: dict[str, dict] = {}
    result: dict[str, list[Unit]] = {}
    for key, path, name in memory_files(locales):
        stat = os.stat(path)
        entry = cached.get(key)
        if not entry or entry.get("mtime_ns") != stat.st_mtime_ns or entry.get("size") != stat.st_size:
            units = units_from_po(read_po(Path(path)), name)
            entry = {"mtime_ns": stat.st_mtime_ns, "size": stat.st_size,
                     "units": [[u.source, u.target, u.catalog, u.context] for u in units]}
        fresh[key] = entry
        result[key] = [Unit(*row) for row in entry["units"]]
    if fresh != cached and locales.is_dir():
        cache.write(fresh)
    return result


def _cache_key(path: Path, locales: Path) -> str:
    """A memory file's key in the cache: its path under `locales`, else as given. As strings when `path`
    was made under `locales` (as po_path makes them): Path.relative_to for 2,024 catalogs was 10 ms of a run."""
    name, folder = str(path), str(locales)
    if folder != "." and name.startswith(folder + os.sep) and ".." not in name:
        return name[len(folder) + 1:].replace(os.sep, "/")
    return path.relative_to(locales).as_posix() if path.is_relative_to(locales) else name


class CacheFile:
    """The memory's cache file (``locales/.tm-cache.json``) as this process last read or wrote it: the
    cached units per PO file, read again only when the file's stat differs from the one it was read or
    written at. A run reads it to fill from the memory and again to remember what it saved: read once,
    the second read (1.5 MB of JSON at 2,024 documents) is 15 ms less of a re-run after one edit.

    Each file's units are checked against that PO file's size and time wherever they are used, so a
    stale copy here could only make a PO be parsed again, never a wrong unit be used."""

    def __init__(self, locales: Path):
        self.path = Path(locales) / CACHE_FILE
        self._files: dict[str, dict] | None = None
        self._stamp: tuple[int, int, int] | None = None

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return stat.st_size, stat.st_mtime_ns, stat.st_ino

    def files(self) -> dict[str, dict]:
        """The cached units per file; {} when the cache is missing, unreadable or of another version.
        Not to be changed in place (copy it, as ``remember`` does)."""
        stamp = self._stat()  # before the read: a write after it changes what the next call sees
        if self._files is not None and stamp == self._stamp:
            return self._files
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        valid = isinstance(data, dict) and data.get("version") == CACHE_VERSION and isinstance(data.get("files"), dict)
        self._files, self._stamp = (data["files"] if valid else {}), stamp
        return self._files

    def write(self, files: dict[str, dict]) -> None:
        write_atomic(self.path, json.dumps({"version": CACHE_VERSION, "files": files},
                                           ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")
        self._files, self._stamp = files, self._stat()


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


# TMX 1.4 ------------------------------------------------------------------


def export_tmx(locales: Path, path: Path) -> int:
    """Write every reviewed translation of the memory to a TMX 1.4 file; returns how many units.

    One unit per distinct English/Spanish pair; the output is byte-stable for the same memory.
    Only reviewed entries are exported: machine output and automatic dates are fuzzy until a
    reviewer approves them. Raises InputError, writing nothing, when the output folder does not
    exist (it is not created: a mistyped path is an error, as with msgcat -o) or there are no catalogs.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise InputError("output folder does not exist (create it first)", path.parent)
    if not Path(locales).is_dir():
        raise InputError("no catalogs: the locales folder does not exist", locales)
    memory = Memory.load(Path(locales))
    pairs: dict[tuple[str, str, str | None], Unit] = {}
    for unit in memory.units:
        pairs.setdefault((unit.source, unit.target, unit.context), unit)
    import xml.etree.ElementTree as ET  # here: TMX only (a run's memory stage never needs it)

    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": PROJECT_ID, "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "PO", "adminlang": "en", "srclang": SOURCE_LANG, "datatype": "plaintext"})
    body = ET.SubElement(root, "body")
    for unit in pairs.values():
        tu = ET.SubElement(body, "tu")
        ET.SubElement(tu, "prop", type="x-catalog").text = unit.catalog
        if unit.context is not None:
            ET.SubElement(tu, "prop", type="x-context").text = unit.context
        for lang, text in ((SOURCE_LANG, unit.source), (TARGET_LANG, unit.target)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = text
    ET.indent(root)
    xml = ET.tostring(root, encoding="unicode")
    write_atomic(Path(path), f'<?xml version="1.0" encoding="UTF-8"?>\n{TMX_DOCTYPE}\n{xml}\n')
    return len(pairs)


def read_tmx(path: Path) -> list[tuple[str, str]]:
    """The (English, Spanish) pairs of a TMX file (any 1.x version, en-* and es-* variants).

    Raises InputError naming the file (and line) when it is not readable TMX.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "is a directory, not a file", path)
    import xml.etree.ElementTree as ET  # here: TMX only

    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError(f"not valid XML: {exc.msg if hasattr(exc, 'msg') else exc}", path, line) from None
    body = root.find("body")
    if root.tag != "tmx" or body is None:
        raise InputError("not a TMX file (expected <tmx> with a <body>)", path)
    pairs = []
    for tu in body.iter("tu"):
        texts: dict[str, str] = {}
        for tuv in tu.findall("tuv"):
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower().split("-")[0].split("_")[0]
            seg = tuv.find("seg")
            if seg is not None and lang and lang not in texts:
                texts[lang] = "".join(seg.itertext()).strip()
        source, target = texts.get(SOURCE_LANG), texts.get(TARGET_LANG)
        if source and target:
            pairs.append((source, target))
    return pairs


def import_tmx(path: Path, locales: Path, wrap: int) -> tuple[int, Path]:
    """Add the English→Spanish pairs of a TMX file to LOCALES/memory/imported.po.

    A pair whose English is already there replaces its Spanish. Returns (pairs added
    or changed, the memory file). The PO file stays the source of truth for the memory;
    it is written `wrap` columns wide, like the catalogs (the project's ``wrap`` setting).
    """
    pairs = read_tmx(path)
    if not pairs:
        raise InputError("no units with both English and Spanish text", path)
    target = Path(locales) / MEMORY_DIR / IMPORTED_FILE
    po, snapshot = read_po_snapshot(target) if target.exists() else (_new_memory_po(), Snapshot(target, None))
    by_msgid = {e.msgid: e for e in po if not e.obsolete and e.msgctxt is None}
    changed = 0
    origin = IMPORTED + Path(path).name
    for source, translation in pairs:
        entry = by_msgid.get(source)
        if entry is None:
            entry = polib.POEntry(msgid=source, msgstr=translation, comment=origin)
            po.append(entry)
            by_msgid[source] = entry
        elif entry.msgstr != translation or entry.fuzzy:
            entry.msgstr, entry.comment = translation, origin
            if entry.fuzzy:
                entry.flags.remove("fuzzy")
        else:
            continue
        changed += 1
    if changed or not target.exists():
        po.metadata["PO-Revision-Date"] = header_date()
        write_atomic(target, po_text(po, wrap), expected=snapshot)  # FileChanged if saved meanwhile
    return changed, target


def _new_memory_po() -> polib.POFile:
    """An empty memory file: a Spanish catalog's header, with no source document."""
    po = polib.POFile()
    po.header = "Translation memory imported from TMX files; reviewed pairs reused by `pipeline run`."
    po.metadata = header(header_date())
    return po
