"""forecasting.py: the forecast's plain rules, no database, on several todays."""

import unittest
from datetime import date, timedelta

from ..forecasting import (
    Levers,
    Line,
    average_days_late,
    billing_date,
    days_late_by_client,
    due_dates,
    horizon_end,
    learned_days_after,
    lever_amount,
    levers_error,
    lowest_balance,
    month_index,
    net_open_credits,
    period_end,
    receipts,
    receipts_memo,
    retainer_billing_date,
    running_balance,
    shortest_terms_days,
    week_index,
    week_starts,
    weighted,
)

# A Monday, a Sunday, the 31st of a month, 29 February, 1 January.
TODAYS = (
    date(2026, 3, 2),
    date(2026, 3, 8),
    date(2026, 1, 31),
    date(2028, 2, 29),
    date(2027, 1, 1),
)
NET_30 = [("percent", 100.0, "days_after", 30)]
END_OF_MONTH_45 = [("percent", 100.0, "days_after_end_of_month", 45)]


def line(**values):
    base = {
        "kind": "time",
        "amount": 1000.0,
        "amount_currency": 1000.0,
        "currency_id": 1,
        "client_id": 7,
        "engagement_id": 3,
        "source_model": "account.analytic.line",
        "source_ids": (1,),
        "revenue_date": date(2026, 3, 10),
        "invoice_date": date(2026, 4, 5),
    }
    base.update(values)
    return Line(**base)


class TestCadence(unittest.TestCase):
    def test_period_end(self):
        self.assertEqual(period_end(date(2026, 2, 10)), date(2026, 2, 28))
        self.assertEqual(period_end(date(2028, 2, 10)), date(2028, 2, 29))
        self.assertEqual(period_end(date(2026, 2, 10), "quarterly"), date(2026, 3, 31))
        self.assertEqual(
            period_end(date(2026, 12, 31), "quarterly"), date(2026, 12, 31)
        )

    def test_learned_days_after_is_the_median(self):
        runs = [
            (date(2026, 1, 31), date(2026, 2, 3)),
            (date(2026, 2, 28), date(2026, 3, 10)),
            (date(2025, 12, 31), date(2026, 1, 5)),
        ]
        self.assertEqual(learned_days_after(runs), 5)
        self.assertEqual(learned_days_after([], default=4), 4)

    def test_billing_date_on_any_today(self):
        for today in TODAYS:
            work = today + timedelta(days=40)
            run = billing_date(work, today, "monthly", 5)
            self.assertEqual(run, period_end(work) + timedelta(days=5))
            # work of a period already over is billed at the next chance: today
            self.assertEqual(billing_date(today - timedelta(days=90), today), today)

    def test_quarterly_cadence(self):
        today = date(2026, 1, 1)
        self.assertEqual(
            billing_date(date(2026, 2, 10), today, "quarterly", 3), date(2026, 4, 3)
        )


class TestPaymentTerms(unittest.TestCase):
    def test_net_30(self):
        self.assertEqual(
            due_dates(date(2026, 3, 5), 900.0, NET_30), [(date(2026, 4, 4), 900.0)]
        )

    def test_end_of_month_and_split(self):
        self.assertEqual(
            due_dates(date(2026, 1, 20), 100.0, END_OF_MONTH_45),
            [(date(2026, 3, 17), 100.0)],
        )
        split = [
            ("fixed", 30.0, "days_after", 0),
            ("percent", 50.0, "days_after", 30),
            ("percent", 50.0, "days_end_of_month_on_the", 10),
        ]
        self.assertEqual(
            due_dates(date(2026, 1, 20), 200.0, split),
            [
                (date(2026, 1, 20), 30.0),
                (date(2026, 2, 19), 100.0),
                (date(2026, 2, 10), 70.0),
            ],
        )

    def test_no_terms_is_due_at_once(self):
        self.assertEqual(
            due_dates(date(2026, 1, 20), 5.0, []), [(date(2026, 1, 20), 5.0)]
        )
        self.assertEqual(shortest_terms_days([]), 0)
        self.assertEqual(shortest_terms_days(NET_30), 30)
        self.assertEqual(shortest_terms_days(END_OF_MONTH_45), 45)


class TestDaysLate(unittest.TestCase):
    def test_average_per_client_and_company(self):
        rows = [
            (1, date(2026, 1, 31), date(2026, 3, 2)),  # 30 late
            (1, date(2026, 2, 28), date(2026, 3, 20)),  # 20 late
            (2, date(2026, 2, 10), date(2026, 2, 8)),  # 2 early
        ]
        by_client, company = days_late_by_client(rows)
        self.assertEqual(by_client, {1: 25, 2: -2})
        self.assertEqual(company, 16)  # (30 + 20 - 2) / 3
        self.assertIsNone(average_days_late([]))
        self.assertEqual(days_late_by_client([]), ({}, 0))

    def test_receipts_shifted_by_days_late_and_delay(self):
        today = date(2026, 3, 1)
        forecast = line(invoice_date=date(2026, 4, 5), terms=NET_30, days_late=25)
        self.assertEqual(receipts(forecast, today), [(date(2026, 5, 30), 1000.0)])
        self.assertEqual(
            receipts(forecast, today, Levers(delay_days=10)),
            [(date(2026, 6, 9), 1000.0)],
        )
        # other terms replace the engagement's
        self.assertEqual(
            receipts(forecast, today, Levers(terms=[])), [(date(2026, 4, 30), 1000.0)]
        )

    def test_receipts_never_before_invoice_nor_today(self):
        for today in TODAYS:
            early = line(
                invoice_date=today + timedelta(days=3), terms=NET_30, days_late=-60
            )
            self.assertEqual(receipts(early, today)[0][0], today + timedelta(days=3))
            overdue = line(
                kind="open_invoice",
                invoice_date=None,
                due_date=today - timedelta(days=40),
                days_late=10,
            )
            self.assertEqual(receipts(overdue, today), [(today, 1000.0)])

    def test_cash_out_on_its_day(self):
        today = date(2026, 3, 1)
        payroll = line(kind="payroll", amount=-500.0, revenue_date=None,
                       invoice_date=None, due_date=date(2026, 3, 31))  # fmt: skip
        self.assertEqual(receipts(payroll, today, Levers(delay_days=30)),
                         [(date(2026, 3, 31), -500.0)])  # fmt: skip


class TestOpenCredits(unittest.TestCase):
    """Open credit notes net against their client's open invoices."""

    def open_line(self, source, amount, due, client=7, currency=1):
        return line(
            kind="open_invoice",
            amount=amount * 2,  # the company currency at a rate of 2
            amount_currency=amount,
            currency_id=currency,
            client_id=client,
            source_model="account.move",
            source_ids=(source,),
            revenue_date=None,
            invoice_date=None,
            due_date=due,
        )

    def test_applied_to_the_invoices_due_first(self):
        first, second = date(2026, 3, 2), date(2026, 3, 31)
        work = line()
        lines = [
            self.open_line(11, 500.0, second),
            work,
            self.open_line(10, 1000.0, first),
            self.open_line(90, -1200.0, date(2026, 2, 1)),
        ]
        netted = net_open_credits(lines)
        self.assertEqual(len(netted), 3, "the credit note is used up")
        later, same, earlier = netted
        self.assertIs(same, work)
        self.assertEqual((earlier.amount_currency, earlier.amount), (0.0, 0.0))
        self.assertEqual(earlier.source_ids, (10, 90))
        self.assertEqual((later.amount_currency, later.amount), (300.0, 600.0))
        self.assertEqual(later.source_ids, (11, 90))
        self.assertEqual(later.due_date, second)
        self.assertAlmostEqual(
            sum(x.amount_currency for x in netted if x.kind == "open_invoice"),
            300.0,
        )

    def test_credit_left_over_is_a_refund_on_its_day(self):
        day = date(2027, 1, 1)
        netted = net_open_credits(
            [self.open_line(10, 100.0, day), self.open_line(90, -250.0, day)]
        )
        invoice, refund = netted
        self.assertEqual(invoice.amount_currency, 0.0)
        self.assertEqual((refund.amount_currency, refund.amount), (-150.0, -300.0))
        self.assertEqual(refund.source_ids, (90,))
        self.assertEqual(refund.due_date, day)

    def test_other_clients_currencies_and_kinds_untouched(self):
        day = date(2028, 2, 29)
        lines = [
            self.open_line(10, 100.0, day, client=8),
            self.open_line(11, 100.0, day, currency=2),
            self.open_line(90, -40.0, day),
            line(kind="draft_invoice", amount=-30.0, amount_currency=-30.0),
        ]
        self.assertEqual(net_open_credits(lines), lines)


class TestReceiptsMemo(unittest.TestCase):
    """receipts_memo: the same receipts as receipts, dates worked out once."""

    def test_same_as_receipts(self):
        today = date(2026, 3, 1)
        split = [
            ("fixed", 300.0, "days_after", 0),
            ("percent", 100.0, "days_after", 30),
        ]
        halves = [
            ("percent", 50.0, "days_after", 15),
            ("percent", 50.0, "days_after", 45),
        ]
        forecasts = [
            line(terms=NET_30, days_late=12),
            line(amount=2500.0, terms=NET_30, days_late=12),
            line(terms=halves, days_late=3),
            line(amount=-400.0, terms=split),
            line(amount=900.0, terms=split),
            line(kind="open_invoice", invoice_date=None, due_date=date(2026, 4, 2),
                 days_late=5),
            line(kind="payroll", amount=-500.0, revenue_date=None, invoice_date=None,
                 due_date=date(2026, 3, 31)),
        ]  # fmt: skip
        for levers in (Levers(), Levers(delay_days=10), Levers(terms=[]),
                       Levers(terms=END_OF_MONTH_45)):  # fmt: skip
            memo = {}
            for _twice in range(2):
                for forecast in forecasts:
                    with self.subTest(levers=levers, forecast=forecast):
                        expected = receipts(
                            forecast, today, levers, forecast.amount * 0.8
                        )
                        found = receipts_memo(
                            forecast, today, levers, forecast.amount * 0.8, memo
                        )
                        self.assertEqual(
                            [d for d, _a in found], [d for d, _a in expected]
                        )
                        for (_d, got), (_e, want) in zip(found, expected, strict=True):
                            self.assertAlmostEqual(got, want, places=6)


class TestRetainerAndTentative(unittest.TestCase):
    def test_fee_in_advance_and_arrears(self):
        today = date(2026, 1, 1)
        start, end = date(2026, 1, 1), date(2026, 3, 31)  # a quarterly period
        self.assertEqual(
            retainer_billing_date(start, end, "advance", today, "monthly", 2),
            date(2026, 2, 2),
        )
        self.assertEqual(
            retainer_billing_date(start, end, "arrears", today, "monthly", 2),
            date(2026, 4, 2),
        )

    def test_tentative_probability(self):
        self.assertEqual(weighted(1000.0, True, 40), 400.0)
        self.assertEqual(weighted(1000.0, False, 40), 1000.0)


class TestLevers(unittest.TestCase):
    today = date(2026, 3, 2)

    def test_each_lever_by_hand(self):
        booking = line(kind="booking", tentative=True, revenue_date=date(2026, 5, 4))
        self.assertEqual(
            lever_amount(booking, Levers(probability=50), self.today), 500.0
        )
        self.assertAlmostEqual(
            lever_amount(booking, Levers(probability=100, utilization=-10), self.today),
            900.0,
        )
        rate = Levers(rate_change=10, rate_change_date=date(2026, 5, 1))
        self.assertAlmostEqual(lever_amount(booking, rate, self.today), 1100.0)
        self.assertEqual(
            lever_amount(
                booking._replace(revenue_date=date(2026, 4, 30)), rate, self.today
            ),
            1000.0,
        )
        self.assertAlmostEqual(
            lever_amount(line(), Levers(write_off=5), self.today), 950.0
        )
        overhead = line(kind="overhead", amount=-2000.0)
        self.assertAlmostEqual(
            lever_amount(overhead, Levers(overheads_change=10), self.today), -2200.0
        )
        fee = line(kind="fixed_fee")
        self.assertEqual(
            lever_amount(fee, Levers(write_off=50, rate_change=10), self.today), 1000.0
        )

    def test_bad_levers(self):
        self.assertEqual(levers_error(Levers(probability=101), 30), "probability")
        self.assertEqual(levers_error(Levers(probability=-1), 30), "probability")
        self.assertEqual(levers_error(Levers(write_off=120), 30), "write_off")
        self.assertEqual(levers_error(Levers(delay_days=-31), 30), "delay_days")
        self.assertIsNone(levers_error(Levers(delay_days=-30), 30))
        self.assertIsNone(levers_error(Levers(delay_days=20), 0))


class TestBuckets(unittest.TestCase):
    def test_weeks_follow_the_week_start(self):
        for today in TODAYS:
            for start in (0, 6):
                firsts = week_starts(today, start)
                self.assertEqual(len(firsts), 13)
                self.assertTrue(all(day.weekday() == start for day in firsts))
                self.assertEqual(week_index(today, today, start), 0)
                self.assertEqual(
                    week_index(firsts[12] + timedelta(days=6), today, start), 12
                )
                self.assertIsNone(
                    week_index(firsts[12] + timedelta(days=7), today, start)
                )
                self.assertIsNone(
                    week_index(firsts[0] - timedelta(days=1), today, start)
                )

    def test_months(self):
        for today in TODAYS:
            self.assertEqual(month_index(today, today), 0)
            self.assertEqual(month_index(horizon_end(today), today), 11)
            self.assertIsNone(
                month_index(horizon_end(today) + timedelta(days=1), today)
            )

    def test_lowest_balance(self):
        self.assertEqual(running_balance(100, [-50, -80, 200]), [50, -30, 170])
        self.assertEqual(lowest_balance(100, [-50, -80, 200]), (-30, 1))
        self.assertEqual(lowest_balance(100, [10, 20]), (100, None))
