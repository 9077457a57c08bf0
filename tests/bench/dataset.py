"""Data sets for the benchmarks: people, projects and timesheet lines, fast.

Everything here works the same in a database with stock Odoo only and in one with
the add-ons installed, so both sides of a comparison get identical data.
"""

import random
from datetime import date, timedelta

from odoo.tools import SQL

SEED = 7


def build_people(env, employees, projects=10, tasks_per_project=5):
    """Create employees, projects and tasks in batches; return (employees, tasks)."""
    company = env.company
    staff = env["hr.employee"].create(
        [
            {"name": f"Bench Person {i:05d}", "company_id": company.id}
            for i in range(employees)
        ]
    )
    partner = env["res.partner"].create({"name": "Bench Client", "is_company": True})
    project_records = env["project.project"].create(
        [
            {
                "name": f"Bench Project {i:03d}",
                "partner_id": partner.id,
                "allow_timesheets": True,
                "company_id": company.id,
            }
            for i in range(projects)
        ]
    )
    tasks = env["project.task"].create(
        [
            {"name": f"Task {t}", "project_id": project.id}
            for project in project_records
            for t in range(tasks_per_project)
        ]
    )
    return staff, tasks


def line_values(staff, tasks, lines, days, start=None, seed=SEED):
    """Values for `lines` timesheet lines spread over `days` days (deterministic)."""
    rng = random.Random(seed)
    start = start or date.today() - timedelta(days=days)
    staff_ids = staff.ids
    task_pairs = [(task.id, task.project_id.id) for task in tasks]
    values = []
    for i in range(lines):
        task_id, project_id = task_pairs[rng.randrange(len(task_pairs))]
        values.append(
            {
                "employee_id": staff_ids[i % len(staff_ids)],
                "project_id": project_id,
                "task_id": task_id,
                "date": start + timedelta(days=rng.randrange(days)),
                "unit_amount": rng.choice((0.25, 0.5, 1.0, 1.5, 2.0, 3.0)),
                "name": f"Bench work {i}",
            }
        )
    return values


def create_lines(env, values, batch=5000):
    """Create timesheet lines through the ORM, in batches of `batch`."""
    Line = env["account.analytic.line"]
    created = Line
    for offset in range(0, len(values), batch):
        created |= Line.create(values[offset : offset + batch])
    return created


def fill_lines_sql(env, lines, staff, tasks, days=365):
    """Add `lines` timesheet lines straight in SQL: background volume (1M rows
    in seconds) for benchmarks that need a big table, not for timing creates.
    Only stock columns are filled, so it works the same with or without the
    add-ons."""
    env.flush_all()
    company = env.company
    uom = company.project_time_mode_id
    task_ids = tasks.ids
    project_ids = [task.project_id.id for task in tasks]
    account_ids = [task.project_id.account_id.id for task in tasks]
    env.cr.execute(
        """
        INSERT INTO account_analytic_line
            (name, date, amount, unit_amount, account_id, company_id, project_id,
             task_id, employee_id, product_uom_id, category,
             create_date, write_date, create_uid, write_uid)
        SELECT 'Volume ' || g,
               CURRENT_DATE - (g %% %(days)s),
               0, 1.0,
               (%(accounts)s::int[])[1 + g %% %(ntasks)s],
               %(company)s,
               (%(projects)s::int[])[1 + g %% %(ntasks)s],
               (%(tasks)s::int[])[1 + g %% %(ntasks)s],
               (%(staff)s::int[])[1 + g %% %(nstaff)s],
               %(uom)s, 'other', now(), now(), 1, 1
          FROM generate_series(1, %(lines)s) AS g
        """,
        {
            "days": days,
            "company": company.id,
            "uom": uom.id,
            "lines": lines,
            "staff": staff.ids,
            "nstaff": len(staff),
            "tasks": task_ids,
            "projects": project_ids,
            "accounts": account_ids,
            "ntasks": len(task_ids),
        },
    )
    env.cr.execute("ANALYZE account_analytic_line")


def replicate_lines(env, lines, total, days):
    """Copy `lines` (made through the ORM) with SQL until there are `total` of
    them: every stored column is copied, the date moves by whole days within
    `days` so that dates spread. Returns the ids of all `total` lines."""
    env.flush_all()
    cr = env.cr
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = 'account_analytic_line' AND column_name != 'id'"""
    )
    columns = [row[0] for row in cr.fetchall()]
    copies = -(-total // len(lines)) - 1
    if copies > 0:
        values = [
            SQL("(l.date + mod(g * 7 + l.id, %s) * INTERVAL '1 day')::date", days)
            if column == "date"
            else SQL.identifier("l", column)
            for column in columns
        ]
        cr.execute(
            SQL(
                """INSERT INTO account_analytic_line (%s)
                   SELECT %s
                     FROM account_analytic_line l, generate_series(1, %s) g
                    WHERE l.id = ANY(%s)""",
                SQL(", ").join(SQL.identifier(column) for column in columns),
                SQL(", ").join(values),
                copies,
                lines.ids,
            )
        )
    cr.execute(
        "SELECT id FROM account_analytic_line WHERE id >= %s ORDER BY id LIMIT %s",
        [min(lines.ids), total],
    )
    env.invalidate_all()
    return [row[0] for row in cr.fetchall()]


# Durations of the billing data set: not multiples of the rounding increment,
# and at most 5 of them a day for one person (see spread_billing_lines), so no
# day goes over 12 h.
BILLING_HOURS = (0.2, 0.35, 0.5, 0.8, 1.1, 1.4, 1.75, 2.1)


def build_billing(
    env,
    entries,
    prepare,
    approve=None,
    *,
    projects=50,
    tasks_per_project=10,
    people=20,
    days=1200,
    template=1000,
):
    """`entries` timesheet entries of `people` people on `projects` projects
    (each with its own client and `tasks_per_project` tasks), dated over the
    `days` days before today: `template` of them made through the ORM, the rest
    copied in SQL (replicate_lines), then spread over the days.

    prepare(projects) runs before the entries are made (stock: each project's
    sale order; add-ons: each project's engagement); approve(entries) on the
    ORM-made entries before they are copied, so that the copies carry what it
    stored. Returns (projects, entry ids)."""
    staff, _tasks = build_people(env, people, projects=0)
    partners = env["res.partner"].create(
        [{"name": f"Bench Client {i:03d}", "is_company": True} for i in range(projects)]
    )
    project_records = env["project.project"].create(
        [
            {
                "name": f"Bench Billed Project {i:03d}",
                "partner_id": partner.id,
                "allow_timesheets": True,
                "company_id": env.company.id,
            }
            for i, partner in enumerate(partners)
        ]
    )
    prepare(project_records)
    tasks = env["project.task"].create(
        [
            {"name": f"Task {t}", "project_id": project.id}
            for project in project_records
            for t in range(tasks_per_project)
        ]
    )
    rng = random.Random(SEED)
    start = date.today() - timedelta(days=days)
    task_pairs = [(task.id, task.project_id.id) for task in tasks]
    values = []
    for i in range(min(entries, template)):
        task_id, project_id = task_pairs[rng.randrange(len(task_pairs))]
        values.append(
            {
                "employee_id": staff.ids[rng.randrange(len(staff))],
                "project_id": project_id,
                "task_id": task_id,
                "date": start,
                "unit_amount": rng.choice(BILLING_HOURS),
                "name": f"Bench work {i}",
            }
        )
    made = create_lines(env, values)
    if approve:
        approve(made)
    ids = replicate_lines(env, made, entries, days)
    spread_billing_lines(env, ids, start, days)
    env.cr.execute("ANALYZE account_analytic_line")
    return project_records, ids


def spread_billing_lines(env, ids, start, days):
    """Give the entries distinct notes (no likely duplicates) and spread each
    person's entries evenly over the days: entries / people / days a day."""
    env.flush_all()
    env.cr.execute(
        """
        UPDATE account_analytic_line line
           SET date = %(start)s::date + (s.k %% %(days)s)::int,
               name = 'Bench work ' || s.n
          FROM (SELECT id,
                       row_number() OVER (PARTITION BY employee_id ORDER BY id)
                           - 1 AS k,
                       row_number() OVER (ORDER BY id) AS n
                  FROM account_analytic_line
                 WHERE id = ANY(%(ids)s)) s
         WHERE s.id = line.id
        """,
        {"start": start, "days": days, "ids": ids},
    )
    env.invalidate_all()
