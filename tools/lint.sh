#!/usr/bin/env bash
# `make lint`: ruff (lint and format), pylint-odoo's mandatory checks and OCA's
# module checks (XML, CSV, manifest), as OCA's 18.0 pre-commit runs them.
set -euo pipefail
# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
MODULES=(agency_timesheet agency_billing agency_forecast)
say "Lint: ruff"
ruff check .
ruff format --check .
say "Lint: pylint-odoo (mandatory checks, settings in setup.cfg)"
"$PYTHON" -m pylint --rcfile=setup.cfg "${MODULES[@]}"
say "Lint: OCA module checks (XML, CSV, manifests)"
oca-checks-odoo-module "${MODULES[@]}"
