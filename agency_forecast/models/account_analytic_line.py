"""Timesheet entries in agency_forecast: approval re-evaluates the early
warnings (agency_warning.py)."""

from odoo import models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    def _agency_after_approve(self):
        """Approved time re-evaluates the early warnings of its projects and
        people (agency_warning.py), in the same transaction."""
        result = super()._agency_after_approve()
        lines = self.sudo()
        self.env["agency.warning"]._agency_evaluate_projects(
            lines.project_id, lines.employee_id
        )
        return result
