import random
from collections import defaultdict
from datetime import date, timedelta

from odoo.tests import TransactionCase

from ..models.agency_demo import (
    OVER_CAPACITY,
    PEOPLE,
    PROJECTS,
    plan_timesheets,
    split_hours,
    workdays,
)


class TestDemoPlan(TransactionCase):
    """The pure planning functions behind the demo agency."""

    def test_workdays(self):
        days = list(workdays(date(2026, 3, 2), date(2026, 3, 15), range(5)))
        self.assertEqual(len(days), 10)
        self.assertTrue(all(day.weekday() < 5 for day in days))
        self.assertEqual(
            [d.weekday() for d in workdays(date(2026, 3, 2), date(2026, 3, 8), {0, 2})],
            [0, 2],
        )

    def test_split_hours_keeps_the_total(self):
        rng = random.Random(1)
        for total in (0.25, 1.0, 6.75, 8.0, 11.5):
            for parts in (1, 2, 3, 5):
                chunks = split_hours(total, parts, rng)
                self.assertAlmostEqual(sum(chunks), total)
                self.assertTrue(all(c > 0 and (c * 4).is_integer() for c in chunks))

    def _plan(self, days_off=None):
        people = {
            "ana": {"role": "DES", "weekdays": set(range(5)), "share": 0.9},
            "bo": {"role": "CW", "weekdays": {0, 1, 2}, "share": 0.85},
            OVER_CAPACITY: {"role": "DES", "weekdays": set(range(5)), "share": 0.9},
        }
        projects = {
            "p1": {"team": ["ana", "bo", OVER_CAPACITY], "tasks": [("Design", 1.0)]}
        }
        return plan_timesheets(
            people, projects, date(2026, 3, 2), date(2026, 5, 29), days_off or {}
        )

    def test_plan_is_deterministic(self):
        self.assertEqual(self._plan(), self._plan())

    def test_plan_respects_calendars_and_leave(self):
        leave = {date(2026, 3, 3), date(2026, 3, 4)}
        plan = self._plan({"ana": leave})
        self.assertFalse(
            [e for e in plan if e["person"] == "ana" and e["date"] in leave]
        )
        self.assertTrue(
            all(e["date"].weekday() in (0, 1, 2) for e in plan if e["person"] == "bo")
        )

    def test_plan_shapes(self):
        per_day = defaultdict(float)
        internal = 0.0
        for entry in self._plan():
            per_day[(entry["person"], entry["date"])] += entry["hours"]
            if entry["project"] is None:
                internal += entry["hours"]
        over = [h for (p, _d), h in per_day.items() if p == OVER_CAPACITY]
        normal = [h for (p, _d), h in per_day.items() if p == "ana"]
        self.assertGreaterEqual(min(over), 10.0)
        self.assertLessEqual(max(normal), 8.5)
        self.assertGreater(internal, 0, "there is non-billable internal time")


class TestDemoAgency(TransactionCase):
    """The demo agency as `make demo` shows it (needs demo data installed)."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("agency_demo.employee_paula", raise_if_not_found=False):
            self.skipTest("the database was installed without demo data")

    def test_people_roles_and_calendars(self):
        employees = self.env["hr.employee"].search([("role_id", "!=", False)])
        demo = employees.filtered(lambda e: e.work_email.endswith("studio.example.com"))
        self.assertEqual(len(demo), len(PEOPLE))
        self.assertEqual(len(demo.role_id), 6)
        self.assertGreaterEqual(len(demo.resource_calendar_id), 3, "part-timers too")
        self.assertEqual(len(set(demo.mapped("tz"))), 3)
        paula = self.env.ref("agency_demo.user_paula")
        self.assertTrue(paula.has_group("agency_timesheet.group_agency_producer"))
        self.assertFalse(paula.has_group("agency_timesheet.group_agency_billing"))

    def test_clients_and_projects(self):
        projects = self.env["project.project"].browse(
            self.env.ref(f"agency_demo.project_{key}").id for key, *_r in PROJECTS
        )
        self.assertEqual(len(projects), 10)
        self.assertEqual(len(projects.partner_id), 6)
        self.assertEqual(
            set(projects.tag_ids.mapped("name")),
            {"Time & materials", "Fixed fee", "Retainer"},
        )
        self.assertTrue(
            all(p.user_id for p in projects), "every project has a producer"
        )
        self.assertIn("Revisions round 1", projects[0].task_ids.mapped("name"))

    def test_three_months_of_time_with_patterns(self):
        Line = self.env["account.analytic.line"]
        today = date.today()
        lines = Line.search([("role_id", "!=", False), ("date", "<", today)])
        self.assertGreater(len(lines), 3000)
        first = min(lines.mapped("date"))
        self.assertLessEqual(first, today - timedelta(days=85))
        internal = lines.filtered(
            lambda l: l.project_id == self.env.company.internal_project_id
        )
        self.assertGreater(sum(internal.mapped("unit_amount")), 0)
        dani = self.env.ref("agency_demo.employee_dani")
        days = Line._read_group(
            [("employee_id", "=", dani.id)], ["date:day"], ["unit_amount:sum"]
        )
        self.assertGreater(
            sum(hours for _d, hours in days) / len(days), 9.5, "Dani is over capacity"
        )
        # Anna was on leave for a week: nothing logged then.
        anna = self.env.ref("agency_demo.employee_anna")
        leave = self.env["resource.calendar.leaves"].search(
            [("resource_id", "=", anna.resource_id.id)]
        )
        self.assertTrue(leave)
        self.assertFalse(
            Line.search_count(
                [
                    ("employee_id", "=", anna.id),
                    ("date", ">=", leave.date_from.date()),
                    ("date", "<=", leave.date_to.date()),
                ]
            )
        )

    def test_review_in_motion(self):
        company = self.env.ref("base.main_company")
        today = date.today()
        self.assertEqual(
            company.agency_timesheet_lock_date, today.replace(day=1) - timedelta(days=1)
        )
        Line = self.env["account.analytic.line"]
        self.assertFalse(
            Line.search_count(
                [
                    ("role_id", "!=", False),
                    ("date", "<=", company.agency_timesheet_lock_date),
                    ("approval_state", "!=", "approved"),
                ]
            ),
            "everything locked is approved",
        )
        self.assertTrue(Line.search_count([("approval_state", "=", "submitted")]))
        rejected = Line.search([("approval_state", "=", "rejected")])
        self.assertEqual(
            rejected.employee_id, self.env.ref("agency_demo.employee_dani")
        )
        self.assertIn("Citrus", rejected.reject_reason)
        streaks = self.env["agency.consistency"].search([]).mapped("streak")
        self.assertGreater(len(set(streaks)), 3, "the leaderboard has real differences")
        timers = self.env["agency.timer"].search([("state", "=", "running")])
        self.assertGreaterEqual(len(timers), 3)
