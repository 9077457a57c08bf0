from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AgencyRole(models.Model):
    """The role dictionary: what a person does on a piece of work.

    Every employee has a default role and every timesheet entry carries one. Rate
    cards and utilization key on it.
    """

    _name = "agency.role"
    _description = "Agency Role"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short code used in exports and reports, e.g. AD for Art Director.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the role with every company.",
    )
    description = fields.Text()
    employee_ids = fields.One2many("hr.employee", "role_id", string="Employees")
    employee_count = fields.Integer(compute="_compute_employee_count")

    @api.depends("employee_ids")
    def _compute_employee_count(self):
        counts = dict(
            self.env["hr.employee"]
            .sudo()
            ._read_group([("role_id", "in", self.ids)], ["role_id"], ["__count"])
        )
        for role in self:
            role.employee_count = counts.get(role, 0)

    @api.constrains("code", "company_id")
    def _check_code_unique(self):
        for role in self:
            domain = [("id", "!=", role.id), ("code", "=ilike", role.code)]
            if role.company_id:
                domain += [
                    "|",
                    ("company_id", "=", False),
                    ("company_id", "=", role.company_id.id),
                ]
            clash = self.with_context(active_test=False).search(domain, limit=1)
            if clash:
                raise ValidationError(
                    self.env._(
                        "The role code %(code)s of %(role)s is already used by "
                        "%(other)s. Choose another code.",
                        code=role.code,
                        role=role.name,
                        other=clash.name,
                    )
                )

    def action_view_employees(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Employees: %(role)s", role=self.name),
            "res_model": "hr.employee",
            "view_mode": "list,form",
            "domain": [("role_id", "=", self.id)],
            "context": {"default_role_id": self.id},
        }
