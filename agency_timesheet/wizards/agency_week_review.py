"""Weeks to review: each person's week against their working hours, for the
approver, with the week's entries one click away.

The rows are built when the screen opens (targets come from working calendars,
which SQL cannot read), for the weeks with submitted entries the user approves
(all of them for Agency administrators) and the last completed week.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from ..tools import week_bounds


class AgencyWeekReview(models.TransientModel):
    _name = "agency.week.review"
    _description = "Timesheet week to review"
    _order = "week_start desc, employee_id"

    employee_id = fields.Many2one("hr.employee", readonly=True)
    department_id = fields.Many2one("hr.department", string="Team", readonly=True)
    week_start = fields.Date(readonly=True)
    week_end = fields.Date(readonly=True)
    expected_hours = fields.Float(string="Expected", readonly=True)
    logged_hours = fields.Float(string="Logged", readonly=True)
    draft_hours = fields.Float(string="Draft", readonly=True)
    submitted_hours = fields.Float(string="To Approve", readonly=True)
    approved_hours = fields.Float(string="Approved", readonly=True)
    rejected_hours = fields.Float(string="Rejected", readonly=True)
    gap_hours = fields.Float(string="Gap", readonly=True, help="Logged minus expected.")

    @api.model
    def action_open(self):
        rows = self._build_rows()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Weeks to Review"),
            "res_model": self._name,
            # Phones get the cards (an action returned as a dict names its
            # mobile view itself).
            "view_mode": "list,kanban",
            "mobile_view_mode": "kanban",
            "domain": [("id", "in", rows.ids)],
            "context": {"search_default_groupby_week": 1},
        }

    @api.model
    def _build_rows(self):
        Line = self.env["account.analytic.line"]
        user = self.env.user
        company = self.env.company
        week_start_day = int(company.agency_week_start)
        today = fields.Date.context_today(self)
        last_week = week_bounds(today - timedelta(days=7), week_start_day)
        domain = [("project_id", "!=", False), ("role_id", "!=", False)]
        if not user.has_group("agency_timesheet.group_agency_admin"):
            domain.append(("approver_id", "=", user.id))
        pending = Line._read_group(
            [*domain, ("approval_state", "=", "submitted")], ["employee_id", "date:day"]
        )
        recent = Line._read_group(
            [*domain, ("date", ">=", last_week[0]), ("date", "<=", last_week[1])],
            ["employee_id"],
        )
        weeks = {
            (employee, week_bounds(day, week_start_day)) for employee, day in pending
        }
        weeks |= {(employee, last_week) for (employee,) in recent}
        if not weeks:
            return self.browse()
        first = min(bounds[0] for _e, bounds in weeks)
        last = max(bounds[1] for _e, bounds in weeks)
        employees = self.env["hr.employee"].concat(
            *{employee for employee, _b in weeks}
        )
        expected = employees.sudo()._agency_expected_hours(first, last)
        hours = defaultdict(float)
        for employee, day, state, total in Line._read_group(
            [
                *domain,
                ("employee_id", "in", employees.ids),
                ("date", ">=", first),
                ("date", "<=", last),
            ],
            ["employee_id", "date:day", "approval_state"],
            ["unit_amount:sum"],
        ):
            bounds = week_bounds(day, week_start_day)
            hours[(employee, bounds, state or "draft")] += total
        vals_list = []
        for employee, (start, end) in sorted(
            weeks, key=lambda item: (item[1][0], item[0].name)
        ):
            target = sum(
                value
                for day, value in expected[employee.id].items()
                if start <= day <= end
            )
            by_state = {
                state: hours[(employee, (start, end), state)]
                for state in ("draft", "submitted", "approved", "rejected")
            }
            logged = sum(by_state.values())
            vals_list.append(
                {
                    "employee_id": employee.id,
                    "department_id": employee.sudo().department_id.id,
                    "week_start": start,
                    "week_end": end,
                    "expected_hours": target,
                    "logged_hours": logged,
                    "draft_hours": by_state["draft"],
                    "submitted_hours": by_state["submitted"],
                    "approved_hours": by_state["approved"],
                    "rejected_hours": by_state["rejected"],
                    "gap_hours": logged - target,
                }
            )
        return self.create(vals_list)

    def _lines(self, states=None):
        self.ensure_one()
        domain = [
            ("employee_id", "=", self.employee_id.id),
            ("project_id", "!=", False),
            ("date", ">=", self.week_start),
            ("date", "<=", self.week_end),
        ]
        if states:
            domain.append(("approval_state", "in", states))
        if not self.env.user.has_group("agency_timesheet.group_agency_admin"):
            domain.append(("approver_id", "=", self.env.uid))
        return self.env["account.analytic.line"].search(domain)

    def action_approve_week(self):
        """Approve the submitted entries of the weeks, in one batch (the checks,
        the audit rows and billing's price freeze once for all of them)."""
        self.env["account.analytic.line"].concat(
            *(row._lines(["submitted"]) for row in self)
        ).action_approve()
        return self.action_open()

    def action_open_entries(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(person)s, week of %(day)s",
                person=self.employee_id.name,
                day=self.week_start,
            ),
            "res_model": "account.analytic.line",
            "views": [
                (False, "list"),
                (
                    self.env.ref(
                        "agency_timesheet.account_analytic_line_view_kanban_approve"
                    ).id,
                    "kanban",
                ),
                (False, "form"),
            ],
            "mobile_view_mode": "kanban",
            "domain": [("id", "in", self._lines().ids)],
            "context": {"search_default_groupby_project": 1},
        }
