#!/usr/bin/env bash
# `make bench`: the benchmark table, stock Odoo 18 beside the add-ons, same data,
# one run. Builds two throwaway databases without demo data: one with the stock
# modules the add-ons build on, one with the add-ons too. BENCH_MAX_LINES=10000
# keeps to the small sizes; BENCH_ONLY=resolve_rates runs only that worker
# operation; KEEP_DB=1 keeps both databases for the next run (each worker
# operation VACUUMs its database first, so kept databases time as fresh ones).
set -euo pipefail
# shellcheck source=tools/pg.sh
source "$(dirname "${BASH_SOURCE[0]}")/pg.sh"
cd "$ROOT"
require_odoo

STOCK_DB=agency_bench_stock
ADDONS_DB=agency_bench_addons
STOCK_MODULES="hr_timesheet,project,calendar,resource,account,hr_expense,sale_timesheet"

cleanup() {
  local rc=$?
  if [ "${KEEP_DB:-0}" != 1 ]; then
    for db in "$STOCK_DB" "$ADDONS_DB"; do
      pg_psql -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
      rm -rf "$LOCAL/data/filestore/$db"
    done
    [ "${AGENCY_PG_STARTED:-0}" = 1 ] && pg_down
  fi
  exit $rc
}
trap cleanup EXIT INT TERM

pg_up
CONF=$(write_odoo_conf)
exists() { [ "$(pg_psql -Atc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }
if ! exists "$STOCK_DB"; then
  say "Building $STOCK_DB (stock modules, no demo data)"
  "$PYTHON" tools/install.py --config "$CONF" --database "$STOCK_DB" --modules "$STOCK_MODULES"
fi
if ! exists "$ADDONS_DB"; then
  say "Building $ADDONS_DB (stock modules and the add-ons, no demo data)"
  pg_psql -c "CREATE DATABASE \"$ADDONS_DB\" TEMPLATE \"$STOCK_DB\"" >/dev/null
  "$PYTHON" tools/install.py --config "$CONF" --database "$ADDONS_DB" --modules "$ADDONS"
fi
say "Measuring"
"$PYTHON" tests/bench/run.py --config "$CONF" --stock-db "$STOCK_DB" --addons-db "$ADDONS_DB"
