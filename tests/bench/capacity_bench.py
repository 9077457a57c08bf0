"""Benchmark rows of issue 14 (capacity and the heatmap), one run, rolled back.

    python3 tests/bench/capacity_bench.py --config .local/odoo.conf --database DB \
        [--people 150] [--days 182] [--weeks 26] [--bookings 5000]

Prints one JSON line per row:

- ``capacity``: agency.capacity._agency_capacity for N people × D days, beside
  stock resource's ``_work_intervals_batch`` for the same people and days;
- ``heatmap``: agency.capacity.agency_heatmap_data over W weeks for the N
  people with B bookings, and its query count for a smaller grid (a third of
  the people, a third of the weeks): the two counts must be equal.

Kept apart from worker.py / run.py (another branch reworks them): the
coordinator wires these rows into ``make bench``.
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(__file__))))

import pytz

import odoo
from odoo import SUPERUSER_ID, api


def people(env, count):
    """`count` people with a role, on the company calendar or a part-time one."""
    Role = env["agency.role"]
    role = Role.search([], limit=1) or Role.create({"name": "Bench", "code": "BENCH"})
    calendar = env.company.resource_calendar_id
    part = calendar.copy({"name": "Bench part-time"})
    part.attendance_ids.filtered(lambda a: a.dayofweek == "4").unlink()
    return env["hr.employee"].create(
        [
            {
                "name": f"Bench person {n}",
                "role_id": role.id,
                "resource_calendar_id": (part if n % 4 == 0 else calendar).id,
                "tz": "Europe/Brussels",
            }
            for n in range(count)
        ]
    )


def timed(env, func):
    env.invalidate_all()
    env.flush_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    func()
    return round(time.perf_counter() - start, 3), env.cr.sql_log_count - queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--days", type=int, default=182)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--bookings", type=int, default=5000)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        staff = people(env, args.people)
        first = date(2026, 3, 2)
        last = first + timedelta(days=args.days - 1)
        Capacity = env["agency.capacity"]
        ours = timed(env, lambda: Capacity._agency_capacity(staff, first, last))
        zone = pytz.timezone("Europe/Brussels")
        start = zone.localize(datetime.combine(first, dtime()))
        end = zone.localize(datetime.combine(last + timedelta(days=1), dtime()))

        def stock():
            for calendar, resources in staff.grouped("resource_calendar_id").items():
                calendar._work_intervals_batch(start, end, resources.resource_id)

        theirs = timed(env, stock)
        print(
            json.dumps(
                {
                    "row": "capacity",
                    "people": args.people,
                    "days": args.days,
                    "seconds": ours[0],
                    "queries": ours[1],
                    "stock_work_intervals_batch_seconds": theirs[0],
                    "stock_queries": theirs[1],
                }
            )
        )
        projects = env["project.project"].search(
            [("allow_timesheets", "=", True)], limit=50
        )
        rng = random.Random(14)
        week_first = first - timedelta(weeks=args.weeks // 2)
        values = []
        for _n in range(args.bookings):
            employee = staff[rng.randrange(len(staff))]
            begin = week_first + timedelta(days=rng.randrange(7 * args.weeks))
            values.append(
                {
                    "employee_id": employee.id,
                    "project_id": projects[rng.randrange(len(projects))].id,
                    "date_from": begin,
                    "date_to": begin + timedelta(days=rng.randrange(7, 35)),
                    "hours": rng.choice((4.0, 8.0, 16.0)),
                    "state": rng.choice(("confirmed", "tentative")),
                }
            )
        env["agency.booking"].create(values)
        team = env["hr.department"].create({"name": "Bench third"})
        staff[: len(staff) // 3].department_id = team
        full = timed(env, lambda: Capacity.agency_heatmap_data(week_first, args.weeks))
        small = timed(
            env,
            lambda: Capacity.agency_heatmap_data(
                week_first, max(1, args.weeks // 3), {"department_ids": team.ids}
            ),
        )
        print(
            json.dumps(
                {
                    "row": "heatmap",
                    "people": args.people,
                    "weeks": args.weeks,
                    "bookings": args.bookings,
                    "entries": env["account.analytic.line"].search_count([]),
                    "seconds": full[0],
                    "queries": full[1],
                    "smaller_grid_queries": small[1],
                }
            )
        )
        cr.rollback()


if __name__ == "__main__":
    main()
