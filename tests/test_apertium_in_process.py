"""The Apertium engine's two ways of running its pipe's repair steps, with real Apertium: in threads of the
engine's process between relays (a batch of at most IN_PROCESS_SEGMENTS) and in the in-pipe programs (a
larger batch). The same bytes come out either way, and a failing pipe is an EngineError with no thread or
apertium left behind."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import CORPUS, FLORES, REPO
from pipeline.config import EngineSettings
from pipeline.detect import detect
from pipeline.engines.apertium import ApertiumEngine
from pipeline.engines.apertium import engine as engine_module
from pipeline.model import Span
from pipeline.readers import read_document

pytestmark = pytest.mark.skipif(not ApertiumEngine.available(), reason="apertium-eng-spa is not installed")

# the default engine but the opt-in second opinions: the pivot word list and FreeDict on, for unknown words
SETTINGS = EngineSettings(apertium_pivots=())
FLORES_EN = FLORES / "flores200.devtest.eng_Latn.txt"


def both_paths(monkeypatch, batches: list[list[list[Span]]]) -> tuple[list[str], list[str]]:
    """Each batch translated with the steps in threads, then in the in-pipe programs; (threads, programs)."""
    engine = ApertiumEngine(SETTINGS)
    assert all(len(batch) <= engine_module.IN_PROCESS_SEGMENTS for batch in batches)
    threads = [text for batch in batches for text in engine.translate_batch(batch)]
    monkeypatch.setattr(engine_module, "IN_PROCESS_SEGMENTS", 0)  # every batch through the in-pipe programs
    programs = [text for batch in batches for text in engine.translate_batch(batch)]
    return threads, programs


def test_flores_devtest_comes_out_the_same_bytes_from_threads_and_from_programs(monkeypatch):
    lines = FLORES_EN.read_text(encoding="utf-8").splitlines()[:300]
    size = engine_module.IN_PROCESS_SEGMENTS
    threads, programs = both_paths(monkeypatch, [[[Span(line)] for line in lines[start:start + size]]
                                                 for start in range(0, len(lines), size)])
    assert len(threads) == len(lines) and all(threads)
    assert [n for n, (a, b) in enumerate(zip(threads, programs)) if a != b] == []


def test_the_reference_article_with_its_kept_spanish_comes_out_the_same_from_both(monkeypatch):
    segments = [segment for segment in detect(read_document(CORPUS)).segments() if segment.text.strip()]
    kept = [span.output for segment in segments for span in segment.spans if span.protected]
    assert kept, "the reference article has Spanish the reader keeps"
    size = engine_module.IN_PROCESS_SEGMENTS
    batches = [[segment.spans for segment in segments[start:start + size]] for start in range(0, len(segments), size)]
    threads, programs = both_paths(monkeypatch, batches)
    assert threads == programs
    everything = "\n".join(threads)
    assert all(span in everything for span in kept)  # kept spans verbatim through the relays too


@pytest.mark.skipif(not Path(f"{SETTINGS.freedict}.index").is_file(), reason="dict-freedict-eng-spa is not installed")
def test_an_unknown_word_is_looked_up_by_the_step_in_its_thread(monkeypatch):
    sentence = "The experts cautioned the public."
    raw = subprocess.run(["apertium", "-u", "eng-spa"], input=sentence, capture_output=True, text=True, check=True)
    assert "cautioned" in raw.stdout  # the pair alone does not know it
    threads, programs = both_paths(monkeypatch, [[[Span(sentence)]]])
    assert threads == programs and "cautioned" not in threads[0], threads


# The failing runs go in a child process: a hang fails the test on the timeout instead of hanging the suite.
FAILING = textwrap.dedent("""
    import json, sys, tempfile, threading, time
    from dataclasses import replace
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from pipeline.config import EngineSettings
    from pipeline.engines.apertium import ApertiumEngine
    from pipeline.engines.apertium.process import install_relayed_mode, translate_relayed
    from pipeline.engines.apertium.steps import Dictionaries, repair_pipe, steps_named
    from pipeline.errors import EngineError
    from pipeline.model import Span
    settings = EngineSettings(apertium_pivots=())
    before = set(threading.enumerate())
    started = time.monotonic()
    try:
        if sys.argv[2] == "engine":  # the engine with settings.apertium = argv[3]
            ApertiumEngine(replace(settings, apertium=sys.argv[3])).translate_batch([[Span("The house is red.")]])
        else:  # the relayed mode with the unknown-words step reading the word list argv[3]
            with tempfile.TemporaryDirectory() as folder:
                (inward, outward), = install_relayed_mode(settings, Path(folder), ["postchunk"])
                steps = steps_named(["unknown-words"])
                program = lambda stdin, stdout: repair_pipe(steps, Dictionaries((sys.argv[3],)), stdin, stdout)
                batch = '<p id="s0">The marchers chanted.</p>\\n' * 2000
                translate_relayed(settings, batch, Path(folder), [(inward, outward, program, "unknown-words")])
        error = None
    except EngineError as raised:
        error = str(raised)
    left = [thread.name for thread in threading.enumerate() if thread not in before]
    print(json.dumps({"error": error, "seconds": time.monotonic() - started, "threads left": left}))
""")


def failing_run(*arguments: str) -> dict:
    done = subprocess.run([sys.executable, "-c", FAILING, str(REPO), *arguments], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_an_apertium_that_fails_before_its_pipe_starts_leaves_no_thread_waiting(tmp_path):
    broken = tmp_path / "apertium"
    broken.write_text('#!/bin/sh\necho "Error: broken on purpose." >&2\nexit 1\n')  # exits before it reads
    broken.chmod(0o755)
    found = failing_run("engine", str(broken))
    assert found["error"] == "apertium eng-spa failed: Error: broken on purpose."
    assert found["threads left"] == [] and found["seconds"] < 30


def test_a_step_failing_in_its_thread_is_an_engine_error_and_the_pipe_ends(tmp_path):
    words = tmp_path / "words.tsv"
    words.write_bytes(b"chanted\t\xff\xfe not UTF-8\n")
    found = failing_run("relayed", str(words))
    assert found["error"].startswith("apertium eng-spa: repair step unknown-words failed: ")
    assert "utf-8" in found["error"] and "\n" not in found["error"]
    assert found["threads left"] == [] and found["seconds"] < 30


def test_a_missing_apertium_or_mode_is_an_engine_error_on_the_small_path(tmp_path):
    from pipeline.errors import EngineError

    with pytest.raises(EngineError, match="cannot run"):
        ApertiumEngine(replace(SETTINGS, apertium=str(tmp_path / "missing"))).translate_batch([[Span("Red.")]])
    with pytest.raises(EngineError, match="no-such-mode"):
        ApertiumEngine(replace(SETTINGS, apertium_mode="no-such-mode")).translate_batch([[Span("Red.")]])
