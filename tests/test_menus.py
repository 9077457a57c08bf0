"""Every screen of the Agency app opens for every group.

For a User, a Producer, a Billing user without any HR right and an
Administrator, one headless Chromium session opens every menu of the Agency app
that the user sees (found at run time under the app's root menu, so a new menu
is covered without editing this test): the action's first view, each other view
type it offers (kanban, pivot, graph, calendar, activity…) and the form of its
first record. Any error dialog, danger notification, failed RPC or client error
fails the test, and the failure lists every screen that broke, not only the
first (the walk itself is tests/menus_walker.js).

Menus a group cannot see are skipped for that group: that is the menu's
``groups``, checked by the server; the test also checks that the web client
shows exactly the menus the server lists for the user.

TestPublicProfiles guards the cause of the first error this test found (Rate
Lines refused to Billing users without HR rights) without a browser.
"""

import json
from datetime import date
from pathlib import Path

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.agency_timesheet.tests.common import stock_policies

WALKER = (Path(__file__).parent / "menus_walker.js").read_text(encoding="utf-8")
ROOT_MENU = "agency_timesheet.agency_menu_root"
# The day of the entries and suggestions the walk opens (a Wednesday).
DAY = date(2026, 3, 4)
ADDONS = ("agency_timesheet", "agency_billing", "agency_forecast")
# login: (what the person is, their groups besides base.group_user)
PEOPLE = {
    "menus_user": ("Agency User", ["agency_timesheet.group_agency_user"]),
    "menus_producer": ("Agency Producer", ["agency_timesheet.group_agency_producer"]),
    # Billing as the demo's bruno has it: Agency Billing and Invoicing, no HR.
    "menus_billing": (
        "Agency Billing",
        ["agency_timesheet.group_agency_billing", "account.group_account_invoice"],
    ),
    "menus_admin": (
        "Agency Administrator",
        [
            "agency_timesheet.group_agency_admin",
            "base.group_system",
            "hr.group_hr_manager",
            "account.group_account_manager",
        ],
    ),
}


@tagged("post_install", "-at_install")
class TestMenusOpen(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = env.company
        stock_policies(company)
        role = env["agency.role"].create({"name": "Menus Designer", "code": "MNUDES"})
        cls.users = {}
        employees = {}
        for login, (name, groups) in PEOPLE.items():
            user = new_test_user(
                env,
                login=login,
                groups=",".join(["base.group_user", *groups]),
                name=name,
                tz="Europe/Brussels",
            )
            cls.users[login] = user
            employees[login] = env["hr.employee"].create(
                {
                    "name": name,
                    "user_id": user.id,
                    "role_id": role.id,
                    "company_id": company.id,
                }
            )
        # Something in every list a person sees, so that each list's form opens
        # on a record: everyone's time on a project the Producer manages (one
        # entry submitted, one draft), a running timer and a suggestion each.
        client = env["res.partner"].create({"name": "Menus Client", "is_company": True})
        project = env["project.project"].create(
            {
                "name": "Menus Campaign",
                "allow_timesheets": True,
                "partner_id": client.id,
                "user_id": cls.users["menus_producer"].id,
            }
        )
        task = env["project.task"].create({"name": "Poster", "project_id": project.id})
        # One fixed day, after no lock date (cleared above): what the walk opens
        # does not depend on the day the test runs.
        today = DAY
        for login, user in cls.users.items():
            entries = env["account.analytic.line"].create(
                [
                    {
                        "employee_id": employees[login].id,
                        "project_id": project.id,
                        "task_id": task.id,
                        "date": today,
                        "unit_amount": hours,
                        "name": name,
                    }
                    for hours, name in ((2.0, "Layout"), (1.5, "Proofs"))
                ]
            )
            entries[:1].with_user(user).action_submit()
            env["agency.timer"].with_user(user).action_start(task_id=task.id)
            env["agency.suggestion"].create(
                {
                    "user_id": user.id,
                    "date": today,
                    "source": "task",
                    "source_key": f"menus-{login}",
                    "project_id": project.id,
                    "task_id": task.id,
                    "hours": 1.0,
                    "name": "Poster review",
                    "reason": "A task activity",
                }
            )

    def expected_menus(self, user):
        """The xml ids of the Agency menus with an action that user sees."""
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
        root = self.env.ref(ROOT_MENU).id
        found, todo = [], [root]
        while todo:
            item = menus.get(todo.pop(0))
            if item is None:
                continue
            if item.get("action"):
                found.append(item["xmlid"])
            todo.extend(item["children"])
        return found

    def walk(self, login, minimum):
        """Open every Agency screen as login; fail with every error found."""
        user = self.users[login]
        expected = self.expected_menus(user)
        self.assertGreaterEqual(
            len(expected), minimum, f"{login} sees too few Agency menus: {expected}"
        )
        errors = []

        def collect(message):
            errors.append(message)
            return False  # keep walking: every broken screen in one run

        arguments = json.dumps([self.env.ref(ROOT_MENU).id, expected, PEOPLE[login][0]])
        code = f"({WALKER.strip().rstrip(';')})(...{arguments})"
        failure = None
        try:
            self.browser_js(
                "/odoo",
                code,
                ready="odoo.isReady",
                login=login,
                timeout=900,
                error_checker=collect,
            )
        except AssertionError as error:
            failure = error
        if errors or failure:
            self.fail(
                f"{len(errors)} problem(s) opening the Agency screens as {login}:\n"
                + "\n".join(f"- {error}" for error in errors or [str(failure)])
            )
        return expected

    def test_user(self):
        self.walk("menus_user", minimum=5)

    def test_producer(self):
        menus = self.walk("menus_producer", minimum=8)
        self.assertIn("agency_timesheet.agency_week_review_menu", menus)

    def test_billing_without_hr_rights(self):
        user = self.users["menus_billing"]
        self.assertFalse(user.has_group("hr.group_hr_user"))
        self.assertFalse(user.has_group("hr_expense.group_hr_expense_team_approver"))
        menus = self.walk("menus_billing", minimum=15)
        self.assertIn("agency_billing.agency_rate_menu", menus)

    def test_admin(self):
        menus = self.walk("menus_admin", minimum=20)
        self.assertIn("agency_timesheet.agency_role_menu", menus)


@tagged("post_install", "-at_install")
class TestPublicProfiles(TransactionCase):
    """People without HR rights read hr.employee through hr.employee.public:
    reading any field of a person fetches every field of hr.employee that has
    no ``groups``, and one the public profile lacks fails the whole screen
    ("not available for employee public profiles")."""

    def test_fields_of_people_are_public_or_guarded(self):
        public = self.env["hr.employee.public"]._fields
        leaks = [
            name
            for name, field in self.env["hr.employee"]._fields.items()
            if field._module in ADDONS and not field.groups and name not in public
        ]
        self.assertEqual(
            leaks,
            [],
            "Fields of hr.employee without groups and missing from "
            "hr.employee.public: define them on hr.employee.base or guard them.",
        )

    def test_billing_reads_a_persons_rate_line(self):
        billing = new_test_user(
            self.env,
            login="menus_rates",
            groups="base.group_user,agency_timesheet.group_agency_billing",
        )
        self.assertFalse(billing.has_group("hr.group_hr_user"))
        person = self.env["hr.employee"].create({"name": "Menus Rated Person"})
        rate = self.env["agency.rate"].create(
            {"employee_id": person.id, "bill_rate": 90.0, "note": "Menus"}
        )
        [row] = rate.with_user(billing).web_read(
            {"display_name": {}, "employee_id": {"fields": {"display_name": {}}}}
        )
        self.assertIn("Menus Rated Person", row["display_name"])
        self.assertEqual(row["employee_id"]["display_name"], "Menus Rated Person")
