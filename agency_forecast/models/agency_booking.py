"""Bookings: scheduled work for a person, or for a role when nobody is named
yet (a placeholder: unfilled demand), on a project and optionally a task, over
a date range, as hours per week, a share of capacity, or hours in total (a
task's allocated hours up to its deadline); tentative or confirmed.

Bookings never touch timesheets: they are what the heatmap compares with
capacity for the weeks to come, and what the staffing signals read. Their
spread over days is capacity.py's (``spread``), on the person's capacity (a
placeholder's: the company's calendar).

Who sees what (security/agency_booking_security.xml): everyone reads their own
bookings; Producers read and book on their projects (hours only: a booking has
no money); Billing and Administrators all of them.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .. import capacity as cap


class AgencyBooking(models.Model):
    _name = "agency.booking"
    _description = "Agency Booking"
    _order = "date_from desc, id desc"
    _check_company_auto = True

    employee_id = fields.Many2one(
        "hr.employee",
        string="Person",
        index=True,
        check_company=True,
        help="Leave empty for a placeholder: work for the role, nobody named yet.",
    )
    role_id = fields.Many2one(
        "agency.role",
        compute="_compute_role_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        index=True,
        check_company=True,
    )
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        check_company=True,
        domain="[('allow_timesheets', '=', True)]",
    )
    task_id = fields.Many2one(
        "project.task",
        check_company=True,
        domain="[('project_id', '=', project_id)]",
    )
    partner_id = fields.Many2one(
        related="project_id.partner_id", string="Client", store=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    mode = fields.Selection(cap.MODES, required=True, default="week")
    hours = fields.Float(
        help="Hours per week, or hours in total over the range, depending on the mode."
    )
    share = fields.Float(string="Share (%)", help="Share of the person's capacity.")
    state = fields.Selection(
        [("tentative", "Tentative"), ("confirmed", "Confirmed")],
        required=True,
        default="confirmed",
        index=True,
    )
    note = fields.Text()
    placeholder = fields.Boolean(
        compute="_compute_placeholder", store=True, precompute=True
    )
    booked_hours = fields.Float(
        compute="_compute_booked_hours",
        help="The hours this booking lays on the person's capacity over its range.",
    )

    @api.depends("employee_id")
    def _compute_role_id(self):
        for booking in self:
            if booking.employee_id.role_id:
                booking.role_id = booking.employee_id.role_id
            else:
                booking.role_id = booking.role_id

    @api.depends("employee_id")
    def _compute_placeholder(self):
        for booking in self:
            booking.placeholder = not booking.employee_id

    @api.depends("employee_id", "date_from", "date_to", "mode", "hours", "share")
    def _compute_booked_hours(self):
        spreads = self._agency_spreads()
        for booking in self:
            booking.booked_hours = round(sum(spreads.get(booking.id, {}).values()), 2)

    @api.depends("employee_id", "role_id", "project_id", "date_from", "date_to")
    def _compute_display_name(self):
        for booking in self:
            who = booking.employee_id.name or self.env._(
                "%(role)s (to find)", role=booking.role_id.name or ""
            )
            booking.display_name = f"{who} · {booking.project_id.name or ''}"

    @api.constrains("date_from", "date_to", "mode", "hours", "share")
    def _check_amounts(self):
        for booking in self:
            if booking.date_to < booking.date_from:
                raise ValidationError(
                    self.env._(
                        "%(booking)s ends on %(end)s, before it starts on %(start)s: "
                        "correct the dates.",
                        booking=booking.display_name,
                        end=booking.date_to,
                        start=booking.date_from,
                    )
                )
            if booking.mode == "share":
                if not 0 < booking.share <= 100:
                    raise ValidationError(
                        self.env._(
                            "%(booking)s: a share of capacity is more than 0 and at "
                            "most 100 %% (%(share)s %% given); book the rest on "
                            "another booking or as hours.",
                            booking=booking.display_name,
                            share=booking.share,
                        )
                    )
            elif booking.hours <= 0:
                raise ValidationError(
                    self.env._(
                        "%(booking)s books %(hours)s hours: give a positive number "
                        "of hours.",
                        booking=booking.display_name,
                        hours=booking.hours,
                    )
                )

    @api.constrains("employee_id", "project_id", "task_id")
    def _check_subjects(self):
        for booking in self.sudo().with_context(active_test=False):
            if booking.employee_id and not booking.employee_id.active:
                raise ValidationError(
                    self.env._(
                        "%(person)s is archived: book someone else, or a "
                        "placeholder for the role.",
                        person=booking.employee_id.name,
                    )
                )
            if not booking.project_id.allow_timesheets:
                raise ValidationError(
                    self.env._(
                        "%(project)s has no timesheets: bookings are for projects "
                        "people log time on. Turn on Timesheets on the project, or "
                        "book another one.",
                        project=booking.project_id.display_name,
                    )
                )
            if booking.task_id and booking.task_id.project_id != booking.project_id:
                raise ValidationError(
                    self.env._(
                        "%(task)s is not a task of %(project)s.",
                        task=booking.task_id.display_name,
                        project=booking.project_id.display_name,
                    )
                )

    # -- actions --

    @api.model
    def action_copy_last_week(self, day=None):
        """Copy the bookings of last week that one may change into this week
        (those still running into this week are left as they are)."""
        day = fields.Date.to_date(day) or fields.Date.context_today(self)
        monday = cap.monday(day)
        last_monday = monday - timedelta(days=7)
        last_sunday = monday - timedelta(days=1)
        source = self.search(
            [
                ("date_from", "<=", last_sunday),
                ("date_to", ">=", last_monday),
                ("date_to", "<", monday),
            ]
        )
        source = source.filtered(lambda b: b.has_access("write"))
        copies = self.create(
            [
                {
                    "employee_id": booking.employee_id.id,
                    "role_id": booking.role_id.id,
                    "project_id": booking.project_id.id,
                    "task_id": booking.task_id.id,
                    "company_id": booking.company_id.id,
                    "date_from": max(booking.date_from + timedelta(days=7), monday),
                    "date_to": booking.date_to + timedelta(days=7),
                    "mode": booking.mode,
                    "hours": booking.hours,
                    "share": booking.share,
                    "state": booking.state,
                    "note": booking.note,
                }
                for booking in source
                if booking.mode != "total"
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bookings copied from last week"),
            "res_model": "agency.booking",
            "view_mode": "list,form",
            "domain": [("id", "in", copies.ids)],
        }

    # -- business methods --

    def _agency_spreads(self, first=None, last=None, capacity=None):
        """{booking id: {day: hours}}, clipped to [first, last] when given;
        `capacity` ({employee id or placeholder key: {day: hours}}) is read
        when not passed."""
        bookings = self.filtered(
            lambda b: b.date_from and b.date_to and b.date_to >= b.date_from
        )
        if not bookings:
            return {}
        if capacity is None:
            start = cap.monday(min(bookings.mapped("date_from")))
            end = cap.monday(max(bookings.mapped("date_to"))) + timedelta(days=6)
            capacity = self.env["agency.capacity"]._agency_capacity(
                bookings.employee_id, start, end, bookings.company_id
            )
        spreads = {}
        for booking in bookings:
            key = booking.employee_id.id or ("placeholder", booking.company_id.id)
            amount = booking.share if booking.mode == "share" else booking.hours
            spread = cap.spread(
                booking.mode,
                booking.date_from,
                booking.date_to,
                amount,
                capacity.get(key, {}),
            )
            if first or last:
                spread = {
                    day: hours
                    for day, hours in spread.items()
                    if (not first or day >= first) and (not last or day <= last)
                }
            spreads[booking.id or booking._origin.id] = spread
        return spreads

    @api.model
    def _agency_task_values(self, task, date_from, date_to=None, employee=None):
        """Values of a booking of `task`'s remaining allocated hours, from
        `date_from` up to its deadline (or `date_to`): asks for an end date
        when the task has none."""
        end = date_to or (task.date_deadline and task.date_deadline.date())
        if not end:
            raise UserError(
                self.env._(
                    "%(task)s has no deadline: give the booking an end date, or set "
                    "the task's deadline first.",
                    task=task.display_name,
                )
            )
        remaining = task.allocated_hours - task.effective_hours
        if remaining <= 0:
            raise UserError(
                self.env._(
                    "%(task)s has no allocated hours left to book (%(allocated)s "
                    "allocated, %(spent)s spent): raise its allocated hours or "
                    "book hours per week.",
                    task=task.display_name,
                    allocated=task.allocated_hours,
                    spent=task.effective_hours,
                )
            )
        employee = employee or task.user_ids.employee_id[:1]
        return {
            "employee_id": employee.id,
            "role_id": employee.role_id.id,
            "project_id": task.project_id.id,
            "task_id": task.id,
            "company_id": (task.company_id or task.project_id.company_id).id
            or self.env.company.id,
            "date_from": date_from,
            "date_to": end,
            "mode": "total",
            "hours": round(remaining, 2),
            "state": "tentative",
        }
