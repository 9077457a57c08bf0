"""The web client on a phone: tours at 390 × 844 with touch, as Odoo's own
mobile tours run (``browser_size``, ``touch_enabled``).

A creative starts, notes and stops a timer from the top bar's panel and finds
the draft on today's card of My Week's day view, and bad hours typed there are
refused with the desktop grid's messages; a producer approves one week and
rejects an entry of another, with a reason, from the cards.

The tours run on the real today, as a phone would: the day view opens on the
``today`` that the server's ``get_week`` sends (the person's own day, not the
browser's) and the steps say "today's card", never a weekday. What the server
does for them on a given day is checked under a frozen clock for the 1st of a
month, a Monday, a Sunday, 1 January and 29 February (``TestPhoneDays``).
"""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import stock_policies


def person(env, login, name, agency_group):
    return new_test_user(
        env,
        login=login,
        groups=f"base.group_user,agency_timesheet.{agency_group}",
        name=name,
        tz="Europe/Brussels",
    )


def mobile_fixtures(cls):
    """A creative (Brussels), her producer's project and a task of hers."""
    company = cls.env.company
    # The demo agency locks last month and may start weeks on another day.
    stock_policies(company)
    company.agency_week_start = "0"
    cls.role = cls.env["agency.role"].create({"name": "Tour Designer", "code": "TOURD"})
    cls.user = person(cls.env, "tour_phone", "Tour Creative", "group_agency_user")
    cls.employee = cls.env["hr.employee"].create(
        {
            "name": "Tour Creative",
            "user_id": cls.user.id,
            "role_id": cls.role.id,
            "tz": "Europe/Brussels",
        }
    )
    cls.producer = person(
        cls.env, "tour_phone_producer", "Tour Producer", "group_agency_producer"
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


class MobileCase(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mobile_fixtures(cls)

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


@tagged("post_install", "-at_install")
class TestPhoneDays(TransactionCase):
    """The server's part of the phone tours on days that are not ordinary
    (a 1st, a Monday, a Sunday, 1 January, 29 February): the timer's draft is
    dated the person's today and is on today's card, and the day view's
    previous and next days load, across weeks, months and years."""

    DAYS = ("2027-01-01", "2027-02-01", "2026-03-02", "2026-03-08", "2028-02-29")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mobile_fixtures(cls)

    def test_timer_draft_on_todays_card(self):
        Timer = self.env["agency.timer"].with_user(self.user)
        MyWeek = self.env["agency.my.week"].with_user(self.user)
        for text in self.DAYS:
            day = fields.Date.to_date(text)
            with (
                self.subTest(day=text),
                freeze_time(
                    datetime(day.year, day.month, day.day, 9, 30)  # 10:30 in Brussels
                ) as clock,
            ):
                Timer.action_start(task_id=self.task.id)
                clock.tick(timedelta(minutes=45))
                line = Timer.search([("state", "=", "running")]).action_stop()
                self.assertEqual((line.date, line.unit_amount), (day, 0.75))
                week = MyWeek.get_week()
                self.assertEqual(week["today"], text)
                self.assertIn(text, [d["date"] for d in week["days"]])
                (row,) = [r for r in week["rows"] if r["task_id"] == self.task.id]
                cell = next(c for c in row["cells"] if c["date"] == text)
                self.assertEqual(cell["hours"], 0.75)
                for step in (-1, 1):
                    other = fields.Date.to_string(day + timedelta(days=step))
                    dates = [d["date"] for d in MyWeek.get_week(other)["days"]]
                    self.assertIn(other, dates)
