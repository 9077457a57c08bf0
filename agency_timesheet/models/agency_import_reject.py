"""A row of an imported file that was not taken, and why: its line number,
column and value, as the dry run found it."""

from odoo import fields, models


class AgencyImportReject(models.Model):
    _name = "agency.import.reject"
    _description = "Rejected import row"
    _order = "batch_id, line, id"

    batch_id = fields.Many2one(
        "agency.import.batch", required=True, ondelete="cascade", index=True
    )
    line = fields.Integer(help="The line of the file (the header is line 1).")
    column = fields.Char()
    value = fields.Char()
    reason = fields.Char(required=True)
