#!/usr/bin/env bash
# Rebuilds analysis/report/exports/vendor/plotly-quickscan.min.js: a partial plotly.js with only the trace types the
# report draws (scatter, bar, heatmap, scatterpolar, barpolar), for the offline HTML hand-out and the PDF.
#
# Why: the full plotly.js (what plotly.py embeds) is 4.8 MB; the hand-out must stay under 2 MB (issue 11).
# Run time never needs node or the network: the built file is committed, and only that file is read.
#
# Inputs, all in analysis/report/exports/vendor/plotly-bundle/:
#   package.json       exact versions: plotly.js = the version plotly.py embeds (get_plotlyjs_version()), esbuild
#   package-lock.json  every transitive package with its integrity hash, so a rebuild gives the same bytes
#   entry.js           the traces registered over plotly.js/lib/core
# Needs node >= 18 and npm with access to the npm registry (only here, at build time).
#
# Usage: scripts/build_plotly_bundle.sh               rebuild from the lock file (npm ci)
#        scripts/build_plotly_bundle.sh --update-lock  after changing package.json (e.g. plotly upgraded):
#                                                      resolve again and write the new package-lock.json back
# Upgrading plotly (python): set "plotly.js" in package.json to the new get_plotlyjs_version(), run with
# --update-lock, run tests/analysis/report/test_export_bundle.py, commit the three files and the bundle.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INPUTS="$ROOT/analysis/exports/vendor/plotly-bundle"
TARGET="$ROOT/analysis/exports/vendor/plotly-quickscan.min.js"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cp "$INPUTS/package.json" "$INPUTS/entry.js" "$WORK/"
cd "$WORK"
if [[ "${1:-}" == "--update-lock" ]]; then
    npm install --no-audit --no-fund --ignore-scripts
    cp package-lock.json "$INPUTS/package-lock.json"
else
    cp "$INPUTS/package-lock.json" .
    npm ci --no-audit --no-fund --ignore-scripts
fi

VERSION="$(node -p "require('plotly.js/package.json').version")"
if [[ -x "$ROOT/.venv/bin/python" ]]; then
    EMBEDDED="$("$ROOT/.venv/bin/python" -c 'from plotly.offline import get_plotlyjs_version; print(get_plotlyjs_version())')"
    if [[ "$VERSION" != "$EMBEDDED" ]]; then
        echo "plotly.js $VERSION in package.json, but plotly (python) embeds $EMBEDDED: change package.json" >&2
        exit 1
    fi
fi

# The same settings as plotly.js's own esbuild-config.js (iife, global Plotly, es2016), minified; the only CSS
# plotly.js imports is maplibre's, for map traces this bundle does not hold.
./node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --target=es2016 \
    --define:global=window --define:define.amd=false --loader:.css=empty --legal-comments=eof \
    --banner:js="/*! plotly.js v$VERSION (MIT, https://github.com/plotly/plotly.js), partial bundle for the QuickScan dashboard: scatter, bar, heatmap, scatterpolar, barpolar. Built by scripts/build_plotly_bundle.sh */" \
    --log-level=warning --outfile="$TARGET"
echo "$TARGET: $(wc -c < "$TARGET") bytes, plotly.js $VERSION"
