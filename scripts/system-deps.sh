#!/usr/bin/env bash
# WeasyPrint needs Pango (and HarfBuzz's subsetter, to embed only the glyphs used) from the
# system; everything else comes from PyPI. Installs them with apt-get when missing and allowed
# (root); otherwise says what to install.
set -euo pipefail
missing=()
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system libraries for WeasyPrint: ${missing[*]}"
  apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "WeasyPrint needs: ${missing[*]} (Debian/Ubuntu package names); or use environment.yml." >&2
  case " ${missing[*]} " in *pango*) exit 1 ;; esac  # the subsetter is optional
fi
