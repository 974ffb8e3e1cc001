#!/usr/bin/env bash
# Set up a new machine and run the main job on the bundled example article.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/pipeline run examples/water-march.txt
echo "Done: see locales/es/LC_MESSAGES/water-march.po and dist/water-march.bilingual.html"
