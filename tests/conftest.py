"""Shared test fixtures: paths to the reference inputs and real external checkers."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "peru-2023-coup-protests.txt"
FLORES = SHARED / "eval" / "flores200-devtest"
EXAMPLE = REPO / "examples" / "water-march.txt"


@pytest.fixture(autouse=True, scope="session")
def cache_folder(tmp_path_factory):
    """The pipeline's cache folder (PIPELINE_CACHE_DIR) for every run of the session, the command-line runs
    included: a temporary one, so the tests never read or write the user's ~/.cache, and the runs after
    the first find it warm (the suite's outputs are the same either way; tests/test_cache.py checks)."""
    folder = tmp_path_factory.mktemp("pipeline-cache")
    previous = os.environ.get("PIPELINE_CACHE_DIR")
    os.environ["PIPELINE_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("PIPELINE_CACHE_DIR", None)
    else:
        os.environ["PIPELINE_CACHE_DIR"] = previous


@pytest.fixture
def translate():
    """Sentences through the Apertium engine as it runs by default (no opt-in pivot second opinions)."""
    from pipeline.config import EngineSettings
    from pipeline.engines.apertium import ApertiumEngine
    from pipeline.model import Span

    engine = ApertiumEngine(EngineSettings(apertium_pivots=()))
    return lambda *texts: engine.translate_batch([[Span(text)] for text in texts])


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The reference article (read-only, beside the repository)."""
    assert CORPUS.is_file(), f"reference article missing: {CORPUS}"
    return CORPUS


def run_cli(*args: str | os.PathLike, cwd: Path | None = None, env: dict | None = None,
            input: str | None = None) -> subprocess.CompletedProcess:
    """Run `python -m pipeline ARGS` as a user would; returns the finished process (text mode)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd or REPO,
                          env=full_env, capture_output=True, text=True, input=input, timeout=600)


def msgfmt_check(po_path: Path) -> subprocess.CompletedProcess:
    """GNU msgfmt's verdict on a PO file (`msgfmt -c --check-format`)."""
    return subprocess.run(["msgfmt", "-c", "--check-format", "-o", os.devnull, str(po_path)],
                          capture_output=True, text=True)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder as the current directory (so pipeline.toml there applies), with a source path."""
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "water-march.txt"
    source.write_text("placeholder\n", encoding="utf-8")
    return tmp_path, source, tmp_path / "locales"


def extracted_catalog(folder: Path, filename: str, text: str) -> tuple[Path, Path]:
    """Write a source into `folder`, run `pipeline extract` on it as a user would; (source, its PO file)."""
    source = folder / filename
    source.write_text(text, encoding="utf-8")
    done = run_cli("extract", source, "--locales", folder / "locales", cwd=folder)
    assert done.returncode == 0, done.stderr
    return source, folder / "locales" / "es" / "LC_MESSAGES" / f"{source.stem}.po"


def translated_sources(work: Path, sources: dict[str, str], folder: str = "src") -> Path:
    """Write `sources` ({file name: text}) into WORK/FOLDER and put the folder through `pipeline run` with
    Apertium (one engine process) as a user would, catalogs in WORK/locales, pages in WORK/dist; returns `work`."""
    (work / folder).mkdir()
    for name, text in sources.items():
        (work / folder / name).write_text(text, encoding="utf-8")
    done = run_cli("run", work / folder, "--locales", work / "locales", "--dist", work / "dist",
                   "--engine", "apertium", "--quiet")
    assert done.returncode == 0, done.stderr
    return work
