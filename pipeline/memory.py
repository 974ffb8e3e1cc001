"""Giving memory the program freed back to the system between stages, so it does not add to the peak.

CPython keeps small objects in its own arenas, but larger blocks (a paragraph's text, long lists and
dicts) come from the C library's heap, and glibc returns free pages from the middle of that heap only
when asked (``malloc_trim``). After the read stages of a 30 MB source, 30 MB of that heap was free but
still resident; the save that follows allocates mostly small objects in fresh arenas, so that memory
stayed resident under it and added to the peak (issue 13, finding 9: with the trims in
``stages.save_catalogs``, the 30 MB extract's peak above start-up fell from 315 to 287 MB). Dask's workers trim their heap the same way for what they call unmanaged memory.
A trim takes milliseconds, and it is made twice per batch, not per document.
"""
from __future__ import annotations

import ctypes
import sys


def release_free_memory() -> bool:
    """Return the C heap's free pages to the system: glibc's ``malloc_trim(0)``. False (and nothing
    done) where there is no glibc (macOS, musl)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    trim(0)
    return True
