"""The retention rules (retention.py), without a database."""

import unittest
from datetime import date

from odoo.addons.agency_timesheet.retention import BY_CODE, KINDS, cutoff, too_short


class TestRetentionRules(unittest.TestCase):
    def test_defaults_meet_their_minimums(self):
        for kind in KINDS:
            self.assertFalse(too_short(kind, kind.default), kind.code)
        self.assertEqual(BY_CODE["audit"].default, 10)
        self.assertEqual(BY_CODE["audit"].minimum, 6)

    def test_shorter_than_the_minimum_is_refused(self):
        audit = BY_CODE["audit"]
        self.assertTrue(too_short(audit, 5))
        self.assertTrue(too_short(audit, 0))
        self.assertTrue(too_short(audit, None))
        self.assertFalse(too_short(audit, 6))

    def test_cutoff_per_unit(self):
        today = date(2026, 2, 28)
        self.assertEqual(cutoff(today, BY_CODE["suggestion"], 30), date(2026, 1, 29))
        self.assertEqual(cutoff(today, BY_CODE["timer"], 3), date(2025, 11, 28))
        self.assertEqual(cutoff(today, BY_CODE["audit"], 10), date(2016, 2, 28))
        # never below the legal minimum, whatever the stored value says
        self.assertEqual(cutoff(today, BY_CODE["audit"], 2), date(2020, 2, 28))
        leap = date(2028, 2, 29)
        self.assertEqual(cutoff(leap, BY_CODE["audit"], 10), date(2018, 2, 28))
