"""Timesheet entries under the agency's rules: role, approver, status, locks.

The fields, computes, constraints and CRUD overrides of the entries, and the
one approval transition (:meth:`AccountAnalyticLine._agency_transition`) behind
Submit, Approve, Reject and Reopen. Who may change, submit or approve an entry,
and the refusals in words, are entry_guards.py's; which fields only the server
writes, server_fields.py's; how a change is recorded, the audit log's
(models/agency_audit.py).
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ..entry_guards import (
    check_approver,
    check_companies,
    check_lock_dates,
    check_submittable,
    check_submitter,
    check_write,
    is_admin,
)
from ..pilot import LOCK_DEPENDS, pilot_entries
from ..server_fields import check_server_fields, field_labels
from ..tools import column, value_by_id, week_bounds
from .res_groups import COSTS_VISIBLE

MAX_HOURS_PER_DAY = 24.0
# Stock Odoo sums a task's hours over all its entries each time one is saved
# (project.task effective_hours). With the hours in this index PostgreSQL sums
# from the index alone: on a task with 20,000 entries, 30 ms -> 6 ms per save.
# Dropped by the uninstall hook.
TASK_HOURS_INDEX = "account_analytic_line_agency_task_hours_index"


# What only the server's own methods set: the status and who moved it there
# (Submit, Approve, Reject, Reopen write them through _agency_set_state), and
# who approves. A client's create or write that carries one is refused,
# whatever its context says; code of the add-ons that must set one runs as
# superuser (sudo()) after checking the caller's rights itself.
SERVER_FIELDS = {
    "approval_state",
    "approver_id",
    "submitted_by_id",
    "submitted_on",
    "approved_by_id",
    "approved_on",
    "reject_reason",
}


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    # Stock's cost of a timesheet entry (-hours × the person's hourly cost):
    # not for Agency Users and Producers (res_groups.py).
    amount = fields.Monetary(groups=COSTS_VISIBLE)
    role_id = fields.Many2one(
        "agency.role",
        compute="_compute_role_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        ondelete="restrict",
        help="What the person did on this entry. Defaults to the person's role; "
        "producers may change it.",
    )
    role_readonly = fields.Boolean(
        compute="_compute_role_readonly",
        help="Only producers may change the role of an entry.",
    )
    # Named apart from Odoo Enterprise's timesheet_grid `validated` so that both
    # can be installed side by side.
    approval_state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        index=True,
        copy=False,
        help="Draft: the person is still editing it. Submitted: waiting for the "
        "approver. Approved: reviewed and read-only to its owner. Rejected: sent "
        "back with a reason.",
    )
    approver_id = fields.Many2one(
        "res.users",
        compute="_compute_approver_id",
        store=True,
        index="btree_not_null",
        help="Who approves this entry: the project's producer (project manager), "
        "else the person's timesheet approver.",
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_on = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_on = fields.Datetime(readonly=True, copy=False)
    reject_reason = fields.Text(
        readonly=True,
        copy=False,
        help="Why the approver sent the entry back. It stays until the entry is "
        "submitted again.",
    )
    agency_locked = fields.Boolean(
        string="Locked",
        compute="_compute_agency_locked",
        help="Dated on or before the company's timesheet lock date: only "
        "administrators may change it, and each change is audited.",
    )
    entry_source = fields.Selection(
        [
            ("manual", "Manual"),
            ("timer", "Timer"),
            ("suggestion", "Suggestion"),
            ("import", "Import"),
        ],
        default=lambda self: (
            "import" if self.env.context.get("import_file") else "manual"
        ),
        copy=False,
        help="How the entry was captured.",
    )

    @api.private
    def init(self):
        result = super().init()
        create_index(
            self.env.cr,
            TASK_HOURS_INDEX,
            self._table,
            ["task_id", "unit_amount"],
            where="task_id IS NOT NULL",
        )
        return result

    @api.depends("employee_id")
    def _compute_role_id(self):
        # One assignment per role, not per line: entries come by thousands.
        projects = column(self, "project_id")
        employees = column(self, "employee_id")
        role_of = value_by_id(self.env["hr.employee"], employees, "role_id")
        roles = defaultdict(list)
        for line, project, employee in zip(self, projects, employees, strict=True):
            if project and employee:
                roles[role_of[employee]].append(line.id)
            else:
                line.role_id = line.role_id
        for role, ids in roles.items():
            self.browse(ids).role_id = role

    @api.depends("project_id.user_id", "employee_id.agency_approver_id")
    def _compute_approver_id(self):
        projects = column(self, "project_id")
        employees = column(self, "employee_id")
        manager_of = value_by_id(self.env["project.project"], projects, "user_id")
        approver_of = value_by_id(
            self.env["hr.employee"], employees, "agency_approver_id"
        )
        no_one = self.env["res.users"]
        approvers = defaultdict(list)
        for id_, project, employee in zip(self._ids, projects, employees, strict=True):
            approver = (
                (manager_of[project] or approver_of.get(employee, no_one))
                if project
                else no_one
            )
            approvers[approver].append(id_)
        for approver, ids in approvers.items():
            self.browse(ids).approver_id = approver

    @api.depends("date", "project_id", *LOCK_DEPENDS)
    def _compute_agency_locked(self):
        piloted = pilot_entries(self.filtered("project_id"))  # pilot.py
        for line in self:
            lock = line.company_id.agency_timesheet_lock_date
            line.agency_locked = bool(line in piloted and lock and line.date <= lock)

    @api.depends_context("uid")
    def _compute_role_readonly(self):
        readonly = not self.env.user.has_group("agency_timesheet.group_agency_producer")
        for line in self:
            line.role_readonly = readonly

    def _agency_lines(self):
        """The entries the agency's rules apply to: timesheet entries that carry a
        role, i.e. the time of people who have a default role. Everyone else's
        time behaves exactly as in stock Odoo."""
        # Columns rather than a record per line: constraints ask this of every
        # batch created (10,000 entries at a time).
        return self.browse(
            id_
            for id_, project, role in zip(
                self._ids,
                column(self, "project_id"),
                column(self, "role_id"),
                strict=True,
            )
            if project and role
        )

    @api.constrains("unit_amount", "project_id", "role_id")
    def _check_agency_duration(self):
        timesheets = self._agency_lines()
        negative = timesheets.browse(
            id_
            for id_, hours in zip(
                timesheets._ids, column(timesheets, "unit_amount"), strict=True
            )
            if hours < 0
        )
        if negative:
            raise ValidationError(
                self.env._(
                    "Time spent cannot be negative (%(entries)s). To correct time "
                    "already logged, edit or delete the entry.",
                    entries=self._agency_describe(negative),
                )
            )

    @api.constrains("unit_amount", "date", "employee_id", "project_id", "role_id")
    def _check_agency_day_total(self):
        timesheets = self._agency_lines()
        if not timesheets:
            return
        touched = set(
            zip(
                column(timesheets, "employee_id"),
                column(timesheets, "date"),
                strict=True,
            )
        )
        totals = self.sudo()._read_group(
            [
                ("project_id", "!=", False),
                ("role_id", "!=", False),
                ("employee_id", "in", list({employee for employee, _day in touched})),
                ("date", "in", list({day for _employee, day in touched})),
            ],
            ["employee_id", "date:day"],
            ["unit_amount:sum"],
        )
        over = [
            (employee, day, hours)
            for employee, day, hours in totals
            if hours > MAX_HOURS_PER_DAY and (employee.id, day) in touched
        ]
        if over:
            raise ValidationError(
                self.env._(
                    "A day has only 24 hours: %(days)s. Correct the entries of that "
                    "day so that they add up to 24 hours at most.",
                    days=", ".join(
                        f"{employee.name} on {day} ({hours:g} h)"
                        for employee, day, hours in over[:5]
                    ),
                )
            )

    @api.constrains("project_id", "task_id", "company_id", "employee_id", "role_id")
    def _check_agency_project(self):
        for line in self._agency_lines():
            project = line.project_id.sudo()
            if not project.active:
                raise ValidationError(
                    self.env._(
                        "Project %(project)s is archived: no time can be logged on "
                        "it. Restore the project or choose another one.",
                        project=project.display_name,
                    )
                )
            if not project.allow_timesheets:
                raise ValidationError(
                    self.env._(
                        "Project %(project)s does not record timesheets. Enable "
                        "Timesheets on the project or choose another one.",
                        project=project.display_name,
                    )
                )
            task = line.task_id.sudo()
            if task and task.project_id != project:
                raise ValidationError(
                    self.env._(
                        "Task %(task)s is not part of project %(project)s. Choose a "
                        "task of the entry's project.",
                        task=task.display_name,
                        project=project.display_name,
                    )
                )
            employee_company = line.employee_id.sudo().company_id
            if employee_company and employee_company != line.company_id:
                raise ValidationError(
                    self.env._(
                        "%(what)s belongs to %(company)s, but %(employee)s works for "
                        "%(employee_company)s. Choose a task or project of "
                        "%(employee_company)s.",
                        what=task.display_name if task else project.display_name,
                        company=line.company_id.name,
                        employee=line.employee_id.sudo().name,
                        employee_company=employee_company.name,
                    )
                )

    # -- CRUD: locks, approvals and the audit log ------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._agency_check_server_values(vals_list)
            self._agency_check_lock_dates(vals_list=vals_list)
        lines = super().create(vals_list)
        if not self.env.su:
            overridden = lines.filtered("agency_locked")
            if overridden:
                self.env["agency.audit"]._log(
                    overridden,
                    "override",
                    reason=self.env._("Created on or before the lock date"),
                )
        return lines

    def write(self, vals):
        if not self:
            return super().write(vals)
        timesheets = self.filtered("project_id")
        if not self.env.su:
            timesheets._agency_check_write(vals)
        Audit = self.env["agency.audit"]
        before = Audit._entries_before(timesheets, vals)
        result = super().write(vals)
        if before:
            Audit._log_entry_changes(timesheets.browse(list(before)), before, vals)
        return result

    def _agency_server_fields(self):
        """The fields of timesheet entries that only the server's own methods
        change (agency_billing adds the billing links and frozen prices)."""
        return SERVER_FIELDS

    def _agency_check_server_values(self, vals_list):
        """A client creates entries as drafts: a status, an approver's trace or
        a billing link in what it sends is refused (server_fields.py)."""
        check_server_fields(
            self,
            self._agency_server_fields(),
            vals_list,
            lambda sent: self.env._(
                "A new timesheet entry starts as a draft: %(fields)s cannot be "
                "set when it is created. Log the time, then Submit it for "
                "approval.",
                fields=field_labels(self, sent, technical=True),
            ),
            create=True,
        )

    def _agency_check_write(self, vals):
        """Hook: refuse a client's write of vals (entry_guards.py; billing's too)."""
        check_write(self, vals, self._agency_server_fields())

    def unlink(self):
        timesheets = self.filtered("project_id")
        approved = timesheets.filtered(lambda line: line.approval_state == "approved")
        if approved and not is_admin(self.env):
            raise UserError(
                self.env._(
                    "Approved entries cannot be deleted (%(entries)s). Ask a producer "
                    "to reopen them first.",
                    entries=self._agency_describe(approved),
                )
            )
        timesheets._agency_check_lock_dates()
        audited = timesheets.filtered(
            lambda line: (
                line.agency_locked or line.approval_state in ("submitted", "approved")
            )
        )
        if audited:
            self.env["agency.audit"]._log(
                audited,
                "unlink",
                reason=self.env._(
                    "Deleted: %(entries)s", entries=audited._agency_describe()
                ),
            )
        return super().unlink()

    def _agency_check_lock_dates(self, vals_list=None, new_date=None):
        """Refuse entries on or before the lock date (entry_guards.py)."""
        check_lock_dates(self, vals_list=vals_list, new_date=new_date)

    # -- approval actions --------------------------------------------------------
    # Every status change goes through _agency_transition: the actions below
    # add only their own validation (a reason) and what follows (approval
    # freezes prices in agency_billing through _agency_after_approve).

    def action_submit(self):
        """Submit draft or rejected entries for approval (the owner, or a producer
        on their behalf, which is recorded)."""
        self._agency_transition(
            ("draft", "rejected"),
            "submitted",
            {"submitted_by_id": self.env.uid, "submitted_on": fields.Datetime.now()},
            self.env._("Only draft or rejected entries can be submitted: %(entries)s."),
            by_approver=False,
        )
        return True

    @api.model
    def action_submit_week(self, day=None, employee_id=None):
        """Submit all draft and rejected entries of the week containing `day`
        (default: today) of the current user, or of `employee_id` (producers, on
        the person's behalf)."""
        day = fields.Date.to_date(day) or fields.Date.context_today(self)
        if employee_id:
            employee = self.env["hr.employee"].sudo().browse(employee_id)
        else:
            employee = self.env.user.employee_id
        if not employee:
            raise UserError(
                self.env._("You have no employee, so you have no timesheet to submit.")
            )
        first, last = week_bounds(day, int(employee.company_id.agency_week_start or 0))
        lines = self.search(
            [
                ("employee_id", "=", employee.id),
                ("project_id", "!=", False),
                ("date", ">=", first),
                ("date", "<=", last),
                ("approval_state", "in", ("draft", "rejected")),
            ]
        )
        if not lines:
            raise UserError(
                self.env._(
                    "%(person)s has nothing to submit for the week of %(first)s.",
                    person=employee.name,
                    first=first,
                )
            )
        lines.action_submit()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s entries of the week of %(first)s sent for approval.",
                    count=len(lines),
                    first=first,
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_approve(self):
        """Approve submitted entries. Approvers: the entry's approver, and Agency
        administrators; nobody approves their own time unless the company allows
        it. The query count does not grow with the number of entries."""
        self._agency_transition(
            ("submitted",),
            "approved",
            {
                "approved_by_id": self.env.uid,
                "approved_on": fields.Datetime.now(),
                "reject_reason": None,
            },
            self.env._("Only submitted entries can be approved: %(entries)s."),
        )._agency_after_approve()
        return True

    def action_reject(self, reason):
        """Send submitted (or approved) entries back to their owner with a reason."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Say why the entries are rejected: the person will see it.")
            )
        self._agency_transition(
            ("submitted", "approved"),
            "rejected",
            {"reject_reason": reason, "approved_by_id": None, "approved_on": None},
            self.env._(
                "Only submitted or approved entries can be rejected: %(entries)s."
            ),
            reason=reason,
        )
        return True

    def action_reopen(self, reason):
        """Producers reopen approved entries (back to draft) to correct them."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the entries are reopened."))
        self._agency_transition(
            ("approved",),
            "draft",
            {"approved_by_id": None, "approved_on": None},
            self.env._("Only approved entries can be reopened: %(entries)s."),
            reason=reason,
        )
        return True

    def _agency_transition(
        self, from_states, to, values, refusal, reason=None, by_approver=True
    ):
        """Move the timesheet entries of self (the others are stock Odoo's and
        left alone) from one of `from_states` to the state `to`; return them.

        The one way a status changes (Submit, Approve, Reject, Reopen), checked
        in this order, all before anything is written:

        1. who: the approver of each entry (``check_approver``, entry_guards.py),
           or for Submit (``by_approver=False``) the owner or a producer
           (``check_submitter``, after the states);
        2. the states: `refusal`, a translated message with ``%(entries)s``,
           names the entries in another state;
        3. the locks: the lock date (administrators excepted), then
           :meth:`_agency_check_approvable` (agency_billing: an
           invoiced entry changes only through a credit note); Submit checks
           instead that the week adds up (``check_submittable``);

        then `values` and one audit row per entry (with `reason`) are written
        by :meth:`_agency_set_state`, in SQL. The caller may go on with the
        entries returned (Approve calls :meth:`_agency_after_approve`).
        """
        check_companies(self)
        lines = self.sudo().filtered("project_id").sudo(False)
        if by_approver:
            check_approver(lines)
        if not lines:
            return lines
        wrong = lines.filtered(lambda line: line.approval_state not in from_states)
        if wrong:
            raise UserError(refusal % {"entries": wrong._agency_describe()})
        # a status is a change: nothing dated on or before the lock date
        # moves, except by administrators (and then with its audit row)
        lines._agency_check_lock_dates()
        if by_approver:
            lines._agency_check_approvable()
        else:
            check_submitter(lines)
            check_submittable(lines)
        lines._agency_set_state(to, values, reason=reason)
        return lines

    def _agency_after_approve(self):
        """Hook for what happens to entries once approved (billing freezes their
        rates). Called once for the whole batch."""
        return True

    def _agency_check_approvable(self):
        """Hook: billing refuses entries already invoiced (called by every
        approver's transition: approve, reject, reopen)."""
        return True

    def _agency_set_state(self, state, values, reason=None):
        """Move the entries to `state` and write one audit row per entry, in two
        queries whatever the number of entries (the ORM would send one UPDATE
        and one INSERT per hundred records). Callers check the rights first."""
        if not self:
            return
        self.flush_recordset()
        old_states = [line.approval_state or "draft" for line in self]
        columns = {"approval_state": state, **values}
        # SQL: a bulk UPDATE, one query for any batch (write() sends one per
        # hundred records); invalidated and marked modified below.
        assignments = SQL(", ").join(
            SQL("%s = %s", SQL.identifier(name), value)
            for name, value in columns.items()
        )
        self.env.cr.execute(
            SQL(
                "UPDATE account_analytic_line SET %s, write_uid = %s, "
                "write_date = (now() at time zone 'UTC') WHERE id = ANY(%s)",
                assignments,
                self.env.uid,
                self.ids,
            )
        )
        names = [*columns, "write_uid", "write_date"]
        self.invalidate_recordset(names)
        self.modified(names)
        self.env["agency.audit"]._log_states(self, old_states, state, reason)

    def _agency_describe(self, lines=None, limit=5):
        """'Dani Costa, 2026-03-02, 3.5 h on Acme Spring' for error messages."""
        lines = self if lines is None else lines
        text = ", ".join(
            f"{line.employee_id.sudo().name or line.user_id.name}, {line.date}, "
            f"{line.unit_amount:g} h on {line.project_id.sudo().name}"
            for line in lines[:limit]
        )
        if len(lines) > limit:
            text += self.env._(" and %(count)s more", count=len(lines) - limit)
        return text
