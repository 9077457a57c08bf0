from datetime import date

from odoo.tests import TransactionCase

from ..models.billing_rules import (
    assign_usage,
    billed_minutes,
    due_schedule_lines,
    minutes_to_hours,
    months_between,
    overrun,
    retainer_ledger,
    retainer_periods,
    schedule_amounts,
    total_hours,
)


class TestRounding(TransactionCase):
    def test_each_method_and_increment(self):
        # 1 h 07 min 30 s
        raw = 1.125
        expected = {
            (1, "up"): 68, (1, "nearest"): 68, (1, "down"): 67,
            (5, "up"): 70, (5, "nearest"): 70, (5, "down"): 65,
            (6, "up"): 72, (6, "nearest"): 66, (6, "down"): 66,
            (10, "up"): 70, (10, "nearest"): 70, (10, "down"): 60,
            (15, "up"): 75, (15, "nearest"): 75, (15, "down"): 60,
            (30, "up"): 90, (30, "nearest"): 60, (30, "down"): 60,
            (60, "up"): 120, (60, "nearest"): 60, (60, "down"): 60,
        }  # fmt: skip
        for (increment, method), minutes in expected.items():
            self.assertEqual(
                billed_minutes(raw, increment, method), minutes, (increment, method)
            )

    def test_exact_increments_and_float_noise(self):
        self.assertEqual(billed_minutes(0.25, 15, "up"), 15, "15 min stays 15 min")
        self.assertEqual(billed_minutes(0.1 + 0.2, 6, "up"), 18, "0.30000000000000004")
        self.assertEqual(billed_minutes(1 / 3, 10, "down"), 20)
        self.assertEqual(billed_minutes(0, 15, "up"), 0)

    def test_bad_policy(self):
        with self.assertRaises(ValueError):
            billed_minutes(1, 7, "up")
        with self.assertRaises(ValueError):
            billed_minutes(1, 15, "sideways")

    def test_totals_without_drift(self):
        entries = [0.1, 0.2, 0.7, 0.35, 1.15] * 1000
        self.assertEqual(str(total_hours(entries)), "2500.00")
        self.assertEqual(str(minutes_to_hours(5)), "0.08")
        self.assertEqual(str(minutes_to_hours(90)), "1.50")


class TestRetainerLedger(TransactionCase):
    def rows(self, periods, **kwargs):
        return [
            (r.opening, r.included, r.used, r.rolled_over, r.expired, r.overage,
             r.billed_overage)
            for r in retainer_ledger(periods, **kwargs)
        ]  # fmt: skip

    def test_no_rollover(self):
        periods = [
            ("Jan", 20, 12),
            ("Feb", 20, 20),
            ("Mar", 20, 26),
            ("Apr", 20, 0),
            ("May", 20, 19.5),
            ("Jun", 20, 40),
        ]
        self.assertEqual(
            self.rows(periods),
            [
                (0, 20, 12, 0, 8, 0, 0),
                (0, 20, 20, 0, 0, 0, 0),
                (0, 20, 26, 0, 0, 6, 6),
                (0, 20, 0, 0, 20, 0, 0),
                (0, 20, 19.5, 0, 0.5, 0, 0),
                (0, 20, 40, 0, 0, 20, 20),
            ],
        )

    def test_rollover_two_periods_then_expiry(self):
        periods = [
            ("Jan", 20, 10),  # 10 unused: usable in Feb and Mar
            ("Feb", 20, 15),  # uses 10 from Jan first, then 5 own; 15 of Feb left
            ("Mar", 20, 5),  # uses 5 of Feb; 10 of Feb and 20 of Mar left
            ("Apr", 20, 45),  # 10 Feb + 20 Mar + 15 Apr; 5 of Apr left
            ("May", 20, 0),  # Feb expired in Apr; nothing used
            ("Jun", 20, 60),  # 5 Apr + 20 May + 20 Jun = 45: overage 15
        ]
        ledger = retainer_ledger(periods, rollover_periods=2)
        self.assertEqual(
            self.rows(periods, rollover_periods=2),
            [
                (0, 20, 10, 10, 0, 0, 0),
                (10, 20, 15, 15, 0, 0, 0),
                (15, 20, 5, 30, 0, 0, 0),
                (30, 20, 45, 5, 0, 0, 0),
                (5, 20, 0, 25, 0, 0, 0),
                (25, 20, 60, 0, 0, 15, 15),
            ],
        )
        self.assertEqual(ledger[1].consumed_from, [("Jan", 10), ("Feb", 5)])
        self.assertEqual(
            ledger[3].consumed_from, [("Feb", 10), ("Mar", 20), ("Apr", 15)]
        )

    def test_rollover_one_period_expires(self):
        periods = [("Jan", 10, 2), ("Feb", 10, 1), ("Mar", 10, 0)]
        self.assertEqual(
            self.rows(periods, rollover_periods=1),
            [
                (0, 10, 2, 8, 0, 0, 0),
                (8, 10, 1, 10, 7, 0, 0),  # Jan's remaining 7 expire end of Feb
                (10, 10, 0, 10, 10, 0, 0),  # Feb's 10 expire end of Mar
            ],
        )

    def test_overage_billed_at_the_end(self):
        periods = [("Q1", 10, 14), ("Q2", 10, 8), ("Q3", 10, 13)]
        rows = retainer_ledger(periods, overage_billing="end")
        self.assertEqual([r.overage for r in rows], [4, 0, 3])
        self.assertEqual([r.billed_overage for r in rows], [0, 0, 7])

    def test_bad_input(self):
        with self.assertRaises(ValueError):
            retainer_ledger([("Jan", 10, 1)], rollover_periods=-1)
        with self.assertRaises(ValueError):
            retainer_ledger([("Jan", -10, 1)])


class TestFixedFee(TransactionCase):
    def test_schedule_amounts_add_up(self):
        amounts = schedule_amounts(10000, [33.33, 33.33, 33.34])
        self.assertEqual(sum(amounts), 10000)
        amounts = schedule_amounts(1000, [100 / 3, 100 / 3, 100 - 2 * (100 / 3)])
        self.assertEqual(sum(amounts), 1000)
        with self.assertRaises(ValueError):
            schedule_amounts(1000, [50, 40])

    def test_due_lines(self):
        lines = [
            ("deposit", date(2026, 1, 10), None, True),
            ("design", None, "concepts", False),
            ("build", None, "launch", False),
            ("final", date(2026, 3, 31), None, False),
        ]
        self.assertEqual(
            due_schedule_lines(lines, date(2026, 2, 28), {"concepts"}), ["design"]
        )
        self.assertEqual(
            due_schedule_lines(lines, date(2026, 3, 31), {"concepts", "launch"}),
            ["design", "build", "final"],
        )

    def test_overrun_and_months(self):
        self.assertEqual(overrun(10000, 12500.5), 2500.5)
        self.assertEqual(overrun(10000, 8000), 0)
        self.assertEqual(
            months_between(date(2025, 11, 15), date(2026, 2, 1)),
            [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)],
        )


class TestRetainerPeriods(TransactionCase):
    def test_periods_months_and_quarters(self):
        months = retainer_periods(date(2026, 1, 15), date(2026, 3, 1))
        self.assertEqual(
            months,
            [
                (date(2026, 1, 1), date(2026, 1, 31)),
                (date(2026, 2, 1), date(2026, 2, 28)),
                (date(2026, 3, 1), date(2026, 3, 31)),
            ],
        )
        quarters = retainer_periods(date(2026, 11, 2), date(2027, 1, 1), "quarter")
        self.assertEqual(
            quarters,
            [
                (date(2026, 10, 1), date(2026, 12, 31)),
                (date(2027, 1, 1), date(2027, 3, 31)),
            ],
        )

    def test_late_time_moves_to_first_open_period(self):
        jan, feb, mar = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
        used = assign_usage(
            [jan, feb, mar],
            {jan, feb},
            {(jan, True): 5.0, (feb, True): 7.0, (jan, False): 2.0, (mar, False): 1.0},
        )
        self.assertEqual(used, {jan: 5.0, feb: 7.0, mar: 3.0})

    def test_six_periods_each_policy(self):
        usage = [3, 12, 10, 0, 15, 4]  # 10 included each period
        periods = [(index, 10.0, hours) for index, hours in enumerate(usage)]
        none = retainer_ledger(periods, rollover_periods=0)
        self.assertEqual([r.expired for r in none], [7, 0, 0, 10, 0, 6])
        self.assertEqual([r.overage for r in none], [0, 2, 0, 0, 5, 0])
        one = retainer_ledger(periods, rollover_periods=1)
        # oldest hours first: period 0's 7 cover period 1, whose own 5 left
        # cover period 2, ...; period 2's 5 expire unused after period 3
        self.assertEqual([r.overage for r in one], [0, 0, 0, 0, 0, 0])
        self.assertEqual([r.expired for r in one], [0, 0, 0, 5, 0, 1])
        self.assertEqual(one[4].opening, 10.0)
        end = retainer_ledger(periods, rollover_periods=0, overage_billing="end")
        self.assertEqual([r.billed_overage for r in end], [0, 0, 0, 0, 0, 7])
