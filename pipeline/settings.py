"""Project-wide defaults in one place, and the environment variables that change them.

Environment variables read here:
- ``PIPELINE_ENGINE``: default for ``--engine`` (auto, apertium, argos).
- ``PIPELINE_LOCALES``: default for ``--locales``.
- ``PIPELINE_DIST``: default for ``--dist``.
- ``PIPELINE_APERTIUM``: the apertium executable (default ``apertium`` on PATH).
Argos Translate keeps its models where ``ARGOS_PACKAGES_DIR`` says (see pipeline/engines/argos.py).
"""
from __future__ import annotations

import os

LOCALES_DIR = os.environ.get("PIPELINE_LOCALES", "locales")
DIST_DIR = os.environ.get("PIPELINE_DIST", "dist")
ENGINE = os.environ.get("PIPELINE_ENGINE", "auto")
APERTIUM = os.environ.get("PIPELINE_APERTIUM", "apertium")
APERTIUM_MODE = "eng-spa"

PROJECT_ID = "bilingual-pipeline"
SOURCE_LANG = "en"
TARGET_LANG = "es"
PO_WRAP_WIDTH = 79  # as msgmerge and xgettext wrap; 0 or less means no wrapping
LANGDETECT_SEED = 0
DO_NOT_TRANSLATE_FILE = "do-not-translate.txt"  # one term per line, under the locales folder
