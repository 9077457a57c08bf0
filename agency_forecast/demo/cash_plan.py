"""The demo's cash story, as plain rules (no database; tests/test_forecast_demo.py
checks them for many todays).

The story (issue 15, item 7): on the demo, the base and best scenarios keep
the bank above zero for the 13 weeks ahead, and only the conservative one
dips below zero, in a week about two months out (:data:`DIP_WEEKS`), the
week of a payroll: its slow client's large invoice, which base and best
expect the week before that payroll, comes (15 days slower) after it.

demo/cash.py builds it: payment history (which sets each client's days late),
the slow client's large invoice placed by :func:`large_invoice_due`, then an
opening bank balance chosen by :func:`opening_for` from the engine's own
weekly balances, so that the story holds whatever day the demo is built.
"""

from datetime import timedelta

from .. import forecasting as fc

# The weeks (0: this week) that are "about two months out". From week 5: on
# a few build days (24 November 2027 in the plan's model) the month end five
# weeks out is deeper than the one two months out, and the story is told there.
DIP_WEEKS = range(5, 12)
# Days before the payroll's week the base expects the large invoice.
EARLY_DAYS = 4
# Tried: the slow client's days late, the other clients', the large invoice.
SLOW_LATE = range(14, 71, 3)
OTHERS_LATE = (0, 3, 7, 10, 14, 18, 21, 25, 28)
LARGE = (60000.0, 90000.0, 120000.0)
# The room the opening needs between its floor and its ceiling (the lines
# tried are the forecast's in memory; the real ones differ by a day or two).
ROOM = 40000.0


def payroll_days(today):
    """The month ends (payroll days) of the 13 weeks ahead."""
    days = []
    start = fc.add_months(today, 0)
    while True:
        end = fc.month_end(start)
        if (end - today).days > fc.WEEKS * 7:
            return days
        if end >= today:
            days.append(end)
        start = fc.add_months(start, 1)


def dip_payroll(today, week_start=0):
    """The payroll about two months out: the month end whose week is in
    DIP_WEEKS nearest to nine weeks out (None when none is, which never happens:
    seven weeks hold a month end)."""
    found = [
        day
        for day in payroll_days(today)
        if fc.week_index(day, today, week_start) in DIP_WEEKS
    ]
    if not found:
        return None
    return min(found, key=lambda day: abs((day - today).days - 61))


def large_invoice_due(payroll, days_late, week_start=0):
    """The due date of the slow client's large invoice: paid `days_late` late,
    it comes EARLY_DAYS days before the payroll's week (base, best), and 15
    days later (conservative) in the week after."""
    arrival = fc.week_first(payroll, week_start) - timedelta(days=EARLY_DAYS)
    return arrival - timedelta(days=days_late)


def bounds(balances, dip_weeks=DIP_WEEKS):
    """(floor, ceiling) of the openings that tell the story: best and base at
    or above zero in every week, the conservative below zero in a week of
    dip_weeks and in no other. balances: {"best" | "base" | "conservative":
    [balance after each of the 13 weeks from an opening of 0]}. The story
    can be told when floor < ceiling."""
    conservative = balances["conservative"]
    inside = [conservative[i] for i in dip_weeks if i < len(conservative)]
    others = [b for i, b in enumerate(conservative) if i not in dip_weeks]
    others += [*balances["base"], *balances["best"], 0.0]
    return -min(others), -min(inside)


def opening_for(balances, dip_weeks=DIP_WEEKS, step=1000.0):
    """The opening balance that tells the story (see :func:`bounds`): halfway
    between the floor and the ceiling, rounded down to `step`; None when the
    two are less than two steps apart."""
    floor, ceiling = bounds(balances, dip_weeks)
    if ceiling - floor < 2 * step:
        return None
    return (floor + ceiling) / 2 // step * step


def story_holds(balances, opening, dip_weeks=DIP_WEEKS):
    """Whether `balances` (as for opening_for) from `opening` tell the story."""
    conservative = [b + opening for b in balances["conservative"]]
    below = [i for i, b in enumerate(conservative) if b < 0]
    return (
        all(b + opening >= 0 for b in (*balances["base"], *balances["best"]))
        and bool(below)
        and all(i in dip_weeks for i in below)
    )


def weekly_balances(lines, today, levers_by_kind, week_start=0):
    """{scenario kind: [balance after each of the 13 weeks from 0]} of the
    forecast lines under each scenario's levers (fc.Levers): cash only."""
    balances = {}
    for kind, levers in levers_by_kind.items():
        flows = [0.0] * fc.WEEKS
        memo = {}
        for line in lines:
            amount = fc.lever_amount(line, levers, today)
            if not amount:
                continue
            for day, share in fc.receipts_memo(line, today, levers, amount, memo):
                index = fc.week_index(day, today, week_start)
                if index is not None:
                    flows[index] += share
        balances[kind] = fc.running_balance(0.0, flows)
    return balances


def with_late(lines, late, average):
    """The lines with each client's days late ({client id: days}; `average`,
    the company's, for the others); cash out as it is."""
    return [
        line
        if line.kind in fc.CASH_OUT_KINDS
        else line._replace(days_late=late.get(line.client_id, average))
        for line in lines
    ]


def large_line(client_id, currency_id, amount, due, days_late):
    """The slow client's large invoice as a forecast line (open, posted)."""
    return fc.Line(
        kind="open_invoice", amount=amount, amount_currency=amount,
        currency_id=currency_id, client_id=client_id, engagement_id=False,
        source_model="account.move", source_ids=(), due_date=due,
        days_late=days_late,
    )  # fmt: skip


def choose(lines, today, levers_by_kind, clients, slow, week_start=0, currency_id=1):
    """(slow client's days late, the others', the large invoice's amount,
    room) that tell the story: the other clients as punctual as it allows,
    then the widest room for the opening (:func:`bounds`); when none leaves
    ROOM, the widest (room may then be negative: no story).

    lines: the forecast lines without the large invoice; clients: the ids of
    the clients whose payment history the demo writes (the others pay as the
    company's average); slow: the slow client's id."""
    payroll = dip_payroll(today, week_start)
    found = []
    for others_late in OTHERS_LATE:  # the most punctual first
        for slow_late in SLOW_LATE:
            if others_late >= slow_late:
                continue
            late = dict.fromkeys(clients, others_late)
            late[slow] = slow_late
            moved = with_late(lines, late, round(sum(late.values()) / len(late)))
            due = large_invoice_due(payroll, slow_late, week_start)
            for amount in LARGE:
                large = large_line(slow, currency_id, amount, due, slow_late)
                balances = weekly_balances(
                    [*moved, large], today, levers_by_kind, week_start
                )
                floor, ceiling = bounds(balances)
                found.append((ceiling - floor, others_late, slow_late, amount))
        told = [f for f in found if f[0] >= ROOM and f[1] == others_late]
        if told:
            room, _others, slow_late, amount = max(told)
            return slow_late, others_late, amount, room
    room, others_late, slow_late, amount = max(found)
    return slow_late, others_late, amount, room
