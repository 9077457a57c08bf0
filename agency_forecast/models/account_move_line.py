"""Invoice lines of an engagement mark its weekly margin facts and those of
the entries they bill dirty (agency_margin_marker.py)."""

from odoo import models

from ..report import margin_upkeep


class AccountMoveLine(models.Model):
    _name = "account.move.line"
    _inherit = ["account.move.line", "agency.margin.marker"]  # noqa: RUF012 (Odoo reads this list)

    def _agency_margin_mark(self):
        lines = self.sudo().filtered("move_id.agency_engagement_id")
        if lines:
            margin_upkeep.mark_engagements(
                self.env, lines.move_id.agency_engagement_id.ids
            )
            lines._agency_margin_mark_entries()

    def _agency_margin_mark_entries(self):
        """Mark the entries these lines bill (their share of the line)."""
        if self.ids:
            entries = (
                self.env["account.analytic.line"]
                .sudo()
                .search([("agency_invoice_line_id", "in", self.ids)])
            )
            margin_upkeep.mark_entries(self.env, entries.ids)
