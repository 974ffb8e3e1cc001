"""Reading sources safely, and writing files atomically without replacing what someone else wrote.

Every file is written through a temporary file in the same folder
(``.NAME.XXXXXXXX.tmp``, :data:`TEMP_FILE`) and a rename, so a reader sees the
old file or the new one, never half of one, and a crash leaves the old file.

Compare before replace: a writer that read a file it is about to replace
passes the :class:`Snapshot` it took when reading; just before the rename the
file's bytes are compared with it, and when they differ (an editor saved it
meanwhile; editors take no lock) the new file is not written and
:class:`FileChanged` is raised, so the caller can read the file again and merge.
The window left between that comparison and the rename is one system call.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, PipelineError

TEMP_FILE = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")  # what mkstemp(prefix=".NAME.", suffix=".tmp") makes


@dataclass(frozen=True)
class Snapshot:
    """What a file held when it was read: its SHA-256, or None when there was no file."""

    path: Path
    digest: str | None

    @classmethod
    def of(cls, path: Path | str, data: bytes | None = None) -> Snapshot:
        """The snapshot of `path` now (or of `data`, the bytes just read from it)."""
        path = Path(path)
        if data is None:
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                return cls(path, None)
        return cls(path, hashlib.sha256(data).hexdigest())

    def unchanged(self) -> bool:
        """True when the file still holds what it held when the snapshot was taken."""
        return Snapshot.of(self.path).digest == self.digest


class FileChanged(PipelineError):
    """A file changed on disk after it was read, so it was not replaced."""


def write_atomic(path: Path, data: str | bytes, expected: Snapshot | None = None, durable: bool = True) -> bool:
    """Write `data` to `path` through a temporary file and a rename.

    Returns False (and touches nothing) when the file already holds exactly
    these bytes, so unchanged outputs keep their timestamps. With `expected`,
    the file is replaced only if it still holds what it held when `expected`
    was taken; else FileChanged is raised and nothing is written. `durable=False` skips the fsync
    (still atomic: old file or new) for files that can be made again, such as rendered pages whose
    build-state stamps send them to be rendered again if a crash lost them: at 2,000 documents the
    fsyncs of 12,000 pages were 40% of a first run.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == raw:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, _mode_for(path))  # mkstemp makes 0600; outputs are meant to be shared
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if expected is not None and not expected.unchanged():
            raise FileChanged("changed on disk since it was read; not replaced", path)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def remove_temp_files(folder: Path, older_than: float) -> list[Path]:
    """Remove the temporary files a killed run left in `folder` and below: only names of the
    project's own pattern, only files last changed before `older_than` (a time.time())."""
    removed = []
    for path in Path(folder).rglob(".*.tmp") if Path(folder).is_dir() else ():
        try:
            if TEMP_FILE.fullmatch(path.name) and path.is_file() and path.stat().st_mtime < older_than:
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def _mode_for(path: Path) -> int:
    """The permissions the written file gets: those it had, else 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, or raise InputError naming the file (and line)."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", path)
    if path.is_dir():
        raise InputError("is a directory, not a file", path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path) from None
    return decode_text(raw, path)


def decode_text(raw: bytes, path: Path) -> str:
    """The text of bytes read from `path`, checked as :func:`read_text` checks a file (a caller that
    needs the bytes too, to fingerprint exactly what it read, reads them once and decodes them here)."""
    if not raw.strip():
        raise InputError("file is empty", path)
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError("binary file (NUL byte), expected UTF-8 text", path, line)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})", path, line) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
