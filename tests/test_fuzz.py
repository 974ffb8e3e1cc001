"""A bounded fuzz corpus (hypothesis) over the segmenter, the detector, the Markdown and HTML readers,
the catalog round trip and the command line: no exception, nothing lost, never a traceback (issue 13).

Inputs mix prose, the markup each format knows and the characters that broke the
pipeline before (separators, controls, zero-width and bidi characters). Example
counts are small so the file runs in seconds in CI; the seed is fixed by hypothesis'
database being off (``derandomize``), so a failure reproduces.
"""
from __future__ import annotations

import random
import re
import tempfile
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import run_cli
from pipeline import catalog
from pipeline.characters import normalise_source
from pipeline.cli import main
from pipeline.detect import detect
from pipeline.errors import InputError
from pipeline.model import State
from pipeline.readers import html as html_reader, markdown as markdown_reader
from pipeline.segment import segment_text

ODD = ["\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x07", "\x01", "\x0b", "\x0c", "\u200b", "\u200d",
       "\u202e", "\u2067", "\u2069", "\ufeff", "\\", '"', "\t"]
WORDS = ["The", "march", "Mr.", "Dr.", "U.S.", "1.", "2)", "¡Viva", "el", "pueblo!", "¿Qué?", "«no»", "—", "...",
         "Airport", "Lima,", "Perú", "said:", "(Photo:", "AP)", "1,000", "3.5%", "e.g.", "i.e.", "Jan.", "30,", "2023"]
MARKUP = ["# ", "## ", "* ", "- ", "1. ", "> ", "`", "**", "_", "[", "](http://x.org/a)", "<b>", "</b>", "<p>",
          "</p>", "<script>", "&amp;", "&", "<", ">", "|", "---", "```", "<!-- c -->", "<br>", "<em>", "</em>"]
PIECES = st.sampled_from(WORDS + MARKUP + ODD + [" ", " ", " ", "\n", "\n\n"])
TEXTS = st.lists(PIECES, min_size=1, max_size=50).map("".join)
FAST = settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def _squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


@FAST
@given(TEXTS)
def test_segmenter_loses_nothing(text):
    text, _ = normalise_source(text)
    if not text.strip():
        return
    doc = segment_text(text, "fuzz")
    out = "".join(p.meta.get("lead", "") + "".join(s.text + s.trailing for s in p.segments) for p in doc.paragraphs)
    assert _squeeze(out) == _squeeze(text)


@FAST
@given(TEXTS)
def test_detector_keeps_every_segment_whole(text):
    text, _ = normalise_source(text)
    if not text.strip():
        return
    doc = detect(segment_text(text, "fuzz"), [])
    for segment in doc.segments():
        assert not segment.spans or "".join(span.text for span in segment.spans) == segment.text


@FAST
@given(TEXTS)
def test_markdown_and_html_readers_never_raise(text):
    text, _ = normalise_source(text)
    if not text.strip():
        return
    for reader, name in ((markdown_reader, "fuzz.md"), (html_reader, "fuzz.html")):
        doc = reader.read(Path(name), text)
        for segment in doc.segments():
            assert segment.text == segment.text.strip() or not segment.text.strip()


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.lists(TEXTS, min_size=1, max_size=5))
def test_catalog_round_trip_loses_nothing(text, translations):
    text, _ = normalise_source(text)
    if not text.strip():
        return
    with tempfile.TemporaryDirectory() as folder:
        locales = Path(folder) / "locales"
        doc = segment_text(text, "fuzz", source=Path(folder) / "fuzz.txt")
        expected = {}
        for n, segment in enumerate(s for s in doc.segments() if s.text.strip()):
            translation = translations[n % len(translations)]
            if translation.strip() and (segment.context, segment.text) not in expected:
                segment.translation, segment.state = translation, State.REVIEWED
                expected[(segment.context, segment.text)] = translation
        catalog.save(doc, locales, wrap=79)
        path = catalog.po_path(locales, "fuzz")
        ours = {(e.msgctxt, e.msgid): e.msgstr for e in catalog.read_po(path) if e.msgid}
        theirs = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(path)) if e.msgid}
        keys = {(s.context, s.text) for s in doc.segments() if s.text.strip()}
        assert set(ours) == keys and ours == theirs
        for key, translation in expected.items():
            assert ours[key] == translation


def _nasty_inputs(count: int) -> list[str]:
    rng = random.Random(13)
    pieces = WORDS + MARKUP + ODD + [" ", " ", "\n", "\n\n"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 80))) for _ in range(count)] + [
        "Airport\x1e1. Next one.", "\x07", "\u2028\u2029", "# \n\n* \n", "<p></p>", "```\n", "1.\n2.\n3."]


def test_no_command_prints_a_traceback_on_the_fuzz_corpus(tmp_path, capsys):
    for n, text in enumerate(_nasty_inputs(14)):
        for suffix in (".txt", ".md", ".html"):
            folder = tmp_path / f"{n}{suffix[1:]}"
            folder.mkdir()
            source = folder / f"fuzz{suffix}"
            source.write_text(text, encoding="utf-8")
            for command in (["extract", str(source)], ["render", str(source)], ["qa"], ["stats"], ["check"]):
                code = main([*command, "--locales", str(folder / "locales"),
                             *(["--dist", str(folder / "dist")] if command[0] == "render" else [])])
                err = capsys.readouterr().err
                assert "Traceback" not in err and "internal error" not in err, (text, command, err)
                assert code in (0, 1, 2), (text, command, err)
                errors = [line for line in err.splitlines() if line.startswith("pipeline: error:")]
                assert len(errors) <= 1 and (code != 2 or errors), (text, command, err)  # one line per error


def test_the_fuzz_corpus_through_real_processes_prints_no_traceback(tmp_path):
    for n, text in enumerate(_nasty_inputs(3)[-4:]):
        source = tmp_path / f"fuzz{n}.md"
        source.write_text(text, encoding="utf-8")
        done = run_cli("extract", source, "--locales", tmp_path / "locales", cwd=tmp_path)
        assert done.returncode in (0, 2) and "Traceback" not in done.stderr, done.stderr
