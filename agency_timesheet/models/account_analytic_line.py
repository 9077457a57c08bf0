from odoo import api, fields, models
from odoo.exceptions import UserError


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
                        entries=", ".join(changed.mapped("display_name")[:5]),
                    )
                )
        return super().write(vals)
