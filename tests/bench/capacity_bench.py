"""Benchmark rows of issue 14 (capacity and the heatmap), one run, rolled back.

    python3 tests/bench/capacity_bench.py --config .local/odoo.conf --database DB \
        [--people 150] [--days 182] [--weeks 26] [--bookings 5000]

Prints one JSON line per row:

- ``capacity``: agency.capacity._agency_capacity for N people × D days, beside
  stock resource's ``_work_intervals_batch`` for the same people and days;
- ``heatmap``: agency.capacity.agency_heatmap_data over W weeks for the N
  people with B bookings, and its query count for a smaller grid (a third of
  the people, a third of the weeks): the two counts must be equal.

The same rows are rows of ``make bench`` (tests/bench/run.py, operations
``capacity_stock`` / ``capacity`` / ``heatmap`` of worker.py, which use the
helpers below); this script runs them alone on any database.
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

FIRST = date(2026, 3, 2)  # a Monday: the capacity row's first day


def people(env, count):
    """`count` people (with a role when the add-ons are installed), on the
    company calendar or a part-time one (every fourth: no Fridays)."""
    role = {}
    if "agency.role" in env:
        Role = env["agency.role"]
        found = Role.search([], limit=1)
        role = {
            "role_id": (found or Role.create({"name": "Bench", "code": "BENCH"})).id
        }
    calendar = env.company.resource_calendar_id
    part = calendar.copy({"name": "Bench part-time"})
    part.attendance_ids.filtered(lambda a: a.dayofweek == "4").unlink()
    return env["hr.employee"].create(
        [
            {
                "name": f"Bench person {n}",
                "resource_calendar_id": (part if n % 4 == 0 else calendar).id,
                "tz": "Europe/Brussels",
                **role,
            }
            for n in range(count)
        ]
    )


def stock_capacity(staff, first, last):
    """Stock resource's batch: _work_intervals_batch per calendar, for the
    same people and days."""
    zone = pytz.timezone("Europe/Brussels")
    start = zone.localize(datetime.combine(first, dtime()))
    end = zone.localize(datetime.combine(last + timedelta(days=1), dtime()))
    for calendar, resources in staff.grouped("resource_calendar_id").items():
        calendar._work_intervals_batch(start, end, resources.resource_id)


def book(env, staff, week_first, weeks, count):
    """`count` bookings of the people over the weeks (seeded)."""
    projects = env["project.project"].search(
        [("allow_timesheets", "=", True)], limit=50
    )
    if not projects:
        projects = env["project.project"].create(
            {"name": "Bench bookings", "allow_timesheets": True}
        )
    rng = random.Random(14)
    values = []
    for _n in range(count):
        employee = staff[rng.randrange(len(staff))]
        begin = week_first + timedelta(days=rng.randrange(7 * weeks))
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
    return projects


def log_time(env, staff, projects, first, last):
    """Two entries a working day for each person from `first` to `last`
    (SQL, with their role: the time the heatmap's past weeks read)."""
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO account_analytic_line
            (name, date, amount, unit_amount, account_id, company_id, project_id,
             employee_id, role_id, product_uom_id, category, approval_state,
             create_date, write_date, create_uid, write_uid)
        SELECT 'Bench logged', d::date, 0, 3.5, p.account_id, p.company_id, p.id,
               e.id, e.role_id, %(uom)s, 'other', 'draft', now(), now(), 1, 1
          FROM generate_series(%(first)s::date, %(last)s::date, '1 day') AS d,
               generate_series(1, 2) AS n,
               hr_employee e,
               project_project p
         WHERE e.id = ANY(%(staff)s)
           AND p.id = (%(projects)s::int[])[1 + (e.id + n) %% %(nprojects)s]
           AND extract(isodow FROM d) < 6
        """,
        {
            "uom": env.company.project_time_mode_id.id,
            "first": first,
            "last": last,
            "staff": staff.ids,
            "projects": projects.ids,
            "nprojects": len(projects),
        },
    )
    return env.cr.rowcount


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
        first = FIRST
        last = first + timedelta(days=args.days - 1)
        Capacity = env["agency.capacity"]
        ours = timed(env, lambda: Capacity._agency_capacity(staff, first, last))
        theirs = timed(env, lambda: stock_capacity(staff, first, last))
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
        week_first = first - timedelta(weeks=args.weeks // 2)
        book(env, staff, week_first, args.weeks, args.bookings)
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
