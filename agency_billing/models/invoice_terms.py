"""An engagement's invoice terms beside the rates (issue 19): the contract
exchange rate that converts the time lines' prices, and the discount line of
an invoice (its own line, never hidden in the unit price). Read through the
ORM by the run line's invoice plan and totals (``agency_billing_run_line.py``);
the rules are plain functions of ``contract_rates`` and ``discounts``."""

from decimal import Decimal

from odoo import Command

from .billing_status import INVOICED_DOMAIN
from .contract_rates import difference, rate_on
from .discounts import (
    discount_amount,
    discount_label,
    month_bounds,
    percent_for,
    period_volume,
    tier_for,
)


class Conversion:
    """Factors from the rates' currencies into an engagement's currency on a
    day: its contract rate when a period covers the day, else Odoo's."""

    def __init__(self, engagement, day):
        self.engagement = engagement
        self.day = day
        self.periods = engagement.sudo().contract_rate_ids._agency_plain()
        self._factors = {}

    def factors(self, source):
        """(factor used, contract rate or None, the day's rate)."""
        found = self._factors.get(source)
        if found is None:
            engagement = self.engagement
            Currency = engagement.env["res.currency"]
            daily = Currency._get_conversion_rate(
                Currency.browse(source),
                engagement.currency_id,
                engagement.company_id,
                self.day,
            )
            period = rate_on(self.periods, source, self.day)
            contract = period.rate if period else None
            found = self._factors[source] = (contract or daily, contract, daily)
        return found

    def factor(self, source):
        return self.factors(source)[0]

    def line_values(self, source, amount):
        """The invoice line's contract rate fields for a line of `amount`
        priced from currency `source` ({} without a contract rate)."""
        _factor, contract, daily = self.factors(source)
        if not contract:
            return {}
        return {
            "agency_fx_contract": contract,
            "agency_fx_daily": daily,
            "agency_fx_difference": self.engagement.currency_id.round(
                difference(amount, contract, daily)
            ),
        }


def prefill_amounts(commands, currency, company_currency):
    """Give each invoice line created by `commands` the amounts stock account
    would write on it right after the create (its balance and amount in
    currency: minus quantity × unit price less discount, for a customer
    invoice in the company's currency). Account's tax sync then finds nothing
    to write: it writes each line it computes differently, one ``write`` per
    line otherwise, the bulk of a large invoice's cost. In another currency
    the lines are left to stock (its rate of the invoice date decides)."""
    if currency != company_currency:
        return commands
    for command in commands:
        values = command[2]
        if values.get("display_type") or "balance" in values:
            continue
        amount = (
            values.get("quantity", 1.0)
            * values.get("price_unit", 0.0)
            * (1 - values.get("discount", 0.0) / 100)
        )
        values["balance"] = values["amount_currency"] = -currency.round(amount)
    return commands


def month_volume(engagement, run):
    """(hours, amount) the engagement's invoices of other runs, dated in the
    month of run's invoice date, bill for time now: the billed hours of the
    entries they invoice (a credit note frees its entries, so it lowers the
    month) and those hours at their invoice lines' unit prices (engagement
    currency). One grouped read per invoice line of the month."""
    first, last = month_bounds(run.invoice_date)
    groups = (
        engagement.env["account.analytic.line"]
        .sudo()
        ._read_group(
            [
                *INVOICED_DOMAIN,
                (
                    "agency_invoice_line_id.move_id.agency_engagement_id",
                    "=",
                    engagement.id,
                ),
                ("agency_invoice_line_id.move_id.agency_run_id", "!=", run.id),
                ("agency_invoice_line_id.move_id.invoice_date", ">=", first),
                ("agency_invoice_line_id.move_id.invoice_date", "<=", last),
            ],
            ["agency_invoice_line_id"],
            ["agency_billed_hours:sum"],
        )
    )
    hours = sum(billed for _line, billed in groups)
    amount = sum(billed * line.price_unit for line, billed in groups)
    return hours, amount


def discount_percent(engagement, hours, amount, run=None):
    """(percent, tier or None) of an invoice of run with these billed hours
    and time amount: the flat percent, else the volume tier reached (by the
    calendar month of the run's invoice date, or by the invoice alone)."""
    engagement = engagement.sudo()
    if engagement.discount_percent:
        return engagement.discount_percent, None
    tiers = [(t.threshold, t.percent) for t in engagement.discount_tier_ids]
    if not tiers:
        return 0.0, None
    by_hours = engagement.discount_basis == "hours"
    period = engagement.discount_period if run and run.invoice_date else "invoice"
    before = month_volume(engagement, run) if period == "month" else (0.0, 0.0)
    volume = period_volume(
        hours if by_hours else amount, before[0 if by_hours else 1], period
    )
    tier = tier_for(volume, tiers)
    return percent_for(volume, 0.0, tiers), tier


def discount_value(engagement, hours, amount, run=None):
    """The discount (negative, engagement currency) of such an invoice."""
    percent, _tier = discount_percent(engagement, hours, amount, run)
    digits = engagement.currency_id.decimal_places
    return float(discount_amount(amount, percent, digits))


def discount_command(engagement, hours, amount, sequence, run=None):
    """The invoice's discount line (a Command), or None without a discount."""
    percent, tier = discount_percent(engagement, hours, amount, run)
    if not percent:
        return None
    digits = engagement.currency_id.decimal_places
    value = discount_amount(Decimal(str(amount)), percent, digits)
    if not value:
        return None
    name = discount_label(
        percent,
        tier[0] if tier else None,
        engagement.discount_basis,
        engagement.currency_id.symbol,
        engagement.discount_period,
    )
    return Command.create(
        {
            "sequence": sequence,
            "product_id": engagement.product_id.id,
            "name": name,
            "quantity": 1.0,
            "price_unit": float(value),
        }
    )
