"""Personal data access: for one person, a spreadsheet of everything the
add-ons hold about them (their timesheet entries, timers, suggestions and the
audit rows naming them), for a data subject's access request. Administrators
only; each export is audited."""

from odoo import api, fields, models
from odoo.osv import expression

from .. import xlsx
from ..models.agency_audit import audit_table


class AgencyPersonalExport(models.TransientModel):
    _name = "agency.personal.export"
    _description = "Agency Personal Data Export"

    employee_id = fields.Many2one(
        "hr.employee",
        string="Person",
        required=True,
        context={"active_test": False},
        help="Whose data to export (people who left included).",
    )

    @api.model
    def _agency_records(self, employee):
        """{kind: records} held about employee: exactly theirs."""
        employee = employee.sudo()
        user = employee.user_id
        Lines = self.env["account.analytic.line"].sudo().with_context(active_test=False)
        lines = Lines.search([("employee_id", "=", employee.id)])
        timers = (
            self.env["agency.timer"].sudo().search([("employee_id", "=", employee.id)])
        )
        suggestions = self.env["agency.suggestion"].sudo()
        audit_domain = [
            [("line_id", "in", lines.ids)],
            [("res_model", "=", "hr.employee"), ("res_id", "=", employee.id)],
        ]
        if user:
            suggestions = suggestions.search(
                [("user_id", "=", user.id), ("company_id", "=", employee.company_id.id)]
            )
            audit_domain += [
                [("user_id", "=", user.id)],
                [("subject_user_id", "=", user.id)],
            ]
        audit = self.env["agency.audit"].sudo().search(expression.OR(audit_domain))
        return {
            "entries": lines,
            "timers": timers,
            "suggestions": suggestions,
            "audit": audit,
        }

    def action_export(self):
        self.ensure_one()
        held = self._agency_records(self.employee_id)
        sheets = [
            (
                self.env._("Entries"),
                ["Date", "Project", "Task", "Hours", "Description", "Status"],
                [
                    (
                        line.date,
                        line.project_id.name,
                        line.task_id.name,
                        line.unit_amount,
                        line.name,
                        line.approval_state,
                    )
                    for line in held["entries"]
                ],
            ),
            (
                self.env._("Timers"),
                ["Day", "Project", "Task", "Note", "Status", "Started"],
                [
                    (
                        t.date,
                        t.project_id.name,
                        t.task_id.name,
                        t.note,
                        t.state,
                        t.started_at,
                    )
                    for t in held["timers"]
                ],
            ),
            (
                self.env._("Suggestions"),
                ["Day", "Source", "Project", "Task", "Hours", "Description", "Reason"],
                [
                    (
                        s.date,
                        s.source,
                        s.project_id.name,
                        s.task_id.name,
                        s.hours,
                        s.name,
                        s.reason,
                    )
                    for s in held["suggestions"]
                ],
            ),
            (self.env._("Audit"), *audit_table(held["audit"])),
        ]
        data = xlsx.workbook(sheets)
        self.env["agency.audit"]._log_operation(
            "export",
            self.employee_id,
            after={kind: len(records) for kind, records in held.items()},
            reason=self.env._("Personal data export"),
            subject=self.employee_id.user_id,
        )
        return xlsx.download(
            self, self.env._("Personal data %s.xlsx", self.employee_id.name), data
        )
