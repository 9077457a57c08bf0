"""Change orders: a fixed fee raised (or lowered) on a date, for a reason.

A change order may bring schedule lines of its own (shares of the change);
without any, the change is due in full on the change order's date. A fee is never
lowered below what is already invoiced.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

from .billing_rules import schedule_amounts


class AgencyChangeOrder(models.Model):
    _name = "agency.change.order"
    _description = "Agency Fixed-fee Change Order"
    _order = "engagement_id, date, id"

    name = fields.Char(string="Reference", required=True)
    engagement_id = fields.Many2one(
        "agency.engagement",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('kind', '=', 'fixed_fee')]",
    )
    company_id = fields.Many2one(related="engagement_id.company_id", store=True)
    currency_id = fields.Many2one(related="engagement_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(
        currency_field="currency_id",
        required=True,
        help="What the change adds to the fee (negative to lower it).",
    )
    reason = fields.Text(required=True)
    user_id = fields.Many2one(
        "res.users", string="Agreed By", default=lambda self: self.env.user
    )
    schedule_line_ids = fields.One2many(
        "agency.engagement.schedule", "change_order_id", string="Schedule"
    )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        for order in orders:
            if order.engagement_id.kind != "fixed_fee":
                raise ValidationError(
                    self.env._(
                        "Change order %(name)s: engagement %(engagement)s has no "
                        "fixed fee to change.",
                        name=order.name,
                        engagement=order.engagement_id.display_name,
                    )
                )
            if not order.schedule_line_ids:
                self.env["agency.engagement.schedule"].create(
                    {
                        "engagement_id": order.engagement_id.id,
                        "change_order_id": order.id,
                        "name": order.name,
                        "trigger": "date",
                        "date_due": order.date,
                        "percent": 100.0,
                    }
                )
        orders._check_not_below_invoiced()
        return orders

    def write(self, vals):
        if self.schedule_line_ids.filtered("invoice_line_id") and (
            "amount" in vals or "engagement_id" in vals
        ):
            raise UserError(
                self.env._(
                    "Change order %(name)s is partly invoiced already: add another "
                    "change order instead.",
                    name=self[:1].name,
                )
            )
        result = super().write(vals)
        self._check_not_below_invoiced()
        return result

    def unlink(self):
        if self.schedule_line_ids.filtered("invoice_line_id"):
            raise UserError(
                self.env._(
                    "Change order %(name)s is invoiced already: add another change "
                    "order instead.",
                    name=self[:1].name,
                )
            )
        return super().unlink()

    @api.constrains("schedule_line_ids", "amount")
    def _check_schedule(self):
        for order in self:
            percents = order.schedule_line_ids.mapped("percent")
            if percents:
                try:
                    schedule_amounts(order.amount, percents)
                except ValueError:
                    raise ValidationError(
                        self.env._(
                            "The schedule of change order %(name)s shares "
                            "%(total)s %% of the change: make it 100 %%.",
                            name=order.name,
                            total=f"{sum(percents):g}",
                        )
                    ) from None

    def _check_not_below_invoiced(self):
        for engagement in self.engagement_id:
            invoiced = sum(
                engagement.schedule_line_ids.filtered("invoice_line_id").mapped(
                    "amount"
                )
            )
            if (
                engagement.currency_id.compare_amounts(engagement.fee_total, invoiced)
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "This change order would lower the fee of %(engagement)s "
                        "to %(fee)s, below the %(invoiced)s already invoiced. "
                        "Lower it by at most the part not invoiced yet, or credit "
                        "the invoice.",
                        engagement=engagement.display_name,
                        fee=format_amount(
                            self.env, engagement.fee_total, engagement.currency_id
                        ),
                        invoiced=format_amount(
                            self.env, invoiced, engagement.currency_id
                        ),
                    )
                )
