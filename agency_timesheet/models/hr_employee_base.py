from odoo import fields, models


class HrEmployeeBase(models.AbstractModel):
    """Both hr.employee and hr.employee.public get the default role, so that people
    without HR rights (producers, billing) see who does what."""

    _inherit = "hr.employee.base"

    role_id = fields.Many2one(
        "agency.role",
        string="Default Role",
        index="btree_not_null",
        ondelete="restrict",
        help="The role this person's timesheet entries get unless a producer "
        "chooses another.",
    )
