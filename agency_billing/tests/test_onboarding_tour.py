from odoo.tests import tagged

from .common_tour import BillingTourCase


@tagged("post_install", "-at_install")
class TestBillingOnboardingTour(BillingTourCase):
    def test_billing_tour(self):
        """Billing's first run: collect approved time, review, draft invoice."""
        env = self.env
        self.billing_setup("Onboarding Client", 90.0, [2.0])
        # The person picks the first engagement the search offers: whichever it
        # is, the run ends in one new draft invoice.
        last = env["account.move"].search([], order="id desc", limit=1).id
        self.start_tour(
            "/odoo/action-agency_billing.agency_billing_run_action",
            "agency_onboarding_billing",
            login="admin",
        )
        invoices = env["account.move"].search(
            [("id", ">", last), ("move_type", "=", "out_invoice")]
        )
        self.assertEqual(invoices.mapped("state"), ["draft"])
        self.assertTrue(invoices.agency_run_line_id)
