"""Where a document's template and catalog live: gettext's own layout under the locales folder.

``LOCALES/templates/NAME.pot`` and ``LOCALES/es/LC_MESSAGES/NAME.po``, the
layout Weblate, Pootle and msgfmt expect, so the folder can be handed to them as it is.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..model import TARGET_LANG


def pot_path(locales: Path, name: str) -> Path:
    """The template of document NAME: LOCALES/templates/NAME.pot."""
    return Path(locales) / "templates" / f"{name}.pot"


def po_path(locales: Path, name: str) -> Path:
    """The Spanish catalog of document NAME: LOCALES/es/LC_MESSAGES/NAME.po."""
    return Path(locales) / TARGET_LANG / "LC_MESSAGES" / f"{name}.po"


def locales_of(po_file: Path) -> Path:
    """The locales folder of a catalog at LOCALES/es/LC_MESSAGES/NAME.po."""
    return Path(po_file).parents[2]


def catalogs(locales: Path) -> list[Path]:
    """The Spanish PO files under `locales`, sorted by name."""
    folder = po_path(locales, "x").parent
    return sorted(folder.glob("*.po")) if folder.is_dir() else []


def require_catalogs(locales: Path) -> list[Path]:
    """The Spanish PO files under `locales`; InputError when there are none."""
    found = catalogs(locales)
    if not found:
        raise InputError("no PO catalogs here (expected es/LC_MESSAGES/*.po; "
                         "run `pipeline extract` or `pipeline run` first)", locales)
    return found
