#!/usr/bin/env bash
# Install Debian's chromium for the browser tests, the PDF export and chart images, where we may (root + apt).
# Never downloads a browser build of its own.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || true
fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "Let op: Debian's chromium is niet geïnstalleerd; browsertests worden overgeslagen." >&2
exit 1
