import base64
from datetime import date, datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from ..suggestion_rules import event_hours, typical_hours
from .common import AgencyCase
from .demo_common import require_demo
from .ics_samples import (
    BRUSSELS,
    CANCELLED,
    DAY,
    HOLIDAY,
    KICKOFF,
    STANDUP,
    TOMORROW,
    ZERO,
    ics,
)


def utc(hour, minute=0, day=DAY):
    """A Brussels wall time of DAY as the naive UTC datetime Odoo stores."""
    local = BRUSSELS.localize(datetime(day.year, day.month, day.day, hour, minute))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


class TestSuggestionArithmetic(TransactionCase):
    """The plain functions behind suggestions."""

    def test_event_hours_cut_at_day_end_and_capped(self):
        day_end = datetime(2026, 3, 2, 23, 0)
        self.assertEqual(
            event_hours(
                datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 10, 30), day_end, 8
            ),
            1.5,
        )
        self.assertEqual(
            event_hours(datetime(2026, 3, 2, 22), datetime(2026, 3, 3, 2), day_end, 8),
            1.0,
            "an evening event counts until midnight",
        )
        self.assertEqual(
            event_hours(datetime(2026, 3, 2, 8), datetime(2026, 3, 5), day_end, 7.5),
            7.5,
            "a conference is one working day at most",
        )
        self.assertEqual(
            event_hours(datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 9), day_end, 8),
            0.0,
        )

    def test_typical_hours(self):
        self.assertEqual(typical_hours([1.0, 1.1, 5.0]), 1.0)
        self.assertEqual(typical_hours([0.05]), 0.25)
        self.assertEqual(typical_hours([]), 0.0)


@tagged("post_install", "-at_install")
class TestSuggestion(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = cls.users["user"]
        cls.user.agency_suggestions_enabled = True
        cls.employee = cls.employees["user"]
        cls.Suggestion = cls.env["agency.suggestion"].with_user(cls.user)
        cls.client = cls.env["res.partner"].create(
            {"name": "Acme Test", "is_company": True}
        )
        cls.buyer = cls.env["res.partner"].create(
            {
                "name": "Bea Buyer",
                "parent_id": cls.client.id,
                "email": "buyer@acme-test.example.com",
            }
        )
        cls.client_project = cls.env["project.project"].create(
            {
                "name": "Acme Test Launch",
                "partner_id": cls.client.id,
                "allow_timesheets": True,
                "privacy_visibility": "employees",
                "user_id": cls.users["producer"].id,
            }
        )
        cls.other_task = cls.env["project.task"].create(
            {"name": "Copy deck", "project_id": cls.project.id}
        )
        cls.stranger = cls.new_user("suggest_stranger", "user", name="Sam Stranger")
        cls.teammate = cls.env["hr.employee"].create(
            {"name": "Tina Teammate", "user_id": cls.stranger.id}
        )

    def event(self, name, start, stop, partners=None, **vals):
        partners = partners or self.user.partner_id
        return self.env["calendar.event"].create(
            {
                "name": name,
                "start": start,
                "stop": stop,
                "user_id": self.users["producer"].id,
                "partner_ids": [(6, 0, partners.ids)],
                **vals,
            }
        )

    def generate(self, day=DAY, user=None):
        Suggestion = self.Suggestion.with_user(user) if user else self.Suggestion
        return Suggestion._generate(day)

    def mine(self, source=None, day=DAY):
        domain = [("user_id", "=", self.user.id), ("date", "=", day)]
        if source:
            domain.append(("source", "=", source))
        return self.Suggestion.search(domain)

    def suggestion(self, user=None, **vals):
        return self.env["agency.suggestion"].create(
            {
                "user_id": (user or self.user).id,
                "date": DAY,
                "source": "calendar",
                "source_key": vals.pop("source_key", "test:1"),
                "project_id": self.project.id,
                "task_id": self.task.id,
                "hours": 1.5,
                "name": "Acme kickoff",
                "reason": "Meeting 'Acme kickoff' 10:00–11:30",
                **vals,
            }
        )

    # -- calendar events ------------------------------------------------------

    @freeze_time("2026-03-03 08:00:00")
    def test_suggestions_from_calendar_events(self):
        task_model = self.env["ir.model"]._get_id("project.task")
        self.event(
            "Acme kickoff",
            utc(10),
            utc(11, 30),
            res_model_id=task_model,
            res_id=self.task.id,
        )
        self.event(
            "Launch check-in", utc(14), utc(15), self.user.partner_id | self.buyer
        )
        self.event("Studio lunch", utc(12, 30), utc(13, 15))
        declined = self.event("Declined review", utc(16), utc(17))
        declined.attendee_ids.filtered(
            lambda a: a.partner_id == self.user.partner_id
        ).state = "declined"
        self.event("Offsite", utc(9), utc(18), allday=True)
        self.event("Not invited", utc(9), utc(10), self.users["producer"].partner_id)
        tomorrow = DAY + timedelta(days=1)
        self.event("Tomorrow", utc(9, day=tomorrow), utc(10, day=tomorrow))

        result = self.generate()

        found = self.mine("calendar")
        self.assertEqual(result["created"], 3)
        self.assertEqual(
            [(s.reason, s.hours) for s in found],
            [
                ("Meeting 'Acme kickoff' 10:00–11:30 — linked to the task", 1.5),
                ("Meeting 'Studio lunch' 12:30–13:15", 0.75),
                ("Meeting 'Launch check-in' 14:00–15:00 — Acme Test attended", 1.0),
            ],
        )
        kickoff, lunch, check_in = found
        self.assertEqual(
            (kickoff.project_id, kickoff.task_id), (self.project, self.task)
        )
        self.assertEqual(
            check_in.project_id, self.client_project, "the client's project"
        )
        self.assertFalse(lunch.project_id, "left for the person to choose")
        self.assertEqual(
            found.mapped("name"), ["Acme kickoff", "Studio lunch", "Launch check-in"]
        )
        self.assertEqual(set(found.mapped("state")), {"new"})

    @freeze_time("2026-03-03 08:00:00")
    def test_already_logged_work_is_not_suggested(self):
        self.log(self.employee, 1.0, day=DAY, task_id=self.task.id)
        self.event(
            "Acme kickoff",
            utc(10),
            utc(11),
            res_model_id=self.env["ir.model"]._get_id("project.task"),
            res_id=self.task.id,
        )
        self.generate()
        self.assertFalse(self.mine("calendar"))

    @freeze_time("2026-03-03 08:00:00")
    def test_accepted_becomes_an_editable_draft(self):
        self.event(
            "Acme kickoff",
            utc(10),
            utc(11, 30),
            res_model_id=self.env["ir.model"]._get_id("project.task"),
            res_id=self.task.id,
        )
        self.generate()
        suggestion = self.mine("calendar")
        suggestion.hours = 1.25
        suggestion.action_accept()
        line = suggestion.line_id
        self.assertEqual(suggestion.state, "accepted")
        self.assertEqual(
            (line.entry_source, line.approval_state, line.employee_id, line.date),
            ("suggestion", "draft", self.employee, DAY),
        )
        self.assertEqual((line.project_id, line.task_id), (self.project, self.task))
        self.assertEqual((line.unit_amount, line.name), (1.25, "Acme kickoff"))
        line.with_user(self.user).write({"unit_amount": 1.0, "name": "Kickoff"})
        self.assertEqual(line.unit_amount, 1.0, "the draft stays editable")
        suggestion.action_accept()
        self.assertEqual(
            self.env["account.analytic.line"].search_count(
                [
                    ("entry_source", "=", "suggestion"),
                    ("employee_id", "=", self.employee.id),
                ]
            ),
            1,
            "accepting twice creates nothing twice",
        )

    def test_bulk_accept_needs_a_project_for_each(self):
        ready = self.suggestion(source_key="test:ready")
        unfinished = self.suggestion(
            source_key="test:open", project_id=False, task_id=False, name="Lunch"
        )
        both = (ready | unfinished).with_user(self.user)
        with self.assertRaisesRegex(UserError, "Choose a project for 'Lunch'"):
            both.action_accept()
        self.assertEqual(set(both.mapped("state")), {"new"}, "nothing was accepted")
        unfinished.with_user(self.user).project_id = self.client_project
        both.action_accept()
        self.assertEqual(set(both.mapped("state")), {"accepted"})
        self.assertEqual(
            both.line_id.mapped("entry_source"), ["suggestion", "suggestion"]
        )

    def test_bad_hours_are_refused(self):
        for hours in (0, -1, 25):
            with self.assertRaises(ValidationError):
                self.suggestion(source_key=f"test:{hours}", hours=hours)

    @freeze_time("2026-03-03 08:00:00")
    def test_dismissed_suggestions_do_not_come_back(self):
        self.event("Acme kickoff", utc(10), utc(11))
        self.event("Studio lunch", utc(12, 30), utc(13, 15))
        self.generate()
        kickoff, lunch = self.mine("calendar")
        kickoff.action_dismiss()
        result = self.generate()
        self.assertEqual(result["created"], 0)
        self.assertEqual(self.mine("calendar"), kickoff | lunch, "no duplicates")
        self.assertEqual(kickoff.state, "dismissed")
        kickoff.action_restore()
        self.assertEqual(kickoff.state, "new", "a dismissal can be undone")

    @freeze_time("2026-03-03 08:00:00")
    def test_stale_suggestions_go_edited_ones_stay(self):
        cancelled = self.event("Acme kickoff", utc(10), utc(11))
        self.event("Studio lunch", utc(12, 30), utc(13, 15))
        self.generate()
        kickoff, lunch = self.mine("calendar")
        lunch.write({"project_id": self.project.id, "hours": 0.5})
        cancelled.unlink()
        result = self.generate()
        self.assertEqual(result["removed"], 1)
        self.assertFalse(kickoff.exists(), "its meeting was cancelled")
        self.assertEqual((lunch.project_id, lunch.hours), (self.project, 0.5))

    # -- tasks and teammates -----------------------------------------------------

    def test_suggestions_from_task_activity(self):
        # Creatives who change tasks have Odoo's Project rights.
        self.user.groups_id = [(4, self.env.ref("project.group_project_user").id)]
        with freeze_time("2026-03-02 10:00:00"):
            self.task.with_user(self.user).message_post(
                body="Sent the first key visual", message_type="comment"
            )
            self.task.with_user(self.user).with_context(
                tracking_disable=False, mail_notrack=False
            ).write({"priority": "1"})
            self.env.flush_all()
            self.env.cr.precommit.run()
            self.other_task.with_user(self.users["producer"]).message_post(
                body="Someone else's note", message_type="comment"
            )
        with freeze_time("2026-02-20 10:00:00"):
            self.other_task.with_user(self.user).message_post(
                body="Too long ago", message_type="comment"
            )
        with freeze_time("2026-03-02 17:00:00"):
            self.generate()
        task_suggestion = self.mine("task")
        self.assertEqual(task_suggestion.task_id, self.task)
        self.assertEqual(task_suggestion.project_id, self.project)
        self.assertEqual(
            task_suggestion.reason,
            "You worked on this task that day: 1 message, 1 change",
        )
        self.assertEqual(task_suggestion.hours, 1.0, "the default duration")
        with freeze_time("2026-03-04 17:00:00"):
            self.generate(DAY + timedelta(days=1))
        later = self.mine("task", DAY + timedelta(days=1))
        self.assertIn("lately, last on", later.reason)

    @freeze_time("2026-03-02 17:00:00")
    def test_teammates_time_without_their_descriptions(self):
        self.log(self.employee, 2.0, day="2026-02-26", task_id=self.other_task.id)
        self.log(self.teammate, 2.0, day=DAY, name="Secret pitch for Globex")
        self.log(self.employees["producer"], 1.5, day=DAY, name="Also private")
        far = self.env["project.project"].create(
            {"name": "Not my project", "allow_timesheets": True}
        )
        self.log(self.teammate, 3.0, day=DAY, project_id=far.id, task_id=False)
        self.generate()
        hint = self.mine("teammates")
        self.assertEqual((hint.project_id, hint.task_id), (self.project, self.task))
        self.assertEqual(hint.hours, 1.75, "the typical teammate's time")
        self.assertEqual(
            hint.reason,
            "2 teammates logged time on Test Campaign › Key visual that day, "
            "typically 1.75 h each",
        )
        for text in (hint.name, hint.reason):
            self.assertNotIn("Secret", text)
            self.assertNotIn("Tina", text)

    # -- opt-in, days -------------------------------------------------------------

    def test_off_by_default_and_refused_in_words(self):
        newcomer = self.new_user("suggest_newcomer", "user")
        self.assertFalse(newcomer.agency_suggestions_enabled, "off by default")
        self.env["hr.employee"].create({"name": "Newcomer", "user_id": newcomer.id})
        self.event("Acme kickoff", utc(10), utc(11), newcomer.partner_id)
        with freeze_time("2026-03-03 08:00:00"):
            with self.assertRaisesRegex(UserError, "turned off for you") as caught:
                self.generate(user=newcomer)
            message = str(caught.exception)
            self.assertIn("My Profile", message)
            self.assertIn("calendar events you attended", message)
            wizard = (
                self.env["agency.suggestion.import"]
                .with_user(newcomer)
                .create(
                    {
                        "ics_file": base64.b64encode(ics(KICKOFF)),
                        "date_from": DAY,
                        "date_to": DAY,
                    }
                )
            )
            with self.assertRaisesRegex(UserError, "turned off for you"):
                wizard.action_import()
        self.assertFalse(
            self.env["agency.suggestion"].search([("user_id", "=", newcomer.id)])
        )
        newcomer.with_user(newcomer).agency_suggestions_enabled = True
        with freeze_time("2026-03-03 08:00:00"):
            self.assertEqual(self.generate(user=newcomer)["created"], 1)

    @freeze_time("2026-03-03 08:00:00")
    def test_days_outside_the_window_are_refused(self):
        with self.assertRaisesRegex(UserError, "has not happened yet"):
            self.generate(date(2026, 3, 4))
        with self.assertRaisesRegex(UserError, "only kept for 30 days"):
            self.generate(date(2026, 1, 31))
        wizard = self.env["agency.suggestion.generate"].with_user(self.user).create({})
        self.assertEqual(wizard.date, date(2026, 3, 3), "today, in the person's zone")
        action = wizard.action_generate()
        self.assertEqual(
            action["params"]["next"]["domain"],
            [("date", ">=", "2026-03-03"), ("date", "<=", "2026-03-03")],
        )

    # -- calendar files ------------------------------------------------------

    @freeze_time("2026-03-03 08:00:00")
    def test_suggestions_from_a_calendar_file(self):
        data = ics(KICKOFF, STANDUP, HOLIDAY, CANCELLED, TOMORROW, ZERO)
        wizard = (
            self.env["agency.suggestion.import"]
            .with_user(self.user)
            .create(
                {
                    "ics_file": base64.b64encode(data),
                    "ics_filename": "work.ics",
                    "date_from": DAY,
                    "date_to": DAY,
                }
            )
        )
        action = wizard.action_import()
        self.assertIn("work.ics: 2 new suggestion(s)", action["params"]["message"])
        self.assertIn("1 all-day, 1 cancelled", action["params"]["message"])
        self.assertFalse(wizard.ics_file, "the file is not kept")
        found = self.mine("ics")
        self.assertEqual(
            [(s.name, s.hours) for s in found],
            [("Stand-up", 0.25), ("Acme kickoff", 1.5)],
        )
        self.assertEqual(
            found[1].reason,
            "Calendar file: 'Acme kickoff' 10:00–11:30 — Acme Test attended",
        )
        self.assertEqual(found[1].project_id, self.client_project)
        found[0].action_dismiss()
        again = (
            self.env["agency.suggestion.import"]
            .with_user(self.user)
            .create(
                {
                    "ics_file": base64.b64encode(data),
                    "date_from": DAY - timedelta(days=1),
                    "date_to": DAY + timedelta(days=1),
                }
            )
        )
        again.action_import()
        self.assertEqual(
            self.mine("ics"), found, "importing again adds nothing, brings nothing back"
        )
        self.assertEqual(len(self.mine("ics", DAY - timedelta(days=1))), 1)
        self.assertEqual(len(self.mine("ics", DAY + timedelta(days=1))), 2)

    @freeze_time("2026-03-03 08:00:00")
    def test_bad_calendar_files_save_nothing(self):
        too_big = b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"x" * (2 * 1024 * 1024)
        many = ics(*[TOMORROW.replace("tomorrow@", f"n{n}@") for n in range(1001)])
        cases = (
            (b"%PDF-1.7 not a calendar", "is not a calendar file"),
            (
                b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:soon\r\n",
                "could not be read",
            ),
            (too_big, "up to 2 MB"),
            (many, "holds 1001 events"),
        )
        for data, message in cases:
            wizard = (
                self.env["agency.suggestion.import"]
                .with_user(self.user)
                .create(
                    {
                        "ics_file": base64.b64encode(data),
                        "ics_filename": "bad.ics",
                        "date_from": DAY,
                        "date_to": DAY,
                    }
                )
            )
            with self.assertRaisesRegex(UserError, message):
                wizard.action_import()
        self.assertFalse(self.mine())
        wizard = (
            self.env["agency.suggestion.import"]
            .with_user(self.user)
            .create(
                {
                    "ics_file": base64.b64encode(ics(KICKOFF)),
                    "date_from": DAY,
                    "date_to": DAY + timedelta(days=40),
                }
            )
        )
        with self.assertRaisesRegex(UserError, "at most 31 days"):
            wizard.action_import()

    # -- retention -----------------------------------------------------------

    def test_retention_purge(self):
        recent = self.suggestion(source_key="test:recent")
        old = self.suggestion(source_key="test:old", date=date(2026, 2, 1))
        accepted = self.suggestion(source_key="test:accepted", date=date(2026, 2, 2))
        accepted.with_user(self.user).action_accept()
        line = accepted.line_id
        Suggestion = self.env["agency.suggestion"]
        with freeze_time("2026-03-03 02:00:00"):
            Suggestion._cron_purge()
        self.assertTrue(old.exists(), "30 days old is kept")
        with freeze_time("2026-03-05 02:00:00"):
            Suggestion._cron_purge()
        self.assertFalse(old.exists(), "older than 30 days")
        self.assertFalse(accepted.exists())
        self.assertTrue(line.exists(), "the entry it became stays")
        self.assertTrue(recent.exists())
        self.company.agency_suggestion_retention_days = 2
        with freeze_time("2026-03-05 02:00:00"):
            Suggestion._cron_purge()
        self.assertFalse(recent.exists(), "the company's own retention")
        with self.assertRaises(ValidationError):
            self.company.agency_suggestion_retention_days = 0

    # -- privacy -------------------------------------------------------------

    def test_only_their_person_sees_suggestions(self):
        suggestion = self.suggestion()
        self.assertEqual(self.project.user_id, self.users["producer"])
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("base.group_system"))
        for who in (self.stranger, self.users["producer"], self.users["admin"], admin):
            Suggestion = self.env["agency.suggestion"].with_user(who)
            self.assertFalse(Suggestion.search([("id", "=", suggestion.id)]), who.login)
            with self.assertRaises(AccessError, msg=who.login):
                suggestion.with_user(who).read(["reason"])
            with self.assertRaises(AccessError, msg=who.login):
                suggestion.with_user(who).action_accept()
            with self.assertRaises(AccessError, msg=who.login):
                Suggestion.create(
                    {
                        "user_id": self.user.id,
                        "date": DAY,
                        "source": "calendar",
                        "source_key": f"forged:{who.id}",
                        "hours": 1.0,
                    }
                )
        self.assertEqual(
            self.env["agency.suggestion"].with_user(self.user).search([]), suggestion
        )

    def test_calendar_files_are_private_too(self):
        wizard = (
            self.env["agency.suggestion.import"]
            .with_user(self.user)
            .create({"ics_file": base64.b64encode(ics(KICKOFF))})
        )
        for who in (self.stranger, self.users["admin"]):
            with self.assertRaises(AccessError, msg=who.login):
                wizard.with_user(who).read(["ics_file"])

    def test_the_settings_say_what_the_code_does(self):
        settings = self.env.ref("agency_timesheet.res_config_settings_view_form")
        self.assertIn("Suggestions always stay private", settings.arch)
        preferences = self.env.ref("agency_timesheet.res_users_view_form_preferences")
        for words in (
            "calendar events you attended",
            "Only you see your suggestions",
            "calendar files (.ics) you upload",
        ):
            self.assertIn(words, " ".join(preferences.arch.split()))
        rules = self.env["ir.rule"].search(
            [("model_id.model", "=", "agency.suggestion")]
        )
        self.assertTrue(rules and not rules.groups, "global rules bind everyone")


@tagged("post_install", "-at_install")
class TestSuggestionDemo(TransactionCase):
    """Dani's day of suggestions (needs demo data installed)."""

    def test_dani_has_a_day_of_suggestions(self):
        require_demo(self, "agency_demo.user_dani")
        dani = self.env.ref("agency_demo.user_dani")
        self.assertTrue(dani.agency_suggestions_enabled)
        mine = self.env["agency.suggestion"].with_user(dani).search([])
        self.assertEqual(
            set(mine.mapped("source")),
            {"calendar", "task", "teammates", "feed", "activity"},
            mine,
        )
        # Her calendar feed's crit, and the webhooks' activity: the Figma
        # session with the commit made during it is one suggestion with two
        # reasons, the Jira update another (demo/integrations.py).
        feed = mine.filtered(lambda s: s.source == "feed")
        self.assertEqual(feed.mapped("name"), ["Design crit (Google Calendar)"])
        activity = mine.filtered(lambda s: s.source == "activity")
        self.assertEqual(len(activity), 2, activity.mapped("reason"))
        merged = activity.filtered(lambda s: "figma" in s.reason)
        self.assertIn("+ GitHub: studio/citrus-site", merged.reason)
        self.assertEqual(merged.hours, 1.5)
        self.assertTrue(all(s.project_id for s in activity), "mapped projects")
        self.assertTrue(all(s.state == "new" for s in activity + feed))
        calendar = mine.filtered(lambda s: s.source == "calendar")
        self.assertEqual(len(calendar), 3, "the declined casting is not suggested")
        self.assertTrue(any(s.project_id and s.task_id for s in calendar))
        self.assertTrue(any(not s.project_id for s in calendar))
        self.assertFalse(
            self.env["agency.suggestion"]
            .with_user(self.env.ref("agency_demo.user_paula"))
            .search([]),
            "her producer sees none of them",
        )


@tagged("post_install", "-at_install")
class TestSuggestionTour(HttpCase):
    def test_suggest_my_day_in_the_browser(self):
        user = new_test_user(
            self.env,
            login="tour_suggest",
            groups="base.group_user,agency_timesheet.group_agency_user",
            name="Tour Person",
            tz="Europe/Brussels",
            agency_suggestions_enabled=True,
        )
        employee = self.env["hr.employee"].create(
            {"name": "Tour Person", "user_id": user.id}
        )
        project = self.env["project.project"].create(
            {"name": "Tour Campaign", "allow_timesheets": True}
        )
        task = self.env["project.task"].create(
            {"name": "Tour task", "project_id": project.id}
        )
        today = fields.Date.context_today(user.with_user(user))
        self.env["calendar.event"].create(
            {
                "name": "Tour kickoff",
                "start": utc(10, day=today),
                "stop": utc(11, 30, day=today),
                "partner_ids": [(6, 0, user.partner_id.ids)],
                "res_model_id": self.env["ir.model"]._get_id("project.task"),
                "res_id": task.id,
            }
        )
        self.start_tour("/odoo", "agency_suggestion_tour", login=user.login)
        line = self.env["account.analytic.line"].search(
            [("employee_id", "=", employee.id)]
        )
        self.assertEqual(
            (line.entry_source, line.approval_state, line.unit_amount, line.task_id),
            ("suggestion", "draft", 1.5, task),
        )
