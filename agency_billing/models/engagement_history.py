"""Engagements proposed from invoiced history: plain values, no database.

An import batch brings rows the old tool had invoiced (Harvest's
``Invoiced?``, Clockify's ``Invoiced``); the client was billed time and
materials for that project. :func:`propose_engagements` turns those rows into
one time-and-materials engagement per client and project: from the first
invoiced day, with the hours and the amount invoiced (in the currency most of
the amount was in) for the reviewer to see. Rows without a client cannot make
an engagement (an engagement invoices a client) and come back apart.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Invoiced:
    """One imported, invoiced row: `client` and `project` are any keys (the
    records), `currency` too (None: unknown)."""

    client: object
    project: object
    day: date
    hours: float
    amount: float = 0.0
    currency: object = None


def propose_engagements(rows):
    """([proposal], [rows without a client]); a proposal is a dict with
    client, project, date_start (first invoiced day), last_day, hours, amount
    and currency (the one most of the amount was in; ties: the first met), in
    the order the client and project were first met."""
    groups = {}
    without_client = []
    for row in rows:
        if not row.client:
            without_client.append(row)
            continue
        key = (row.client, row.project)
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "client": row.client,
                "project": row.project,
                "date_start": row.day,
                "last_day": row.day,
                "hours": 0.0,
                "amounts": defaultdict(float),
            }
        group["date_start"] = min(group["date_start"], row.day)
        group["last_day"] = max(group["last_day"], row.day)
        group["hours"] += row.hours
        group["amounts"][row.currency] += row.amount
    proposals = []
    for group in groups.values():
        amounts = group.pop("amounts")
        known = {c: a for c, a in amounts.items() if c is not None} or amounts
        currency = max(known, key=lambda c: known[c])  # first met on ties
        proposals.append(
            {
                **group,
                "hours": round(group["hours"], 2),
                "amount": round(known[currency], 2),
                "currency": currency,
                "other_currencies": len(known) > 1,
            }
        )
    return proposals, without_client
