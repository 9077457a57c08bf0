"""Billing runs date and cancel their adjustments: they mark those
engagements' weekly margin facts dirty (agency_margin_marker.py)."""

from odoo import models

from ..report import margin_upkeep


class AgencyBillingRun(models.Model):
    _name = "agency.billing.run"
    _inherit = ["agency.billing.run", "agency.margin.marker"]  # noqa: RUF012 (Odoo reads this list)
    _agency_margin_fields = ("state", "invoice_date", "date_to")

    def _agency_margin_mark(self):
        margin_upkeep.mark_engagements(
            self.env, self.sudo().adjustment_ids.engagement_id.ids
        )
