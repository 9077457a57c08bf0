"""Guessing the project of meetings costs the same queries for 3 meetings as
for 12: the clients' projects are read once per day (once per file for a
calendar file), not once per meeting."""

import base64

from freezegun import freeze_time

from odoo.tests import tagged

from ..suggestion_sources import from_calendar
from .common import AgencyCase
from .test_suggestion import DAY, ics, utc


@tagged("post_install", "-at_install")
class TestSuggestionQueries(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = cls.users["user"]
        cls.user.agency_suggestions_enabled = True
        cls.employee = cls.employees["user"]
        cls.Suggestion = cls.env["agency.suggestion"].with_user(cls.user)
        cls.clients = []
        for n in range(12):
            client = cls.env["res.partner"].create(
                {"name": f"Client {n}", "is_company": True}
            )
            contact = cls.env["res.partner"].create(
                {
                    "name": f"Buyer {n}",
                    "parent_id": client.id,
                    "email": f"buyer{n}@client{n}.example.com",
                }
            )
            project = cls.env["project.project"].create(
                {
                    "name": f"Client {n} Launch",
                    "partner_id": client.id,
                    "allow_timesheets": True,
                    "privacy_visibility": "employees",
                }
            )
            cls.clients.append((client, contact, project))

    def meetings(self, count):
        """count meetings on DAY, each with the person and another client."""
        for n, (_client, contact, _project) in enumerate(self.clients[:count]):
            self.env["calendar.event"].create(
                {
                    "name": f"Meeting {n}",
                    "start": utc(8 + n // 6, 10 * (n % 6)),
                    "stop": utc(8 + n // 6, 10 * (n % 6) + 5),
                    "user_id": self.users["producer"].id,
                    "partner_ids": [(6, 0, (self.user.partner_id | contact).ids)],
                }
            )

    def queries(self, func):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = func()
        return self.env.cr.sql_log_count - before, result

    def calendar_guesses(self):
        context = self.Suggestion._generation_context(DAY, self.employee)
        return self.queries(lambda: from_calendar(self.Suggestion.env, context))

    @freeze_time("2026-03-03 08:00:00")
    def test_calendar_guess_queries_do_not_grow_with_meetings(self):
        self.meetings(3)
        self.calendar_guesses()  # warm-up: registry caches
        few, proposals = self.calendar_guesses()
        self.assertEqual(
            [p["project_id"] for p in proposals],
            [project.id for _c, _p, project in self.clients[:3]],
        )
        self.env["calendar.event"].search([("name", "like", "Meeting ")]).unlink()
        self.meetings(12)
        many, proposals = self.calendar_guesses()
        self.assertEqual(
            [p["project_id"] for p in proposals],
            [project.id for _c, _p, project in self.clients],
            "each meeting guessed its client's project",
        )
        self.assertEqual(many, few, "queries for 12 meetings vs 3")

    def import_file(self, count):
        events = [
            f"UID:m{n}@example.com\r\nSUMMARY:Meeting {n}\r\n"
            f"DTSTART:20260302T{8 + n // 6:02d}{(n % 6) * 10:02d}00Z\r\n"
            "DURATION:PT5M\r\n"
            f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:buyer{n}@client{n}.example.com"
            for n in range(count)
        ]
        wizard = (
            self.env["agency.suggestion.import"]
            .with_user(self.user)
            .create(
                {
                    "ics_file": base64.b64encode(ics(*events)),
                    "date_from": DAY,
                    "date_to": DAY,
                }
            )
        )
        return self.queries(wizard.action_import)

    @freeze_time("2026-03-03 08:00:00")
    def test_calendar_file_guess_queries_do_not_grow_with_events(self):
        self.import_file(3)  # warm-up: registry caches
        self.Suggestion.search([("source", "=", "ics")]).unlink()
        few, _action = self.import_file(3)
        self.Suggestion.search([("source", "=", "ics")]).unlink()
        many, _action = self.import_file(12)
        found = self.Suggestion.search([("source", "=", "ics")], order="event_start")
        self.assertEqual(
            found.project_id.ids,
            [project.id for _c, _p, project in self.clients],
            "each event guessed its client's project",
        )
        self.assertEqual(many, few, "queries for a file of 12 events vs 3")
