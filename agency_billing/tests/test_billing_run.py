from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestBillingRun(BillingCase):
    def test_time_and_materials_end_to_end(self):
        first = self.approved(1.1, day="2026-03-02")  # 66 min -> 75 min up
        second = self.approved(0.5, day="2026-03-03")  # 30 min stays
        other = self.approved(2.0, day="2026-03-04", project_id=self.acme_web.id,
                              task_id=self.web_task.id)  # fmt: skip
        later = self.approved(1.0, day="2026-04-02")  # after the period
        draft = self.entry(3.0, day="2026-03-05")
        run = self.new_run()
        run.action_collect()
        self.assertEqual(run.state, "review")
        line = run.line_ids
        self.assertEqual(line.entry_count, 3)
        self.assertAlmostEqual(line.raw_hours, 3.6)
        self.assertAlmostEqual(line.billed_hours, 3.75)
        self.assertAlmostEqual(first.unit_amount, 1.1)
        self.assertAlmostEqual(first.agency_billed_hours, 1.25)
        self.assertEqual(line.amount, 375.0)
        self.assertFalse(later.agency_run_id)
        self.assertFalse(draft.agency_run_id)
        unapproved = run.check_ids.filtered(lambda c: c.code == "unapproved")
        self.assertEqual(unapproved.entry_ids, draft)
        self.assertEqual(unapproved.severity, "warning")
        invoices = self.review_and_invoice(run)
        self.assertEqual(len(invoices), 1)
        self.assertEqual(invoices.move_type, "out_invoice")
        self.assertEqual(invoices.state, "draft")
        self.assertEqual(invoices.partner_id, self.acme)
        lines = invoices.invoice_line_ids.sorted("sequence")
        self.assertEqual(len(lines), 2)  # one per task
        self.assertEqual(lines[0].quantity, 1.75)
        self.assertEqual(lines[1].quantity, 2.0)
        self.assertEqual(invoices.amount_untaxed, 375.0)
        self.assertEqual((first | second).agency_invoice_line_id, lines[0])
        self.assertEqual(other.agency_invoice_line_id, lines[1])
        self.assertEqual(first.timesheet_invoice_id, invoices)
        self.assertEqual(run.state, "done")
        # invoiced entries are locked, administrators included
        with self.assertRefused(UserError, "invoiced on"):
            first.with_user(self.users["admin"]).write({"unit_amount": 3.0})
        # a second run finds nothing to bill
        with self.assertRefused(UserError, "Nothing to bill"):
            self.new_run().action_collect()

    def test_credit_note_frees_exactly_reversed_lines(self):
        first = self.approved(1.0, day="2026-03-02")
        other = self.approved(2.0, day="2026-03-04", project_id=self.acme_web.id,
                              task_id=self.web_task.id)  # fmt: skip
        invoice = self.review_and_invoice(self.new_run())
        invoice.action_post()
        web_line = other.agency_invoice_line_id
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "partial"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        # keep only the line of the web task in the credit note
        refund.invoice_line_ids.filtered(
            lambda l: l.agency_reversed_line_id != web_line
        ).unlink()
        refund.action_post()
        self.assertFalse(other.agency_invoice_line_id)
        self.assertFalse(other.agency_run_id)
        self.assertTrue(first.agency_invoice_line_id)
        again = self.review_and_invoice(self.new_run())
        self.assertEqual(other.agency_invoice_line_id.move_id, again)
        self.assertEqual(again.amount_untaxed, 200.0)

    def test_cancel_draft_invoice_frees_entries(self):
        entry = self.approved(1.0)
        run = self.new_run()
        invoice = self.review_and_invoice(run)
        invoice.button_cancel()
        self.assertFalse(entry.agency_invoice_line_id)
        self.assertFalse(entry.timesheet_invoice_id)
        # back to review in its run, which invoices it again
        self.assertEqual(entry.agency_run_id, run)
        self.assertEqual(run.line_ids.state, "review")
        self.assertEqual(len(self.review_and_invoice(run) - invoice), 1)

    def test_blocking_check_stops_invoices(self):
        self.default_rate.active = False
        self.approved(1.0)
        run = self.new_run()
        run.action_collect()
        check = run.check_ids.filtered(lambda c: c.code == "no_rate")
        self.assertEqual(check.severity, "blocking")
        self.assertEqual(check.owner_id, self.biller)
        with self.assertRefused(UserError, "blocking checks open"):
            run.line_ids.with_user(self.biller).action_mark_reviewed()
        self.assertFalse(run.invoice_ids)
        self.default_rate.active = True
        run.action_check()
        self.assertFalse(run.check_ids.filtered(lambda c: c.code == "no_rate"))

    def test_write_down_reaches_invoice(self):
        self.approved(4.0)
        run = self.new_run()
        run.action_collect()
        self.env["agency.billing.adjustment"].create(
            {
                "run_line_id": run.line_ids.id,
                "direction": "down",
                "basis": "hours",
                "hours": 1.0,
                "reason": "inefficiency",
                "note": "Learning curve on the new brand",
            }
        )
        self.assertEqual(run.line_ids.adjustment_amount, -100.0)
        invoice = self.review_and_invoice(run)
        self.assertEqual(invoice.amount_untaxed, 300.0)
        adjustment_line = invoice.invoice_line_ids.filtered("agency_adjustment_ids")
        self.assertIn("Inefficiency", adjustment_line.name)
        self.assertIn("Learning curve", adjustment_line.name)

    def test_bad_engagement_values(self):
        Engagement = self.env["agency.engagement"]
        with self.assertRefused(ValidationError, "7 minutes is not a rounding"):
            Engagement.create(
                {"name": "Odd", "partner_id": self.acme.id, "rounding_increment": 7}
            )
        with self.assertRefused(ValidationError, "needs a client"):
            Engagement.create({"name": "Nobody", "partner_id": False})

    def test_write_down_survives_a_cancelled_draft(self):
        self.approved(4.0)
        run = self.new_run()
        run.action_collect()
        self.env["agency.billing.adjustment"].create(
            {
                "run_line_id": run.line_ids.id,
                "direction": "down",
                "basis": "amount",
                "amount": 30.0,
                "reason": "goodwill",
                "note": "First month",
            }
        )
        first = self.review_and_invoice(run)
        self.assertEqual(first.amount_untaxed, 370.0)
        first.button_cancel()
        second = self.review_and_invoice(run) - first
        self.assertEqual(second.amount_untaxed, 370.0)
        self.assertEqual(run.adjustment_ids.invoice_line_id.move_id, second)
