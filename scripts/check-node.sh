#!/usr/bin/env bash
# The web app is built with Node 20 or newer (and its npm); say so plainly when it is missing.
set -euo pipefail
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js 20+ with npm is needed to build the web app: install it (e.g. Debian's nodejs" \
    "from a current release, or your usual Node distribution) and run make again" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "Node.js $(node --version) is too old to build the web app: 20 or newer is needed" >&2
  exit 1
fi
