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
