"""sale_timesheet's Timesheets Analysis adds revenues and margins: rates and
costs, hidden from Agency Users and Producers (agency_timesheet's
res_groups.py says why and how)."""

from odoo import fields, models

from odoo.addons.agency_timesheet.models.res_groups import COSTS_VISIBLE


class TimesheetsAnalysisReport(models.Model):
    _inherit = "timesheets.analysis.report"

    timesheet_revenues = fields.Monetary(groups=COSTS_VISIBLE)
    margin = fields.Monetary(groups=COSTS_VISIBLE)
