"""warning_rules.py: when each early warning stands, no database."""

from datetime import date

from odoo.tests import BaseCase

from ..warning_rules import (
    HOURS_RULES,
    MONEY_RULES,
    RULES,
    STAFFING_RULES,
    THRESHOLDS,
    budget_burn,
    exhaustion_date,
    in_range,
    margin_below_target,
    nonbillable_creep,
    retainer_period,
    revision_rounds,
    revisions,
    windows,
    writeoff_leakage,
)


class TestWarningRules(BaseCase):
    """Plain functions: BaseCase (no database) so that both pytest and Odoo's
    own test runner run them."""

    def test_rules_are_hours_or_money(self):
        self.assertEqual(
            set(HOURS_RULES) | set(MONEY_RULES) | set(STAFFING_RULES), set(RULES)
        )
        self.assertEqual(
            HOURS_RULES, ("nonbillable_creep", "revisions", "budget_hours")
        )
        for lowest, highest, default in THRESHOLDS.values():
            self.assertTrue(in_range(default, lowest, highest))
        self.assertFalse(in_range(None, 0, 1))
        self.assertFalse(in_range(101, 0, 100))

    def test_windows_are_days_before_today(self):
        for today in (date(2026, 3, 2), date(2026, 3, 8), date(2027, 1, 1)):
            (r_from, r_to), (b_from, b_to) = windows(today)
            self.assertEqual((today - r_to).days, 1, "today is not over")
            self.assertEqual((r_to - r_from).days + 1, 28)
            self.assertEqual((r_from - b_to).days, 1)
            self.assertEqual((b_to - b_from).days + 1, 84)

    def test_nonbillable_creep(self):
        # 10 % over 12 weeks, 30 % over the last 4: 20 points up
        finding = nonbillable_creep(30, 100, 30, 300, 10)
        self.assertEqual(finding.severity, "warning")
        self.assertEqual(finding.measure, 20.0)
        self.assertEqual(finding.extra, 30.0)
        self.assertEqual(nonbillable_creep(45, 100, 30, 300, 10).severity, "danger")
        # a steady share, or one that falls, is quiet; so is a rise of exactly N
        self.assertIsNone(nonbillable_creep(10, 100, 30, 300, 10))
        self.assertIsNone(nonbillable_creep(20, 100, 30, 300, 10))
        self.assertIsNone(nonbillable_creep(5, 100, 30, 300, 10))
        # no baseline (a newcomer), or too few hours lately: quiet
        self.assertIsNone(nonbillable_creep(30, 100, 0, 0, 10))
        self.assertIsNone(nonbillable_creep(7, 7, 0, 300, 10))

    def test_revision_rounds_per_deliverable(self):
        tasks = [
            (1, None, False),  # the deliverable itself
            (2, 1, True),
            (3, 1, True),
            (4, 1, True),
            (5, 9, True),
            (6, None, True),  # a round of the project as a whole
            (7, 1, False),  # a sub-task that is not rework
        ]
        self.assertEqual(revision_rounds(tasks), {1: 3, 9: 1, None: 1})
        self.assertEqual(revision_rounds([]), {})

    def test_revisions(self):
        self.assertIsNone(revisions(20, 100, {1: 3}, 25, 3))
        finding = revisions(30, 100, {1: 2}, 25, 3)
        self.assertEqual((finding.severity, finding.measure), ("warning", 30.0))
        finding = revisions(10, 100, {1: 4, 2: 1}, 25, 3)
        self.assertEqual((finding.severity, finding.extra), ("warning", 4))
        self.assertEqual(revisions(30, 100, {1: 4}, 25, 3).severity, "danger")
        # a share of a handful of hours says nothing; rounds still count
        self.assertIsNone(revisions(5, 6, {}, 25, 3))

    def test_exhaustion_date(self):
        today = date(2026, 3, 10)
        # 28 hours in 4 weeks: 1 a day, 10 left: ten days
        self.assertEqual(exhaustion_date(90, 100, 28, today), date(2026, 3, 20))
        self.assertEqual(exhaustion_date(100, 100, 28, today), today)
        self.assertIsNone(exhaustion_date(50, 100, 0, today))

    def test_budget_burn(self):
        today = date(2026, 3, 10)
        # runs out on the 20th, the project ends on the 31st: a warning
        finding = budget_burn(90, 100, 28, today, date(2026, 3, 31), 90)
        self.assertEqual(finding.severity, "warning")
        self.assertEqual(finding.exhausted_on, date(2026, 3, 20))
        self.assertEqual(finding.measure, 90.0)
        # ends before it runs out: quiet, however much is used
        self.assertIsNone(budget_burn(90, 100, 28, today, date(2026, 3, 15), 50))
        # no pace, no end date: the share decides
        self.assertIsNone(budget_burn(80, 100, 0, today, None, 90))
        self.assertEqual(budget_burn(95, 100, 0, today, None, 90).severity, "warning")
        # used up: serious, whatever the end
        finding = budget_burn(120, 100, 0, today, None, 90)
        self.assertEqual((finding.severity, finding.exhausted_on), ("danger", today))
        self.assertIsNone(budget_burn(120, 0, 0, today, None, 90), "no budget")

    def test_margin_below_target(self):
        self.assertIsNone(margin_below_target(1000, 700, 25))
        finding = margin_below_target(1000, 800, 25)
        self.assertEqual((finding.severity, finding.measure), ("warning", 20.0))
        self.assertEqual(finding.extra, 200)
        finding = margin_below_target(1000, 1300, 25)
        self.assertEqual((finding.severity, finding.measure), ("danger", -30.0))
        self.assertEqual(margin_below_target(0, 50, 25).measure, -100.0)
        self.assertIsNone(margin_below_target(0, 0, 25), "nothing happened yet")

    def test_writeoff_leakage(self):
        self.assertIsNone(writeoff_leakage(0, 1000, 10))
        self.assertIsNone(writeoff_leakage(100, 1000, 10), "exactly the share")
        finding = writeoff_leakage(150, 1000, 10)
        self.assertEqual((finding.severity, finding.measure), ("warning", 15.0))
        self.assertEqual(writeoff_leakage(250, 1000, 10).severity, "danger")
        self.assertEqual(writeoff_leakage(50, 0, 10).measure, 100.0)

    def test_retainer_period(self):
        self.assertEqual(
            retainer_period(date(2026, 2, 14)), (date(2026, 2, 1), date(2026, 2, 28))
        )
        self.assertEqual(
            retainer_period(date(2026, 11, 30), "quarter"),
            (date(2026, 10, 1), date(2026, 12, 31)),
        )
