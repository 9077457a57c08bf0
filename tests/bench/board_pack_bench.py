"""Benchmark row of issue 15 (the board pack XLSX), one run, rolled back.

    python3 tests/bench/board_pack_bench.py --config .local/odoo.conf \
        --database DB [--people 150] [--days 365]

For `people` people with a role logging one approved entry a working day for
`days` days (a 150-person year by default), builds a board pack's XLSX (every
section, then the workbook, as the cron job's batches do; not the PDF) and
prints one JSON line: seconds, queries and the tracemalloc peak, then the same
with twice the entries (two a day): the peak must stay flat (the sections read
aggregates, never a row per entry). Target: ≤ 5 s for the 150-person year.

Kept apart from worker.py / run.py (another branch reworks them): the
coordinator wires this row into ``make bench``.
"""

import argparse
import json
import os
import sys
import time
import tracemalloc
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(__file__))))

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def staff(env, count):
    Role = env["agency.role"]
    role = Role.search([], limit=1)
    return env["hr.employee"].create(
        [{"name": f"Pack bench {n}", "role_id": role.id} for n in range(count)]
    )


def entries(env, people, first, days, per_day=1):
    """Approved entries on one client project (SQL for the approval: a bench
    of the reads, not of the approvals)."""
    project = env["project.project"].search(
        [("allow_timesheets", "=", True), ("partner_id", "!=", False)], limit=1
    )
    values = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for person in people:
            for _n in range(per_day):
                values.append(
                    {
                        "name": "Bench work",
                        "project_id": project.id,
                        "employee_id": person.id,
                        "date": day,
                        "unit_amount": 8.0 / per_day,
                    }
                )
    lines = env["account.analytic.line"].create(values)
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE account_analytic_line SET approval_state = 'approved' "
            "WHERE id = ANY(%s)",
            lines.ids,
        )
    )
    env.invalidate_all()
    return len(lines)


def build(env, today):
    pack = env["agency.board.pack"].create({"name": "Bench pack", "date": today})
    env.invalidate_all()
    env.flush_all()
    queries = env.cr.sql_log_count
    tracemalloc.start()
    start = time.perf_counter()
    while pack.step < 7:  # every section, then the XLSX (the PDF not timed)
        pack._agency_build_step()
        if pack.state == "failed":
            sys.exit(pack.error)
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(seconds, 3), env.cr.sql_log_count - queries, round(peak / 2**20, 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    registry = odoo.modules.registry.Registry(args.database)
    today = date(2026, 3, 18)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        people = staff(env, args.people)
        first = today - timedelta(days=args.days)
        total = 0
        for _size in (1, 2):  # then twice the entries: one more each day
            total += entries(env, people, first, args.days, 1)
            seconds, queries, peak = build(env, today)
            print(
                json.dumps(
                    {
                        "row": "board pack XLSX",
                        "people": args.people,
                        "days": args.days,
                        "bench_entries": total,
                        "seconds": seconds,
                        "queries": queries,
                        "peak_mb": peak,
                        "target_seconds": 5.0,
                    }
                )
            )
        cr.rollback()


if __name__ == "__main__":
    main()
