"""The board pack row of `make bench` (issue 15): its data and its build.

worker.py's ``board_pack`` operation (run.py's row "board pack XLSX,
150-person year", target 5 s): `lines` people with a role, each logging
one approved entry a working day for a year on one client project, then a
board pack's XLSX built (every section, then the workbook, as the cron job's
batches do; not the PDF). Timed without tracing; then the Python peak
(tracemalloc) of the same build at that entry count and at twice it (one more
entry each day): the peak must stay flat, as the sections read aggregates,
never a row per entry.

The entries are made through the ORM for one week of the year (priced, with
their role and cost, as the margins read them) and copied with SQL over the
year (``dataset.replicate_lines``): a bench of the board pack's reads, not of
timesheet creates or approvals.
"""

import time
import tracemalloc
from datetime import timedelta

from odoo.tools import SQL

from . import dataset

DAYS = 365
# hours of each entry: the copies of a person's entries land on the same day
# now and then (their dates are spread, not placed), never beyond 24 hours
HOURS = 2.0
WORKDAYS_A_YEAR = 261
# Memory counts as flat when twice the entries take at most this much more
# peak (a share of the first peak, plus a floor for allocator noise).
FLAT_SHARE = 0.25
FLAT_FLOOR_MB = 2.0


def staff(env, count):
    """`count` people with the first role, and the client project they log on."""
    role = env["agency.role"].search([], limit=1) or env["agency.role"].create(
        {"name": "Bench Pack Role", "code": "BPR"}
    )
    people = env["hr.employee"].create(
        [
            {"name": f"Pack bench {n}", "role_id": role.id, "hourly_cost": 40.0}
            for n in range(count)
        ]
    )
    client = env["res.partner"].create(
        {"name": "Pack Bench Client", "is_company": True}
    )
    project = env["project.project"].create(
        {
            "name": "Pack Bench Project",
            "partner_id": client.id,
            "allow_timesheets": True,
        }
    )
    return people, project


def entries(env, people, project, first, per_day=1):
    """One week of approved entries of each person through the ORM (per_day a
    working day), copied with SQL over the year from `first`: per_day × 261
    entries a person. Returns how many were added."""
    values = []
    day = first
    while len(values) < 5 * per_day * len(people):
        if day.weekday() < 5:
            values += [
                {"name": "Bench work", "project_id": project.id, "employee_id": p.id,
                 "date": day, "unit_amount": HOURS}
                for p in people
                for _n in range(per_day)
            ]  # fmt: skip
        day += timedelta(days=1)
    lines = env["account.analytic.line"].create(values)
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE account_analytic_line SET approval_state = 'approved' "
            "WHERE id = ANY(%s)",
            lines.ids,
        )
    )
    total = per_day * WORKDAYS_A_YEAR * len(people)
    ids = dataset.replicate_lines(env, lines, total, DAYS - 7)
    env.cr.execute("ANALYZE account_analytic_line")
    return len(ids)


def build(env, today, traced=False):
    """(seconds, queries, tracemalloc peak in MB or None) of one board pack's
    sections and XLSX, built from a cold cache."""
    pack = env["agency.board.pack"].create({"name": "Bench pack", "date": today})
    env.flush_all()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    while pack.step < 7:  # every section, then the XLSX (the PDF not timed)
        pack._agency_build_step()
        if pack.state == "failed":
            raise RuntimeError(pack.error)
    seconds = time.perf_counter() - start
    peak = None
    if traced:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peak = round(peak / 2**20, 1)
    return seconds, env.cr.sql_log_count - queries, peak


def measure(env, people_count, today):
    """(seconds, queries, extras) of the row: the timed build of the year
    (the process's first: cold caches; a second one, warm, beside), and the
    peaks at one and two entries a day (``flat_memory``)."""
    people, project = staff(env, people_count)
    first = today - timedelta(days=DAYS)
    count = entries(env, people, project, first)
    seconds, queries, _peak = build(env, today)  # cold: the process's first
    warm, _q, _peak = build(env, today)
    _s, _q, peak_1 = build(env, today, traced=True)
    count_2 = count + entries(env, people, project, first + timedelta(days=1))
    _s, queries_2, peak_2 = build(env, today, traced=True)
    flat = peak_2 <= peak_1 * (1 + FLAT_SHARE) + FLAT_FLOOR_MB
    return (
        seconds,
        queries,
        {
            "people": people_count,
            "warm_seconds": round(warm, 3),
            "entries": count,
            "entries_2x": count_2,
            "pack_peak_mb": peak_1,
            "pack_peak_mb_2x": peak_2,
            "queries_2x": queries_2,
            "flat_memory": flat,
        },
    )
