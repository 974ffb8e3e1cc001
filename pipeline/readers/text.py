"""Plain-text articles: paragraphs separated by blank lines."""
from __future__ import annotations

from pathlib import Path

from ..model import Document
from ..segment import segment_text


def read(path: Path, text: str) -> Document:
    """A Document from plain text, segmented into paragraphs and sentences."""
    return segment_text(text, name=path.stem, source=path)
