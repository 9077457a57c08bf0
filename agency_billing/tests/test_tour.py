from odoo.tests import HttpCase, tagged


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
class TestBillingRunTour(HttpCase):
    def test_billing_run_screens(self):
        """A billing run in the browser: collect, checks, review, invoice."""
        env = self.env
        env.company.agency_timesheet_lock_date = False
        admin = env.ref("base.user_admin")
        client = env["res.partner"].create(
            {"name": "Tour Billing Ltd", "is_company": True}
        )
        env["agency.rate"].create({"partner_id": client.id, "bill_rate": 80.0})
        project = env["project.project"].create(
            {"name": "Tour Project", "partner_id": client.id, "allow_timesheets": True}
        )
        task = env["project.task"].create(
            {"name": "Tour Task", "project_id": project.id}
        )
        env["agency.engagement"].create(
            {
                "name": "Tour Engagement",
                "partner_id": client.id,
                "user_id": admin.id,
                "rounding_increment": "15",
                "rounding_method": "up",
                "project_ids": [(6, 0, project.ids)],
            }
        )
        employee = env["hr.employee"].create({"name": "Tour Biller"})
        day = env["agency.billing.run"].with_user(admin).new({}).date_to  # admin's day
        lines = env["account.analytic.line"].create(
            [
                {
                    "project_id": project.id,
                    "task_id": task.id,
                    "employee_id": employee.id,
                    "date": day,
                    "unit_amount": hours,
                    "name": "Same note",
                }
                for hours in (1.0, 1.0, 0.1)  # 0.1 h bills 15 min
            ]
        )
        lines.sudo().write({"approval_state": "approved"})
        self.start_tour("/odoo", "agency_billing_run_tour", login="admin")
        invoice = env["account.move"].search([("partner_id", "=", client.id)])
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.amount_untaxed, 180.0)
