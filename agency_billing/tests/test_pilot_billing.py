"""The pilot in billing: the approval requirement and the check about
unapproved time hold for the pilot's entries only; outside it, time is billed
as in stock Odoo, approved or not."""

from odoo.tests import tagged

from odoo.addons.agency_timesheet.pilot import EVERYONE, SELECTED

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestPilotBilling(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["hr.department"].create({"name": "Pilot Team"})
        cls.dani.department_id = cls.team
        cls.paula.department_id = False

    def collect(self):
        run = self.new_run()
        run.action_collect()
        return run

    def unapproved(self, run):
        return run.check_ids.filtered(lambda check: check.code == "unapproved")

    def test_pilot_on(self):
        self.company.write(
            {
                "agency_pilot_scope": SELECTED,
                "agency_pilot_department_ids": [(6, 0, self.team.ids)],
            }
        )
        approved = self.approved(1.0)
        piloted_draft = self.entry(2.0, day="2026-03-03")
        stock_draft = self.entry(3.0, day="2026-03-04", employee=self.paula)
        run = self.collect()
        # the pilot's draft waits for approval and is named by the check
        self.assertFalse(piloted_draft.agency_run_id)
        self.assertEqual(self.unapproved(run).entry_ids, piloted_draft)
        # outside the pilot: billed without approval, no check about it
        self.assertEqual((approved | stock_draft).agency_run_id, run)
        invoice = self.review_and_invoice(run)
        self.assertTrue(stock_draft.agency_invoiced)
        self.assertEqual(invoice.amount_untaxed, 400.0)

    def test_pilot_off(self):
        self.company.agency_pilot_scope = EVERYONE
        approved = self.approved(1.0)
        dani_draft = self.entry(2.0, day="2026-03-03")
        paula_draft = self.entry(3.0, day="2026-03-04", employee=self.paula)
        run = self.collect()
        self.assertEqual(approved.agency_run_id, run)
        self.assertFalse((dani_draft | paula_draft).agency_run_id)
        self.assertEqual(self.unapproved(run).entry_ids, dani_draft | paula_draft)
