"""Argos Translate models: where they live, which are installed, install and remove them.

Models are argostranslate packages, kept where argostranslate keeps them:
``$ARGOS_PACKAGES_DIR`` if set, else the ``ARGOS_PACKAGES_DIR`` key of
``$XDG_CONFIG_HOME/argos-translate/settings.json`` (default config home
``~/.config``), else ``$XDG_DATA_HOME/argos-translate/packages`` (default data
home ``~/.local/share``). The package index is ``$ARGOS_PACKAGE_INDEX`` (argostranslate's
default: its GitHub index); its local copy is ``argos-translate/index.json`` under the data home.

Listing installed models reads only folders and their ``metadata.json``, so it
is cheap and never imports argostranslate; a broken folder is skipped.
Installing and removing go through argostranslate's own package API.
"""
from __future__ import annotations

import json
import logging
import os
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import InputError, ModelError
from ..model import SOURCE_LANG, TARGET_LANG

OFFLINE_HINT = "install a model file offline with: pipeline models install --file MODEL.argosmodel"
_TOKENIZER_FILES = ("sentencepiece.model", "bpe.model")


@dataclass(frozen=True)
class ModelInfo:
    """One Argos translation package, installed (with `path`) or offered by the index."""

    from_code: str
    to_code: str
    from_name: str = ""
    to_name: str = ""
    version: str = ""
    path: Path | None = None

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"

    @classmethod
    def from_metadata(cls, metadata: dict, path: Path | None = None) -> "ModelInfo":
        return cls(str(metadata.get("from_code") or ""), str(metadata.get("to_code") or ""),
                   str(metadata.get("from_name") or ""), str(metadata.get("to_name") or ""),
                   str(metadata.get("package_version") or ""), path)


def data_home() -> Path:
    """argostranslate's data folder (`$XDG_DATA_HOME/argos-translate`)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "argos-translate"


def _config_setting(key: str) -> str | None:
    """A value from argostranslate's settings.json, or None when absent or unreadable."""
    config_home = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    try:
        value = json.loads((Path(config_home) / "argos-translate" / "settings.json").read_text()).get(key)
    except (OSError, ValueError, AttributeError):
        return None
    return str(value) if value else None


def packages_dir() -> Path:
    """The folder where argostranslate installs packages, by the same rules argostranslate uses."""
    configured = os.environ.get("ARGOS_PACKAGES_DIR") or _config_setting("ARGOS_PACKAGES_DIR")
    return Path(configured) if configured else data_home() / "packages"


def read_package(folder: Path) -> ModelInfo | None:
    """The usable translation package in `folder`, or None (no metadata, bad JSON, no model)."""
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate":
        return None
    if not (folder / "model").is_dir() or not any((folder / name).is_file() for name in _TOKENIZER_FILES):
        return None
    info = ModelInfo.from_metadata(metadata, folder)
    return info if info.from_code and info.to_code else None


def installed_models(directory: Path | None = None) -> list[ModelInfo]:
    """Installed translation packages, sorted by pair then version; broken folders are skipped."""
    directory = directory or packages_dir()
    try:
        folders = sorted(p for p in directory.iterdir() if p.is_dir())
    except OSError:
        return []
    found = [info for info in map(read_package, folders) if info is not None]
    return sorted(found, key=lambda m: (m.from_code, m.to_code, _version_key(m.version)))


def find_model(from_code: str = SOURCE_LANG, to_code: str = TARGET_LANG, directory: Path | None = None) -> ModelInfo | None:
    """The installed package for a language pair (the newest if several), or None."""
    matches = [m for m in installed_models(directory) if (m.from_code, m.to_code) == (from_code, to_code)]
    return matches[-1] if matches else None


def _version_key(version: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


# --- through argostranslate's package API -------------------------------------------------

@contextmanager
def _argos_package() -> Iterator[tuple]:
    """argostranslate.package, pointed at `packages_dir()`, and the log lines it writes meanwhile.

    argostranslate reads its folders once at import; this keeps it in step with the
    environment as it is now. Its log lines (network errors) are collected, not printed,
    so a failure shows as our one-line error.
    """
    from argostranslate import package, settings

    directory = packages_dir()
    directory.mkdir(parents=True, exist_ok=True)
    settings.package_data_dir = directory
    settings.package_dirs = [directory]
    logger = logging.getLogger("argostranslate")
    collector = _Collector()
    logger.addHandler(collector)
    previous, logger.propagate = logger.propagate, False
    try:
        yield package, collector.lines
    finally:
        logger.removeHandler(collector)
        logger.propagate = previous


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()  # argostranslate logs str() of its argument tuple
        quoted = re.findall(r"'([^']+)'", message)
        self.lines.append(quoted[-1] if quoted else message.strip("(),"))


def index_url() -> str:
    """Where the package index is fetched from."""
    from argostranslate import settings

    return settings.remote_package_index


def available_models() -> list[ModelInfo]:
    """Translation packages offered by the Argos package index (fetched now).

    Raises ModelError when the index cannot be reached or read.
    """
    with _argos_package() as (package, log_lines):
        from argostranslate import settings

        local_index = Path(settings.local_package_index)
        before = _stamp(local_index)
        package.update_package_index()  # logs and returns on a network error
        if _stamp(local_index) == before:
            reason = log_lines[-1] if log_lines else "no answer"
            raise ModelError(f"cannot reach the Argos package index {settings.remote_package_index} "
                             f"({reason}); {OFFLINE_HINT}")
        try:
            index = json.loads(local_index.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"the Argos package index is not valid JSON ({exc}); {OFFLINE_HINT}",
                             local_index) from None
    offered = [ModelInfo.from_metadata(m) for m in index if isinstance(m, dict)
               and m.get("type", "translate") == "translate" and m.get("from_code") and m.get("to_code")]
    return sorted(offered, key=lambda m: (m.from_code, m.to_code, _version_key(m.version)))


def _stamp(path: Path) -> tuple | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def install(from_code: str = SOURCE_LANG, to_code: str = TARGET_LANG) -> ModelInfo:
    """Download the newest package for a pair from the index and install it.

    Raises ModelError when the index or the download cannot be reached; installed
    models are left as they were.
    """
    offered = [m for m in available_models() if (m.from_code, m.to_code) == (from_code, to_code)]
    if not offered:
        raise ModelError(f"the Argos package index offers no {from_code}→{to_code} model")
    with _argos_package() as (package, log_lines):
        wanted = offered[-1]
        candidates = [p for p in package.get_available_packages()
                      if (p.type, p.from_code, p.to_code, p.package_version)
                      == ("translate", from_code, to_code, wanted.version)]
        try:
            download = candidates[0].download()
        except Exception as exc:  # argostranslate raises a bare Exception on a failed download
            reason = log_lines[-1] if log_lines else exc
            raise ModelError(f"cannot download the {from_code}→{to_code} model ({reason}); "
                             f"{OFFLINE_HINT}") from None
    try:
        return install_file(download)
    finally:
        download.unlink(missing_ok=True)


def check_package_file(path: Path) -> ModelInfo:
    """The package a `.argosmodel` file holds; InputError naming the file if it is not one."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such model file", path)
    if not zipfile.is_zipfile(path):
        raise InputError("not an Argos model (.argosmodel must be a zip archive)", path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            tops = {name.split("/", 1)[0] for name in names}
            if len(tops) != 1 or not any("/" in name for name in names):
                raise InputError("not an Argos model: the archive must hold one top-level folder", path)
            top = tops.pop()
            if f"{top}/metadata.json" not in names:
                raise InputError(f"not an Argos model: {top}/metadata.json is missing", path)
            metadata = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
            if not any(name.startswith(f"{top}/model/") for name in names):
                raise InputError(f"not an Argos model: {top}/model/ is missing", path)
    except (zipfile.BadZipFile, UnicodeDecodeError, ValueError, OSError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"unreadable Argos model ({exc})", path) from None
    if not isinstance(metadata, dict) or not metadata.get("from_code") or not metadata.get("to_code"):
        raise InputError("not an Argos model: metadata.json has no from_code/to_code", path)
    return ModelInfo.from_metadata(metadata, packages_dir() / top)


def install_file(path: Path) -> ModelInfo:
    """Install a `.argosmodel` file (offline); returns the installed package."""
    expected = check_package_file(path)
    with _argos_package() as (package, log_lines):
        try:
            package.install_from_path(Path(path))
        except OSError as exc:
            raise ModelError(f"cannot install the model into {packages_dir()} ({exc})", path) from None
    installed = read_package(expected.path) if expected.path is not None else None  # always set for a file
    if installed is None:
        raise InputError("installed, but the package is not usable (no tokenizer model)", path)
    return installed


def remove(from_code: str = SOURCE_LANG, to_code: str = TARGET_LANG) -> list[ModelInfo]:
    """Remove every installed package for a pair; returns what was removed."""
    targets = [m for m in installed_models() if (m.from_code, m.to_code) == (from_code, to_code)]
    if not targets:
        raise ModelError(f"no {from_code}→{to_code} Argos model is installed in {packages_dir()}")
    with _argos_package() as (package, log_lines):
        for model in targets:
            package.uninstall(package.Package(model.path))
    return targets
