from datetime import datetime, timedelta

import psycopg2
from freezegun import freeze_time

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import mute_logger

from ..models.agency_timer import elapsed_seconds, forgotten_cutoff, idle_split
from .common import AgencyCase


class TestTimerArithmetic(TransactionCase):
    """The plain functions behind timers."""

    def test_elapsed(self):
        start = datetime(2026, 3, 2, 9, 0)
        self.assertEqual(elapsed_seconds(0, start, start + timedelta(minutes=90)), 5400)
        self.assertEqual(elapsed_seconds(600, None, start), 600, "paused: no run")
        self.assertEqual(elapsed_seconds(600, start, start - timedelta(minutes=1)), 600)

    def test_idle_keep_discard_split(self):
        self.assertEqual(idle_split(3600, 900, "keep"), (3600, 0))
        self.assertEqual(idle_split(3600, 900, "discard"), (2700, 0))
        self.assertEqual(idle_split(3600, 900, "split"), (2700, 900))
        # idle longer than the timer: never below zero
        self.assertEqual(idle_split(600, 900, "discard"), (0, 0))
        self.assertEqual(idle_split(600, 900, "split"), (0, 600))
        with self.assertRaises(ValueError):
            idle_split(600, 60, "ignore")

    def test_forgotten_cutoff(self):
        start = datetime(2026, 3, 2, 8, 0)
        self.assertEqual(forgotten_cutoff(start, 0, 10), start + timedelta(hours=10))
        self.assertEqual(
            forgotten_cutoff(start, 3600 * 4, 10),
            start + timedelta(hours=6),
            "earlier runs count towards the limit",
        )
        day_end = datetime(2026, 3, 2, 16, 0)
        self.assertEqual(forgotten_cutoff(start, 0, 10, day_end), day_end)
        evening = datetime(2026, 3, 2, 19, 0)
        self.assertEqual(
            forgotten_cutoff(evening, 0, 10, day_end),
            evening + timedelta(hours=10),
            "a run started after hours is only capped by the limit",
        )


class TimerCase(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.me = cls.users["user"]
        cls.Timer = cls.env["agency.timer"].with_user(cls.me)

    def entries(self, user=None):
        return self.env["account.analytic.line"].search(
            [("user_id", "=", (user or self.me).id), ("entry_source", "=", "timer")]
        )


class TestTimer(TimerCase):
    def test_start_stop_creates_one_raw_draft_entry(self):
        with freeze_time("2026-03-02 09:00:00"):
            info = self.Timer.action_start(task_id=self.task.id, note="Logo ideas")
        self.assertEqual(info["state"], "running")
        timer = self.Timer.browse(info["id"])
        self.assertEqual(timer.project_id, self.project)
        with freeze_time("2026-03-02 10:37:30"):
            self.assertAlmostEqual(timer.elapsed, 1.625)
            line = timer.action_stop()
        self.assertEqual(timer.state, "stopped")
        self.assertEqual(line, self.entries())
        self.assertAlmostEqual(line.unit_amount, 1.625, msg="raw, unrounded")
        self.assertEqual(line.name, "Logo ideas")
        self.assertEqual(line.approval_state, "draft")
        self.assertEqual(line.entry_source, "timer")
        self.assertEqual(line.task_id, self.task)
        self.assertEqual(line.employee_id, self.employees["user"])
        self.assertEqual(str(line.date), "2026-03-02")

    def test_pause_resume_counts_only_running_time(self):
        with freeze_time("2026-03-02 09:00:00"):
            timer = self.Timer.browse(
                self.Timer.action_start(task_id=self.task.id)["id"]
            )
        with freeze_time("2026-03-02 10:00:00"):
            timer.action_pause()
        with freeze_time("2026-03-02 12:00:00"):
            self.assertAlmostEqual(timer.elapsed, 1.0, msg="a pause does not count")
            timer.action_resume()
        with freeze_time("2026-03-02 12:30:00"):
            line = timer.action_stop()
        self.assertAlmostEqual(line.unit_amount, 1.5)

    def test_roaming_between_sessions(self):
        """Started in one browser, seen running and stopped in another."""
        with freeze_time("2026-03-02 09:00:00"):
            self.Timer.action_start(task_id=self.task.id, note="Roaming")
        # Another session of the same person: a fresh environment, nothing cached.
        other_session = api.Environment(self.env.cr, self.me.id, {})
        with freeze_time("2026-03-02 09:45:00"):
            current = other_session["agency.timer"].get_current()
            self.assertEqual(len(current["timers"]), 1)
            seen = current["timers"][0]
            self.assertEqual(seen["state"], "running")
            self.assertEqual(seen["note"], "Roaming")
            self.assertAlmostEqual(seen["elapsed_seconds"], 2700)
            other_session["agency.timer"].browse(seen["id"]).action_stop()
        # The first browser stops it too (it had not refreshed): nothing twice.
        with freeze_time("2026-03-02 10:00:00"):
            again = self.Timer.browse(seen["id"]).action_stop()
        self.assertFalse(again)
        self.assertEqual(len(self.entries()), 1)
        self.assertAlmostEqual(self.entries().unit_amount, 0.75)
        self.assertFalse(self.Timer.get_current()["timers"])

    def test_starting_another_pauses_the_first(self):
        with freeze_time("2026-03-02 09:00:00"):
            first = self.Timer.browse(
                self.Timer.action_start(task_id=self.task.id)["id"]
            )
        other_task = self.env["project.task"].create(
            {"name": "Storyboard", "project_id": self.project.id}
        )
        with freeze_time("2026-03-02 09:30:00"):
            second = self.Timer.browse(
                self.Timer.action_start(task_id=other_task.id)["id"]
            )
        self.assertEqual(first.state, "paused")
        self.assertEqual(second.state, "running")
        self.assertFalse(self.entries())
        self.assertEqual(
            [t["id"] for t in self.Timer.get_current()["timers"]], [second.id, first.id]
        )

    def test_starting_another_stops_the_first_when_preferred(self):
        self.me.with_user(self.me).agency_timer_switch = "stop"
        with freeze_time("2026-03-02 09:00:00"):
            first = self.Timer.browse(
                self.Timer.action_start(task_id=self.task.id)["id"]
            )
        with freeze_time("2026-03-02 09:30:00"):
            self.Timer.action_start(project_id=self.project.id)
        self.assertEqual(first.state, "stopped")
        self.assertAlmostEqual(self.entries().unit_amount, 0.5)

    def test_resume_pauses_the_running_one(self):
        with freeze_time("2026-03-02 09:00:00"):
            first = self.Timer.browse(
                self.Timer.action_start(task_id=self.task.id)["id"]
            )
            second = self.Timer.browse(
                self.Timer.action_start(project_id=self.project.id)["id"]
            )
        with freeze_time("2026-03-02 09:10:00"):
            first.action_resume()
        self.assertEqual((first.state, second.state), ("running", "paused"))

    def test_one_running_timer_is_enforced_by_the_database(self):
        self.Timer.action_start(task_id=self.task.id)
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                """INSERT INTO agency_timer
                       (user_id, company_id, project_id, state, run_started_at,
                        accumulated_seconds, state_sequence)
                   VALUES (%s, %s, %s, 'running', now() at time zone 'utc', 0, 0)""",
                [self.me.id, self.company.id, self.project.id],
            )

    def test_idle_answers(self):
        with freeze_time("2026-03-02 09:00:00"):
            timer = self.Timer.browse(
                self.Timer.action_start(task_id=self.task.id)["id"]
            )
        with freeze_time("2026-03-02 10:00:00"):
            timer.action_idle("discard", 15 * 60)
        with freeze_time("2026-03-02 10:30:00"):
            self.assertAlmostEqual(timer.elapsed, 1.25)
            info = timer.action_idle("split", 10 * 60)
        self.assertAlmostEqual(info["elapsed_seconds"], 1.25 * 3600 - 600)
        split = self.entries()
        self.assertAlmostEqual(split.unit_amount, 10 / 60)
        self.assertIn("Idle", split.name)
        with freeze_time("2026-03-02 11:00:00"):
            timer.action_idle("keep", 20 * 60)
            line = timer.action_stop()
        self.assertAlmostEqual(line.unit_amount, 2 - 0.25 - 10 / 60)

    def test_idle_answer_after_a_stop_elsewhere_changes_nothing(self):
        with freeze_time("2026-03-02 09:00:00"):
            timer = self.Timer.browse(
                self.Timer.action_start(task_id=self.task.id)["id"]
            )
        with freeze_time("2026-03-02 10:00:00"):
            timer.action_stop()
            info = timer.action_idle("split", 600)
        self.assertEqual(info["state"], "stopped")
        self.assertEqual(len(self.entries()), 1)
        self.assertAlmostEqual(self.entries().unit_amount, 1.0)

    def test_start_from_the_task(self):
        action = self.task.with_user(self.me).action_agency_timer_start()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.Timer.get_current()["timers"][0]["task_id"], self.task.id)


class TestTimerConcurrency(TransactionCase):
    def test_two_cursors_cannot_both_start_a_timer(self):
        """Two devices start a timer at the same moment: two real, concurrent
        database transactions. Only one timer runs; the other gets a clear error.

        The records it needs are committed (and removed afterwards) because the
        two transactions must see them; this class writes nothing in the test's
        own transaction, which would otherwise hold locks they wait on."""
        connection = odoo.sql_db.db_connect(self.env.cr.dbname)
        with connection.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            user = new_test_user(
                env, login="agency_race", groups="agency_timesheet.group_agency_user"
            )
            employee = env["hr.employee"].create({"name": "Racer", "user_id": user.id})
            project = env["project.project"].create(
                {"name": "Race", "allow_timesheets": True}
            )
            ids = user.id, employee.id, project.id
            # The other transactions must see these records: commit them (they
            # are removed in the `finally` below).
            cr.commit()  # pylint: disable=invalid-commit
        user_id, employee_id, project_id = ids
        try:
            with connection.cursor() as cr1, connection.cursor() as cr2:
                first = api.Environment(cr1, user_id, {})["agency.timer"]
                second = api.Environment(cr2, user_id, {})["agency.timer"]
                # both transactions are under way before either starts its timer
                self.assertFalse(first.search([]) or second.search([]))
                first.action_start(project_id=project_id)
                cr1.commit()  # pylint: disable=invalid-commit
                with (
                    mute_logger("odoo.sql_db"),
                    self.assertRaisesRegex(UserError, "only one timer runs"),
                ):
                    second.action_start(project_id=project_id)
                cr2.rollback()
                cr2.execute(
                    "SELECT count(*) FROM agency_timer "
                    "WHERE user_id = %s AND state = 'running'",
                    [user_id],
                )
                self.assertEqual(cr2.fetchone()[0], 1)
        finally:
            with connection.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                cr.execute("DELETE FROM agency_timer WHERE user_id = %s", [user_id])
                env["hr.employee"].browse(employee_id).unlink()
                env["project.project"].browse(project_id).unlink()
                user = env["res.users"].browse(user_id)
                partner = user.partner_id
                user.unlink()
                partner.unlink()
                cr.commit()  # pylint: disable=invalid-commit


class TestTimerBadInput(TimerCase):
    def test_note_too_long(self):
        with self.assertRefused(ValidationError, "characters"):
            self.Timer.action_start(task_id=self.task.id, note="x" * 501)
        self.assertFalse(self.Timer.search([]), "nothing saved")

    def test_archived_project_or_no_timesheets(self):
        archived = self.env["project.project"].create(
            {"name": "Old Campaign", "allow_timesheets": True}
        )
        archived.active = False
        with self.assertRefused(ValidationError, "Old Campaign"):
            self.Timer.action_start(project_id=archived.id)
        no_time = self.env["project.project"].create(
            {"name": "No Timesheets", "allow_timesheets": False}
        )
        with self.assertRefused(ValidationError, "No Timesheets"):
            self.Timer.action_start(project_id=no_time.id)
        self.assertFalse(self.Timer.search([]))

    def test_nothing_to_start_on(self):
        with self.assertRefused(UserError, "Choose a task or a project"):
            self.Timer.action_start()

    def test_user_without_employee(self):
        lonely = self.new_user("agency_lonely", "user")
        timer = self.env["agency.timer"].with_user(lonely)
        with self.assertRefused(UserError, "no employee"):
            timer.action_start(project_id=self.project.id)


class TestEntryChecks(AgencyCase):
    def test_negative_duration(self):
        with self.assertRefused(ValidationError, "cannot be negative"):
            self.log(self.employees["user"], -1.0)

    def test_day_over_24_hours(self):
        self.log(self.employees["user"], 20.0)
        with self.assertRefused(ValidationError, "24 hours.*Agency user"):
            self.log(self.employees["user"], 5.0)
        # the same hours on another day, or for another person, are fine
        self.log(self.employees["user"], 5.0, day="2026-03-03")
        self.log(self.employees["producer"], 5.0)
        line = self.log(self.employees["user"], 4.0)
        with self.assertRefused(ValidationError, "24 hours"):
            line.unit_amount = 4.5

    def test_archived_project(self):
        project = self.env["project.project"].create(
            {"name": "Finished Campaign", "allow_timesheets": True}
        )
        project.active = False
        with self.assertRefused(ValidationError, "Finished Campaign.*archived"):
            self.log(self.employees["user"], 1.0, project_id=project.id, task_id=False)

    def test_task_of_another_company(self):
        other = self.env["res.company"].create({"name": "Other Studio"})
        foreign = self.env["project.project"].create(
            {"name": "Foreign", "company_id": other.id, "allow_timesheets": True}
        )
        foreign_task = self.env["project.task"].create(
            {"name": "Foreign task", "project_id": foreign.id, "company_id": other.id}
        )
        self.env.user.company_ids |= other
        with self.assertRefused(ValidationError, "Foreign task.*Other Studio"):
            self.log(
                self.employees["user"],
                1.0,
                project_id=foreign.id,
                task_id=foreign_task.id,
            )
        # and a timer on it: the person has no employee in that company
        timer = self.env["agency.timer"].with_user(self.users["user"])
        self.users["user"].company_ids |= other
        with self.assertRefused(UserError, "no employee in Other Studio"):
            timer.action_start(task_id=foreign_task.id)


class TestForgottenTimers(TimerCase):
    """The cron stops timers left running, in each person's own time zone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Standard 40 h calendar: 8:00-12:00 and 13:00-17:00 local time.
        cls.la_user = cls.new_user("agency_la", "user", tz="America/Los_Angeles")
        cls.la_employee = cls.env["hr.employee"].create(
            {
                "name": "Lee in LA",
                "user_id": cls.la_user.id,
                "tz": "America/Los_Angeles",
                "resource_calendar_id": cls.company.resource_calendar_id.id,
            }
        )
        cls.syd_user = cls.new_user("agency_syd", "user", tz="Australia/Sydney")
        cls.syd_employee = cls.env["hr.employee"].create(
            {
                "name": "Sam in Sydney",
                "user_id": cls.syd_user.id,
                "tz": "Australia/Sydney",
                "resource_calendar_id": cls.company.resource_calendar_id.id,
            }
        )

    def start(self, user, utc):
        with freeze_time(utc):
            info = (
                self.env["agency.timer"]
                .with_user(user)
                .action_start(task_id=self.task.id, note="forgot me")
            )
        return self.env["agency.timer"].browse(info["id"])

    def cron(self, utc):
        with freeze_time(utc):
            self.env["agency.timer"]._cron_stop_forgotten()

    def test_stopped_at_the_end_of_the_local_working_day(self):
        # Monday 2 March 2026, 09:00 in Los Angeles (PST, UTC-8) = 17:00 UTC.
        timer = self.start(self.la_user, "2026-03-02 17:00:00")
        self.cron("2026-03-03 00:30:00")  # 16:30 in LA: still working
        self.assertEqual(timer.state, "running")
        self.cron("2026-03-03 01:15:00")  # 17:15 in LA: the day is over
        self.assertEqual(timer.state, "stopped")
        self.assertTrue(timer.auto_stopped)
        self.assertEqual(timer.stopped_at, datetime(2026, 3, 3, 1, 0))
        line = self.entries(self.la_user)
        self.assertAlmostEqual(line.unit_amount, 8.0, msg="only up to 17:00 local")
        self.assertEqual(str(line.date), "2026-03-02", "the local day")
        message = self.env["mail.message"].search(
            [("model", "=", "agency.timer"), ("res_id", "=", timer.id)]
        )
        self.assertIn(self.la_user.partner_id, message.partner_ids)
        self.assertIn("2026-03-02 17:00", message.body)

    def test_sydney_and_max_hours(self):
        self.company.agency_timer_stop_at_day_end = False
        self.company.agency_timer_max_hours = 10
        # Monday 2 March 2026, 08:00 in Sydney (AEDT, UTC+11) = Sunday 21:00 UTC.
        timer = self.start(self.syd_user, "2026-03-01 21:00:00")
        # Known from the start: whose time it is and the day its entry gets.
        self.assertEqual(timer.employee_id, self.syd_employee)
        self.assertEqual(str(timer.date), "2026-03-02")
        self.cron("2026-03-02 06:59:00")
        self.assertEqual(timer.state, "running")
        self.cron("2026-03-02 07:01:00")
        self.assertEqual(timer.state, "stopped")
        line = self.entries(self.syd_user)
        self.assertAlmostEqual(line.unit_amount, 10.0)
        self.assertEqual(str(line.date), "2026-03-02", "Monday in Sydney")

    def test_evening_run_is_capped_by_the_limit_only(self):
        # 19:00 in LA, after the working day: stops 10 hours later.
        timer = self.start(self.la_user, "2026-03-03 03:00:00")
        self.cron("2026-03-03 12:00:00")
        self.assertEqual(timer.state, "running")
        self.cron("2026-03-03 13:05:00")
        self.assertEqual(timer.state, "stopped")
        self.assertAlmostEqual(self.entries(self.la_user).unit_amount, 10.0)

    def test_paused_timers_are_left_alone(self):
        timer = self.start(self.la_user, "2026-03-02 17:00:00")
        with freeze_time("2026-03-02 18:00:00"):
            timer.with_user(self.la_user).action_pause()
        self.cron("2026-03-04 00:00:00")
        self.assertEqual(timer.state, "paused")


class TestTimerPrivacy(TimerCase):
    def test_nobody_else_sees_my_timer(self):
        info = self.Timer.action_start(task_id=self.task.id, note="secret idea")
        for level in ("producer", "billing", "admin"):
            other = self.env["agency.timer"].with_user(self.users[level])
            self.assertFalse(other.search([("id", "=", info["id"])]), level)
            with self.assertRaises(AccessError, msg=level):
                other.browse(info["id"]).read(["note"])
        with self.assertRaises(AccessError):
            self.env["agency.timer"].with_user(self.users["internal"]).search([])

    def test_producers_see_their_projects_timers_when_allowed(self):
        info = self.Timer.action_start(task_id=self.task.id, note="visible")
        self.company.agency_timers_visible_to_producers = True
        producer = self.env["agency.timer"].with_user(self.users["producer"])
        self.assertEqual(producer.search([("id", "=", info["id"])]).note, "visible")
        with self.assertRaises(AccessError):
            producer.browse(info["id"]).action_stop()
        admin = self.env["agency.timer"].with_user(self.users["admin"])
        self.assertFalse(
            admin.search([("id", "=", info["id"])]),
            "an administrator who is not the project's producer still does not see it",
        )


class TestTimerQueries(TimerCase):
    """Query budgets: starting a timer costs at most 15 queries; stopping it costs
    what creating its timesheet entry costs in Odoo (measured here the same way),
    plus at most 3 queries of timer bookkeeping (lock, read, write the timer)."""

    def count(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        result = func()
        self.env.flush_all()
        return self.cr.sql_log_count - before, result

    def test_start_and_stop_query_budget(self):
        # warm the registry caches (rules, defaults), like a running server
        for _warm_up in range(2):
            self.env.invalidate_all()
            warm = self.Timer.action_start(task_id=self.task.id)["id"]
            with freeze_time(fields.Datetime.now() + timedelta(minutes=30)):
                self.Timer.browse(warm).action_stop()

        start_cost, info = self.count(
            lambda: self.Timer.action_start(task_id=self.task.id, note="budget")
        )
        self.assertLessEqual(start_cost, 15, f"start: {start_cost} queries")

        entry_cost, _line = self.count(
            lambda: (
                self.env["account.analytic.line"]
                .with_user(self.me)
                .create(
                    {
                        "employee_id": self.employees["user"].id,
                        "project_id": self.project.id,
                        "task_id": self.task.id,
                        "date": fields.Date.today(),
                        "unit_amount": 0.5,
                        "name": "same entry, by hand",
                    }
                )
            )
        )
        with freeze_time(fields.Datetime.now() + timedelta(hours=1)):
            stop_cost, line = self.count(
                lambda: self.Timer.browse(info["id"]).action_stop()
            )
        self.assertTrue(line)
        self.assertLessEqual(
            stop_cost,
            entry_cost + 3,
            f"stop: {stop_cost} queries, Odoo's create of the entry: {entry_cost}",
        )
