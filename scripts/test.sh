#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine, then runs lint, types and tests.
# Arguments go to pytest (e.g. `bash scripts/test.sh tests/unit -x`).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Chromium for browser tests and images, Redis and nginx for the cache and
# scale-out tests, python3-venv for the virtual environment.
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v redis-server >/dev/null || need+=(redis-server)
command -v nginx >/dev/null || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
source scripts/venv.sh test

# axe-core audits the page for WCAG problems in the browser tests; npm keeps it out of the repo.
AXE_VERSION=4.11.0
if [ ! -f .cache/node/node_modules/axe-core/axe.min.js ] \
   || ! grep -q "\"version\": \"$AXE_VERSION\"" .cache/node/node_modules/axe-core/package.json; then
  command -v npm >/dev/null || { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"; $SUDO apt-get update -qq;
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null; }
  npm install --silent --no-save --no-audit --no-fund --prefix .cache/node "axe-core@$AXE_VERSION" >/dev/null
fi

python -m ruff check .
python -m mypy
python -m pytest --headless "$@"
