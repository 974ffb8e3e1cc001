"""Running Apertium: the one place that starts its programs and turns their failures into EngineError,
and the mode files (the shell pipes ``apertium`` runs) with the repair steps spliced in.

A batch travels as HTML: each segment one numbered ``<p>`` block (:func:`blocks`), so N
segments in always come back as N (:func:`read_blocks`). Apertium runs with
``APERTIUM_TRANSFUSE=no``: the plain HTML deformatter, not Transfuse (a Recommends that may
be absent), so the stream is the same on every machine. When the ``apertium`` script is one
whose HTML path is known (:data:`KNOWN_SCRIPTS`), that path's pipe is run without the script
(:func:`direct_pipe`: 22 ms less a batch, the same bytes).
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterable, Sequence

from ...errors import EngineError

if TYPE_CHECKING:  # settings come as arguments: the in-pipe program never loads config
    from ...config import EngineSettings

PACKAGE_ROOT = Path(__file__).resolve().parents[3]  # the folder that holds the `pipeline` package
LIST_TIMEOUT = 30  # seconds for `apertium -l`: a hung install must not hang `available()`
_BLOCK = re.compile(r'<p id="s(\d+)">(.*?)</p>', re.DOTALL)

# Where a repair step can go: after the one program of the mode that starts with this command
# (and has the marker among its arguments: the analyser is the lt-proc that reads automorf.bin).
PROGRAMS: dict[str, tuple[str, str]] = {
    "analyser": ("lt-proc", "automorf"),
    "tagger": ("apertium-tagger", ""),
    "lexical selection": ("lrx-proc", ""),
    "interchunk": ("apertium-interchunk", ""),
    "postchunk": ("apertium-postchunk", ""),
}


def run(command: Sequence[str], text: str = "", what: str = "", timeout: float | None = None,
        environment: dict[str, str] | None = None) -> str:
    """The standard output of `command` given `text` (UTF-8 both ways); `environment`: variables set
    over this process's own.

    EngineError when it cannot start, times out or fails; the message has its standard
    error on one line. `what` names it in messages (default: the program).
    """
    import subprocess  # here: the in-pipe programs import this module for PROGRAMS and start nothing (6 ms each)

    what = what or command[0]
    environment = dict(os.environ, APERTIUM_TRANSFUSE="no", **(environment or {}))
    try:
        done = subprocess.run(list(command), input=text.encode("utf-8"), capture_output=True, env=environment,
                              timeout=timeout)
    except OSError as error:
        raise EngineError(f"cannot run {command[0]}: {error.strerror}") from None
    except subprocess.TimeoutExpired:
        raise EngineError(f"{what} did not finish in {timeout} seconds") from None
    if done.returncode != 0:
        message = " ".join(done.stderr.decode("utf-8", "replace").split()) or f"exit status {done.returncode}"
        raise EngineError(f"{what} failed: {message}")
    return done.stdout.decode("utf-8", "replace")


def translate(settings: EngineSettings, mode: str, html: str, datadir: Path | str | None = None,
              marks: bool = False, relays: Sequence[tuple[Path, Path]] = ()) -> str:
    """HTML through one Apertium mode (from `datadir`'s modes folder if given, else the installed one).

    `marks`: keep the unknown-word marks (``*word``) in the output. `relays`: the FIFOs of the relays in
    the mode (:func:`install_relayed_mode`), which the direct pipe replaces with redirections.
    """
    direct = direct_pipe(settings.apertium, mode, datadir, marks, relays)
    if direct is not None:
        return run(direct[0], html, what=f"apertium {mode}", environment=direct[1])
    command = [settings.apertium, *(["-d", str(datadir)] if datadir else []), "-f", "html",
               *([] if marks else ["-u"]), mode]
    return run(command, html, what=f"apertium {mode}")


# The ``apertium`` scripts whose ``-f html`` path direct_pipe runs without them (SHA-256 of the script):
# Debian's apertium 3.8.3-1+b2. Another script (a newer Apertium, a wrapper a user configured) is run itself.
KNOWN_SCRIPTS = frozenset({"0c10b25947a403d8ea27a0100cddcc9276d517a4d10047de28d4a5d9b52b3e0c"})


def direct_pipe(executable: str, mode: str, datadir: Path | str | None, marks: bool,
                relays: Sequence[tuple[Path, Path]] = ()) -> tuple[list[str], dict[str, str]] | None:
    """(command, variables to set) that run exactly what ``EXECUTABLE [-d DATADIR] -f html [-u] MODE`` runs,
    when EXECUTABLE is a script of KNOWN_SCRIPTS; None otherwise, or whenever the script would do
    anything else (report an error, use Transfuse or AP_SETVAR): then the script is run.

    Why: before its pipe, the script starts `locale`, `grep`, `head`, `mktemp`, two `gawk` (identity
    filters when AP_SETVAR is unset), `apertium-wblank-mode` and a second `bash`. A one-sentence batch
    took 133 ms through the script and 111 ms this way (medians of 20, the same bytes out); a run after
    one edited document makes one such batch. What it runs is the script's ``translate_html`` with no
    translation memory: ``apertium-deshtml /dev/stdin | <the mode, as apertium-wblank-mode writes it,
    with $1 = -n (-u) or -g and $2 empty> | apertium-rehtml``, with the script's PATH (APERTIUM_PATH
    first) and LC_CTYPE (the first UTF-8 locale of ``locale -a``). Transfuse is never used: ``run``
    sets APERTIUM_TRANSFUSE=no, for both ways.

    `relays`: (FIFO in, FIFO out) of each relay :func:`install_relayed_mode` put in the mode, in order.
    Each is replaced by redirections: the part of the pipe before it writes its FIFO in, in the
    background, and the part after it reads its FIFO out, which is what the relay's two `cat` did, with
    no relay and no `cat` started (5 relays: 15 programs fewer, 118 -> 105 ms a one-sentence batch
    with identity steps). A relay not found as written leaves the text as it is."""
    script = shutil.which(executable)
    if script is None or os.environ.get("AP_SETVAR"):
        return None
    script = os.path.realpath(script)
    try:
        stat = os.stat(script)
    except OSError:
        return None
    if _script_digest(script, stat.st_size, stat.st_mtime_ns) not in KNOWN_SCRIPTS:
        return None
    programs = os.environ.get("APERTIUM_PATH") or "/usr/bin"  # the script's own defaults, as it sets them
    folder = os.fspath(datadir) if datadir else os.environ.get("APERTIUM_DATADIR") or "/usr/share/apertium"
    mode_file = os.path.join(folder, "modes", f"{mode}.mode")
    locale = _utf8_locale()
    if locale is None or not os.path.isfile(mode_file):
        return None  # the script's own error message, then
    path = f"{programs}:{os.environ.get('PATH', '')}"
    try:
        stat = os.stat(mode_file)
        pipe = _wblank_mode(mode_file, stat.st_size, stat.st_mtime_ns, path)
    except (OSError, EngineError):
        return None
    if relays and datadir:
        pipe = _without_relays(pipe, Path(datadir), relays)
    command = f"apertium-deshtml /dev/stdin | {{\n{pipe}\n}} | apertium-rehtml"
    return ["bash", "-c", command, "apertium", "-g" if marks else "-n", ""], {"PATH": path, "LC_CTYPE": locale}


def _without_relays(pipe: str, datadir: Path, relays: Sequence[tuple[Path, Path]]) -> str:
    """The wblank'd relayed mode `pipe` with its relays turned into redirections (:func:`direct_pipe`);
    as it is when any relay is not found as install_relayed_mode wrote it.

    A background part's standard input would be /dev/null (bash, with no job control), so the first
    part reads the pipe's input through descriptor 3, as the relay script itself does."""
    parts = pipe
    for inward, outward in relays:
        written = f" | {shlex.join([str(datadir / 'relay'), str(inward), str(outward)])} | "
        if parts.count(written) != 1:
            return pipe
        parts = parts.replace(written, f" >{shlex.quote(str(inward))} &\n<{shlex.quote(str(outward))} ")
    return f"exec 3<&0\n<&3 {parts}\nwait"


@lru_cache(maxsize=8)
def _script_digest(script: str, size: int, mtime_ns: int) -> str:
    import hashlib

    with open(script, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


@lru_cache(maxsize=1)
def _utf8_locale() -> str | None:
    """What the apertium script exports as LC_CTYPE: ``locale -a | grep -i "utf[.-]*8" | head -1``."""
    import subprocess

    try:
        listed = subprocess.run(["locale", "-a"], capture_output=True, timeout=LIST_TIMEOUT).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = [line for line in listed.decode("utf-8", "replace").splitlines() if re.search(r"utf[.-]*8", line, re.I)]
    return found[0] if found else None


@lru_cache(maxsize=32)
def _wblank_mode(mode_file: str, size: int, mtime_ns: int, path: str) -> str:
    """The mode's pipe as ``apertium-wblank-mode`` rewrites it for the script (its word-bound blanks steps)."""
    program = shutil.which("apertium-wblank-mode", path=path)
    if program is None:
        raise EngineError("apertium-wblank-mode not found")
    return run([program, mode_file], what="apertium-wblank-mode").strip("\n")


def translate_chain(settings: EngineSettings, modes: Sequence[str], html: str, marks: bool = False) -> str:
    """HTML through a chain of installed modes, one after the other (a pivot: English-Catalan, Catalan-Spanish)."""
    for mode in modes:
        html = translate(settings, mode, html, marks=marks)
    return html


def blocks(bodies: Iterable[tuple[int, str]]) -> str:
    """The HTML for a batch: one ``<p id="sN">`` block per (number, body); bodies are HTML already."""
    return "".join(f'<p id="s{number}">{body}</p>\n' for number, body in bodies)


def read_blocks(output: str) -> dict[int, str]:
    """Apertium's output for :func:`blocks`: number -> translated body."""
    return {int(number): body for number, body in _BLOCK.findall(output)}


def installed_modes(executable: str) -> frozenset[str]:
    """The modes ``apertium -l`` lists (empty when apertium does not run)."""
    return _listed_modes(executable)


@lru_cache(maxsize=None)
def _listed_modes(executable: str) -> frozenset[str]:
    if shutil.which(executable) is None:
        return frozenset()
    try:
        return frozenset(run([executable, "-l"], timeout=LIST_TIMEOUT).split())
    except EngineError:
        return frozenset()


def system_mode_file(settings: EngineSettings, mode_name: str = "") -> Path | None:
    """The installed mode file of `mode_name` (default ``settings.apertium_mode``; the shell pipe apertium
    runs), if found.

    Looks where apertium itself does: ``APERTIUM_DATADIR`` (Apertium's own variable, as its
    ``apertium`` script reads it), beside the executable, then the usual prefixes.
    """
    candidates = [os.environ.get("APERTIUM_DATADIR", "")]
    executable = shutil.which(settings.apertium)
    if executable:
        candidates.append(str(Path(executable).resolve().parent.parent / "share" / "apertium"))
    candidates += ["/usr/share/apertium", "/usr/local/share/apertium"]
    for datadir in filter(None, candidates):
        mode = Path(datadir, "modes", f"{mode_name or settings.apertium_mode}.mode")
        if mode.is_file():
            return mode
    return None


def mode_data_files(mode_text: str) -> list[str]:
    """The data files a mode's pipe names (its quoted absolute paths), sorted, once each."""
    return sorted(set(re.findall(r"'(/[^']+)'", mode_text)))


def mode_programs(mode_text: str) -> list[str]:
    """The programs a mode's pipe runs, as found on PATH (the name itself when it is not), sorted, once each."""
    names = {program.split()[0] for program in mode_text.strip().split(" | ") if program.split()}
    return sorted(shutil.which(name) or name for name in names)


@lru_cache(maxsize=None)
def package_code() -> str:
    """A digest of this package's code and data (``*.py``, ``*.tsv``): what the pipeline adds to Apertium's answers."""
    import hashlib  # here: the in-pipe programs import this module and never need it (OpenSSL's load)

    digest = hashlib.sha256()
    package = Path(__file__).parent
    for source in sorted([*package.glob("*.py"), *package.glob("*.tsv")]):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def repaired_mode(mode: str, splices: Sequence[tuple[str, str]]) -> str | None:
    """The mode's pipe with each (position, command) of `splices` run right after that position's program
    (:data:`PROGRAMS`); a position whose program is not in the pipe exactly once gets nothing.

    None when no splice has its program, or the programs are not in the order of `splices`
    (not the pipe the steps were written for): then the mode runs unchanged.
    """
    programs = [program.strip() for program in mode.strip().split(" | ")]
    places = []
    for position, command in splices:
        name, marker = PROGRAMS[position]
        found = [i for i, program in enumerate(programs) if program.startswith(name + " ") and marker in program]
        if len(found) == 1:
            places.append((found[0], command))
    if not places or [at for at, _ in places] != sorted({at for at, _ in places}):
        return None
    for after, command in reversed(places):  # from the end, so earlier indexes stay right
        programs.insert(after + 1, command)
    return " | ".join(programs) + "\n"


def install_repaired_mode(settings: EngineSettings, datadir: Path, splices: Sequence[tuple[str, Sequence[str]]]) -> bool:
    """Write into `datadir` the installed mode with the in-pipe program spliced in, once per (position,
    its arguments) of `splices`, for ``apertium -d DATADIR``; False (nothing written) when it cannot be.

    The in-pipe program is :func:`.steps.main` (as ``python -m pipeline.engines.apertium ARGS``) behind a script of its own:
    in null-flush mode apertium adds -z after each program's first word.
    """
    repair = datadir / "repair"
    if not _install_mode(settings, datadir, [(position, shlex.join([str(repair), *arguments]))
                                             for position, arguments in splices]):
        return False
    # -S: no site module. Each of the five in-pipe programs started 30 ms faster (site and the editable
    # install's path finder), and the steps need nothing outside this package and the standard library.
    # The packages above the steps are entered without running their __init__ modules (the engine registry
    # and the configuration, which the steps never use): about 80 ms -> 60 ms to start each in-pipe program
    # on empty input (best of 30 starts), five of them a batch.
    packages = [".".join(__package__.split(".")[:depth]) for depth in range(1, __package__.count(".") + 2)]
    folders = [str(PACKAGE_ROOT.joinpath(*package.split("."))) for package in packages]
    program = ("import sys, types\n"
               f"for name, folder in {list(zip(packages, folders))!r}:\n"
               "    package = sys.modules[name] = types.ModuleType(name)\n"
               "    package.__path__, package.__package__ = [folder], name\n"
               f"from {__package__}.steps import main\n"
               "sys.exit(main(sys.argv[1:], sys.stdin.buffer, sys.stdout.buffer))\n")
    repair.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -S -c {shlex.quote(program)} \"$@\"\n")
    repair.chmod(0o755)
    return True


# The relay that stands in the pipe for an in-pipe program whose steps run in a thread of the engine's
# process (:func:`translate_relayed`): apertium's stream into the FIFO the thread reads ("$1"), and what the
# thread writes into the other ("$2") on down the pipe. cat passes each read on at once, so what apertium
# flushes stays flushed. A background job's standard input is /dev/null in a shell without job control,
# redirections included, hence the pipe's input kept on descriptor 3 for it.
RELAY = """#!/bin/sh
[ "$1" = -z ] && shift
exec 3<&0
cat <&3 >"$1" &
exec cat <"$2" 3<&-
"""

# A thread's program: its steps from the FIFO it reads (binary) to the one it writes, flushing each piece.
Relayed = Callable[[BinaryIO, BinaryIO], None]


def install_relayed_mode(settings: EngineSettings, datadir: Path, positions: Sequence[str]
                         ) -> list[tuple[Path, Path]] | None:
    """Write into `datadir` the installed mode with a relay (:data:`RELAY`) after each of `positions`, for
    ``apertium -d DATADIR``, and each relay's two FIFOs: [(the stream in, the stream out)] in the order of
    `positions`; None (no mode written) when the mode cannot be repaired. Apart from the spliced commands
    the mode is the one :func:`install_repaired_mode` writes, and apertium runs it the same way."""
    relay = datadir / "relay"
    fifos = [(datadir / f"into-{number}", datadir / f"out-of-{number}") for number in range(len(positions))]
    if not _install_mode(settings, datadir, [(position, shlex.join([str(relay), str(inward), str(outward)]))
                                             for position, (inward, outward) in zip(positions, fifos)]):
        return None
    relay.write_text(RELAY)
    relay.chmod(0o755)
    for inward, outward in fifos:
        os.mkfifo(inward, 0o600)
        os.mkfifo(outward, 0o600)
    return fifos


def _install_mode(settings: EngineSettings, datadir: Path, commands: Sequence[tuple[str, str]]) -> bool:
    """The installed mode with `commands` spliced in (:func:`repaired_mode`) as DATADIR/modes/MODE.mode;
    False, nothing written, when it cannot be."""
    mode = system_mode_file(settings)
    repaired = repaired_mode(mode.read_text(encoding="utf-8"), commands) if mode and commands else None
    if not repaired:
        return False
    (datadir / "modes").mkdir()
    (datadir / "modes" / f"{settings.apertium_mode}.mode").write_text(repaired, encoding="utf-8")
    return True


def translate_relayed(settings: EngineSettings, html: str, datadir: Path,
                      relays: Sequence[tuple[Path, Path, Relayed, str]]) -> str:
    """HTML through the mode :func:`install_relayed_mode` wrote in `datadir`, each (FIFO in, FIFO out,
    program, its name for messages) of `relays` run in a thread of this process between its relay's two FIFOs.

    Opening a FIFO waits for its other end, so a thread whose relay never starts (apertium failed before
    its pipe did, or a program before it died) would wait for ever: once apertium has returned, each thread
    still alive is let go (its FIFOs' other ends opened without waiting and closed: it reads the end of
    its stream, or a write finds no reader) and joined. A thread that fails closes its FIFOs, so the pipe
    ends; its error is the batch's EngineError, before apertium's own (which it may have caused).
    """
    import threading  # here: the in-pipe programs import this module and never start a thread

    failures: list[tuple[str, BaseException]] = []
    finished = threading.Event()  # apertium has returned: errors after it are the threads being let go

    def serve(inward: Path, outward: Path, program: Relayed, name: str) -> None:
        source = sink = None
        try:
            source = open(inward, "rb")
            if finished.is_set():
                return
            sink = open(outward, "wb")
            if not finished.is_set():
                program(source, sink)
        except BaseException as error:  # noqa: BLE001  (SystemExit too: it must not end the thread unseen)
            if not finished.is_set():
                failures.append((name, error))
        finally:
            for stream in (source, sink):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass  # a last flush into a relay that has gone: the stream ends either way

    threads = [threading.Thread(target=serve, args=relay, daemon=True, name=f"apertium relay {relay[3]}")
               for relay in relays]
    for thread in threads:
        thread.start()
    try:
        output = translate(settings, settings.apertium_mode, html, datadir=datadir,
                           relays=[(inward, outward) for inward, outward, *_ in relays])
        failed = None
    except EngineError as error:
        output, failed = "", error
    finally:
        finished.set()
        for thread, (inward, outward, *_) in zip(threads, relays):
            while thread.is_alive():
                _open_other_end(inward, os.O_WRONLY)
                _open_other_end(outward, os.O_RDONLY)
                thread.join(0.01)
    broken = [(name, error) for name, error in failures if isinstance(error, BrokenPipeError)]
    causes = [(name, error) for name, error in failures if not isinstance(error, BrokenPipeError)]
    if causes or (broken and failed is None):
        name, cause = (causes or broken)[0]
        message = " ".join(str(cause).split()) or type(cause).__name__
        raise EngineError(f"apertium {settings.apertium_mode}: repair step {name} failed: {message}")
    if failed is not None:
        raise failed
    return output


def _open_other_end(fifo: Path, flags: int) -> None:
    """Open and close `fifo` without waiting: a thread waiting in open() for this end goes on."""
    try:
        os.close(os.open(fifo, flags | os.O_NONBLOCK))
    except OSError:
        pass  # ENXIO: no reader is waiting for a writer; the thread is not in open() (yet)
