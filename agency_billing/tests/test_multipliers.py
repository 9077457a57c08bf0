"""Multiplier rules without a database."""

from datetime import date

from odoo.tests import BaseCase

from ..models.multipliers import (
    Multiplier,
    factor_error,
    kinds_of,
    label,
    outside_hours,
    overlapping,
    pick,
)

SATURDAY = date(2026, 3, 7)
MONDAY = date(2026, 3, 9)


def rule(id_, kind, factor, start=None, end=None, text=None):
    return Multiplier(id_, kind, factor, text, start, end)


class TestMultipliers(BaseCase):
    def test_factor(self):
        self.assertIsNone(factor_error(1.5))
        self.assertIsNone(factor_error(0.8))  # a reduced rate is allowed
        for bad in (0, -1, None):
            self.assertIn("above 0", factor_error(bad))

    def test_overlap_of_the_same_kind(self):
        a = rule(1, "rush", 1.5, date(2026, 1, 1), date(2026, 6, 30))
        b = rule(2, "rush", 2.0, date(2026, 6, 30), None)
        c = rule(3, "rush", 2.0, date(2026, 7, 1), None)
        d = rule(4, "weekend", 1.5)
        self.assertEqual(overlapping([a, b]), (a, b))  # one shared day
        self.assertIsNone(overlapping([a, c, d]))
        self.assertEqual(overlapping([d, rule(5, "weekend", 2.0, MONDAY)])[0], d)

    def test_kinds(self):
        self.assertEqual(kinds_of(SATURDAY), {"weekend"})
        self.assertEqual(kinds_of(MONDAY), set())
        self.assertEqual(
            kinds_of(MONDAY, holiday=True, outside=True, rush=True),
            {"holiday", "outside_hours", "rush"},
        )

    def test_highest_factor_wins_not_compounded(self):
        rules = [rule(1, "weekend", 1.5), rule(2, "rush", 2.0)]
        self.assertEqual(pick(rules, SATURDAY, {"weekend", "rush"}).id, 2)
        self.assertEqual(pick(rules, SATURDAY, {"weekend"}).id, 1)
        self.assertIsNone(pick(rules, MONDAY, set()))
        # ties: the order of KINDS (holiday before weekend)
        tie = [rule(1, "weekend", 1.5), rule(2, "holiday", 1.5)]
        self.assertEqual(pick(tie, SATURDAY, {"weekend", "holiday"}).id, 2)
        # out of its dates
        dated = [rule(1, "rush", 1.5, date(2026, 4, 1))]
        self.assertIsNone(pick(dated, MONDAY, {"rush"}))

    def test_outside_hours(self):
        day = [(9.0, 12.0), (13.0, 17.0)]
        self.assertFalse(outside_hours(9.5, 11.0, day))
        self.assertTrue(outside_hours(8.0, 10.0, day))  # started early
        self.assertTrue(outside_hours(16.0, 18.0, day))  # stopped late
        self.assertTrue(outside_hours(11.0, 14.0, day))  # over lunch
        self.assertTrue(outside_hours(10.0, 11.0, []))  # no working hours
        self.assertFalse(outside_hours(None, 11.0, day))  # unknown: not outside

    def test_label(self):
        self.assertEqual(label(rule(1, "rush", 1.5)), "Rush ×1.5")
        self.assertEqual(
            label(rule(1, "weekend", 2.0, text="Weekend work")), "Weekend work ×2"
        )
