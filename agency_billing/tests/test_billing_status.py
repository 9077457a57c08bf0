"""An entry's billing status has one definition (models/billing_status.py), and
what billing runs write in SQL reaches the ORM as a write() would: the
invoice's timesheets, stock's computes on the entries and the rounding shown
are right in the same transaction, without anyone invalidating a cache."""

from unittest import TestCase

from odoo.tests import tagged
from odoo.tools import SQL

from ..models.billing_status import (
    INVOICED_DOMAIN,
    NOT_INVOICED_DOMAIN,
    invoiced_sql,
    is_invoiced,
    not_invoiced_sql,
)
from .common import BillingCase


class TestBillingStatusRule(TestCase):
    """The plain predicate (no database)."""

    def test_invoiced_means_on_an_invoice_not_cancelled(self):
        self.assertFalse(is_invoiced(False, False))
        self.assertFalse(is_invoiced(None, "posted"))
        self.assertFalse(is_invoiced(7, "cancel"))
        self.assertTrue(is_invoiced(7, "draft"))
        self.assertTrue(is_invoiced(7, "posted"))
        # history another tool invoiced, imported as such
        self.assertTrue(is_invoiced(False, False, outside=True))
        self.assertTrue(is_invoiced(7, "cancel", outside=True))


@tagged("post_install", "-at_install")
class TestBillingStatus(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engagement.grouping = "entry"
        Line = cls.env["account.analytic.line"]
        cls.waiting = cls.approved(1.0, day="2026-03-02")
        cls.billed = cls.approved(
            0.1, day="2026-03-03", project_id=cls.acme_web.id, task_id=cls.web_task.id
        )
        cls.by_stock = cls.approved(2.0, day="2026-03-04")
        cls.stock_cancelled = cls.approved(3.0, day="2026-03-05")
        # history imported as invoiced in another tool: invoiced for good
        cls.outside = cls.approved(1.5, day="2026-03-06")
        cls.outside.sudo().agency_invoiced_outside = True
        cls.all = (
            cls.waiting | cls.billed | cls.by_stock | cls.stock_cancelled | cls.outside
        )
        # two invoices stock Odoo made (sale_timesheet links its entries so)
        cls.stock_invoice = cls._stock_invoice()
        cls.by_stock.timesheet_invoice_id = cls.stock_invoice
        cancelled = cls._stock_invoice()
        cls.stock_cancelled.timesheet_invoice_id = cancelled
        cancelled.button_cancel()
        cls.Line = Line

    @classmethod
    def _stock_invoice(cls):
        return cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.acme.id,
                "invoice_line_ids": [
                    (0, 0, {"name": "Design", "quantity": 1, "price_unit": 100})
                ],
            }
        )

    def invoice_run(self):
        """Invoice the time of 2 and 3 March (waiting, billed)."""
        return self.review_and_invoice(self.new_run(date_to="2026-03-03"))

    def assertStatus(self, invoiced):
        """The domain, the SQL condition, the field and the predicate say the
        same of every entry: exactly `invoiced` (and the history invoiced
        outside Odoo, always) are invoiced."""
        invoiced |= self.outside
        ids = self.all.ids
        self.assertEqual(
            self.Line.search([("id", "in", ids), *INVOICED_DOMAIN]), invoiced
        )
        self.assertEqual(
            self.Line.search([("id", "in", ids), *NOT_INVOICED_DOMAIN]),
            self.all - invoiced,
        )
        self.assertEqual(
            self.Line.search([("id", "in", ids), ("agency_invoiced", "=", True)]),
            invoiced,
        )
        self.assertEqual(
            self.Line.search([("id", "in", ids), ("agency_invoiced", "=", False)]),
            self.all - invoiced,
        )
        self.env.flush_all()
        for condition, expected in (
            (invoiced_sql("line"), invoiced),
            (not_invoiced_sql("line"), self.all - invoiced),
        ):
            rows = self.env.execute_query(
                SQL(
                    "SELECT line.id FROM account_analytic_line line "
                    "WHERE line.id = ANY(%s) AND %s",
                    ids,
                    condition,
                )
            )
            self.assertEqual({row[0] for row in rows}, set(expected.ids))
        self.assertEqual(
            {line for line in self.all if line._agency_is_invoiced()}, set(invoiced)
        )
        self.assertEqual(self.all.filtered("agency_invoiced"), invoiced)

    def test_one_definition_read_everywhere(self):
        """Invoiced by a run or by stock: invoiced; on a cancelled invoice:
        not invoiced, and a run takes it, never the one stock invoiced."""
        self.assertStatus(self.by_stock)
        run = self.new_run()
        invoice = self.review_and_invoice(run)
        self.assertEqual(
            set(invoice.timesheet_ids.ids),
            set((self.waiting | self.billed | self.stock_cancelled).ids),
        )
        self.assertStatus(self.all)
        # cancelled: its entries are not invoiced any more, the run bills
        # them again
        invoice.button_cancel()
        self.assertStatus(self.by_stock)
        again = self.review_and_invoice(run)
        self.assertEqual(
            set(again.timesheet_ids.ids),
            set((self.waiting | self.billed | self.stock_cancelled).ids),
        )
        self.assertStatus(self.all)
        # the filters of the billed entries' list read the same field
        search_view = self.env.ref(
            "agency_billing.account_analytic_line_view_search_raw_billed"
        ).arch
        self.assertIn("('agency_invoiced', '=', True)", search_view)
        self.assertNotIn("agency_invoice_line_id', '!='", search_view)

    def test_same_transaction_sees_what_sql_wrote(self):
        """After invoicing and after cancelling, the invoice's timesheets, its
        hours, stock's customer of each entry and the rounding read right away
        (nobody invalidates a cache)."""
        invoice = self.invoice_run()
        entries = self.waiting | self.billed
        self.assertEqual(invoice.timesheet_ids, entries)
        self.assertEqual(invoice.timesheet_count, 2)
        self.assertEqual(invoice.timesheet_total_duration, 1)  # 1.1 h, in hours
        self.assertAlmostEqual(self.billed.agency_rounding_diff, 0.15)
        # billed entries keep the customer they were invoiced to (stock's rule)
        self.web_task.partner_id = self.acme_contact
        self.assertEqual(self.billed.partner_id, self.acme)
        invoice.button_cancel()
        self.assertFalse(invoice.timesheet_ids)
        self.assertEqual(invoice.timesheet_count, 0)
        self.assertEqual(invoice.timesheet_total_duration, 0)
        # freed: stock recomputes the customer from the task again, and saves it
        self.assertEqual(self.billed.partner_id, self.acme_contact)
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                "SELECT partner_id FROM account_analytic_line WHERE id = %s",
                self.billed.id,
            )
        )
        self.assertEqual(rows, [(self.acme_contact.id,)])

    def test_rounding_difference_follows_the_invoice_line(self):
        """An entry on an invoice line shows billed − raw even with no run
        holding it (a copy of its invoice billing it, its run cancelled)."""
        invoice = self.invoice_run()
        line = self.billed.agency_invoice_line_id
        self.billed._agency_free(reason="test")
        self.assertEqual(self.billed.agency_rounding_diff, 0.0, "nothing billed")
        self.billed.sudo().agency_invoice_line_id = line
        self.assertAlmostEqual(self.billed.agency_rounding_diff, 0.15)
        self.assertEqual(line.move_id, invoice)
