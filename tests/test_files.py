"""Atomic writes and source reading, as a user sees the files."""
from __future__ import annotations

import hashlib
import os
import time

import pytest

from pipeline.errors import InputError
from pipeline.files import read_text, write_atomic


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def test_written_files_get_ordinary_permissions_and_keep_existing_ones(tmp_path):
    new = tmp_path / "new.po"
    write_atomic(new, "hola\n")
    assert new.stat().st_mode & 0o777 == 0o666 & ~_umask()
    kept = tmp_path / "kept.po"
    kept.write_text("old")
    kept.chmod(0o640)
    write_atomic(kept, "new")
    assert kept.read_text() == "new" and kept.stat().st_mode & 0o777 == 0o640
    assert not list(tmp_path.glob(".*.tmp")), "a temporary file was left behind"


def test_unchanged_content_is_not_rewritten(tmp_path):
    path = tmp_path / "same.txt"
    assert write_atomic(path, "igual\n") is True
    before = path.stat().st_mtime_ns
    assert write_atomic(path, "igual\n") is False
    assert path.stat().st_mtime_ns == before


def test_crlf_and_bom_are_read_as_plain_lines(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes("\ufeffFirst line\r\nSecond línea\r\n".encode("utf-8"))
    assert read_text(path) == "First line\nSecond línea\n"


def test_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok\nok\ncaf\xe9\n")
    with pytest.raises(InputError, match=r"bad\.txt:3: invalid UTF-8"):
        read_text(path)


def _in_place_save_before_the_rename(monkeypatch, content: str) -> list[int]:
    """os.replace as seen when an editor saves in place (truncate, write: polib's save) right after the
    comparison and before the rename: the one moment compare-before-replace alone cannot see. Once."""
    real_replace, done = os.replace, []

    def editor_then_rename(source, target):
        if not done and str(target).endswith((".po", ".txt")):
            with open(target, "w", encoding="utf-8") as handle:  # the inode the rename is about to take away
                handle.write(content)
            done.append(1)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", editor_then_rename)
    return done


@pytest.mark.parametrize("kind", ["hashed", "kept"])
def test_an_in_place_save_landing_between_the_check_and_the_rename_is_put_back(tmp_path, monkeypatch, kind):
    from pipeline.files import FileChanged, Snapshot

    path = tmp_path / "a.po"
    path.write_text('msgid "a"\nmsgstr ""\n', encoding="utf-8")
    seen = Snapshot.of(path) if kind == "hashed" else Snapshot.kept(path, path.read_bytes())
    edited = 'msgid "a"\nmsgstr "EDITADO"\n'
    done = _in_place_save_before_the_rename(monkeypatch, edited)
    with pytest.raises(FileChanged):
        write_atomic(path, 'msgid "a"\nmsgstr "MT a"\n', expected=seen)
    assert done and path.read_text(encoding="utf-8") == edited  # the editor's save, not the run's
    assert [p.name for p in tmp_path.iterdir()] == ["a.po"]  # no temporary file left


def test_a_catalog_save_merges_an_in_place_save_that_landed_just_before_its_rename(tmp_path, monkeypatch):
    """The same moment through catalog.save: the run reads the editor's save again and merges it."""
    import polib

    from pipeline import api, catalog
    from pipeline.config import Config
    from pipeline.model import State

    source, locales = tmp_path / "a.txt", tmp_path / "locales"
    source.write_text("Title here\n\nThe first march began at noon.\n\nThe second march began later.\n",
                      encoding="utf-8")
    config = Config(locales=locales, dist=tmp_path / "dist")
    api.extract([source], quiet=True, config=config)
    path = catalog.po_path(locales, "a")
    doc = api.load_documents([source], config=config)[0]
    for segment in doc.segments():
        segment.translation, segment.state, segment.engine = f"MT {segment.text}", State.MACHINE, "apertium"
    po = polib.pofile(str(path))
    po.find("The first march began at noon.").msgstr = "EDITADO por el traductor"
    _in_place_save_before_the_rename(monkeypatch, po.__unicode__())
    catalog.save(doc, locales, wrap=79)
    final = {entry.msgid: entry.msgstr for entry in polib.pofile(str(path))}
    assert final["The first march began at noon."] == "EDITADO por el traductor"
    assert final["The second march began later."] == "MT The second march began later."


def test_a_catalog_caught_in_a_pause_of_an_editors_save_is_read_whole(tmp_path):
    """An editor writes half the catalog, pauses 0.2 s (longer than the settle loop waits for a file
    whose status holds still), then writes the rest: reading during the pause sees valid-looking but
    broken bytes, which must not be a syntax error when the rest arrives within HALF_SAVE_SECONDS."""
    import threading

    from pipeline import catalog

    po_file = tmp_path / "story.po"
    whole = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
             'msgid "The march began."\nmsgstr "La marcha empezó."\n').encode()
    cut = whole.index(b"empez")  # inside the last msgstr: an unterminated string until the rest comes
    po_file.write_bytes(whole[:cut])

    def rest():
        time.sleep(0.2)
        with open(po_file, "ab") as handle:
            handle.write(whole[cut:])

    writer = threading.Thread(target=rest)
    writer.start()
    try:
        po, snapshot = catalog.read_po_snapshot(po_file)
    finally:
        writer.join()
    assert po.find("The march began.").msgstr == "La marcha empezó."
    assert snapshot.digest == hashlib.sha256(whole).hexdigest()
    po_file.write_bytes(whole[:cut])  # a file that stays broken is still the one-line error, after the wait
    with pytest.raises(InputError, match="unterminated string"):
        catalog.read_po_snapshot(po_file)


def test_a_kept_snapshot_sees_any_change_of_the_bytes_and_guards_the_replace(tmp_path):
    from pipeline.files import FileChanged, Snapshot

    path = tmp_path / "state.json"
    original = b'{"documents":{\n' + b"x" * 3_000_000 + b"\n}}\n"  # over one read block
    for changed in (original[:-2] + b"]\n", original[:-1], original + b" ", b""):  # same size, shorter, longer, empty
        path.write_bytes(original)
        seen = Snapshot.kept(path, original)
        assert seen.unchanged() and seen.digest == hashlib.sha256(original).hexdigest()
        path.write_bytes(changed)  # another program's save
        assert not seen.unchanged()
        with pytest.raises(FileChanged):
            write_atomic(path, "ours", expected=seen)
        assert path.read_bytes() == changed  # theirs, untouched
    path.write_bytes(original)
    assert write_atomic(path, "ours", expected=Snapshot.kept(path, original)) and path.read_text() == "ours"
    path.unlink()
    assert not Snapshot.kept(path, original).unchanged()  # removed since
    assert Snapshot(path, None).unchanged() and not Snapshot(path, None).existed
