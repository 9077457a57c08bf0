"""The adoption figures, hand-computed on a made-up fortnight, and their pure
rules."""

import unittest
from datetime import date, datetime

from ..adoption import is_complete, is_on_time, median, share, week_deadline
from .common import AgencyCase

MONDAY = date(2026, 1, 5)


class TestAdoptionRules(unittest.TestCase):
    def test_rules(self):
        self.assertTrue(is_complete(6.4, 8.0, 0.8))
        self.assertFalse(is_complete(6.3, 8.0, 0.8))
        self.assertFalse(is_complete(0.0, 0.0, 0.8), "no work expected: no day")
        # weeks start on Monday, due the next Monday at 10:00
        self.assertEqual(week_deadline(MONDAY, 0, 10), datetime(2026, 1, 12, 10))
        # weeks start on Sunday, due on the Tuesday after
        self.assertEqual(
            week_deadline(date(2026, 1, 4), 1, 12, 6), datetime(2026, 1, 13, 12)
        )
        deadline = datetime(2026, 1, 12, 10)
        self.assertTrue(is_on_time([datetime(2026, 1, 9, 17)], deadline))
        self.assertFalse(is_on_time([datetime(2026, 1, 9, 17), None], deadline))
        self.assertFalse(is_on_time([], deadline))
        self.assertEqual(median([64.0, 4.0]), 34.0)
        self.assertEqual(median([3, 1, 2]), 2)
        self.assertIsNone(median([]))
        self.assertEqual(share(6, 10), 60.0)
        self.assertIsNone(share(0, 0))


class TestAdoptionFigures(AgencyCase):
    """Two people of one team, the week of Monday 5 January 2026 (UTC,
    8 h a day, Monday to Friday):

    - Ana logs each day the same evening, submits on Friday 17:00, approved
      on Monday 09:00 (64 h later);
    - Ben logs Monday that evening, Tuesday on Wednesday at 10:00 (after the
      morning), Wednesday to Friday the next Wednesday, submits then (late) and
      is approved 4 h later; he got two reminders (Wednesday: Tuesday and
      Wednesday short; Thursday: Thursday short), and all three days are
      complete now.

    Days complete by the next morning: 5 + 1 of 10 = 60 %; on time: 1 of 2;
    median hours to approval: (64 + 4) / 2 = 34; reminders 2, days fixed 3.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "agency_week_start": "0",
                "agency_submit_deadline_weekday": "0",
                "agency_submit_deadline_hour": 10,
                "agency_reminder_share": 80.0,
            }
        )
        cls.team = cls.env["hr.department"].create({"name": "Adoption Team"})
        calendar = cls.env["resource.calendar"].create(
            {"name": "Adoption 40h", "tz": "UTC"}
        )
        cls.ana, cls.ben = (
            cls.env["hr.employee"].create(
                {
                    "name": name,
                    "role_id": cls.role_designer.id,
                    "department_id": cls.team.id,
                    "resource_calendar_id": calendar.id,
                    "tz": "UTC",
                }
            )
            for name in ("Ana Adopt", "Ben Adopt")
        )
        for offset in range(5):
            day = date(2026, 1, 5 + offset)
            cls.entry(cls.ana, day, f"2026-01-{5 + offset:02d} 18:00", submitted=
                      "2026-01-09 17:00", approved="2026-01-12 09:00")  # fmt: skip
            created = {
                0: "2026-01-05 18:00",
                1: "2026-01-07 10:00",
            }.get(offset, "2026-01-14 11:00")
            cls.entry(cls.ben, day, created, submitted="2026-01-14 12:00",
                      approved="2026-01-14 16:00")  # fmt: skip
        Log = cls.env["agency.reminder.log"]
        for sent, day in (
            ("2026-01-07", "2026-01-06"),
            ("2026-01-07", "2026-01-07"),
            ("2026-01-08", "2026-01-08"),
        ):
            Log.create({"employee_id": cls.ben.id, "sent_on": sent, "day": day})

    @classmethod
    def entry(cls, employee, day, created, submitted, approved):
        line = cls.log(employee, 8.0, day=str(day))
        cls.env.cr.execute(
            "UPDATE account_analytic_line SET create_date = %s, submitted_on = %s, "
            "approved_on = %s, approval_state = 'approved' WHERE id = %s",
            (created, submitted, approved, line.id),
        )
        line.invalidate_recordset()

    def figures(self):
        rows = self.env["agency.adoption.week"]._agency_figures(
            MONDAY, date(2026, 1, 11), today=date(2026, 1, 20)
        )
        return [row for row in rows if row["department_id"] == self.team.id]

    def test_hand_computed_week(self):
        (row,) = self.figures()
        self.assertEqual(row["week_start"], MONDAY)
        self.assertEqual(row["people"], 2)
        self.assertEqual((row["working_days"], row["days_complete"]), (10, 6))
        self.assertEqual(row["complete_share"], 60.0)
        self.assertEqual((row["weeks_due"], row["weeks_on_time"]), (2, 1))
        self.assertEqual(row["on_time_share"], 50.0)
        self.assertEqual(row["median_approval_hours"], 34.0)
        self.assertEqual((row["reminders_sent"], row["days_fixed"]), (2, 3))
        for key in row:
            self.assertNotIn("hours_logged", key, "consistency, never hours")

    def test_a_week_not_due_yet_is_not_late(self):
        """On Monday 12 January at 09:00 the week's deadline (10:00) has not
        passed: no week is due, the on-time share is empty, not 0 %."""
        rows = self.env["agency.adoption.week"]._agency_figures(
            MONDAY, date(2026, 1, 11), today=date(2026, 1, 12),
            now=datetime(2026, 1, 12, 9),
        )  # fmt: skip
        (row,) = [row for row in rows if row["department_id"] == self.team.id]
        self.assertEqual((row["weeks_due"], row["weeks_on_time"]), (0, 0))
        self.assertIsNone(row["on_time_share"])
        self.assertEqual(row["complete_share"], 60.0, "the days count already")
        stored = self.env["agency.adoption.week"]._agency_store([row])
        self.assertEqual(stored.on_time_label, "not due yet")
        self.env.cr.execute(
            "SELECT on_time_share FROM agency_adoption_week WHERE id = %s",
            [stored.id],
        )
        self.assertIsNone(self.env.cr.fetchone()[0], "NULL: averages leave it out")
        (due,) = self.figures()
        self.assertEqual(
            self.env["agency.adoption.week"]._agency_store([due]).on_time_label,
            "50.0 %",
        )

    def test_refresh_stores_the_rows(self):
        stored = self.env["agency.adoption.week"]._agency_refresh(
            MONDAY, date(2026, 1, 11)
        )
        mine = stored.filtered(lambda row: row.department_id == self.team)
        self.assertEqual(mine.complete_share, 60.0)
        self.assertEqual(mine.median_approval_hours, 34.0)
        again = self.env["agency.adoption.week"]._agency_refresh(
            MONDAY, date(2026, 1, 11)
        )
        self.assertEqual(
            self.env["agency.adoption.week"].search_count(
                [("department_id", "=", self.team.id), ("week_start", "=", MONDAY)]
            ),
            1,
            "a refresh replaces its weeks",
        )
        self.assertTrue(again)
        # producers read it; people without a producer's level do not
        producer = self.env["agency.adoption.week"].with_user(self.users["producer"])
        self.assertTrue(producer.search([("department_id", "=", self.team.id)]))
