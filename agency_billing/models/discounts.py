"""Plain discount rules, without the ORM: an engagement's percentage discount
or volume tiers ("5 % above 200 hours a month"), the refusal of a tier table
out of order, and the discount of an invoice, which is its own invoice line
(never hidden in the unit price).

The engagement's discount fields (``agency.discount.tier``) and the invoice
(``invoice_terms.discount_command``) call them. The volume of a period is, per
calendar month (the default), what the month's invoices of the engagement bill
together: the billed hours (or amount) of their time lines, the entries a
credit note freed left out, plus this invoice's; per invoice, the invoice's
alone. The tier reached applies to this invoice's own time.
"""

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

BASES = ("hours", "amount")


def tiers_error(tiers):
    """Why a volume tier table is refused, or None.

    :param tiers: [(threshold, percent)] as entered: thresholds (hours or
        amount, >= 0) strictly increasing, each percent above 0 and at most 100,
        and not decreasing (a larger volume never earns less)
    """
    previous = None
    for index, (threshold, percent) in enumerate(tiers, start=1):
        if threshold is None or threshold < 0:
            return f"tier {index}: the threshold must be 0 or more"
        if percent is None or not 0 < percent <= 100:
            return f"tier {index}: the discount must be above 0 % and at most 100 %"
        if previous is not None:
            if threshold <= previous[0]:
                return (
                    f"tier {index} ({threshold:g}) is not above tier {index - 1} "
                    f"({previous[0]:g}): list the tiers from the smallest volume up"
                )
            if percent < previous[1]:
                return (
                    f"tier {index} gives less ({percent:g} %) than tier "
                    f"{index - 1} ({previous[1]:g} %) for more volume"
                )
        previous = (threshold, percent)
    return None


def percent_for(volume, percent=0.0, tiers=()):
    """The discount percent of a period's volume: the flat `percent` when
    given, else the tier of the largest threshold the volume is above (strictly:
    "above 200 hours" starts after 200), else 0."""
    if percent:
        return percent
    found = 0.0
    for threshold, tier_percent in tiers:
        if volume > threshold:
            found = tier_percent
    return found


def discount_amount(base, percent, digits=2):
    """The discount line's amount (negative, Decimal at `digits`) of an
    invoice whose time lines add up to `base`."""
    if not percent:
        return Decimal(0)
    step = Decimal(1).scaleb(-digits)
    value = Decimal(str(base)) * Decimal(str(percent)) / 100
    return -value.quantize(step, ROUND_HALF_UP)


def discount_label(
    percent, threshold=None, basis="hours", currency_symbol="", period="invoice"
):
    """The discount line's name: "Discount 10 %" for a flat percent, "Volume
    discount 5 % above 200 h" (or "above 10000 €") for a tier, "... above 200
    h a month" when the month's invoices count together."""
    if threshold is None:
        return f"Discount {percent:g} %"
    volume = (
        f"{threshold:g} h" if basis == "hours" else f"{threshold:g} {currency_symbol}"
    )
    month = " a month" if period == "month" else ""
    return f"Volume discount {percent:g} % above {volume.strip()}{month}"


def month_bounds(day):
    """(first, last) day of day's calendar month."""
    last = calendar.monthrange(day.year, day.month)[1]
    return date(day.year, day.month, 1), date(day.year, day.month, last)


def period_volume(this_invoice, month_before=0.0, period="month"):
    """The volume a tier is looked up with: this invoice's, plus what the
    month's earlier invoices billed when the period is the calendar month."""
    if period == "month":
        return (month_before or 0.0) + this_invoice
    return this_invoice


def tier_for(volume, tiers):
    """The (threshold, percent) tier a volume is above (the largest), or None."""
    found = None
    for threshold, percent in tiers:
        if volume > threshold:
            found = (threshold, percent)
    return found
