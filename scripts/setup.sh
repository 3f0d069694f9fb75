#!/usr/bin/env bash
# Shared by demo.sh and test.sh: a virtual environment in .venv with safeguide installed (editable).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${1:-}" 2> >(grep -v "^WARNING: Location" >&2)
