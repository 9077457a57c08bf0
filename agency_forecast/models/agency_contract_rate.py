"""Contract exchange rates value an engagement's work in progress in margins
(report/agency_margin_fact.py): a change marks the weekly facts of its
engagement's projects dirty (agency_margin_marker.py)."""

from odoo import models

from ..report import margin_upkeep


class AgencyContractRate(models.Model):
    _name = "agency.contract.rate"
    _inherit = ["agency.contract.rate", "agency.margin.marker"]  # noqa: RUF012 (Odoo reads this list)
    _agency_margin_fields = (
        "engagement_id",
        "currency_id",
        "rate",
        "date_from",
        "date_to",
    )

    def _agency_margin_mark(self):
        margin_upkeep.mark_projects(self.env, self.sudo().engagement_id.project_ids.ids)
