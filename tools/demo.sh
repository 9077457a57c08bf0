#!/usr/bin/env bash
# `make demo`: the demo agency in a browser.
#
# Creates the database agency_demo (the three add-ons with Odoo's demo data and the
# demo agency) on first run, reuses it afterwards, and serves Odoo on
# http://localhost:8069 until Ctrl-C. DEMO_DB and DEMO_PORT override the name and
# the port; DEMO_RESET=1 drops the database and builds it anew (the demo agency is
# generated relative to today, so a reset brings its dates up to date).
set -euo pipefail
# shellcheck source=tools/pg.sh
source "$(dirname "${BASH_SOURCE[0]}")/pg.sh"
cd "$ROOT"

require_odoo
# The accountant prints and sends the invoices of the billing runs as PDF.
ensure_wkhtmltopdf
DB="${DEMO_DB:-agency_demo}"
PORT="${DEMO_PORT:-8069}"

pg_up
CONF=$(write_odoo_conf)

if [ "${DEMO_RESET:-0}" = 1 ]; then
  say "Dropping $DB"
  pg_psql -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null
  rm -rf "$LOCAL/data/filestore/$DB"
fi

installed=$(pg_psql -d "$DB" -Atc "SELECT count(*) FROM ir_module_module WHERE name = 'agency_forecast' AND state = 'installed'" 2>/dev/null || echo 0)
if [ "$installed" != 1 ]; then
  pg_psql -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null
  rm -rf "$LOCAL/data/filestore/$DB"
  say "Building the demo agency in $DB (a few minutes, once)"
  "$PYTHON" "$ROOT/tools/install.py" --config "$CONF" --database "$DB" --modules "$ADDONS" --demo
else
  say "Updating the add-ons in $DB"
  "$PYTHON" "$ROOT/tools/install.py" --config "$CONF" --database "$DB" --modules "$ADDONS" --demo --update
fi

cat <<EOF

  The demo agency is ready:  http://localhost:$PORT

  Log in as  admin / admin        (Agency administrator: everything)
             paula / paula        (Producer: approves her projects' time)
             priya / priya        (Producer: early warnings to act on)
             bruno / bruno        (Billing: rates, billing runs, invoices, margins)
             dani  / dani         (Designer: her own time)

  The Agency menu is in the app switcher. Ctrl-C stops the server
  (the database stays; DEMO_RESET=1 make demo rebuilds it).

EOF
# Odoo restarts itself in place (os.execve of its own command line) when a
# request or a cron batch outruns its time limit. `python3 -m odoo` cannot be
# re-executed that way (its __main__ is then run as a plain script and fails on
# its relative import), so the server is started from a two-line launcher in
# .local/. On a fresh database every cron is due at once and the first batch
# takes minutes on a small machine: the demo gives cron batches half an hour.
LAUNCHER="$LOCAL/odoo-server.py"
printf '%s\n' '"""Starts Odoo (written by tools/demo.sh; re-executable by Odoo itself)."""' \
  'import odoo.cli' 'odoo.cli.main()' >"$LAUNCHER"
exec "$PYTHON" "$LAUNCHER" -c "$CONF" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" --log-level=info \
  --limit-time-real-cron=1800 \
  --max-cron-threads=1
