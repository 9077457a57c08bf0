"""Plain billing rules, without the ORM: rounding of billed time, retainer period
ledgers and fixed-fee schedules. The models call them; tests call them directly.

All hours are handled in whole minutes (rounding) or in hundredths of an hour
(ledgers), so that totals add up exactly: no float drift between the entries and
the invoice.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

INCREMENTS = (1, 5, 6, 10, 15, 30, 60)
METHODS = ("up", "nearest", "down")


def billed_minutes(raw_hours, increment=1, method="nearest"):
    """Raw hours rounded to the engagement's increment, in whole minutes.

    Rounding is per entry. Up: any started increment counts; down: only full
    increments; nearest: half an increment or more counts (half up).
    """
    if increment not in INCREMENTS:
        raise ValueError(f"increment {increment!r} is not one of {INCREMENTS}")
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {METHODS}")
    # the raw time to the second, so that float noise never crosses an increment
    seconds = Decimal(str(round(raw_hours * 3600)))
    steps = seconds / Decimal(increment * 60)
    if method == "up":
        whole = math.ceil(steps)
    elif method == "down":
        whole = math.floor(steps)
    else:
        whole = int(steps.to_integral_value(rounding=ROUND_HALF_UP))
    return max(0, whole) * increment


def minutes_to_hours(minutes, digits=2):
    """Minutes as hours at the quantity precision (Decimal, exact)."""
    return (Decimal(minutes) / 60).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def total_hours(hours_list, digits=2):
    """The exact sum of quantities already at `digits` precision."""
    step = Decimal(1).scaleb(-digits)
    return sum((Decimal(str(h)).quantize(step) for h in hours_list), Decimal(0))


# -- retainers -------------------------------------------------------------------


@dataclass
class LedgerRow:
    """One retainer period, in hours (except `billed`, an amount)."""

    period: object
    opening: float = 0.0  # rolled over from earlier periods, still valid
    included: float = 0.0  # the period's own hours
    used: float = 0.0
    rolled_over: float = 0.0  # unused hours carried into the next period
    expired: float = 0.0  # unused hours that can no longer be used
    overage: float = 0.0  # used beyond what was available
    billed_overage: float = 0.0  # overage invoiced with this period
    consumed_from: list = field(default_factory=list)  # [(origin period, hours)]


def retainer_ledger(periods, rollover_periods=0, overage_billing="period"):
    """The period ledger of a retainer.

    :param periods: [(period key, included hours, used hours)], oldest first
    :param rollover_periods: 0 = no rollover; N = unused hours of a period can be
        used during the N following periods, then expire
    :param overage_billing: "period" (overage billed with each period) or "end"
        (accumulated and billed with the last period given)
    :return: [LedgerRow], one per period

    Hours are consumed oldest first: hours rolled over from earlier periods
    (the oldest origin first) before the period's own.
    """
    if rollover_periods < 0:
        raise ValueError("rollover periods cannot be negative")
    if overage_billing not in ("period", "end"):
        raise ValueError(f"unknown overage billing {overage_billing!r}")
    cents = 100  # work in hundredths of an hour: exact sums
    buckets = []  # [origin index, remaining cents, last usable index]
    rows = []
    pending_overage = 0
    for index, (key, included, used) in enumerate(periods):
        included_c = round(included * cents)
        used_c = round(used * cents)
        if included_c < 0 or used_c < 0:
            raise ValueError("included and used hours cannot be negative")
        row = LedgerRow(period=key, included=included_c / cents, used=used_c / cents)
        row.opening = sum(b[1] for b in buckets) / cents
        buckets.append([index, included_c, index + rollover_periods])
        need = used_c
        consumed = []
        for bucket in buckets:  # oldest origin first
            if not need:
                break
            take = min(bucket[1], need)
            if take:
                bucket[1] -= take
                need -= take
                consumed.append((periods[bucket[0]][0], take / cents))
        row.consumed_from = consumed
        row.overage = need / cents
        row.expired = sum(b[1] for b in buckets if b[2] <= index) / cents
        buckets = [b for b in buckets if b[2] > index and b[1] > 0]
        row.rolled_over = sum(b[1] for b in buckets) / cents
        pending_overage += need
        last = index == len(periods) - 1
        if overage_billing == "period" or last:
            row.billed_overage = pending_overage / cents
            pending_overage = 0
        rows.append(row)
    return rows


# -- fixed fees ------------------------------------------------------------------


def schedule_amounts(fee, percentages, digits=2):
    """Split a fixed fee by schedule percentages; the rounding difference goes to
    the last line, so that the lines add up to the fee exactly.

    :param percentages: [percent] that must add up to 100
    :return: [Decimal amount]
    """
    total = sum(Decimal(str(p)) for p in percentages)
    if abs(total - 100) > Decimal("0.0001"):
        raise ValueError(f"schedule percentages add up to {total:f}, not 100")
    step = Decimal(1).scaleb(-digits)
    fee = Decimal(str(fee))
    amounts = [
        (fee * Decimal(str(p)) / 100).quantize(step, ROUND_HALF_UP) for p in percentages
    ]
    if amounts:
        amounts[-1] += fee - sum(amounts)
    return amounts


def due_schedule_lines(lines, period_end, done_milestones=()):
    """The schedule lines due by `period_end` and not invoiced yet.

    :param lines: [(key, due date or None, milestone key or None, invoiced)]
    :param done_milestones: milestone keys reached
    """
    due = []
    for key, due_date, milestone, invoiced in lines:
        if invoiced:
            continue
        if milestone is not None:
            if milestone in done_milestones:
                due.append(key)
        elif due_date is not None and due_date <= period_end:
            due.append(key)
    return due


def overrun(fee, effort_value):
    """Effort beyond a fixed fee: what a write-off must record (0 when the effort
    stays within the fee)."""
    return max(0.0, round(effort_value - fee, 2))


def marked_up(cost, markup, digits=2):
    """cost plus markup percent, rounded half up to digits (a re-billed
    expense's price; margins count it as the expense's revenue)."""
    value = Decimal(str(cost)) * (100 + Decimal(str(markup or 0))) / 100
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def months_between(first, last):
    """Month starts from `first` to `last` (dates), inclusive."""
    current = date(first.year, first.month, 1)
    months = []
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def period_start(day, period="month"):
    """The first day of the month (or quarter) of `day`."""
    month = day.month if period == "month" else 3 * ((day.month - 1) // 3) + 1
    return date(day.year, month, 1)


def retainer_periods(first, last, period="month"):
    """[(start, end)] of the retainer's periods from the one holding `first` to
    the one holding `last`, both included."""
    step = 1 if period == "month" else 3
    current = period_start(first, period)
    periods = []
    while current <= last:
        month = current.month - 1 + step
        following = date(current.year + month // 12, month % 12 + 1, 1)
        periods.append((current, following - timedelta(days=1)))
        current = following
    return periods


def assign_usage(period_starts, closed, usage):
    """Hours used per period, late time moved forward.

    :param period_starts: the periods' first days, oldest first
    :param closed: the first days of periods already billed (their usage is
        final and given in `usage` under their own key, flagged final)
    :param usage: {(period first day, final): hours}; not-final hours of a
        closed period (time approved after it was billed) go to the first open
        period after it; hours before the first period go to the first open one
    :return: {period first day: hours}
    """
    used = dict.fromkeys(period_starts, 0.0)
    open_starts = [start for start in period_starts if start not in closed]
    for (start, final), hours in usage.items():
        if final:
            if start in used:
                used[start] += hours
            continue
        target = next((s for s in open_starts if s >= start), None)
        if target is None and start < (open_starts or [start])[0]:
            target = open_starts[0] if open_starts else None
        if target is not None and target in used:
            used[target] += hours
    return used


# -- invoice lines ----------------------------------------------------------------

GROUPINGS = ("project", "task", "role", "employee", "entry")


@dataclass
class InvoiceGroup:
    """One invoice line to be: the entries it bills and its exact quantity."""

    key: tuple
    price_unit: Decimal
    entry_ids: list = field(default_factory=list)
    quantity: Decimal = Decimal(0)

    @property
    def amount(self):
        return self.quantity * self.price_unit


def invoice_groups(entries, grouping="project"):
    """Group billable entries into invoice lines.

    :param entries: iterable of dicts with keys id, project, task, role,
        employee, billed_hours (Decimal, at the quantity precision) and
        price_unit (Decimal, in the invoice currency)
    :param grouping: one line per project, task, role, employee (person) or entry
    :return: [InvoiceGroup] in the order their first entry came

    Entries of one group with different prices make one line per price: a line
    has one unit price, so that quantity × price is the amount. The quantity of a
    line is the exact sum of its entries' billed hours.
    """
    if grouping not in GROUPINGS:
        raise ValueError(f"grouping {grouping!r} is not one of {GROUPINGS}")
    groups = {}
    for entry in entries:
        what = entry["id"] if grouping == "entry" else entry[grouping]
        price = Decimal(str(entry["price_unit"]))
        key = (what, price)
        group = groups.get(key)
        if group is None:
            group = groups[key] = InvoiceGroup(key=key, price_unit=price)
        group.entry_ids.append(entry["id"])
        group.quantity += Decimal(str(entry["billed_hours"]))
    return list(groups.values())


def likely_duplicates(entries):
    """Ids of entries that repeat another: same person, task (or project), day,
    duration and note (case and surrounding spaces ignored).

    :param entries: iterable of (id, employee, project, task, day, hours, note)
    :return: [[ids]] one list per set of two or more alike entries
    """
    alike = {}
    for id_, employee, project, task, day, hours, note in entries:
        key = (
            employee,
            project,
            task,
            day,
            round(hours, 4),
            (note or "").strip().lower(),
        )
        alike.setdefault(key, []).append(id_)
    return [ids for ids in alike.values() if len(ids) > 1]
