"""`pipeline models`: where models live, offline install, index install, removal, and failures."""
from __future__ import annotations

import functools
import hashlib
import json
import shutil
import socket
import subprocess
import sys
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import run_cli
from tinyargos import build_package, isolated_env, metadata

from pipeline.engines import argos_models


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    return build_package(tmp_path_factory.mktemp("model") / "translate-en_es-tiny.argosmodel")


@pytest.fixture()
def env(tmp_path) -> dict[str, str]:
    """Private argostranslate folders, and an index that is certainly unreachable (a closed local port)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return {**isolated_env(tmp_path / "argos"), "ARGOS_PACKAGE_INDEX": f"http://127.0.0.1:{port}/",
            "no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"}


@pytest.fixture(scope="module")
def installed_template(tmp_path_factory, tiny_model) -> Path:
    """A packages folder holding the tiny model, installed once by `pipeline models install --file`."""
    env = isolated_env(tmp_path_factory.mktemp("template"))
    done = run_cli("models", "install", "--file", tiny_model, env=env)
    assert done.returncode == 0, done.stderr
    return Path(env["ARGOS_PACKAGES_DIR"])


@pytest.fixture()
def installed_env(env, installed_template) -> dict[str, str]:
    """`env` with the tiny model already installed (a copy of the template)."""
    shutil.copytree(installed_template, env["ARGOS_PACKAGES_DIR"], dirs_exist_ok=True)
    return env


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def argos_packages_dir(env: dict[str, str]) -> str:
    """Where argostranslate itself says packages go, in a fresh process with `env`."""
    code = "from argostranslate import settings; print(settings.package_data_dir)"
    clean = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("ARGOS_", "XDG_"))}
    done = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("layout", ["variable", "settings.json", "xdg", "home"])
def test_packages_dir_follows_argostranslate(tmp_path, monkeypatch, layout):
    env = isolated_env(tmp_path)
    if layout != "variable":
        del env["ARGOS_PACKAGES_DIR"]
    if layout == "settings.json":
        settings = Path(env["XDG_CONFIG_HOME"]) / "argos-translate" / "settings.json"
        settings.parent.mkdir(parents=True)
        settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "from-settings")}))
    if layout == "home":
        del env["XDG_DATA_HOME"], env["XDG_CONFIG_HOME"]
    for key in ("ARGOS_PACKAGES_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert str(argos_models.packages_dir()) == argos_packages_dir(env)


def test_install_file_list_and_remove(tmp_path, env, tiny_model):
    done = run_cli("models", "install", "--file", tiny_model, env=env)
    assert done.returncode == 0, done.stderr
    installed = Path(env["ARGOS_PACKAGES_DIR"]) / "translate-en_es-tiny"
    assert (installed / "metadata.json").is_file() and (installed / "model" / "model.bin").is_file()

    listing = run_cli("models", "list", env=env)
    assert listing.returncode == 0, listing.stderr
    assert "en→es" in listing.stdout and "translate-en_es-tiny" in listing.stdout
    assert "cannot reach the Argos package index" in listing.stderr, "the unreachable index is a note"
    assert "Traceback" not in listing.stderr

    removed = run_cli("models", "remove", "en", "es", env=env)
    assert removed.returncode == 0, removed.stderr
    assert not installed.exists()
    again = run_cli("models", "remove", "en", "es", env=env)
    assert again.returncode == 1
    assert again.stderr.startswith("pipeline: error: no en→es Argos model is installed")


def test_install_without_network_fails_clearly_and_keeps_models(installed_env):
    env = installed_env
    packages = Path(env["ARGOS_PACKAGES_DIR"])
    before = tree_digest(packages)
    done = run_cli("models", "install", "en", "es", env=env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("pipeline: error: cannot reach the Argos package index")
    assert "pipeline models install --file" in lines[0]
    assert tree_digest(packages) == before


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


@pytest.mark.parametrize("case", ["not-zip", "two-folders", "no-metadata", "no-model", "missing"])
def test_install_bad_file_names_it_and_changes_nothing(tmp_path, installed_env, case):
    env = installed_env
    packages = Path(env["ARGOS_PACKAGES_DIR"])
    before = tree_digest(packages)
    meta = json.dumps(metadata())
    bad = tmp_path / f"{case}.argosmodel"
    if case == "not-zip":
        bad.write_text("not a zip archive\n")
    elif case == "two-folders":
        _zip(bad, {"a/metadata.json": meta, "a/model/model.bin": "x", "b/metadata.json": meta})
    elif case == "no-metadata":
        _zip(bad, {"pkg/model/model.bin": "x"})
    elif case == "no-model":
        _zip(bad, {"pkg/metadata.json": meta})
    done = run_cli("models", "install", "--file", bad, env=env)
    assert done.returncode == 2
    assert done.stderr.startswith(f"pipeline: error: {bad}: ")
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert tree_digest(packages) == before


@pytest.fixture()
def local_index(tmp_path, tiny_model):
    """A real HTTP package index on localhost that offers the tiny model."""
    root = tmp_path / "index"
    root.mkdir()
    (root / "translate-en_es-0_1.argosmodel").write_bytes(tiny_model.read_bytes())
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    (root / "index.json").write_text(json.dumps([{**metadata(), "links": [url + "translate-en_es-0_1.argosmodel"]}]))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_install_from_index_and_list_available(env, local_index):
    env = {**env, "ARGOS_PACKAGE_INDEX": local_index}
    listing = run_cli("models", "list", env=env)
    assert listing.returncode == 0, listing.stderr
    assert f"available from {local_index}index.json" in listing.stdout
    assert "[installed]" not in listing.stdout

    done = run_cli("models", "install", "en", "es", env=env)
    assert done.returncode == 0, done.stderr
    assert (Path(env["ARGOS_PACKAGES_DIR"]) / "translate-en_es-tiny" / "model").is_dir()
    listing = run_cli("models", "list", env=env)
    assert "[installed]" in listing.stdout

    missing = run_cli("models", "install", "en", "fr", env=env)
    assert missing.returncode == 1
    assert "offers no en→fr model" in missing.stderr
