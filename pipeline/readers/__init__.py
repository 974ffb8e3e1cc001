"""Source readers: one per format, each turning a file into a Document.

A reader module exposes ``read(path, text) -> Document``; ``READERS`` maps a
file extension to the module name under this package.
"""
from __future__ import annotations

import glob
import importlib
import os
import sys
from pathlib import Path
from typing import Iterable

from ..characters import catalog_name_problem, normalise_source
from ..config import Config
from ..errors import InputError
from ..files import read_text
from ..model import Document
from ..segment import cut_notes

CHARACTER_NOTES = "character_notes"  # Document.meta key: the characters.Note list of what reading changed

READERS = {
    ".txt": "text",
    ".md": "markdown",
    ".html": "html",
}


def is_skipped_folder(folder: Path, exclude: Iterable[Path] = ()) -> bool:
    """True for a folder a scan must not read: hidden (.git, .venv), a virtual environment
    (it holds pyvenv.cfg), node_modules or __pycache__, or one of `exclude` (the project's
    locales and dist: its own outputs are never read back as sources)."""
    if folder.name.startswith(".") and folder.name not in (".", "..") or folder.name in ("node_modules", "__pycache__"):
        return True
    if (folder / "pyvenv.cfg").is_file():
        return True
    resolved = folder.resolve()
    return any(resolved == Path(other).resolve() for other in exclude)


def scan_folder(folder: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """The source files under `folder`, sorted: hidden files left out, skipped folders not entered."""
    exclude = list(exclude)
    found: list[tuple[str, ...]] = []  # each file as its parts, which is how paths sort
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not is_skipped_folder(here / d, exclude))
        parts = here.parts
        # strings until the end: Path objects for every file, and sorting them, were 15 ms of 2,024 sources
        found += [(*parts, name) for name in files
                  if os.path.splitext(name)[1].lower() in READERS and not name.startswith(".")]
    return [Path(*parts) for parts in sorted(found)]


def _globbed(paths: Iterable[Path]) -> Iterable[Path]:
    """Each path, a glob pattern ("articles/**/*.md", as pipeline.toml `sources` may hold) as its matches."""
    for path in paths:
        if not path.exists() and any(char in str(path) for char in "*?["):
            matches = sorted(Path(p) for p in glob.glob(str(path), recursive=True))
            if not matches:
                raise InputError("no file matches this pattern", path)
            yield from (p for p in matches if p.is_file() or p.is_dir())
        else:
            yield path


def expand_sources(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Files named directly, plus readable files found recursively in named folders.

    A folder scan skips hidden folders, virtual environments and the folders in
    `exclude` (the project's locales and dist), so ``pipeline run .`` never reads
    its own outputs. Raises InputError for a missing path, a folder with no
    sources, or a file of an unknown kind.
    """
    found: list[Path] = []
    exclude = list(exclude)
    for path in _globbed(map(Path, paths)):
        if path.is_dir():
            inside = scan_folder(path, exclude)
            if not inside:
                raise InputError(f"folder holds no sources ({', '.join(sorted(READERS))})", path)
            found.extend(inside)
        elif not path.exists():
            raise InputError("no such file", path)
        elif path.suffix.lower() not in READERS:
            raise InputError(f"unknown source kind {path.suffix or '(no extension)'!r}; "
                             f"expected one of {', '.join(sorted(READERS))}", path)
        else:
            found.append(path)
    names: dict[str, Path] = {}
    for path in found:
        stem = path.stem
        problem = catalog_name_problem(stem)
        if problem:
            raise InputError(problem, printable(path))
        if stem in names and names[stem].resolve() != path.resolve():
            raise InputError(f"same document name as {names[stem]} (catalogs are named by file stem)", path)
        names[stem] = path
    return list(dict.fromkeys(found))


def read_document(path: Path, config: Config = Config(), text: str | None = None) -> Document:
    """Read and segment one source file with the reader for its extension (`text`: its text, already
    read and decoded by :func:`pipeline.files.read_text`, as a worker of a parallel run gets it)."""
    path = Path(path)
    module_name = READERS.get(path.suffix.lower())
    if module_name is None:
        raise InputError(f"unknown source kind {path.suffix!r}", path)
    module = importlib.import_module(f"{__name__}.{module_name}")
    text, notes = normalise_source(read_text(path) if text is None else text)  # see pipeline.characters
    if module_name == "markdown":
        doc = module.read(path, text, front_matter_keys=config.markdown_front_matter)
    elif module_name == "text":
        doc = module.read(path, text, rewrap=config.text_rewrap, cache_dir=config.cache_dir)
    else:
        doc = module.read(path, text)
    doc.meta[CHARACTER_NOTES] = sorted(notes + cut_notes(doc), key=lambda note: note.line)
    return doc


def warn_reading_notes(doc: Document) -> None:
    """Print what reading changed or cut in `doc`, one `pipeline: warning: FILE:LINE: ...` line each."""
    for note in doc.meta.get(CHARACTER_NOTES, ()):
        print(f"pipeline: warning: {printable(doc.source or Path(doc.name))}:{note.line}: {note.message}",
              file=sys.stderr)


def printable(path: Path) -> str:
    """The path with control characters shown as escapes, so an error about it stays on one line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(path))
