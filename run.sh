#!/usr/bin/env bash
# Set up everything and start the dashboard on the bundled sample data.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh requirements.txt
# Chromium makes the PDF and PNG exports; without it the dashboard runs and those buttons say why.
scripts/install_chromium.sh 2>/dev/null || true
exec .venv/bin/streamlit run app.py --server.headless true "$@"
