"""Re-billed expenses mark their engagement's weekly margin facts dirty
(agency_margin_marker.py)."""

from odoo import models

from ..report import margin_upkeep


class HrExpense(models.Model):
    _name = "hr.expense"
    _inherit = ["hr.expense", "agency.margin.marker"]  # noqa: RUF012 (Odoo reads this list)

    def _agency_margin_mark(self):
        margin_upkeep.mark_engagements(
            self.env, self.sudo().agency_project_id.agency_engagement_id.ids
        )
