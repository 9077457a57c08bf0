from odoo import fields, models

from ..models.res_groups import COSTS_VISIBLE


class TimesheetsAnalysisReport(models.Model):
    """Stock timesheet analysis, by role and approval status too."""

    _inherit = "timesheets.analysis.report"

    role_id = fields.Many2one("agency.role", readonly=True)
    approval_state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        readonly=True,
    )
    approver_id = fields.Many2one("res.users", readonly=True)
    # Each entry's cost: not for Agency Users and Producers (res_groups.py).
    amount = fields.Monetary(groups=COSTS_VISIBLE)

    def _select(self):
        return (
            super()._select()
            + """,
            A.role_id AS role_id,
            A.approval_state AS approval_state,
            A.approver_id AS approver_id"""
        )
