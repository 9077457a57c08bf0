from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestBillingOnboardingTour(HttpCase):
    def test_billing_tour(self):
        """Billing's first run: collect approved time, review, draft invoice."""
        env = self.env
        env.company.agency_timesheet_lock_date = False
        admin = env.ref("base.user_admin")
        client = env["res.partner"].create(
            {"name": "Onboarding Client", "is_company": True}
        )
        env["agency.rate"].create({"partner_id": client.id, "bill_rate": 90.0})
        project = env["project.project"].create(
            {
                "name": "Onboarding Site",
                "partner_id": client.id,
                "allow_timesheets": True,
            }
        )
        env["agency.engagement"].create(
            {
                "name": "Onboarding Engagement",
                "partner_id": client.id,
                "user_id": admin.id,
                "project_ids": [(6, 0, project.ids)],
            }
        )
        employee = env["hr.employee"].create({"name": "Onboarding Person"})
        day = env["agency.billing.run"].with_user(admin).new({}).date_to
        line = env["account.analytic.line"].create(
            {"project_id": project.id, "employee_id": employee.id, "date": day,
             "unit_amount": 2.0, "name": "Homepage"}
        )  # fmt: skip
        line.sudo().write({"approval_state": "approved"})
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
