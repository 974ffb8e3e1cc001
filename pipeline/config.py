"""The project config file, ``pipeline.toml`` in the current directory.

Every key is optional; a missing file means the defaults below. Keys may sit at
the top level or under a ``[pipeline]`` table::

    min_reviewed = 80        # percent of strings reviewed before `pipeline check` passes
    min_translated = 100     # percent translated (reviewed + machine + fuzzy)
    fail_on_qa = "error"     # "error", "warning" or "" (QA findings do not fail the check)
    similarity = 0.75        # closeness for an old translation to become a fuzzy starting point
    trust_tm_exact = false   # exact translation-memory matches count as reviewed
    wrap = 79                # PO line width, as msgmerge; 0 = no wrapping (like --no-wrap)
    sources = ["articles"]   # default source files or folders

Other tables (``[site]``, ``[qa]`` ...) are kept in ``Config.extra`` for the
stages that read them.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from . import settings
from .errors import InputError

CONFIG_FILE = "pipeline.toml"
QA_LEVELS = ("", "error", "warning")


@dataclass
class Config:
    """Project settings read from pipeline.toml, with the defaults used when it is absent."""

    min_reviewed: float = 0.0
    min_translated: float = 0.0
    fail_on_qa: str = ""
    similarity: float = 0.75
    trust_tm_exact: bool = False
    wrap: int = settings.PO_WRAP_WIDTH
    sources: list[str] = field(default_factory=list)
    path: Path | None = None  # the file read, if any
    extra: dict = field(default_factory=dict)  # tables and keys for other stages


_TYPES = {"min_reviewed": (int, float), "min_translated": (int, float), "fail_on_qa": (str,),
          "similarity": (int, float), "trust_tm_exact": (bool,), "wrap": (int,), "sources": (list,)}


def load(path: Path | str | None = None) -> Config:
    """The config in `path` (default: pipeline.toml in the current directory), or the defaults.

    Raises InputError naming the file and line for invalid TOML or a bad value.
    """
    explicit = path is not None
    path = Path(path if explicit else CONFIG_FILE)
    if not path.is_file():
        if explicit:
            raise InputError("no such config file", path)
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError("invalid UTF-8 in config file", path) from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise InputError(f"invalid TOML: {message}", path, int(found.group(1)) if found else None) from None
    values = {**data, **data.get("pipeline", {})} if isinstance(data.get("pipeline", {}), dict) else data
    config = Config(path=path)
    for item in fields(Config):
        if item.name not in _TYPES or item.name not in values:
            continue
        value = values[item.name]
        if not isinstance(value, _TYPES[item.name]) or (item.name != "trust_tm_exact" and isinstance(value, bool)):
            raise InputError(f"{item.name} = {value!r}: expected {_TYPES[item.name][0].__name__}", path)
        setattr(config, item.name, value)
    _validate(config, path)
    config.extra = {k: v for k, v in values.items() if k not in _TYPES and k != "pipeline"}
    return config


def _validate(config: Config, path: Path) -> None:
    """Raise InputError for values out of range."""
    for name in ("min_reviewed", "min_translated"):
        if not 0 <= getattr(config, name) <= 100:
            raise InputError(f"{name} must be a percentage from 0 to 100", path)
    if not 0 < config.similarity <= 1:
        raise InputError("similarity must be above 0 and at most 1", path)
    if config.fail_on_qa not in QA_LEVELS:
        raise InputError(f"fail_on_qa must be one of {', '.join(map(repr, QA_LEVELS))}", path)
    if not all(isinstance(s, str) for s in config.sources):
        raise InputError("sources must be a list of paths", path)
