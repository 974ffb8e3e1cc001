"""The save stage without its re-parse: what ``save_catalog`` hands to ``read_back`` is what parsing the file gives.

Each case runs the real stages (Apertium included) over a source, then saves and reads back twice: once
with what the save gathered (``saved``), once by parsing the PO file as before, and compares every
segment's translation, state and engine, the previous msgids and the digest. Rounds in between make
reviewed, fuzzy, obsolete and untranslated entries, edited sentences and a translator's emptied entry.
"""
from __future__ import annotations

import copy
import hashlib
import os
import shutil
from pathlib import Path

import polib
import pytest

from conftest import CORPUS, EXAMPLE, REPO, msgfmt_check
from test_readers import HTML, MARKDOWN
from pipeline import api, catalog, stages
from pipeline.catalog.conventions import PREVIOUS_MSGIDS
from pipeline.config import Config
from pipeline.errors import InputError
from pipeline.model import State
from pipeline.readers import read_document

# a few lines of Markdown and HTML beyond those of tests/test_readers.py: a date, an underscore in a link,
# an escaped tag, attributes that are translated
SMALL_MARKDOWN = ('# A title\n\nThe *main* [link](http://x.org/a_b) says "¡Que se vayan todos!" on Jan. 30, 2023.\n\n'
                  '- one item\n- `code` here\n\nThe second paragraph of the note is here.\n')
SMALL_HTML = ('<html><head><title>T</title></head><body><h1>Hello world</h1><p>The <b>house</b> is big. Use '
              '&lt;b&gt; here.</p><img src="a.png" alt="A banner that says the water is ours"><ul><li>First '
              'item</li></ul><p>The council will vote on the proposal next week.</p></body></html>\n')

# characters a PO file escapes, or holds raw, or a reader splits lines at
ODD = ("The sign read \"water\" \\ back\tslash.\n\nSep\u2028ara\u2029dos \u0085NEL \x0cFF \x0bVT \x07BEL "
       "“curly” → arrow 🌎 today.\n\nThe second march began later in the afternoon. The police closed the "
       "bridge at noon.\n\nThe council will vote on the proposal next week.\n\nMany wore the colors of "
       "their neighborhood committees.\n")

READ_STAGES = ("detect", "dates", "glossary", "catalog", "memory", "translate")


def _fields(doc) -> tuple[list, dict]:
    return ([(s.context, s.text, s.translation, s.state, s.engine) for s in doc.segments()],
            dict(doc.meta[PREVIOUS_MSGIDS]))


def _save_both_ways(doc, config: Config, expect_fast: bool = True) -> catalog.Saved:
    """Save `doc`, then read it back through what the save gathered and by parsing the file; the two
    must agree on every segment, every previous msgid and the digest (that of the file's bytes)."""
    saved = catalog.save_catalog(doc, config.locales, config.wrap)
    assert (saved.held is not None) == expect_fast
    parsed = copy.deepcopy(doc)
    for each in (doc, parsed):
        for segment in each.segments():
            segment.translation, segment.state, segment.engine = "", State.UNTRANSLATED, ""
    fast = catalog.read_back(doc, config.locales, config.similarity, saved=saved)
    slow = catalog.read_back(parsed, config.locales, config.similarity)
    assert _fields(doc) == _fields(parsed)
    path = catalog.po_path(config.locales, doc.name)
    assert fast == slow == hashlib.sha256(path.read_bytes()).hexdigest()
    assert msgfmt_check(path).returncode == 0
    return saved


def _round(sources: list[Path], config: Config, disable: tuple[str, ...] = (), expect_fast: bool = True,
           unchanged: bool = False) -> list:
    context = stages.Context.for_project(config)
    docs = [read_document(source, config) for source in sources]
    stages.run_stages(docs, context, READ_STAGES, disable)
    for doc in docs:
        saved = _save_both_ways(doc, config, expect_fast)
        assert not unchanged or saved.written == []
    return docs


def _review_some(po_file: Path) -> None:
    """A translator's pass: two machine translations approved (one rewritten), one emptied again."""
    po = polib.pofile(str(po_file))
    translated = [e for e in po if e.msgstr and not e.obsolete]
    for entry in translated[:2]:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.tcomment = "revisado"
    if translated:
        translated[0].msgstr = "Revisado: " + translated[0].msgstr
    if len(translated) > 3:
        translated[3].msgstr = ""
        translated[3].flags = []
    po.save()


def _edit(source: Path) -> None:
    """The author edits the source: one sentence changed a little, one dropped (so obsolete)."""
    paragraphs = source.read_text(encoding="utf-8").split("\n\n")
    long = sorted(range(len(paragraphs)), key=lambda i: -len(paragraphs[i]))
    changed = paragraphs[long[0]]
    paragraphs[long[0]] = changed.replace(" the ", " the very ", 1) if " the " in changed else \
        changed.replace(" ", " very ", 1)
    if len(long) > 2:
        del paragraphs[long[1]]
    source.write_text("\n\n".join(paragraphs), encoding="utf-8")


CASES = {"corpus": ("peru.txt", CORPUS.read_text(encoding="utf-8")),
         "example": ("water-march.txt", EXAMPLE.read_text(encoding="utf-8")),
         "markdown": ("notes.md", MARKDOWN), "html": ("page.html", HTML), "odd": ("odd.txt", ODD),
         "small-markdown": ("md1.md", SMALL_MARKDOWN), "small-html": ("h1.html", SMALL_HTML)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_what_the_save_hands_over_is_what_reading_the_file_gives(tmp_path, case):
    name, text = CASES[case]
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    config = Config(locales=tmp_path / "locales", dist=tmp_path / "dist")
    if case == "example":  # the bundled catalog, with its reviewed translations
        shutil.copytree(REPO / "locales", config.locales)
    _round([source], config)  # first run (the example's: over its reviewed catalog)
    po_file = catalog.po_path(config.locales, source.stem)
    _review_some(po_file)
    _edit(source)
    docs = _round([source], config)  # reviewed entries kept, an edited sentence fuzzy, one obsolete
    states = {s.state for s in docs[0].segments()}
    assert State.REVIEWED in states and State.MACHINE in states
    _edit(source)
    # nothing loaded nor translated (as `extract` over a catalog): the edited sentence is untranslated in
    # the file, and only the read-back offers it the obsolete entry's translation as a fuzzy match
    docs = _round([source], config, disable=("catalog", "memory", "translate"))
    po = polib.pofile(str(po_file))
    assert po.obsolete_entries()
    empty_in_file = {(e.msgctxt, e.msgid) for e in po if not e.msgstr and not e.obsolete}
    offered = [s for s in docs[0].segments() if s.state == State.FUZZY and (s.context, s.text) in empty_in_file]
    assert offered, "the read-back's fuzzy match against obsolete entries was not exercised"
    _round([source], config)  # and a plain re-run over all of that
    _round([source], config, unchanged=True)  # nothing to change: the file as read is the text made


def test_a_catalog_merged_with_an_editors_save_is_read_back(tmp_path, monkeypatch):
    from test_files import _in_place_save_before_the_rename

    source = tmp_path / "a.txt"
    source.write_text("Title here\n\nThe first march began at noon.\n\nThe second march began later.\n",
                      encoding="utf-8")
    config = Config(locales=tmp_path / "locales", dist=tmp_path / "dist")
    _round([source], config, disable=("translate",))  # extracted: nothing translated yet
    doc = read_document(source, config)
    stages.run_stages([doc], stages.Context.for_project(config), READ_STAGES)  # Apertium translates it all
    edited = polib.pofile(str(catalog.po_path(config.locales, "a")))
    edited.find("The first march began at noon.").msgstr = "EDITADO por el traductor"
    _in_place_save_before_the_rename(monkeypatch, edited.__unicode__())  # Poedit saves as the run renames
    _save_both_ways(doc, config, expect_fast=False)
    translations = {s.text: s.translation for s in doc.segments()}
    assert translations["The first march began at noon."] == "EDITADO por el traductor"
    assert translations["The second march began later."]  # the run's translation, merged in


def test_a_catalog_left_in_another_tools_layout_is_read_back(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("Title here\n\n" + "A rather long sentence about the march, " * 4 + "at noon.\n",
                      encoding="utf-8")
    config = Config(locales=tmp_path / "locales", dist=tmp_path / "dist")
    _round([source], config)
    path = catalog.po_path(config.locales, "a")
    po = polib.pofile(str(path), wrapwidth=40)
    po.save()  # the same entries, wrapped as another tool does
    layout = path.read_bytes()
    _round([source], config, expect_fast=False)
    assert path.read_bytes() == layout


@pytest.mark.parametrize("engine", ["apertium ", "apertium\u2028x ", "apertium\x0b", "apertium\x1c"])
def test_an_entry_that_would_not_read_back_as_made_is_read_back(tmp_path, engine):
    source = tmp_path / "a.txt"
    source.write_text("Title here\n\nThe first march began at noon.\n", encoding="utf-8")
    config = Config(locales=tmp_path / "locales", dist=tmp_path / "dist")
    doc = read_document(source, config)
    stages.run_stages([doc], stages.Context.for_project(config), ("detect", "catalog"))
    for segment in doc.segments():  # an engine's name that ends in whitespace: the parse strips it
        segment.translation, segment.state, segment.engine = f"MT {segment.text}", State.MACHINE, engine
    _save_both_ways(doc, config, expect_fast=False)
    assert {s.engine for s in doc.segments()} == {"apertium"}


# Durability, and what a crash can leave of a file written without an fsync

def _fsyncs(monkeypatch) -> list[int]:
    """The inodes os.fsync is called for, as it goes on doing its work: a file written through a temporary
    one (named, or unnamed and linked) keeps its inode under its own name."""
    synced, real = [], os.fsync

    def fsync(fd):
        synced.append(os.fstat(fd).st_ino)
        real(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    return synced


def test_a_new_catalog_and_the_template_are_written_without_fsync_a_replaced_catalog_with(tmp_path, monkeypatch):
    source = tmp_path / "a.txt"
    source.write_text("Title here\n\nThe first march began at noon.\n", encoding="utf-8")
    config = Config(locales=tmp_path / "locales", dist=tmp_path / "dist")
    po, pot = catalog.po_path(config.locales, "a"), catalog.pot_path(config.locales, "a")
    synced = _fsyncs(monkeypatch)
    api.run([source], config=config, quiet=True, engine="apertium")
    assert po.is_file() and pot.is_file()
    assert po.stat().st_ino not in synced and pot.stat().st_ino not in synced
    source.write_text("Title here\n\nThe first march began at noon.\n\nA new sentence.\n", encoding="utf-8")
    api.run([source], config=config, quiet=True, engine="apertium")
    assert po.stat().st_ino in synced  # the catalog replaced: it may hold a translator's work
    assert pot.stat().st_ino not in synced


@pytest.mark.parametrize("damage", ["empty", "nul", "cut"])
def test_a_template_a_crash_damaged_is_made_again(tmp_path, damage):
    source = tmp_path / "a.txt"
    source.write_text("Title here\n\nThe first march began at noon.\n\nThe second march began later.\n",
                      encoding="utf-8")
    config = Config(locales=tmp_path / "locales", dist=tmp_path / "dist")
    api.run([source], config=config, quiet=True, engine="apertium")
    pot = catalog.pot_path(config.locales, "a")
    made = polib.pofile(str(pot))
    raw = pot.read_bytes()
    pot.write_bytes({"empty": b"", "nul": b"\0" * len(raw), "cut": raw[: len(raw) - 20]}[damage])
    api.run([source], config=config, quiet=True, engine="apertium")
    again = polib.pofile(str(pot))
    assert [(e.msgid, e.comment, e.occurrences) for e in again] == [(e.msgid, e.comment, e.occurrences) for e in made]
    assert msgfmt_check(pot).returncode == 0


@pytest.mark.parametrize("damage", [b"", b"\n \n", b"\0" * 300])
def test_a_catalog_a_crash_left_with_nothing_in_it_is_made_again(tmp_path, damage):
    source = tmp_path / "a.txt"
    source.write_text("Title here\n\nThe first march began at noon.\n", encoding="utf-8")
    config = Config(locales=tmp_path / "locales", dist=tmp_path / "dist")
    po_file = catalog.po_path(config.locales, "a")
    po_file.parent.mkdir(parents=True)
    po_file.write_bytes(damage)
    docs = _round([source], config)  # loaded as no catalog, saved over the empty file
    assert {s.state for s in docs[0].segments()} == {State.MACHINE}
    assert {e.msgid for e in polib.pofile(str(po_file))} == {s.text for s in docs[0].segments()}


def test_a_catalog_cut_short_is_bad_input_and_left_as_it_is(tmp_path):
    """A cut PO may hold a translator's work (an editor's crash): never taken as ours to replace."""
    source = tmp_path / "a.txt"
    source.write_text("Title here\n\nThe first march began at noon.\n", encoding="utf-8")
    config = Config(locales=tmp_path / "locales", dist=tmp_path / "dist")
    api.run([source], config=config, quiet=True, engine="apertium")
    po_file = catalog.po_path(config.locales, "a")
    cut = po_file.read_bytes()[:-12]
    po_file.write_bytes(cut)
    with pytest.raises(InputError, match=r"a\.po:\d+: PO syntax error"):
        api.run([source], config=config, quiet=True, engine="apertium")
    assert po_file.read_bytes() == cut


@pytest.mark.parametrize("damage", [b"", b"\0" * 300])
def test_a_run_over_a_catalog_a_crash_left_empty_redoes_the_document(tmp_path, damage):
    """The crash this change allows: the new PO's rename reached the disk, its data did not. The next
    run takes the file as no catalog and makes it again; every other document's catalog is kept."""
    sources = {"a": "Title here\n\nThe first march began at noon.\n", "b": "Another title\n\nThe bridge was closed.\n"}
    for name, text in sources.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    config = Config(locales=tmp_path / "locales", dist=tmp_path / "dist")
    paths = [tmp_path / "a.txt", tmp_path / "b.txt"]
    api.run(paths, config=config, quiet=True, engine="apertium")
    po_a, po_b = catalog.po_path(config.locales, "a"), catalog.po_path(config.locales, "b")
    made = po_a.read_bytes()
    reviewed = polib.pofile(str(po_b))
    for entry in reviewed:
        entry.flags = []
    reviewed.save()
    kept = po_b.read_bytes()
    po_a.write_bytes(damage)
    (config.dist / "a.es.html").unlink()
    api.run(paths, config=config, quiet=True, engine="apertium")
    again = polib.pofile(str(po_a))
    assert [(e.msgid, e.msgstr, e.flags) for e in again] == [(e.msgid, e.msgstr, e.flags)
                                                             for e in polib.pofile(made.decode())]
    assert po_b.read_bytes() == kept
    assert (config.dist / "a.es.html").is_file()
