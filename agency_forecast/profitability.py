"""Profitability, said once: plain values in, plain values out.

Every margin figure of the add-on (the margin facts, the engagement and project
forms, the dashboard, the early warnings) is computed by these functions or by
the SQL of ``report/agency_margin_fact.py``, which says the same rules row by
row and is checked against them by the tests. The formulas, in words, are in
``readme/DESCRIPTION.md``.

All amounts are in the company's currency unless a parameter says otherwise.
"""

from collections import namedtuple

# A re-billed expense's price (cost plus markup percent), as billing says it.
from odoo.addons.agency_billing.models.billing_rules import marked_up  # noqa: F401

# Non-billable time, said once for the margins (billable share, the facts'
# "billable") and the early warnings (non-billable creep): time on a project
# without a client (internal time; agency_billing prices it "Not billable")
# and time the billing owner left out of a billing run while it stays out
# (agency_excluded_reason; the next run that collects it clears it). A
# client project's non-billable time is its excluded time.
NON_BILLABLE_DOMAIN = [
    "|",
    ("project_id.partner_id", "=", False),
    ("agency_excluded_reason", "!=", False),
]


def is_billable(has_client, excluded_reason=None):
    """Whether an entry's time counts as billable: its project has a client
    and no billing run left it out. The margin facts say the same in SQL
    (``report/agency_margin_fact.py``: ``billable_sql``)."""
    return bool(has_client) and not excluded_reason


# What a set of facts adds up to (sums, never ratios: ratios are derived).
Totals = namedtuple(
    "Totals",
    "revenue cost hours billable_hours cost_unknown_hours standard_value billed "
    "write_downs revenue_unknown_hours fx_difference",
    defaults=(0.0,) * 10,
)


def convert(amount, from_rate, to_rate, rounding=0.01):
    """amount in a currency whose rate (units per unit of the reference
    currency) is from_rate, into the currency of to_rate, rounded to rounding.
    A missing from_rate is an error: the caller names the currency and date."""
    if from_rate is None:
        raise ValueError("no rate")
    value = amount * to_rate / from_rate
    return round_to(value, rounding)


def round_to(value, rounding=0.01):
    """value rounded to a multiple of rounding, half away from zero (as
    PostgreSQL's round(numeric) and Odoo's float_round do)."""
    if not rounding:
        return value
    steps = abs(value) / rounding
    whole = int(steps + 0.5 + 1e-9)
    return (whole if value >= 0 else -whole) * rounding


def entry_cost(hours, cost_rate):
    """(cost, cost unknown hours) of an entry: hours × the cost rate in force
    on its date (its rate line's cost rate, else the person's hourly cost,
    already in the company's currency). No cost rate at all is *unknown*, never
    a cost of 0."""
    if not cost_rate:
        return 0.0, hours
    return hours * cost_rate, 0.0


def fx_difference(difference, balance, amount_currency, refund=False):
    """What a contract exchange rate billed over the day's rate on an invoice
    line, in the company's currency: the line's stored difference (invoice
    currency) converted as its balance was; a credit note line, which copies
    the difference of the line it reverses with the same sign, deducts it."""
    if not difference or not amount_currency:
        return 0.0
    value = difference * abs(balance / amount_currency)
    return -value if refund else value


def wip_value(
    price,
    day_factor,
    contract=None,
    invoice_factor=None,
    multiplier=None,
    rounding=0.01,
):
    """(value, FX difference) of an entry's work in progress in the company's
    currency, as the margin view says it (``wip_daily`` / ``wip_contract``).

    :param price: its frozen price, in the rates' currency
    :param day_factor: the rates' currency into the company's on its date
    :param contract: the engagement's contract rate (units of the invoice
        currency per unit of the rates') covering its date, or None
    :param invoice_factor: the invoice currency into the company's on its date
    :param multiplier: the rate multiplier a billing run set on it, None or 0
        for none
    :return: at the contract rate when one covers the day (what invoicing it
        at that rate will say), with its difference to the day's rate; else at
        the day's rate, difference 0; each × the multiplier, then rounded
    """
    factor = multiplier or 1.0
    at_day = round_to(price * day_factor * factor, rounding)
    if not contract:
        return at_day, 0.0
    value = round_to(price * contract * invoice_factor * factor, rounding)
    return value, round_to(value - at_day, rounding)


def share(amount, weight, total_weight, count=1):
    """The part of an invoice line's amount that one of its count sources
    (entries, expenses) carries: by weight (billed amount), else evenly."""
    if total_weight:
        return amount * weight / total_weight
    return amount / count if count else 0.0


def entry_revenue(
    kind, invoiced_share, wip_value, multiplier=None, outside=False, outside_amount=None
):
    """Revenue of one approved entry.

    :param kind: the engagement's kind (time_materials, fixed_fee, retainer)
        or None (no engagement: internal time)
    :param invoiced_share: its share of the invoice line that bills it, net of
        credit notes (None while not invoiced)
    :param wip_value: its frozen price in the company's currency (work in
        progress)
    :param multiplier: the rate multiplier a billing run set on it (weekend,
        public holiday, rush), None or 0 for none
    :param outside: imported as invoiced outside Odoo
    :param outside_amount: the billable amount its import stored, in the
        company's currency (None: the file had neither amount nor rate)
    :return: the invoiced share once invoiced; invoiced outside Odoo, the
        imported amount, or None (*amount unknown*, never 0); before, the frozen
        price × its multiplier for time and materials; nothing for fixed fees
        and retainers, whose fees are their revenue
    """
    if invoiced_share is not None:
        return invoiced_share
    if outside:
        return outside_amount
    if kind != "time_materials":
        return 0.0
    return round_to(wip_value * (multiplier or 1.0))


def earned_value(fee_total, hours_done, estimated_hours):
    """(earned value, over-run hours) of a fixed fee: the fee with its change
    orders × the share of the estimated effort done, at most the fee; hours
    beyond the estimate are the over-run. No estimate: earned when invoiced
    only (0 here)."""
    if not estimated_hours or estimated_hours <= 0:
        return 0.0, 0.0
    done = min(hours_done / estimated_hours, 1.0)
    return fee_total * done, max(hours_done - estimated_hours, 0.0)


def breakage(expired_hours, period_fee, included_hours):
    """The value of a retainer's expired hours: paid for, never worked (the
    fee per included hour × the expired hours)."""
    if not included_hours:
        return 0.0
    return expired_hours * period_fee / included_hours


def add(*totals):
    """The sum of Totals."""
    return Totals(*(sum(values) for values in zip(*totals, strict=True)))


def ratio(numerator, denominator):
    return numerator / denominator if denominator else None


def kpis(totals):
    """The KPIs of a set of facts, from their Totals:

    - margin = revenue − cost; margin % = margin ÷ revenue
    - realization = billed ÷ value at standard rates (billed realization:
      what invoices say, credit notes, write-ups and write-downs included, over
      the rate-card value of the approved billable time)
    - effective hourly rate = revenue ÷ hours logged
    - billable share = billable hours ÷ hours logged
    - write-offs = write-downs and over-run write-offs (time on a client's
      project is billable here; time without a client is internal, cost only)
    Ratios whose denominator is 0 are None (shown empty, never 0).
    """
    margin = totals.revenue - totals.cost
    return {
        "revenue": totals.revenue,
        "cost": totals.cost,
        "margin": margin,
        "margin_percent": ratio(100.0 * margin, totals.revenue),
        "realization": ratio(100.0 * totals.billed, totals.standard_value),
        "effective_rate": ratio(totals.revenue, totals.hours),
        "billable_share": ratio(100.0 * totals.billable_hours, totals.hours),
        "write_offs": totals.write_downs,
        "hours": totals.hours,
        "cost_unknown_hours": totals.cost_unknown_hours,
        "revenue_unknown_hours": totals.revenue_unknown_hours,
        "billed": totals.billed,
        "write_downs": totals.write_downs,
        "fx_difference": totals.fx_difference,
    }
