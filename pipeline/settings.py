"""Project-wide defaults in one place, and the environment variables that change them.

Environment variables read here:
- ``PIPELINE_ENGINE``: default for ``--engine`` (auto, apertium, argos).
- ``PIPELINE_LOCALES``: default for ``--locales``.
- ``PIPELINE_DIST``: default for ``--dist``.
- ``PIPELINE_APERTIUM``: the apertium executable (default ``apertium`` on PATH).
- ``PIPELINE_APERTIUM_PIVOTS``: second opinions for the Apertium engine, comma-separated chains of
  Apertium modes, e.g. ``eng-cat cat-spa,en-gl gl-es`` (through Catalan and through Galician);
  chains whose modes are not installed are skipped. Default empty: the eng-spa pair alone, because
  with the rule modules in place the pivots' votes lower chrF on FLORES devtest (benchmarks/translation_quality.py).
- ``PIPELINE_APERTIUM_WORD_PIVOT``: the Apertium modes, space-separated, that words unknown to eng-spa
  are looked up through, one by one (default ``eng-cat cat-spa``; empty or not installed: not used).
- ``PIPELINE_FREEDICT``: FreeDict English-Spanish dictd files, without extension, that Apertium's
  unknown words are looked up in (default: Debian ``dict-freedict-eng-spa``; absent: words stay as they are).
- ``PIPELINE_ARGOS_BEAM_SIZE``: beam size of the Argos engine (default 4, as argostranslate).
- ``PIPELINE_ARGOS_BATCH_SIZE``: segments per CTranslate2 batch (default 32).
- ``PIPELINE_ARGOS_THREADS``: CTranslate2 threads (default 0: one per core).
Argos Translate keeps its models where ``ARGOS_PACKAGES_DIR`` says (see pipeline/models.py).
"""
from __future__ import annotations

import os

LOCALES_DIR = os.environ.get("PIPELINE_LOCALES", "locales")
DIST_DIR = os.environ.get("PIPELINE_DIST", "dist")
ENGINE = os.environ.get("PIPELINE_ENGINE", "auto")
APERTIUM = os.environ.get("PIPELINE_APERTIUM", "apertium")
APERTIUM_MODE = "eng-spa"
APERTIUM_PIVOTS = [chain.split() for chain in
                   os.environ.get("PIPELINE_APERTIUM_PIVOTS", "").split(",") if chain.strip()]
APERTIUM_WORD_PIVOT = os.environ.get("PIPELINE_APERTIUM_WORD_PIVOT", "eng-cat cat-spa").split()
FREEDICT_ENG_SPA = os.environ.get("PIPELINE_FREEDICT", "/usr/share/dictd/freedict-eng-spa")
ARGOS_BEAM_SIZE = int(os.environ.get("PIPELINE_ARGOS_BEAM_SIZE", "4"))
ARGOS_BATCH_SIZE = int(os.environ.get("PIPELINE_ARGOS_BATCH_SIZE", "32"))
ARGOS_THREADS = int(os.environ.get("PIPELINE_ARGOS_THREADS", "0"))

PROJECT_ID = "bilingual-pipeline"
SOURCE_LANG = "en"
TARGET_LANG = "es"
PO_WRAP_WIDTH = 79  # as msgmerge and xgettext wrap; 0 or less means no wrapping
LANGDETECT_SEED = 0
DO_NOT_TRANSLATE_FILE = "do-not-translate.txt"  # one term per line, under the locales folder
