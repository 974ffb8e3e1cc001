"""Progress bars that show on a terminal and stay quiet otherwise."""
from __future__ import annotations

import sys
from typing import Iterable, TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], desc: str, total: int | None = None, quiet: bool = False,
             unit: str = "it") -> Iterable[T]:
    """Wrap `items` in a progress bar on stderr when it is a terminal and not `quiet`."""
    if quiet or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, total=total, unit=unit, leave=False, file=sys.stderr)


class Counter:
    """A run's progress on a terminal: documents done of the total (with an ETA), segments, how many
    documents were unchanged. Quiet (no output at all) when stderr is not a terminal or with --quiet."""

    def __init__(self, total: int, desc: str, quiet: bool = False):
        self.segments = self.unchanged = 0
        self.quiet = quiet
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit="doc", leave=False, file=sys.stderr)

    def advance(self, documents: int = 0, segments: int = 0, unchanged: int = 0) -> None:
        self.segments += segments
        self.unchanged += unchanged
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.segments} segments, {self.unchanged} unchanged", refresh=False)
            self.bar.update(documents + unchanged)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
