#!/usr/bin/env bash
# Benchmarks (figures only, no assertions): release build, city tier, wrk + 100,000-row import/export.
# Needs: wrk (Debian package), python3 with openpyxl and requests (e.g. .venv from .ci/run). Figures go to stdout
# as JSON; docs/performance.md quotes them.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
PYTHON=${PYTHON:-.venv/bin/python}
swift build -c release --product dangjian >&2
BIN="$(swift build -c release --show-bin-path)/dangjian"
exec "$PYTHON" bench/driver.py "$BIN"
