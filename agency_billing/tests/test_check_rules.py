"""check_rules.py: what the pre-billing checks flag, no database."""

from datetime import date

from odoo.tests import BaseCase

from ..models.check_rules import (
    CHECKS,
    SEVERITY,
    hours_text,
    locked_unbilled,
    long_day_entries,
    outside_dates,
    over_cap,
    period_start,
    zero_or_less,
)


class TestCheckRules(BaseCase):
    """Plain functions: BaseCase (no database) so that both pytest and Odoo's
    own test runner run them."""

    def test_every_check_has_a_severity(self):
        self.assertEqual([code for code, _label in CHECKS], list(SEVERITY))
        self.assertEqual(set(SEVERITY.values()), {"blocking", "warning"})

    def test_hours_text(self):
        self.assertEqual(hours_text(7.5), "7.5")
        self.assertEqual(hours_text(8.0), "8")
        self.assertEqual(hours_text(0.25), "0.25")
        self.assertEqual(hours_text(1 / 3), "0.33")
        self.assertEqual(hours_text(None), "0")

    def test_outside_dates(self):
        start, end = date(2026, 3, 1), date(2026, 3, 31)
        self.assertFalse(outside_dates(date(2026, 3, 1), start, end))
        self.assertFalse(outside_dates(date(2026, 3, 31), start, end))
        self.assertTrue(outside_dates(date(2026, 2, 28), start, end))
        self.assertTrue(outside_dates(date(2026, 4, 1), start, end))
        self.assertFalse(outside_dates(date(2020, 1, 1), False, False), "open-ended")
        self.assertTrue(outside_dates(date(2026, 4, 1), False, end))

    def test_period_and_locked_unbilled(self):
        self.assertEqual(period_start(False, date(2026, 3, 31)), date(2026, 3, 1))
        self.assertEqual(
            period_start(date(2026, 3, 16), date(2026, 3, 31)), date(2026, 3, 16)
        )
        lock, first = date(2026, 3, 10), date(2026, 3, 1)
        self.assertTrue(locked_unbilled(date(2026, 2, 27), lock, first))
        self.assertFalse(
            locked_unbilled(date(2026, 3, 5), lock, first), "the period's own time"
        )
        self.assertFalse(locked_unbilled(date(2026, 2, 27), date(2026, 2, 1), first))

    def test_zero_or_less_and_cap(self):
        self.assertTrue(zero_or_less("priced", 0.0))
        self.assertTrue(zero_or_less("priced", None))
        self.assertTrue(zero_or_less("priced", -5.0))
        self.assertFalse(zero_or_less("priced", 0.01))
        self.assertFalse(zero_or_less("no_rate", 0.0), "no rate is its own check")
        self.assertTrue(over_cap(1000.0, 800.0, 200.01))
        self.assertFalse(over_cap(1000.0, 800.0, 200.0), "reaching the cap is fine")
        self.assertFalse(over_cap(0.0, 800.0, 1e9), "no cap")

    def test_long_day_entries(self):
        monday, tuesday = date(2026, 3, 2), date(2026, 3, 3)
        rows = [
            {"id": 1, "employee_id": 5, "date": monday},
            {"id": 2, "employee_id": 5, "date": tuesday},
            {"id": 3, "employee_id": 5, "date": monday},
            {"id": 4, "employee_id": 6, "date": monday},
        ]
        self.assertEqual(
            long_day_entries(rows, {(5, monday): 13.0}), {(5, monday): [1, 3]}
        )
        self.assertEqual(long_day_entries(rows, {}), {})
