#!/usr/bin/env bash
# Installs what the test suite needs when it is missing: Python tools from the
# package index, and Debian's Chromium for the browser tours (a tour must never
# skip for want of a browser).
set -euo pipefail
# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

missing=()
"$PYTHON" -c "import pytest_odoo" 2>/dev/null || missing+=("pytest-odoo")
"$PYTHON" -c "import freezegun" 2>/dev/null || missing+=("freezegun")
"$PYTHON" -c "import websocket" 2>/dev/null || missing+=("websocket-client")
"$PYTHON" -c "import pylint_odoo" 2>/dev/null || missing+=("pylint-odoo")
command -v ruff >/dev/null 2>&1 || missing+=("ruff")
command -v oca-checks-odoo-module >/dev/null 2>&1 || missing+=("oca-odoo-pre-commit-hooks")
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing Python tools: ${missing[*]}"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
fi

find_chrome() {
  local bin
  for bin in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$bin" >/dev/null 2>&1 && return 0
  done
  return 1
}
if ! find_chrome; then
  say "Installing Chromium (Debian package) for the browser tours"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  find_chrome || die "Chromium is required for the browser tours: install Debian's 'chromium' package."
fi
