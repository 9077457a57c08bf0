"""Import records of rows invoiced outside Odoo carry the amount the margins
read for their entry: they mark that entry's weekly margin facts dirty
(agency_margin_marker.py)."""

from odoo import models

from ..report import margin_upkeep


class AgencyImportRecord(models.Model):
    _name = "agency.import.record"
    _inherit = ["agency.import.record", "agency.margin.marker"]  # noqa: RUF012 (Odoo reads this list)
    _agency_margin_fields = ("line_id", "billable", "billable_amount", "currency_id")

    def _agency_margin_mark(self):
        margin_upkeep.mark_entries(self.env, self.sudo().line_id.ids)
