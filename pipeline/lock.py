"""One writer at a time: an advisory lock per project, held by every command that writes.

The lock is ``LOCALES/.pipeline.lock``, taken with ``flock(2)``. The kernel
releases a flock when its process dies, however it dies (``kill -9``
included), so a lock left by a killed run is never stale: the next run takes
it at once. The file's content (pid, command, start time) is only for the
message a waiting run prints.

A second writer waits, printing one line, or fails at once with ``wait=False``
(``--no-wait``). Readers (``stats``, ``qa``) take no lock: every file is
replaced atomically, so they see the old file or the new one, never half of one.

Editors (Poedit, a text editor) take no lock either: a catalog they saved while
a run was working is caught by the compare-before-replace rule in
``pipeline.files.replace_if_unchanged``, not by this lock.
"""
from __future__ import annotations

import fcntl
import os
import sys
import time
from pathlib import Path
from types import TracebackType

from .errors import PipelineError

LOCK_FILE = ".pipeline.lock"
POLL_SECONDS = 0.1  # how often a waiting run tries again


class LockBusy(PipelineError):
    """Another run holds the project lock and we were asked not to wait."""


class ProjectLock:
    """The project's writer lock (a context manager); re-entrant within one process."""

    _held: dict[Path, int] = {}  # lock path -> depth, so nested API calls in one process share it

    def __init__(self, locales: Path | str, command: str = "pipeline", wait: bool = True, quiet: bool = False,
                 timeout: float | None = None):
        self.path = Path(locales) / LOCK_FILE
        self.command = command
        self.wait = wait
        self.quiet = quiet
        self.timeout = timeout
        self._fd: int | None = None
        self.acquired: float | None = None  # time.time() when this process took the lock
        self._made_folder = False
        self.outermost = False  # True for the `with` that took the lock (not a nested one in the same process)
        self.after_a_killed_writer = True  # False when the last holder let go of the lock (__exit__)

    def __enter__(self) -> ProjectLock:
        key = self.path.absolute()
        if key in self._held:
            self._held[key] += 1
            return self
        self._made_folder = not self.path.parent.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fresh = not self.path.exists()
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                self._acquire(fd)
            except BaseException:
                os.close(fd)
                raise
            try:
                if os.stat(self.path).st_ino == os.fstat(fd).st_ino:
                    break
            except FileNotFoundError:
                pass
            os.close(fd)  # the holder removed the file (and the folder it made) as we waited: take the new one
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # Once we hold it no other run of ours writes here: a temp file older than now is a killed run's.
        self.acquired = time.time()
        # A holder empties the file when it lets go; one that died holding it left its line. Only then (or
        # with no file before: who knows) can a writer's temporary files be lying about (api.writing).
        self.after_a_killed_writer = fresh or os.fstat(fd).st_size > 0
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {self.command} {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        self._fd = fd
        self._held[key] = 1
        self.outermost = True
        return self

    def _acquire(self, fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = self.holder()
        if not self.wait:
            raise LockBusy(f"another run is writing this project ({holder}); try again later or drop --no-wait",
                           self.path.parent)
        if not self.quiet:
            print(f"pipeline: waiting for {holder} to finish with {self.path.parent}", file=sys.stderr)
        started = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if self.timeout is not None and time.monotonic() - started > self.timeout:
                    raise LockBusy(f"gave up waiting for {holder}", self.path.parent) from None
                time.sleep(POLL_SECONDS)

    def holder(self) -> str:
        """Who holds the lock, as the holder wrote it: 'pid 123 (pipeline run, since ...)'."""
        try:
            pid, command, since = self.path.read_text(encoding="utf-8").split(" ", 2)
            return f"pid {pid} ({command}, since {since.strip()})"
        except (OSError, ValueError):
            return "another run"

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        key = self.path.absolute()
        self._held[key] -= 1
        if self._held[key]:
            return
        del self._held[key]
        if self._fd is not None:
            os.ftruncate(self._fd, 0)  # who held it is only news while it is held; a re-run changes no byte
            if self._made_folder and [p.name for p in self.path.parent.iterdir()] == [LOCK_FILE]:
                # A command that failed before writing anything leaves no locales folder behind.
                self.path.unlink(missing_ok=True)
                try:
                    self.path.parent.rmdir()
                except OSError:
                    pass
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
