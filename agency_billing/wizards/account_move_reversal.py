from odoo import models


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    def reverse_moves(self, is_modify=False):
        """'Reverse and Create Invoice' replaces an invoice by a new draft copy.
        Its credit note frees the entries of the invoice; the copy bills the
        same hours, so the entries move onto the copy's lines instead of waiting
        for the next billing run (which would bill them twice)."""
        if not is_modify:
            return super().reverse_moves(is_modify=is_modify)
        entries = self.move_ids._agency_entries()
        billed = {
            entry.id: (entry.agency_invoice_line_id, entry.agency_run_id)
            for entry in entries
        }
        action = super().reverse_moves(is_modify=is_modify)
        replacements = self.new_move_ids.filtered(
            lambda move: move.move_type == "out_invoice"
        )
        if billed and replacements:
            replacements.sudo()._agency_take_over(entries, billed)
        return action
