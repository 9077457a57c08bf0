"""Forecasting rules: plain values in, plain values out (no Odoo import).

The cash and revenue forecast (``forecast_sources.py`` reads the records,
``models/agency_forecast_scenario.py`` applies a scenario) is made of
*forecast lines*, :class:`Line`: an amount in the company currency with up to
three dates, one per view of the forecast:

- ``revenue_date``: when the work is done (None: no revenue ahead, e.g. an
  invoice already posted, or a cash-out line);
- ``invoice_date``: when it is billed (None: already billed, or cash out);
- the cash date, computed by :func:`cash_date` from the invoice date, the
  payment terms (``terms``: plain term lines, see :func:`due_dates`), the
  client's average days late and the scenario's extra delay; or fixed
  (``due_date``) for an invoice already open.

Every function that needs the current day takes ``today``: nothing here reads
the clock, so the rules are the same on any day of the week, month or year.
"""

import calendar
from collections import defaultdict, namedtuple
from datetime import date, timedelta
from functools import lru_cache
from statistics import median

WEEKS = 13
MONTHS = 12
CADENCES = ("monthly", "quarterly")
# The kinds of forecast line, in the order the tables show them.
KINDS = (
    "time",
    "expense",
    "booking",
    "fixed_fee",
    "retainer",
    "overage",
    "draft_invoice",
    "open_invoice",
    "payroll",
    "overhead",
)
CASH_OUT_KINDS = ("payroll", "overhead")
# Kinds whose amount comes from the rate cards (rate change, write-off levers).
CARD_KINDS = ("time", "booking")

Line = namedtuple(
    "Line",
    "kind amount amount_currency currency_id client_id engagement_id source_model "
    "source_ids revenue_date invoice_date due_date terms days_late tentative hours",
    defaults=(None, None, None, (), 0, False, 0.0),
)
Line.__doc__ = """One forecast line.

amount: company currency (negative for cash out); amount_currency and
currency_id: the engagement's (drill-down); source_model and source_ids: the
real records behind it; revenue_date, invoice_date: see the module; due_date:
fixed due date (open invoices); terms: payment term lines (see due_dates);
days_late: the client's average days late; tentative: a tentative booking
(weighted by the scenario's probability); hours: booked hours (utilization)."""

Levers = namedtuple(
    "Levers",
    "rate_change rate_change_date write_off probability utilization delay_days "
    "terms overheads_change",
    defaults=(0.0, None, 0.0, 100.0, 0.0, 0, None, 0.0),
)
Levers.__doc__ = """A scenario's levers, in percent unless said:
rate_change from rate_change_date (None: from today) on card-priced work;
write_off: share of card-priced work never billed; probability of tentative
bookings; utilization change on booked work; delay_days added to every
receipt; terms: other payment term lines for the invoices forecast (None:
each engagement's); overheads_change on the fixed monthly overheads."""


# -- calendar -----------------------------------------------------------------


def month_end(day):
    """The last day of day's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day, months):
    """The first day of the month `months` after day's month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_end(day, cadence="monthly"):
    """The last day of the billing period holding day: its month, or its
    calendar quarter."""
    if cadence == "quarterly":
        last_month = (day.month - 1) // 3 * 3 + 3
        return month_end(day.replace(month=last_month, day=1))
    return month_end(day)


def learned_days_after(past_runs, default=0):
    """The usual days between a period's end and its invoice: the median of
    past runs' (invoice date − period end), in whole days; default without
    history. past_runs: [(period end, invoice date)]."""
    gaps = [(invoice - end).days for end, invoice in past_runs if end and invoice]
    if not gaps:
        return default
    return round(median(gaps))


def billing_date(day, today, cadence="monthly", days_after=0):
    """When work (or a fee) dated day is billed: the run of the period holding
    day, `days_after` days after that period's end; never before today (a run
    that is late bills at the next chance: today)."""
    run = period_end(day, cadence) + timedelta(days=days_after)
    return max(run, today)


# -- payment terms and days late ----------------------------------------------


TermLine = namedtuple("TermLine", "value value_amount delay_type nb_days")
TermLine.__doc__ = """A payment term line as Odoo 18 stores it: value
("percent" or "fixed"), value_amount, delay_type ("days_after",
"days_after_end_of_month", "days_after_end_of_next_month",
"days_end_of_month_on_the") and nb_days."""


@lru_cache(maxsize=65536)
def term_due(invoice_date, line):
    """The due date of one term line (a TermLine) for an invoice dated
    invoice_date (cached: forecasts ask the same few pairs many times)."""
    kind, days = line.delay_type, line.nb_days or 0
    if kind == "days_after_end_of_month":
        return month_end(invoice_date) + timedelta(days=days)
    if kind == "days_after_end_of_next_month":
        return month_end(add_months(invoice_date, 1)) + timedelta(days=days)
    if kind == "days_end_of_month_on_the":
        following = add_months(invoice_date, 1)
        last = calendar.monthrange(following.year, following.month)[1]
        return following.replace(day=min(max(days, 1), last))
    return invoice_date + timedelta(days=days)


def due_dates(invoice_date, amount, terms):
    """[(due date, amount)] of an invoice of `amount` dated invoice_date under
    payment terms `terms` (TermLine-like tuples): fixed lines first take their
    amount, percent lines their share; what is left is due with the last line.
    No terms: all due on the invoice date."""
    if not terms:
        return [(invoice_date, amount)]
    parts = []
    left = amount
    for line in terms:
        term = line if isinstance(line, TermLine) else TermLine(*line)
        if term.value == "fixed":
            share = min(term.value_amount, left) if amount >= 0 else term.value_amount
        else:
            share = amount * (term.value_amount or 0.0) / 100.0
        parts.append([term_due(invoice_date, term), share])
        left -= share
    parts[-1][1] += left
    return [(day, share) for day, share in parts]


def shortest_terms_days(terms):
    """The fewest days from an invoice to its first due date under terms: 0
    for none (due at once). Worst case over the invoice's day of month."""
    if not terms:
        return 0
    starts = (date(2024, 1, 31), date(2024, 2, 1), date(2024, 2, 15))
    return min(
        (term_due(start, TermLine(*line)) - start).days
        for line in terms
        for start in starts
    )


def average_days_late(rows):
    """The average days late of paid invoices, rows [(due date, paid date)],
    whole days (early payments count as negative); None without history."""
    gaps = [(paid - due).days for due, paid in rows if due and paid]
    if not gaps:
        return None
    return round(sum(gaps) / len(gaps))


def days_late_by_client(rows):
    """({client id: average days late}, company average) of rows
    [(client id, due date, paid date)]; the company's average (0 without any
    history) is what a new client is expected to do."""
    by_client = {}
    for client, due, paid in rows:
        by_client.setdefault(client, []).append((due, paid))
    averages = {client: average_days_late(pairs) for client, pairs in by_client.items()}
    company = average_days_late([(due, paid) for _c, due, paid in rows])
    return averages, company or 0


def net_open_credits(lines):
    """The lines with each client's open credit notes applied to the same
    client's open invoices in the same currency, the way an accountant
    reconciles them: credit notes in due-date order against the invoices
    due first. An invoice keeps what is left (0 when fully credited) and
    lists the credit notes applied to it among its sources; a credit note
    fully applied is gone; credit left over once the client's open invoices
    are used up stays a refund, paid on its own due date. Other lines are
    returned unchanged, in their order."""
    groups = defaultdict(lambda: ([], []))
    for index, line in enumerate(lines):
        if line.kind == "open_invoice" and line.amount_currency:
            key = (line.client_id, line.currency_id)
            groups[key][line.amount_currency < 0].append(index)
    result = list(lines)
    dropped = set()

    def first_due(index):
        return (lines[index].due_date or date.max, index)

    for invoices, credits in groups.values():
        if not invoices or not credits:
            continue
        left = {i: lines[i].amount_currency for i in invoices + credits}
        applied = defaultdict(list)
        for credit in sorted(credits, key=first_due):
            for invoice in sorted(invoices, key=first_due):
                share = min(left[invoice], -left[credit])
                if share <= 0:
                    continue
                left[invoice] = round(left[invoice] - share, 2)
                left[credit] = round(left[credit] + share, 2)
                applied[invoice].extend(lines[credit].source_ids)
        for index in invoices + credits:
            line = lines[index]
            if left[index] == line.amount_currency:
                continue
            if index in credits and not left[index]:
                dropped.add(index)
                continue
            result[index] = line._replace(
                amount=round(line.amount * left[index] / line.amount_currency, 2),
                amount_currency=left[index],
                source_ids=tuple(line.source_ids) + tuple(applied[index]),
            )
    return [line for index, line in enumerate(result) if index not in dropped]


def receipt_date(due, invoice_date, days_late, today, delay_days=0):
    """When a client pays what is due on `due`: days_late (their average) and
    the scenario's delay_days later, never before the invoice date nor before
    today."""
    paid = due + timedelta(days=int(days_late or 0) + int(delay_days or 0))
    if invoice_date:
        paid = max(paid, invoice_date)
    return max(paid, today)


def receipts(line, today, levers=None, amount=None):
    """[(cash date, amount)] of a forecast line (of `amount` instead of its
    own when given, e.g. under a scenario's levers): cash out on its due date;
    an open invoice on its due date; a forecast invoice on the due dates of
    its terms (the scenario's other terms instead when set); each receipt
    shifted by the client's days late and the scenario's delay."""
    levers = levers or Levers()
    amount = line.amount if amount is None else amount
    if line.kind in CASH_OUT_KINDS:
        return [(max(line.due_date, today), amount)]
    if line.due_date:
        return [
            (
                receipt_date(
                    line.due_date, None, line.days_late, today, levers.delay_days
                ),
                amount,
            )
        ]
    if line.invoice_date is None:
        return []
    terms = levers.terms if levers.terms is not None else line.terms
    return [
        (
            receipt_date(
                due, line.invoice_date, line.days_late, today, levers.delay_days
            ),
            share,
        )
        for due, share in due_dates(line.invoice_date, amount, terms)
    ]


def receipts_memo(line, today, levers, amount, memo):
    """:func:`receipts` of a line of `amount`, its dates and shares worked out
    once per invoice date, due date, payment terms and days late (`memo`, a
    dict kept by the caller for one scenario): the shares are proportional to
    the amount unless a term line is a fixed amount (then worked out as is)."""
    terms = levers.terms if levers.terms is not None else line.terms
    terms = tuple(terms) if terms is not None else None
    key = (line.kind in CASH_OUT_KINDS, line.due_date, line.invoice_date, terms,
           line.days_late)  # fmt: skip
    shares = memo.get(key)
    if shares is None:
        fixed = any(
            (term if isinstance(term, TermLine) else TermLine(*term)).value == "fixed"
            for term in terms or ()
        )
        shares = memo[key] = (
            False
            if fixed and not key[0] and not line.due_date
            else [(day, share) for day, share in receipts(line, today, levers, 1.0)]
        )
    if shares is False:
        return receipts(line, today, levers, amount)
    return [(day, amount * share) for day, share in shares]


# -- retainers and tentative work -----------------------------------------------


def retainer_billing_date(
    period_start, period_end_day, timing, today, cadence="monthly", days_after=0
):
    """When a retainer's fee for the period [period_start, period_end_day] is
    billed, as billing runs bill it: in advance by the run whose period holds
    the period's first day, in arrears by the run whose period holds its last."""
    day = period_start if timing == "advance" else period_end_day
    return billing_date(day, today, cadence, days_after)


def weighted(amount, tentative, probability):
    """A booking's amount: whole when confirmed, × probability (%) when tentative."""
    return amount * probability / 100.0 if tentative else amount


def overage_hours(booked, included, used=0.0):
    """Hours of a retainer period beyond what it includes: booked and used
    hours over the included ones (never negative)."""
    return max(0.0, (booked or 0.0) + (used or 0.0) - (included or 0.0))


# -- levers ---------------------------------------------------------------------


def lever_amount(line, levers, today):
    """The amount of a forecast line under a scenario's levers.

    Tentative bookings × probability; booked work × (1 + utilization change);
    card-priced work from the rate-change date (today without one) × (1 + rate
    change); card-priced work × (1 − write-off share); overheads × (1 +
    overheads change). Everything else as it is.
    """
    amount = line.amount
    if line.kind == "booking":
        amount = weighted(amount, line.tentative, levers.probability)
        amount *= 1 + (levers.utilization or 0.0) / 100.0
    if line.kind in CARD_KINDS:
        start = levers.rate_change_date or today
        if levers.rate_change and line.revenue_date and line.revenue_date >= start:
            amount *= 1 + levers.rate_change / 100.0
        amount *= 1 - (levers.write_off or 0.0) / 100.0
    if line.kind == "overhead":
        amount *= 1 + (levers.overheads_change or 0.0) / 100.0
    return amount


def levers_error(levers, shortest_days):
    """Why these levers cannot be saved, or None: percentages out of range, a
    payment delay that makes clients pay before the invoice (more negative
    than the shortest payment terms' `shortest_days`)."""
    if not 0 <= levers.probability <= 100:
        return "probability"
    if not 0 <= levers.write_off <= 100:
        return "write_off"
    if levers.utilization < -100:
        return "utilization"
    if levers.rate_change < -100:
        return "rate_change"
    if levers.overheads_change < -100:
        return "overheads_change"
    if levers.delay_days < 0 and -levers.delay_days > shortest_days:
        return "delay_days"
    return None


# -- buckets ----------------------------------------------------------------------


def week_first(day, week_start=0):
    """The first day of the week (starting on week_start, 0 = Monday) holding day."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def week_index(day, today, week_start=0):
    """Which of the WEEKS weeks ahead holds day (0: this week), None outside."""
    index = (week_first(day, week_start) - week_first(today, week_start)).days // 7
    return index if 0 <= index < WEEKS else None


def month_index(day, today):
    """Which of the MONTHS months ahead holds day (0: this month), None outside."""
    index = (day.year - today.year) * 12 + day.month - today.month
    return index if 0 <= index < MONTHS else None


def week_starts(today, week_start=0):
    """The first days of the WEEKS weeks ahead."""
    first = week_first(today, week_start)
    return [first + timedelta(weeks=i) for i in range(WEEKS)]


def month_starts(today):
    """The first days of the MONTHS months ahead."""
    return [add_months(today, i) for i in range(MONTHS)]


def horizon_end(today, week_start=0):
    """The last day any bucket holds: the end of the 12th month (or the 13th
    week, whichever is later)."""
    weeks_end = (
        week_first(today, week_start) + timedelta(weeks=WEEKS) - timedelta(days=1)
    )
    return max(month_end(add_months(today, MONTHS - 1)), weeks_end)


def sum_by_day(weighted):
    """{target: {day: amount}} of a scenario's lines, weighted as
    [(line, amount, [(cash date, amount)])]: target (None, view) for the
    totals of revenue, billings, cash and cash_out, and (grain, key, view) for
    the rows per client, engagement and kind (cash out only in the totals'
    cash_out). Summed by day first: a line adds to one entry per target, the
    buckets are filled once per day and target (:func:`series_of`)."""
    by_day = defaultdict(lambda: defaultdict(float))
    for line, amount, cash in weighted:
        out = line.kind in CASH_OUT_KINDS
        keys = [
            key
            for key in (("client", line.client_id),
                        ("engagement", line.engagement_id), ("kind", line.kind))
            if key[1]
        ]  # fmt: skip
        if not out:
            for view, day in (("revenue", line.revenue_date),
                              ("billings", line.invoice_date)):  # fmt: skip
                if day is None:
                    continue
                by_day[(None, view)][day] += amount
                for grain, key in keys:
                    by_day[(grain, key, view)][day] += amount
        total = by_day[(None, "cash_out" if out else "cash")]
        targets = [by_day[(grain, key, "cash")] for grain, key in keys]
        for day, share in cash:
            if day is None:
                continue
            total[day] += share
            for target in targets:
                target[day] += share
    return by_day


def series_of(days, today, week_start=0, slots=None):
    """{"weeks": [WEEKS], "months": [MONTHS], "total"} of {day: amount}: the
    total over the months; `slots` caches each day's (week, month) index."""
    slots = {} if slots is None else slots
    weeks, months, total = [0.0] * WEEKS, [0.0] * MONTHS, 0.0
    for day, amount in days.items():
        slot = slots.get(day)
        if slot is None:
            slot = slots[day] = (week_index(day, today, week_start),
                                 month_index(day, today))  # fmt: skip
        if slot[0] is not None:
            weeks[slot[0]] += amount
        if slot[1] is not None:
            months[slot[1]] += amount
            total += amount
    return {"weeks": weeks, "months": months, "total": total}


def running_balance(opening, flows):
    """[balance after each bucket] of an opening balance and net flows per bucket."""
    balance = opening
    balances = []
    for flow in flows:
        balance += flow
        balances.append(balance)
    return balances


def lowest_balance(opening, flows):
    """(lowest balance ahead, index of its bucket) of an opening balance and net
    flows per bucket; (opening, None) when no bucket goes lower."""
    lowest, where = opening, None
    for index, balance in enumerate(running_balance(opening, flows)):
        if balance < lowest:
            lowest, where = balance, index
    return lowest, where
