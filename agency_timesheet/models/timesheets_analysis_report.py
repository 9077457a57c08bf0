"""Stock's Timesheets Analysis shows each entry's cost: hidden from Agency
Users and Producers, like the entries' amounts (res_groups.py)."""

from odoo import fields, models

from .res_groups import COSTS_VISIBLE


class TimesheetsAnalysisReport(models.Model):
    _inherit = "timesheets.analysis.report"

    amount = fields.Monetary(groups=COSTS_VISIBLE)
