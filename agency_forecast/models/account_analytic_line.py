"""Timesheet entries in agency_forecast: approval marks their projects and
people for the early warnings' minute job (agency_warning_mark.py)."""

from odoo import models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    def _agency_after_approve(self):
        """Approved time marks its projects and people: their early warnings
        are evaluated within a minute (agency_warning_mark.py), once per
        project and person whatever the number of entries approved."""
        result = super()._agency_after_approve()
        self.env["agency.warning.mark"].sudo()._agency_mark(self)
        return result
