"""Invoices print: the PDF of an invoice made by a billing run, and its email.

Odoo renders reports as HTML in test mode; ``force_report_rendering`` makes it
run wkhtmltopdf as in production (``make test`` installs Debian's wkhtmltopdf,
so this test never skips for want of it). The text is read back from the PDF.
TestInvoicePdf builds its own billing run (fixed dates); TestDemoInvoicePdf
prints the demo agency's invoices as Bruno (Billing), as `make demo` shows them.
"""

import base64
import io

from PyPDF2 import PdfReader

from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from .common import BillingCase

RECEIPTS = {"Taxi to the shoot": 42.5, "Poster proofs": 180.0}


def pdf_text(content):
    """The text of every page of a PDF (bytes), runs of white space as one
    space (wkhtmltopdf's PDFs come out with tabs between words)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@tagged("post_install", "-at_install")
class TestInvoicePdf(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.acme.write({"email": "accounts@acme.example", "lang": "en_US"})
        cls.engagement.expense_markup = 10.0
        # Time: 1.1 h bills 1.25 h (15 minutes, up) and 2 h as it is, on the
        # Key visual task; 0.5 h on the web project's Landing page.
        cls.approved(1.1, day="2026-03-02")
        cls.approved(2.0, day="2026-03-03")
        cls.approved(
            0.5, day="2026-03-04", project_id=cls.acme_web.id, task_id=cls.web_task.id
        )
        travel = env["product.product"].create(
            {
                "name": "PDF Travel",
                "type": "service",
                "can_be_expensed": True,
                "standard_price": 0.0,
                "supplier_taxes_id": [(5, 0, 0)],
            }
        )
        cls.expenses = env["hr.expense"]
        for name, amount in RECEIPTS.items():
            expense = env["hr.expense"].create(
                {
                    "name": name,
                    "employee_id": cls.dani.id,
                    "product_id": travel.id,
                    "total_amount_currency": amount,
                    "date": "2026-03-10",
                    "agency_project_id": cls.project.id,
                    "agency_rebill": True,
                }
            )
            env["ir.attachment"].create(
                {
                    "name": f"{name} receipt.pdf",
                    "raw": f"%PDF-1.4 receipt of {name}".encode(),
                    "mimetype": "application/pdf",
                    "res_model": "hr.expense",
                    "res_id": expense.id,
                }
            )
            cls.expenses |= expense
        sheet = env["hr.expense.sheet"].create(
            {
                "name": "PDF expenses",
                "employee_id": cls.dani.id,
                "expense_line_ids": [(6, 0, cls.expenses.ids)],
            }
        )
        sheet.action_submit_sheet()
        sheet.action_approve_expense_sheets()

    def setUp(self):
        super().setUp()
        self.assertTrue(
            config["test_enable"] or config["test_file"],
            "Odoo must run in test mode here, or force_report_rendering means nothing",
        )
        invoices = self.review_and_invoice(self.new_run())
        self.assertEqual(len(invoices), 1)
        self.invoice = invoices
        self.invoice.action_post()

    def test_invoice_pdf_shows_the_billed_hours(self):
        invoice = self.invoice
        lines = invoice.invoice_line_ids.sorted("sequence")
        hours = lines.filtered("agency_entry_ids")
        self.assertEqual(sorted(hours.mapped("quantity")), [0.5, 3.25])
        self.assertEqual(invoice.amount_untaxed, 325.0 + 50.0 + 46.75 + 198.0)
        content, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", invoice.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"), "wkhtmltopdf made no PDF")
        text = pdf_text(content)
        for expected in (
            "Acme Invoice",  # the client, then the title
            invoice.name,
            invoice.invoice_origin,  # the billing run
            # the time, one line per task: billed hours (1.25 + 2), unit, rate
            "Test Campaign — Key visual 2 entries",
            "3.25 Hours 100.00",
            "325.00",
            "Acme Web — Landing page 1 entry",
            "0.50 Hours 100.00",
            "50.00",
            # the expenses re-billed, with their markup
            "Taxi to the shoot — Agency user",
            "42.50 + 10% markup",
            "46.75",
            "Poster proofs — Agency user",
            "180.00 + 10% markup",
            "198.00",
            "Untaxed Amount",
            "619.75",
        ):
            self.assertIn(expected, text, f"{expected!r} is not on the PDF:\n{text}")

    def test_send_attaches_the_pdf_and_the_receipts(self):
        invoice = self.invoice
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(
                force_report_rendering=True,
                active_model="account.move",
                active_ids=invoice.ids,
            )
            .create({"sending_methods": ["email"]})
        )
        offered = {item["name"] for item in wizard.mail_attachments_widget}
        receipts = {f"{name} receipt.pdf" for name in RECEIPTS}
        self.assertLessEqual(receipts, offered)
        wizard.action_send_and_print()
        message = invoice.message_ids.filtered(
            lambda m: m.message_type == "comment" and m.attachment_ids
        )[:1]
        self.assertTrue(message, "Send posted no email with attachments")
        names = set(message.attachment_ids.mapped("name"))
        pdf_name = invoice._get_invoice_report_filename()
        self.assertEqual(names, receipts | {pdf_name})
        self.assertTrue(invoice.is_move_sent)
        # The PDF sent is the printed invoice, made by wkhtmltopdf.
        sent_pdf = message.attachment_ids.filtered(lambda a: a.name == pdf_name)
        content = base64.b64decode(sent_pdf.datas)
        self.assertTrue(content.startswith(b"%PDF"))
        text = pdf_text(content)
        self.assertIn(invoice.name, text)
        self.assertIn("3.25", text)
        self.assertIn("Poster proofs", text)


@tagged("post_install", "-at_install")
class TestDemoInvoicePdf(TransactionCase):
    """What `make demo` shows Bruno (Billing): the invoices of the demo's
    billing runs print, and the Dune expenses go out with their receipts."""

    def setUp(self):
        super().setUp()
        self.bruno = self.env.ref("agency_demo.user_bruno", raise_if_not_found=False)
        self.assertTrue(
            self.bruno,
            "The demo agency is missing: make test installs the add-ons with their "
            "demo data.",
        )

    def render(self, invoice):
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.bruno)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", invoice.ids)
        )
        self.assertEqual(kind, "pdf")
        return pdf_text(content)

    def test_bruno_prints_an_invoice_of_time(self):
        invoice = (
            self.env["account.move"]
            .with_user(self.bruno)
            .search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("invoice_line_ids.agency_entry_ids", "!=", False),
                ],
                limit=1,
            )
        )
        self.assertTrue(invoice, "the demo has no posted invoice of billed time")
        text = self.render(invoice)
        self.assertIn(invoice.partner_id.name, text)
        for line in invoice.invoice_line_ids.filtered("agency_entry_ids"):
            label = " ".join(line.name.splitlines()[0].split())
            self.assertIn(label, text)
            self.assertIn(f"{line.quantity:.2f} {line.product_uom_id.name}", text)

    def test_bruno_sends_the_dune_expenses_with_their_receipts(self):
        invoice = self.env.ref("agency_demo.invoice_dune_expenses").with_user(
            self.bruno
        )
        text = self.render(invoice)
        self.assertIn("Dune Museum", text)
        self.assertIn("Taxi to the museum shoot", text)
        self.assertIn("Poster proofs", text)
        wizard = (
            self.env["account.move.send.wizard"]
            .with_user(self.bruno)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        self.assertLessEqual(
            {"Taxi to the museum shoot receipt.pdf", "Poster proofs receipt.pdf"},
            {item["name"] for item in wizard.mail_attachments_widget},
        )
