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


def _lines_to_review(env, args):
    staff, tasks = dataset.build_people(env, args.employees)
    values = dataset.line_values(staff, tasks, args.lines, args.days)
    lines = dataset.create_lines(env, values)
    env.flush_all()
    return lines


def op_write_lines(env, args):
    """Stock: one write of one field on the whole batch (the closest stock
    operation to approving it)."""
    lines = _lines_to_review(env, args)
    env.invalidate_all()
    start_queries = env.cr.sql_log_count
    start = time.perf_counter()
    lines.write({"name": "Reviewed"})
    env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - start_queries


def op_approve_lines(env, args):
    lines = _lines_to_review(env, args)
    lines.action_submit()
    env.flush_all()
    env.invalidate_all()
    start_queries = env.cr.sql_log_count
    start = time.perf_counter()
    lines.action_approve()
    env.flush_all()
    seconds = time.perf_counter() - start
    assert set(lines.mapped("approval_state")) == {"approved"}
    return seconds, env.cr.sql_log_count - start_queries


def op_fill(env, args):
    """Commit `lines` lines of background volume (for the timer benchmarks)."""
    staff, tasks = dataset.build_people(env, args.employees)
    start = time.perf_counter()
    dataset.fill_lines_sql(env, args.lines, staff, tasks)
    env.cr.commit()
    return time.perf_counter() - start, 0


def _timer_user(env):
    user = env["res.users"].create(
        {
            "name": "Bench Timer",
            "login": f"bench_timer_{time.time_ns()}",
            "groups_id": [(6, 0, [env.ref("base.group_user").id])],
        }
    )
    if "agency.role" in env:
        user.groups_id = [(4, env.ref("agency_timesheet.group_agency_user").id)]
    employee = env["hr.employee"].search([("name", "like", "Bench Person")], limit=1)
    employee.user_id = user
    task = env["project.task"].search([("name", "=", "Task 0")], limit=1)
    env.flush_all()
    return user, employee, task


def op_entry_create_one(env, args):
    """Stock: create one timesheet entry by hand (what a timer's stop does)."""
    user, employee, task = _timer_user(env)
    Line = env["account.analytic.line"].with_user(user)
    vals = {
        "employee_id": employee.id,
        "project_id": task.project_id.id,
        "task_id": task.id,
        "unit_amount": 1.0,
        "name": "by hand",
    }
    Line.create(dict(vals))  # warm
    env.flush_all()
    return _repeat(env, args.repeat, lambda: Line.create(dict(vals)))


def op_timer_start(env, args):
    user, _employee, task = _timer_user(env)
    Timer = env["agency.timer"].with_user(user)
    Timer.browse(Timer.action_start(task_id=task.id)["id"]).action_stop()  # warm
    return _repeat(env, args.repeat, lambda: Timer.action_start(task_id=task.id))


def op_timer_stop(env, args):
    user, _employee, task = _timer_user(env)
    Timer = env["agency.timer"].with_user(user)
    Timer.browse(Timer.action_start(task_id=task.id)["id"]).action_stop()  # warm
    timers = []
    for _i in range(args.repeat):
        timers.append(Timer.browse(Timer.action_start(task_id=task.id)["id"]))
    env.flush_all()
    env.cr.execute(
        "UPDATE agency_timer SET run_started_at = run_started_at - interval '1 hour',"
        " accumulated_seconds = 3600 WHERE id = ANY(%s)",
        [[t.id for t in timers]],
    )
    pending = iter(timers)
    return _repeat(env, args.repeat, lambda: next(pending).action_stop())


def _repeat(env, times, func):
    """Average seconds and queries of func over `times` calls, each with a cold
    record cache, as separate requests would have."""
    seconds = 0.0
    queries = 0
    for _i in range(times):
        env.flush_all()
        env.invalidate_all()
        before = env.cr.sql_log_count
        start = time.perf_counter()
        func()
        env.flush_all()
        seconds += time.perf_counter() - start
        queries += env.cr.sql_log_count - before
    return seconds / times, queries / times


OPERATIONS = {
    "create_lines": op_create_lines,
    "write_lines": op_write_lines,
    "approve_lines": op_approve_lines,
    "fill": op_fill,
    "entry_create_one": op_entry_create_one,
    "timer_start": op_timer_start,
    "timer_stop": op_timer_stop,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--operation", required=True, choices=sorted(OPERATIONS))
    parser.add_argument("--lines", type=int, default=10000)
    parser.add_argument("--employees", type=int, default=50)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--repeat", type=int, default=20)
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
                "queries": round(queries, 1),
                "peak_mb": round(peak_mb),
            }
        )
    )


if __name__ == "__main__":
    main()
