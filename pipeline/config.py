"""Every setting in one place: constants, environment variables and ``pipeline.toml``.

The command line and the API call :func:`load` once, where they start, and pass
the :class:`Config` down; no stage reads the environment or the file itself.
Precedence, highest first: a command-line option or API argument, then an
environment variable, then ``pipeline.toml``, then the defaults below.

Environment variables (read only in :func:`load`, through :func:`engine_settings`):

- ``PIPELINE_ENGINE``: default for ``--engine`` (``auto``, or a name from ``pipeline.engines.ENGINES``).
- ``PIPELINE_LOCALES``: default for ``--locales``.
- ``PIPELINE_DIST``: default for ``--dist``.
- ``PIPELINE_JOBS``: default for ``--jobs`` (default: the number of cores).
- ``PIPELINE_DASK_SCHEDULER``: default for ``--scheduler``, the address of the Dask scheduler that
  ``--executor dask`` sends its tasks to (empty: a LocalCluster on this machine).
- ``PIPELINE_APERTIUM``: the apertium executable (default ``apertium`` on PATH).
- ``PIPELINE_APERTIUM_PIVOTS``: second opinions for the Apertium engine, comma-separated chains of
  Apertium modes, e.g. ``eng-cat cat-spa,en-gl gl-es`` (through Catalan and through Galician);
  chains whose modes are not installed are skipped. Default empty: the eng-spa pair alone, because
  with the rule modules in place the pivots' votes lower chrF on FLORES devtest
  (benchmarks/translation_quality.py).
- ``PIPELINE_APERTIUM_WORD_PIVOT``: the Apertium modes, space-separated, that words unknown to eng-spa
  are looked up through, one by one (default ``eng-cat cat-spa``; empty or not installed: not used).
- ``PIPELINE_FREEDICT``: FreeDict English-Spanish dictd files, without extension, that Apertium's
  unknown words are looked up in (default: Debian ``dict-freedict-eng-spa``; absent: words stay as they are).
- ``PIPELINE_CACHE_DIR``: where answers that cost time to make and never change for the same inputs are
  kept between runs (default ``$XDG_CACHE_HOME/bilingual-pipeline``, else ``~/.cache/bilingual-pipeline``;
  :mod:`pipeline.cache`): the pivot's answer per unknown word, FreeDict's parsed senses, wordfreq's English
  and Spanish frequencies. Each file is keyed by what decides its contents; a folder that cannot be made or
  written means no cache (never an error), and deleting it at any time costs only the time to remake it.
- ``PIPELINE_ARGOS_BEAM_SIZE``: beam size of the Argos engine (default 4, as argostranslate).
- ``PIPELINE_ARGOS_BATCH_SIZE``: segments per CTranslate2 batch (default 32).
- ``PIPELINE_ARGOS_THREADS``: CTranslate2 threads (default 0: one per core).

Argos Translate keeps its models where ``ARGOS_PACKAGES_DIR`` says; that variable is
argostranslate's own and is read in ``pipeline/engines/argos_models.py``.

``pipeline.toml`` (in the current directory, or the file given to :func:`load`).
Keys may sit at the top level or under ``[pipeline]``; an unknown key or a value
of the wrong type is an error naming the file and line::

    min_reviewed = 80        # percent of strings reviewed before `pipeline check` passes
    min_translated = 100     # percent translated (reviewed + machine + fuzzy)
    fail_on_qa = "error"     # "error" (the default), "warning" or "" (QA findings do not fail the check)
    similarity = 0.75        # closeness for an old translation to become a fuzzy starting point
    trust_tm_exact = false   # exact translation-memory matches count as reviewed
    wrap = 79                # PO line width, as msgmerge; 0 = no wrapping (like --no-wrap)
    sources = ["articles"]   # default source files or folders
    locales = "locales"      # the catalog folder
    dist = "dist"            # the output folder
    engine = "auto"          # the translation engine
    jobs = 4                 # processes for documents and concurrent engine runs (default: the cores)
    executor = "local"       # "local" or "dask"

    [markdown]
    front_matter = ["title", "description"]   # front-matter keys that are translated

    [text]
    rewrap = true            # a hard-wrapped paragraph's Spanish wrapped again at the source's width;
                             # false: each such paragraph on one line in NAME.es.txt
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from .errors import InputError
from .model import SEVERITIES

CONFIG_FILE = "pipeline.toml"
PROJECT_ID = "bilingual-pipeline"
PO_WRAP_WIDTH = 79  # as msgmerge and xgettext wrap; 0 or less means no wrapping
LANGDETECT_SEED = 0
DO_NOT_TRANSLATE_FILE = "do-not-translate.txt"  # one term per line, under the locales folder
QA_LEVELS = ("", *SEVERITIES)  # what `fail_on_qa` may say: "" (never), or the lowest failing severity


@dataclass(frozen=True)
class EngineSettings:
    """What the engines need to know about this machine (environment variables, see above)."""

    apertium: str = "apertium"
    apertium_mode: str = "eng-spa"
    apertium_pivots: tuple[tuple[str, ...], ...] = ()
    apertium_word_pivot: tuple[str, ...] = ("eng-cat", "cat-spa")
    freedict: str = "/usr/share/dictd/freedict-eng-spa"
    # PIPELINE_CACHE_DIR as config.load finds it; None: no cache (pipeline.cache). Not in the repr: where the
    # cache is decides no output, and the Apertium engine's version digests the repr of these settings
    cache_dir: Path | None = field(default=None, repr=False)
    argos_beam_size: int = 4
    argos_batch_size: int = 32
    argos_threads: int = 0


@dataclass(frozen=True)
class Config:
    """Project settings: ``pipeline.toml`` over the defaults, the environment over both."""

    min_reviewed: float = 0.0
    min_translated: float = 0.0
    fail_on_qa: str = "error"  # a QA error (a kept span dropped, what msgfmt -c rejects) fails the gate by default
    similarity: float = 0.75
    trust_tm_exact: bool = False
    wrap: int = PO_WRAP_WIDTH
    sources: tuple[str, ...] = ()
    locales: Path = Path("locales")
    dist: Path = Path("dist")
    engine: str = "auto"
    markdown_front_matter: tuple[str, ...] = ()
    text_rewrap: bool = True
    engines: EngineSettings = field(default_factory=EngineSettings)
    jobs: int = 0  # 0: one per core (os.cpu_count())
    executor: str = "local"
    dask_scheduler: str = ""  # a Dask scheduler address, e.g. tcp://10.0.0.5:8786; empty: a LocalCluster
    path: Path | None = None  # the pipeline.toml read, if any

    @property
    def cache_dir(self) -> Path | None:
        """The cache folder (PIPELINE_CACHE_DIR), carried in the engines' settings, which need it too."""
        return self.engines.cache_dir

    @property
    def job_count(self) -> int:
        """How many processes a run uses: `jobs`, or one per core when it is 0."""
        return self.jobs or os.cpu_count() or 1

    def with_options(self, **options: Any) -> Config:
        """This config with the options that were given (None means not given)."""
        given = {name: value for name, value in options.items() if value is not None}
        for name in ("locales", "dist"):
            if name in given:
                given[name] = Path(given[name])
        return replace(self, **given)


# pipeline.toml keys: name -> accepted types. Booleans are ints to Python, so they are checked apart.
_FILE_KEYS: dict[str, tuple[type, ...]] = {
    "min_reviewed": (int, float), "min_translated": (int, float), "fail_on_qa": (str,),
    "similarity": (int, float), "trust_tm_exact": (bool,), "wrap": (int,), "sources": (list,),
    "locales": (str,), "dist": (str,), "engine": (str,), "jobs": (int,), "executor": (str,),
}
_TABLE_KEYS: dict[str, dict[str, tuple[type, ...]]] = {"markdown": {"front_matter": (list,)},
                                                      "text": {"rewrap": (bool,)}}


def load(path: Path | str | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """The config: `path` (default: pipeline.toml in the current directory, if there is one),
    then the environment (default ``os.environ``) over it.

    Raises InputError naming the file and line for invalid TOML, an unknown key,
    a value of the wrong type or out of range, or a bad environment variable.
    """
    environ = os.environ if environ is None else environ
    config = _from_file(path)
    overrides: dict[str, Any] = {"engines": engine_settings(environ)}
    for name, variable in (("locales", "PIPELINE_LOCALES"), ("dist", "PIPELINE_DIST"), ("engine", "PIPELINE_ENGINE"),
                           ("dask_scheduler", "PIPELINE_DASK_SCHEDULER")):
        if environ.get(variable):
            overrides[name] = environ[variable]
    if environ.get("PIPELINE_JOBS"):
        overrides["jobs"] = _environment_int(environ, "PIPELINE_JOBS", 0)
    return config.with_options(**overrides)


def engine_settings(environ: Mapping[str, str]) -> EngineSettings:
    """The engines' settings from the environment variables listed above."""
    defaults = EngineSettings()
    pivots = tuple(tuple(chain.split()) for chain in environ.get("PIPELINE_APERTIUM_PIVOTS", "").split(",")
                   if chain.strip())
    word_pivot = environ.get("PIPELINE_APERTIUM_WORD_PIVOT")
    return EngineSettings(
        apertium=environ.get("PIPELINE_APERTIUM") or defaults.apertium,
        apertium_pivots=pivots,
        apertium_word_pivot=defaults.apertium_word_pivot if word_pivot is None else tuple(word_pivot.split()),
        freedict=environ.get("PIPELINE_FREEDICT") or defaults.freedict,
        cache_dir=cache_folder(environ),
        argos_beam_size=_environment_int(environ, "PIPELINE_ARGOS_BEAM_SIZE", defaults.argos_beam_size),
        argos_batch_size=_environment_int(environ, "PIPELINE_ARGOS_BATCH_SIZE", defaults.argos_batch_size),
        argos_threads=_environment_int(environ, "PIPELINE_ARGOS_THREADS", defaults.argos_threads, minimum=0),
    )


def cache_folder(environ: Mapping[str, str]) -> Path | None:
    """PIPELINE_CACHE_DIR, else ``$XDG_CACHE_HOME/bilingual-pipeline``, else ``~/.cache/bilingual-pipeline``
    (the XDG base directory rules); None when none can be named (no HOME). Whether it can be written is
    found out when it is used (:mod:`pipeline.cache`): a folder that cannot be is no cache, not an error."""
    if environ.get("PIPELINE_CACHE_DIR"):
        return Path(environ["PIPELINE_CACHE_DIR"])
    xdg = environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG rules: a relative value is invalid and ignored
        return Path(xdg) / PROJECT_ID
    home = environ.get("HOME", "")
    return Path(home) / ".cache" / PROJECT_ID if home else None


def _environment_int(environ: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    text = environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < minimum:
        raise InputError(f"environment variable {name}={text!r}: expected a whole number of at least {minimum}")
    return int(text)


def _from_file(path: Path | str | None) -> Config:
    explicit = path is not None
    path = Path(path if path is not None else CONFIG_FILE)
    if not path.is_file():
        if explicit:
            raise InputError("no such config file", path)
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("invalid UTF-8 in config file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read config file: {exc.strerror}", path) from None
    import tomllib  # here: 6 ms of every start, and most projects have no config file

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise InputError(f"invalid TOML: {message}", path, int(found.group(1)) if found else None) from None
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "pipeline" and isinstance(value, dict):
            values.update(_checked(value, _FILE_KEYS, path, text, "pipeline."))
        elif key in _TABLE_KEYS and isinstance(value, dict):
            table = _checked(value, _TABLE_KEYS[key], path, text, f"{key}.")
            values.update({f"{key}_{name}": item for name, item in table.items()})
        else:
            values.update(_checked({key: value}, _FILE_KEYS, path, text))
    for name in ("sources", "markdown_front_matter"):
        if name in values:
            if not all(isinstance(item, str) for item in values[name]):
                raise InputError(f"{name.replace('_', '.', 1) if name != 'sources' else name} must be a list of "
                                 "strings", path, _line_of(text, name.split("_", 1)[-1]))
            values[name] = tuple(values[name])
    for name in ("locales", "dist"):
        if name in values:
            values[name] = Path(values[name])
    config = replace(Config(path=path), **values)
    _validate(config, path, text)
    return config


def _checked(table: dict, known: dict[str, tuple[type, ...]], path: Path, text: str, prefix: str = "") -> dict:
    """The table's items, or InputError (file and line) for an unknown key or a value of the wrong type."""
    for key, value in table.items():
        if key not in known:
            choices = ", ".join(sorted(known))
            raise InputError(f"unknown setting '{prefix}{key}' (known: {choices})", path, _line_of(text, key))
        types = known[key]
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            raise InputError(f"{prefix}{key} = {value!r}: expected {types[0].__name__}", path, _line_of(text, key))
    return dict(table)


def _line_of(text: str, key: str) -> int | None:
    """The line where `key` is assigned in a TOML text (first occurrence), for messages."""
    found = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", text, re.MULTILINE)
    return text[:found.start()].count("\n") + 1 if found else None


def _validate(config: Config, path: Path, text: str) -> None:
    """Raise InputError for values out of range."""
    for name in ("min_reviewed", "min_translated"):
        if not 0 <= getattr(config, name) <= 100:
            raise InputError(f"{name} must be a percentage from 0 to 100", path, _line_of(text, name))
    if not 0 < config.similarity <= 1:
        raise InputError("similarity must be above 0 and at most 1", path, _line_of(text, "similarity"))
    if config.jobs < 0:
        raise InputError("jobs must be at least 1 (or 0: one per core)", path, _line_of(text, "jobs"))
    if config.executor not in ("local", "dask"):
        raise InputError("executor must be 'local' or 'dask'", path, _line_of(text, "executor"))
    if config.fail_on_qa not in QA_LEVELS:
        raise InputError(f"fail_on_qa must be one of {', '.join(map(repr, QA_LEVELS))}", path,
                         _line_of(text, "fail_on_qa"))

