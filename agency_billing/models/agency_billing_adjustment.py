"""Write-ups and write-downs: every difference between time worked and time
billed is a decision with an owner, a reason and a note.

An adjustment belongs to an engagement in a billing run, optionally to one entry;
it is in hours (at a rate) or an amount. It becomes its own line on the
engagement's invoice (negative for a write-down), so the time lines keep
billing exactly their entries' billed hours.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .invoice_terms import Conversion

REASONS = [
    ("scope_change", "Scope change"),
    ("inefficiency", "Inefficiency"),
    ("goodwill", "Goodwill"),
    ("rounding", "Rounding"),
    ("overrun", "Fixed-fee over-run"),
    ("other", "Other"),
]


class AgencyBillingAdjustment(models.Model):
    _name = "agency.billing.adjustment"
    _description = "Agency Write-up / Write-down"
    _order = "run_id, run_line_id, id"

    run_line_id = fields.Many2one(
        "agency.billing.run.line",
        string="Engagement in Run",
        required=True,
        ondelete="cascade",
        index=True,
    )
    run_id = fields.Many2one(related="run_line_id.run_id", store=True, index=True)
    company_id = fields.Many2one(related="run_line_id.company_id", store=True)
    engagement_id = fields.Many2one(
        related="run_line_id.engagement_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="engagement_id.currency_id")
    entry_id = fields.Many2one(
        "account.analytic.line",
        index="btree_not_null",
        help="Leave empty for an adjustment of the whole engagement.",
    )
    direction = fields.Selection(
        [("down", "Write-down"), ("up", "Write-up")],
        required=True,
        default="down",
    )
    basis = fields.Selection(
        [("hours", "Hours"), ("amount", "Amount")], required=True, default="hours"
    )
    hours = fields.Float(digits="Product Unit of Measure")
    price_unit = fields.Monetary(
        string="Rate",
        currency_field="currency_id",
        help="The hourly rate of an adjustment in hours: the entry's rate, or "
        "the engagement's average billed rate in this run.",
    )
    amount = fields.Monetary(currency_field="currency_id")
    signed_amount = fields.Monetary(
        string="Effect",
        currency_field="currency_id",
        compute="_compute_signed_amount",
        store=True,
        help="What the adjustment adds to (or takes off) the invoice.",
    )
    reason = fields.Selection(REASONS, required=True)
    note = fields.Char(required=True)
    user_id = fields.Many2one(
        "res.users", string="Decided By", default=lambda self: self.env.user
    )
    invoice_line_id = fields.Many2one(
        "account.move.line", readonly=True, copy=False, ondelete="set null"
    )
    billable = fields.Boolean(
        default=True,
        help="Off for a write-off that is recorded (margins see it) but never "
        "reaches an invoice, such as a fixed fee's over-run.",
    )

    @api.depends("direction", "basis", "hours", "price_unit", "amount")
    def _compute_signed_amount(self):
        for adjustment in self:
            value = (
                adjustment.hours * adjustment.price_unit
                if adjustment.basis == "hours"
                else adjustment.amount
            )
            sign = -1 if adjustment.direction == "down" else 1
            adjustment.signed_amount = sign * adjustment.currency_id.round(value or 0.0)

    @api.onchange("entry_id", "basis", "run_line_id")
    def _onchange_default_rate(self):
        if self.basis == "hours" and not self.price_unit:
            self.price_unit = self._agency_default_rate()

    def _agency_default_rate(self):
        line = self.run_line_id
        if self.entry_id:
            entry = self.entry_id.sudo()
            source = entry.agency_rate_currency_id or line.currency_id
            conversion = Conversion(
                line.engagement_id, line.run_id.invoice_date or fields.Date.today()
            )  # the contract rate when one covers the day
            return line.currency_id.round(
                entry.agency_bill_rate * conversion.factor(source.id)
            )
        if line.billed_hours:
            return line.currency_id.round(line.amount / line.billed_hours)
        return 0.0

    @api.constrains("basis", "hours", "amount", "price_unit", "entry_id")
    def _check_values(self):
        for adjustment in self:
            what = adjustment._agency_label()
            if adjustment.basis == "hours" and adjustment.hours <= 0:
                raise ValidationError(
                    self.env._(
                        "%(what)s: enter the hours written up or down (more than 0).",
                        what=what,
                    )
                )
            if adjustment.basis == "hours" and adjustment.price_unit < 0:
                raise ValidationError(
                    self.env._("%(what)s: the rate cannot be negative.", what=what)
                )
            if adjustment.basis == "amount" and adjustment.amount <= 0:
                raise ValidationError(
                    self.env._(
                        "%(what)s: enter the amount written up or down (more than "
                        "0); the direction says which.",
                        what=what,
                    )
                )
            entry = adjustment.entry_id.sudo()
            if entry and entry.agency_run_id != adjustment.run_id:
                raise ValidationError(
                    self.env._(
                        "%(what)s: entry %(entry)s is not in billing run %(run)s.",
                        what=what,
                        entry=entry._agency_describe(),
                        run=adjustment.run_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        adjustments = super().create(vals_list)
        for adjustment in adjustments:
            adjustment._agency_check_editable()
            if adjustment.basis == "hours" and not adjustment.price_unit:
                adjustment.price_unit = adjustment._agency_default_rate()
        adjustments.run_line_id._agency_refresh_totals()
        return adjustments

    def write(self, vals):
        if "invoice_line_id" in vals and not self.env.su:
            raise UserError(
                self.env._(
                    "Which invoice line bills %(what)s is set by the billing run "
                    "that invoices it (and cleared by cancelling that invoice), "
                    "never directly.",
                    what=", ".join(a._agency_label() for a in self[:5]),
                )
            )
        self._agency_check_editable()
        result = super().write(vals)
        if set(vals) - {"invoice_line_id"}:
            self.run_line_id._agency_refresh_totals()
        return result

    def unlink(self):
        self._agency_check_editable()
        lines = self.run_line_id
        result = super().unlink()
        lines.exists()._agency_refresh_totals()
        return result

    def _agency_check_editable(self):
        """Adjustments on an invoice change only through that invoice. The
        server's own invoicing (linking them to their invoice lines, freeing
        them when the invoice is cancelled) runs as superuser after checking
        the caller's rights on the invoice; no context key skips this."""
        if self.env.su:
            return
        for adjustment in self:
            if adjustment.invoice_line_id or adjustment.run_line_id.state == "invoiced":
                raise UserError(
                    self.env._(
                        "%(what)s is on an invoice already: change the invoice (or "
                        "credit it) instead.",
                        what=adjustment._agency_label(),
                    )
                )

    def _agency_label(self):
        self.ensure_one()
        directions = dict(self._fields["direction"]._description_selection(self.env))
        reasons = dict(self._fields["reason"]._description_selection(self.env))
        return self.env._(
            "%(direction)s (%(reason)s) on %(engagement)s",
            direction=directions.get(self.direction, ""),
            reason=reasons.get(self.reason, ""),
            engagement=self.engagement_id.display_name,
        )

    @api.model
    def _agency_invoice_items(self, run_line):
        """The invoice lines of a run line's adjustments not invoiced yet."""
        items = []
        for adjustment in run_line.adjustment_ids.filtered(
            lambda a: not a.invoice_line_id and a.billable
        ):
            items.append(
                (
                    adjustment._agency_invoice_line_values(),
                    lambda line, a=adjustment: a._agency_link_invoice_line(line),
                )
            )
        return items

    def _agency_link_invoice_line(self, line):
        """The billing run invoiced this adjustment on line (the run checked
        the user's rights: only the server links it)."""
        self.sudo().invoice_line_id = line

    def _agency_invoice_line_values(self):
        """The invoice line of this adjustment."""
        self.ensure_one()
        sign = -1 if self.direction == "down" else 1
        name = f"{self._agency_label()}: {self.note}"
        if self.entry_id:
            name = f"{name}\n{self.entry_id.sudo()._agency_describe()}"
        values = {
            "product_id": self.engagement_id.product_id.id,
            "name": name,
        }
        if self.basis == "hours":
            values.update(
                quantity=self.hours,
                price_unit=sign * self.price_unit,
                product_uom_id=self.env.ref("uom.product_uom_hour").id,
            )
        else:
            values.update(
                quantity=1.0,
                price_unit=sign * self.amount,
                product_uom_id=False,
            )
        return values
