"""Acknowledge warnings with a reason: the dialog of the warning's Acknowledge
button. The state changes only in ``agency.warning._agency_acknowledge``, which
checks the caller on the server."""

from odoo import fields, models
from odoo.exceptions import UserError


class AgencyWarningAcknowledge(models.TransientModel):
    _name = "agency.warning.acknowledge"
    _description = "Acknowledge Early Warnings"

    warning_ids = fields.Many2many("agency.warning", string="Warnings")
    reason = fields.Text(
        help="Why this can stand as it is (kept on the warning): the owner and "
        "the next reader see it."
    )

    def action_apply(self):
        self.ensure_one()
        # All of them, those the user may not read included: the server
        # method refuses those (a many2many read hides them silently).
        warnings = self.sudo().warning_ids.with_env(self.env)
        if not warnings:
            raise UserError(self.env._("Choose the warnings to acknowledge."))
        warnings._agency_acknowledge(self.reason)
        return {"type": "ir.actions.act_window_close"}
