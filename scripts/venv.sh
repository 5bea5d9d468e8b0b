#!/usr/bin/env bash
# Sourced by run.sh and test.sh: make (once) and activate .venv with the project installed.
# Debian's system python3 refuses `pip install` outside a virtual environment (PEP 668), so
# everything goes into .venv; python3-venv is installed where the interpreter lacks it.
# Usage: source scripts/venv.sh [extras]     e.g. `source scripts/venv.sh test`
set -euo pipefail
PYTHON="${PYTHON:-python3}"
VENV="${BAROMETER_VENV:-.venv}"
extras="${1:-}"

_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -m venv "$VENV" >/dev/null 2>&1; then
    rm -rf "$VENV"
    echo "installing python3-venv (Debian) so that $PYTHON can make a virtual environment" >&2
    _as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -qq python3-venv >/dev/null
    "$PYTHON" -m venv "$VENV"
  fi
fi

# Reinstall only when pyproject.toml changed, or these extras were not installed with it.
stamp="$VENV/.barometer-installed"
hash="$(sha256sum pyproject.toml | cut -c1-16)"
read -r have_hash have_extras < "$stamp" 2>/dev/null || true
if [ "${have_hash:-}" != "$hash" ] || { [ -n "$extras" ] && [ "${have_extras:-}" != "$extras" ]; }; then
  "$VENV/bin/python" -m pip install -q --upgrade pip
  spec="."
  [ -n "$extras" ] && spec=".[${extras}]"
  "$VENV/bin/python" -m pip install -q -e "$spec"
  echo "$hash $extras" > "$stamp"
fi
export PATH="$PWD/$VENV/bin:$PATH"
