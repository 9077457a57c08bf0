"""The adoption dashboard's three months of history: teams, when weeks were
submitted and approved, the reminders the late logger got, then the figures.

Most weeks (the week to review too) are submitted on the Monday morning after
them (before the 10:00 deadline) and approved within a day or two; the late
logger (timesheets.py) submits on Tuesday afternoon and gets a reminder for
each day he logs late.
"""

from odoo.tools import SQL

from .people import PEOPLE
from .timesheets import LATE_LOGGER

TEAMS = {
    "Design": ("AD", "DES"),
    "Strategy and Copy": ("STR", "CW"),
    "Production": ("PRD",),
    "Development": ("DEV",),
}


def build_adoption(env, company, employees, plan):
    Department = env["hr.department"]
    for name, roles in TEAMS.items():
        team = Department.create({"name": name, "company_id": company.id})
        keys = [key for key, _n, role, *_rest in PEOPLE if role in roles]
        env["hr.employee"].concat(
            *(employees[k] for k in keys if k in employees)
        ).write({"department_id": team.id})
    late = employees[LATE_LOGGER]
    env["account.analytic.line"].flush_model()
    # A bulk UPDATE of the approval traces of three months of approved entries
    # (the ORM never writes them outside a transition).
    env.cr.execute(
        SQL(
            """UPDATE account_analytic_line line
                  SET submitted_on = traces.submitted_at,
                      approved_on = traces.submitted_at
                          + make_interval(hours => traces.wait)
                 FROM (
                      SELECT id,
                             date_trunc('week', date) + CASE
                             WHEN employee_id = %(late)s
                               OR mod(employee_id
                                      + extract(week FROM date)::int, 9) = 0
                             THEN interval '8 days 14 hours'
                             ELSE interval '7 days 7 hours' END AS submitted_at,
                             3 + mod(employee_id * 7
                                     + extract(week FROM date)::int, 40) AS wait
                        FROM account_analytic_line
                       WHERE approval_state = 'approved'
                         AND project_id IS NOT NULL
                         AND date <= %(until)s
                 ) traces
                WHERE traces.id = line.id""",
            late=late.id,
            until=plan.approved_until,
        )
    )
    # The week to review was submitted on the Monday morning after it, as the
    # weeks before (not on the day the demo is built, which would read late);
    # never later than now.
    env.cr.execute(
        SQL(
            """UPDATE account_analytic_line
                  SET submitted_on = LEAST(
                      date_trunc('week', date) + interval '7 days 7 hours',
                      submitted_on)
                WHERE approval_state = 'submitted'
                  AND project_id IS NOT NULL
                  AND submitted_on IS NOT NULL"""
        )
    )
    env["account.analytic.line"].invalidate_model(["submitted_on", "approved_on"])
    first, last = plan.history
    late_days = env["account.analytic.line"]._read_group(
        [("employee_id", "=", late.id), ("date", ">=", first), ("date", "<=", last)],
        ["date:day"],
    )
    env["agency.reminder.log"].create(
        [
            {
                "employee_id": late.id,
                "department_id": late.department_id.id,
                "sent_on": day,
                "day": day,
            }
            for (day,) in late_days
        ]
    )
    env["agency.adoption.week"]._agency_refresh(first, last)
