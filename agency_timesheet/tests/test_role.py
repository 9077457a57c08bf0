from odoo.exceptions import UserError, ValidationError

from .common import AgencyCase


class TestRole(AgencyCase):
    def test_entry_takes_the_employee_role(self):
        line = self.log(self.employees["user"], 2.0)
        self.assertEqual(line.role_id, self.role_designer)

    def test_entry_follows_a_new_employee(self):
        self.employees["producer"].role_id = self.role_ad
        line = self.log(self.employees["user"], 1.0)
        line.employee_id = self.employees["producer"]
        self.assertEqual(line.role_id, self.role_ad)

    def test_role_change_after_the_entry_keeps_history(self):
        line = self.log(self.employees["user"], 2.0)
        self.employees["user"].role_id = self.role_ad
        self.assertEqual(line.role_id, self.role_designer, "history is not rewritten")

    def test_only_producers_change_the_role(self):
        line = self.log(self.employees["user"], 2.0)
        as_user = line.with_user(self.users["user"])
        self.assertTrue(as_user.role_readonly)
        with self.assertRefused(UserError, "Only producers"):
            as_user.role_id = self.role_ad
        self.assertEqual(line.role_id, self.role_designer, "nothing was saved")
        as_user.name = "Still editable"  # other fields stay the owner's
        as_producer = line.with_user(self.users["producer"]).sudo(False)
        self.assertFalse(as_producer.role_readonly)
        line.with_user(self.users["billing"]).role_id = self.role_ad
        self.assertEqual(line.role_id, self.role_ad)

    def test_role_codes_are_unique_per_company(self):
        with self.assertRefused(ValidationError, "already used"):
            self.env["agency.role"].create({"name": "Duplicate", "code": "tdes"})
        other = self.env["res.company"].create({"name": "Other Studio"})
        shared = self.env["agency.role"].create({"name": "Strategist", "code": "TSTR"})
        with self.assertRefused(ValidationError, "already used"):
            self.env["agency.role"].create(
                {"name": "Strategist", "code": "TSTR", "company_id": other.id}
            )
        self.env["agency.role"].create(
            {"name": "Local", "code": "LOC", "company_id": other.id}
        )
        self.assertTrue(shared.active)

    def test_employee_count_and_archived_role(self):
        self.assertEqual(self.role_designer.employee_count, len(self.employees))
        action = self.role_designer.action_view_employees()
        self.assertEqual(
            self.env["hr.employee"].search(action["domain"]),
            self.env["hr.employee"].concat(*self.employees.values()),
        )

    def test_timesheet_analysis_by_role(self):
        self.log(self.employees["user"], 3.0)
        self.log(self.employees["producer"], 1.5, role_id=self.role_ad.id)
        groups = self.env["timesheets.analysis.report"]._read_group(
            [("project_id", "=", self.project.id)], ["role_id"], ["unit_amount:sum"]
        )
        self.assertEqual(dict(groups), {self.role_designer: 3.0, self.role_ad: 1.5})
