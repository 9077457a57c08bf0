"""The demo's calendar (demo/plan.py) on every day of two years: no database.

Whatever day `make demo` or `make test` runs, the demo must show a locked,
approved and invoiced past, a week submitted and waiting for approval after the
lock date, a rejected entry, running and forgotten timers and a billing run in
review. These tests plan the demo for every day of 2027 and 2028, for every
first day of the week a company may choose, and check each plan.
"""

import itertools
import unittest
from datetime import date, datetime, time, timedelta

import pytz

from ..demo.people import CALENDARS, PEOPLE
from ..demo.plan import (
    FORGOTTEN_TIMER,
    REJECTED_PERSON,
    demo_plan,
    local_day_bounds,
    local_to_utc,
    month_end,
    month_start,
)
from ..demo.projects import PROJECTS
from ..demo.timesheets import REJECTED

# The forgotten-timer check's default limit (res.company.agency_timer_max_hours).
TIMER_LIMIT = timedelta(hours=10)
ZONES = sorted({tz for _k, _n, _r, _c, tz, _cost, _l in PEOPLE})


def every_day(first, last):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def days_of(first, last):
    return set(every_day(first, last))


class TestDemoPlan(unittest.TestCase):
    def assertPlanHolds(self, plan, first_weekday=0):
        """Every promise of the demo, for the plan of one day."""
        today = plan.today
        msg = f"demo built on {today} (weeks from weekday {first_weekday})"
        first, last = plan.history
        review_first, review_last = plan.review_week
        lock = plan.lock_date

        # Three months of time, up to yesterday.
        self.assertEqual(last, today - timedelta(days=1), msg)
        self.assertLessEqual(first, today - timedelta(days=91), msg)

        # A locked past: the lock is a month end, in the past, before the week
        # to review; everything up to the week to review is approved.
        self.assertEqual(lock, month_end(lock), msg)
        self.assertLess(lock, today, msg)
        self.assertLess(lock, review_first, msg)
        self.assertEqual(plan.approved_until, review_first - timedelta(days=1), msg)
        self.assertGreaterEqual(plan.approved_until, lock, msg)
        self.assertGreater(lock, first, msg)

        # A whole week to review, after the lock, in the past, with a working
        # day for everyone (the studio's day off and leave never fill it).
        self.assertEqual(review_first.weekday(), first_weekday, msg)
        self.assertEqual(review_last - review_first, timedelta(days=6), msg)
        self.assertLess(review_last, today, msg)
        self.assertGreater(review_first, lock, msg)
        self.assertGreaterEqual(review_first, first, msg)
        week = days_of(review_first, review_last)
        for key, _name, _role, calendar, _tz, _cost, _login in PEOPLE:
            working = {
                day
                for day in week - plan.days_off(key)
                if day.weekday() in CALENDARS[calendar][2]
            }
            self.assertEqual(len(working), len(CALENDARS[calendar][2]), f"{key}, {msg}")
        self.assertNotIn(plan.studio_day_off, week, msg)
        for person, (leave_first, leave_last) in plan.leaves.items():
            self.assertEqual(leave_first.weekday(), 0, f"{person}, {msg}")
            self.assertEqual(leave_last - leave_first, timedelta(days=4), msg)
            self.assertGreaterEqual(leave_first, first, msg)
            self.assertLess(leave_last, today, msg)
            self.assertFalse(days_of(leave_first, leave_last) & week, msg)

        # The rejected entry: a working day of Dani's in the week to review.
        self.assertIn(plan.rejected_day, week, msg)
        self.assertLess(plan.rejected_day.weekday(), 5, msg)
        self.assertNotIn(plan.rejected_day, plan.days_off(REJECTED_PERSON), msg)

        # The studio's day off: a weekday in the time logged.
        self.assertLess(plan.studio_day_off.weekday(), 5, msg)
        self.assertTrue(first <= plan.studio_day_off <= last, msg)

        # Timers: running for minutes; one forgotten since the morning of the
        # last working day, longer ago than the limit whatever the hour now.
        self.assertTrue(plan.running_timers, msg)
        for ago in plan.running_timers.values():
            self.assertTrue(timedelta(0) < ago < timedelta(hours=1), msg)
        self.assertLess(plan.last_workday, today, msg)
        self.assertGreaterEqual(plan.last_workday, today - timedelta(days=4), msg)
        self.assertLess(plan.last_workday.weekday(), 5, msg)
        self.assertNotEqual(plan.last_workday, plan.studio_day_off, msg)
        self.assertLess(plan.forgotten_timer_day, today, msg)
        started = datetime.combine(plan.forgotten_timer_day, FORGOTTEN_TIMER[1])
        self.assertGreater(datetime.combine(today, time.min) - started, TIMER_LIMIT)

        # A billing run in review: the month that ends on the lock date, whole,
        # its time approved and locked, with time before it (the Foxglove
        # engagement starts with it: a blocking check).
        start_m, end_m = plan.billing_month
        self.assertEqual((start_m, end_m), (month_start(lock), lock), msg)
        self.assertLess(first, start_m, msg)
        self.assertLessEqual(end_m, plan.approved_until, msg)
        # ... the month before it invoiced and posted, all of it logged.
        start_e, end_e = plan.earlier_month
        self.assertEqual(end_e, start_m - timedelta(days=1), msg)
        self.assertEqual(start_e, month_start(end_e), msg)
        self.assertLessEqual(first, start_e, msg)
        self.assertEqual(plan.earlier_invoice_date, start_m, msg)
        self.assertTrue(lock < plan.closing_invoice_date <= today, msg)
        self.assertEqual(plan.review_invoice_date, today, msg)
        self.assertTrue(lock < plan.credit_note_day <= today, msg)
        for day in plan.expense_days:
            self.assertTrue(start_m <= day <= end_m, msg)

        # The retainer: three whole months in a row, the last the billing month.
        months = plan.retainer_months
        self.assertEqual(len(months), 3, msg)
        self.assertEqual(months[-1], start_m, msg)
        for earlier, later in itertools.pairwise(months):
            self.assertEqual(later, month_end(earlier) + timedelta(days=1), msg)

        # The fixed fee: kicked off with the retainer, its milestone and change
        # order in the billing month, its launch still to come.
        self.assertEqual(plan.fixed_fee_start, months[0], msg)
        for day in (plan.milestone_reached, plan.change_order_day):
            self.assertTrue(start_m <= day <= end_m, msg)
        self.assertLessEqual(plan.milestone_reached, plan.milestone_deadline, msg)
        self.assertLessEqual(plan.milestone_reached, plan.change_order_day, msg)
        self.assertGreater(plan.launch_day, today, msg)

        # Rates and currency rates cover everything priced; designers' rate
        # goes up on the first of a month with time on both sides.
        self.assertLessEqual(plan.rates_from, min(first, months[0]), msg)
        self.assertEqual(plan.rate_change.day, 1, msg)
        self.assertTrue(first < plan.rate_change < last, msg)
        days = plan.currency_rate_days
        self.assertLessEqual(days[0], plan.rates_from, msg)
        self.assertEqual(days[-1], month_start(today), msg)
        for earlier, later in itertools.pairwise(days):
            self.assertEqual(later, month_end(earlier) + timedelta(days=1), msg)

    def test_every_day_of_2027_and_2028(self):
        days = list(every_day(date(2027, 1, 1), date(2028, 12, 31)))
        self.assertEqual(len(days), 731)
        for today in days:
            self.assertPlanHolds(demo_plan(today))

    def test_every_first_day_of_the_week(self):
        for first_weekday in range(7):
            for today in every_day(date(2027, 1, 1), date(2028, 12, 31)):
                self.assertPlanHolds(demo_plan(today, first_weekday), first_weekday)

    def test_awkward_days(self):
        """The days named in the issue, with what the demo shows on them."""
        cases = {
            # the 1st of a month, a Tuesday: main's demo had no week to review
            date(2026, 12, 1): ((2026, 11, 23), (2026, 10, 31)),
            # New Year's Day (a Friday), and a Saturday one
            date(2027, 1, 1): ((2026, 12, 21), (2026, 11, 30)),
            date(2028, 1, 1): ((2027, 12, 20), (2027, 11, 30)),
            # a Monday 1st: the week to review is the last one of the month
            date(2027, 2, 1): ((2027, 1, 25), (2026, 12, 31)),
            date(2027, 3, 1): ((2027, 2, 22), (2027, 1, 31)),
            # a Monday whose last week starts on the 1st: that month is open
            date(2027, 11, 8): ((2027, 11, 1), (2027, 10, 31)),
            # 29 February
            date(2028, 2, 29): ((2028, 2, 21), (2028, 1, 31)),
            # the days the clocks change in Brussels, Los Angeles and Sydney
            date(2027, 3, 28): ((2027, 3, 15), (2027, 2, 28)),
            date(2027, 10, 31): ((2027, 10, 18), (2027, 9, 30)),
            date(2027, 3, 14): ((2027, 3, 1), (2027, 2, 28)),
            date(2027, 11, 7): ((2027, 10, 25), (2027, 9, 30)),
            date(2027, 4, 4): ((2027, 3, 22), (2027, 2, 28)),
            date(2027, 10, 3): ((2027, 9, 20), (2027, 8, 31)),
        }
        for today, (review_first, lock) in cases.items():
            plan = demo_plan(today)
            self.assertPlanHolds(plan)
            self.assertEqual(plan.review_week[0], date(*review_first), today)
            self.assertEqual(plan.lock_date, date(*lock), today)

    def test_first_days_of_a_month_bill_the_month_before_last(self):
        """A month is locked and billed once its last week is reviewed: on the
        1st of December its last week waits, October is the month billed."""
        plan = demo_plan(date(2026, 12, 1))
        self.assertEqual(plan.review_week, (date(2026, 11, 23), date(2026, 11, 29)))
        self.assertEqual(plan.approved_until, date(2026, 11, 22))
        self.assertEqual(plan.billing_month, (date(2026, 10, 1), date(2026, 10, 31)))
        self.assertEqual(plan.earlier_month, (date(2026, 9, 1), date(2026, 9, 30)))
        later = demo_plan(date(2026, 12, 15))
        self.assertEqual(later.billing_month, (date(2026, 11, 1), date(2026, 11, 30)))

    def test_the_rejected_entry_is_on_a_project_of_its_producer(self):
        project = next(p for p in PROJECTS if p[0] == REJECTED["project"])
        self.assertEqual(REJECTED["person"], REJECTED_PERSON)
        self.assertIn(REJECTED_PERSON, project[5], "Dani is on its team")
        self.assertEqual(project[4], "paula", "Paula produces it and rejects it")

    def test_a_day_off_is_a_local_day_across_daylight_saving(self):
        # Brussels: 23 hours when the clocks go forward, 25 when they go back.
        self.assertEqual(
            local_day_bounds(date(2027, 3, 28), date(2027, 3, 28), "Europe/Brussels"),
            (datetime(2027, 3, 27, 23, 0), datetime(2027, 3, 28, 21, 59, 59)),
        )
        self.assertEqual(
            local_day_bounds(date(2027, 10, 31), date(2027, 10, 31), "Europe/Brussels"),
            (datetime(2027, 10, 30, 22, 0), datetime(2027, 10, 31, 22, 59, 59)),
        )
        # A week across a change: Monday to Friday in Sydney (summer time ends
        # on Sunday 4 April 2027) and in Los Angeles (it starts on 14 March).
        self.assertEqual(
            local_day_bounds(date(2027, 3, 29), date(2027, 4, 5), "Australia/Sydney"),
            (datetime(2027, 3, 28, 13, 0), datetime(2027, 4, 5, 13, 59, 59)),
        )
        self.assertEqual(
            local_day_bounds(
                date(2027, 3, 8), date(2027, 3, 15), "America/Los_Angeles"
            ),
            (datetime(2027, 3, 8, 8, 0), datetime(2027, 3, 16, 6, 59, 59)),
        )
        # Every day of two years, in every zone of the demo's people: a day
        # off starts at local midnight and ends a second before the next.
        for zone in ZONES:
            tz = pytz.timezone(zone)
            for day in every_day(date(2027, 1, 1), date(2028, 12, 31)):
                start, stop = local_day_bounds(day, day, zone)
                local_start = pytz.utc.localize(start).astimezone(tz)
                local_stop = pytz.utc.localize(stop).astimezone(tz)
                self.assertEqual(
                    (local_start.date(), local_start.time()), (day, time.min)
                )
                self.assertEqual(
                    (local_stop.date(), local_stop.time()), (day, time(23, 59, 59))
                )
                self.assertIn(
                    stop - start + timedelta(seconds=1),
                    (timedelta(hours=23), timedelta(hours=24), timedelta(hours=25)),
                )

    def test_the_forgotten_timer_starts_in_the_morning_where_its_owner_lives(self):
        # 9:00 in Brussels is 8:00 UTC in winter and 7:00 UTC in summer.
        self.assertEqual(
            local_to_utc(date(2027, 3, 26), time(9), "Europe/Brussels"),
            datetime(2027, 3, 26, 8, 0),
        )
        self.assertEqual(
            local_to_utc(date(2027, 3, 29), time(9), "Europe/Brussels"),
            datetime(2027, 3, 29, 7, 0),
        )
