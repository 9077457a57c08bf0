"""Fee schedule lines say which invoice lines are fixed fees: they mark their
engagement's weekly margin facts dirty (agency_margin_marker.py)."""

from odoo import models

from ..report import margin_upkeep


class AgencyEngagementSchedule(models.Model):
    _name = "agency.engagement.schedule"
    _inherit = ["agency.engagement.schedule", "agency.margin.marker"]  # noqa: RUF012 (Odoo reads this list)
    _agency_margin_fields = ("invoice_line_id", "engagement_id")

    def _agency_margin_mark(self):
        margin_upkeep.mark_engagements(self.env, self.sudo().engagement_id.ids)
