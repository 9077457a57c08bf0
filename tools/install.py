"""Install Odoo modules into a database, failing loudly on any error.

Odoo logs most install problems (a view that does not validate, demo data that
fails and is skipped) and still exits 0. This wrapper streams Odoo's output,
fails when Odoo logs an ERROR or CRITICAL line, and checks afterwards that every
requested module is really installed.

    python3 tools/install.py --config .local/odoo.conf --database DB \
        --modules agency_timesheet,agency_billing [--demo] [--update]
"""

import argparse
import configparser
import re
import subprocess
import sys

import psycopg2

ERROR_LINE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")


def connect(config_path, database):
    parser = configparser.ConfigParser()
    parser.read(config_path)
    opts = parser["options"]

    def opt(name):
        value = opts.get(name, "False")
        return None if value in ("False", "") else value

    return psycopg2.connect(
        dbname=database,
        host=opt("db_host"),
        port=opt("db_port"),
        user=opt("db_user"),
        password=opt("db_password"),
    )


def run_odoo(args):
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "-c",
        args.config,
        "-d",
        args.database,
        "--update" if args.update else "--init",
        args.modules,
        "--stop-after-init",
        "--no-http",
        "--log-level=warn",
    ]
    if not args.demo:
        cmd.append("--without-demo=all")
    errors = []
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as proc:
        for line in proc.stdout:
            if "Running as user 'root' is a security risk" in line:
                continue
            sys.stdout.write(line)
            if ERROR_LINE.match(line):
                errors.append(line.strip())
    return proc.returncode, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--modules", required=True)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args()

    returncode, errors = run_odoo(args)
    if returncode:
        sys.exit(f"Odoo exited with code {returncode} while installing {args.modules}.")
    if errors:
        sys.exit(
            f"Odoo logged {len(errors)} error(s) while installing {args.modules} "
            "(see above); the first one:\n  " + errors[0]
        )
    wanted = args.modules.split(",")
    with connect(args.config, args.database) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT name, state, demo FROM ir_module_module WHERE name = ANY(%s)",
            (wanted,),
        )
        states = {name: (state, demo) for name, state, demo in cr.fetchall()}
    for name in wanted:
        state, demo = states.get(name, ("missing", False))
        if state != "installed":
            sys.exit(f"Module {name} is {state} in {args.database}, not installed.")
        if args.demo and not demo:
            sys.exit(f"Module {name} is installed without its demo data.")
    print(f"Installed {args.modules} in {args.database}.")


if __name__ == "__main__":
    main()
