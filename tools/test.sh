#!/usr/bin/env bash
# `make test`: lint, then install the three add-ons (with demo data) into a fresh
# throwaway database and run every test with pytest-odoo against it.
#
#   tools/test.sh [pytest args...]      e.g. tools/test.sh -k rate agency_billing
#
# Environment: SKIP_LINT=1 skips the linters; KEEP_DB=1 keeps the database
# (its name is printed) for a look afterwards; PGHOST uses a running server.
set -euo pipefail
# shellcheck source=tools/pg.sh
source "$(dirname "${BASH_SOURCE[0]}")/pg.sh"
cd "$ROOT"

require_odoo
"$ROOT/tools/ensure_tools.sh"

if [ "${SKIP_LINT:-0}" != 1 ]; then
  "$ROOT/tools/lint.sh"
fi

DB="agency_test_$(date +%s)_$$"
cleanup() {
  local rc=$?
  if [ "${KEEP_DB:-0}" = 1 ]; then
    say "Kept database $DB"
  else
    for db in "$DB" "${DB}_uninstall" "${DB}_probe"; do
      pg_psql -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
      rm -rf "$LOCAL/data/filestore/$db"
    done
  fi
  if [ "${AGENCY_PG_STARTED:-0}" = 1 ] && [ "${KEEP_DB:-0}" != 1 ]; then
    pg_down
  fi
  exit $rc
}
trap cleanup EXIT INT TERM

pg_up
CONF=$(write_odoo_conf)

say "Installing $ADDONS with demo data into $DB"
"$PYTHON" "$ROOT/tools/install.py" --config "$CONF" --database "$DB" --modules "$ADDONS" --demo

# A copy for tests/test_coexistence.py, which uninstalls the add-ons from it.
pg_psql -c "CREATE DATABASE \"${DB}_uninstall\" TEMPLATE \"$DB\"" >/dev/null
[ -d "$LOCAL/data/filestore/$DB" ] && cp -r "$LOCAL/data/filestore/$DB" "$LOCAL/data/filestore/${DB}_uninstall"
export AGENCY_UNINSTALL_DB="${DB}_uninstall"
# A copy for tests/test_probe.py, which commits its data there and serves it
# with a multi-process server.
pg_psql -c "CREATE DATABASE \"${DB}_probe\" TEMPLATE \"$DB\"" >/dev/null
[ -d "$LOCAL/data/filestore/$DB" ] && cp -r "$LOCAL/data/filestore/$DB" "$LOCAL/data/filestore/${DB}_probe"
export AGENCY_PROBE_DB="${DB}_probe"

if [ $# -eq 0 ]; then
  # Ours, and stock Odoo's own timesheet and sale-timesheet suites: with the
  # add-ons installed, stock flows must behave exactly as before.
  mapfile -t STOCK_TESTS < <("$PYTHON" - "$CONF" <<'PY'
import os
import sys

import odoo
from odoo.modules.module import get_module_path

odoo.tools.config.parse_config(["-c", sys.argv[1]])
for module, test in (
    ("hr_timesheet", "test_timesheet.py"),
    ("sale_timesheet", "test_sale_timesheet.py"),
):
    print(os.path.join(get_module_path(module), "tests", test))
PY
)
  set -- agency_timesheet agency_billing agency_forecast tests "${STOCK_TESTS[@]}"
fi

say "Running the tests"
export AGENCY_PROBE_SUMMARY="$LOCAL/probe_summary.txt"
rm -f "$AGENCY_PROBE_SUMMARY"
set +e
"$PYTHON" -m pytest -c setup.cfg --odoo-config="$CONF" --odoo-database="$DB" --odoo-http "$@"
rc=$?
set -e
if [ -f "$AGENCY_PROBE_SUMMARY" ]; then
  say "The RPC probe suite (tests/test_probe.py)"
  cat "$AGENCY_PROBE_SUMMARY"
fi
exit $rc
