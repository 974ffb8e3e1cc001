"""Plain-text articles: paragraphs separated by blank lines."""
from __future__ import annotations

from pathlib import Path

from ..model import Document
from ..segment import segment_text


def read(path: Path, text: str, rewrap: bool = True, cache_dir: Path | None = None) -> Document:
    """A Document from plain text, segmented into paragraphs and sentences.

    `rewrap` (the config's ``[text] rewrap``): a hard-wrapped paragraph's Spanish is wrapped again
    at the source's width; otherwise it is written on one line. `cache_dir`: the cache folder
    (``Config.cache_dir``) for the word frequencies a Spanish-looking paragraph is judged with."""
    return segment_text(text, name=path.stem, source=path, rewrap=rewrap, cache_dir=cache_dir)
