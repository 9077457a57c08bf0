"""The one definition of profitability, tested directly (no database)."""

import unittest

from odoo.addons.agency_forecast.profitability import (
    Totals,
    add,
    breakage,
    convert,
    earned_value,
    entry_cost,
    entry_revenue,
    fx_difference,
    is_billable,
    kpis,
    marked_up,
    round_to,
    share,
    wip_value,
)


class TestProfitability(unittest.TestCase):
    def test_entry_revenue_invoiced_else_frozen_price_for_time_and_materials(self):
        self.assertEqual(entry_revenue("time_materials", 225.0, 210.0), 225.0)
        self.assertEqual(entry_revenue("time_materials", None, 210.0), 210.0)
        # a credit note freed it: its frozen price again
        self.assertEqual(entry_revenue("time_materials", None, 100.0), 100.0)
        # fixed fees and retainers earn through their fees, not their time
        self.assertEqual(entry_revenue("fixed_fee", None, 800.0), 0.0)
        self.assertEqual(entry_revenue("retainer", None, 1375.0), 0.0)
        self.assertEqual(entry_revenue(None, None, 0.0), 0.0)

    def test_entry_revenue_multiplier_and_invoiced_outside(self):
        # work in progress carries the run's multiplier (weekend 1.5)
        self.assertEqual(entry_revenue("time_materials", None, 200.0, 1.5), 300.0)
        self.assertEqual(entry_revenue("time_materials", None, 200.0, 0), 200.0)
        self.assertEqual(entry_revenue("fixed_fee", None, 200.0, 1.5), 0.0)
        # invoiced outside Odoo: the imported amount, else unknown (not 0)
        self.assertEqual(
            entry_revenue("time_materials", None, 200.0, None, True, 260.0), 260.0
        )
        self.assertIsNone(entry_revenue("time_materials", None, 200.0, None, True))
        # once on an invoice, its share wins
        self.assertEqual(entry_revenue("time_materials", 180.0, 200.0, 1.5), 180.0)

    def test_non_billable_is_internal_or_excluded_time(self):
        self.assertTrue(is_billable(True))
        self.assertFalse(is_billable(False), "internal time: no client")
        self.assertFalse(is_billable(True, "client disputes it"), "left out of a run")

    def test_cost_unknown_is_never_zero_cost(self):
        self.assertEqual(entry_cost(2.1, 40.0), (84.0, 0.0))
        self.assertEqual(entry_cost(3.0, 0.0), (0.0, 3.0))
        self.assertEqual(entry_cost(3.0, None), (0.0, 3.0))

    def test_share_of_an_invoice_line(self):
        # one time line of 675 for entries billed 225 and 450
        self.assertEqual(share(675.0, 225.0, 675.0), 225.0)
        self.assertEqual(share(675.0, 450.0, 675.0), 450.0)
        # nothing billed by amount: evenly
        self.assertEqual(share(90.0, 0.0, 0.0, count=3), 30.0)
        self.assertEqual(share(90.0, 0.0, 0.0, count=0), 0.0)

    def test_earned_value_and_overrun(self):
        # fee 1,000 + change order 200; 14 h done of 10 estimated
        self.assertEqual(earned_value(1200.0, 14.0, 10.0), (1200.0, 4.0))
        self.assertEqual(earned_value(1200.0, 4.0, 10.0), (480.0, 0.0))
        self.assertEqual(earned_value(1200.0, 4.0, 0.0), (0.0, 0.0))

    def test_breakage(self):
        # 4 expired hours of a 1,000 fee for 10 hours
        self.assertEqual(breakage(4.0, 1000.0, 10.0), 400.0)
        self.assertEqual(breakage(4.0, 1000.0, 0.0), 0.0)

    def test_expense_markup(self):
        self.assertAlmostEqual(marked_up(80.0, 10.0), 88.0)
        self.assertEqual(marked_up(80.0, 0.0), 80.0)
        self.assertEqual(marked_up(80.0, None), 80.0)

    def test_convert_at_the_rate_of_the_day(self):
        # 100 in a currency worth 0.8 per unit of the company's: 125
        self.assertEqual(convert(100.0, 0.8, 1.0), 125.0)
        self.assertEqual(convert(1150.0, 0.8, 1.0), 1437.5)
        with self.assertRaises(ValueError):
            convert(100.0, None, 1.0)
        self.assertEqual(round_to(2.675, 0.01), 2.68)
        self.assertEqual(round_to(-2.675, 0.01), -2.68)
        self.assertEqual(round_to(2.5, 0), 2.5)

    def test_work_in_progress_at_the_contract_rate(self):
        # 200 in the company's currency, invoiced in GBP: the day's rate 0.80
        # GBP per unit, the contract 0.75. At the contract 150 GBP, worth
        # 187.50 (150 / 0.80); at the day's rate 200: the difference -12.50.
        self.assertEqual(wip_value(200.0, 1.0, 0.75, 1 / 0.8), (187.5, -12.5))
        # no contract rate on the day: the day's rate, no difference
        self.assertEqual(wip_value(200.0, 1.0), (200.0, 0.0))
        self.assertEqual(wip_value(100.0, 1 / 0.8, None, 1.0), (125.0, 0.0))
        # a weekend ×1.5: value and difference both multiplied, then rounded
        self.assertEqual(
            wip_value(200.0, 1.0, 0.75, 1 / 0.8, multiplier=1.5), (281.25, -18.75)
        )

    def test_kpis(self):
        # Acme's time and materials in the hand-computed month (tests/common.py)
        figures = kpis(
            Totals(
                revenue=838.0,
                cost=414.0,
                hours=6.1,
                billable_hours=6.1,
                standard_value=760.0,
                billed=738.0,
                write_downs=25.0,
            )
        )
        self.assertEqual(figures["margin"], 424.0)
        self.assertAlmostEqual(figures["margin_percent"], 100 * 424 / 838)
        self.assertAlmostEqual(figures["realization"], 100 * 738 / 760)
        self.assertAlmostEqual(figures["effective_rate"], 838 / 6.1)
        self.assertEqual(figures["billable_share"], 100.0)
        self.assertEqual(figures["write_offs"], 25.0)

    def test_ratios_without_a_denominator_are_empty(self):
        figures = kpis(Totals(cost=80.0, hours=2.0))
        self.assertEqual(figures["margin"], -80.0)
        self.assertIsNone(figures["margin_percent"])
        self.assertIsNone(figures["realization"])
        self.assertEqual(figures["billable_share"], 0.0)
        self.assertIsNone(kpis(Totals())["effective_rate"])

    def test_add(self):
        total = add(Totals(revenue=1.0, hours=2.0), Totals(revenue=3.0, cost=4.0))
        self.assertEqual(total, Totals(revenue=4.0, cost=4.0, hours=2.0))

    def test_fx_difference(self):
        """A GBP line of 150 billed at the contract rate 0.75 instead of the
        day's 0.80 stores −10 GBP; its balance −187.50 (company) for 150 GBP
        converts it to −12.50; its credit note (same −10 copied) gives +12.50
        back; no difference, or a line without an amount, adds nothing."""
        self.assertEqual(fx_difference(-10.0, -187.5, -150.0), -12.5)
        self.assertEqual(fx_difference(-10.0, 187.5, 150.0, refund=True), 12.5)
        self.assertEqual(fx_difference(0.0, -187.5, -150.0), 0.0)
        self.assertEqual(fx_difference(-10.0, 0.0, 0.0), 0.0)
        self.assertEqual(kpis(Totals(fx_difference=-25.0))["fx_difference"], -25.0)
