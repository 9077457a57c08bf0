from contextlib import contextmanager

from odoo.tests import TransactionCase, new_test_user

GROUPS = {
    "internal": "base.group_user",
    "user": "agency_timesheet.group_agency_user",
    "producer": "agency_timesheet.group_agency_producer",
    "billing": "agency_timesheet.group_agency_billing",
    "admin": "agency_timesheet.group_agency_admin",
}


def stock_policies(company):
    """The demo agency locks last month and runs a pilot of two teams: a test
    starts from stock behaviour (no lock date, the pilot is everyone) and sets
    its own."""
    company.write(
        {
            "agency_timesheet_lock_date": False,
            "agency_pilot_scope": "everyone",
            "agency_pilot_department_ids": [(5, 0, 0)],
            "agency_pilot_employee_ids": [(5, 0, 0)],
            "agency_pilot_project_ids": [(5, 0, 0)],
        }
    )


class AgencyCase(TransactionCase):
    """A small studio: roles, one person per Agency group, a project and a task."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_notrack=True)
        )
        cls.company = cls.env.company
        # The demo agency locks last month and runs a pilot: tests set their own.
        stock_policies(cls.company)
        Role = cls.env["agency.role"]
        cls.role_designer = Role.create({"name": "Test Designer", "code": "TDES"})
        cls.role_ad = Role.create({"name": "Test Art Director", "code": "TAD"})
        cls.users = {level: cls.new_user(f"agency_{level}", level) for level in GROUPS}
        cls.employees = {
            level: cls.env["hr.employee"].create(
                {
                    "name": f"Agency {level}",
                    "user_id": user.id,
                    "role_id": cls.role_designer.id,
                    "company_id": cls.company.id,
                }
            )
            for level, user in cls.users.items()
        }
        cls.project = cls.env["project.project"].create(
            {
                "name": "Test Campaign",
                "allow_timesheets": True,
                "privacy_visibility": "employees",
                "user_id": cls.users["producer"].id,
            }
        )
        cls.task = cls.env["project.task"].create(
            {"name": "Key visual", "project_id": cls.project.id}
        )

    @classmethod
    def new_user(cls, login, level, **kwargs):
        groups = "base.group_user"
        if level != "internal":
            groups += "," + GROUPS[level]
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            name=kwargs.pop("name", f"Agency {level}"),
            tz=kwargs.pop("tz", "Europe/Brussels"),
            **kwargs,
        )

    @contextmanager
    def assertRefused(self, exception, pattern):
        """The operation fails with `exception` whose message matches `pattern`,
        and (as in a real request) nothing it did is saved."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), pattern)

    @classmethod
    def log(cls, employee, hours, day="2026-03-02", **vals):
        """Create a timesheet entry as the superuser."""
        return cls.env["account.analytic.line"].create(
            {
                "employee_id": employee.id,
                "project_id": vals.pop("project_id", cls.project.id),
                "task_id": vals.pop("task_id", cls.task.id),
                "date": day,
                "unit_amount": hours,
                "name": vals.pop("name", "Work"),
                **vals,
            }
        )
