#!/usr/bin/env bash
# Set up everything and start the dashboard on the bundled sample data.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh requirements.txt
exec .venv/bin/streamlit run dashboard.py --server.headless true "$@"
