#!/usr/bin/env bash
# The project-local PostgreSQL cluster.
#
#   tools/pg.sh start | stop | status | psql [args]
#
# When the environment names a database server (PGHOST, with PGPORT, PGUSER and
# PGPASSWORD as libpq reads them), that server is used and no cluster is started.
# Otherwise a cluster lives in .local/pg: created on first use with initdb, its own
# port (AGENCY_PG_PORT, default derived from the checkout's path so that two
# checkouts never collide) and its own socket folder, no TCP listener, and reused
# on the next run. PostgreSQL refuses to run as root, so as root the cluster runs
# as the `postgres` system user. It is a disposable development cluster: fsync is
# off for speed.
#
# When sourced, it defines pg_up / pg_down and the AGENCY_DB_* variables.

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

pg_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
  die "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install PostgreSQL >= 12 (Debian: apt-get install postgresql) or set PGHOST to use a running server."
}

# Runs a command as the cluster's owner: ourselves, or `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_paths() {
  PG_HOME="$LOCAL/pg"
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$LOCAL"
    # The postgres user must be able to reach the folder; a checkout under a
    # private home folder is not reachable, so fall back to a folder of our own.
    if ! runuser -u postgres -- test -x "$LOCAL" 2>/dev/null; then
      PG_HOME="${TMPDIR:-/tmp}/agency-pg-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
    fi
  fi
  PG_DATA="$PG_HOME/data"
  PG_SOCK="$PG_HOME/run"
  PG_LOG="$PG_HOME/postgresql.log"
  PG_PORT="${AGENCY_PG_PORT:-$((54000 + $(printf '%s' "$ROOT" | cksum | cut -d' ' -f1) % 900))}"
}

pg_env() {
  if [ -n "${PGHOST:-}" ]; then
    AGENCY_DB_HOST="$PGHOST"
    AGENCY_DB_PORT="${PGPORT:-5432}"
    AGENCY_DB_USER="${PGUSER:-$(id -un)}"
    AGENCY_DB_PASSWORD="${PGPASSWORD:-False}"
    AGENCY_PG_EXTERNAL=1
  else
    pg_paths
    AGENCY_DB_HOST="$PG_SOCK"
    AGENCY_DB_PORT="$PG_PORT"
    AGENCY_DB_USER="odoo"
    AGENCY_DB_PASSWORD="False"
    AGENCY_PG_EXTERNAL=0
  fi
  export AGENCY_DB_HOST AGENCY_DB_PORT AGENCY_DB_USER AGENCY_DB_PASSWORD AGENCY_PG_EXTERNAL
}

pg_running() {
  [ -f "$PG_DATA/postmaster.pid" ] && as_owner "$(pg_bindir)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

# Starts the local cluster if needed. Sets AGENCY_PG_STARTED=1 when this call started it.
pg_up() {
  AGENCY_PG_STARTED=0
  pg_env
  if [ "$AGENCY_PG_EXTERNAL" = 1 ]; then
    say "Using the PostgreSQL server named by PGHOST ($PGHOST)"
    return
  fi
  local bindir
  bindir=$(pg_bindir)
  mkdir -p "$PG_HOME"
  [ "$(id -u)" = 0 ] && chown postgres: "$PG_HOME"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    say "Creating the project-local PostgreSQL cluster in $PG_DATA"
    as_owner "$bindir/initdb" -D "$PG_DATA" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_HOME/initdb.log" 2>&1 \
      || { cat "$PG_HOME/initdb.log" >&2; die "initdb failed (log above)."; }
    as_owner mkdir -p "$PG_SOCK"
    as_owner tee -a "$PG_DATA/postgresql.conf" >/dev/null <<EOF
# project-local settings (tools/pg.sh)
listen_addresses = ''
unix_socket_directories = '$PG_SOCK'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 512MB
work_mem = 32MB
max_connections = 200
EOF
  fi
  if pg_running; then
    return
  fi
  say "Starting PostgreSQL (socket $PG_SOCK, port $PG_PORT)"
  as_owner "$bindir/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -o "-p $PG_PORT -k $PG_SOCK" -w -t 60 start >/dev/null \
    || { tail -20 "$PG_LOG" >&2; die "PostgreSQL did not start (log: $PG_LOG)."; }
  AGENCY_PG_STARTED=1
}

pg_down() {
  pg_env
  [ "$AGENCY_PG_EXTERNAL" = 1 ] && return
  if pg_running; then
    say "Stopping PostgreSQL"
    as_owner "$(pg_bindir)/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
  fi
}

pg_psql() {
  pg_env
  PGHOST="$AGENCY_DB_HOST" PGPORT="$AGENCY_DB_PORT" PGUSER="$AGENCY_DB_USER" \
    "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -d postgres "$@"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start) pg_up ;;
    stop) pg_down ;;
    status) pg_env; if [ "$AGENCY_PG_EXTERNAL" = 1 ] || pg_running; then echo "running: $AGENCY_DB_HOST port $AGENCY_DB_PORT"; else echo "stopped"; exit 3; fi ;;
    psql) shift; pg_psql "$@" ;;
    *) echo "usage: tools/pg.sh start|stop|status|psql [args]" >&2; exit 64 ;;
  esac
fi
