"""Contract exchange rates, without the ORM: an engagement invoiced in another
currency than its rates' may fix the rate for dated periods ("GBP at 1.17
agreed for the year") instead of Odoo's daily rate.

A period says: one unit of the rates' currency is ``rate`` units of the
engagement's (invoice) currency, from ``date_from`` to ``date_to`` (both
included, both required). Periods of one currency never overlap.
"""

from collections import namedtuple
from itertools import pairwise

# A contract rate period, plain values (currency: the rates' currency id).
ContractRate = namedtuple("ContractRate", "id currency rate date_from date_to")


def period_error(rate, date_from, date_to):
    """Why a contract rate period is refused, or None."""
    if not rate or rate <= 0:
        return "the rate must be above 0"
    if not date_from or not date_to:
        return "a contract rate is agreed for dates: set both From and To"
    if date_to < date_from:
        return "it ends before it starts"
    return None


def overlapping(periods):
    """The first two periods of one currency sharing a day, or None."""
    by_currency = {}
    for period in periods:
        by_currency.setdefault(period.currency, []).append(period)
    for same in by_currency.values():
        same = sorted(same, key=lambda p: (p.date_from, p.id))
        for first, second in pairwise(same):
            if second.date_from <= first.date_to:
                return first, second
    return None


def rate_on(periods, currency, day):
    """The period of currency covering day, or None (the daily rate applies)."""
    for period in periods:
        if period.currency == currency and period.date_from <= day <= period.date_to:
            return period
    return None


def difference(amount, contract, daily):
    """What invoicing `amount` (invoice currency, at the contract rate) gains
    over the daily rate: amount − amount × daily / contract (negative: the
    contract rate gives less than the day's)."""
    if not contract:
        return 0.0
    return amount - amount * daily / contract
