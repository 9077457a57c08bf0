"""The web client on a phone: tours at 390 × 844 with touch, as Odoo's own
mobile tours run (``browser_size``, ``touch_enabled``).

A creative starts, notes and stops a timer from the top bar's panel and finds
the draft on today's card of My Week's day view, and bad hours typed there are
refused with the desktop grid's messages; a producer approves one week and
rejects an entry of another, with a reason, from the cards.
"""

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


class MobileCase(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        # The demo agency locks last month and may start weeks on another day.
        company.write({"agency_timesheet_lock_date": False, "agency_week_start": "0"})
        cls.role = cls.env["agency.role"].create(
            {"name": "Tour Designer", "code": "TOURD"}
        )
        cls.user = cls.person("tour_phone", "Tour Creative", "group_agency_user")
        cls.employee = cls.env["hr.employee"].create(
            {
                "name": "Tour Creative",
                "user_id": cls.user.id,
                "role_id": cls.role.id,
                "tz": "Europe/Brussels",
            }
        )
        cls.producer = cls.person(
            "tour_phone_producer", "Tour Producer", "group_agency_producer"
        )
        cls.project = cls.env["project.project"].create(
            {
                "name": "Tour Rebrand",
                "allow_timesheets": True,
                "user_id": cls.producer.id,
            }
        )
        cls.task = cls.env["project.task"].create(
            {
                "name": "Tour logo concepts",
                "project_id": cls.project.id,
                "user_ids": [(4, cls.user.id)],
            }
        )

    @classmethod
    def person(cls, login, name, agency_group):
        return new_test_user(
            cls.env,
            login=login,
            groups=f"base.group_user,agency_timesheet.{agency_group}",
            name=name,
            tz="Europe/Brussels",
        )

    def entries(self, **domain):
        return self.env["account.analytic.line"].search(
            [("employee_id", "=", self.employee.id)]
            + [(field, "=", value) for field, value in domain.items()]
        )

    def log(self, day, hours, name, task=None):
        return (
            self.env["account.analytic.line"]
            .with_user(self.user)
            .create(
                {
                    "project_id": self.project.id,
                    "task_id": (task or self.task).id,
                    "date": day,
                    "unit_amount": hours,
                    "name": name,
                }
            )
        )

    def today(self):
        """The day the web client's My Week opens on (the person's today)."""
        return fields.Date.context_today(self.user.with_context(tz=self.user.tz))


@tagged("post_install", "-at_install")
class TestMobileCapture(MobileCase):
    def test_timer_panel_and_day_view(self):
        """Start with one tap, note, stop: the draft is on today's card."""
        self.start_tour("/odoo/my-week", "agency_mobile_timer_tour", login="tour_phone")
        timer = self.env["agency.timer"].search([("user_id", "=", self.user.id)])
        self.assertEqual(timer.mapped("state"), ["stopped"])
        line = self.entries(entry_source="timer")
        self.assertEqual(
            (len(line), line.task_id, line.name, line.approval_state, line.date),
            (1, self.task, "Sketches", "draft", self.today()),
        )
        self.assertGreater(line.unit_amount, 0)

    def test_day_view_refuses_bad_hours(self):
        """1:75, -1, 25 and text are refused as on the desktop; nothing saved."""
        entry = self.log(self.today(), 2.0, "Sketches")
        self.start_tour(
            "/odoo/my-week", "agency_mobile_day_errors_tour", login="tour_phone"
        )
        self.assertEqual(self.entries(), entry, "no entry was added")
        self.assertEqual(entry.unit_amount, 2.5, "only the good hours were saved")


@tagged("post_install", "-at_install")
class TestMobileApproval(MobileCase):
    def test_approve_a_week_reject_an_entry(self):
        """The producer approves one week and rejects an entry with a reason."""
        kickoff_task = self.env["project.task"].create(
            {"name": "Tour kickoff", "project_id": self.project.id}
        )
        # Fixed, past weeks (Mondays 2 and 9 March 2026), nothing locked.
        kickoff = self.log("2026-03-02", 1.0, "Kickoff", task=kickoff_task)
        moodboard = self.log("2026-03-03", 3.0, "Moodboard")
        later = self.log("2026-03-10", 4.0, "Logo sketches") | self.log(
            "2026-03-11", 2.5, "Logo review"
        )
        (kickoff | moodboard | later).with_user(self.user).action_submit()
        self.start_tour(
            "/odoo/action-agency_timesheet.agency_week_review_action",
            "agency_mobile_approve_tour",
            login="tour_phone_producer",
        )
        self.assertEqual(set(later.mapped("approval_state")), {"approved"})
        self.assertEqual(later.approved_by_id, self.producer)
        self.assertEqual(
            (kickoff.approval_state, kickoff.reject_reason),
            ("rejected", "Wrong task: log it on Tour logo concepts"),
        )
        self.assertEqual(moodboard.approval_state, "submitted")
