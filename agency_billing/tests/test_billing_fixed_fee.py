from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestFixedFee(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.milestone = cls.env["project.milestone"].create(
            {"name": "Brand book delivered", "project_id": cls.project.id}
        )
        cls.fixed = cls.env["agency.engagement"].create(
            {
                "name": "Acme rebrand (fixed)",
                "partner_id": cls.acme.id,
                "user_id": cls.biller.id,
                "kind": "fixed_fee",
                "fee_amount": 1000.0,
                "schedule_line_ids": [
                    (0, 0, {"name": "Kick-off", "trigger": "date",
                            "date_due": "2026-03-01", "percent": 33.33}),
                    (0, 0, {"name": "Brand book", "trigger": "milestone",
                            "milestone_id": cls.milestone.id, "percent": 33.33}),
                    (0, 0, {"name": "Launch", "trigger": "date",
                            "date_due": "2026-06-30", "percent": 33.34}),
                ],
            }
        )  # fmt: skip
        (cls.project | cls.acme_web).agency_engagement_id = cls.fixed

    def fixed_run(self, date_to="2026-03-31"):
        return self.new_run(
            engagement_ids=[(6, 0, self.fixed.ids)],
            date_to=date_to,
            invoice_date=date_to,
        )

    def test_schedule_split_adds_up_exactly(self):
        amounts = self.fixed.schedule_line_ids.sorted("sequence").mapped("amount")
        self.assertEqual(sum(amounts), 1000.0)
        self.assertEqual(amounts, [333.3, 333.3, 333.4])

    def test_schedule_by_date_and_milestone(self):
        self.approved(2.0)
        run = self.fixed_run()
        invoice = self.review_and_invoice(run)
        # only the kick-off is due: no hourly time line on a fixed fee
        self.assertEqual(len(invoice.invoice_line_ids), 1)
        self.assertIn("Kick-off", invoice.invoice_line_ids.name)
        self.assertEqual(invoice.amount_untaxed, 333.3)
        self.milestone.is_reached = True
        second = self.review_and_invoice(self.fixed_run("2026-04-30"))
        self.assertIn("Brand book", second.invoice_line_ids.name)
        self.assertEqual(second.amount_untaxed, 333.3)
        # nothing left due until the launch date
        with self.assertRefused(UserError, "Nothing to bill"):
            self.fixed_run("2026-05-31").action_collect()
        self.assertEqual(
            self.fixed.schedule_line_ids.mapped("state").count("invoiced"), 2
        )

    def test_overrun_is_written_off_never_billed(self):
        # 12 h at 100 = 1200 of effort for a 1000 fee: 200 over-run
        self.approved(8.0, day="2026-03-02")
        self.approved(4.0, day="2026-03-03")
        run = self.fixed_run()
        run.action_collect()
        writeoff = run.adjustment_ids
        self.assertEqual(writeoff.reason, "overrun")
        self.assertEqual(writeoff.amount, 200.0)
        self.assertFalse(writeoff.billable)
        invoice = self.review_and_invoice(run)
        self.assertEqual(invoice.amount_untaxed, 333.3)
        self.assertFalse(writeoff.invoice_line_id)
        self.assertEqual(self.fixed.overrun_amount, 200.0)
        # more effort later: only the new over-run is written off
        self.approved(1.0, day="2026-04-02")
        self.milestone.is_reached = True
        later = self.fixed_run("2026-04-30")
        later.action_collect()
        self.assertEqual(later.adjustment_ids.amount, 100.0)

    def test_change_order_raises_fee_and_is_due_on_its_date(self):
        self.env["agency.change.order"].create(
            {
                "engagement_id": self.fixed.id,
                "name": "CO-1 extra campaign",
                "date": "2026-03-15",
                "amount": 500.0,
                "reason": "Client added a social campaign",
            }
        )
        self.assertEqual(self.fixed.fee_total, 1500.0)
        invoice = self.review_and_invoice(self.fixed_run())
        self.assertEqual(invoice.amount_untaxed, 833.3)
        self.assertTrue(
            any("CO-1" in name for name in invoice.invoice_line_ids.mapped("name"))
        )

    def test_bad_schedule_and_change_orders(self):
        with self.assertRefused(ValidationError, "shares 90 % of the fee"):
            self.env["agency.engagement"].create(
                {
                    "name": "Wrong shares",
                    "partner_id": self.acme.id,
                    "kind": "fixed_fee",
                    "fee_amount": 100.0,
                    "schedule_line_ids": [
                        (0, 0, {"name": "Only", "date_due": "2026-03-01",
                                "percent": 90}),
                    ],
                }
            )  # fmt: skip
        self.review_and_invoice(self.fixed_run())  # 333.30 invoiced
        with self.assertRefused(ValidationError, "below the .* already invoiced"):
            self.env["agency.change.order"].create(
                {
                    "engagement_id": self.fixed.id,
                    "name": "CO-2 cut",
                    "amount": -700.0,
                    "reason": "Scope cut",
                }
            )

    def test_cancelled_invoice_frees_schedule_line(self):
        invoice = self.review_and_invoice(self.fixed_run())
        kickoff = self.fixed.schedule_line_ids.filtered(lambda x: x.name == "Kick-off")
        self.assertTrue(kickoff.invoice_line_id)
        invoice.button_cancel()
        self.assertFalse(kickoff.invoice_line_id)
        again = self.review_and_invoice(self.fixed_run())
        self.assertEqual(kickoff.invoice_line_id.move_id, again)
