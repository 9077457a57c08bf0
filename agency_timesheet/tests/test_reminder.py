from datetime import date, datetime, time

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase

from ..models.agency_reminder import (
    nudge_lines,
    reminder_due,
    short_days,
)
from .common import AgencyCase

MONDAY, TUESDAY = date(2026, 1, 12), date(2026, 1, 13)


class TestReminderRules(TransactionCase):
    def test_reminder_due(self):
        at = datetime(2026, 1, 13, 16, 5)
        self.assertTrue(reminder_due(at, 16, None))
        self.assertTrue(reminder_due(at, 9, MONDAY), "a late cron still sends it")
        self.assertFalse(reminder_due(at, 16, TUESDAY), "once a day")
        self.assertFalse(reminder_due(datetime(2026, 1, 13, 15, 59), 16, None))

    def test_short_days_and_wording(self):
        expected = {MONDAY: 8.0, TUESDAY: 8.0, date(2026, 1, 14): 4.0}
        logged = {MONDAY: 7.0, TUESDAY: 2.0}
        days = [MONDAY, TUESDAY, date(2026, 1, 14)]
        short = short_days(days, expected, logged, 0.8)
        self.assertEqual(short, [(TUESDAY, 2.0, 8.0), (date(2026, 1, 14), 0.0, 4.0)])
        self.assertEqual(
            nudge_lines(short, date(2026, 1, 14)),
            ["Tuesday has 2 h of 8 h", "Today has 0 h of 4 h"],
        )
        self.assertFalse(short_days(days, {}, {}, 0.8), "days off count for nothing")


class TestReminders(AgencyCase):
    """People in UTC-8, UTC+1 and UTC+10 (January: no daylight saving) get their
    reminder at 16:00 their time, once, and none on leave or days off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Test 40h", "tz": "UTC"}
        )
        cls.people = {}
        for key, tz in (
            ("la", "America/Los_Angeles"),
            ("brussels", "Europe/Brussels"),
            ("brisbane", "Australia/Brisbane"),
            ("on_leave", "Europe/Brussels"),
            ("part_time", "Europe/Brussels"),
        ):
            user = cls.new_user(f"agency_tz_{key}", "user", tz=tz, name=f"Tz {key}")
            calendar = cls.calendar
            if key == "part_time":  # works Mondays only
                calendar = cls.env["resource.calendar"].create(
                    {
                        "name": "Mondays",
                        "attendance_ids": [
                            (5, 0, 0),
                            (0, 0, {"name": "Mon", "dayofweek": "0", "hour_from": 9,
                                    "hour_to": 17, "day_period": "morning"}),
                        ],
                    }
                )  # fmt: skip
            cls.people[key] = cls.env["hr.employee"].create(
                {
                    "name": f"Tz {key}",
                    "user_id": user.id,
                    "tz": tz,
                    "role_id": cls.role_designer.id,
                    "resource_calendar_id": calendar.id,
                }
            )
            # Monday complete, Tuesday with 2 hours only
            cls.log(cls.people[key], 8.0, day=str(MONDAY))
            cls.log(cls.people[key], 2.0, day=str(TUESDAY))
        on_leave = cls.people["on_leave"]
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "resource_id": on_leave.resource_id.id,
                "calendar_id": on_leave.resource_calendar_id.id,
                "date_from": datetime.combine(TUESDAY, time(0, 0)),
                "date_to": datetime.combine(TUESDAY, time(23, 0)),
            }
        )

    def nudges(self, key):
        partner = self.people[key].user_id.partner_id
        return self.env["mail.message"].search(
            [
                ("partner_ids", "in", partner.ids),
                ("subject", "=", "A gentle nudge about your timesheet"),
            ]
        )

    def run_cron(self, utc):
        with freeze_time(utc):
            self.env["agency.reminder"]._send_nudges(datetime.fromisoformat(utc))

    def test_each_at_their_local_hour(self):
        # 05:59 UTC: 15:59 in Brisbane, nobody yet
        self.run_cron("2026-01-13 05:59:00")
        self.assertFalse(self.nudges("brisbane"))
        # 06:00 UTC: 16:00 in Brisbane (Tuesday is short); 22:00 Monday in LA,
        # where Monday is complete: reminded for the day, but nothing to say
        self.run_cron("2026-01-13 06:00:00")
        self.assertEqual(len(self.nudges("brisbane")), 1)
        self.assertIn("Today has 2 h of 8 h", self.nudges("brisbane").body)
        self.assertFalse(self.nudges("la"))
        self.assertFalse(self.nudges("brussels"))
        # 15:00 UTC: 16:00 in Brussels
        self.run_cron("2026-01-13 15:00:00")
        self.assertEqual(len(self.nudges("brussels")), 1)
        self.assertEqual(len(self.nudges("brisbane")), 1, "once a day")
        # 00:00 UTC on Wednesday: 16:00 on Tuesday in Los Angeles
        self.run_cron("2026-01-14 00:00:00")
        self.assertEqual(len(self.nudges("la")), 1)
        self.assertIn("Today has 2 h of 8 h", self.nudges("la").body)
        self.assertIn("Hi Tz", self.nudges("la").body)
        # a later run the same day sends nothing more
        self.run_cron("2026-01-14 03:00:00")
        self.assertEqual(
            [len(self.nudges(k)) for k in ("la", "brussels", "brisbane")], [1, 1, 1]
        )

    def test_none_on_leave_or_days_off(self):
        for utc in (
            "2026-01-13 06:00:00",
            "2026-01-13 15:00:00",
            "2026-01-14 00:00:00",
        ):
            self.run_cron(utc)
        self.assertFalse(self.nudges("on_leave"), "on leave on Tuesday")
        self.assertFalse(self.nudges("part_time"), "does not work on Tuesdays")

    def test_people_switch_their_reminder_off_or_move_it(self):
        la_user = self.people["la"].user_id.with_user(self.people["la"].user_id)
        la_user.write({"agency_reminder_hour": 9})
        brussels = self.people["brussels"].user_id
        brussels.with_user(brussels).agency_reminder_enabled = False
        self.run_cron("2026-01-13 17:00:00")  # 09:00 in LA, 18:00 in Brussels
        self.assertEqual(len(self.nudges("la")), 1)
        self.assertFalse(self.nudges("brussels"))
        with self.assertRefused(ValidationError, "between 0 and 23"):
            la_user.agency_reminder_hour = 24

    def test_approver_digest_at_the_deadline(self):
        producer = self.users["producer"]
        producer.tz = "Europe/Brussels"
        line = self.people["brussels"].user_id
        tuesday_entry = self.env["account.analytic.line"].search(
            [("employee_id", "=", self.people["brussels"].id), ("date", "=", TUESDAY)]
        )
        tuesday_entry.with_user(line).action_submit()
        # Monday 19 January, 09:00 UTC = 10:00 in Brussels: the deadline
        with freeze_time("2026-01-19 09:00:00"):
            self.env["agency.reminder"]._send_digests(datetime(2026, 1, 19, 9, 0))
        digest = self.env["mail.message"].search(
            [
                ("partner_ids", "in", producer.partner_id.ids),
                ("subject", "=", "Timesheets of the week of 2026-01-12"),
            ]
        )
        self.assertEqual(len(digest), 1)
        self.assertIn("Tz brussels: 2 h submitted", digest.body)
        self.assertIn("Tz la: 4 day(s) short", digest.body)
        with freeze_time("2026-01-19 11:00:00"):
            self.env["agency.reminder"]._send_digests(datetime(2026, 1, 19, 11, 0))
        self.assertEqual(
            self.env["mail.message"].search_count(
                [("partner_ids", "in", producer.partner_id.ids), ("id", ">", digest.id)]
            ),
            0,
            "once a week",
        )

    def test_deadline_hour_must_be_an_hour(self):
        with self.assertRefused(ValidationError, "between 0 and 23"):
            self.company.agency_submit_deadline_hour = 24
