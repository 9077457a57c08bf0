# Shared settings for the project's scripts (sourced, never run).
#
# Everything the scripts create lives in .local/ (ignored by git): the PostgreSQL
# cluster, the Odoo configuration file and the filestore. Nothing outside it is
# touched, except Debian packages and PyPI tools that `make test` installs when
# they are missing.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL="$ROOT/.local"
ADDONS="agency_timesheet,agency_billing,agency_forecast"
PYTHON=${PYTHON:-python3}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Installs Debian packages (as root, or through sudo). The package lists are
# refreshed first when apt does not know the packages yet (a fresh machine has no
# lists); otherwise apt-get update runs only if the install fails on stale lists.
# Arguments starting with - are options of apt-get install.
apt_install() {
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || return 1
    sudo=(sudo)
  fi
  local pkg known=1
  for pkg in "$@"; do
    [[ "$pkg" == -* ]] && continue
    apt-cache show "$pkg" >/dev/null 2>&1 || known=0
  done
  if [ "$known" = 0 ]; then
    "${sudo[@]}" apt-get update -qq || return 1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null ||
    { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq "$@" >/dev/null; }
}

# Debian's Chromium, for the browser tours (a tour must never skip for want of a
# browser).
find_chrome() {
  local bin
  for bin in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$bin" >/dev/null 2>&1 && return 0
  done
  return 1
}
ensure_chromium() {
  find_chrome && return 0
  say "Installing Chromium (Debian package) for the browser tours"
  apt_install chromium || true
  find_chrome || die "Chromium is required for the browser tours: install Debian's 'chromium' package."
}

# Debian's wkhtmltopdf, with which Odoo prints reports (invoice PDFs): without
# it Odoo prints no PDF ("You need Wkhtmltopdf to print a pdf version of the
# reports"). Debian's build runs headless, so the X server it recommends (xvfb)
# is left out.
ensure_wkhtmltopdf() {
  ensure_debian_command wkhtmltopdf wkhtmltopdf "to print invoices as PDF"
}

# Debian's poppler-utils: the board pack test reads its PDF back as text with
# pdftotext (the numbers a reader sees, not the bytes).
ensure_pdftotext() {
  ensure_debian_command pdftotext poppler-utils "to read PDFs back as text in the tests"
}

# ensure_debian_command COMMAND PACKAGE WHY: installs Debian's PACKAGE (without
# its recommends) when COMMAND is missing, or stops saying what to install.
ensure_debian_command() {
  command -v "$1" >/dev/null 2>&1 && return 0
  say "Installing $2 (Debian package) $3"
  apt_install --no-install-recommends "$2" || true
  command -v "$1" >/dev/null 2>&1 ||
    die "$1 is required $3: install Debian's '$2' package."
}

# Odoo 18 must be importable by $PYTHON: it is a prerequisite, never part of this repo.
require_odoo() {
  local version
  if ! version=$("$PYTHON" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null); then
    cat >&2 <<EOF

Odoo is not importable: '$PYTHON -c "import odoo"' fails on this machine.
These add-ons are Odoo 18.0 modules and every test runs against the real Odoo
and a real PostgreSQL, so nothing can run without it. Install Odoo 18.0
(Community or Enterprise) for $PYTHON, the way Odoo's documentation installs it
from source: put its source folder on the Python path (for example a .pth file in
site-packages naming it) and install its requirements.txt. Then run this again.

EOF
    exit 2
  fi
  if [ "$version" != "18" ]; then
    die "'$PYTHON' imports Odoo $version; these add-ons need Odoo 18.0."
  fi
}

# The addons path: Odoo's own add-ons folders (wherever Odoo is installed), then
# ODOO_EXTRA_ADDONS (for example Enterprise), then this repo.
odoo_addons_path() {
  "$PYTHON" - "$ROOT" "${ODOO_EXTRA_ADDONS:-}" <<'EOF'
import os
import sys

import odoo

base = os.path.dirname(odoo.__file__)
paths = [os.path.join(base, "addons"), os.path.normpath(os.path.join(base, "..", "addons"))]
paths += [p for p in sys.argv[2].split(",") if p]
paths.append(sys.argv[1])
print(",".join(p for p in paths if os.path.isdir(p)))
EOF
}

# Writes .local/odoo.conf for the database server in use (see tools/pg.sh).
write_odoo_conf() {
  local conf="$LOCAL/odoo.conf"
  mkdir -p "$LOCAL/data"
  {
    echo "[options]"
    echo "addons_path = $(odoo_addons_path)"
    echo "data_dir = $LOCAL/data"
    echo "db_host = ${AGENCY_DB_HOST}"
    echo "db_port = ${AGENCY_DB_PORT}"
    echo "db_user = ${AGENCY_DB_USER}"
    echo "db_password = ${AGENCY_DB_PASSWORD:-False}"
    echo "list_db = True"
    echo "log_level = ${ODOO_LOG_LEVEL:-warn}"
    echo "max_cron_threads = 0"
  } >"$conf"
  echo "$conf"
}
