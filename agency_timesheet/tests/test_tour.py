from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAgencyTour(HttpCase):
    def test_agency_menus(self):
        """After login the Agency app and its menus are there."""
        self.start_tour("/odoo", "agency_menus_tour", login="admin")


@tagged("post_install", "-at_install")
class TestAgencyWebClientTours(HttpCase):
    """The timer in the top bar and My Week, driven as a person would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="tour_creative",
            groups="base.group_user,agency_timesheet.group_agency_user",
            name="Tour Creative",
            tz="Europe/Brussels",
        )
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Tour Creative", "user_id": cls.user.id, "tz": "Europe/Brussels"}
        )
        cls.project = cls.env["project.project"].create(
            {"name": "Tour Rebrand", "allow_timesheets": True}
        )
        cls.task = cls.env["project.task"].create(
            {
                "name": "Tour logo concepts",
                "project_id": cls.project.id,
                "user_ids": [(4, cls.user.id)],
            }
        )

    def timer_lines(self):
        return self.env["account.analytic.line"].search(
            [("employee_id", "=", self.employee.id), ("entry_source", "=", "timer")]
        )

    def test_timer_from_the_systray(self):
        """Start from the systray, reload, still running, stop: one draft entry."""
        self.start_tour("/odoo", "agency_timer_tour", login="tour_creative")
        timers = self.env["agency.timer"].search([("user_id", "=", self.user.id)])
        self.assertEqual(timers.mapped("state"), ["stopped"])
        line = self.timer_lines()
        self.assertEqual(len(line), 1, "exactly one entry, however the stop came")
        self.assertEqual(
            (line.approval_state, line.task_id, line.name),
            ("draft", self.task, "Sketches"),
        )
        self.assertEqual(line, timers.line_id)
        self.assertGreater(line.unit_amount, 0)

    def test_timer_idle_split(self):
        """Back after 20 idle minutes: split moves them to an entry of their own."""
        started = fields.Datetime.now() - timedelta(minutes=30)
        timer = self.env["agency.timer"].create(
            {
                "user_id": self.user.id,
                "project_id": self.project.id,
                "task_id": self.task.id,
                "state": "running",
                "run_started_at": started,
            }
        )
        self.start_tour("/odoo", "agency_timer_idle_tour", login="tour_creative")
        self.assertEqual(timer.state, "running")
        split = self.timer_lines()
        self.assertEqual(len(split), 1)
        self.assertAlmostEqual(split.unit_amount * 60, 20, delta=1)
        self.assertIn("Idle time", split.name)
        self.assertAlmostEqual(timer.accumulated_seconds / 60, 10, delta=1.5)

    def test_my_week_keyboard(self):
        """My Week: add a line, type hours in today's cell, Enter: a draft entry."""
        today = fields.Date.context_today(self.user.with_context(tz="Europe/Brussels"))
        kickoff = self.env["project.task"].create(
            {"name": "Tour kickoff", "project_id": self.project.id}
        )
        submitted = self.env["account.analytic.line"].create(
            {
                "employee_id": self.employee.id,
                "project_id": self.project.id,
                "task_id": kickoff.id,
                "date": today,
                "unit_amount": 2.0,
                "name": "Kickoff",
                "approval_state": "submitted",
            }
        )
        self.start_tour("/odoo/my-week", "agency_my_week_tour", login="tour_creative")
        line = self.env["account.analytic.line"].search(
            [("employee_id", "=", self.employee.id), ("task_id", "=", self.task.id)]
        )
        self.assertEqual(len(line), 1)
        self.assertEqual(
            (line.date, line.unit_amount, line.entry_source, line.approval_state),
            (today, 1.5, "manual", "draft"),
        )
        self.assertEqual(submitted.unit_amount, 2.0)
