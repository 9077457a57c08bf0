"""My Week: the current person's time as a grid of (project, task) rows by days.

The web client's keyboard-first weekly screen reads the whole week in one call
(`get_week`) and sets one cell at a time (`set_cell`). A cell is the hours one
person logged on one task (or project) on one day, whatever number of entries
hold them. Setting a cell only ever changes the person's draft entries: entries
submitted or approved make the cell read-only, entries sent back (rejected) stay
as they are and count towards the cell.

The cell arithmetic lives in `plan_cell`, a plain function tested directly.
"""

from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import week_bounds

# Below half a second, two amounts of hours are the same.
HOURS_TOLERANCE = 0.5 / 3600


def plan_cell(target, drafts, fixed=0.0):
    """How to make a cell hold `target` hours by changing its draft entries only.

    :param target: the hours the person typed for the cell
    :param drafts: the cell's draft entries, oldest first, as
        (key, hours, manual) tuples; manual is False for entries measured by a
        timer or accepted from a suggestion
    :param fixed: hours of the cell's entries that never change here
    :return: (updates, new) where updates maps the key of each draft entry to
        change to its new hours, and new is the hours of a manual draft entry to
        create (0.0 for none)
    :raise ValueError: when target is below the fixed hours

    One draft: it takes the difference. Several: time added goes to the newest
    manual draft (or a new manual entry, so that measured time stays as it was
    measured); time removed comes off the newest manual drafts first, then off
    the others, newest first, never below zero. Nothing is deleted.
    """
    wanted = target - fixed
    if wanted < -HOURS_TOLERANCE:
        raise ValueError(f"target {target} is below the fixed {fixed} hours")
    wanted = max(wanted, 0.0)
    if not drafts:
        return {}, (wanted if wanted > HOURS_TOLERANCE else 0.0)
    if len(drafts) == 1:
        key, hours, _manual = drafts[0]
        if abs(hours - wanted) <= HOURS_TOLERANCE:
            return {}, 0.0
        return {key: wanted}, 0.0
    delta = wanted - sum(hours for _key, hours, _manual in drafts)
    if abs(delta) <= HOURS_TOLERANCE:
        return {}, 0.0
    manual = [draft for draft in drafts if draft[2]]
    if delta > 0:
        if not manual:
            return {}, delta
        key, hours, _manual = manual[-1]
        return {key: hours + delta}, 0.0
    updates = {}
    remaining = -delta
    measured = [draft for draft in drafts if not draft[2]]
    for key, hours, _manual in list(reversed(manual)) + list(reversed(measured)):
        if remaining <= HOURS_TOLERANCE:
            break
        cut = min(hours, remaining)
        if cut > 0:
            updates[key] = hours - cut
            remaining -= cut
    return updates, 0.0


class AgencyMyWeek(models.AbstractModel):
    _name = "agency.my.week"
    _description = "My Week: my time by task and day"

    @api.model
    def get_week(self, day=None):
        """The current user's week holding `day` (default: today), in one call.

        :return: {start, today, employee_name, days: [{date, expected, logged,
            leave}], rows: [{key, project_id, project_name, task_id, task_name,
            cells: [{date, hours, readonly, reason}], total}], total, expected}
        """
        employee = self._employee()
        today = fields.Date.context_today(self)
        start, _end = week_bounds(
            fields.Date.to_date(day) or today,
            int(employee.company_id.agency_week_start or 0),
        )
        days = [start + timedelta(days=offset) for offset in range(7)]
        lines = self.env["account.analytic.line"].search(
            [
                ("employee_id", "=", employee.id),
                ("project_id", "!=", False),
                ("date", ">=", days[0]),
                ("date", "<=", days[-1]),
            ],
            order="date, id",
        )
        rows = {}
        for line in lines:
            key = (line.project_id, line.task_id)
            if key not in rows:
                rows[key] = {day: self.env["account.analytic.line"] for day in days}
            rows[key][line.date] |= line
        expected, leaves = self._expected_hours(employee, days)
        result_rows = []
        for (project, task), cells in rows.items():
            result_rows.append(
                {
                    "key": f"{project.id}-{task.id or 0}",
                    "project_id": project.id,
                    "project_name": project.sudo().display_name,
                    "task_id": task.id,
                    "task_name": task.sudo().name or "",
                    "cells": [self._cell(day, cells[day]) for day in days],
                    "total": sum(sum(cells[day].mapped("unit_amount")) for day in days),
                }
            )
        result_rows.sort(
            key=lambda row: (row["project_name"].lower(), row["task_name"].lower())
        )
        logged = {day: 0.0 for day in days}
        for line in lines:
            logged[line.date] += line.unit_amount
        return {
            "start": fields.Date.to_string(start),
            "today": fields.Date.to_string(today),
            "employee_name": employee.name,
            "days": [
                {
                    "date": fields.Date.to_string(day),
                    "expected": expected.get(day, 0.0),
                    "logged": logged[day],
                    "leave": leaves.get(day, ""),
                }
                for day in days
            ],
            "rows": result_rows,
            "total": sum(logged.values()),
            "expected": sum(expected.values()),
        }

    @api.model
    def set_cell(self, project_id, task_id, day, hours):
        """Make the current user's cell (project or task, day) hold `hours`.

        Only the person's draft entries change (see `plan_cell`); a new entry
        is a manual draft. Cells holding submitted or approved entries refuse.
        :return: the week, as `get_week` returns it
        """
        employee = self._employee()
        day = fields.Date.to_date(day)
        try:
            hours = float(hours)
        except (TypeError, ValueError):
            raise UserError(
                self.env._("%(hours)r is not a number of hours.", hours=hours)
            ) from None
        if not 0 <= hours <= 24:
            raise UserError(
                self.env._(
                    "A day holds between 0 and 24 hours; %(hours)s is not possible.",
                    hours=f"{hours:g}",
                )
            )
        task = self.env["project.task"].browse(task_id).exists() if task_id else None
        project = (
            task.project_id if task else self.env["project.project"].browse(project_id)
        )
        if not project.exists():
            raise UserError(self.env._("Choose a task or a project for this line."))
        Line = self.env["account.analytic.line"]
        lines = Line.search(
            [
                ("employee_id", "=", employee.id),
                ("project_id", "=", project.id),
                ("task_id", "=", task.id if task else False),
                ("date", "=", day),
            ],
            order="create_date, id",
        )
        reason = self._readonly_reason(lines, day)
        if reason:
            raise UserError(reason)
        drafts = lines.filtered(lambda line: line.approval_state == "draft")
        fixed = sum((lines - drafts).mapped("unit_amount"))
        try:
            updates, new = plan_cell(
                hours,
                [
                    (line.id, line.unit_amount, line.entry_source == "manual")
                    for line in drafts
                ],
                fixed,
            )
        except ValueError:
            raise UserError(
                self.env._(
                    "%(task)s on %(day)s holds %(fixed)s h in entries sent back to "
                    "you; the day cannot hold less. Correct those entries in My "
                    "Time.",
                    task=(task or project).sudo().display_name,
                    day=day,
                    fixed=f"{fixed:g}",
                )
            ) from None
        for line_id, line_hours in updates.items():
            Line.browse(line_id).unit_amount = line_hours
        if new:
            Line.create(
                {
                    "employee_id": employee.id,
                    "project_id": project.id,
                    "task_id": task.id if task else False,
                    "date": day,
                    "unit_amount": new,
                    "name": "/",
                    "entry_source": "manual",
                    "approval_state": "draft",
                }
            )
        return self.get_week(fields.Date.to_string(day))

    # -- helpers -------------------------------------------------------------

    def _employee(self):
        employee = self.env.user.employee_id
        if not employee:
            raise UserError(
                self.env._(
                    "You have no employee in %(company)s, so no time can be logged "
                    "for you there. Ask HR to link your user to an employee.",
                    company=self.env.company.name,
                )
            )
        return employee

    def _cell(self, day, lines):
        reason = self._readonly_reason(lines, day)
        return {
            "date": fields.Date.to_string(day),
            "hours": sum(lines.mapped("unit_amount")),
            "readonly": bool(reason),
            "reason": reason,
        }

    def _readonly_reason(self, lines, day=None):
        """Why the person cannot change these entries here, or an empty string."""
        lock = self.env.company.agency_timesheet_lock_date
        if lines.filtered("agency_locked") or (day and lock and day <= lock):
            return self.env._(
                "This day is on or before the timesheet lock date (%(lock)s): it "
                "cannot change.",
                lock=lock,
            )
        if lines.filtered("readonly_timesheet"):
            return self.env._("This time is invoiced or locked: it cannot change.")
        states = set(lines.mapped("approval_state"))
        if "approved" in states:
            return self.env._(
                "This time is approved: it cannot change. Ask your producer if it "
                "is wrong."
            )
        if "submitted" in states:
            return self.env._(
                "This time is submitted for approval: ask your producer to send "
                "it back to change it."
            )
        return ""

    def _expected_hours(self, employee, days):
        """Hours the person is expected to work each day, and their leaves.

        From the employee's working calendar (the company's when they have
        none), in their own time zone, without their leaves and public holidays.
        :return: ({date: hours}, {date: leave name})
        """
        employee = employee.sudo()
        calendar = (
            employee.resource_calendar_id or employee.company_id.resource_calendar_id
        )
        if not calendar:
            return {}, {}
        expected = employee._agency_expected_hours(days[0], days[-1])[employee.id]
        tz = pytz.timezone(employee.tz or self.env.user.tz or "UTC")
        start = tz.localize(datetime.combine(days[0], time.min))
        stop = tz.localize(datetime.combine(days[-1] + timedelta(days=1), time.min))
        leaves = {}
        for day, _hours, leave in employee.list_leaves(start, stop, calendar=calendar):
            leaves.setdefault(day, leave[:1].name or self.env._("Time off"))
        return expected, leaves
