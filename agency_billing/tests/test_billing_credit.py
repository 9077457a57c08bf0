"""Invoiced entries change only through their invoice: a posted credit note
frees exactly the entries behind the lines it reverses, cancelling or deleting
a draft invoice frees all of them; freed entries are billed by the next run,
and each release leaves an audit row."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestBillingCredit(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engagement.grouping = "entry"
        cls.entries = cls.env["account.analytic.line"]
        for day, hours in (
            ("2026-03-02", 1.0),
            ("2026-03-03", 2.0),
            ("2026-03-04", 3.0),
        ):
            cls.entries |= cls.approved(hours, day=day)

    def setUp(self):
        super().setUp()
        self.invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(self.invoice.amount_untaxed, 600.0)

    def credit_note(self, invoice, keep=None):
        """A credit note of invoice, kept to the invoice lines `keep` (all
        when None), posted."""
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "client dispute"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        self.assertEqual(refund.move_type, "out_refund")
        if keep is not None:
            refund.invoice_line_ids.filtered(
                lambda line: line.agency_reversed_line_id not in keep
            ).unlink()
        return refund

    def audits(self, entries):
        return self.env["agency.audit"].search(
            [
                ("res_model", "=", "account.analytic.line"),
                ("res_id", "in", entries.ids),
                ("operation", "=", "invoice"),
            ]
        )

    def assertBackInRun(self, entries, run):
        """Freed from a cancelled or deleted draft: still held by their run."""
        for entry in entries:
            self.assertFalse(entry.agency_invoice_line_id)
            self.assertEqual(entry.agency_run_id, run)
            self.assertFalse(entry.timesheet_invoice_id)

    def assertFree(self, entries):
        for entry in entries:
            self.assertFalse(entry.agency_invoice_line_id)
            self.assertFalse(entry.agency_run_id)
            self.assertFalse(entry.timesheet_invoice_id)

    def assertOn(self, entries, invoice):
        for entry in entries:
            self.assertEqual(entry.agency_invoice_line_id.move_id, invoice)
            self.assertEqual(entry.timesheet_invoice_id, invoice)

    def test_full_credit_note_frees_every_entry(self):
        self.invoice.action_post()
        refund = self.credit_note(self.invoice)
        # a draft credit note frees nothing yet
        self.assertOn(self.entries, self.invoice)
        refund.action_post()
        self.assertFree(self.entries)
        # the credit note belongs to the engagement: nothing invoiced any more
        self.assertEqual(refund.agency_engagement_id, self.engagement)
        self.assertEqual(self.engagement.invoiced_amount, 0.0)
        audits = self.audits(self.entries)
        self.assertEqual(set(audits.mapped("res_id")), set(self.entries.ids))
        self.assertTrue(all(refund.name in audit.reason for audit in audits))
        self.assertEqual(set(audits.mapped("old_value")), {self.invoice.name})
        # raw and billed time untouched; the next run bills them again
        self.assertEqual(self.entries.mapped("unit_amount"), [1.0, 2.0, 3.0])
        again = self.review_and_invoice(self.new_run())
        self.assertEqual(again.amount_untaxed, 600.0)
        self.assertOn(self.entries, again)
        self.assertEqual(self.engagement.invoiced_amount, 600.0)

    def test_partial_credit_note_frees_exactly_its_lines(self):
        self.invoice.action_post()
        second = self.entries[1]
        refund = self.credit_note(self.invoice, keep=second.agency_invoice_line_id)
        self.assertEqual(len(refund.invoice_line_ids), 1)
        refund.action_post()
        self.assertEqual(self.engagement.invoiced_amount, 400.0)
        self.assertFree(second)
        self.assertOn(self.entries - second, self.invoice)
        self.assertEqual(self.audits(self.entries), self.audits(second))
        # the freed entry alone is billed by the next run
        again = self.review_and_invoice(self.new_run())
        self.assertEqual(again.invoice_line_ids.agency_entry_ids, second)
        self.assertEqual(again.amount_untaxed, 200.0)
        self.assertOn(self.entries - second, self.invoice)
        self.assertEqual(self.engagement.invoiced_amount, 600.0)

    def test_credit_note_of_a_credit_free_line_frees_nothing(self):
        """A credit note of a line no entry is behind (here: a line the
        accountant added by hand) frees nothing."""
        self.invoice.write(
            {
                "invoice_line_ids": [
                    (0, 0, {"name": "Printing", "quantity": 1, "price_unit": 80.0})
                ]
            }
        )
        self.invoice.action_post()
        printing = self.invoice.invoice_line_ids.filtered(
            lambda line: line.name == "Printing"
        )
        self.credit_note(self.invoice, keep=printing).action_post()
        self.assertOn(self.entries, self.invoice)
        self.assertFalse(self.audits(self.entries))
        with self.assertRefused(UserError, "Nothing to bill"):
            self.new_run().action_collect()

    def test_cancel_draft_invoice_frees_entries(self):
        run = self.invoice.agency_run_id
        self.invoice.button_cancel()
        self.assertEqual(self.invoice.state, "cancel")
        self.assertBackInRun(self.entries, run)
        audits = self.audits(self.entries)
        self.assertEqual(len(audits), 3)
        self.assertTrue(all("cancelled" in audit.reason for audit in audits))
        # the run is open again, its engagement back to review
        self.assertEqual(run.state, "review")
        self.assertEqual(run.line_ids.state, "review")
        self.assertEqual(self.engagement.invoiced_amount, 0.0)
        with self.assertRefused(UserError, "Nothing to bill"):
            self.new_run().action_collect()  # they are the run's
        again = self.review_and_invoice(run) - self.invoice
        self.assertOn(self.entries, again)
        self.assertEqual(again.amount_untaxed, 600.0)

    def test_delete_draft_invoice_frees_entries(self):
        run = self.invoice.agency_run_id
        self.invoice.unlink()
        self.assertBackInRun(self.entries, run)
        self.assertEqual(len(self.audits(self.entries)), 3)
        self.assertEqual(self.review_and_invoice(run).amount_untaxed, 600.0)

    def test_invoiced_entries_are_locked(self):
        entry = self.entries[0]
        with self.assertRefused(UserError, "invoiced on"):
            entry.with_user(self.users["admin"]).write({"unit_amount": 5.0})
        with self.assertRefused(UserError, "invoiced on"):
            entry.with_user(self.users["admin"]).unlink()
        with self.assertRefused(UserError, "through a credit note"):
            entry.with_user(self.users["admin"])._agency_check_approvable()
        self.assertEqual(entry.unit_amount, 1.0)
        # nor can a stock invoice take them: they carry their invoice
        self.assertEqual(entry.timesheet_invoice_id, self.invoice)

    def test_reverse_and_replace_moves_entries_to_the_new_invoice(self):
        """'Reverse and Create Invoice': the new draft bills the entries; the
        next run has nothing to bill (never twice)."""
        self.invoice.action_post()
        old_lines = self.entries.agency_invoice_line_id
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=self.invoice.ids)
            .create({"journal_id": self.invoice.journal_id.id, "reason": "new terms"})
        )
        new = self.env["account.move"].browse(reversal.modify_moves()["res_id"])
        self.assertEqual(new.move_type, "out_invoice")
        self.assertEqual(new.state, "draft")
        self.assertEqual(self.invoice.reversal_move_ids.state, "posted")
        self.assertOn(self.entries, new)
        self.assertEqual(
            [entry.agency_invoice_line_id.quantity for entry in self.entries],
            [line.quantity for line in old_lines],
        )
        self.assertEqual(new.agency_engagement_id, self.engagement)
        self.assertFalse(new.invoice_line_ids.agency_reversed_line_id)
        self.assertEqual(self.engagement.invoiced_amount, 600.0)
        with self.assertRefused(UserError, "Nothing to bill"):
            self.new_run().action_collect()
        # the replacement, cancelled, gives them back to the run
        run = new.agency_run_id
        new.button_cancel()
        self.assertBackInRun(self.entries, run)
        again = self.review_and_invoice(run) - self.invoice - new
        self.assertEqual(again.amount_untaxed, 600.0)
