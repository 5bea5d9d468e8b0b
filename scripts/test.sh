#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine, then runs lint, types and tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Chromium for the browser tests, Redis for the shared-cache test.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v redis-server >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver redis-server >/dev/null
fi
python3 -m pip install -q -e ".[test]"

python3 -m ruff check .
python3 -m mypy
python3 -m pytest --headless "$@"
