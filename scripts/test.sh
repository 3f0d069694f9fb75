#!/usr/bin/env bash
# Quick start 2: set up (Python test extras, Debian's Chromium, npm's axe-core), then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh "[test]"

# Debian's Chromium for the browser tests; the PDF stylesheet's fonts, which tests/test_typesetting.py copies.
missing=""
need() { [ -e "$1" ] || missing="$missing $2"; }
need /usr/bin/chromium chromium
need /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf fonts-liberation
need /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's$missing for the tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "The tests need Debian's$missing: run 'sudo apt-get install -y$missing', then this script again." >&2
    exit 1
  fi
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm install --no-package-lock --no-audit --no-fund --silent
fi

export NO_MKDOCS_2_WARNING=1
# Lint and types first: they take seconds, the suite minutes (settings in pyproject.toml).
.venv/bin/ruff check safeguide tests hooks benchmarks scripts
.venv/bin/mypy
# Four processes (SAFEGUIDE_TEST_WORKERS), each taking whole test files so a file's browser page and builds are
# shared, the longest files first (tests/conftest.py LONGEST_FIRST; hence --no-loadscope-reorder). On two cores,
# from a fresh clone without the PDF cache: 808 tests in 14:44, 15:53 with set-up and lint (issue 15); both cores busy.
.venv/bin/python -m pytest -n "${SAFEGUIDE_TEST_WORKERS:-4}" --dist loadfile --no-loadscope-reorder "$@"
