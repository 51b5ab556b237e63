#!/usr/bin/env bash
# System packages from Debian/Ubuntu: WeasyPrint needs Pango (and HarfBuzz's subsetter, to embed
# only the glyphs used); the Word output is checked by converting it with headless LibreOffice
# Writer, which needs a Times-New-Roman-compatible font (Liberation Serif), and both PDFs' text
# is read with poppler's pdftotext. Everything else
# comes from PyPI. Installs what is missing with apt-get when allowed (root); otherwise says
# what to install.
set -euo pipefail
missing=()
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null || missing+=(poppler-utils)  # the tests read PDFs' text
fc-list 2>/dev/null | grep -q 'Liberation Serif' || missing+=(fonts-liberation2)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Please install (Debian/Ubuntu package names): ${missing[*]}; or use environment.yml." >&2
  case " ${missing[*]} " in *pango*) exit 1 ;; esac  # the rest is needed only by the tests
fi
