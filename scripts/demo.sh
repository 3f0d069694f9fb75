#!/usr/bin/env bash
# Quick start 1: set up, then build every demo partnership into site/ (open site/index.html).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
.venv/bin/safeguide build "$@"
echo "Open site/index.html, or serve it: .venv/bin/python -m http.server -d site 8000"
