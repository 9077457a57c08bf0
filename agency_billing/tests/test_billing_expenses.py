import base64
from decimal import Decimal

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from ..models.billing_rules import marked_up
from ..models.hr_expense import expense_lines
from .common import BillingCase


@tagged("post_install", "-at_install")
class TestExpenseRules(TransactionCase):
    """The pure rules: markup and invoice lines of expenses."""

    def test_marked_up(self):
        self.assertEqual(marked_up(200.0, 10.0), Decimal("220.00"))
        self.assertEqual(marked_up(10.05, 15.0), Decimal("11.56"))  # 11.5575
        self.assertEqual(marked_up(99.99, 0.0), Decimal("99.99"))
        self.assertEqual(marked_up(1000, 12.5, digits=0), Decimal(1125))

    def test_expense_lines(self):
        facts = [
            {"id": 1, "category": "travel", "cost": 100.0, "markup": 10.0},
            {"id": 2, "category": "meals", "cost": 30.0, "markup": 0.0},
            {"id": 3, "category": "travel", "cost": 50.0, "markup": 10.0},
        ]
        each = expense_lines(facts, "expense")
        self.assertEqual([line.ids for line in each], [[1], [2], [3]])
        self.assertEqual([line.price for line in each], [110, 30, 55])
        grouped = expense_lines(facts, "category")
        self.assertEqual([line.ids for line in grouped], [[1, 3], [2]])
        self.assertEqual(grouped[0].cost, Decimal(150))
        self.assertEqual(grouped[0].price, Decimal("165.00"))
        self.assertEqual(grouped[1].price, Decimal("30.00"))
        self.assertEqual(expense_lines([], "category"), [])


@tagged("post_install", "-at_install")
class TestBillingExpenses(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Product = env["product.product"]
        cls.travel = Product.create(
            {
                "name": "Test Travel",
                "type": "service",
                "can_be_expensed": True,
                "standard_price": 0.0,
                "supplier_taxes_id": [(5, 0, 0)],
            }
        )
        cls.meals = Product.create(
            {
                "name": "Test Meals",
                "type": "service",
                "can_be_expensed": True,
                "standard_price": 0.0,
                "supplier_taxes_id": [(5, 0, 0)],
            }
        )
        cls.usd = cls.company.currency_id
        cls.other = (
            env.ref("base.EUR")
            if cls.usd != env.ref("base.EUR")
            else env.ref("base.USD")
        )
        cls.other.active = True
        env["res.currency.rate"].search([("currency_id", "=", cls.other.id)]).unlink()
        env["res.currency.rate"].create(
            [
                {"currency_id": cls.other.id, "name": "2026-03-01", "rate": 0.8},
                {"currency_id": cls.other.id, "name": "2026-03-31", "rate": 0.5},
            ]
        )

    @classmethod
    def expense(
        cls, amount, day="2026-03-10", receipt=b"receipt", approve=True, **vals
    ):
        """An expense of dani re-billed on the Acme project, with a receipt,
        approved the way Odoo does (a report submitted and approved)."""
        expense = cls.env["hr.expense"].create(
            {
                "name": vals.pop("name", "Taxi to the shoot"),
                "employee_id": cls.dani.id,
                "product_id": vals.pop("product", cls.travel).id,
                "total_amount_currency": amount,
                "date": day,
                "agency_project_id": cls.project.id,
                "agency_rebill": True,
                **vals,
            }
        )
        if receipt:
            cls.attach(expense, receipt)
        if approve:
            cls.approve(expense)
        return expense

    @classmethod
    def attach(cls, expense, content):
        return cls.env["ir.attachment"].create(
            {
                "name": f"receipt-{expense.id}.pdf",
                "datas": base64.b64encode(content),
                "res_model": "hr.expense",
                "res_id": expense.id,
            }
        )

    @classmethod
    def approve(cls, expenses):
        sheet = cls.env["hr.expense.sheet"].create(
            {
                "name": "March expenses",
                "employee_id": expenses.employee_id.id,
                "expense_line_ids": [(6, 0, expenses.ids)],
            }
        )
        sheet.action_submit_sheet()
        sheet.action_approve_expense_sheets()
        return sheet

    def checks(self, run, code):
        return run.check_ids.filtered(lambda c: c.code == code)

    def test_markup_engagement_and_category_on_invoice(self):
        self.engagement.expense_markup = 10.0
        # taxis follow the engagement (10 %); meals have their own markup: 0 %
        self.meals.agency_expense_markup_set = True
        self.approved(1.0)
        taxi = self.expense(200.0, day="2026-03-10")
        lunch = self.expense(50.0, day="2026-03-12", name="Lunch", product=self.meals)
        later = self.expense(80.0, day="2026-04-02")  # after the period
        draft = self.expense(70.0, approve=False)  # not approved
        run = self.new_run()
        run.action_collect()
        self.assertEqual(run.line_ids.expense_ids, taxi | lunch)
        self.assertEqual(taxi.agency_run_id, run)
        self.assertFalse(later.agency_run_id)
        self.assertFalse(draft.agency_run_id)
        self.assertEqual(run.line_ids.amount, 100.0 + 220.0 + 50.0)
        invoice = self.review_and_invoice(run)
        self.assertEqual(invoice.amount_untaxed, 370.0)
        lines = invoice.invoice_line_ids.sorted("sequence")
        self.assertEqual(len(lines), 3)  # time, then one line per expense
        self.assertEqual(lines[1].price_unit, 220.0)
        self.assertEqual(lines[1].product_id, self.travel)
        self.assertIn("Taxi to the shoot", lines[1].name)
        self.assertIn("+ 10% markup", lines[1].name)
        self.assertEqual(lines[2].price_unit, 50.0)
        self.assertNotIn("markup", lines[2].name)
        self.assertEqual(taxi.agency_invoice_line_id, lines[1])
        self.assertEqual(lunch.agency_invoice_line_id, lines[2])
        self.assertEqual(run.state, "done")

    def test_expenses_alone_and_net_of_recoverable_tax(self):
        """An engagement with only expenses gets an invoice; an expense bills
        its cost without the tax the company recovers."""
        tax = self.env["account.tax"].create(
            {
                "name": "Test purchase 15% incl.",
                "type_tax_use": "purchase",
                "amount": 15.0,
                "price_include_override": "tax_included",
            }
        )
        self.expense(115.0, tax_ids=[(6, 0, tax.ids)])
        invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(invoice.invoice_line_ids.price_unit, 100.0)

    def test_receipts_attached_to_invoice(self):
        taxi = self.expense(40.0, receipt=b"taxi receipt")
        hotel = self.expense(300.0, name="Hotel", receipt=b"hotel receipt")
        # the same ticket scanned on two expenses reaches the invoice once
        shared = self.expense(20.0, name="Parking", receipt=b"taxi receipt")
        invoice = self.review_and_invoice(self.new_run())
        receipts = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )
        expected = (taxi | hotel | shared).attachment_ids
        self.assertEqual(
            sorted(set(receipts.mapped("checksum"))),
            sorted(set(expected.mapped("checksum"))),
        )
        self.assertEqual(len(receipts), 2)
        self.assertIn(f"receipt-{taxi.id}.pdf", receipts.mapped("name"))
        # the receipts stay on the expenses too
        self.assertEqual(len(taxi.attachment_ids), 1)
        # and go with the invoice's email by default
        invoice.action_post()
        widget = self.env["account.move.send"]._get_default_mail_attachments_widget(
            invoice, self.env.ref("account.email_template_edi_invoice")
        )
        self.assertEqual(
            {item["id"] for item in widget if not item.get("placeholder")},
            set(receipts.ids),
        )

    def test_grouping_by_category(self):
        self.engagement.write({"expense_grouping": "category", "expense_markup": 10.0})
        first = self.expense(100.0, day="2026-03-03")
        lunch = self.expense(30.0, day="2026-03-04", name="Lunch", product=self.meals)
        second = self.expense(50.0, day="2026-03-05", name="Train")
        invoice = self.review_and_invoice(self.new_run())
        lines = invoice.invoice_line_ids.sorted("sequence")
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines[0].product_id, self.travel)
        self.assertEqual(lines[0].price_unit, 165.0)
        self.assertIn("2 expenses", lines[0].name)
        self.assertIn("Train", lines[0].name)
        self.assertEqual(lines[1].price_unit, 33.0)
        self.assertEqual((first | second).agency_invoice_line_id, lines[0])
        self.assertEqual(lunch.agency_invoice_line_id, lines[1])
        self.assertEqual(invoice.amount_untaxed, 198.0)

    def test_check_expense_without_receipt(self):
        clean = self.expense(40.0)
        run = self.new_run()
        run.action_collect()
        self.assertFalse(
            run.check_ids.filtered(lambda c: c.code.startswith("expense_")),
            "a re-billed expense with its receipt, in the invoice currency, "
            "under its limit raises no check",
        )
        bare = self.expense(60.0, name="Courier", receipt=None)
        run.action_collect()
        check = self.checks(run, "expense_receipt")
        self.assertEqual(check.severity, "blocking")
        self.assertIn("Courier", check.message)
        self.assertNotIn(clean.name, check.message)
        with self.assertRefused(UserError, "blocking checks open"):
            run.line_ids.with_user(self.biller).action_mark_reviewed()
        self.attach(bare, b"courier receipt")
        run.action_check()
        self.assertFalse(self.checks(run, "expense_receipt"))

    def test_check_expense_above_category_limit(self):
        self.travel.agency_expense_limit = 150.0
        self.expense(100.0, name="Train")
        run = self.new_run()
        run.action_collect()
        self.assertFalse(self.checks(run, "expense_limit"))
        self.expense(200.0, name="Flight")
        run.action_collect()
        check = self.checks(run, "expense_limit")
        self.assertEqual(check.severity, "warning")
        self.assertIn("Flight", check.message)
        self.assertNotIn("Train", check.message)
        self.assertIn("150.00", check.message)
        check.with_user(self.biller).action_acknowledge()
        self.assertEqual(check.state, "acknowledged")

    def test_expense_in_other_currency_converted_at_its_date(self):
        # 1 USD = 0.8 EUR from 1 March, 0.5 EUR from 31 March (invoice: 1 April)
        expense = self.expense(100.0, currency_id=self.other.id, day="2026-03-10")
        self.assertAlmostEqual(expense.total_amount, 125.0)
        run = self.new_run()
        run.action_collect()
        check = self.checks(run, "expense_currency")
        self.assertEqual(check.severity, "warning")
        self.assertIn("100.00", check.message)
        self.assertIn("125.00", check.message)
        invoice = self.review_and_invoice(run)
        line = invoice.invoice_line_ids
        self.assertEqual(line.price_unit, 125.0)  # not 200 at the invoice date
        self.assertIn("100.00", line.name)
        self.assertIn("125.00", line.name)

    def test_engagement_in_other_currency(self):
        """An engagement invoicing in EUR: an expense in EUR bills its own
        amount; one in the company's USD is converted at its date."""
        self.engagement.currency_id = self.other
        in_eur = self.expense(90.0, currency_id=self.other.id, name="Print shop")
        in_usd = self.expense(100.0, day="2026-03-10", name="Props")
        run = self.new_run()
        run.action_collect()
        check = self.checks(run, "expense_currency")
        self.assertIn("Props", check.message)
        self.assertNotIn("Print shop", check.message)
        invoice = self.review_and_invoice(run)
        self.assertEqual(invoice.currency_id, self.other)
        self.assertEqual(in_eur.agency_invoice_line_id.price_unit, 90.0)
        self.assertEqual(in_usd.agency_invoice_line_id.price_unit, 80.0)

    def test_never_twice(self):
        held = self.expense(40.0)
        first = self.new_run()
        first.action_collect()
        other = self.new_run()
        with self.assertRefused(UserError, "Nothing to bill"):
            other.action_collect()
        self.assertEqual(held.agency_run_id, first)
        # a cancelled run lets go of what it held
        first.action_cancel()
        second = self.new_run()
        invoice = self.review_and_invoice(second)
        self.assertEqual(held.agency_invoice_line_id.move_id, invoice)
        with self.assertRefused(UserError, "Nothing to bill"):
            self.new_run().action_collect()

    def test_credit_note_frees_expense(self):
        expense = self.expense(40.0)
        invoice = self.review_and_invoice(self.new_run())
        invoice.action_post()
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "wrong client"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        self.assertTrue(expense.agency_invoice_line_id)
        refund.action_post()
        self.assertFalse(expense.agency_invoice_line_id)
        self.assertFalse(expense.agency_run_id)
        again = self.review_and_invoice(self.new_run())
        self.assertEqual(expense.agency_invoice_line_id.move_id, again)

    def test_cancel_draft_invoice_frees_expense(self):
        expense = self.expense(40.0)
        invoice = self.review_and_invoice(self.new_run())
        invoice.button_cancel()
        self.assertFalse(expense.agency_invoice_line_id)
        self.assertFalse(expense.agency_run_id)
        self.assertEqual(len(self.review_and_invoice(self.new_run())), 1)

    def test_unticking_rebill_lets_the_run_go(self):
        expense = self.expense(40.0)
        run = self.new_run()
        run.action_collect()
        self.assertEqual(expense.agency_run_id, run)
        expense.agency_rebill = False
        self.assertFalse(expense.agency_run_id)

    def test_bad_input(self):
        Expense = self.env["hr.expense"]
        before = Expense.search_count([])
        with self.assertRefused(ValidationError, "has no project.*untick Re-bill"):
            Expense.create(
                {
                    "name": "Mystery cab",
                    "employee_id": self.dani.id,
                    "product_id": self.travel.id,
                    "total_amount_currency": 30.0,
                    "agency_rebill": True,
                }
            )
        self.assertEqual(Expense.search_count([]), before)
        with self.assertRefused(
            ValidationError, "Studio Internal.* is on no engagement"
        ):
            Expense.create(
                {
                    "name": "Team lunch",
                    "employee_id": self.dani.id,
                    "product_id": self.travel.id,
                    "total_amount_currency": 30.0,
                    "agency_project_id": self.internal.id,
                    "agency_rebill": True,
                }
            )
        with self.assertRefused(
            ValidationError, "markup and re-billing limit cannot be negative"
        ):
            self.travel.agency_expense_markup = -5.0

    def test_invoiced_expense_is_locked(self):
        expense = self.expense(40.0)
        self.review_and_invoice(self.new_run())
        manager = self.env.ref("base.user_admin")
        for vals in (
            {"total_amount_currency": 50.0},
            {"date": "2026-03-11"},
            {"agency_project_id": self.acme_web.id},
            {"agency_rebill": False},
        ):
            with self.assertRefused(UserError, "re-billed on invoice .*credit note"):
                expense.with_user(manager).write(vals)
        expense.sheet_id.sudo().action_reset_expense_sheets()
        with self.assertRefused(UserError, "re-billed on invoice"):
            expense.with_user(manager).unlink()
        self.assertEqual(expense.total_amount_currency, 40.0)

    def test_who_sees_what(self):
        expense = self.expense(40.0)
        run = self.new_run()
        run.action_collect()
        # Billing reads the held expenses (not its own) on the run's screen
        line = run.line_ids.with_user(self.biller)
        many2one = {"fields": {"display_name": {}}}
        [data] = line.web_read(
            {
                "expense_ids": {
                    "fields": {
                        "date": {},
                        "employee_id": many2one,
                        "name": {},
                        "product_id": many2one,
                        "agency_project_id": many2one,
                        "nb_attachment": {},
                        "total_amount_currency": {},
                        "currency_id": many2one,
                        "total_amount": {},
                        "agency_invoice_line_id": many2one,
                    }
                }
            }
        )
        [row] = data["expense_ids"]
        self.assertEqual(row["nb_attachment"], 1)
        self.assertEqual(row["employee_id"]["display_name"], self.dani.name)
        form = expense.with_user(self.biller).web_read(
            {"sheet_id": many2one, "employee_id": many2one, "attachment_ids": {}}
        )
        self.assertTrue(form[0]["sheet_id"])
        # the person who spent it sets project and re-billing, not billing data
        mine = expense.with_user(self.users["user"])
        self.assertEqual(mine.agency_project_id, self.project)
        with self.assertRefused(AccessError, "agency_run_id|Billing Run"):
            mine.read(["agency_run_id"])

        def arch(model, view, user):
            view_id = self.env.ref(view).id
            return self.env[model].with_user(user).get_view(view_id)["arch"]

        for user in (self.users["user"], self.biller):
            billing = user == self.biller
            form = arch("hr.expense", "hr_expense.hr_expense_view_form", user)
            self.assertIn('name="agency_project_id"', form)
            self.assertIn('name="agency_rebill"', form)
            self.assertEqual('name="agency_invoice_line_id"' in form, billing)
            listing = arch(
                "hr.expense", "hr_expense.hr_expense_view_expenses_analysis_tree", user
            )
            self.assertIn('name="agency_rebill"', listing)
            category = arch(
                "product.product", "hr_expense.product_product_expense_form_view", user
            )
            self.assertEqual('name="agency_expense_limit"' in category, billing)

    def test_run_waits_for_an_engagement_with_only_expenses(self):
        bright = self.env["agency.engagement"].create(
            {
                "name": "Bright T&M",
                "partner_id": self.bright.id,
                "user_id": self.biller.id,
            }
        )
        self.bright_project.agency_engagement_id = bright
        self.approved(1.0)
        props = self.expense(
            60.0, name="Props", agency_project_id=self.bright_project.id
        )
        run = self.new_run(engagement_ids=[(6, 0, (self.engagement | bright).ids)])
        run.action_collect()
        acme_line = run.line_ids.filtered(lambda line: line.engagement_id != bright)
        bright_line = run.line_ids - acme_line
        self.assertEqual(bright_line.amount, 60.0)
        acme_line.with_user(self.biller).action_mark_reviewed()
        run.action_create_invoices()
        self.assertEqual(run.state, "review")  # Bright's expense is still to invoice
        self.assertEqual(props.agency_run_id, run)
        bright_line.with_user(self.biller).action_mark_reviewed()
        run.action_create_invoices()
        self.assertEqual(run.state, "done")
        self.assertEqual(props.agency_invoice_line_id.move_id.partner_id, self.bright)
