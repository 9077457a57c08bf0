"""capacity.py: a person's capacity and a booking's spread, no database."""

from datetime import date, datetime

from odoo.tests import BaseCase

from ..capacity import Person, band, capacity, day_capacity, spread, week_sums

# Monday 2 March 2026 .. Sunday 8 March 2026
MON = date(2026, 3, 2)


def full_time(hours=8.0, weekdays=range(5)):
    """Mornings 8–12 and afternoons 13–17 (a lunch break between)."""
    rows = []
    for weekday in weekdays:
        rows.append((weekday, 8.0, 12.0, None))
        rows.append((weekday, 13.0, 13.0 + hours - 4.0, None))
    return tuple(rows)


def week(person, first=MON):
    return capacity([person], first, date(2026, 3, 8))[person.key]


class TestCapacity(BaseCase):
    def test_full_week(self):
        by_day = week(Person("a", full_time()))
        self.assertEqual(sum(by_day.values()), 40.0)
        self.assertEqual(by_day[date(2026, 3, 7)], 0.0)  # Saturday

    def test_part_time(self):
        # 32 hours, Monday to Thursday
        by_day = week(Person("p", full_time(weekdays=range(4))))
        self.assertEqual(sum(by_day.values()), 32.0)
        self.assertEqual(by_day[date(2026, 3, 6)], 0.0)  # Friday off

    def test_public_holiday_and_leave(self):
        holiday = (datetime(2026, 3, 3, 0, 0), datetime(2026, 3, 4, 0, 0))
        # leave on Thursday afternoon only
        leave = (datetime(2026, 3, 5, 13, 0), datetime(2026, 3, 5, 23, 0))
        by_day = week(Person("h", full_time(), leaves=(holiday, leave)))
        self.assertEqual(by_day[date(2026, 3, 3)], 0.0)
        self.assertEqual(by_day[date(2026, 3, 5)], 4.0)
        self.assertEqual(sum(by_day.values()), 28.0)

    def test_overlapping_leaves_count_once(self):
        one = (datetime(2026, 3, 2, 8, 0), datetime(2026, 3, 2, 12, 0))
        two = (datetime(2026, 3, 2, 10, 0), datetime(2026, 3, 2, 17, 0))
        self.assertEqual(day_capacity(Person("o", full_time(), (one, two)), MON), 0.0)

    def test_start_mid_week_and_departure(self):
        starts = Person("s", full_time(), start=date(2026, 3, 4))  # Wednesday
        self.assertEqual(sum(week(starts).values()), 24.0)
        leaves = Person("d", full_time(), end=date(2026, 3, 3))  # last day Tuesday
        self.assertEqual(sum(week(leaves).values()), 16.0)
        self.assertEqual(week(leaves)[date(2026, 3, 3)], 8.0)

    def test_two_week_calendar(self):
        one_week_in_two = tuple((d, 9.0, 17.0, "0") for d in range(5))
        person = Person("t", one_week_in_two, two_weeks=True)
        by_two = capacity([person], MON, date(2026, 3, 15))["t"]
        first = sum(v for d, v in by_two.items() if d < date(2026, 3, 9))
        second = sum(v for d, v in by_two.items() if d >= date(2026, 3, 9))
        self.assertEqual(sorted([first, second]), [0.0, 40.0])

    def test_batch_of_people(self):
        people = [Person(n, full_time(weekdays=range(n))) for n in range(1, 6)]
        result = capacity(people, MON, date(2026, 3, 8))
        self.assertEqual(
            [sum(result[n].values()) for n in range(1, 6)], [8, 16, 24, 32, 40]
        )
        self.assertEqual(week_sums(result[5]), {MON: 40.0})


class TestSpread(BaseCase):
    def setUp(self):
        super().setUp()
        self.cap = capacity([Person("a", full_time())], MON, date(2026, 3, 15))["a"]

    def test_hours_per_week(self):
        booked = spread("week", MON, date(2026, 3, 15), 20.0, self.cap)
        self.assertEqual(week_sums(booked), {MON: 20.0, date(2026, 3, 9): 20.0})
        self.assertEqual(booked[MON], 4.0)

    def test_hours_per_week_partial_week(self):
        # from Wednesday: three of five working days
        booked = spread("week", date(2026, 3, 4), date(2026, 3, 8), 20.0, self.cap)
        self.assertEqual(round(sum(booked.values()), 4), 12.0)

    def test_share_of_capacity(self):
        cap = dict(self.cap)
        cap[date(2026, 3, 3)] = 0.0  # a holiday
        booked = spread("share", MON, date(2026, 3, 8), 50.0, cap)
        self.assertEqual(sum(booked.values()), 16.0)

    def test_total_up_to_a_deadline(self):
        booked = spread("total", MON, date(2026, 3, 13), 30.0, self.cap)
        self.assertEqual(round(sum(booked.values()), 4), 30.0)
        self.assertEqual(booked[date(2026, 3, 7)], 0.0)
        self.assertEqual(booked[MON], 3.0)

    def test_no_capacity_falls_on_weekdays(self):
        booked = spread("week", MON, date(2026, 3, 8), 10.0, {})
        self.assertEqual(booked[MON], 2.0)
        self.assertEqual(booked[date(2026, 3, 8)], 0.0)

    def test_nothing_for_bad_ranges(self):
        self.assertEqual(spread("week", MON, date(2026, 3, 1), 10.0, self.cap), {})
        self.assertEqual(spread("week", MON, MON, 0.0, self.cap), {})

    def test_bands(self):
        self.assertEqual(band(None, 75, 85), "none")
        self.assertEqual(band(50, 75, 85), "under")
        self.assertEqual(band(80, 75, 85), "on")
        self.assertEqual(band(90, 75, 85), "over")
        self.assertEqual(band(120, 75, 85), "overbooked")
