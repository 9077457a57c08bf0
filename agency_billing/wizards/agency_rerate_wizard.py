"""Re-rate: apply the current rate cards to chosen entries that are not invoiced.

Approved entries keep the price they had when they were approved, whatever
happens to the rate cards afterwards. When a price must change anyway (a rate
was agreed late, a line was wrong), Billing selects the entries, previews old and
new prices side by side, gives a reason and applies: each entry whose price
changes gets one audit row (operation "Re-rated") with the old and new price.
"""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.pricing import NO_CHANGE, price_change
from ..models.repricing import log_rerate


class AgencyRerateWizard(models.TransientModel):
    _name = "agency.rerate.wizard"
    _description = "Re-rate Timesheet Entries"

    entry_ids = fields.Many2many(
        "account.analytic.line",
        string="Entries",
        default=lambda self: self._default_entry_ids(),
        help="The entries to re-rate. Invoiced ones are left out: they change only "
        "through a credit note.",
    )
    line_ids = fields.One2many(
        "agency.rerate.wizard.line",
        "wizard_id",
        string="Preview",
        compute="_compute_line_ids",
        store=True,
        readonly=True,
    )
    reason = fields.Text(
        help="Why the prices change, in words the client conversation can use: it "
        "is written in the audit log of every entry re-rated.",
    )
    changed_count = fields.Integer(compute="_compute_summary")
    invoiced_count = fields.Integer(compute="_compute_line_ids", store=True)
    missing_count = fields.Integer(compute="_compute_summary")
    summary = fields.Char(compute="_compute_summary")

    @api.model
    def _default_entry_ids(self):
        context = self.env.context
        if context.get("active_model") == "account.analytic.line":
            return [Command.set(context.get("active_ids") or [])]
        return []

    @api.depends("entry_ids")
    def _compute_line_ids(self):
        for wizard in self:
            entries = wizard.entry_ids._origin.filtered("project_id")
            invoiced = entries.filtered(lambda line: line._agency_is_invoiced())
            todo = entries - invoiced
            quotes = {}
            for batch in todo._agency_quote_rates():
                quotes.update(batch)
            commands = [Command.clear()]
            for entry in todo:
                quote = quotes.get(entry.id)
                if quote:
                    commands.append(
                        Command.create(wizard._preview_values(entry, quote))
                    )
            wizard.line_ids = commands
            wizard.invoiced_count = len(invoiced)

    @api.depends("line_ids.change", "invoiced_count")
    def _compute_summary(self):
        for wizard in self:
            changed = wizard.line_ids.filtered(lambda line: line.change != NO_CHANGE)
            missing = changed.filtered(lambda line: line.new_state == "missing")
            wizard.changed_count = len(changed)
            wizard.missing_count = len(missing)
            parts = [
                self.env._(
                    "%(changed)s of %(count)s entries get a new price.",
                    changed=len(changed),
                    count=len(wizard.line_ids),
                )
            ]
            if wizard.invoiced_count:
                parts.append(
                    self.env._(
                        "%(count)s invoiced entries are left out: they change only "
                        "through a credit note.",
                        count=wizard.invoiced_count,
                    )
                )
            if missing:
                parts.append(
                    self.env._(
                        "%(count)s would have no rate: add a rate line that covers "
                        "them first.",
                        count=len(missing),
                    )
                )
            wizard.summary = " ".join(parts)

    def action_apply(self):
        """Apply the current cards to the entries whose price changes, with one
        audit row each, and refuse if any of them would be left without a
        rate."""
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(
                self.env._(
                    "Say why these prices change: the reason is written in the "
                    "audit log of every entry re-rated."
                )
            )
        entries = self.line_ids.filtered(lambda line: line.change != NO_CHANGE).entry_id
        entries -= entries.filtered(lambda line: line._agency_is_invoiced())
        if not entries:
            raise UserError(
                self.env._(
                    "Nothing to re-rate: the current rate cards give these entries "
                    "the price they already have."
                )
            )
        missing = self.env["account.analytic.line"]
        for batch in entries._agency_resolve_rates():
            missing |= missing.browse(
                [i for i, price in batch.items() if price.state == "missing"]
            )
        if missing:
            raise UserError(
                self.env._(
                    "No rate line applies to %(entries)s: re-rating would leave "
                    "them without a price. Add a rate line that covers them, or "
                    "leave them out.",
                    entries=missing._agency_describe(),
                )
            )
        changed = entries._agency_reprice(force=True, as_user=True)
        log_rerate(entries, changed, self.reason.strip())
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s entries re-rated; the audit log has the details.",
                    count=len(changed),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _preview_values(self, entry, quote):
        old, new = quote.stored, quote.price
        change = price_change(old, new)
        hours = entry.unit_amount
        return {
            "entry_id": entry.id,
            "change": change,
            "old_state": old.state,
            "new_state": new.state,
            "old_rate_id": old.rate_id,
            "new_rate_id": new.rate_id,
            "old_currency_id": old.currency_id,
            "new_currency_id": new.currency_id,
            "old_bill_rate": old.bill_rate,
            "new_bill_rate": new.bill_rate,
            "old_amount": old.bill_rate * hours,
            "new_amount": new.bill_rate * hours,
        }


class AgencyRerateWizardLine(models.TransientModel):
    _name = "agency.rerate.wizard.line"
    _description = "Re-rate Preview Line"
    _order = "change desc, id"

    wizard_id = fields.Many2one(
        "agency.rerate.wizard", required=True, ondelete="cascade", index=True
    )
    entry_id = fields.Many2one(
        "account.analytic.line", required=True, ondelete="cascade"
    )
    date = fields.Date(related="entry_id.date")
    employee_id = fields.Many2one(related="entry_id.employee_id")
    project_id = fields.Many2one(related="entry_id.project_id")
    role_id = fields.Many2one(related="entry_id.role_id")
    unit_amount = fields.Float(related="entry_id.unit_amount", string="Hours")
    change = fields.Selection(
        [
            ("price", "New price"),
            ("source", "Same rate, other line"),
            ("cost", "Cost only"),
            ("missing", "Would have no rate"),
            (NO_CHANGE, "Unchanged"),
        ],
        required=True,
    )
    old_state = fields.Selection(
        [("priced", "Priced"), ("missing", "No rate"), ("internal", "Not billable")],
        string="Was",
    )
    new_state = fields.Selection(
        [("priced", "Priced"), ("missing", "No rate"), ("internal", "Not billable")],
        string="Becomes",
    )
    old_rate_id = fields.Many2one("agency.rate", string="Old Rate Line")
    new_rate_id = fields.Many2one("agency.rate", string="New Rate Line")
    old_currency_id = fields.Many2one("res.currency")
    new_currency_id = fields.Many2one("res.currency")
    old_bill_rate = fields.Monetary(currency_field="old_currency_id")
    new_bill_rate = fields.Monetary(currency_field="new_currency_id")
    old_amount = fields.Monetary(currency_field="old_currency_id")
    new_amount = fields.Monetary(currency_field="new_currency_id")
