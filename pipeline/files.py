"""Reading sources safely, and writing files atomically without replacing what someone else wrote.

Every file is written through a temporary file in the same folder: an unnamed one
(``O_TMPFILE``) linked under its name when no file has that name yet, else a named one
(``.NAME.XXXXXXXX.tmp``, :data:`TEMP_FILE`) and a rename, so a reader sees no file, the
old file or the new one, never half of one, and a crash leaves the old file.

Compare before replace: a writer that read a file it is about to replace
passes the :class:`Snapshot` it took when reading; just before the rename the
file's bytes are compared with it, and when they differ (an editor saved it
meanwhile; editors take no lock) the new file is not written and
:class:`FileChanged` is raised, so the caller can read the file again and merge.
An in-place save (truncate and write through the same inode) that lands in the one system
call between that comparison and the rename is caught after the rename and put back
(:func:`_replace_unchanged`).
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import AnyStr, BinaryIO, Callable, Iterable, Iterator, TypeVar

from .errors import InputError, PipelineError

TEMP_FILE = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")  # what mkstemp(prefix=".NAME.", suffix=".tmp") makes
T = TypeVar("T")
RUN_FOLDER_PREFIX = "pipeline-run-"  # TMPDIR/pipeline-run-PID-XXXXXXXX: one run's temporary folders, engines' included
SETTLE_TRIES, SETTLE_SECONDS = 20, 0.025  # a file caught mid-save is read again for up to half a second
HALF_SAVE_SECONDS = 0.5  # how long bytes that do not parse are watched for the rest of a save (read_parsed)


class Snapshot:
    """What a file held when it was read: its SHA-256 (`digest`), None when there was no file. Made by
    :meth:`kept` from bytes its reader keeps anyway, it holds them and compares a file with them byte for
    byte, hashing them only if the digest is asked for: the build state of 2,024 documents (2.9 MB) was
    hashed three times a save, 6 ms of a one-edit re-run."""

    __slots__ = ("path", "_digest", "data")

    def __init__(self, path: Path | str, digest: str | None, data: bytes | None = None):
        self.path, self._digest, self.data = Path(path), digest, data

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

    @classmethod
    def kept(cls, path: Path | str, data: bytes) -> Snapshot:
        """The snapshot of `data`, the bytes just read from `path`, which the caller keeps unchanged."""
        return cls(path, None, data)

    @property
    def digest(self) -> str | None:
        if self._digest is None and self.data is not None:
            self._digest = hashlib.sha256(self.data).hexdigest()
        return self._digest

    @property
    def existed(self) -> bool:
        """Whether there was a file (False: the snapshot saw none)."""
        return self._digest is not None or self.data is not None

    def __repr__(self) -> str:
        return f"Snapshot({str(self.path)!r}, {'a file' if self.existed else 'no file'})"

    def holds(self, handle: BinaryIO) -> bool:
        """Whether the open file `handle` holds what the snapshot saw (read from its start)."""
        if self.data is None:
            return _digest(handle) == self.digest
        handle.seek(0)
        view, offset = memoryview(self.data), 0
        for block in iter(lambda: handle.read(1 << 20), b""):
            if view[offset:offset + len(block)] != block:
                return False
            offset += len(block)
        return offset == len(self.data)

    def unchanged(self) -> bool:
        """True when the file still holds what it held when the snapshot was taken."""
        try:
            with open(self.path, "rb") as handle:
                return self.existed and self.holds(handle)
        except FileNotFoundError:
            return not self.existed


class FileChanged(PipelineError):
    """A file changed on disk after it was read, so it was not replaced."""


def write_atomic(path: Path, data: str | bytes | Iterable[str] | Iterable[bytes], expected: Snapshot | None = None,
                 durable: bool = True) -> bool:
    """Write `data` to `path` through a temporary file and a rename.

    Returns False (and touches nothing) when the file already holds exactly
    these bytes, so unchanged outputs keep their timestamps. With `expected`,
    the file is replaced only if it still holds what it held when `expected`
    was taken; else FileChanged is raised and nothing is written. `durable=False` skips the fsync
    (still atomic: old file or new) for files that can be made again, such as rendered pages whose
    build-state stamps send them to be rendered again if a crash lost them: at 2,000 documents the
    fsyncs of 12,000 pages were 40% of a first run.

    `data` may be pieces of text (any iterable of str or of UTF-8 bytes, read once): they are encoded and written
    one by one, and compared with the file's bytes as they go, so a catalog's text is never held
    whole (issue 13, finding 9: a 30 MB source's 17.5 MB PO is 35 MB as one str, plus its bytes).
    """
    path = Path(path)
    if isinstance(data, (str, bytes)):
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if path.is_file() and path.read_bytes() == raw:
            return False
        pieces: Iterable[bytes] = (raw,)
        compared: Path | None = None  # compared whole above
    else:  # pieces of text, or of bytes already encoded (a caller that hashes what it writes)
        pieces, compared = (piece.encode("utf-8") if isinstance(piece, str) else piece for piece in data), path
    fd, tmp = _new_file(path)
    try:
        mode = _mode_for(path)
        if tmp is not None or mode != _NEW_FILE_MODE:  # mkstemp makes 0600; outputs are meant to be shared
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle, _Comparison(compared) as same:
            for piece in pieces:
                handle.write(piece)
                same.feed(piece)
            if same.finished():  # the file holds these bytes already: leave it (and its timestamps) alone
                if tmp is not None:
                    Path(tmp).unlink()
                return False
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
            if tmp is None:  # unnamed: the file appears under its name, whole, or a name is made for the rename
                if _link_new(handle.fileno(), path, expected):
                    return True
                tmp = _link_temporary(handle.fileno(), path)
        if expected is None:
            os.replace(tmp, path)
        else:
            _replace_unchanged(Path(tmp), path, expected)
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _new_file(path: Path) -> tuple[int, str | None]:
    """A file to write `path`'s new bytes into, in its folder (made if missing): (descriptor, None) for an
    unnamed one (O_TMPFILE), where the filesystem has them, else (descriptor, its temporary name).

    Why unnamed: an unnamed file is linked under its name once written, when no file has it yet (a first run:
    all 16,000 of 2,024 documents' files), which is one change to the folder instead of two (a name made,
    then renamed) and no random name to draw; a killed run leaves nothing behind. 12,000 new 7 KB files in
    one folder (benchmarks/new_files.py, six rounds taking turns): 0.36-1.34 s against 0.54-1.91 s through
    mkstemp and a rename, a median of 0.70x; this disk's cost of a new file changes from moment to moment.
    """
    try:
        return _open_new(path)
    except FileNotFoundError:  # the folder is made only when it is missing: two system calls a file less
        path.parent.mkdir(parents=True, exist_ok=True)
        return _open_new(path)


def _open_new(path: Path) -> tuple[int, str | None]:
    if _UNNAMED:
        try:
            return os.open(path.parent, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o666), None
        except OSError as error:
            if error.errno not in _NO_UNNAMED:
                raise
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")


def _link_new(fd: int, path: Path, expected: Snapshot | None) -> bool:
    """Link the unnamed file `fd` under `path` if no file has that name: True when done. False when a file
    has it and may be replaced (no `expected`, or one that saw the file); FileChanged when `expected` saw
    no file there (one was created since it was read)."""
    if expected is not None and expected.existed:
        return False  # replaced only after comparing: through a name and _replace_unchanged
    try:
        os.link(str(fd), path, src_dir_fd=_own_files(), follow_symlinks=True)
        return True
    except FileExistsError:
        if expected is not None:
            raise FileChanged("created on disk since it was read; not replaced", path) from None
        return False


def _own_files() -> int:
    """A descriptor of this process's /proc/self/fd, where an unnamed file is linked from (its name there
    is its descriptor's number): opened once a process, since /proc/self is the process that opened it.
    A folder descriptor because os.link follows the /proc link (linkat's AT_SYMLINK_FOLLOW) only with one."""
    global _OWN_FILES_FD
    pid = os.getpid()
    if _OWN_FILES_FD is None or _OWN_FILES_FD[0] != pid:
        _OWN_FILES_FD = (pid, os.open(_OWN_FILES, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC))
    return _OWN_FILES_FD[1]


def _link_temporary(fd: int, path: Path) -> str:
    """Link the unnamed file `fd` under a temporary name beside `path` (TEMP_FILE, as mkstemp's), for a rename."""
    while True:
        tmp = os.path.join(path.parent, f".{path.name}.{os.urandom(4).hex()}.tmp")
        try:
            os.link(str(fd), tmp, src_dir_fd=_own_files(), follow_symlinks=True)
            return tmp
        except FileExistsError:
            continue


def _replace_unchanged(tmp: Path, path: Path, expected: Snapshot) -> None:
    """Rename `tmp` over `path` if it still holds what `expected` saw, else FileChanged.

    An editor that saves in place (truncates the file and writes it again through the same inode, as
    polib's ``save`` does) and opened it between the comparison and the rename writes into the file
    the rename took away, and its save would be lost. The comparison reads through a descriptor that
    is kept past the rename; read again after it, a different content there is such a save: once it
    has settled, it is put back (unless the file changed again meanwhile) and FileChanged raised, so
    the caller reads it and merges. In the race test of tests/test_concurrency.py that window lost a
    translator's edit in about 1 of 300 trials.
    """
    if not expected.existed:
        if path.exists():
            raise FileChanged("created on disk since it was read; not replaced", path)
        os.replace(tmp, path)
        return
    try:
        old = open(path, "rb")
    except FileNotFoundError:
        raise FileChanged("removed on disk since it was read; not replaced", path) from None
    with old:
        if not expected.holds(old):
            raise FileChanged("changed on disk since it was read; not replaced", path)
        os.replace(tmp, path)
        if expected.holds(old):
            return
        theirs = _settled(old)
        ours = Snapshot.of(path)
    try:
        write_atomic(path, theirs, expected=ours)
    except FileChanged:
        pass  # saved again since: that newer save stays
    raise FileChanged("saved in place by another program while it was replaced; that save put back", path)


def _digest(handle) -> str:
    """SHA-256 of what an open file holds now, read from its start in pieces."""
    handle.seek(0)
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def _settled(handle) -> bytes:
    """What an open file holds once another program's save into it is over (:func:`_until_settled`)."""
    def read() -> bytes:
        handle.seek(0)
        return handle.read()

    return _until_settled(lambda: os.fstat(handle.fileno()), read)


class _Comparison:
    """Whether bytes fed piece by piece are exactly a file's, read alongside (no file: never)."""

    def __init__(self, path: Path | None) -> None:
        try:
            self._file: BinaryIO | None = open(path, "rb") if path is not None and path.is_file() else None
        except OSError:
            self._file = None
        self._same = self._file is not None

    def __enter__(self) -> _Comparison:
        return self

    def __exit__(self, *exc) -> None:
        if self._file is not None:
            self._file.close()

    def feed(self, piece: bytes) -> None:
        if self._same and self._file is not None:
            self._same = self._file.read(len(piece)) == piece

    def finished(self) -> bool:
        """True when every byte fed matched and the file has no more."""
        return self._same and self._file is not None and self._file.read(1) == b""


def remove_temp_files(folder: Path, older_than: float) -> list[Path]:
    """Remove the temporary files a killed run left in `folder` and below: only names of the
    project's own pattern, only files last changed before `older_than` (a time.time())."""
    removed = []
    # os.walk, not Path.rglob: every run looks through its dist and locales folders, 16,000 files at
    # 2,024 documents (rglob made a Path of each: 20 ms of an unchanged re-run's 0.3 s)
    for top, _, names in os.walk(folder):
        for name in names:
            if not (name.startswith(".") and name.endswith(".tmp") and TEMP_FILE.fullmatch(name)):
                continue
            path = Path(top, name)
            try:
                if path.is_file() and path.stat().st_mtime < older_than:
                    path.unlink()
                    removed.append(path)
            except OSError:
                continue  # gone already, or not ours to remove
    return removed


@contextmanager
def run_temp_folder() -> Iterator[Path]:
    """One folder for every temporary file and folder of this run (engines' and their processes'),
    removed when the run ends however it ends, short of SIGKILL; folders of killed runs
    (their process gone) are removed when the next run starts.

    TMPDIR and ``tempfile.tempdir`` point into it meanwhile, so ``apertium``'s own
    ``mktemp`` folders land there too. Nested use (an API call inside another) shares the outer folder.
    """
    current = Path(tempfile.gettempdir())
    if current.name.startswith(RUN_FOLDER_PREFIX + f"{os.getpid()}-"):
        yield current
        return
    remove_dead_run_folders(current)
    folder = Path(tempfile.mkdtemp(prefix=f"{RUN_FOLDER_PREFIX}{os.getpid()}-"))
    saved_env, saved_tempdir = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = str(folder), str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved_tempdir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        shutil.rmtree(folder, ignore_errors=True)


def remove_dead_run_folders(parent: Path) -> list[Path]:
    """Remove the run folders in `parent` whose process no longer exists (a run killed with SIGKILL)."""
    removed = []
    for folder in parent.glob(RUN_FOLDER_PREFIX + "*"):
        pid = folder.name[len(RUN_FOLDER_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _mode_for(path: Path) -> int:
    """The permissions the written file gets: those it had, else 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return _NEW_FILE_MODE


def _current_umask() -> int:
    # the only way to read it is to set it: once, at import, not at every new file (two system calls each,
    # and another thread of the process, such as the review app's, creating a file in between got mode 0666)
    umask = os.umask(0)
    os.umask(umask)
    return umask


_UMASK = _current_umask()
_NEW_FILE_MODE = 0o666 & ~_UMASK
_OWN_FILES = "/proc/self/fd"  # an open file's path, for linking an unnamed one (linkat's AT_EMPTY_PATH needs a privilege)
_UNNAMED = hasattr(os, "O_TMPFILE") and os.path.isdir(_OWN_FILES)  # Linux with /proc
_OWN_FILES_FD: tuple[int, int] | None = None  # (the process, its descriptor of _OWN_FILES): _own_files
_NO_UNNAMED = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL}  # a filesystem (or a kernel before 3.11) without O_TMPFILE


def read_settled(path: Path) -> bytes:
    """The bytes of a file another program may be saving (an editor that truncates, then writes):
    read until two reads agree with the file's status and the content is not empty, for up to
    half a second; then whatever the file holds."""
    return _until_settled(lambda: os.stat(path), Path(path).read_bytes)


def _until_settled(status: Callable[[], os.stat_result], read: Callable[[], bytes]) -> bytes:
    """`read()` until its bytes agree with `status()` taken before and after it and are not empty, for up
    to SETTLE_TRIES tries SETTLE_SECONDS apart; then the last bytes read."""
    raw = b""
    for _ in range(SETTLE_TRIES):
        before = status()
        raw = read()
        after = status()
        same = (before.st_ino, before.st_size, before.st_mtime_ns) == (after.st_ino, after.st_size, after.st_mtime_ns)
        if same and raw.strip() and len(raw) == after.st_size:
            return raw
        time.sleep(SETTLE_SECONDS)
    return raw


def read_parsed(path: Path, parse: Callable[[bytes], T]) -> T:
    """``parse`` of a file's settled bytes (:func:`read_settled`). An InputError from `parse` may be an
    editor's save caught in a pause (half the file written, then more): while the file's bytes change
    within HALF_SAVE_SECONDS, they are read and parsed again; then the error stands. tests/test_concurrency.py's
    editor writes a catalog in two halves 0.1 s apart: a render that started 0.05 s after it read the
    first half, whole by every status, once its process started fast enough to get there."""
    raw = read_bytes(path, settle=True)
    while True:
        try:
            return parse(raw)
        except InputError:
            newer = _newer_bytes(path, raw)
            if newer is None:
                raise
            raw = newer


def _newer_bytes(path: Path, raw: bytes) -> bytes | None:
    """The file's settled bytes once they differ from `raw`, looked at for up to HALF_SAVE_SECONDS; else None."""
    for _ in range(int(HALF_SAVE_SECONDS / SETTLE_SECONDS)):
        time.sleep(SETTLE_SECONDS)
        try:
            current = read_bytes(path, settle=True)
        except InputError:
            return None
        if current != raw:
            return current
    return None


def read_text(path: Path, settle: bool = False) -> str:
    """Read a UTF-8 text file, or raise InputError naming the file (and line).

    With `settle`, a file caught half-saved by another program is read again (``read_settled``).
    """
    return decode_text(read_bytes(path, settle), Path(path))


def read_bytes(path: Path, settle: bool = False) -> bytes:
    """The bytes of a file, or InputError for a missing file or a folder (`settle`: see read_text)."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", path)
    if path.is_dir():
        raise InputError("is a directory, not a file", path)
    try:
        raw = read_settled(path) if settle else path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path) from None
    return raw


def decode_text(raw: bytes, path: Path) -> str:
    """The text of a file's bytes (UTF-8, BOM and CR line ends removed), or InputError naming the file and line."""
    _check_bytes(raw, path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})", path, line) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def decode_lines(raw: bytes, path: Path) -> Callable[[], Iterator[str]]:
    """The lines of ``decode_text(raw, path).split("\\n")``, made one at a time: the same checks
    (raised here, all before any line is given) and the same lines, without the whole text.

    A catalog read back holds its bytes and, as text, up to four bytes a character (two for a 30 MB
    source's PO, whose arrows and quotes are beyond Latin-1): 17 MB of bytes made 35 MB of text.
    Returns a maker of the lines, to be read as often as needed.
    """
    _check_bytes(raw, path)
    for number, line in enumerate(split_lines(raw), 1):  # every line valid first, as decode_text checks
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid UTF-8 (byte 0x{line[exc.start]:02x})", path, number) from None

    def lines() -> Iterator[str]:
        first, last = True, raw.count(b"\n")  # the piece after the last newline ends with no LF
        for number, line in enumerate(split_lines(raw)):
            text = line.decode("utf-8")
            if first:
                text, first = text.removeprefix("\ufeff"), False
            if number < last:
                text = text.removesuffix("\r")  # a CR LF line end; any other CR ends a line too
            if "\r" in text:
                yield from text.split("\r")
            else:
                yield text
    return lines


_NOTHING = b" \t\r\n\x0b\x0c\x00"


def holds_nothing(raw: bytes) -> bool:
    """True for bytes that hold no text anyone wrote: none, or only whitespace and NUL bytes.

    What a crash leaves of a file created without an fsync (``write_atomic(durable=False)``): the
    rename reached the disk, the data did not, so the file is empty (ext4's delayed allocation) or
    its size in NUL bytes (XFS). Such a file can be taken as no file at all: nothing in it is lost."""
    return not raw or (raw[0] in _NOTHING and not raw.strip(_NOTHING))  # a real file's first byte is text: no copy


def _check_bytes(raw: bytes, path: Path) -> None:
    if not raw or raw.isspace():  # not raw.strip(): that copies a large file's bytes to test them
        raise InputError("file is empty", path)
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError("binary file (NUL byte), expected UTF-8 text", path, line)


def split_lines(data: AnyStr) -> Iterator[AnyStr]:
    """The pieces of `data` (text or bytes) between newlines, as ``data.split("\\n")`` gives them, one at a
    time: a large catalog's lines are never held as a list."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    start = 0
    while True:
        end = data.find(newline, start)
        if end < 0:
            yield data[start:]
            return
        yield data[start:end]
        start = end + 1
