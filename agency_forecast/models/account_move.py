"""Invoices and credit notes mark the weekly margin facts of their engagement
and of the entries they bill dirty (agency_margin_marker.py)."""

from odoo import models

from ..report import margin_upkeep


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "agency.margin.marker"]  # noqa: RUF012 (Odoo reads this list)
    _agency_margin_fields = (
        "state", "move_type", "invoice_date", "date", "agency_engagement_id",
        "company_id", "line_ids", "invoice_line_ids",
    )  # fmt: skip

    def _agency_margin_mark(self):
        moves = self.sudo().filtered("agency_engagement_id")
        if moves:
            margin_upkeep.mark_engagements(self.env, moves.agency_engagement_id.ids)
            moves.line_ids._agency_margin_mark_entries()
