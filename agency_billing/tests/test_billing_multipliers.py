"""Rate multipliers end to end: weekend, public holiday and rush work billed
at a multiple of the found rate, on their own invoice lines with the label,
in the entry's "why this rate"; combined with rounding scopes; credit notes
and re-billing; the refusals. Cost never changes."""

import re

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import BillingCase
from .test_billing_xlsx import read_workbook

MONDAY, WEDNESDAY, SATURDAY = "2026-03-02", "2026-03-04", "2026-03-07"


@tagged("post_install", "-at_install")
class TestBillingMultipliers(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engagement.write(
            {
                "grouping": "project",
                "multiplier_ids": [
                    (0, 0, {"kind": "weekend", "factor": 1.5}),
                    (0, 0, {"kind": "rush", "factor": 2.0}),
                    (
                        0,
                        0,
                        {"kind": "holiday", "factor": 1.25, "label": "Bank holiday"},
                    ),
                ],
            }
        )

    def lines_by_price(self, invoice):
        return {line.price_unit: line for line in invoice.invoice_line_ids}

    def test_weekend_own_line_with_label(self):
        """2 h on Monday at 100, 2 h on Saturday at 100 × 1.5: 200 + 300."""
        monday = self.approved(2.0, day=MONDAY)
        saturday = self.approved(2.0, day=SATURDAY)
        run = self.new_run()
        invoice = self.review_and_invoice(run)
        lines = self.lines_by_price(invoice)
        self.assertEqual(set(lines), {100.0, 150.0})
        self.assertIn("Weekend ×1.5", lines[150.0].name)
        self.assertNotIn("×", lines[100.0].name)
        self.assertEqual(invoice.amount_untaxed, 500.0)
        self.assertEqual(saturday.agency_billed_amount, 300.0)
        self.assertEqual(saturday.agency_bill_rate, 100.0)  # the card's rate kept
        self.assertEqual(saturday.agency_cost, monday.agency_cost)  # cost unchanged
        self.assertIn("Weekend ×1.5", saturday.agency_rate_reason)
        self.assertFalse(monday.agency_multiplier_label)
        # the run's spreadsheet carries the multiplier and the rounding
        action = run.with_user(self.biller).action_export_xlsx()
        attachment_id = int(re.search(r"/web/content/(\d+)", action["url"]).group(1))
        sheets = read_workbook(self.env["ir.attachment"].browse(attachment_id).raw)
        header, *rows = sheets["Entries"]
        col = {title: header.index(title) for title in header}
        rows = [row for row in rows if row[col["Date"]]]  # not the totals
        self.assertEqual(len(rows), 2)
        by_multiplier = {row[col["Multiplier"]] or "" for row in rows}
        self.assertEqual(by_multiplier, {"", "Weekend ×1.5"})
        self.assertTrue(
            all("Rounded per entry" in row[col["Rounding"]] for row in rows)
        )

    def test_rush_by_a_producer_wins_over_weekend(self):
        """A rush Saturday: ×2 (the highest), not ×3 (never compounded)."""
        entry = self.entry(1.0, day=SATURDAY)
        with self.assertRefused(UserError, "Only producers mark time as rush"):
            entry.with_user(self.users["user"]).action_agency_mark_rush()
        with self.assertRefused(UserError, "set by Submit, Approve"):
            entry.with_user(self.users["producer"]).write({"agency_rush": True})
        entry.with_user(self.users["producer"]).action_agency_mark_rush()
        self.assertTrue(entry.agency_rush)
        entry.sudo().write({"approval_state": "approved"})
        invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(invoice.invoice_line_ids.price_unit, 200.0)
        self.assertIn("Rush ×2", invoice.invoice_line_ids.name)
        self.assertEqual(entry.agency_multiplier, 2.0)

    def test_public_holiday(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Bank holiday",
                "date_from": f"{WEDNESDAY} 00:00:00",
                "date_to": f"{WEDNESDAY} 23:59:59",
                "company_id": self.env.company.id,
            }
        )
        entry = self.approved(2.0, day=WEDNESDAY)
        invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(invoice.invoice_line_ids.price_unit, 125.0)
        self.assertIn("Bank holiday ×1.25", entry.agency_rate_reason)

    def test_combined_with_person_day_rounding_and_minimum(self):
        """Per person-day, nearest 15, minimum 15: Saturday 5 (counts 15) +
        20 min = 35 -> 30 min = 0.50 h at 150, shared 900:1200 -> 21.43 +
        28.57 -> 21 + 28, the unit left to the larger remainder: 0.21 + 0.29;
        Monday 20 min -> 15 = 0.25 h at 100. 75 + 25 = 100."""
        self.engagement.write(
            {
                "rounding_scope": "person_day",
                "rounding_increment": "15",
                "rounding_method": "nearest",
                "rounding_minimum": 15,
            }
        )
        first = self.approved(5 / 60, day=SATURDAY)
        second = self.approved(20 / 60, day=SATURDAY)
        monday = self.approved(20 / 60, day=MONDAY)
        invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(
            (first.agency_billed_hours, second.agency_billed_hours), (0.21, 0.29)
        )
        self.assertEqual(monday.agency_billed_hours, 0.25)
        lines = self.lines_by_price(invoice)
        self.assertEqual(lines[150.0].quantity, 0.5)
        self.assertEqual(lines[100.0].quantity, 0.25)
        self.assertEqual(invoice.amount_untaxed, 100.0)

    def test_credit_note_and_rebilling(self):
        self.approved(2.0, day=SATURDAY)
        invoice = self.review_and_invoice(self.new_run())
        invoice.action_post()
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "client dispute"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        self.assertEqual(refund.amount_untaxed, 300.0)
        refund.action_post()
        again = self.review_and_invoice(self.new_run())
        self.assertEqual(again.amount_untaxed, 300.0)
        self.assertIn("Weekend ×1.5", again.invoice_line_ids.name)

    def test_refusals(self):
        Multiplier = self.env["agency.rate.multiplier"]
        for factor in (0.0, -1.0):
            with self.assertRefused(ValidationError, "must be above 0"):
                Multiplier.create(
                    {"engagement_id": self.engagement.id, "kind": "outside_hours",
                     "factor": factor}
                )  # fmt: skip
        with self.assertRefused(ValidationError, "two weekend multipliers"):
            Multiplier.create(
                {"engagement_id": self.engagement.id, "kind": "weekend",
                 "factor": 2.0, "date_from": "2026-06-01"}
            )  # fmt: skip
        with self.assertRefused(ValidationError, "ends before it starts"):
            Multiplier.create(
                {"engagement_id": self.engagement.id, "kind": "outside_hours",
                 "factor": 1.2, "date_from": "2026-06-01", "date_to": "2026-05-01"}
            )  # fmt: skip
        self.assertEqual(len(self.engagement.multiplier_ids), 3)

    def test_analytic_distribution_as_stock(self):
        """The run answers stock's per-line distribution look-ups from memory:
        the client's and the product's distribution models still land on
        every line (the weekend line, the weekday line, the discount line),
        one whose account prefix or partner does not match still does not,
        and a model added after a run reaches the next run's invoice."""
        Plan = self.env["account.analytic.plan"]
        Account = self.env["account.analytic.account"]
        Model = self.env["account.analytic.distribution.model"]
        clients, products, other = (
            Plan.create({"name": name}) for name in ("Clients", "Products", "Other")
        )
        client_account = Account.create({"name": "Acme", "plan_id": clients.id})
        product_account = Account.create({"name": "Time", "plan_id": products.id})
        other_account = Account.create({"name": "Other", "plan_id": other.id})
        partner = self.engagement.partner_id.commercial_partner_id
        product = self.engagement.product_id
        Model.create(
            [
                {
                    "partner_id": partner.id,
                    "analytic_distribution": {str(client_account.id): 100},
                },
                {
                    "product_id": product.id,
                    "analytic_distribution": {str(product_account.id): 100},
                },
                {
                    "product_id": product.id,
                    "account_prefix": "ZZZ",
                    "analytic_distribution": {str(other_account.id): 100},
                },
                {
                    "partner_id": self.env["res.partner"].create({"name": "X"}).id,
                    "analytic_distribution": {str(other_account.id): 100},
                },
            ]
        )
        self.engagement.discount_percent = 10.0
        self.approved(2.0, day=MONDAY)
        self.approved(2.0, day=SATURDAY)
        invoice = self.review_and_invoice(self.new_run())
        expected = {str(client_account.id): 100, str(product_account.id): 100}
        lines = invoice.invoice_line_ids
        self.assertEqual(len(lines), 3)  # weekday, weekend, discount
        self.assertEqual(invoice.amount_untaxed, 450.0)
        for line in lines:
            self.assertEqual(line.analytic_distribution, expected, line.name)
        # the memory is gone with the run: a new model is found by the next
        Model.create(
            {
                "partner_id": partner.id,
                "product_id": product.id,
                "analytic_distribution": {str(other_account.id): 100},
            }
        )
        self.approved(1.0, day=WEDNESDAY)
        again = self.review_and_invoice(self.new_run())
        expected[str(other_account.id)] = 100
        for line in again.invoice_line_ids:
            self.assertEqual(line.analytic_distribution, expected, line.name)
