from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

MAX_HOURS_PER_DAY = 24.0


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    role_id = fields.Many2one(
        "agency.role",
        compute="_compute_role_id",
        store=True,
        readonly=False,
        precompute=True,
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

    @api.depends("employee_id")
    def _compute_role_id(self):
        for line in self:
            if line.project_id and line.employee_id:
                line.role_id = line.employee_id.sudo().role_id
            else:
                line.role_id = line.role_id

    @api.depends_context("uid")
    def _compute_role_readonly(self):
        readonly = not self.env.user.has_group("agency_timesheet.group_agency_producer")
        for line in self:
            line.role_readonly = readonly

    def _agency_lines(self):
        """The entries the agency's rules apply to: timesheet entries that carry a
        role, i.e. the time of people who have a default role. Everyone else's
        time behaves exactly as in stock Odoo."""
        return self.filtered(lambda line: line.project_id and line.role_id)

    @api.constrains("unit_amount", "project_id", "role_id")
    def _check_agency_duration(self):
        negative = self._agency_lines().filtered(lambda line: line.unit_amount < 0)
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
        totals = self.sudo()._read_group(
            [
                ("project_id", "!=", False),
                ("role_id", "!=", False),
                ("employee_id", "in", timesheets.employee_id.ids),
                ("date", "in", list(set(timesheets.mapped("date")))),
            ],
            ["employee_id", "date:day"],
            ["unit_amount:sum"],
        )
        touched = {(line.employee_id, line.date) for line in timesheets}
        over = [
            (employee, day, hours)
            for employee, day, hours in totals
            if hours > MAX_HOURS_PER_DAY and (employee, day) in touched
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

    def write(self, vals):
        if "role_id" in vals and not self.env.su:
            changed = self.filtered(lambda line: line.role_id.id != vals["role_id"])
            if changed and not self.env.user.has_group(
                "agency_timesheet.group_agency_producer"
            ):
                raise UserError(
                    self.env._(
                        "Only producers can change the role of a timesheet entry "
                        "(%(entries)s). Ask the project's producer to change it.",
                        entries=self._agency_describe(changed),
                    )
                )
        return super().write(vals)

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
