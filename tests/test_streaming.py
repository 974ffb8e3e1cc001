"""Catalogs written and read entry by entry give what the whole-file path gives (issue 13, finding 9).

The streaming writer (``po_chunks`` into ``write_atomic``) and reader (``iter_po`` over
``decode_lines``) exist for memory; what a user sees must not change: the same bytes on disk,
unchanged files left alone, compare-before-replace, the same errors naming file and line, the same
translations read back. Memory itself is measured by benchmarks/robustness.py, not here.
"""
from __future__ import annotations

import hashlib
import os

import polib
import pytest

from conftest import CORPUS, EXAMPLE, msgfmt_check, run_cli
from pipeline import api, catalog
from pipeline.catalog.pofile import iter_po, parse_po, po_chunks, po_text
from pipeline.config import Config
from pipeline.errors import InputError
from pipeline.files import TEMP_FILE, FileChanged, Snapshot, decode_lines, decode_text, write_atomic
from pipeline.model import State

# Characters that have broken line handling or escaping before (finding 3 and 5): line and paragraph
# separators, NEL, form feed, vertical tab, BEL, tab, quotes and backslashes, beyond-BMP emoji.
ODD = "Sep\u2028ara\u2029dos \u0085NEL \x0cFF \x0bVT \x07BEL\ttab \"comillas\" \\barra 🌎 “curly” → flecha"
KEPT = ('"comillas"', "\\barra", "🌎", "“curly”", "→ flecha")  # what reading a source leaves as it is


def _has_odd(msgid: str) -> bool:
    return all(piece in msgid for piece in KEPT)


def _project(tmp_path, text: str):
    source = tmp_path / "odd.txt"
    source.write_text(text, encoding="utf-8")
    config = Config(locales=tmp_path / "locales", dist=tmp_path / "dist")
    return source, config


def test_pieces_are_written_as_the_same_bytes_and_an_unchanged_file_is_left_alone(tmp_path):
    path = tmp_path / "es.po"
    pieces = ["msgid \"\"\n", "msgstr \"Ñandú → 🌎\"\n", "\n# fin\n"]
    assert write_atomic(path, iter(pieces)) is True
    assert path.read_bytes() == "".join(pieces).encode("utf-8")
    before = path.stat().st_mtime_ns
    assert write_atomic(path, iter(pieces)) is False  # same bytes: not replaced
    assert path.stat().st_mtime_ns == before
    assert write_atomic(path, iter(pieces[:2])) is True  # a prefix of the old bytes is a change
    assert path.read_bytes() == "".join(pieces[:2]).encode("utf-8")
    assert write_atomic(path, iter(pieces)) is True  # and so is a longer text
    assert not [p for p in tmp_path.iterdir() if TEMP_FILE.fullmatch(p.name)]


def test_pieces_are_not_written_over_a_file_changed_since_it_was_read(tmp_path):
    path = tmp_path / "es.po"
    path.write_text("primera versión\n", encoding="utf-8")
    snapshot = Snapshot.of(path)
    path.write_text("guardado por Poedit\n", encoding="utf-8")
    with pytest.raises(FileChanged):
        write_atomic(path, iter(["nuestra versión\n"]), expected=snapshot)
    assert path.read_text(encoding="utf-8") == "guardado por Poedit\n"
    assert not [p for p in tmp_path.iterdir() if TEMP_FILE.fullmatch(p.name)]


@pytest.mark.parametrize("raw", [
    "\ufeffuno\r\ndos\rtres\n\ncuatro".encode("utf-8"),
    "a\r\r\nb\r\n\r\nc\r".encode("utf-8"),
    ODD.encode("utf-8") + b"\n",
    b"no newline at the end",
])
def test_lines_decoded_one_at_a_time_are_the_lines_of_the_whole_text(tmp_path, raw):
    path = tmp_path / "x.po"
    assert list(decode_lines(raw, path)()) == decode_text(raw, path).split("\n")


@pytest.mark.parametrize("raw, message", [
    (b"ok\nok\ncaf\xe9\n", r"x\.po:3: invalid UTF-8 \(byte 0xe9\)"),
    (b"ok\n\x00\n", r"x\.po:2: binary file"),
    (b" \n\t\n", r"x\.po: file is empty"),
])
def test_lines_decoded_one_at_a_time_fail_as_the_whole_text_does(tmp_path, raw, message):
    path = tmp_path / "x.po"
    with pytest.raises(InputError, match=message):
        decode_text(raw, path)
    with pytest.raises(InputError, match=message):
        decode_lines(raw, path)


def test_a_streamed_parse_gives_every_entry_a_whole_parse_gives(tmp_path):
    source, config = _project(tmp_path, f"A title\n\n{CORPUS.read_text(encoding='utf-8')}\n\n{ODD}.\n")
    api.run([source], config=config, quiet=True)
    path = catalog.po_path(config.locales, source.stem)
    raw = path.read_bytes()
    whole = parse_po(decode_text(raw, path), path)
    taken: list[polib.POEntry] = []
    header = iter_po(raw, path, taken.append)
    assert [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.comment, e.tcomment, e.occurrences, e.obsolete)
            for e in taken] == [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.comment, e.tcomment, e.occurrences,
                                 e.obsolete) for e in whole]
    assert header.metadata == whole.metadata and header.header == whole.header
    assert any(_has_odd(e.msgid) for e in taken)
    # the pieces of the writer are the whole text, byte for byte, and the file on disk is that text
    assert "".join(po_chunks(whole, whole, config.wrap)) == po_text(whole, config.wrap) == raw.decode("utf-8")


def test_a_duplicate_entry_is_reported_with_its_line_by_the_streamed_parse_too(tmp_path):
    path = tmp_path / "dup.po"
    path.write_bytes(b'msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgid "Hola"\nmsgstr ""\n\nmsgid "Hola"\nmsgstr "x"\n')
    with pytest.raises(InputError, match=r"dup\.po:8: duplicate entry for msgid 'Hola'"):
        iter_po(path.read_bytes(), path, lambda entry: None)
    with pytest.raises(InputError, match=r"dup\.po:8: duplicate entry"):
        catalog.read_po(path)


def test_the_extracted_catalog_of_odd_characters_is_valid_and_reads_back_into_the_document(tmp_path):
    source, config = _project(tmp_path, f"Odd characters\n\n{ODD}.\n\nThe march ended at noon.\n")
    result = api.extract([source], config=config, quiet=True)
    path = catalog.po_path(config.locales, source.stem)
    assert msgfmt_check(path).returncode == 0
    po = polib.pofile(str(path))
    assert any(_has_odd(e.msgid) for e in po)
    # a reviewer translates one entry; extracting again reads it back into the returned Document
    entry = next(e for e in po if e.msgid == "The march ended at noon.")
    entry.msgstr = "La marcha terminó al mediodía 🌎."
    po.save(str(path))
    result = api.extract([source], config=config, quiet=True)
    doc = result.documents[0]
    segment = next(s for s in doc.segments() if s.text == "The march ended at noon.")
    assert (segment.translation, segment.state) == ("La marcha terminó al mediodía 🌎.", State.REVIEWED)
    assert catalog.read_back(doc, config.locales, similarity=0.8) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert msgfmt_check(path).returncode == 0


def test_an_edited_sentence_still_gets_the_old_translation_as_fuzzy_from_a_streamed_read(tmp_path):
    source, config = _project(tmp_path, EXAMPLE.read_text(encoding="utf-8"))
    api.extract([source], config=config, quiet=True)
    path = catalog.po_path(config.locales, source.stem)
    po = polib.pofile(str(path))
    entry = next(e for e in po if len(e.msgid) > 60 and not e.msgid.startswith("#"))
    entry.msgstr = "Traducción revisada de la frase."
    po.save(str(path))
    edited = entry.msgid[:-1] + " again."
    source.write_text(source.read_text(encoding="utf-8").replace(entry.msgid, edited), encoding="utf-8")
    done = run_cli("extract", source, "--locales", config.locales, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    new = {e.msgid: e for e in polib.pofile(str(path))}
    assert new[edited].msgstr == "Traducción revisada de la frase." and new[edited].fuzzy
    assert new[edited].previous_msgid == entry.msgid
    assert [e.msgid for e in polib.pofile(str(path)) if e.obsolete] == [entry.msgid]
    assert msgfmt_check(path).returncode == 0
    assert os.path.getsize(path) > 0


def test_what_a_translator_put_on_untranslated_entries_survives_extracting_again(tmp_path):
    source, config = _project(tmp_path, EXAMPLE.read_text(encoding="utf-8"))
    api.extract([source], config=config, quiet=True)
    path = catalog.po_path(config.locales, source.stem)
    first = path.read_bytes()
    api.extract([source], config=config, quiet=True)
    assert path.read_bytes() == first  # nothing changed: not a byte
    po = polib.pofile(str(path))
    blank = [e for e in po if e.msgid and not e.msgstr]
    noted, flagged, tooled = blank[0], blank[1], blank[2]
    noted.tcomment = "Ask the author about this one."
    flagged.flags.append("no-c-format")
    tooled.comment += "\nlokalize: checked the source"
    po.save(str(path))
    done = run_cli("extract", source, "--locales", config.locales, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = {e.msgid: e for e in polib.pofile(str(path))}
    assert after[noted.msgid].tcomment == "Ask the author about this one."
    assert "no-c-format" in after[flagged.msgid].flags
    assert "lokalize: checked the source" in after[tooled.msgid].comment.splitlines()
    assert all(not after[e.msgid].msgstr for e in blank)  # still untranslated, none lost or added
    assert msgfmt_check(path).returncode == 0
