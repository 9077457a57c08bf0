"""Contract exchange rates of an engagement: for dated periods, one unit of
the rates' currency is invoiced at an agreed rate instead of Odoo's daily
rate (the rules: ``contract_rates``; the invoice side: ``invoice_terms``)."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

from .contract_rates import ContractRate, overlapping, period_error

BILLING = "agency_timesheet.group_agency_billing"


class AgencyContractRate(models.Model):
    _name = "agency.contract.rate"
    _description = "Agency Contract Exchange Rate"
    _order = "engagement_id, currency_id, date_from, id"

    engagement_id = fields.Many2one(
        "agency.engagement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="engagement_id.company_id", store=True)
    invoice_currency_id = fields.Many2one(
        related="engagement_id.currency_id", string="Invoice Currency"
    )
    currency_id = fields.Many2one(
        "res.currency",
        string="Rates' Currency",
        required=True,
        help="The currency of the rate lines whose amounts this rate converts.",
    )
    rate = fields.Float(
        digits=(16, 6),
        groups=BILLING,
        help="One unit of the rates' currency is this many units of the "
        "engagement's invoice currency.",
    )
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")

    @api.constrains("rate", "date_from", "date_to", "currency_id", "engagement_id")
    def _check_period(self):
        for period in self.sudo():
            engagement = period.engagement_id
            error = period_error(period.rate, period.date_from, period.date_to)
            if not error and period.currency_id == engagement.currency_id:
                error = (
                    f"its currency is the invoices' ({period.currency_id.name}): "
                    "choose the currency of the rate lines"
                )
            if error:
                raise ValidationError(
                    self.env._(
                        "Contract rate %(currency)s of %(engagement)s: %(error)s.",
                        currency=period.currency_id.name or "",
                        engagement=engagement.display_name,
                        error=error,
                    )
                )
        for engagement in self.engagement_id:
            pair = overlapping(engagement.contract_rate_ids.sudo()._agency_plain())
            if pair:
                first, second = self.browse([pair[0].id, pair[1].id])
                raise ValidationError(
                    self.env._(
                        "%(engagement)s has two %(currency)s contract rates for the "
                        "same days (%(first)s and %(second)s): end one before the "
                        "other starts.",
                        engagement=engagement.display_name,
                        currency=first.currency_id.name,
                        first=first.display_name,
                        second=second.display_name,
                    )
                )

    @api.depends("currency_id", "date_from", "date_to")
    def _compute_display_name(self):
        for period in self:
            period.display_name = "%s %s – %s" % (
                period.currency_id.name or "",
                format_date(self.env, period.date_from) if period.date_from else "?",
                format_date(self.env, period.date_to) if period.date_to else "?",
            )

    def _agency_plain(self):
        """[ContractRate] of the records (plain values for ``contract_rates``)."""
        return [
            ContractRate(p.id, p.currency_id.id, p.rate, p.date_from, p.date_to)
            for p in self
            if p.date_from and p.date_to
        ]
