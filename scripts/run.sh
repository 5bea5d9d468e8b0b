#!/usr/bin/env bash
# Installs the app into .venv (first run only) and serves the bundled demo data.
# Arguments go to `barometer serve` (e.g. --port 8060).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh ""
exec .venv/bin/barometer serve "$@"
