"""Apertium's pipe run without its ``apertium`` script (process.direct_pipe), with real Apertium: the same
bytes as through the script, on every path the engine takes (steps in threads, in-pipe programs, the
pivot chains' modes, unknown-word marks), and the script itself whenever it is not the one it knows."""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import CORPUS, FLORES
from pipeline.config import EngineSettings
from pipeline.detect import detect
from pipeline.engines.apertium import ApertiumEngine
from pipeline.engines.apertium import engine as engine_module
from pipeline.engines.apertium import process
from pipeline.model import Span
from pipeline.readers import read_document

SETTINGS = EngineSettings(apertium_pivots=())
FLORES_EN = FLORES / "flores200.devtest.eng_Latn.txt"

pytestmark = pytest.mark.skipif(
    not ApertiumEngine.available() or process.direct_pipe(SETTINGS.apertium, SETTINGS.apertium_mode, None, False)
    is None, reason="apertium-eng-spa is not installed, or its apertium script is not one direct_pipe knows")


@pytest.fixture
def through_the_script(tmp_path) -> str:
    """An `apertium` that is a wrapper of the installed one: not a script direct_pipe knows, so run itself."""
    wrapper = tmp_path / "apertium"
    wrapper.write_text(f'#!/bin/sh\nexec "{shutil.which("apertium")}" "$@"\n')
    wrapper.chmod(0o755)
    assert process.direct_pipe(str(wrapper), SETTINGS.apertium_mode, None, False) is None
    return str(wrapper)


def both_ways(wrapper: str, batches: list[list[list[Span]]]) -> tuple[list[str], list[str]]:
    """Each batch through the direct pipe, then through the apertium script; (direct, script)."""
    direct = ApertiumEngine(SETTINGS)
    script = ApertiumEngine(replace(SETTINGS, apertium=wrapper))
    return ([text for batch in batches for text in direct.translate_batch(batch)],
            [text for batch in batches for text in script.translate_batch(batch)])


def test_flores_devtest_comes_out_the_same_bytes_on_both_engine_paths(through_the_script):
    lines = FLORES_EN.read_text(encoding="utf-8").splitlines()
    size = engine_module.IN_PROCESS_SEGMENTS
    small = [[[Span(line)] for line in lines[start:min(start + size, 300)]] for start in range(0, 300, size)]
    large = [[[Span(line)] for line in lines[300:300 + size + 100]]]  # over the threads' size: in-pipe programs
    direct, script = both_ways(through_the_script, small + large)
    assert len(direct) == 300 + size + 100 and all(direct)
    assert [n for n, (a, b) in enumerate(zip(direct, script)) if a != b] == []


def test_the_reference_article_with_its_kept_spanish_comes_out_the_same_both_ways(through_the_script):
    segments = [segment for segment in detect(read_document(CORPUS)).segments() if segment.text.strip()]
    direct, script = both_ways(through_the_script, [[segment.spans for segment in segments]])
    assert direct == script
    kept = [span.output for segment in segments for span in segment.spans if span.protected]
    assert kept and all(span in "\n".join(direct) for span in kept)


def test_marks_and_the_pivot_modes_come_out_the_same_both_ways(through_the_script):
    html = process.blocks([(0, "The experts cautioned the marchers near the wharf."), (1, "Hello &amp; <b>bye</b>.")])
    script = replace(SETTINGS, apertium=through_the_script)
    for mode in ("eng-spa", "eng-cat", "cat-spa"):
        if process.system_mode_file(SETTINGS, mode) is None:
            continue
        for marks in (False, True):
            assert process.translate(SETTINGS, mode, html, marks=marks) == process.translate(
                script, mode, html, marks=marks), (mode, marks)
    assert "*cautioned" in process.translate(SETTINGS, "eng-spa", html, marks=True)  # the marks are kept


def test_the_script_is_run_itself_whenever_it_would_do_something_else(monkeypatch, tmp_path):
    assert process.direct_pipe("apertium", "no-such-mode", None, False) is None  # its own error message
    assert process.direct_pipe("apertium", "eng-spa", tmp_path, False) is None  # a datadir with no such mode
    monkeypatch.setenv("AP_SETVAR", "x")
    assert process.direct_pipe("apertium", "eng-spa", None, False) is None
    monkeypatch.delenv("AP_SETVAR")
    command, variables = process.direct_pipe("apertium", "eng-spa", None, True)
    assert command[-2:] == ["-g", ""] and "utf" in variables["LC_CTYPE"].lower()
    assert variables["PATH"].startswith("/usr/bin:")
