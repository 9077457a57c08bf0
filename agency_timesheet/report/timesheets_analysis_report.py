from odoo import fields, models


class TimesheetsAnalysisReport(models.Model):
    """Stock timesheet analysis, by role too."""

    _inherit = "timesheets.analysis.report"

    role_id = fields.Many2one("agency.role", readonly=True)

    def _select(self):
        return super()._select() + ", A.role_id AS role_id"
