"""Billing users need no HR rights: checks and invoice lines name people."""

from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestBillingPeople(BillingCase):
    def test_billing_user_without_hr_rights(self):
        self.assertFalse(self.biller.has_group("hr.group_hr_user"))
        self.engagement.grouping = "employee"
        self.approved(7.0, day="2026-03-02")
        self.approved(6.0, day="2026-03-02", name="Evening push")
        run = self.new_run()
        run.action_collect()
        long_day = run.check_ids.filtered(lambda c: c.code == "long_day")
        self.assertIn(self.dani.name, long_day.message)
        long_day.with_user(self.biller).action_acknowledge()
        run.line_ids.with_user(self.biller).action_mark_reviewed()
        run.with_user(self.biller).action_create_invoices()
        self.assertIn(self.dani.name, run.invoice_ids.invoice_line_ids[:1].name)
