#!/usr/bin/env bash
# Installs what the test suite needs when it is missing: Python tools from the
# package index, Debian's Chromium for the browser tours (a tour must never skip
# for want of a browser), Debian's wkhtmltopdf for the invoice PDFs and
# poppler-utils' pdftotext, with which the tests read a PDF back as text. The
# Debian installs are functions of tools/common.sh, which `make demo` uses too.
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

ensure_chromium
ensure_wkhtmltopdf
ensure_pdftotext
