from odoo import fields, models


class HrEmployeeBase(models.AbstractModel):
    """Both hr.employee and hr.employee.public get the default role and the
    timesheet approver, so that people without HR rights (producers, billing) see
    who does what and who approves it.

    A field added to hr.employee alone breaks every screen that shows a person
    to someone without HR rights: Odoo reads hr.employee.public for them, and
    reading any field of a person (the name of a rate line's person, say) fetches
    every field of hr.employee without ``groups``, so a field the public profile
    lacks raises "not available for employee public profiles"."""

    _inherit = "hr.employee.base"

    role_id = fields.Many2one(
        "agency.role",
        string="Default Role",
        index="btree_not_null",
        ondelete="restrict",
        help="The role this person's timesheet entries get unless a producer "
        "chooses another.",
    )
    agency_approver_id = fields.Many2one(
        "res.users",
        string="Timesheet Approver",
        domain="[('share', '=', False)]",
        help="Approves this person's time on projects without a producer (project "
        "manager). On projects with a producer, the producer approves.",
    )
