"""Runs one benchmark operation in one database and prints one JSON line.

    python3 tests/bench/worker.py --config .local/odoo.conf --database DB \
        --operation create_lines --lines 10000 --employees 50 --days 90

Each operation runs in a fresh process (a fresh registry and cache), is timed
around the operation only (not the data set it needs), counts the SQL queries it
sends, and rolls back so the database can serve the next operation.
"""

import argparse
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(__file__))))

import odoo
from odoo import SUPERUSER_ID, api

from tests.bench import dataset


def op_create_lines(env, args):
    staff, tasks = dataset.build_people(env, args.employees)
    values = dataset.line_values(staff, tasks, args.lines, args.days)
    env.flush_all()
    start_queries = env.cr.sql_log_count
    start = time.perf_counter()
    lines = dataset.create_lines(env, values)
    env.flush_all()
    seconds = time.perf_counter() - start
    assert len(lines) == args.lines
    return seconds, env.cr.sql_log_count - start_queries


OPERATIONS = {
    "create_lines": op_create_lines,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--operation", required=True, choices=sorted(OPERATIONS))
    parser.add_argument("--lines", type=int, default=10000)
    parser.add_argument("--employees", type=int, default=50)
    parser.add_argument("--days", type=int, default=90)
    args = parser.parse_args()

    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        seconds, queries = OPERATIONS[args.operation](env, args)
        cr.rollback()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "operation": args.operation,
                "database": args.database,
                "lines": args.lines,
                "seconds": round(seconds, 3),
                "queries": queries,
                "peak_mb": round(peak_mb),
            }
        )
    )


if __name__ == "__main__":
    main()
