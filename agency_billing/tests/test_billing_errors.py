"""What goes wrong: a failure half-way through invoicing, and bad input. Each
ends with a clear message and nothing half-created."""

from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestBillingFailure(BillingCase):
    """The unit of invoicing is the engagement: one that fails is left whole
    and un-invoiced, with its error; the others are invoiced; trying again
    invoices only what is left."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bright_engagement = cls.env["agency.engagement"].create(
            {
                "name": "Bright T&M",
                "partner_id": cls.bright.id,
                "user_id": cls.biller.id,
                "rounding_increment": "15",
            }
        )
        cls.bright_project.agency_engagement_id = cls.bright_engagement
        cls.acme_entries = cls.approved(1.0) | cls.approved(
            2.0, day="2026-03-03", project_id=cls.acme_web.id, task_id=cls.web_task.id
        )
        cls.bright_entries = cls.approved(
            3.0, project_id=cls.bright_project.id, task_id=False
        ) | cls.approved(
            1.0, day="2026-03-04", project_id=cls.bright_project.id, task_id=False
        )

    def setUp(self):
        super().setUp()
        self.run = self.new_run(
            engagement_ids=[(6, 0, (self.engagement | self.bright_engagement).ids)]
        )
        self.run.action_collect()
        self.run.line_ids.with_user(self.biller).action_mark_reviewed()
        by_engagement = self.run.line_ids.grouped("engagement_id")
        self.acme_line = by_engagement[self.engagement]
        self.bright_line = by_engagement[self.bright_engagement]
        self.RunLine = type(self.env["agency.billing.run.line"])
        # invoices are planned, created (all together, or one engagement at a
        # time after a failure) and linked: a failure is injected in the plan
        # (before the invoice) or in the link (after it was made)
        self.original = self.RunLine._agency_invoice_plan
        self.original_link = self.RunLine._agency_invoice_link

    def bright_invoices(self):
        return self.env["account.move"].search([("partner_id", "=", self.bright.id)])

    def assertUntouched(self):
        self.assertEqual(self.bright_line.state, "reviewed")
        self.assertFalse(self.bright_line.invoice_ids)
        self.assertFalse(self.bright_invoices())
        for entry in self.bright_entries:
            self.assertFalse(entry.agency_invoice_line_id)
            self.assertFalse(entry.timesheet_invoice_id)
            self.assertEqual(entry.agency_run_id, self.run)

    def invoice_failing(self, fail, method="_agency_invoice_plan"):
        with patch.object(self.RunLine, method, fail):
            self.run.action_create_invoices()

    def assertRetryInvoicesOnlyBright(self):
        acme_invoice = self.acme_line.invoice_ids
        self.run.action_create_invoices()
        self.assertEqual(self.acme_line.invoice_ids, acme_invoice)
        bright_invoice = self.bright_line.invoice_ids
        self.assertEqual(len(bright_invoice), 1)
        self.assertEqual(self.bright_invoices(), bright_invoice)
        self.assertEqual(bright_invoice.amount_untaxed, 400.0)
        self.assertFalse(self.bright_line.error_message)
        self.assertEqual(self.run.state, "done")
        self.assertEqual(self.run.invoice_ids, acme_invoice | bright_invoice)
        for entry in self.acme_entries | self.bright_entries:
            self.assertEqual(len(entry.agency_invoice_line_id), 1)
        self.assertEqual(
            (self.acme_entries | self.bright_entries).agency_invoice_line_id.move_id,
            acme_invoice | bright_invoice,
        )

    def test_failure_before_the_invoice(self):
        original = self.original

        def fail(line, entry_ids=None):
            if line.engagement_id.name == "Bright T&M":
                raise UserError(line.env._("The sales journal is being reconfigured."))
            return original(line, entry_ids)

        self.invoice_failing(fail)
        acme_invoice = self.acme_line.invoice_ids
        self.assertEqual(len(acme_invoice), 1)
        self.assertEqual(acme_invoice.amount_untaxed, 300.0)
        self.assertEqual(self.acme_line.state, "invoiced")
        self.assertEqual(
            self.bright_line.error_message, "The sales journal is being reconfigured."
        )
        self.assertUntouched()
        self.assertEqual(self.run.state, "review")
        self.assertRetryInvoicesOnlyBright()

    def test_failure_after_the_invoice_was_made(self):
        """The engagement's invoice was created and its entries linked when it
        fails: the savepoint takes all of it back."""
        original = self.original_link

        def fail(line, move, plan):
            result = original(line, move, plan)
            if line.engagement_id.name == "Bright T&M":
                self.assertTrue(move.exists())
                raise UserError(line.env._("Lost the connection to the tax service."))
            return result

        self.invoice_failing(fail, "_agency_invoice_link")
        self.assertEqual(len(self.acme_line.invoice_ids), 1)
        self.assertIn("tax service", self.bright_line.error_message)
        self.assertUntouched()
        self.assertRetryInvoicesOnlyBright()

    def test_every_engagement_failing_says_why(self):
        def fail(line, entry_ids=None):
            raise UserError(
                line.env._("Cannot invoice %(name)s.", name=line.engagement_id.name)
            )

        with self.assertRefused(UserError, "Cannot invoice"):
            self.invoice_failing(fail)
        self.assertFalse(self.run.invoice_ids)
        self.assertEqual(self.run.state, "review")


@tagged("post_install", "-at_install")
class TestBillingBadInput(BillingCase):
    def test_nothing_to_bill(self):
        self.entry(2.0)  # not approved
        self.approved(1.0, day="2026-04-10")  # after the period
        run = self.new_run()
        with self.assertRefused(UserError, r"Nothing to bill for Acme T&M up to"):
            run.action_collect()
        self.assertEqual(run.state, "draft")
        self.assertFalse(run.line_ids)
        self.assertFalse(run.invoice_ids)
        self.assertFalse(
            self.env["account.move"].search([("partner_id", "=", self.acme.id)])
        )

    def test_run_without_engagement(self):
        run = self.new_run(engagement_ids=[(5, 0, 0)])
        with self.assertRefused(UserError, "has no engagement to bill"):
            run.action_collect()
        # a client without engagement is no way round it
        run.partner_ids = self.bright
        with self.assertRefused(UserError, "has no engagement to bill"):
            run.action_collect()

    def test_run_by_client(self):
        """A run for clients bills their engagements."""
        entry = self.approved(1.0)
        run = self.new_run(
            engagement_ids=[(5, 0, 0)], partner_ids=[(6, 0, self.acme_contact.ids)]
        )
        invoice = self.review_and_invoice(run)
        self.assertEqual(entry.agency_invoice_line_id.move_id, invoice)

    def test_engagement_needs_a_client_and_a_currency(self):
        Engagement = self.env["agency.engagement"]
        with self.assertRefused(ValidationError, "Engagement Nobody needs a client"):
            Engagement.create({"name": "Nobody", "partner_id": False})
        with self.assertRefused(ValidationError, "needs a currency"):
            Engagement.create(
                {"name": "Moneyless", "partner_id": self.acme.id, "currency_id": False}
            )
        with self.assertRefused(ValidationError, "Acme T&M needs a client"):
            self.engagement.partner_id = False
        with self.assertRefused(ValidationError, "Acme T&M needs a currency"):
            self.engagement.currency_id = False
        self.assertEqual(self.engagement.partner_id, self.acme)
        self.assertTrue(self.engagement.currency_id)
        # a contact is invoiced through its company
        contact = Engagement.create(
            {"name": "Via Jo", "partner_id": self.acme_contact.id}
        )
        self.assertEqual(contact.partner_id, self.acme)

    def test_rounding_increment_not_in_the_list(self):
        Engagement = self.env["agency.engagement"]
        for value in (7, "7", 0, "45", 120):
            with (
                self.subTest(value=value),
                self.assertRefused(
                    ValidationError,
                    rf"{value} minutes is not a rounding increment\. Use one of "
                    r"1, 5, 6, 10, 15, 30, 60 minutes",
                ),
            ):
                Engagement.create(
                    {
                        "name": "Odd",
                        "partner_id": self.acme.id,
                        "rounding_increment": value,
                    }
                )
        with self.assertRefused(ValidationError, "Acme T&M: 20 minutes is not"):
            self.engagement.rounding_increment = "20"
        self.assertEqual(self.engagement.rounding_increment, "15")
        # a number from an import or RPC is fine when it is in the list
        self.engagement.rounding_increment = 30
        self.assertEqual(self.engagement.rounding_increment, "30")
        with self.assertRefused(ValidationError, "rounding sideways is unknown"):
            self.engagement.rounding_method = "sideways"
        with self.assertRefused(ValidationError, "invoice lines weekly is unknown"):
            self.engagement.grouping = "weekly"

    def test_client_without_receivable_account(self):
        entry = self.approved(1.0)
        run = self.new_run()
        run.action_collect()
        run.line_ids.with_user(self.biller).action_mark_reviewed()
        self.acme.with_company(self.company).property_account_receivable_id = False
        with self.assertRefused(
            UserError,
            r"Client Acme of engagement Acme T&M has no receivable account: set one "
            r"on the client's Invoicing tab",
        ):
            run.action_create_invoices()
        self.assertFalse(run.invoice_ids)
        self.assertFalse(entry.agency_invoice_line_id)
        self.assertEqual(run.line_ids.state, "reviewed")

    def test_product_without_income_account(self):
        entry = self.approved(1.0)
        category = self.env["product.category"].create({"name": "No accounts"})
        category.with_company(self.company).property_account_income_categ_id = False
        product = self.env["product.product"].create(
            {"name": "Unaccounted time", "type": "service", "categ_id": category.id}
        )
        self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company.id)]
        ).default_account_id = False
        self.engagement.product_id = product
        run = self.new_run()
        run.action_collect()
        run.line_ids.with_user(self.biller).action_mark_reviewed()
        with self.assertRefused(
            UserError,
            r"Product Unaccounted time of engagement Acme T&M has no income "
            r"account: set one on the product",
        ):
            run.action_create_invoices()
        self.assertFalse(run.invoice_ids)
        self.assertFalse(entry.agency_invoice_line_id)

    def test_blocking_checks_stop_the_invoices(self):
        self.approved(2.0)
        run = self.new_run()
        run.action_collect()
        run.line_ids.with_user(self.biller).action_mark_reviewed()
        # a cap agreed meanwhile: the checks run again before invoicing
        self.engagement.cap_amount = 100.0
        with self.assertRefused(
            UserError, r"Blocking checks are open on Acme T&M.*No invoice was created"
        ):
            run.action_create_invoices()
        self.assertFalse(run.invoice_ids)
        self.engagement.cap_amount = 0.0
        self.assertEqual(len(self.review_and_invoice(run)), 1)

    def test_nothing_reviewed(self):
        self.approved(1.0)
        run = self.new_run()
        run.action_collect()
        with self.assertRefused(UserError, "is marked reviewed"):
            run.action_create_invoices()
        self.assertFalse(run.invoice_ids)

    def test_only_the_billing_owner_reviews(self):
        self.approved(1.0)
        run = self.new_run()
        run.action_collect()
        other = self.new_user("agency_other_biller", "billing")
        with self.assertRefused(UserError, "owns the review of engagement Acme T&M"):
            run.line_ids.with_user(other).action_mark_reviewed()
        self.assertEqual(run.line_ids.state, "review")

    def test_closed_runs_refuse_work(self):
        self.approved(1.0)
        run = self.new_run()
        self.review_and_invoice(run)
        with self.assertRefused(UserError, "is invoiced: start a new run"):
            run.action_collect()
        with self.assertRefused(UserError, "cancel or credit its invoices"):
            run.action_cancel()
        with self.assertRefused(UserError, "has invoices: cancel it instead"):
            run.unlink()


@tagged("post_install", "-at_install")
class TestBillingBesideSalesOrders(BillingCase):
    """Projects sold on sales orders stay on stock sale_timesheet's path; an
    entry is never billed by both."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        hour = cls.env.ref("uom.product_uom_hour")
        product = cls.env["product.product"].create(
            {
                "name": "Brand workshop (on timesheets)",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "timesheet",
                "service_tracking": "project_only",
                "list_price": 90.0,
                "uom_id": hour.id,
                "uom_po_id": hour.id,
            }
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.acme.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 10})
                ],
            }
        )
        cls.order.action_confirm()
        cls.sale_line = cls.order.order_line
        cls.sold_project = cls.sale_line.project_id

    def test_sold_project_cannot_join_an_engagement(self):
        self.assertEqual(self.sold_project.sale_line_id, self.sale_line)
        with self.assertRefused(ValidationError, "is billed through sales order line"):
            self.sold_project.agency_engagement_id = self.engagement
        self.assertFalse(self.sold_project.agency_engagement_id)

    def test_both_paths_side_by_side(self):
        conveyor = self.approved(2.0) | self.approved(
            1.0, day="2026-03-03", project_id=self.acme_web.id, task_id=self.web_task.id
        )
        sold = self.approved(3.0, project_id=self.sold_project.id, task_id=False)
        self.assertEqual(sold.so_line, self.sale_line)
        # an entry sold on the order, on a project of the engagement
        sold_on_engagement = self.approved(
            1.5,
            day="2026-03-05",
            project_id=self.acme_web.id,
            task_id=self.web_task.id,
            so_line=self.sale_line.id,
        )
        self.assertEqual(sold_on_engagement.so_line, self.sale_line)
        run = self.new_run()
        run.action_collect()
        self.assertEqual(run.line_ids.entry_count, 2)
        self.assertFalse(sold.agency_run_id)
        self.assertFalse(sold_on_engagement.agency_run_id)
        ours = self.review_and_invoice(run)
        self.assertEqual(ours.amount_untaxed, 300.0)
        # stock invoicing still works as before, and takes only the order's time
        self.assertEqual(self.sale_line.qty_delivered, 4.5)
        stock = self.order._create_invoices()
        self.assertEqual(stock.invoice_line_ids.quantity, 4.5)
        self.assertEqual(stock.invoice_line_ids.price_unit, 90.0)
        self.assertFalse(stock.agency_run_id)
        for entry in sold | sold_on_engagement:
            self.assertEqual(entry.timesheet_invoice_id, stock)
            self.assertFalse(entry.agency_invoice_line_id)
        for entry in conveyor:
            self.assertEqual(entry.timesheet_invoice_id, ours)
            self.assertEqual(entry.agency_invoice_line_id.move_id, ours)
        # and neither path comes back for the other's entries
        with self.assertRefused(UserError, "Nothing to bill"):
            self.new_run().action_collect()
        self.approved(1.0, project_id=self.sold_project.id, task_id=False)
        with self.assertRefused(UserError, "Nothing to bill"):
            self.new_run().action_collect()
