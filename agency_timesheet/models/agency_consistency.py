"""Consistency: who logs their days completely and on time, never who logs the
most hours.

For each person who logs time, over the last weeks: the current streak of
working days logged completely and on time, and the share of such days. A day
counts when the time logged for it *by the end of the next day* reaches the
company's reminder share of the hours expected that day (their calendar minus
holidays and leave). Days off do not break a streak. The leaderboard ranks by
streak, then share; it shows no hours at all.

The table is refreshed every night and on demand; the arithmetic is a plain
function (:func:`consistency`), tested directly.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

WINDOW_DAYS = 56  # the streak looks back this far
SHARE_DAYS = 28  # the share of complete days is over the last four weeks


def consistency(days, share, share_from=None):
    """Streak and share of complete days.

    :param days: [(date, expected hours, hours logged on time)], oldest first,
        working days only (expected > 0)
    :param share: the fraction of a day's expected hours that makes it complete
    :param share_from: count the share over the days from this date only
    :return: (streak, complete days, working days) — streak counts the complete
        days in a row up to the last one; the counts are over share_from onwards
    """
    complete = [logged >= share * expected for _day, expected, logged in days]
    streak = 0
    for done in reversed(complete):
        if not done:
            break
        streak += 1
    recent = [
        done
        for (day, _e, _l), done in zip(days, complete, strict=True)
        if share_from is None or day >= share_from
    ]
    return streak, sum(recent), len(recent)


class AgencyConsistency(models.Model):
    _name = "agency.consistency"
    _description = "Agency timesheet consistency"
    _order = "rank, id"
    _rec_name = "employee_id"

    employee_id = fields.Many2one(
        "hr.employee", required=True, readonly=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True)
    department_id = fields.Many2one(
        "hr.department", string="Team", readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    streak = fields.Integer(
        readonly=True,
        help="Working days in a row, up to yesterday, logged completely and on time.",
    )
    complete_days = fields.Integer(readonly=True, aggregator="sum")
    working_days = fields.Integer(readonly=True, aggregator="sum")
    on_time_share = fields.Float(
        string="On Time (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the working days of the last four weeks logged completely "
        "and on time.",
    )
    rank = fields.Integer(readonly=True)
    refreshed_on = fields.Date(readonly=True)

    @api.model
    def _cron_refresh(self):
        for company in self.env["res.company"].search([]):
            self.with_company(company).action_refresh()

    @api.model
    def action_refresh(self):
        """Recompute the table for the current company, up to yesterday."""
        company = self.env.company
        today = fields.Date.context_today(self)
        last = today - timedelta(days=1)
        first = today - timedelta(days=WINDOW_DAYS)
        people = (
            self.env["agency.reminder"]
            ._people(with_user=False)
            .filtered(lambda employee: employee.company_id == company)
        )
        expected = people._agency_expected_hours(first, last)
        on_time = self._on_time_hours(people, first, last)
        share = company.agency_reminder_share / 100.0
        rows = []
        for employee in people:
            days = [
                (day, hours, on_time.get((employee.id, day), 0.0))
                for day, hours in sorted(expected[employee.id].items())
                if hours
            ]
            streak, complete, working = consistency(
                days, share, share_from=today - timedelta(days=SHARE_DAYS)
            )
            rows.append(
                {
                    "employee_id": employee.id,
                    "department_id": employee.department_id.id,
                    "company_id": company.id,
                    "streak": streak,
                    "complete_days": complete,
                    "working_days": working,
                    "on_time_share": 100.0 * complete / working if working else 0.0,
                    "refreshed_on": today,
                }
            )
        rows.sort(key=lambda row: (-row["streak"], -row["on_time_share"]))
        rank = 0
        previous = None
        for position, row in enumerate(rows, start=1):
            key = (row["streak"], row["on_time_share"])
            if key != previous:
                rank, previous = position, key
            row["rank"] = rank
        self.sudo().search([("company_id", "=", company.id)]).unlink()
        self.sudo().create(rows)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    def _on_time_hours(self, employees, first, last):
        """{(employee id, day): hours logged for that day by the end of the next
        day}. SQL, because the ORM cannot compare two columns of a row."""
        if not employees:
            return {}
        self.env["account.analytic.line"].flush_model(
            ["employee_id", "date", "unit_amount", "project_id"]
        )
        # SQL: _read_group cannot compare two columns of a row (create_date
        # with date), and grouping by create_date:day would shift it by time zone.
        self.env.cr.execute(
            SQL(
                """
                SELECT employee_id, date, SUM(unit_amount)
                  FROM account_analytic_line
                 WHERE employee_id = ANY(%s)
                   AND project_id IS NOT NULL
                   AND date BETWEEN %s AND %s
                   AND create_date < date + interval '2 days'
                 GROUP BY employee_id, date
                """,
                employees.ids,
                first,
                last,
            )
        )
        return {(emp, day): hours for emp, day, hours in self.env.cr.fetchall()}
