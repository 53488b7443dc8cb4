#!/usr/bin/env bash
# Set up everything and run the whole test suite (lint, unit, page and browser tests).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh requirements-dev.txt
scripts/install_chromium.sh || true
scripts/install_postgresql.sh || true
.venv/bin/ruff check .
# Two workers (this is a 2-core machine); the slowest tests are listed at the end.
.venv/bin/python -m pytest -n 2 --dist loadgroup --durations=25 "$@"
