"""The billing tours' one setup (test_tour.py's billing run, test_onboarding_tour.py's
first run): a client priced by one client rate, its project and engagement,
approved time on the admin's billing day, from stock policies (no lock date,
the pilot is everyone: the demo agency has both)."""

from types import SimpleNamespace

from odoo.tests import HttpCase

from odoo.addons.agency_timesheet.tests.common import stock_policies


class BillingTourCase(HttpCase):
    def billing_setup(self, client_name, rate, hours, task=False, **engagement):
        """Records of a client `client_name` billed at `rate` an hour: its project
        (and a task when asked), engagement (`engagement`: its values beyond the
        defaults, a name included) and
        one approved entry of each of `hours`, by a person of their own."""
        env = self.env
        stock_policies(env.company)
        admin = env.ref("base.user_admin")
        name = client_name
        client = env["res.partner"].create({"name": name, "is_company": True})
        env["agency.rate"].create({"partner_id": client.id, "bill_rate": rate})
        project = env["project.project"].create(
            {"name": f"{name} Site", "partner_id": client.id, "allow_timesheets": True}
        )
        task = task and env["project.task"].create(
            {"name": f"{name} Task", "project_id": project.id}
        )
        env["agency.engagement"].create(
            {
                "name": f"{name} Engagement",
                "partner_id": client.id,
                "user_id": admin.id,
                "project_ids": [(6, 0, project.ids)],
                **engagement,
            }
        )
        employee = env["hr.employee"].create({"name": f"{name} Person"})
        day = env["agency.billing.run"].with_user(admin).new({}).date_to  # admin's day
        lines = env["account.analytic.line"].create(
            [
                {
                    "project_id": project.id,
                    "task_id": task.id if task else False,
                    "employee_id": employee.id,
                    "date": day,
                    "unit_amount": amount,
                    "name": "Same note",
                }
                for amount in hours
            ]
        )
        lines.sudo().write({"approval_state": "approved"})
        return SimpleNamespace(client=client, project=project, lines=lines)
