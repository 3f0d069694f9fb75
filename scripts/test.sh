#!/usr/bin/env bash
# Quick start 2: set up (Python test extras, Debian's Chromium, npm's axe-core), then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh "[test]"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium: run 'sudo apt-get install -y chromium', then this script again." >&2
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
