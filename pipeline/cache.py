"""Derived data kept between runs in the cache folder (``PIPELINE_CACHE_DIR``, :func:`pipeline.config.cache_folder`).

Some answers cost the same fixed time at every run and never change while their inputs do not:
the English-Catalan-Spanish pivot's answer for a word (two Apertium modes started, about 0.3 s of
a one-sentence engine run), FreeDict's parsed senses (a dictd index read and a dictionary gunzipped
in an in-pipe program at every batch) and wordfreq's English and Spanish frequencies (importing
wordfreq and building both dictionaries, about 0.35 s of every run that detects languages). Each is
kept here as one file, named by what it holds and a digest of its key, the key being what decides
the contents (data files' size and modification time, the code that makes them). A different key
is a different file, so nothing made from other inputs is ever read.

Robustness, since a cache must never make a run fail or change its output:

- a folder that is None, missing and cannot be made, or not writable: no cache, silently;
- a file is ``MAGIC``, its key, the SHA-256 of its payload and the payload (:mod:`marshal`): a file
  truncated, corrupt or of another key is ignored, and replaced at the next store;
- a file whose key is out of date (new data files, new code) is removed once no run has used it for
  UNUSED_DAYS days (a load marks a file used by its modification time), so the folder does not grow
  with every upgrade;
- writes go through :func:`pipeline.files.write_atomic` (a temporary file, then a rename), so a
  reader sees the old file or the new one; :func:`merge` (entries added by several processes, such
  as two partitions of a run in threads or Dask workers) re-reads and writes under ``flock`` on a
  lock file beside it, so no process's entries are lost; without the lock (a file system that has
  none) the last writer wins and a lost entry costs only a look-up later.

This module uses the standard library alone when reading, so the in-pipe Apertium programs, which
start without the package's ``__init__`` (:func:`.engines.apertium.process.install_repaired_mode`),
can use it; :mod:`pipeline.files` is imported only to write, hashlib only when a file is read or
keyed (importing this module costs an in-pipe program nothing it does not use).
"""
from __future__ import annotations

import marshal
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

MAGIC = b"bilingual-pipeline cache 1\n"  # the file layout; marshal's own format is in the key (sys.version)
SECTIONS_MAGIC = f"bilingual-pipeline sections 1 {sys.byteorder}\n".encode("ascii")  # store_sections' layout
UNUSED_DAYS = 30  # a file of an old key not used for this long is removed when a new one is written
USED_MARK = 3600.0  # seconds between two marks of a file's last use


def key_of(parts: Iterable[object]) -> str:
    """A digest of `parts` (their reprs), for a cache key."""
    digest = _sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def stamp(path: str | Path) -> tuple[str, int, int] | tuple[str]:
    """What a cache key holds of a file: its path, size and modification time (nanoseconds); the path
    alone when it is not there. A file replaced by a package upgrade changes at least its time."""
    try:
        status = Path(path).stat()
    except OSError:
        return (str(path),)
    return (str(path), status.st_size, status.st_mtime_ns)


def path_of(folder: Path | None, name: str, key: str) -> Path | None:
    """The file that holds `name` made under `key` in `folder` (None: no cache)."""
    return None if folder is None else Path(folder) / f"{name}-{key[:24]}.marshal"


def load(folder: Path | None, name: str, key: str) -> Any | None:
    """What :func:`store` kept as `name` under `key`, or None (no folder, no file, another key, or a
    file that is truncated or corrupt)."""
    path = path_of(folder, name, key)
    if path is None:
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    header = MAGIC + key.encode("ascii") + b"\n"
    body = memoryview(raw)[len(header):]  # views, not copies: the wordfreq lists are 7 MB
    if not raw.startswith(header) or len(body) < 65 or body[64:65] != b"\n":
        return None
    payload = body[65:]
    if _sha256(payload).hexdigest().encode("ascii") != bytes(body[:64]):
        return None  # checked before marshal sees it: marshal is not meant for damaged data
    try:
        value = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    _mark_used(path)
    return value


def store(folder: Path | None, name: str, key: str, value: Any) -> bool:
    """Keep `value` (what :mod:`marshal` writes: dicts, lists, strings, numbers, None) as `name` under
    `key`; False when it could not be (no folder, not writable, a full disk), never an error."""
    path = path_of(folder, name, key)
    if path is None:
        return False
    from .files import write_atomic  # only to write: reading must not cost the in-pipe programs its imports

    payload = marshal.dumps(value)
    data = MAGIC + key.encode("ascii") + b"\n" + _sha256(payload).hexdigest().encode("ascii") + b"\n" + payload
    try:
        write_atomic(path, data, durable=False)  # it can be made again: no fsync
    except (OSError, ValueError):
        return False
    _remove_unused(path, name)
    return True


def sections_path(folder: Path | None, name: str, key: str) -> Path | None:
    """The file of :func:`store_sections` for `name` under `key` in `folder` (None: no cache)."""
    return None if folder is None else Path(folder) / f"{name}-{key[:24]}.sections"


def store_sections(folder: Path | None, name: str, key: str, sections: Sequence[Any]) -> bool:
    """Keep `sections` (values :mod:`marshal` writes) as `name` under `key`, each one readable alone
    (:func:`load_sections`): for data of which a run needs a few pieces, such as wordfreq's word buckets,
    where reading the whole 7 MB, checking its digest and marshal-loading it was 25 ms of a one-document
    run. The file: SECTIONS_MAGIC, the key, the section count, a table of (offset, length, CRC-32) per
    section in this machine's byte order (named in the magic), then the sections. False when it could not
    be kept."""
    path = sections_path(folder, name, key)
    if path is None:
        return False
    import zlib
    from array import array

    from .files import write_atomic

    payloads = [marshal.dumps(section) for section in sections]
    table, offset = array("Q"), 0
    for payload in payloads:
        table.extend((offset, len(payload), zlib.crc32(payload)))
        offset += len(payload)
    header = SECTIONS_MAGIC + key.encode("ascii") + b"\n" + len(payloads).to_bytes(8, sys.byteorder)
    try:
        write_atomic(path, [header, table.tobytes(), *payloads], durable=False)
    except (OSError, ValueError):
        return False
    for suffix in (".sections", ".marshal"):  # and the whole-value files of the name (an older layout)
        _remove_unused(path, name, suffix)
    return True


class Sections:
    """The sections of a :func:`store_sections` file, mapped, each read and checked (CRC-32) when asked."""

    def __init__(self, path: Path, data: memoryview, table: memoryview, start: int):
        self.path = path
        self._data, self._table, self._start = data, table, start

    def discard(self) -> None:
        """Remove the file (a section of it is damaged), so that the next store makes it whole again."""
        try:
            self.path.unlink()
        except OSError:
            pass

    def __len__(self) -> int:
        return len(self._table) // 3

    def get(self, index: int) -> Any | None:
        """Section `index`, or None when it is damaged (its CRC, its bounds, or marshal says so)."""
        import zlib

        offset, length, crc = self._table[3 * index: 3 * index + 3]
        begin = self._start + offset
        if begin + length > len(self._data):
            return None
        payload = self._data[begin: begin + length]
        if zlib.crc32(payload) != crc:
            return None
        try:
            return marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None


def load_sections(folder: Path | None, name: str, key: str) -> Sections | None:
    """The sections kept as `name` under `key`, or None (no folder, no file, another key or byte order,
    a damaged header). A damaged section is found when it is read (:meth:`Sections.get`). The file is
    mapped, not read: a file that replaces it later (always by a rename) leaves this one as it was."""
    path = sections_path(folder, name, key)
    if path is None:
        return None
    import mmap

    try:
        with open(path, "rb") as handle:
            data = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError):  # ValueError: an empty file
        return None
    header = SECTIONS_MAGIC + key.encode("ascii") + b"\n"
    if bytes(data[:len(header)]) != header or len(data) < len(header) + 8:
        return None
    count = int.from_bytes(data[len(header): len(header) + 8], sys.byteorder)
    start = len(header) + 8 + 24 * count
    if start > len(data):
        return None
    _mark_used(path)
    return Sections(path, data, data[len(header) + 8: start].cast("Q"), start)


def _sha256(data: bytes | memoryview = b""):
    # imported on first use: hashlib loads OpenSSL, about 4 ms of each in-pipe program's start, and
    # four of the five never use the cache (start-up on empty input, as benchmarks/engine_speed.py takes it)
    import hashlib

    return hashlib.sha256(data)


def _mark_used(path: Path) -> None:
    """The file's time set to now, at most once an hour: its time says when it was last used."""
    try:
        if time.time() - path.stat().st_mtime > USED_MARK:
            os.utime(path)
    except OSError:
        pass  # a read-only cache is still a cache


def _remove_unused(kept: Path, name: str, suffix: str = ".marshal") -> None:
    """The files of `name` under other keys (made from older data or code) that no run has used for
    UNUSED_DAYS, and their lock files: each key is a new file, so without this the folder only grows."""
    limit = time.time() - UNUSED_DAYS * 86400
    for path in kept.parent.glob(f"{name}-*{suffix}"):
        try:
            if path != kept and path.stat().st_mtime < limit:
                path.unlink()
                path.with_suffix(".lock").unlink(missing_ok=True)
        except OSError:
            pass


def merge(folder: Path | None, name: str, key: str, entries: dict) -> dict:
    """The dict kept as `name` under `key` with `entries` added, written back; the merged dict is returned
    (just `entries` when there is no cache). Concurrent merges are serialised with ``flock``, so one
    process's entries do not overwrite another's."""
    path = path_of(folder, name, key)
    if path is None:
        return dict(entries)
    with _locked(path.with_suffix(".lock")):
        kept = load(folder, name, key)
        merged = {**(kept if isinstance(kept, dict) else {}), **entries}
        if merged != kept:
            store(folder, name, key, merged)
    return merged


@contextmanager
def building(folder: Path | None, name: str, key: str) -> Iterator[bool]:
    """Whether this process is the one to build what it keeps as `name` under `key`: True while it holds the
    lock file beside it (taken without waiting), False when another process holds it (it builds the same
    thing: wordfreq's buckets, packed by each of a pool's workers at once in a first run, 0.6 s of CPU each)
    or there is no cache. Where no lock can be taken, every process builds, as without this."""
    if folder is None:
        yield False
        return
    try:
        import fcntl

        Path(folder).mkdir(parents=True, exist_ok=True)
        handle = open(Path(folder) / f"{name}-{key[:24]}.lock", "a+b")
    except (ImportError, OSError):
        yield True
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        except OSError:
            pass  # a file system without locks
        yield True


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """flock on `path` while the block runs; no lock (and no error) where it cannot be taken."""
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")
    except (ImportError, OSError):
        yield
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            pass  # a file system without locks: the last writer wins, a lost entry is one more look-up
        yield
