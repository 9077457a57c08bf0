"""Write-ups and write-downs mark their engagement's weekly margin facts dirty
(agency_margin_marker.py)."""

from odoo import models

from ..report import margin_upkeep


class AgencyBillingAdjustment(models.Model):
    _name = "agency.billing.adjustment"
    _inherit = ["agency.billing.adjustment", "agency.margin.marker"]  # noqa: RUF012 (Odoo reads this list)

    def _agency_margin_mark(self):
        margin_upkeep.mark_engagements(self.env, self.sudo().engagement_id.ids)
