"""SIGTERM and kill -9 in the middle of a run (issue 13, finding 6): a real `pipeline run` process
with the Apertium engine, signalled while it translates; the next run cleans up and completes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib

from conftest import CORPUS, msgfmt_check
from pipeline import catalog
from pipeline.files import RUN_FOLDER_PREFIX, TEMP_FILE


def _start(tmp_path: Path, tmpdir: Path) -> subprocess.Popen:
    source = tmp_path / "article.txt"
    if not source.exists():
        source.write_text(CORPUS.read_text(encoding="utf-8"), encoding="utf-8")
    return subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(source), "--locales",
                             str(tmp_path / "locales"), "--dist", str(tmp_path / "dist"), "--engine", "apertium"],
                            cwd=tmp_path, env={**os.environ, "TMPDIR": str(tmpdir)},
                            stderr=subprocess.PIPE, text=True)


def _wait_for_engine(tmpdir: Path, run: subprocess.Popen) -> None:
    """Until the run's engine has made its temporary folder (so it is mid-translation)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        if list(tmpdir.glob(f"{RUN_FOLDER_PREFIX}*/pipeline-apertium-*")):
            return
        time.sleep(0.02)
    raise AssertionError("the run never reached the engine")


def _leftovers(tmp_path: Path, tmpdir: Path) -> list[Path]:
    return [p for p in tmp_path.rglob("*") if TEMP_FILE.fullmatch(p.name)] + list(tmpdir.iterdir())


def test_sigterm_is_one_line_exit_143_and_leaves_nothing_behind(tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    run = _start(tmp_path, tmpdir)
    _wait_for_engine(tmpdir, run)
    run.send_signal(signal.SIGTERM)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 143
    assert stderr.strip().splitlines()[-1] == "pipeline: terminated" and "Traceback" not in stderr
    assert _leftovers(tmp_path, tmpdir) == []
    again = _start(tmp_path, tmpdir)
    assert again.wait(timeout=600) == 0
    assert _leftovers(tmp_path, tmpdir) == []


def test_kill_9_then_a_run_leaves_no_temp_file_and_no_temp_folder(tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    run = _start(tmp_path, tmpdir)
    _wait_for_engine(tmpdir, run)
    run.kill()
    run.wait()
    # What a kill during a write leaves: our temp file beside the catalog (made before the next lock).
    folder = tmp_path / "locales" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".article.po.Xy12ab34.tmp").write_text("half", encoding="utf-8")
    assert list(tmpdir.glob(f"{RUN_FOLDER_PREFIX}*"))  # SIGKILL: nothing could clean up
    again = _start(tmp_path, tmpdir)
    assert again.wait(timeout=600) == 0
    assert _leftovers(tmp_path, tmpdir) == []
    po_file = catalog.po_path(tmp_path / "locales", "article")
    assert msgfmt_check(po_file).returncode == 0 and len(polib.pofile(str(po_file))) > 20


EXIT = """
import atexit, sys, threading, time
from pipeline.cli import exit_now
done = sys.argv[1]
atexit.register(lambda: open(done + ".atexit", "w").write("ran"))
if sys.argv[2] == "thread":  # a thread still at work: the exit waits for it, as Python's own does
    threading.Thread(target=lambda: (time.sleep(0.3), open(done + ".thread", "w").write("ran"))).start()
sys.stdout.write("printed, no newline")
exit_now(3)
"""


def test_the_commands_exit_runs_atexit_handlers_flushes_output_and_waits_for_threads(tmp_path):
    for mode in ("alone", "thread"):
        done = tmp_path / mode
        exited = subprocess.run([sys.executable, "-c", EXIT, str(done), mode], capture_output=True, text=True,
                                timeout=60)
        assert (exited.returncode, exited.stdout, exited.stderr) == (3, "printed, no newline", "")
        assert Path(f"{done}.atexit").read_text() == "ran"
        assert Path(f"{done}.thread").exists() == (mode == "thread")
