from odoo.tests import HttpCase, tagged

from .common_tour import BillingTourCase


@tagged("post_install", "-at_install")
class TestRateTour(HttpCase):
    def test_rate_screens(self):
        """Rate lines, the effective rate card and Missing Rates in the browser."""
        env = self.env
        role = env["agency.role"].create({"name": "Tour Lead", "code": "TOURLEAD"})
        client = env["res.partner"].create(
            {"name": "Tour Client Ltd", "is_company": True}
        )
        env["agency.rate"].create(
            {"partner_id": client.id, "role_id": role.id, "bill_rate": 222.0}
        )
        # An entry that nothing prices: the company's cards are put aside.
        env["agency.rate"].search([("partner_id", "!=", client.id)]).active = False
        orphan = env["res.partner"].create({"name": "Tour Orphan", "is_company": True})
        project = env["project.project"].create(
            {"name": "Tour Project", "partner_id": orphan.id, "allow_timesheets": True}
        )
        employee = env["hr.employee"].create({"name": "Tour Person"})
        line = env["account.analytic.line"].create(
            {
                "project_id": project.id,
                "employee_id": employee.id,
                "unit_amount": 1.0,
                "name": "Tour unpriced work",
            }
        )
        self.assertEqual(line.agency_rate_state, "missing")
        self.start_tour("/odoo", "agency_rate_tour", login="admin")


@tagged("post_install", "-at_install")
class TestBillingRunTour(BillingTourCase):
    def test_billing_run_screens(self):
        """A billing run in the browser: collect, checks, review, invoice."""
        client = self.billing_setup(
            "Tour Billing Ltd",
            80.0,
            (1.0, 1.0, 0.1),  # 0.1 h bills 15 min
            task=True,
            name="Tour Engagement",
            rounding_increment="15",
            rounding_method="up",
        ).client
        self.start_tour("/odoo", "agency_billing_run_tour", login="admin")
        invoice = self.env["account.move"].search([("partner_id", "=", client.id)])
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.amount_untaxed, 180.0)
