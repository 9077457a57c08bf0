"""An engagement's invoice terms beside the rates (issue 19): the contract
exchange rate that converts the time lines' prices, and the discount line of
an invoice (its own line, never hidden in the unit price). Read through the
ORM by the run line's invoice plan and totals (``agency_billing_run_line.py``);
the rules are plain functions of ``contract_rates`` and ``discounts``."""

from decimal import Decimal

from odoo import Command

from .contract_rates import difference, rate_on
from .discounts import discount_amount, discount_label, percent_for, tier_for


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


def discount_percent(engagement, hours, amount):
    """(percent, tier or None) of an invoice with these billed hours and time
    amount: the flat percent, else the volume tier reached."""
    engagement = engagement.sudo()
    if engagement.discount_percent:
        return engagement.discount_percent, None
    tiers = [(t.threshold, t.percent) for t in engagement.discount_tier_ids]
    volume = hours if engagement.discount_basis == "hours" else amount
    tier = tier_for(volume, tiers)
    return percent_for(volume, 0.0, tiers), tier


def discount_value(engagement, hours, amount):
    """The discount (negative, engagement currency) of such an invoice."""
    percent, _tier = discount_percent(engagement, hours, amount)
    digits = engagement.currency_id.decimal_places
    return float(discount_amount(amount, percent, digits))


def discount_command(engagement, hours, amount, sequence):
    """The invoice's discount line (a Command), or None without a discount."""
    percent, tier = discount_percent(engagement, hours, amount)
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
