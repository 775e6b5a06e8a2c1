#!/usr/bin/env bash
# Debian packages the product and its tests need. Idempotent: installs only what is missing.
#   libltdl7      the ODBC driver bundled by mssql-python loads it (SQL Server connections)
#   poppler-utils pdftotext, to read exported PDFs back in tests
#   fonts-dejavu-core  DejaVu Sans, the font of exported PDFs (covers ≤, ≥, accents)
# With --with-test-tools also:
#   chromium      the browser the web app's tests drive (through Playwright, no download)
#   redis-server  the result cache's tests start a Redis of their own (and stop it)
set -euo pipefail

packages=(libltdl7 poppler-utils fonts-dejavu-core)
if [ "${1:-}" = "--with-test-tools" ]; then
  packages+=(chromium redis-server)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]} — run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
