"""Every character round-trips or is normalised with a note (issue 13, findings 3, 4, 5, 10).

Catalogs are read back with polib (from the path, as other tools do), with the
pipeline's own reader and checked with GNU ``msgfmt -c``.
"""
from __future__ import annotations

import html5lib
import polib
import pytest

from conftest import extracted_catalog, msgfmt_check, run_cli
from pipeline import catalog
from pipeline.catalog.pofile import parse_po, po_text
from pipeline.characters import balance_bidi, normalise_source
from pipeline.errors import ProcessingError
from pipeline.segment import _raw_sentences

ODD = {"\u2028": "line", "\u2029": "line", "\u0085": "line", "\x1c": "drop", "\x1d": "drop", "\x1e": "drop",
       "\x07": "drop", "\x01": "drop", "\x0b": "drop", "\x0c": "drop", "\x7f": "drop", "\x9b": "drop"}


def _catalog_texts(path):
    """(msgid, msgstr) pairs as polib reads the file from its path, and as the pipeline reads it."""
    theirs = [(e.msgid, e.msgstr, e.obsolete) for e in polib.pofile(str(path))]
    ours = [(e.msgid, e.msgstr, e.obsolete) for e in catalog.read_po(path)]
    return theirs, ours


def test_every_odd_character_in_a_source_gives_a_catalog_everyone_reads_back(tmp_path):
    body = "".join(f"Sentence {n} has a{char}mark in it.\n\n" for n, char in enumerate(ODD))
    source = tmp_path / "odd.txt"
    source.write_text("Odd characters\n\n" + body, encoding="utf-8")
    first = run_cli("extract", source, "--locales", tmp_path / "locales", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    for n, (char, kind) in enumerate(ODD.items()):  # one warning per character, naming the source line
        line = 3 + 2 * n
        assert f"{source}:{line}: U+{ord(char):04X}" in first.stderr
    path = catalog.po_path(tmp_path / "locales", "odd")
    theirs, ours = _catalog_texts(path)
    assert theirs == ours
    msgids = [msgid for msgid, _, _ in ours if msgid]
    assert not any(c in m for m in msgids for c in ODD)
    assert "Sentence 3 has amark in it." in msgids  # a control is dropped
    assert msgfmt_check(path).returncode == 0
    before = path.read_bytes()
    again = run_cli("extract", source, "--locales", tmp_path / "locales", cwd=tmp_path)
    assert again.returncode == 0 and "0 files written" in again.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("char", ["\x07", "\x1c", "\x1e", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x01"])
def test_a_translator_typed_odd_character_round_trips_and_settles(tmp_path, char):
    """BEL was written as \\a and read back as backslash + a: every re-run rewrote the PO, and the
    reviewed entry dropped to fuzzy with an obsolete duplicate."""
    source = tmp_path / "a.txt"
    source.write_text("A title\n\nThe march began at dawn.\n", encoding="utf-8")
    assert run_cli("extract", source, "--locales", tmp_path / "locales", cwd=tmp_path).returncode == 0
    path = catalog.po_path(tmp_path / "locales", "a")
    po = polib.pofile(str(path))
    entry = po.find("The march began at dawn.")
    entry.msgstr = f"La marcha{char}empezó al alba."
    po.save(str(path))
    assert run_cli("extract", source, "--locales", tmp_path / "locales", cwd=tmp_path).returncode == 0
    settled = path.read_bytes()
    rerun = run_cli("extract", source, "--locales", tmp_path / "locales", cwd=tmp_path)
    assert rerun.returncode == 0 and path.read_bytes() == settled
    theirs, ours = _catalog_texts(path)
    assert theirs == ours
    reviewed = [e for e in catalog.read_po(path) if e.msgid == "The march began at dawn."]
    assert len(reviewed) == 1 and reviewed[0].msgstr == f"La marcha{char}empezó al alba."
    assert not reviewed[0].fuzzy and not reviewed[0].obsolete
    assert msgfmt_check(path).returncode == 0


def test_gettext_escapes_polib_does_not_know_read_as_gettext_reads_them(tmp_path):
    text = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "bell"\nmsgstr "a\\ab \\101 \\x42 \\\\a"\n')
    po = parse_po(text, tmp_path / "x.po")
    assert po.find("bell").msgstr == "a\x07b A B \\a"
    assert parse_po(po_text(po), tmp_path / "x.po").find("bell").msgstr == "a\x07b A B \\a"


def test_a_file_name_that_cannot_name_a_catalog_is_an_error_naming_the_source(tmp_path):
    source = tmp_path / "bad\nname.txt"
    source.write_text("A title\n\nThe march began.\n", encoding="utf-8")
    done = run_cli("extract", source, "--locales", tmp_path / "locales", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "bad\\nname.txt" in done.stderr and "U+000A" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "locales").exists()


def test_a_control_before_a_numbered_item_is_no_traceback(tmp_path):
    source = tmp_path / "airport.txt"
    source.write_text("Title\n\nThey went to the Airport\x1e1. Next one.\n", encoding="utf-8")
    done = run_cli("extract", source, "--locales", tmp_path / "locales", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and f"{source}:3: U+001E RECORD SEPARATOR dropped" in done.stderr
    assert msgfmt_check(catalog.po_path(tmp_path / "locales", "airport")).returncode == 0


def test_a_splitter_failure_is_a_one_line_error_naming_the_source_line(tmp_path):
    """pySBD itself still raises ValueError on the raw text; the pipeline reports it, never a traceback."""
    with pytest.raises(ProcessingError) as raised:
        _raw_sentences("Airport\x1e1. Next one.", "en")
    assert "pySBD" in str(raised.value) and raised.value.snippet


def test_zero_width_space_inside_a_word_reaches_the_engine_as_one_word(tmp_path):
    source = tmp_path / "zw.txt"
    source.write_text("Title\n\nThe pro\u200btesters marched to the square.\n", encoding="utf-8")
    done = run_cli("run", source, "--locales", tmp_path / "locales", "--dist", tmp_path / "dist",
                   "--engine", "apertium", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "U+200B ZERO WIDTH SPACE inside a word dropped" in done.stderr
    entry = catalog.read_po(catalog.po_path(tmp_path / "locales", "zw")).find("The protesters marched to the square.")
    assert entry is not None and "manifestantes" in entry.msgstr


def test_bidi_overrides_are_balanced_in_html_output(tmp_path):
    source = tmp_path / "bidi.txt"
    source.write_text("Title\n\nThe sign said \u202eesrever\u2067 and more \u2069\u202c\u202c text.\n\n"
                      "The next paragraph is left to right.\n", encoding="utf-8")
    done = run_cli("run", source, "--locales", tmp_path / "locales", "--dist", tmp_path / "dist",
                   "--engine", "apertium", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    checked = 0
    for page in ("bidi.bilingual.html", "bidi.es.html", "bidi.en.html"):
        document = html5lib.parse((tmp_path / "dist" / page).read_text(encoding="utf-8"), namespaceHTMLElements=False)
        for block in document.iter():
            text = "".join(block.itertext())
            if "\u202e" in (block.text or ""):
                assert balance_bidi(text) == text, page  # every opener closed inside its own element
                checked += 1
    assert checked >= 3
    assert balance_bidi("a\u202eb") == "a\u202eb\u202c"
    assert balance_bidi("a\u202cb\u2069") == "ab"
    assert balance_bidi("\u2067x\u202ey\u2069") == "\u2067x\u202ey\u202c\u2069"


def test_normalise_source_notes_each_change_with_its_line():
    text, notes = normalise_source("one\ntwo\u2028three\x07\nfour\u200bfive \u200b six")
    assert text == "one\ntwo\nthree\nfourfive \u200b six"  # a zero-width space between words stays
    assert [(n.line, n.message) for n in notes] == [(2, "U+2028 LINE SEPARATOR read as a line break"),
                                                    (2, "U+0007 BELL dropped"),
                                                    (3, "U+200B ZERO WIDTH SPACE inside a word dropped")]


def test_qa_warns_about_invisible_and_control_characters(tmp_path):
    _, path = extracted_catalog(tmp_path, "inv.txt", "Title\n\nThe sign said \u202eesrever\u202c today.\n\n"
                                "The march began.\n")
    po = polib.pofile(str(path))
    po.find("The march began.").msgstr = "La mar\u200bcha empezó\x07."
    po.find("The sign said \u202eesrever\u202c today.").msgstr = "El cartel decía \u202eesrever\u202c hoy."
    po.save(str(path))
    qa = run_cli("qa", "--locales", tmp_path / "locales", cwd=tmp_path)
    assert "warning: invisible-characters: invisible character U+200B ZERO WIDTH SPACE" in qa.stdout
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in qa.stdout
    assert "warning: control-characters: control character U+0007 BELL" in qa.stdout
