"""PO catalogs: one POT template and one Spanish PO file per source document.

One module per concern, as in Babel's ``babel.messages``:

- ``paths``: where a document's template and catalog live under the locales folder.
- ``pofile``: reading (with a syntax check naming file and line) and writing in
  GNU gettext's layout, whole or entry by entry; it knows nothing of what entries mean.
- ``conventions``: what the pipeline's ``#.`` comments, flags and header mean,
  an entry's review state, and the one header builder; the memory and QA read
  entries through it too.
- ``lifecycle``: a document's catalog over time: load before translating, save
  after (obsolete entries, fuzzy matches of edited sentences, reviewed
  translations never overwritten), rebuild a Document from a catalog alone.

States, as the PO shows them (see :func:`entry_state`):
untranslated (empty msgstr); machine (``#, fuzzy`` + ``#. machine translation:
ENGINE``); fuzzy (``#, fuzzy`` with ``#| msgid`` or ``#. from translation memory:
NAME``); reviewed (a msgstr without ``fuzzy``).
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .paths import catalogs, locales_of, po_path, pot_path, require_catalogs

if TYPE_CHECKING:
    from .conventions import (ARROW, IMPORTED, KEEP, KIND, MACHINE, MEMORY, MEMORY_ENGINE, PREVIOUS_MSGIDS,
                              comment_value, engine_of, entry_state, header, header_date, keep_texts, kind_of,
                              memory_pair)
    from .lifecycle import Saved, Unwritten, closest, document_from_catalog, load, make_catalogs, read_back, save, save_catalog, x_source
    from .pofile import Key, po_text, read_po, read_po_snapshot

# The other modules' names are imported on first use (polib and the lifecycle were 8 ms of every run's
# start, an unchanged re-run's included, which only needs the paths)
_EXPORTS = {
    **dict.fromkeys(["ARROW", "IMPORTED", "KEEP", "KIND", "MACHINE", "MEMORY", "MEMORY_ENGINE", "PREVIOUS_MSGIDS",
                     "comment_value", "engine_of", "entry_state", "header", "header_date", "keep_texts", "kind_of",
                     "memory_pair"], "conventions"),
    **dict.fromkeys(["Saved", "Unwritten", "closest", "document_from_catalog", "load", "make_catalogs", "read_back",
                     "save", "save_catalog", "x_source"],
                    "lifecycle"),
    **dict.fromkeys(["Key", "po_text", "read_po", "read_po_snapshot"], "pofile"),
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["ARROW", "IMPORTED", "KEEP", "KIND", "MACHINE", "MEMORY", "MEMORY_ENGINE", "PREVIOUS_MSGIDS", "Key", "catalogs",
           "closest", "comment_value", "document_from_catalog", "engine_of", "entry_state", "header",
           "header_date", "keep_texts", "kind_of", "load", "locales_of", "po_path", "po_text", "pot_path", "read_back", "read_po", "read_po_snapshot",
           "require_catalogs", "Saved", "save", "save_catalog", "make_catalogs", "Unwritten", "x_source"]
