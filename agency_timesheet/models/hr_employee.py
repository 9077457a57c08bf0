from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    agency_approver_id = fields.Many2one(
        "res.users",
        string="Timesheet Approver",
        domain="[('share', '=', False)]",
        help="Approves this person's time on projects without a producer (project "
        "manager). On projects with a producer, the producer approves.",
    )
