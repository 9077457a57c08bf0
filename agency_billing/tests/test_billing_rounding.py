"""Rounding and grouping, end to end: approved time to the invoice lines.

Expected billed time is worked out here with integer minutes, independently of
billing_rules: the invoice must bill, line by line, exactly the sum of the
billed hours of the entries behind it, and raw time never changes.
"""

from decimal import ROUND_HALF_UP, Decimal

from odoo.tests import tagged

from .common import BillingCase

# raw minutes of the entries each rounding case logs: below one increment, on
# an increment, just past one, a half, long ones
RAW_MINUTES = (4, 7, 15, 21, 33, 45, 66, 93, 150)


def expected_minutes(raw, increment, method):
    if method == "up":
        return -(-raw // increment) * increment
    if method == "down":
        return raw // increment * increment
    return (2 * raw + increment) // (2 * increment) * increment  # half up


def as_hours(minutes):
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)


def exact(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


@tagged("post_install", "-at_install")
class TestBillingRounding(BillingCase):
    def test_each_method_and_increment(self):
        cases = [
            (method, increment)
            for method in ("up", "nearest", "down")
            for increment in (1, 5, 6, 10, 15, 30, 60)
        ]
        for number, (method, increment) in enumerate(cases):
            with self.subTest(method=method, increment=increment):
                self._check_rounding(method, increment, number)

    def _check_rounding(self, method, increment, number):
        self.engagement.write(
            {"rounding_method": method, "rounding_increment": str(increment)}
        )
        entries = self.env["account.analytic.line"]
        for index, minutes in enumerate(RAW_MINUTES):
            # days spread over March (a day has 24 hours), the two tasks in
            # turn so that the invoice has two lines
            day = (number * len(RAW_MINUTES) + index) % 29 + 2
            vals = {"day": f"2026-03-{day:02d}"}
            if index % 2:
                vals.update(project_id=self.acme_web.id, task_id=self.web_task.id)
            entries |= self.approved(minutes / 60, **vals)
        run = self.new_run()
        invoice = self.review_and_invoice(run)
        expected_total = Decimal(0)
        for entry, minutes in zip(entries, RAW_MINUTES, strict=True):
            billed = as_hours(expected_minutes(minutes, increment, method))
            expected_total += billed
            self.assertEqual(exact(entry.agency_billed_hours), billed, minutes)
            self.assertAlmostEqual(entry.unit_amount, minutes / 60, places=9)
            # billed − raw, shown at the quantity precision
            self.assertAlmostEqual(
                entry.agency_rounding_diff, float(billed) - minutes / 60, delta=0.0051
            )
        run_line = run.line_ids
        self.assertEqual(exact(run_line.billed_hours), expected_total)
        self.assertAlmostEqual(run_line.raw_hours, sum(RAW_MINUTES) / 60, delta=0.005)
        entries_by_line = {}
        for entry in entries:
            entries_by_line.setdefault(entry.agency_invoice_line_id, []).append(entry)
        self.assertEqual(len(invoice.invoice_line_ids), 2)
        self.assertEqual(set(entries_by_line), set(invoice.invoice_line_ids))
        for invoice_line, billed_entries in entries_by_line.items():
            self.assertEqual(
                exact(invoice_line.quantity),
                sum(exact(e.agency_billed_hours) for e in billed_entries),
            )
            self.assertEqual(invoice_line.price_unit, 100.0)
        self.assertEqual(
            exact(sum(invoice.invoice_line_ids.mapped("quantity"))), expected_total
        )
        self.assertAlmostEqual(invoice.amount_untaxed, float(expected_total) * 100)

    def test_rounding_never_drifts(self):
        """Twenty entries of 20 minutes at 1-minute rounding bill 0.33 h each:
        the invoice bills 6.60 h, the sum of the entries, not round(6.67)."""
        self.engagement.write({"rounding_method": "nearest", "rounding_increment": "1"})
        entries = self.env["account.analytic.line"]
        for day in range(2, 22):
            entries |= self.approved(1 / 3, day=f"2026-03-{day:02d}")
        invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(set(entries.mapped("agency_billed_hours")), {0.33})
        self.assertEqual(invoice.invoice_line_ids.quantity, 6.6)
        self.assertEqual(invoice.amount_untaxed, 660.0)
        self.assertAlmostEqual(sum(entries.mapped("unit_amount")), 20 / 3)

    def test_rounding_change_after_collect_applies_to_next_run(self):
        """Billed time is fixed when a run collects an entry: the policy of the
        engagement then is the one the client agreed to for that period."""
        entry = self.approved(0.1)  # 6 minutes
        run = self.new_run()
        run.action_collect()
        self.assertEqual(entry.agency_billed_hours, 0.25)
        self.engagement.rounding_increment = "60"
        invoice = self.review_and_invoice(run)
        self.assertEqual(invoice.invoice_line_ids.quantity, 0.25)


@tagged("post_install", "-at_install")
class TestBillingGrouping(BillingCase):
    """One line per project, task, role, person or entry."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.paula.role_id = cls.role_ad
        cls.engagement.rounding_increment = "1"
        web = {"project_id": cls.acme_web.id, "task_id": cls.web_task.id}
        cls.entries = [
            cls.approved(1.0, day="2026-03-02", name="Moodboard"),
            cls.approved(2.0, day="2026-03-03", name="Layouts"),
            cls.approved(1.5, day="2026-03-04", employee=cls.paula, name="Art", **web),
            cls.approved(0.5, day="2026-03-05", name="Banner", **web),
            cls.approved(
                1.0, day="2026-03-06", employee=cls.paula, task_id=False, name="Call"
            ),
        ]

    def invoice_with(self, grouping):
        self.engagement.grouping = grouping
        invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(len(invoice), 1)
        lines = invoice.invoice_line_ids.sorted("sequence")
        for line in lines:
            self.assertEqual(
                line.quantity, sum(line.agency_entry_ids.mapped("agency_billed_hours"))
            )
        self.assertEqual(invoice.amount_untaxed, 600.0)
        return lines

    def assertLines(self, lines, expected):
        """expected: [(words in the label, quantity, entry indexes)]"""
        self.assertEqual(len(lines), len(expected), lines.mapped("name"))
        for line, (words, quantity, indexes) in zip(lines, expected, strict=True):
            for word in words:
                self.assertIn(word, line.name)
            self.assertEqual(line.quantity, quantity, line.name)
            self.assertEqual(
                line.agency_entry_ids,
                self.env["account.analytic.line"].union(
                    *(self.entries[i] for i in indexes)
                ),
                line.name,
            )
            count = len(indexes)
            self.assertIn(f"{count} entries" if count > 1 else "1 entry,", line.name)

    def test_entries_take_the_role_of_their_person(self):
        self.assertEqual(self.entries[2].role_id, self.role_ad)
        self.assertEqual(self.entries[0].role_id, self.role_designer)

    def test_one_line_per_project(self):
        self.assertLines(
            self.invoice_with("project"),
            [(["Test Campaign"], 4.0, [0, 1, 4]), (["Acme Web"], 2.0, [2, 3])],
        )

    def test_one_line_per_task(self):
        self.assertLines(
            self.invoice_with("task"),
            [
                (["Test Campaign — Key visual"], 3.0, [0, 1]),
                (["Acme Web — Landing page"], 2.0, [2, 3]),
                (["Test Campaign"], 1.0, [4]),
            ],
        )

    def test_one_line_per_role(self):
        self.assertLines(
            self.invoice_with("role"),
            [
                (["Test Designer"], 3.5, [0, 1, 3]),
                (["Test Art Director"], 2.5, [2, 4]),
            ],
        )

    def test_one_line_per_person(self):
        self.assertLines(
            self.invoice_with("employee"),
            [
                ([self.dani.name], 3.5, [0, 1, 3]),
                ([self.paula.name], 2.5, [2, 4]),
            ],
        )

    def test_one_line_per_entry(self):
        self.assertLines(
            self.invoice_with("entry"),
            [
                ([self.dani.name, "Moodboard"], 1.0, [0]),
                ([self.dani.name, "Layouts"], 2.0, [1]),
                ([self.paula.name, "Art"], 1.5, [2]),
                ([self.dani.name, "Banner"], 0.5, [3]),
                ([self.paula.name, "Call"], 1.0, [4]),
            ],
        )

    def test_one_price_per_line(self):
        """Two prices in one group make two lines: quantity × price is the
        amount of each line."""
        self.rate(150.0, employee_id=self.paula.id, date_from="2026-01-01")
        self.env["account.analytic.line"].union(*self.entries)._agency_reprice(
            force=True
        )
        self.assertEqual(self.entries[2].agency_bill_rate, 150.0)
        self.engagement.grouping = "project"
        invoice = self.review_and_invoice(self.new_run())
        lines = invoice.invoice_line_ids.sorted("sequence")
        self.assertEqual(
            [(line.quantity, line.price_unit) for line in lines],
            [(3.0, 100.0), (1.5, 150.0), (0.5, 100.0), (1.0, 150.0)],
        )
        self.assertEqual(invoice.amount_untaxed, 3 * 100 + 2.5 * 150 + 0.5 * 100)
