"""Write-ups and write-downs: records with a reason and a note, each its own
invoice line, frozen once invoiced."""

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestBillingAdjustments(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rate(150.0, employee_id=cls.paula.id, date_from="2026-01-01")
        cls.design = cls.approved(4.0, day="2026-03-02", name="Key visual")
        cls.web = cls.approved(
            2.0,
            day="2026-03-03",
            employee=cls.paula,
            project_id=cls.acme_web.id,
            task_id=cls.web_task.id,
            name="Landing page",
        )

    def setUp(self):
        super().setUp()
        self.run = self.new_run()
        self.run.action_collect()
        self.line = self.run.line_ids

    def adjust(self, **vals):
        return (
            self.env["agency.billing.adjustment"]
            .with_user(self.biller)
            .create(
                {
                    "run_line_id": self.line.id,
                    "reason": "goodwill",
                    "note": "As agreed",
                    **vals,
                }
            )
        )

    def test_four_kinds_reach_the_invoice(self):
        self.assertEqual(self.line.amount, 700.0)
        entry_hours_down = self.adjust(
            entry_id=self.web.id,
            direction="down",
            basis="hours",
            hours=0.5,
            reason="inefficiency",
            note="Learning the new CMS",
        )
        # an entry's write-down in hours is at the entry's own rate
        self.assertEqual(entry_hours_down.price_unit, 150.0)
        self.assertEqual(entry_hours_down.signed_amount, -75.0)
        engagement_hours_up = self.adjust(
            direction="up",
            basis="hours",
            hours=1.0,
            reason="scope_change",
            note="Extra round of changes",
        )
        # the engagement's in hours at its average billed rate in the run
        self.assertEqual(engagement_hours_up.price_unit, round(700.0 / 6.0, 2))
        entry_amount_down = self.adjust(
            entry_id=self.design.id,
            direction="down",
            basis="amount",
            amount=20.0,
            reason="rounding",
            note="Round figure",
        )
        engagement_amount_up = self.adjust(
            direction="up",
            basis="amount",
            amount=50.0,
            reason="other",
            note="Rush fee",
        )
        effect = -75.0 + 116.67 - 20.0 + 50.0
        self.assertAlmostEqual(self.line.adjustment_amount, effect)
        self.assertAlmostEqual(self.line.total, 700.0 + effect)
        self.assertEqual(self.run.adjustment_ids.mapped("user_id"), self.biller)

        invoice = self.review_and_invoice(self.run)
        self.assertAlmostEqual(invoice.amount_untaxed, 700.0 + effect)
        lines = invoice.invoice_line_ids.sorted("sequence")
        self.assertEqual(len(lines), 6)  # two tasks, four adjustments
        time_lines, adjustment_lines = lines[:2], lines[2:]
        self.assertEqual(time_lines.agency_entry_ids, self.design | self.web)
        self.assertEqual(sum(time_lines.mapped("quantity")), 6.0)
        expected = [
            (entry_hours_down, "Write-down (Inefficiency)", "Learning the new CMS",
             0.5, -150.0),
            (engagement_hours_up, "Write-up (Scope change)", "Extra round of changes",
             1.0, 116.67),
            (entry_amount_down, "Write-down (Rounding)", "Round figure", 1.0, -20.0),
            (engagement_amount_up, "Write-up (Other)", "Rush fee", 1.0, 50.0),
        ]  # fmt: skip
        for line, (adjustment, label, note, quantity, price) in zip(
            adjustment_lines, expected, strict=True
        ):
            self.assertEqual(adjustment.invoice_line_id, line)
            self.assertEqual(line.agency_adjustment_ids, adjustment)
            self.assertFalse(line.agency_entry_ids)
            self.assertIn(label, line.name)
            self.assertIn(note, line.name)
            self.assertEqual(line.quantity, quantity)
            self.assertEqual(line.price_unit, price)
        hour = self.env.ref("uom.product_uom_hour")
        self.assertEqual(adjustment_lines[0].product_uom_id, hour)
        # entry-level lines say which entry
        self.assertIn(self.paula.name, adjustment_lines[0].name)
        self.assertIn(self.dani.name, adjustment_lines[2].name)
        # raw and billed time stay what they were
        self.assertEqual(self.web.unit_amount, 2.0)
        self.assertEqual(self.web.agency_billed_hours, 2.0)

    def test_invoiced_adjustments_are_frozen(self):
        adjustment = self.adjust(basis="amount", amount=30.0)
        invoice = self.review_and_invoice(self.run)
        self.assertEqual(invoice.amount_untaxed, 670.0)
        with self.assertRefused(UserError, "on an invoice already"):
            adjustment.write({"amount": 10.0})
        with self.assertRefused(UserError, "on an invoice already"):
            adjustment.unlink()
        with self.assertRefused(UserError, "on an invoice already"):
            self.adjust(basis="amount", amount=5.0)
        self.assertEqual(adjustment.amount, 30.0)
        self.assertEqual(invoice.amount_untaxed, 670.0)

    def test_cancelled_invoice_gives_adjustments_back(self):
        adjustment = self.adjust(basis="amount", amount=30.0)
        invoice = self.review_and_invoice(self.run)
        invoice.button_cancel()
        self.assertFalse(adjustment.invoice_line_id)
        adjustment.with_user(self.biller).note = "Smaller goodwill"
        self.assertEqual(adjustment.note, "Smaller goodwill")

    def test_bad_adjustments(self):
        with self.assertRefused(ValidationError, "enter the hours"):
            self.adjust(basis="hours", hours=0.0)
        with self.assertRefused(ValidationError, "enter the amount"):
            self.adjust(basis="amount", amount=-10.0)
        outsider = self.approved(1.0, day="2026-04-05")  # after the period
        with self.assertRefused(ValidationError, "is not in billing run"):
            self.adjust(entry_id=outsider.id, basis="hours", hours=1.0)
        # the note is required (Odoo says which field is missing)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.adjust(basis="amount", amount=10.0, note=False)
        self.assertFalse(self.run.adjustment_ids)
        self.assertEqual(self.line.adjustment_amount, 0.0)
