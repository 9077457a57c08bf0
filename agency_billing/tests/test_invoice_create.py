"""A billing run creates its invoices empty, then all their lines in one
create (models/invoice_create.py): the invoices must be exactly those stock
makes in one step from the same lines — same journal items (accounts,
partners, taxes, amounts, due dates), same totals, not marked as modified by
hand — with a 30-day payment term, a 15 % tax and a weekend line beside the
weekday one and the discount line."""

from odoo import Command
from odoo.tests import tagged

from .common import BillingCase

MONDAY, SATURDAY = "2026-03-02", "2026-03-07"


@tagged("post_install", "-at_install")
class TestInvoiceCreate(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.tax = env["account.tax"].create(
            {"name": "Agency VAT 15 %", "amount": 15.0, "type_tax_use": "sale"}
        )
        cls.engagement.product_id.taxes_id = cls.tax
        cls.term = env["account.payment.term"].create(
            {
                "name": "30 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 30}
                    )
                ],
            }
        )
        cls.engagement.write(
            {
                "payment_term_id": cls.term.id,
                "discount_percent": 10.0,
                "multiplier_ids": [Command.create({"kind": "weekend", "factor": 1.5})],
            }
        )

    @staticmethod
    def items(move):
        """Its journal items as comparable tuples (sorted)."""
        return sorted(
            (
                line.display_type,
                line.account_id.id,
                line.partner_id.id,
                line.name or "",
                tuple(line.tax_ids.ids),
                round(line.balance, 2),
                round(line.amount_currency, 2),
                round(line.price_subtotal, 2),
                str(line.date_maturity or ""),
            )
            for line in move.line_ids
        )

    def test_same_invoice_as_stock_makes_in_one_step(self):
        self.approved(2.0, day=MONDAY)
        self.approved(3.0, day=SATURDAY, employee=self.paula)
        invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(len(invoice), 1)
        self.assertEqual(len(invoice.invoice_line_ids), 3)  # weekday, weekend, 10 %
        # 200 + 450 = 650, less 10 %: 585 untaxed, 87.75 tax
        self.assertEqual(invoice.amount_untaxed, 585.0)
        self.assertEqual(invoice.amount_tax, 87.75)
        self.assertEqual(invoice.amount_total, 672.75)
        self.assertFalse(invoice.is_manually_modified)
        self.assertEqual(str(invoice.invoice_date_due), "2026-05-01")
        commercial = invoice.commercial_partner_id
        self.assertEqual(invoice.line_ids.partner_id, commercial)
        self.assertEqual(
            sorted(invoice.line_ids.mapped("display_type")),
            ["payment_term", "product", "product", "product", "tax"],
        )
        # the same lines given to stock in one create
        stock = (
            self.env["account.move"]
            .with_company(invoice.company_id)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": invoice.partner_id.id,
                    "currency_id": invoice.currency_id.id,
                    "invoice_date": invoice.invoice_date,
                    "invoice_payment_term_id": self.term.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "sequence": line.sequence,
                                "product_id": line.product_id.id,
                                "product_uom_id": line.product_uom_id.id,
                                "name": line.name,
                                "quantity": line.quantity,
                                "price_unit": line.price_unit,
                            }
                        )
                        for line in invoice.invoice_line_ids
                    ],
                }
            )
        )
        self.assertEqual(self.items(invoice), self.items(stock))
        for field in (
            "amount_untaxed",
            "amount_tax",
            "amount_total",
            "amount_residual",
        ):
            self.assertEqual(invoice[field], stock[field], field)
        self.assertEqual(invoice.invoice_date_due, stock.invoice_date_due)
        self.assertEqual(invoice.journal_id, stock.journal_id)
        # it posts like any invoice
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_residual, 672.75)

    def test_batch_of_two_engagements(self):
        """Two engagements' invoices in one batch: each gets its own lines,
        tax line and payment term line, nothing crosses."""
        bright = self.env["agency.engagement"].create(
            {
                "name": "Bright T&M",
                "partner_id": self.bright.id,
                "user_id": self.biller.id,
                "grouping": "project",
                "payment_term_id": self.term.id,
            }
        )
        self.bright_project.agency_engagement_id = bright
        self.approved(2.0, day=MONDAY)
        self.approved(1.0, day=MONDAY, project_id=self.bright_project.id, task_id=False)
        run = self.new_run(engagement_ids=[Command.set((self.engagement | bright).ids)])
        invoices = self.review_and_invoice(run)
        self.assertEqual(len(invoices), 2)
        by_partner = {move.partner_id: move for move in invoices}
        acme, other = by_partner[self.acme], by_partner[self.bright]
        self.assertEqual(acme.amount_untaxed, 180.0)  # 200 less 10 %
        self.assertEqual(other.amount_untaxed, 100.0)
        self.assertEqual(acme.amount_tax, 27.0)
        self.assertEqual(other.amount_tax, 15.0)
        for move in invoices:
            self.assertEqual(move.line_ids.partner_id, move.commercial_partner_id)
            kinds = move.line_ids.mapped("display_type")
            self.assertEqual(kinds.count("payment_term"), 1, move.name)
            self.assertEqual(kinds.count("tax"), 1, move.name)
            self.assertFalse(move.is_manually_modified)
