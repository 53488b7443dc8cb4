#!/usr/bin/env bash
# Install Debian's postgresql server binaries for the store tests and benchmark, where we may (root + apt).
# The tests start their own throw-away server on a free local port; the package's own cluster is not used.
set -uo pipefail
found() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
if found; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 || true
fi
if found; then exit 0; fi
echo "Let op: Debian's postgresql is niet geïnstalleerd; de PostgreSQL-tests worden overgeslagen." >&2
exit 1
