"""What an import created, for billing: the rates each imported row was
billed and paid at in the old tool, read when rate lines are proposed from
history (wizards/agency_rate_import.py)."""

from odoo import fields, models


class AgencyImportRecord(models.Model):
    _inherit = "agency.import.record"

    bill_rate = fields.Float(help="The row's billable rate in the file.")
    cost_rate = fields.Float(help="The row's cost rate in the file.")
    currency_id = fields.Many2one("res.currency")
