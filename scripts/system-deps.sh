#!/usr/bin/env bash
# WeasyPrint needs Pango from the system; everything else comes from PyPI.
# Installs it with apt-get when missing and we are allowed to (root); otherwise says what to install.
set -euo pipefail
if ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Pango for WeasyPrint (apt-get)..."
  apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
else
  echo "WeasyPrint needs Pango: install libpango-1.0-0 and libpangoft2-1.0-0 (Debian/Ubuntu) or use environment.yml." >&2
  exit 1
fi
