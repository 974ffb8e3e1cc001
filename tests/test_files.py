"""Atomic writes and source reading, as a user sees the files."""
from __future__ import annotations

import os

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
