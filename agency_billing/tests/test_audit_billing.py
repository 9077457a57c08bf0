"""Billing's sensitive operations each write one audit row per operation:
rate lines created, changed and ended; engagement terms; reviews and invoice
creation; the billing run spreadsheet."""

from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestAuditBilling(BillingCase):
    def _rows(self, operation, model):
        return self.env["agency.audit"].search(
            [("operation", "=", operation), ("res_model", "=", model)]
        )

    def test_rate_lines_created_changed_ended(self):
        before = self._rows("rate", "agency.rate")
        Rate = self.env["agency.rate"].with_user(self.users["billing"])
        lines = Rate.create(
            [
                {
                    "bill_rate": rate,
                    "currency_id": self.currency.id,
                    "note": "card",
                    **scope,
                }
                for rate, scope in (
                    (120.0, {"partner_id": self.acme.id}),
                    (130.0, {"partner_id": self.bright.id}),
                    (140.0, {"project_id": self.internal.id}),
                )
            ]
        )
        created = self._rows("rate", "agency.rate") - before
        self.assertEqual(len(created), 1, "one row for the batch")
        self.assertEqual(created.record_count, 3)
        self.assertEqual(created.user_id, self.users["billing"])
        lines[0].bill_rate = 125.0
        changed = self._rows("rate", "agency.rate") - before - created
        self.assertEqual(len(changed), 1)
        self.assertIn("120", changed.old_value)
        self.assertIn("125", changed.new_value)
        lines.write({"date_to": "2026-06-30"})
        ended = self._rows("rate", "agency.rate") - before - created - changed
        self.assertEqual(len(ended), 1)
        self.assertEqual(ended.record_count, 3)
        lines.write({"note": "not audited"})
        self.assertEqual(
            len(self._rows("rate", "agency.rate") - before), 3, "notes are not terms"
        )

    def test_engagement_terms(self):
        before = self._rows("terms", "agency.engagement")
        self.engagement.with_user(self.users["billing"]).write(
            {"cap_amount": 5000.0, "rounding_increment": "30"}
        )
        row = self._rows("terms", "agency.engagement") - before
        self.assertEqual(len(row), 1)
        self.assertIn("5000", row.new_value)
        self.engagement.name = "Acme renamed"
        self.assertEqual(self._rows("terms", "agency.engagement") - before, row)

    def test_review_invoice_and_export(self):
        for _index in range(3):
            self.approved(2.0)
        run = self.new_run()
        before = self.env["agency.audit"].search([])
        self.review_and_invoice(run)
        rows = self.env["agency.audit"].search([]) - before
        reviewed = rows.filtered(
            lambda r: (
                r.operation == "decision" and r.res_model == "agency.billing.run.line"
            )
        )
        self.assertEqual(len(reviewed), 1)
        invoiced = rows.filtered(
            lambda r: r.operation == "decision" and r.res_model == "account.move"
        )
        self.assertEqual(len(invoiced), 1)
        self.assertEqual(invoiced.res_id, run.invoice_ids[:1].id)
        run.with_user(self.biller).action_export_xlsx()
        export = self._rows("export", "agency.billing.run")
        self.assertEqual(len(export), 1)
        self.assertEqual(export.res_id, run.id)
        self.assertEqual(export.user_id, self.biller)
