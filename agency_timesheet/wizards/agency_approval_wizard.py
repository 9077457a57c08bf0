from odoo import Command, api, fields, models


class AgencyApprovalWizard(models.TransientModel):
    """Ask for the reason of a reject or a reopen, then apply it to the entries."""

    _name = "agency.approval.wizard"
    _description = "Reject or reopen timesheet entries"

    action = fields.Selection(
        [("reject", "Reject"), ("reopen", "Reopen")], required=True, default="reject"
    )
    line_ids = fields.Many2many("account.analytic.line", string="Entries")
    line_count = fields.Integer(compute="_compute_line_count")
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if (
            "line_ids" in fields_list
            and self.env.context.get("active_model") == "account.analytic.line"
        ):
            values["line_ids"] = [Command.set(self.env.context.get("active_ids", []))]
        return values

    @api.depends("line_ids")
    def _compute_line_count(self):
        for wizard in self:
            wizard.line_count = len(wizard.line_ids)

    def action_confirm(self):
        """Reject or reopen the entries: the checks and the audit rows are those
        of the entries' own actions (one transition, account_analytic_line)."""
        self.ensure_one()
        if self.action == "reject":
            self.line_ids.action_reject(self.reason)
        else:
            self.line_ids.action_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
