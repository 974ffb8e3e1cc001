#!/usr/bin/env bash
# Install everything the project needs on a fresh Debian/Ubuntu machine:
# system packages, a virtual environment in .venv, PyTorch (CPU) and the project.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# apertium-eng-spa: the rule-based engine; eng-cat + spa-cat: unknown words through Catalan;
# the Catalan and Galician pairs: opt-in second opinions (tested and measured); dict-freedict-eng-spa: words Apertium does not know; gettext: msgfmt/msgmerge checks;
# chromium: browser tests.
$SUDO apt-get update
$SUDO apt-get install -y apertium-eng-spa apertium-eng-cat apertium-spa-cat apertium-en-gl apertium-es-gl \
    dict-freedict-eng-spa gettext chromium

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# torch first and pinned: 2.13.0 is a CPU build; a plain `torch` (pulled by argostranslate) is a multi-GB CUDA build.
.venv/bin/python -m pip install --quiet torch==2.13.0
.venv/bin/python -m pip install --quiet -e '.[argos,test,bench]'
