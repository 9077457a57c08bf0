import random
import unittest
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import ClassVar

import pytz
from freezegun import freeze_time

from odoo.tests import tagged

from ..demo.people import PEOPLE
from ..demo.plan import local_day_bounds
from ..demo.projects import PROJECTS
from ..demo.timesheets import (
    LATE_LOGGER,
    OVER_CAPACITY,
    REJECT_REASON,
    REJECTED,
    plan_rejected_entry,
    plan_timesheets,
    split_hours,
    workdays,
)
from ..models.agency_timer import forgotten_cutoff
from .demo_common import DemoCase


class TestDemoPlan(unittest.TestCase):
    """The pure planning functions behind the demo agency (no database)."""

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

    PEOPLE: ClassVar[dict] = {
        "ana": {"role": "DES", "weekdays": set(range(5)), "share": 0.9},
        "bo": {"role": "CW", "weekdays": {0, 1, 2}, "share": 0.85},
        OVER_CAPACITY: {"role": "DES", "weekdays": set(range(5)), "share": 0.9},
        LATE_LOGGER: {"role": "DES", "weekdays": set(range(5)), "share": 0.9},
    }

    def _plan(self, days_off=None, seed=None):
        projects = {
            "p1": {
                "team": ["ana", "bo", OVER_CAPACITY, LATE_LOGGER],
                "tasks": [("Design", 3.0), ("Meetings", 1.0)],
            },
            "p2": {"team": ["ana"], "tasks": [("Design", 1.0)]},
        }
        kwargs = {} if seed is None else {"seed": seed}
        return plan_timesheets(
            self.PEOPLE,
            projects,
            date(2026, 3, 2),
            date(2026, 5, 29),
            days_off or {},
            **kwargs,
        )

    def test_plan_days_hold_the_day_lengths_and_client_shares(self):
        """Each person-day is one of the day lengths, split between client
        work (the role's share, in quarter hours) and internal time; only the
        late logger logs late, and about half of the time."""
        days = defaultdict(lambda: {"client": 0.0, "internal": 0.0, "late": set()})
        for entry in self._plan():
            day = days[(entry["person"], entry["date"])]
            day["client" if entry["project"] else "internal"] += entry["hours"]
            day["late"].add(entry["late"])
            self.assertGreater(entry["hours"], 0)
            self.assertTrue((entry["hours"] * 4).is_integer(), entry)
        normal = {7.5, 7.75, 8.0, 8.25, 8.5}
        late_days = 0
        for (person, _day), day in days.items():
            total = day["client"] + day["internal"]
            self.assertIn(
                total, {10.0, 10.5, 11.0, 11.5} if person == OVER_CAPACITY else normal
            )
            share = self.PEOPLE[person]["share"]
            self.assertAlmostEqual(day["client"], round(total * share / 0.25) * 0.25)
            self.assertEqual(len(day["late"]), 1, "a day is late or not, whole")
            if person != LATE_LOGGER:
                self.assertEqual(day["late"], {False})
            late_days += day["late"] == {True}
        theirs = sum(1 for person, _d in days if person == LATE_LOGGER)
        self.assertTrue(0.3 * theirs < late_days < 0.7 * theirs, (late_days, theirs))

    def test_plan_is_the_same_studio_for_the_same_seed_only(self):
        """The seed decides the studio: another seed gives other days, so the
        demo built twice on one day is the same only because the seed is."""
        other = self._plan(seed=7)
        self.assertNotEqual(
            [(e["person"], e["date"], e["hours"]) for e in self._plan()],
            [(e["person"], e["date"], e["hours"]) for e in other],
        )
        self.assertEqual(
            {(e["person"], e["date"]) for e in other if e["project"]},
            {(e["person"], e["date"]) for e in self._plan(seed=7) if e["project"]},
        )

    def test_the_rejected_entry_is_always_planned(self):
        day = date(2026, 3, 4)
        base = [
            {"person": "dani", "project": None, "task": "Meeting", "date": day,
             "hours": 1.0, "note": "Stand-up", "late": False},
            {"person": "dani", "project": "citrus", "task": "Concepts", "date": day,
             "hours": 3.0, "note": "Sketches", "late": False},
            {"person": "lea", "project": "acme", "task": "Concepts", "date": day,
             "hours": 4.0, "note": "Layout", "late": False},
        ]  # fmt: skip
        # Dani logged Citrus work that day: it is the entry, now on Acme.
        entries = [dict(e) for e in base]
        index = plan_rejected_entry(
            entries, "dani", "acme", day, "Concepts", 2.0, "Key visual"
        )
        self.assertEqual(index, 1)
        self.assertEqual(len(entries), 3, "nothing added")
        self.assertEqual(
            (entries[1]["project"], entries[1]["hours"], entries[1]["note"]),
            ("acme", 3.0, "Key visual"),
        )
        self.assertEqual(sum(e["hours"] for e in entries), 8.0, "the day's hours")
        # Only internal time that day: an entry is added.
        entries = [dict(base[0]), dict(base[2])]
        index = plan_rejected_entry(
            entries, "dani", "acme", day, "Concepts", 2.0, "Key visual"
        )
        self.assertEqual(len(entries), 3)
        self.assertEqual(
            {k: entries[index][k] for k in ("person", "project", "date", "hours")},
            {"person": "dani", "project": "acme", "date": day, "hours": 2.0},
        )

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


@tagged("post_install", "-at_install")
class TestDemoAgency(DemoCase):
    """The demo agency as `make demo` shows it (needs demo data installed: a
    database with demo data but no demo agency fails, see demo_common.py)."""

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
        today = self.plan.today
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
        self.assertEqual(
            (leave.date_from, leave.date_to),
            local_day_bounds(*self.plan.leaves["anna"], anna.tz),
            "a week of whole days where she lives",
        )
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
        plan = self.plan
        self.assertEqual(company.agency_timesheet_lock_date, plan.lock_date)
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
        # the week to review is after the lock date, everyone but the late
        # logger submitted it, and everything before it is approved
        first, last = plan.review_week
        self.assertGreater(first, company.agency_timesheet_lock_date)
        week = Line.search(
            [("role_id", "!=", False), ("date", ">=", first), ("date", "<=", last)]
        )
        theo = self.env.ref(f"agency_demo.employee_{LATE_LOGGER}")
        self.assertEqual(
            set(
                (week - week.filtered(lambda l: l.employee_id == theo)).mapped(
                    "approval_state"
                )
            ),
            {"submitted", "rejected"},
        )
        self.assertFalse(
            Line.search_count(
                [
                    ("role_id", "!=", False),
                    ("project_id", "!=", False),
                    ("date", "<", first),
                    ("approval_state", "!=", "approved"),
                ]
            )
        )
        rejected = Line.search([("approval_state", "=", "rejected")])
        self.assertEqual(
            rejected.employee_id, self.env.ref("agency_demo.employee_dani")
        )
        self.assertIn("Citrus", rejected.reject_reason)
        self.assertEqual(rejected.reject_reason, REJECT_REASON)
        self.assertEqual(rejected.date, plan.rejected_day)
        self.assertEqual(
            rejected.project_id,
            self.env.ref(f"agency_demo.project_{REJECTED['project']}"),
        )
        streaks = self.env["agency.consistency"].search([]).mapped("streak")
        self.assertGreater(len(set(streaks)), 3, "the leaderboard has real differences")
        timers = self.env["agency.timer"].search([("state", "=", "running")])
        self.assertGreaterEqual(len(timers), 3)

    def test_paula_has_a_week_to_approve(self):
        """Her Weeks to Review shows the week to review, with working hours and
        time submitted for her projects."""
        paula = self.env.ref("agency_demo.user_paula")
        rows = self.env["agency.week.review"].with_user(paula)._build_rows()
        waiting = rows.filtered(lambda row: row.submitted_hours > 0)
        self.assertTrue(waiting)
        self.assertEqual(set(waiting.mapped("week_start")), {self.plan.review_week[0]})
        self.assertTrue(all(row.expected_hours > 0 for row in waiting))
        self.assertIn(
            self.env.ref("agency_demo.employee_dani"),
            rows.filtered(lambda row: row.rejected_hours > 0).employee_id,
        )

    def test_timers_running_and_forgotten(self):
        """Two timers run: when the demo started them, the forgotten-timer
        check would not stop them (whatever the hour of the build); the
        forgotten one, since the morning of the last working day, it stops at
        its limit, and its owner is told."""
        company = self.env.ref("base.main_company")
        limit = company.agency_timer_max_hours or 10.0
        running = [
            self.env.ref(f"agency_demo.timer_{key}") for key in ("dani", "paula")
        ]
        forgotten = self.env.ref("agency_demo.timer_pedro")
        for timer in running:
            self.assertEqual(timer.state, "running")
            day_end = (
                timer._workday_end() if company.agency_timer_stop_at_day_end else None
            )
            cutoff = forgotten_cutoff(
                timer.run_started_at, timer.accumulated_seconds, limit, day_end
            )
            self.assertGreater(cutoff, timer.create_date, timer.user_id.name)
        self.assertEqual(forgotten.state, "running")
        self.assertEqual(forgotten.run_started_at.date(), self.plan.forgotten_timer_day)
        self.env["agency.timer"]._cron_stop_forgotten()
        self.assertTrue(forgotten.auto_stopped)
        self.assertNotEqual(forgotten.state, "running")
        self.assertTrue(forgotten.line_id, "its time up to the limit is kept")
        self.assertLessEqual(forgotten.line_id.unit_amount, limit)


@tagged("post_install", "-at_install")
class TestDemoOnAwkwardDays(DemoCase):
    """The plan for the days the issue names, against the demo agency's real
    calendars in the database: every person has working time in the week to
    review, in their own time zone, leave and the studio's day off included,
    and the lock date is accepted on that day."""

    DAYS = (date(2027, 1, 1), date(2027, 3, 1), date(2028, 2, 29), date(2027, 10, 31))

    def test_a_week_to_review_on_awkward_days(self):
        Demo = self.env["agency.demo"]
        employees = self.env["hr.employee"].browse(
            self.env.ref(f"agency_demo.employee_{key}").id for key, *_r in PEOPLE
        )
        company = self.env.ref("base.main_company")
        for today in self.DAYS:
            plan = Demo._demo_plan(today)
            first, last = plan.review_week
            for employee in employees:
                tz = pytz.timezone(employee.tz)
                start = tz.localize(datetime.combine(first, time.min))
                stop = tz.localize(datetime.combine(last, time.max))
                intervals = employee.resource_calendar_id._work_intervals_batch(
                    start, stop, resources=employee.resource_id, tz=tz
                )[employee.resource_id.id]
                days = {begin.date() for begin, _end, _records in intervals}
                self.assertTrue(days, f"{employee.name}, demo of {today}")
                if employee == self.env.ref("agency_demo.employee_dani"):
                    self.assertIn(plan.rejected_day, days, today)
            with freeze_time(datetime.combine(today, time(0, 30))):
                company.agency_timesheet_lock_date = plan.lock_date
                self.assertEqual(company.agency_timesheet_lock_date, plan.lock_date)


@tagged("post_install", "-at_install")
class TestDemoPilot(DemoCase):
    """The demo's last step: a pilot of Design and Development, Dani and
    Paula its champions in the Pilot Champions channel."""

    keep_pilot = True

    def test_pilot_of_two_teams(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.agency_pilot_scope, "selected")
        self.assertEqual(
            sorted(company.agency_pilot_department_ids.mapped("name")),
            ["Design", "Development"],
        )
        channel = company.agency_champion_channel_id
        self.assertEqual(channel.name, "Pilot Champions")
        champions = self.env.ref("agency_timesheet.group_agency_champion").users
        for key in ("dani", "paula"):
            user = self.env.ref(f"agency_demo.user_{key}")
            self.assertIn(user, champions)
            self.assertIn(user.partner_id, channel.channel_member_ids.partner_id)
        # the lock date holds for the pilot's teams only
        Line = self.env["account.analytic.line"]
        locked = [
            ("date", "<=", company.agency_timesheet_lock_date),
            ("project_id", "!=", False),
        ]
        dani = self.env.ref("agency_demo.employee_dani")
        bruno = self.env.ref("agency_demo.employee_bruno")
        self.assertEqual(
            set(Line.search([*locked, ("employee_id", "=", dani.id)]).mapped(
                "agency_locked"
            )),
            {True},
        )  # fmt: skip
        strategy = Line.search([*locked, ("employee_id", "=", bruno.id)])
        self.assertTrue(strategy)
        self.assertFalse(
            any(strategy.mapped("agency_locked")), "Strategy is not in the pilot"
        )
        # widening the pilot is one setting
        company.agency_pilot_scope = "everyone"
        strategy.invalidate_recordset(["agency_locked"])
        self.assertEqual(set(strategy.mapped("agency_locked")), {True})
