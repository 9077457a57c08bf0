"""Retainer periods say which invoice lines are fees and overage: they mark
their engagement's weekly margin facts dirty (agency_margin_marker.py)."""

from odoo import models

from ..report import margin_upkeep


class AgencyRetainerPeriod(models.Model):
    _name = "agency.retainer.period"
    _inherit = ["agency.retainer.period", "agency.margin.marker"]  # noqa: RUF012 (Odoo reads this list)
    _agency_margin_fields = (
        "fee_invoice_line_id", "overage_invoice_line_id", "engagement_id",
    )  # fmt: skip

    def _agency_margin_mark(self):
        margin_upkeep.mark_engagements(self.env, self.sudo().engagement_id.ids)
