"""Runs one benchmark operation in one database and prints one JSON line.

    python3 tests/bench/worker.py --config .local/odoo.conf --database DB \
        --operation create_lines --lines 10000 --employees 50 --days 90

Each operation runs in a fresh process (a fresh registry and cache), is timed
around the operation only (not the data set it needs), counts the SQL queries it
sends, and rolls back so the database can serve the next operation.
"""

import argparse
import base64
import json
import os
import resource
import sys
import time
import tracemalloc
from collections import Counter
from contextlib import closing
from datetime import date, timedelta
from unittest.mock import patch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(__file__))))

import psycopg2

import odoo
from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.tools import SQL

from tests.bench import board_pack_bench, capacity_bench, dataset


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
    # A database that has held its lines for a while: autovacuum has visited
    # the table (planner statistics, visibility map). Same for stock and add-ons.
    _vacuum(env.cr.dbname, "account_analytic_line")
    return time.perf_counter() - start, 0


def _vacuum(database, table=None):
    """VACUUM ANALYZE the table (or the whole database) outside any
    transaction. Before each operation: every worker builds its data and rolls
    it back, and the dead rows it leaves would slow the next operation's scans
    (the same rows measured later, or at a bigger size, took up to four times
    as long)."""
    _name, info = sql_db.connection_info_for(database)
    with closing(psycopg2.connect(**info)) as cnx:
        cnx.autocommit = True
        with cnx.cursor() as cr:
            cr.execute(f"VACUUM ANALYZE {table}" if table else "VACUUM ANALYZE")


def _timer_user(env):
    user = env["res.users"].create(
        {
            "name": "Bench Timer",
            "login": f"bench_timer_{time.time_ns()}",
            "groups_id": [
                (
                    6,
                    0,
                    [
                        env.ref("base.group_user").id,
                        # stock: a timesheet user (own time), as the add-ons' users
                        env.ref("hr_timesheet.group_hr_timesheet_user").id,
                    ],
                )
            ],
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
    timers = []
    # one more than measured: the first stop warms the caches, as the stock
    # side's first create does (a stop that creates its entry)
    for _i in range(args.repeat + 1):
        timers.append(Timer.browse(Timer.action_start(task_id=task.id)["id"]))
    env.flush_all()
    env.cr.execute(
        "UPDATE agency_timer SET run_started_at = run_started_at - interval '1 hour',"
        " accumulated_seconds = 3600 WHERE id = ANY(%s)",
        [[t.id for t in timers]],
    )
    env.invalidate_all()
    pending = iter(timers)
    assert next(pending).action_stop()  # warm
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


# The fields of stock Odoo's timesheet list, read for the stock side of
# "resolve_rates".
STOCK_READ_FIELDS = [
    "date",
    "employee_id",
    "project_id",
    "task_id",
    "name",
    "unit_amount",
    "amount",
    "company_id",
    "user_id",
]


def _rate_cards(env, staff, tasks, lines, start, days):
    """Roles for the people and their lines, and rate lines of every scope
    (add-ons database only)."""
    env["agency.rate"].search([]).active = False  # a demo database's, if any
    roles = env["agency.role"].create(
        [{"name": f"Bench Role {i}", "code": f"BENCH{i}"} for i in range(6)]
    )
    for index, role in enumerate(roles):
        staff[index::6].write({"role_id": role.id})
    env.flush_all()
    env.cr.execute(
        """UPDATE account_analytic_line l SET role_id = e.role_id
             FROM hr_employee e
            WHERE e.id = l.employee_id AND l.id = ANY(%s)""",
        [lines.ids],
    )
    env.invalidate_all()
    projects = tasks.project_id
    client = projects.partner_id
    change = start + timedelta(days=days // 2)
    vals = [{"bill_rate": 90.0}]
    vals += [
        {"role_id": role.id, "bill_rate": 100.0 + 10 * i}
        for i, role in enumerate(roles[1:], start=1)
    ]
    vals += [
        {"role_id": roles[0].id, "bill_rate": 100.0, "date_to": change - timedelta(1)},
        {"role_id": roles[0].id, "bill_rate": 110.0, "date_from": change},
        {"partner_id": client.id, "bill_rate": 120.0},
        {"partner_id": client.id, "role_id": roles[1].id, "bill_rate": 125.0},
        {"partner_id": client.id, "role_id": roles[2].id, "bill_rate": 128.0},
    ]
    vals += [{"project_id": p.id, "bill_rate": 130.0} for p in projects[:3]]
    vals += [
        {"project_id": p.id, "role_id": roles[3].id, "bill_rate": 135.0}
        for p in projects[3:5]
    ]
    vals += [
        {"employee_id": e.id, "bill_rate": 140.0, "cost_rate": 60.0} for e in staff[:5]
    ]
    vals += [
        {"employee_id": e.id, "project_id": projects[5].id, "bill_rate": 150.0}
        for e in staff[5:7]
    ]
    vals += [
        {"employee_id": e.id, "partner_id": client.id, "bill_rate": 145.0}
        for e in staff[7:9]
    ]
    currency = env.company.currency_id.id
    env["agency.rate"].create([dict(v, currency_id=currency) for v in vals])


def _priced_lines(env, args):
    """N timesheet lines (1,000 made through the ORM, copied in SQL), and in the
    add-ons database rate lines of every scope."""
    staff, tasks = dataset.build_people(env, args.employees)
    start = date.today() - timedelta(days=args.days)
    template = dataset.create_lines(
        env, dataset.line_values(staff, tasks, 1000, args.days, start=start)
    )
    if "agency.rate" in env:
        _rate_cards(env, staff, tasks, template, start, args.days)
    ids = dataset.replicate_lines(env, template, args.lines, args.days)
    assert len(ids) == args.lines
    return env["account.analytic.line"].browse(ids)


def _read_stock_fields(env, lines):
    env.invalidate_all()
    first_query = env.cr.sql_log_count
    began = time.perf_counter()
    lines.read(STOCK_READ_FIELDS)
    return time.perf_counter() - began, env.cr.sql_log_count - first_query


def op_read_lines(env, args):
    """Stock: read N lines' stock fields (what a timesheet list reads)."""
    return _read_stock_fields(env, _priced_lines(env, args))


def op_resolve_rates(env, args):
    """Add-ons: price N stored entries against the rate cards; the read of the
    same lines is reported beside it."""
    lines = _priced_lines(env, args)
    extras = {}
    env.flush_all()
    env.invalidate_all()
    first_query = env.cr.sql_log_count
    began = time.perf_counter()
    states = {}
    for batch in lines._agency_resolve_rates():
        for price in batch.values():
            states[price.state] = states.get(price.state, 0) + 1
    seconds = time.perf_counter() - began
    queries = env.cr.sql_log_count - first_query
    assert sum(states.values()) == args.lines, states
    extras["states"] = states
    extras["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    read_seconds, read_queries = _read_stock_fields(env, lines)
    extras["read_seconds"] = round(read_seconds, 3)
    extras["read_queries"] = read_queries
    return seconds, queries, extras


def _ensure_chart(env):
    """A chart of accounts and a sales journal, as Odoo's own tests load them
    (installing `account` loads the generic one on a company without a
    country; this is for a database where that did not happen)."""
    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company)
    assert env["account.journal"].search_count(
        [("type", "=", "sale"), ("company_id", "=", company.id)]
    ), "no sales journal"


def _invoiced(env, moves, ids):
    """How many of the entries (ids) are linked to one of the invoices."""
    env.flush_all()
    env.cr.execute(
        "SELECT count(*) FROM account_analytic_line"
        " WHERE id = ANY(%s) AND timesheet_invoice_id = ANY(%s)",
        [ids, moves.ids],
    )
    return env.cr.fetchone()[0]


def _timed(env, func):
    """Seconds and queries of func() with a cold record cache, flushed."""
    env.flush_all()
    env.invalidate_all()
    before = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    return result, time.perf_counter() - start, env.cr.sql_log_count - before


def _proc_status_mb(name):
    """A line of /proc/self/status in MB (VmRSS: resident now, VmHWM: its
    peak), or None where there is no /proc."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(name + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak_rss():
    """Start the process's peak RSS (VmHWM) again from its RSS now (Linux:
    writing 5 to clear_refs); False where that cannot be done."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return _proc_status_mb("VmHWM") is not None


def _memory_timed(env, args, func):
    """_timed, and the memory the action took: its own peak RSS growth (the
    peak during the action minus the RSS when it started: the peak is reset
    first, so what the worker did before, the data set or the dry run before
    an import, does not hide it), and with --tracemalloc the peak of Python's
    allocations during it (tracing slows it down: run.py takes the time from
    a run without it). Without /proc: the growth of the process's peak."""
    own = _reset_peak_rss()
    if own:
        rss_before = _proc_status_mb("VmRSS")
    else:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.tracemalloc:
        tracemalloc.start()
    result, seconds, queries = _timed(env, func)
    if own:
        peak = _proc_status_mb("VmHWM")
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    extras = {"rss_growth_mb": round(peak - rss_before), "rss_peak_mb": round(peak)}
    if args.tracemalloc:
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        extras["traced_peak_mb"] = round(traced_peak / 2**20, 1)
    return result, seconds, queries, extras


def _billing_extras(env, moves, ids, seconds, queries):
    return {
        "invoices": len(moves),
        "invoice_lines": len(moves.invoice_line_ids),
        "entries_invoiced": _invoiced(env, moves, ids),
        "per_entry_ms": round(seconds * 1000 / len(ids), 4),
        "queries_per_invoice": round(queries / len(moves), 1),
    }


def _engagements(env, projects):
    """One time-and-materials engagement per project (its client's; one
    invoice line per task, entries rounded up to 15 minutes)."""
    engagements = env["agency.engagement"].create(
        [
            {
                "name": f"Bench Engagement {project.name}",
                "partner_id": project.partner_id.id,
                "user_id": env.uid,
                "grouping": "task",
                "rounding_increment": "15",
                "rounding_method": "up",
            }
            for project in projects
        ]
    )
    for project, engagement in zip(projects, engagements, strict=True):
        project.agency_engagement_id = engagement
    return engagements


def _sale_orders(env, projects):
    """Stock: each project billed through its own confirmed sale order (a
    service invoiced on delivered timesheets, 100 an hour)."""
    hour = env.ref("uom.product_uom_hour")
    product = env["product.product"].create(
        {
            "name": "Bench Time",
            "type": "service",
            "service_type": "timesheet",
            "invoice_policy": "delivery",
            "list_price": 100.0,
            "uom_id": hour.id,
            "uom_po_id": hour.id,
        }
    )
    orders = env["sale.order"].create(
        [
            {
                "partner_id": project.partner_id.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 1})
                ],
            }
            for project in projects
        ]
    )
    orders.action_confirm()
    for project, order in zip(projects, orders, strict=True):
        project.write({"allow_billable": True, "sale_line_id": order.order_line.id})
    return orders


def op_stock_invoice_timesheets(env, args):
    """Stock: sale_timesheet's own invoicing of N timesheet entries on 50
    projects, each billed through its own confirmed sale order (a service
    invoiced on delivered timesheets): `_create_invoices` of the 50 orders."""
    _ensure_chart(env)
    orders = env["sale.order"]

    def prepare(projects):
        nonlocal orders
        orders = _sale_orders(env, projects)

    _projects, ids = dataset.build_billing(env, args.lines, prepare)
    # The copies were made in SQL: the orders' delivered hours follow them.
    orders.order_line.modified(["analytic_line_ids"])
    env.flush_all()
    env.cr.execute(
        "SELECT count(*), sum(unit_amount) FROM account_analytic_line"
        " WHERE id = ANY(%s) AND so_line = ANY(%s)",
        [ids, orders.order_line.ids],
    )
    count, hours = env.cr.fetchone()
    assert count == args.lines, count
    assert abs(sum(orders.order_line.mapped("qty_to_invoice")) - hours) < 0.01

    moves, seconds, queries = _timed(env, orders._create_invoices)
    extras = _billing_extras(env, moves, ids, seconds, queries)
    assert extras["invoices"] == len(orders), extras
    assert extras["entries_invoiced"] == args.lines, extras
    return seconds, queries, extras


def op_billing_run(env, args, **terms):
    """Add-ons: one billing run over N approved entries of 50 projects, each
    attached to its own engagement (one invoice line per task, entries rounded
    up to 15 minutes, priced by a company default rate): collect (with the
    checks), mark every engagement reviewed, create the invoices. `terms` are
    more engagement values (billing_run_rules)."""
    _ensure_chart(env)
    env["agency.rate"].search([]).active = False
    env["agency.rate"].create(
        {"bill_rate": 100.0, "currency_id": env.company.currency_id.id}
    )
    engagements = env["agency.engagement"]

    def prepare(projects):
        nonlocal engagements
        engagements = _engagements(env, projects)
        if terms:
            engagements.write(terms)

    def approve(entries):
        entries.sudo().write({"approval_state": "approved"})

    _projects, ids = dataset.build_billing(env, args.lines, prepare, approve)
    today = date.today()

    def bill():
        run = env["agency.billing.run"].create(
            {
                "date_to": today,
                "invoice_date": today,
                "engagement_ids": [Command.set(engagements.ids)],
            }
        )
        run.action_collect()
        run.line_ids.action_mark_reviewed()
        run.action_create_invoices()
        return run

    run, seconds, queries = _timed(env, bill)
    extras = _billing_extras(env, run.invoice_ids, ids, seconds, queries)
    extras["checks"] = dict(Counter(f"{c.severity}:{c.code}" for c in run.check_ids))
    assert extras["invoices"] == len(engagements), extras
    assert extras["entries_invoiced"] == args.lines, extras
    return seconds, queries, extras


def op_billing_run_rules(env, args, kind="weekend"):
    """op_billing_run with issue 19's rules on every engagement: rounding per
    person, task and day with a 15-minute minimum, a multiplier at 150 %
    (weekend work: its own invoice lines) and a 10 % discount line."""
    seconds, queries, extras = op_billing_run(
        env,
        args,
        rounding_scope="person_day",
        rounding_minimum=15,
        discount_percent=10.0,
        multiplier_ids=[Command.create({"kind": kind, "factor": 1.5})],
    )
    env.cr.execute(
        "SELECT count(*) FROM account_analytic_line WHERE agency_multiplier > 1"
    )
    extras["multiplied_entries"] = env.cr.fetchone()[0]
    return seconds, queries, extras


def op_billing_run_rules_holiday(env, args):
    """op_billing_run_rules with a public-holiday multiplier (each entry
    checked against the days off; the bench has none): the rules' cost
    without the weekend's extra invoice lines."""
    return op_billing_run_rules(env, args, kind="holiday")


def op_retainer_ledgers(env, args):
    """Add-ons: the period ledgers of N retainers over 24 months each (three
    approved entries a month on each), computed at once."""
    today = date.today()
    first = today.replace(day=1)
    for _month in range(23):
        first = (first - timedelta(days=1)).replace(day=1)
    client = env["res.partner"].create({"name": "Bench Retainers", "is_company": True})
    employee = env["hr.employee"].create({"name": "Bench Retainer Person"})
    projects = env["project.project"].create(
        [
            {
                "name": f"Bench Retainer {index}",
                "partner_id": client.id,
                "allow_timesheets": True,
            }
            for index in range(args.lines)
        ]
    )
    engagements = env["agency.engagement"].create(
        [
            {
                "name": f"Bench Retainer {index}",
                "partner_id": client.id,
                "kind": "retainer",
                "date_start": first,
                "period_fee": 1000.0,
                "included_hours": 10.0,
                "rollover_periods": 2,
            }
            for index in range(args.lines)
        ]
    )
    for project, engagement in zip(projects, engagements, strict=True):
        project.agency_engagement_id = engagement
    values = []
    month = first
    while month <= today:
        for project in projects:
            for day, hours in ((3, 2.5), (10, 4.0), (17, 5.25)):
                values.append(
                    {
                        "project_id": project.id,
                        "employee_id": employee.id,
                        "date": month.replace(day=day),
                        "unit_amount": hours,
                        "name": "Retainer work",
                    }
                )
        month = (month + timedelta(days=32)).replace(day=1)
    entries = env["account.analytic.line"].create(values)
    entries.sudo().write({"approval_state": "approved"})
    env.flush_all()
    env.invalidate_all()
    start_queries = env.cr.sql_log_count
    start = time.perf_counter()
    ledgers = env["agency.retainer.period"]._agency_ledgers(engagements, until=today)
    seconds = time.perf_counter() - start
    queries = env.cr.sql_log_count - start_queries
    assert len(ledgers) == args.lines
    assert all(len(rows) == 24 for rows in ledgers.values()), "24 periods each"
    return seconds, queries


# -- margins (agency_forecast) --

MARGIN_GROUPBY = ["partner_id", "role_id", "date:month"]
MARGIN_MEASURES = ["revenue", "cost", "margin", "hours"]


def _margin_data(env, lines, prepare_more=None):
    """N approved entries on 200 projects, each its own client and engagement
    (people with one of 6 roles, a company rate of 100 and a cost rate of
    40): the 1,000 made through the ORM are invoiced by a billing run, with
    a write-down on each engagement, before they are copied, so that the
    copies are invoiced entries as well."""
    _ensure_chart(env)
    env["agency.rate"].search([]).active = False
    env["agency.rate"].create(
        {
            "bill_rate": 100.0,
            "cost_rate": 40.0,
            "currency_id": env.company.currency_id.id,
        }
    )
    roles = env["agency.role"].create(
        [{"name": f"Bench Margin Role {i}", "code": f"BMR{i}"} for i in range(6)]
    )
    engagements = env["agency.engagement"]

    def prepare(projects):
        nonlocal engagements
        engagements = _engagements(env, projects)

    def approve(entries):
        # The people's roles, on their entries in SQL: the template's entries
        # all fall on one day, which the 24-hour rule on the agency's entries
        # (those with a role) would refuse.
        for index, role in enumerate(roles):
            entries.employee_id[index::6].write({"role_id": role.id})
        env.flush_all()
        env.cr.execute(
            """UPDATE account_analytic_line l SET role_id = e.role_id
                 FROM hr_employee e
                WHERE e.id = l.employee_id AND l.id = ANY(%s)""",
            [entries.ids],
        )
        entries.invalidate_recordset(["role_id"])
        # spread over the days now (build_billing spreads the copies later):
        # invoicing checks the 24-hour rule
        dataset.spread_billing_lines(
            env, entries.ids, min(entries.mapped("date")), 1200
        )
        entries.sudo().write({"approval_state": "approved"})
        run = env["agency.billing.run"].create(
            {
                "date_to": date.today(),
                "invoice_date": date.today(),
                "engagement_ids": [Command.set(engagements.ids)],
            }
        )
        run.action_collect()
        env["agency.billing.adjustment"].create(
            [
                {
                    "run_line_id": line.id,
                    "direction": "down",
                    "basis": "amount",
                    "amount": 10.0,
                    "reason": "goodwill",
                    "note": "bench",
                }
                for line in run.line_ids
                if line.amount > 10.0
            ]
        )
        run.line_ids.action_mark_reviewed()
        run.action_create_invoices()
        run.invoice_ids.action_post()

    projects, ids = dataset.build_billing(
        env, lines, prepare, approve, projects=200, tasks_per_project=2
    )
    env.cr.execute("ANALYZE")
    return projects, ids


def _margin_floor(env):
    """The same figures as one raw SQL aggregate over the margin facts' own
    query: what the database alone needs (the floor)."""
    query = env["agency.margin.fact"]._table_query
    env.cr.execute(
        SQL(
            """SELECT partner_id, role_id, date_trunc('month', date),
                      sum(revenue), sum(cost), sum(margin), sum(hours)
                 FROM (%s) fact
                GROUP BY 1, 2, 3""",
            query,
        )
    )
    return env.cr.fetchall()


def _margin_week_floor(env):
    """The same figures as one raw SQL aggregate over the stored weekly facts
    (what the database alone needs to read them)."""
    env.cr.execute(
        """SELECT partner_id, role_id, date_trunc('month', date),
                  sum(revenue), sum(cost), sum(margin), sum(hours)
             FROM agency_margin_week
            GROUP BY 1, 2, 3"""
    )
    return env.cr.fetchall()


def op_margin_report(env, args):
    """Add-ons: margin by client × role × month over every margin fact (N
    entries, their invoices and write-downs, 200 projects), as the pivot asks
    it (read_group) of the stored weekly facts, best of 3; beside it: the
    full rebuild after loading the data (the copies are SQL), the same pivot
    on the margin view (before the weekly facts, one run), and two raw SQL
    aggregates of the same figures in the same transaction (same settings):
    over the base tables (the view's query, the floor, one run) and over the
    weekly table (best of 3)."""
    _margin_data(env, args.lines)
    Week = env["agency.margin.week"]
    Fact = env["agency.margin.fact"]
    aggregates = [f"{name}:sum" for name in MARGIN_MEASURES]

    def pivot(model=Week):  # what the web client's pivot sends (not lazy)
        return model.read_group([], aggregates, MARGIN_GROUPBY, lazy=False)

    def best(func, runs=3):
        timings = [_timed(env, func) for _run in range(runs)]
        return min(timings, key=lambda timing: timing[1])

    # the copies are written in SQL, past the upkeep: a full rebuild, as after
    # any bulk SQL load
    _rows, rebuild_seconds, _queries = _timed(env, Week._agency_rebuild)
    env.cr.execute("ANALYZE agency_margin_week")
    env.cr.execute("SELECT count(*) FROM agency_margin_week")
    week_rows = env.cr.fetchone()[0]
    rows, seconds, queries = best(pivot)
    _rows, orm_seconds, _queries = best(
        lambda: Week._read_group([], MARGIN_GROUPBY, aggregates)
    )
    view_rows, view_seconds, _queries = _timed(env, lambda: pivot(Fact))
    floor, floor_seconds, _queries = _timed(env, lambda: _margin_floor(env))
    week_floor, week_floor_seconds, _queries = best(lambda: _margin_week_floor(env))
    assert len(rows) == len(floor) == len(view_rows) == len(week_floor), (
        len(rows), len(floor), len(view_rows), len(week_floor),
    )  # fmt: skip
    total = round(sum(row["revenue"] for row in rows), 2)
    assert abs(total - round(sum(row[3] for row in floor), 2)) < 0.01
    assert abs(total - round(sum(row["revenue"] for row in view_rows), 2)) < 0.01
    return (
        seconds,
        queries,
        {
            "groups": len(rows),
            "week_rows": week_rows,
            "orm_seconds": round(orm_seconds, 3),  # _read_group: no labels
            "floor_seconds": round(floor_seconds, 3),
            "floor_ratio": round(seconds / floor_seconds, 2) if floor_seconds else None,
            "week_floor_seconds": round(week_floor_seconds, 3),
            "week_floor_ratio": round(seconds / week_floor_seconds, 2)
            if week_floor_seconds
            else None,
            "view_seconds": round(view_seconds, 3),
            "rebuild_seconds": round(rebuild_seconds, 3),
            "revenue": total,
        },
    )


def op_stock_panel_data(env, args):
    """Stock: the project profitability panel (get_panel_data) of one of 200
    projects billed through sale orders, N timesheet entries in all."""
    _ensure_chart(env)

    def prepare(projects):
        _sale_orders(env, projects)

    projects, _ids = dataset.build_billing(
        env, args.lines, prepare, projects=200, tasks_per_project=2
    )
    project = projects[0]
    project.get_panel_data()  # warm
    _data, seconds, queries = _timed(env, project.get_panel_data)
    return seconds, queries


def op_approve_margin(env, args, margins=True):
    """Add-ons: approve N entries (which marks their weekly margin keys dirty:
    the upkeep's part of the approve), then read their engagement's margins
    in the same transaction (what "live" costs: the read recomputes the dirty
    keys first, else the minute's cron does); the approve alone is reported
    beside it. Without margins (op_approve_priced): the same entries, rate
    and engagement, approved with no margin upkeep at all (today's approve on
    main, the baseline)."""
    from odoo.addons.agency_forecast.report import margin_upkeep

    lines = _lines_to_review(env, args)
    env["agency.rate"].search([]).active = False
    env["agency.rate"].create(
        {"bill_rate": 100.0, "currency_id": env.company.currency_id.id}
    )
    client = lines.project_id.partner_id[:1]
    engagement = env["agency.engagement"].create(
        {"name": "Bench Margins", "partner_id": client.id, "user_id": env.uid}
    )
    lines.project_id.agency_engagement_id = engagement
    lines.action_submit()
    env.flush_all()
    env["agency.margin.week"]._agency_refresh()
    env.invalidate_all()
    start_queries = env.cr.sql_log_count
    start = time.perf_counter()
    if margins:
        lines.action_approve()
    else:
        with patch.object(margin_upkeep, "mark_entries", lambda *_args: None):
            lines.action_approve()
    env.flush_all()
    approve_seconds = time.perf_counter() - start
    approve_queries = env.cr.sql_log_count - start_queries
    if not margins:
        return approve_seconds, approve_queries
    figures = engagement._agency_margin_figures()
    seconds = time.perf_counter() - start
    queries = env.cr.sql_log_count - start_queries
    assert figures[engagement.id]["hours"] == sum(lines.mapped("unit_amount"))
    return (
        seconds,
        queries,
        {
            "approve_seconds": round(approve_seconds, 3),
            "approve_queries": approve_queries,
            "margin_seconds": round(seconds - approve_seconds, 3),
            "margin_queries": queries - approve_queries,
        },
    )


def op_approve_priced(env, args):
    """op_approve_margin's approve alone, without the margin upkeep (its
    baseline: today's approve)."""
    return op_approve_margin(env, args, margins=False)


def op_warnings_200(env, args):
    """Add-ons: every early warning of 200 projects (N entries, invoiced
    and written down as for the margins) and of their people, as the nightly
    job evaluates one batch; the query count is reported beside it."""
    projects, _ids = _margin_data(env, args.lines)
    employees = env["hr.employee"].search([])
    Warning = env["agency.warning"]
    today = date.today()

    def evaluate():
        Warning._agency_evaluate(today, projects, employees, roles=True)

    _result, seconds, queries = _timed(env, evaluate)
    # the next night: the same warnings stand (no new activities)
    _result, again, again_queries = _timed(env, evaluate)
    return (
        seconds,
        queries,
        {
            "projects": len(projects),
            "people": len(employees),
            "warnings": Warning.search_count([]),
            "again_seconds": round(again, 3),
            "again_queries": again_queries,
        },
    )


# -- the audit trail's cost (issue 17) --

# What writes audit rows, and what reads the values before a change for them.
AUDIT_WRITERS = (
    "_log",
    "_log_operation",
    "_log_states",
    "_log_created",
    "_log_snapshot_changes",
    "_log_entry_changes",
)
AUDIT_READERS = ("_entries_before", "_snapshot")


def _without_audit(env):
    """Switch the audit trail off in this worker process only, for the
    baseline of the audit rows: the writers append nothing and the readers of
    the values before a change read nothing. A bench switch (the class of this
    process's registry patched), not a setting or a context key: nothing a
    client can send turns the audit off."""
    Audit = type(env["agency.audit"])

    def write_nothing(self, *_args, **_kwargs):
        return self.browse()

    def read_nothing(self, *_args, **_kwargs):
        return {}

    for name in AUDIT_WRITERS:
        setattr(Audit, name, write_nothing)
    for name in AUDIT_READERS:
        setattr(Audit, name, read_nothing)


def _audit_rows(env):
    env.cr.execute("SELECT count(*) FROM agency_audit")
    return env.cr.fetchone()[0]


def _audit_switch(operation, audit):
    """operation, with the audit trail on or off (_without_audit); the audit
    rows the whole worker run wrote beside it (data set included)."""

    def run(env, args):
        if not audit:
            _without_audit(env)
        before = _audit_rows(env)
        seconds, queries, *extras = operation(env, args)
        extras = dict(extras[0]) if extras else {}
        extras["audit_rows"] = _audit_rows(env) - before
        return seconds, queries, extras

    return run


HARVEST_HEADER = (
    "Date,Client,Project,Project Code,Task,Notes,Hours,Hours Rounded,Billable?,"
    "Invoiced?,Approved?,First Name,Last Name,Employee Id,Roles,Teams,Employee?,"
    "Billable Rate,Billable Amount,Cost Rate,Cost Amount,Currency,"
    "External Reference URL"
)


def _migration_rows(env, args):
    """The same N rows for both sides: people, projects and tasks in Odoo,
    and the line values of their time."""
    staff, tasks = dataset.build_people(env, args.employees)
    values = dataset.line_values(staff, tasks, args.lines, args.days)
    env.flush_all()
    return staff, tasks, values


def _harvest_file(env, values):
    """A Harvest Detailed time export of the line values (names, not ids)."""
    names = {
        model: dict(env[model].browse({v[field] for v in values}).mapped(
            lambda r: (r.id, r.name)))
        for model, field in (("hr.employee", "employee_id"),
                             ("project.project", "project_id"),
                             ("project.task", "task_id"))
    }  # fmt: skip
    rows = [HARVEST_HEADER]
    currency = env.company.currency_id.name
    for v in values:
        first, _space, last = names["hr.employee"][v["employee_id"]].partition(" ")
        rows.append(
            f"{v['date'].isoformat()},Bench Client,"
            f"{names['project.project'][v['project_id']]},,"
            f"{names['project.task'][v['task_id']]},{v['name']},{v['unit_amount']},"
            f"{v['unit_amount']},Yes,No,No,{first},{last},,,,Yes,100.0,"
            f"{v['unit_amount'] * 100:.2f},40.0,{v['unit_amount'] * 40:.2f},"
            f"{currency},"
        )
    return ("\n".join(rows) + "\n").encode()


def op_base_import_lines(env, args):
    """Stock: base_import of the same rows, pre-mapped as account.analytic.line
    (ids for the person, project and task)."""
    _staff, _tasks, values = _migration_rows(env, args)
    fields = ["date", "employee_id/.id", "project_id/.id", "task_id/.id", "name",
              "unit_amount"]  # fmt: skip
    lines = [",".join(fields)] + [
        f"{v['date'].isoformat()},{v['employee_id']},{v['project_id']},"
        f"{v['task_id']},{v['name']},{v['unit_amount']}"
        for v in values
    ]
    wizard = env["base_import.import"].create(
        {
            "res_model": "account.analytic.line",
            "file": ("\n".join(lines) + "\n").encode(),
            "file_name": "lines.csv",
            "file_type": "text/csv",
        }
    )
    options = {"quoting": '"', "separator": ",", "has_headers": True,
               "date_format": "%Y-%m-%d"}  # fmt: skip
    result, seconds, queries, memory = _memory_timed(
        env, args, lambda: wizard.execute_import(fields, fields, options)
    )
    assert not result["messages"], result["messages"][:3]
    assert len(result["ids"]) == args.lines, (len(result["ids"]), result.get("nextrow"))
    return seconds, queries, memory


def _harvest_batch(env, args):
    _staff, _tasks, values = _migration_rows(env, args)
    currency = env.company.currency_id
    currency.active = True
    batch = env["agency.import.batch"].create(
        {"file": base64.b64encode(_harvest_file(env, values)),
         "filename": "harvest.csv"}
    )  # fmt: skip
    env.flush_all()
    env.invalidate_all()
    return batch


def op_import_harvest_dry(env, args):
    """Add-ons: the dry run of the same rows as a Harvest file (reading,
    mapping, fingerprints, the side-by-side report; nothing written)."""
    batch = _harvest_batch(env, args)
    _result, seconds, queries, memory = _memory_timed(env, args, batch.action_dry_run)
    assert batch.state == "checked" and batch.new_count == args.lines, batch.message
    return seconds, queries, memory


def op_import_harvest(env, args):
    """Add-ons: the import of the same rows as a Harvest file, after its dry
    run (entries, fingerprints, the report from the records created)."""
    batch = _harvest_batch(env, args)
    batch.action_dry_run()
    _result, seconds, queries, memory = _memory_timed(env, args, batch.action_import)
    assert batch.created_count == args.lines, batch.message
    return seconds, queries, memory


# issue 14: capacity of 150 people over 182 days; the heatmap of 150 people
# over 26 weeks with 5,000 bookings (on the 1M-entry table once filled)
CAPACITY_DAYS = int(os.environ.get("BENCH_CAPACITY_DAYS", "182"))
HEATMAP_PEOPLE = int(os.environ.get("BENCH_HEATMAP_PEOPLE", "150"))
HEATMAP_WEEKS = int(os.environ.get("BENCH_HEATMAP_WEEKS", "26"))
HEATMAP_BOOKINGS = int(os.environ.get("BENCH_HEATMAP_BOOKINGS", "5000"))


def _capacity_people(env, args):
    staff = capacity_bench.people(env, args.lines)
    first = capacity_bench.FIRST
    env.flush_all()
    return staff, first, first + timedelta(days=CAPACITY_DAYS - 1)


def op_capacity_stock(env, args):
    """Stock: resource's _work_intervals_batch, per calendar, for `lines`
    people over CAPACITY_DAYS days."""
    staff, first, last = _capacity_people(env, args)
    _result, seconds, queries = _timed(
        env, lambda: capacity_bench.stock_capacity(staff, first, last)
    )
    return seconds, queries, {"people": len(staff), "days": CAPACITY_DAYS}


def op_capacity(env, args):
    """Add-ons: agency.capacity._agency_capacity of `lines` people over
    CAPACITY_DAYS days (calendars, leaves, time zones, employment dates)."""
    staff, first, last = _capacity_people(env, args)
    Capacity = env["agency.capacity"]
    _result, seconds, queries = _timed(
        env, lambda: Capacity._agency_capacity(staff, first, last)
    )
    return seconds, queries, {"people": len(staff), "days": CAPACITY_DAYS}


def op_heatmap(env, args):
    """Add-ons: the heatmap's whole grid (agency_heatmap_data) for
    HEATMAP_PEOPLE people over HEATMAP_WEEKS weeks with HEATMAP_BOOKINGS
    bookings and their logged time (two entries a working day in the past
    weeks), in a table of `lines` entries; then a grid a third of the people
    and of the weeks: its query count must be the same."""
    staff = capacity_bench.people(env, HEATMAP_PEOPLE)
    today = date.today()
    week_first = today - timedelta(days=today.weekday(), weeks=HEATMAP_WEEKS // 2)
    projects = capacity_bench.book(env, staff, week_first, HEATMAP_WEEKS,
                                   HEATMAP_BOOKINGS)  # fmt: skip
    logged = capacity_bench.log_time(env, staff, projects, week_first, today)
    team = env["hr.department"].create({"name": "Bench third"})
    staff[: len(staff) // 3].department_id = team
    from odoo.addons.agency_forecast.heatmap import heatmap_data

    # the caches a first call fills (settings, analytic plans), out of the count
    heatmap_data(env, week_first, 1, {"department_ids": team.ids}, today, whole=True)
    # the whole studio, as a producer sees it (agency_heatmap_data's call)
    _data, seconds, queries = _timed(
        env,
        lambda: heatmap_data(env, week_first, HEATMAP_WEEKS, {}, today, whole=True),
    )
    _small, _seconds, small_queries = _timed(
        env,
        lambda: heatmap_data(env, week_first, max(1, HEATMAP_WEEKS // 3),
                             {"department_ids": team.ids}, today, whole=True),
    )  # fmt: skip
    return (
        seconds,
        queries,
        {
            "people": HEATMAP_PEOPLE,
            "weeks": HEATMAP_WEEKS,
            "bookings": HEATMAP_BOOKINGS,
            "logged_entries": logged,
            "entries": env["account.analytic.line"].search_count([]),
            "small_grid_queries": small_queries,
            "same_queries": small_queries == queries,
        },
    )


# -- the cash and revenue forecast (agency_forecast) --

INVOICE_BATCH = 100


def _forecast_data(env, engagements_count):
    """An agency of `engagements_count` T&M engagements (one project each, 50
    people with an hourly cost), 25 bookings per engagement over the next 12
    months (a fifth tentative), 10 open invoices per engagement, approved time
    not invoiced; 200 engagements give 5,000 bookings and 2,000 invoices."""
    _ensure_chart(env)
    company = env.company
    company.agency_forecast_overheads = 20000.0
    net30 = env.ref("account.account_payment_term_30days")
    company.agency_forecast_payment_term_id = net30
    today = date.today()
    env["agency.rate"].search([]).active = False
    role = env["agency.role"].create({"name": "Bench Forecast Role", "code": "BFR"})
    env["agency.rate"].create(
        {"bill_rate": 120.0, "currency_id": company.currency_id.id}
    )
    people = env["hr.employee"].create(
        [
            {"name": f"Bench Forecaster {i}", "role_id": role.id, "hourly_cost": 45.0}
            for i in range(50)
        ]
    )
    clients = env["res.partner"].create(
        [{"name": f"Bench Client {i}", "is_company": True} for i in range(20)]
    )
    projects = env["project.project"].create(
        [
            {
                "name": f"Bench Forecast {i}",
                "partner_id": clients[i % 20].id,
                "allow_timesheets": True,
            }
            for i in range(engagements_count)
        ]
    )
    engagements = _engagements(env, projects)
    engagements.write({"payment_term_id": net30.id})
    env["agency.booking"].create(
        [
            {
                "employee_id": people[(i * 25 + j) % 50].id,
                "project_id": project.id,
                "date_from": today + timedelta(days=14 * j),
                "date_to": today + timedelta(days=14 * j + 20),
                "hours": 8.0,
                "state": "tentative" if j % 5 == 0 else "confirmed",
            }
            for i, project in enumerate(projects)
            for j in range(25)
        ]
    )
    entries = env["account.analytic.line"].create(
        [
            {
                "project_id": project.id,
                "employee_id": people[i % 50].id,
                "date": today - timedelta(days=d),
                "unit_amount": 3.0,
                "name": "Bench work",
            }
            for i, project in enumerate(projects)
            for d in (1, 9, 17)
        ]
    )
    entries.sudo().write({"approval_state": "approved"})
    product = env.ref("agency_billing.product_agency_time")
    # 2,000 invoices: created in batches (one huge create recomputes each
    # batch's taxes and terms against an ever larger cache), posted in one call
    values = [
            {
                "move_type": "out_invoice",
                "partner_id": project.partner_id.id,
                "invoice_date": today - timedelta(days=5 * j),
                "invoice_payment_term_id": net30.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": product.id, "quantity": 1,
                         "price_unit": 500.0 + j, "tax_ids": [Command.clear()]}
                    )
                ],
            }
            for project in projects
            for j in range(10)
    ]  # fmt: skip
    Move = env["account.move"]
    moves = Move.browse()
    for start in range(0, len(values), INVOICE_BATCH):
        moves |= Move.create(values[start : start + INVOICE_BATCH])
        env.flush_all()
    moves.action_post()
    env.flush_all()
    env.invalidate_all()
    return today


def op_forecast_base(env, args):
    """Add-ons: the base scenario's forecast (every source read, the levers
    applied, 13 weeks and 12 months per view, client, engagement, kind)."""
    today = _forecast_data(env, args.lines)
    Scenario = env["agency.forecast.scenario"]
    base = Scenario.search([("kind", "=", "base"), ("company_id", "=", env.company.id)])
    data, seconds, queries = _timed(
        env, lambda: Scenario.agency_forecast_data(today=today, scenario_ids=base.ids)
    )
    assert len(data["scenarios"]) == 1
    return seconds, queries


def op_forecast_scenarios(env, args):
    """Add-ons: the forecast of best, base and conservative in one call."""
    today = _forecast_data(env, args.lines)
    Scenario = env["agency.forecast.scenario"]
    data, seconds, queries = _timed(
        env, lambda: Scenario.agency_forecast_data(today=today)
    )
    assert len(data["scenarios"]) >= 3
    return seconds, queries


# -- the board pack (agency_forecast) --


def op_board_pack(env, args):
    """Add-ons: a board pack's XLSX for `lines` people's year of entries, and
    its memory at twice the entries (tests/bench/board_pack_bench.py)."""
    _ensure_chart(env)
    return board_pack_bench.measure(env, args.lines, date.today())


OPERATIONS = {
    "capacity_stock": op_capacity_stock,
    "capacity": op_capacity,
    "heatmap": op_heatmap,
    "base_import_lines": op_base_import_lines,
    "import_harvest_dry": op_import_harvest_dry,
    "import_harvest": op_import_harvest,
    "create_lines": op_create_lines,
    "write_lines": op_write_lines,
    "approve_lines": op_approve_lines,
    "approve_lines_audited": _audit_switch(op_approve_lines, True),
    "approve_lines_unaudited": _audit_switch(op_approve_lines, False),
    "fill": op_fill,
    "entry_create_one": op_entry_create_one,
    "timer_start": op_timer_start,
    "timer_stop": op_timer_stop,
    "read_lines": op_read_lines,
    "resolve_rates": op_resolve_rates,
    "stock_invoice_timesheets": op_stock_invoice_timesheets,
    "billing_run": op_billing_run,
    "billing_run_audited": _audit_switch(op_billing_run, True),
    "billing_run_unaudited": _audit_switch(op_billing_run, False),
    "billing_run_rules": op_billing_run_rules,
    "billing_run_rules_holiday": op_billing_run_rules_holiday,
    "retainer_ledgers": op_retainer_ledgers,
    "margin_report": op_margin_report,
    "stock_panel_data": op_stock_panel_data,
    "approve_margin": op_approve_margin,
    "approve_priced": op_approve_priced,
    "warnings_200": op_warnings_200,
    "forecast_base": op_forecast_base,
    "forecast_scenarios": op_forecast_scenarios,
    "board_pack": op_board_pack,
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
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="the migration rows: trace the action's Python allocations",
    )
    args = parser.parse_args()

    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn"]
    )
    if args.operation != "fill":
        _vacuum(args.database)
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        seconds, queries, *extras = OPERATIONS[args.operation](env, args)
        cr.rollback()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "operation": args.operation,
        "database": args.database,
        "lines": args.lines,
        "seconds": round(seconds, 3),
        "queries": round(queries, 1),
        "peak_mb": round(peak_mb),
    }
    if extras:
        result.update(extras[0])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
