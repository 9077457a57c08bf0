"""tools.py: weeks, local days and times; entry_guards.py's overlap rule; no
database."""

from datetime import date, datetime, timedelta

import pytz

from odoo.tests import BaseCase

from ..entry_guards import first_overlap
from ..tools import day_bounds, local_now, time_range, week_bounds

BRUSSELS = pytz.timezone("Europe/Brussels")
DAY = date(2026, 3, 2)  # a Monday; Brussels is UTC+1 then


class TestDates(BaseCase):
    """Plain functions: BaseCase (no database) so that both pytest and Odoo's
    own test runner run them."""

    def test_week_bounds(self):
        wednesday = date(2026, 3, 4)
        self.assertEqual(week_bounds(wednesday), (date(2026, 3, 2), date(2026, 3, 8)))
        self.assertEqual(
            week_bounds(wednesday, 6), (date(2026, 3, 1), date(2026, 3, 7)), "Sunday"
        )
        self.assertEqual(week_bounds(date(2026, 3, 2))[0], date(2026, 3, 2))

    def test_week_bounds_every_day_and_week_start(self):
        """Seven days holding the day, starting on the chosen weekday, across
        the end of a year."""
        for offset in range(14):
            day = date(2026, 12, 24) + timedelta(days=offset)
            for week_start in range(7):
                first, last = week_bounds(day, week_start)
                self.assertEqual(first.weekday(), week_start, (day, week_start))
                self.assertEqual(last - first, timedelta(days=6))
                self.assertTrue(first <= day <= last, (day, week_start))

    def test_day_bounds_follow_the_time_zone(self):
        self.assertEqual(
            day_bounds(DAY, BRUSSELS),
            (datetime(2026, 3, 1, 23, 0), datetime(2026, 3, 2, 23, 0)),
        )
        # The night clocks go forward the day has 23 hours.
        start, end = day_bounds(date(2026, 3, 29), BRUSSELS)
        self.assertEqual(end - start, timedelta(hours=23))

    def test_day_bounds_when_the_clocks_go_back(self):
        start, end = day_bounds(date(2026, 10, 25), BRUSSELS)
        self.assertEqual(end - start, timedelta(hours=25))
        self.assertEqual(
            day_bounds(DAY, pytz.utc), (datetime(2026, 3, 2), datetime(2026, 3, 3))
        )

    def test_local_now(self):
        utc = datetime(2026, 1, 13, 6, 0)
        self.assertEqual(
            local_now(utc, "Australia/Brisbane"), datetime(2026, 1, 13, 16)
        )
        self.assertEqual(
            local_now(utc, "America/Los_Angeles"), datetime(2026, 1, 12, 22)
        )
        self.assertEqual(local_now(utc, False), utc)

    def test_local_now_follows_daylight_saving(self):
        self.assertEqual(
            local_now(datetime(2026, 7, 1, 6, 0), "Europe/Brussels"),
            datetime(2026, 7, 1, 8, 0),
        )
        self.assertEqual(
            local_now(datetime(2026, 1, 1, 6, 0), "Europe/Brussels"),
            datetime(2026, 1, 1, 7, 0),
        )

    def test_time_range(self):
        start = BRUSSELS.localize(datetime(2026, 3, 2, 9, 5))
        self.assertEqual(
            time_range(start, start + timedelta(hours=1, minutes=25)),
            "09:05\N{EN DASH}10:30",
        )


class TestEntryGuards(BaseCase):
    """entry_guards.py's plain rule: which timer entries overlap."""

    def test_first_overlap(self):
        at = datetime(2026, 3, 2, 9)
        hour = timedelta(hours=1)
        self.assertIsNone(first_overlap([]))
        # Back to back is no overlap; another person's timer never overlaps.
        self.assertIsNone(
            first_overlap(
                [
                    (1, at, at + hour, "a"),
                    (2, at, at + 2 * hour, "x"),
                    (1, at + hour, at + 2 * hour, "b"),
                ]
            )
        )
        self.assertEqual(
            first_overlap(
                [
                    (1, at, at + hour, "a"),
                    (2, at, at + 2 * hour, "x"),
                    (1, at + hour, at + 2 * hour, "b"),
                    (1, at + 90 * hour / 60, at + 3 * hour, "c"),
                ]
            ),
            ("b", "c"),
        )
