"""The demo agency's calendar: every date the demo uses, planned from one `today`.

The demo generators (the other modules of this ``demo/`` package, and of
agency_billing's) take their dates from :func:`demo_plan` and never read the
clock themselves, so that a demo built on any day of the year tells the same
story:

- a **locked, approved and invoiced past**: every entry up to ``lock_date`` is
  approved and locked; the month before the billing month is invoiced and
  posted;
- **approved weeks** after the lock date, then **one week submitted** and
  waiting for its producers (``review_week``), with one of Dani's entries in it
  **rejected** (``rejected_day``);
- the **billing month**, the month that ends on the lock date: its billing run
  is **in review** (draft invoices, a blocking check);
- the retainer's three months and the fixed fee's schedule around it;
- **timers**: two running now, one forgotten since the morning of the last
  working day (``forgotten_timer_day``).

How the lock date is chosen. The week to review is the last whole week before
the current one (weeks start on the company's first day of the week): it holds
five working days, all in the past, whatever today is. The lock date is the
last day of the last month that ended before that week began. On the first days
of a month the week to review still lies in the month before, so the lock date
is the end of the month before that one: its time is approved, locked and being
billed while last month's last week waits for approval. A month is closed once
its last week has been reviewed, never before.

Everything here is a plain function of plain values (no database), tested for
every day of two years in tests/test_demo_plan.py.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytz

from ..tools import day_bounds, week_bounds

HISTORY_DAYS = 91
# A studio day off this many days before yesterday (moved back to a weekday).
STUDIO_DAY_OFF_DAYS = 35
# A week of leave for three people, this many weeks before yesterday's week.
LEAVE_WEEKS = (("anna", 7), ("kai", 4), ("clara", 10))
WORKDAYS = range(5)  # Monday to Friday
# The person whose entry of the week to review her producer rejects.
REJECTED_PERSON = "dani"
# Timers running now: how long ago they started.
RUNNING_TIMERS = {"dani": timedelta(minutes=42), "paula": timedelta(minutes=8)}
# A timer left running since the morning of the last working day.
FORGOTTEN_TIMER = ("pedro", time(9, 0))


def month_start(day):
    """The first day of the month of `day`."""
    return day.replace(day=1)


def month_end(day):
    """The last day of the month of `day`."""
    return (month_start(day) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def previous_month(day):
    """(first day, last day) of the month before the month of `day`."""
    last = month_start(day) - timedelta(days=1)
    return month_start(last), last


def last_workday_before(day, days_off=()):
    """The last weekday (Monday to Friday) before `day` that is not a day off."""
    day -= timedelta(days=1)
    while day.weekday() not in WORKDAYS or day in days_off:
        day -= timedelta(days=1)
    return day


def local_to_utc(day, at, tz_name):
    """`day` at the local time `at` in the zone `tz_name`, as a naive UTC
    datetime (what Odoo stores). Daylight saving is the zone's own."""
    tz = pytz.timezone(tz_name or "UTC")
    local = tz.localize(datetime.combine(day, at))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def local_day_bounds(first, last, tz_name):
    """The whole local days from `first` to `last` in the zone `tz_name`, as
    naive UTC datetimes (from, to): a day off is a day off where the person
    lives, 23 or 25 hours long on the days the clocks change."""
    tz = pytz.timezone(tz_name or "UTC")
    return day_bounds(first, tz)[0], day_bounds(last, tz)[1] - timedelta(seconds=1)


@dataclass(frozen=True)
class DemoPlan:
    """Every date of the demo agency (see the module's docstring)."""

    today: date
    # the time logged by everyone, up to yesterday
    history: tuple
    studio_day_off: date
    # {person key: (Monday, Friday)} of their week of leave
    leaves: dict
    lock_date: date
    # every entry up to this day is approved; after it comes the week to review
    approved_until: date
    # (first, last day) of the week submitted and waiting for approval
    review_week: tuple
    rejected_day: date
    # Dani's day of suggestions, and the day the forgotten timer started
    last_workday: date
    forgotten_timer_day: date
    # (first, last day) of the month whose billing run is in review
    billing_month: tuple
    # (first, last day) of the month before it: invoiced and posted
    earlier_month: tuple
    # the first days of the retainer's three months, the last one the billing
    # month's
    retainer_months: tuple
    rates_from: date
    # the day designers' rate goes up (the first of a month mid-history)
    rate_change: date
    # one currency rate a month, from the rates' first month to today's
    currency_rate_days: tuple
    # the fixed fee: its start (kick-off), the design milestone's deadline and
    # the day it was reached, the change order's day, the launch to come
    fixed_fee_start: date
    milestone_deadline: date
    milestone_reached: date
    change_order_day: date
    launch_day: date
    # the expenses re-billed (a taxi, print proofs), in the billing month
    expense_days: tuple
    # invoice dates: the earlier month's, the billing month's drafts, the
    # fixed fee's posted invoice for the billing month
    earlier_invoice_date: date
    review_invoice_date: date
    closing_invoice_date: date
    credit_note_day: date
    # {user key: how long ago their running timer started}
    running_timers: dict

    def days_off(self, person):
        """The days `person` does not work by the plan (leave, the studio's
        day off); their calendar's weekdays are theirs to add."""
        days = {self.studio_day_off}
        if person in self.leaves:
            first, last = self.leaves[person]
            days |= {first + timedelta(days=n) for n in range((last - first).days + 1)}
        return days


def demo_plan(today, first_weekday=0):
    """Plan the demo agency's dates for a demo built on `today`.

    :param today: the day the demo is built (a date)
    :param first_weekday: the company's first day of the week (0 = Monday)
    :return: a :class:`DemoPlan`
    """
    yesterday = today - timedelta(days=1)

    # The week to review: the last whole week before the current one.
    review_first = week_bounds(today, first_weekday)[0] - timedelta(days=7)
    review_week = (review_first, review_first + timedelta(days=6))
    approved_until = review_first - timedelta(days=1)
    lock_date = month_start(review_first) - timedelta(days=1)
    billing_month = (month_start(lock_date), lock_date)
    earlier_month = previous_month(lock_date)
    retainer_months = (
        previous_month(earlier_month[0])[0],
        earlier_month[0],
        billing_month[0],
    )

    # Three months of time at least, and the whole earlier month.
    history = (min(today - timedelta(days=HISTORY_DAYS), earlier_month[0]), yesterday)
    studio_day_off = yesterday - timedelta(days=STUDIO_DAY_OFF_DAYS)
    while studio_day_off.weekday() not in WORKDAYS:
        studio_day_off -= timedelta(days=1)
    yesterdays_week = week_bounds(yesterday)[0]
    leaves = {}
    for person, weeks in LEAVE_WEEKS:
        monday = yesterdays_week - timedelta(weeks=weeks)
        leaves[person] = (monday, monday + timedelta(days=4))

    working = [
        day
        for day in (review_first + timedelta(days=n) for n in range(7))
        if day.weekday() in WORKDAYS
        and day != studio_day_off
        and not (
            REJECTED_PERSON in leaves
            and leaves[REJECTED_PERSON][0] <= day <= leaves[REJECTED_PERSON][1]
        )
    ]
    rejected_day = working[len(working) // 2]
    last_workday = last_workday_before(today, {studio_day_off})

    middle = history[0] + (history[1] - history[0]) / 2
    rates_from = min(history[0], retainer_months[0])
    currency_rate_days = []
    day = month_start(rates_from)
    while day <= today:
        currency_rate_days.append(day)
        day = month_end(day) + timedelta(days=1)

    billing_first = billing_month[0]
    return DemoPlan(
        today=today,
        history=history,
        studio_day_off=studio_day_off,
        leaves=leaves,
        lock_date=lock_date,
        approved_until=approved_until,
        review_week=review_week,
        rejected_day=rejected_day,
        last_workday=last_workday,
        forgotten_timer_day=last_workday,
        billing_month=billing_month,
        earlier_month=earlier_month,
        retainer_months=retainer_months,
        rates_from=rates_from,
        rate_change=month_start(middle),
        currency_rate_days=tuple(currency_rate_days),
        fixed_fee_start=retainer_months[0],
        milestone_deadline=billing_first + timedelta(days=14),
        milestone_reached=billing_first + timedelta(days=11),
        change_order_day=billing_first + timedelta(days=13),
        launch_day=month_end(month_end(today) + timedelta(days=1)),
        expense_days=(
            billing_first + timedelta(days=5),
            billing_first + timedelta(days=12),
        ),
        earlier_invoice_date=billing_first,
        review_invoice_date=today,
        closing_invoice_date=lock_date + timedelta(days=1),
        credit_note_day=today,
        running_timers=dict(RUNNING_TIMERS),
    )
