"""Timers: start, pause, resume and stop, with the state kept on the server.

A timer belongs to one person. At most one of a person's timers runs at a time;
the database enforces it with a partial unique index, so two browsers starting a
timer at the same instant cannot both succeed. Stopping creates one draft
timesheet entry with the raw elapsed time, exactly once, however many devices
press stop. Each change is pushed on the bus so every open session of the person
shows the same timer.

The arithmetic (elapsed time, idle keep/discard/split, where a forgotten timer
is cut) lives in plain functions below, tested directly.
"""

from datetime import datetime, timedelta

import psycopg2
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

NOTE_MAX_LENGTH = 500
IDLE_CHOICES = ("keep", "discard", "split")


def elapsed_seconds(accumulated, run_started, now):
    """Seconds on a timer: what earlier runs accumulated plus the current run."""
    running = (now - run_started).total_seconds() if run_started else 0.0
    return max(0.0, accumulated + max(0.0, running))


def idle_split(elapsed, idle_seconds, choice):
    """What an idle period does to a timer.

    :param elapsed: seconds on the timer now, idle time included
    :param idle_seconds: seconds without input, ending now
    :param choice: keep (count it), discard (drop it) or split (move it to an
        entry of its own)
    :return: (seconds left on the timer, seconds for a separate entry)
    """
    if choice not in IDLE_CHOICES:
        raise ValueError(f"unknown idle choice {choice!r}")
    idle = min(max(0.0, idle_seconds), max(0.0, elapsed))
    if choice == "keep":
        return elapsed, 0.0
    if choice == "discard":
        return elapsed - idle, 0.0
    return elapsed - idle, idle


def forgotten_cutoff(run_started, accumulated, max_hours, workday_end=None):
    """The instant a forgotten timer should have stopped.

    A timer stops once it holds max_hours, or at the end of the person's working
    day when the run started before that end (an evening run after hours is
    only capped by max_hours).
    """
    by_length = run_started + timedelta(
        seconds=max(0.0, max_hours * 3600 - accumulated)
    )
    if workday_end and run_started < workday_end < by_length:
        return workday_end
    return by_length


class AgencyTimer(models.Model):
    _name = "agency.timer"
    _description = "Agency Timer"
    _order = "state_sequence, write_date desc, id desc"
    _check_company_auto = True
    _rec_name = "project_id"

    user_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    project_id = fields.Many2one(
        "project.project",
        required=True,
        check_company=True,
        domain="[('allow_timesheets', '=', True)]",
    )
    task_id = fields.Many2one(
        "project.task",
        check_company=True,
        domain="[('project_id', '=?', project_id)]",
    )
    # Found once, when the timer is created, so that stopping it (the hot path:
    # its entry is created at that moment) does not look the person up again.
    employee_id = fields.Many2one(
        "hr.employee",
        compute="_compute_employee_id",
        store=True,
        precompute=True,
        readonly=True,
        help="Whose time the timer counts: the owner's employee in the timer's "
        "company.",
    )
    date = fields.Date(
        string="Day",
        compute="_compute_date",
        store=True,
        precompute=True,
        readonly=True,
        help="The day its entry is dated: the day the timer started, in the "
        "person's time zone.",
    )
    note = fields.Char(help="A quick note; it becomes the entry's description.")
    state = fields.Selection(
        [("running", "Running"), ("paused", "Paused"), ("stopped", "Stopped")],
        default="running",
        required=True,
        readonly=True,
        index=True,
    )
    state_sequence = fields.Integer(
        compute="_compute_state_sequence", store=True, readonly=True, precompute=True
    )
    started_at = fields.Datetime(
        string="Started",
        readonly=True,
        default=fields.Datetime.now,
        help="When the timer was first started; its entry is dated that day.",
    )
    run_started_at = fields.Datetime(
        readonly=True, help="When the current run started (running timers)."
    )
    accumulated_seconds = fields.Float(
        readonly=True, help="Seconds counted by earlier runs of this timer."
    )
    stopped_at = fields.Datetime(readonly=True)
    auto_stopped = fields.Boolean(
        readonly=True, help="Stopped by the forgotten-timer check, not by the person."
    )
    line_id = fields.Many2one(
        "account.analytic.line",
        string="Timesheet Entry",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )
    elapsed = fields.Float(
        compute="_compute_elapsed",
        string="Elapsed (hours)",
        help="Hours on the timer, the current run included.",
    )

    @api.private
    def init(self):
        # The rule that matters most, enforced where no race can break it.
        # SQL: a partial unique index (DDL), which _sql_constraints cannot say.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS agency_timer_one_running_per_user"
                " ON agency_timer (user_id) WHERE state = 'running'"
            )
        )

    @api.depends("user_id", "company_id")
    def _compute_employee_id(self):
        for timer in self:
            timer.employee_id = timer._find_employee()

    @api.depends("started_at", "employee_id")
    def _compute_date(self):
        for timer in self:
            tz = pytz.timezone(timer.employee_id.sudo().tz or timer.user_id.tz or "UTC")
            start = timer.started_at or fields.Datetime.now()
            timer.date = pytz.utc.localize(start).astimezone(tz).date()

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"running": 0, "paused": 1, "stopped": 2}
        for timer in self:
            timer.state_sequence = order.get(timer.state, 3)

    @api.depends_context("uid")
    @api.depends("accumulated_seconds", "run_started_at", "state")
    def _compute_elapsed(self):
        now = fields.Datetime.now()
        for timer in self:
            timer.elapsed = timer._elapsed_at(now) / 3600.0

    @api.constrains("note")
    def _check_note(self):
        for timer in self:
            if timer.note and len(timer.note) > NOTE_MAX_LENGTH:
                raise ValidationError(
                    self.env._(
                        "The note of the timer on %(project)s has %(length)s "
                        "characters; keep it under %(max)s (the entry's description "
                        "can be completed afterwards).",
                        project=timer.project_id.display_name,
                        length=len(timer.note),
                        max=NOTE_MAX_LENGTH,
                    )
                )

    @api.constrains("project_id", "task_id")
    def _check_project(self):
        for timer in self:
            project = timer.project_id.sudo()
            if not project.active or not project.allow_timesheets:
                raise ValidationError(
                    self.env._(
                        "No timer can run on project %(project)s: it is archived or "
                        "does not record timesheets. Choose another project.",
                        project=project.display_name,
                    )
                )
            if timer.task_id and timer.task_id.sudo().project_id != project:
                raise ValidationError(
                    self.env._(
                        "Task %(task)s is not part of project %(project)s.",
                        task=timer.task_id.sudo().display_name,
                        project=project.display_name,
                    )
                )

    # -- actions -------------------------------------------------------------

    @api.model
    def action_start(self, project_id=False, task_id=False, note=False):
        """Start a timer for the current user on a task or a project.

        The timer already running, if any, is paused or stopped first, as the
        person chose in their preferences.
        """
        for value in (project_id, task_id):
            if value and (isinstance(value, bool) or not isinstance(value, int)):
                raise UserError(
                    self.env._("Choose one task or one project to start a timer.")
                )
        task = self.env["project.task"].browse(task_id) if task_id else None
        project_id = project_id or (task and task.project_id.id)
        if not project_id:
            raise UserError(self.env._("Choose a task or a project to start a timer."))
        running = self.search(
            [("user_id", "=", self.env.uid), ("state", "=", "running")]
        )
        if running:
            if self.env.user.agency_timer_switch == "stop":
                running.action_stop()
            else:
                running.action_pause()
        now = fields.Datetime.now()
        vals = {
            "project_id": project_id,
            "task_id": task.id if task else False,
            "note": note or False,
            "state": "running",
            "started_at": now,
            "run_started_at": now,
            "company_id": (task.company_id.id if task else False)
            or self.env["project.project"].browse(project_id).company_id.id
            or self.env.company.id,
        }
        timer = self._create_running(vals)
        timer._employee()  # fail now, not at stop, for a person without employee
        timer._notify_change()
        return timer._timer_info()

    def action_pause(self):
        now = fields.Datetime.now()
        for timer in self._lock_rows().filtered(lambda t: t.state == "running"):
            timer.write(
                {
                    "state": "paused",
                    "accumulated_seconds": timer._elapsed_at(now),
                    "run_started_at": False,
                }
            )
        self._notify_change()
        return True

    def action_resume(self):
        self.ensure_one()
        timer = self._lock_rows()
        if timer.state != "paused":
            return timer._timer_info()
        running = self.search(
            [
                ("user_id", "=", timer.user_id.id),
                ("state", "=", "running"),
                ("id", "!=", timer.id),
            ]
        )
        if running:
            if timer.user_id.agency_timer_switch == "stop":
                running.action_stop()
            else:
                running.action_pause()
        self._set_running(
            timer, {"state": "running", "run_started_at": fields.Datetime.now()}
        )
        timer._notify_change()
        return timer._timer_info()

    def action_stop(self, at=None):
        """Stop the timers and create their draft entries, once.

        A timer already stopped (here, on another device, or by the forgotten
        timer check) is left as it is: nothing is created twice.
        :param at: stop as of this instant instead of now (forgotten timers)
        :return: the entries created
        """
        now = fields.Datetime.now()
        lines = self.env["account.analytic.line"]
        for timer in self._lock_rows():
            if timer.state == "stopped":
                continue
            stop_at = min(at, now) if at else now
            seconds = timer._elapsed_at(stop_at)
            timer.write(
                {
                    "state": "stopped",
                    "stopped_at": stop_at,
                    "accumulated_seconds": seconds,
                    "run_started_at": False,
                }
            )
            if seconds > 0:
                timer.line_id = timer._create_entry(seconds)
                lines |= timer.line_id
        self._notify_change()
        return lines

    def action_idle(self, choice, idle_seconds):
        """Apply the person's answer to the idle prompt of the web client.

        :return: the timer's state after the answer (nothing changes when the
            timer was stopped or paused elsewhere in the meantime)
        """
        self.ensure_one()
        if choice not in IDLE_CHOICES:
            raise UserError(self.env._("Unknown answer %(choice)s.", choice=choice))
        timer = self._lock_rows()
        if timer.state != "running" or choice == "keep":
            return timer._timer_info()
        now = fields.Datetime.now()
        left, split = idle_split(timer._elapsed_at(now), float(idle_seconds), choice)
        timer.write({"accumulated_seconds": left, "run_started_at": now})
        if split > 0:
            timer._create_entry(
                split,
                note=self.env._("Idle time on %(note)s", note=timer.note or "timer"),
            )
        timer._notify_change()
        return timer._timer_info()

    @api.model
    def get_current(self):
        """The current user's timers for the systray: the running one first."""
        timers = self.search(
            [("user_id", "=", self.env.uid), ("state", "in", ("running", "paused"))],
            limit=10,
        )
        return {
            "timers": [timer._timer_info() for timer in timers],
            "server_now": fields.Datetime.to_string(fields.Datetime.now()),
            "idle_minutes": self.env.user.agency_idle_minutes,
        }

    # -- forgotten timers ----------------------------------------------------

    @api.model
    def _cron_stop_forgotten(self):
        """Stop timers left running past their limit and tell their owners."""
        now = fields.Datetime.now()
        for timer in self.sudo().search([("state", "=", "running")]):
            company = timer.company_id
            cutoff = forgotten_cutoff(
                timer.run_started_at,
                timer.accumulated_seconds,
                company.agency_timer_max_hours or 10.0,
                timer._workday_end() if company.agency_timer_stop_at_day_end else None,
            )
            if cutoff > now:
                continue
            timer.auto_stopped = True
            timer.action_stop(at=cutoff)
            timer._notify_forgotten(cutoff)

    def _workday_end(self):
        """End of the person's working day of the run, in UTC (naive), if any."""
        self.ensure_one()
        employee = self._employee()
        calendar = employee.resource_calendar_id
        if not calendar:
            return None
        tz = pytz.timezone(employee.tz or self.user_id.tz or "UTC")
        local_start = pytz.utc.localize(self.run_started_at).astimezone(tz)
        day_start = tz.localize(
            datetime.combine(local_start.date(), datetime.min.time())
        )
        intervals = calendar._attendance_intervals_batch(
            day_start, day_start + timedelta(days=1), resources=employee.resource_id
        )[employee.resource_id.id]
        ends = [stop for _start, stop, _meta in intervals]
        if not ends:
            return None
        return max(ends).astimezone(pytz.utc).replace(tzinfo=None)

    def _notify_forgotten(self, cutoff):
        self.ensure_one()
        tz = pytz.timezone(self.user_id.tz or "UTC")
        local = pytz.utc.localize(cutoff).astimezone(tz)
        self.env["mail.thread"].sudo().message_notify(
            model=self._name,
            res_id=self.id,
            partner_ids=self.user_id.partner_id.ids,
            subject=self.env._("Your timer was stopped"),
            body=self.env._(
                "Your timer on %(project)s was still running, so it was stopped at "
                "%(time)s with %(hours)s recorded. The draft entry is yours to "
                "check: fix the time if it is not right before you submit the week.",
                project=self.project_id.display_name,
                time=local.strftime("%Y-%m-%d %H:%M"),
                hours=f"{self.accumulated_seconds / 3600:.2f} h",
            ),
        )

    # -- helpers -------------------------------------------------------------

    def _elapsed_at(self, now):
        self.ensure_one()
        run_started = self.run_started_at if self.state == "running" else None
        return elapsed_seconds(self.accumulated_seconds, run_started, now)

    def _find_employee(self):
        self.ensure_one()
        if not (self.user_id and self.company_id):
            return self.env["hr.employee"]
        return (
            self.env["hr.employee"]
            .sudo()
            .search(
                [
                    ("user_id", "=", self.user_id.id),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
        )

    def _employee(self):
        """The timer's employee; a clear error for a person without one."""
        self.ensure_one()
        employee = self.employee_id.sudo()
        if not employee.active:  # archived since the timer started, or none
            employee = self._find_employee()
        if not employee:
            raise UserError(
                self.env._(
                    "%(user)s has no employee in %(company)s, so no time can be "
                    "logged for them there. Ask HR to link the user to an employee.",
                    user=self.user_id.name,
                    company=self.company_id.name,
                )
            )
        return employee

    def _create_entry(self, seconds, note=None):
        """The timer's draft timesheet entry with the raw elapsed time."""
        self.ensure_one()
        return self.env["account.analytic.line"].create(
            {
                "employee_id": self._employee().id,
                "user_id": self.user_id.id,
                "project_id": self.project_id.id,
                "task_id": self.task_id.id,
                "company_id": self.company_id.id,
                "date": self.date,
                "unit_amount": seconds / 3600.0,
                "name": note or self.note or "/",
                "entry_source": "timer",
                "approval_state": "draft",
            }
        )

    def _lock_rows(self):
        """Lock the timers' rows (concurrent stops wait, then see them stopped)."""
        if any(
            isinstance(ident, bool) or not isinstance(ident, int) for ident in self.ids
        ):
            raise UserError(self.env._("Choose the timers by their ids."))
        if self.ids:
            self.flush_recordset()
            # SQL: a row lock, which the ORM does not take.
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM agency_timer WHERE id IN %s FOR NO KEY UPDATE",
                    tuple(self.ids),
                )
            )
            self.invalidate_recordset()
        return self

    @api.model
    def _create_running(self, vals):
        self.flush_model()
        try:
            with self.env.cr.savepoint(flush=False):
                timer = self.create(vals)
                timer.flush_recordset()
        except psycopg2.errors.UniqueViolation:
            raise UserError(
                self.env._(
                    "Another timer of yours was started at the same moment (on "
                    "another device?). Refresh to see it; only one timer runs at "
                    "a time."
                )
            ) from None
        return timer

    def _set_running(self, timer, vals):
        self.flush_model()
        try:
            with self.env.cr.savepoint(flush=False):
                timer.write(vals)
                timer.flush_recordset()
        except psycopg2.errors.UniqueViolation:
            raise UserError(
                self.env._(
                    "Another timer of yours is running (started on another "
                    "device?). Refresh to see it; only one timer runs at a time."
                )
            ) from None

    def _timer_info(self):
        self.ensure_one()
        return {
            "id": self.id,
            "state": self.state,
            "project_id": self.project_id.id,
            "project_name": self.project_id.sudo().display_name,
            "task_id": self.task_id.id,
            "task_name": self.task_id.sudo().display_name or "",
            "note": self.note or "",
            "elapsed_seconds": self._elapsed_at(fields.Datetime.now()),
            "run_started_at": fields.Datetime.to_string(self.run_started_at)
            if self.state == "running"
            else False,
            "line_id": self.line_id.id,
        }

    def _notify_change(self):
        """Tell every open session of the timers' owners to refresh."""
        for user in self.user_id.sudo():
            user._bus_send("agency_timer/updated", {"user_id": user.id})
