"""The pilot: reminders and lock dates apply to the pilot's people and
projects only; everyone else keeps stock behaviour. Pure rules first."""

import unittest
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError

from ..pilot import (
    EVERYONE,
    SELECTED,
    employees_domain,
    entries_domain,
    entry_in_pilot,
    terms_of,
)
from .common import AgencyCase


class TestPilotRules(unittest.TestCase):
    def test_everyone_by_default(self):
        terms = terms_of([(1, EVERYONE, [], [], []), (2, EVERYONE, [], [], [])])
        self.assertTrue(entry_in_pilot(terms, 1, 7, False, False))
        self.assertEqual(entries_domain(terms), [])
        self.assertEqual(employees_domain(terms), [])

    def test_selected_teams_people_projects(self):
        terms = terms_of([(1, SELECTED, [10], [7], [30]), (2, EVERYONE, [], [], [])])
        self.assertTrue(entry_in_pilot(terms, 1, 7, False, False), "named person")
        self.assertTrue(entry_in_pilot(terms, 1, 8, 10, False), "pilot team")
        self.assertTrue(entry_in_pilot(terms, 1, 8, 11, 30), "pilot project")
        self.assertFalse(entry_in_pilot(terms, 1, 8, 11, 31))
        self.assertFalse(entry_in_pilot(terms, 1, 8, False, False))
        self.assertTrue(entry_in_pilot(terms, 2, 8, False, False), "other company")
        self.assertEqual(
            entries_domain(terms),
            [
                "|", "|", "|",
                ("company_id", "in", [2]),
                ("employee_id", "in", [7]),
                ("employee_id.department_id", "in", [10]),
                ("project_id", "in", [30]),
            ],
        )  # fmt: skip

    def test_an_empty_pilot_is_nobody(self):
        terms = terms_of([(1, SELECTED, [], [], [])])
        self.assertFalse(entry_in_pilot(terms, 1, 7, 10, 30))
        self.assertEqual(employees_domain(terms), [("company_id", "in", [])])


class PilotCase(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["hr.department"].create({"name": "Pilot Design Team"})
        cls.other_team = cls.env["hr.department"].create({"name": "Copy Team"})
        cls.employees["user"].department_id = cls.team
        cls.outsider_user = cls.new_user("agency_outsider", "user", name="Out Sider")
        cls.outsider = cls.env["hr.employee"].create(
            {
                "name": "Out Sider",
                "user_id": cls.outsider_user.id,
                "role_id": cls.role_designer.id,
                "department_id": cls.other_team.id,
            }
        )
        cls.other_project = cls.env["project.project"].create(
            {"name": "Other Campaign", "allow_timesheets": True}
        )

    def pilot(self, **vals):
        self.company.write(
            {
                "agency_pilot_scope": SELECTED,
                "agency_pilot_department_ids": [(6, 0, self.team.ids)],
                **vals,
            }
        )

    def everyone(self):
        self.company.agency_pilot_scope = EVERYONE


class TestPilotLockDates(PilotCase):
    def test_lock_date_pilot_on_and_off(self):
        inside = self.log(self.employees["user"], 2.0, day="2026-02-20")
        outside = self.log(self.outsider, 2.0, day="2026-02-20")
        self.company.agency_timesheet_lock_date = "2026-02-28"
        self.pilot()
        self.assertTrue(inside.agency_locked)
        self.assertFalse(outside.agency_locked, "not in the pilot: stock behaviour")
        with self.assertRefused(UserError, "lock date"):
            inside.with_user(self.users["user"]).unit_amount = 3
        outside.with_user(self.outsider_user).unit_amount = 3
        self.assertEqual(outside.unit_amount, 3)
        lines = self.env["account.analytic.line"]
        with self.assertRefused(UserError, "No time can be logged on 2026-02-21"):
            lines.with_user(self.users["user"]).create(
                {"project_id": self.project.id, "date": "2026-02-21",
                 "unit_amount": 1, "name": "late"}
            )  # fmt: skip
        late = lines.with_user(self.outsider_user).create(
            {"project_id": self.other_project.id, "date": "2026-02-21",
             "unit_amount": 1, "name": "late"}
        )  # fmt: skip
        self.assertEqual(late.employee_id, self.outsider)
        # the project is in the pilot: its time is locked, whoever logs it
        self.pilot(agency_pilot_project_ids=[(6, 0, self.other_project.ids)])
        with self.assertRefused(UserError, "lock date"):
            late.with_user(self.outsider_user).unit_amount = 2
        # widened to everyone: the lock date holds for all
        self.everyone()
        self.assertTrue(outside.agency_locked)
        with self.assertRefused(UserError, "lock date"):
            outside.with_user(self.outsider_user).unit_amount = 4


class TestPilotReminders(PilotCase):
    def nudged(self, user):
        return self.env["mail.message"].search_count(
            [
                ("partner_ids", "in", user.partner_id.ids),
                ("subject", "=", "A gentle nudge about your timesheet"),
            ]
        )

    def run_cron(self):
        # Tuesday 13 January 2026, 20:00 in Brussels; nothing logged this week
        with freeze_time("2026-01-13 19:00:00"):
            self.env["agency.reminder"]._send_nudges(datetime(2026, 1, 13, 19, 0))

    def test_reminders_pilot_on(self):
        self.pilot()
        people = self.env["agency.reminder"]._people()
        self.assertIn(self.employees["user"], people)
        self.assertNotIn(self.outsider, people)
        self.run_cron()
        self.assertEqual(self.nudged(self.users["user"]), 1)
        self.assertEqual(self.nudged(self.outsider_user), 0, "outside the pilot")
        # what the nudge named is kept for the adoption figures
        logged = self.env["agency.reminder.log"].search(
            [("employee_id", "=", self.employees["user"].id)]
        )
        self.assertEqual(logged.mapped("sent_on"), [datetime(2026, 1, 13).date()] * 2)

    def test_reminders_pilot_off(self):
        self.everyone()
        self.run_cron()
        self.assertEqual(self.nudged(self.users["user"]), 1)
        self.assertEqual(self.nudged(self.outsider_user), 1)
