from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.agency_timesheet.models.agency_my_week import plan_cell

from .common import AgencyCase


class TestPlanCell(AgencyCase):
    """The cell arithmetic: only drafts move, and the cell ends on the target."""

    def test_no_entry_creates_one(self):
        self.assertEqual(plan_cell(1.5, []), ({}, 1.5))

    def test_zero_on_an_empty_cell_creates_nothing(self):
        self.assertEqual(plan_cell(0.0, []), ({}, 0.0))

    def test_one_draft_takes_the_new_hours(self):
        self.assertEqual(plan_cell(2.0, [("a", 0.5, False)]), ({"a": 2.0}, 0.0))
        self.assertEqual(plan_cell(0.0, [("a", 0.5, True)]), ({"a": 0.0}, 0.0))

    def test_same_hours_change_nothing(self):
        self.assertEqual(plan_cell(1.5, [("a", 1.5, True)]), ({}, 0.0))
        self.assertEqual(
            plan_cell(1.5 + 1e-5, [("a", 1.0, True), ("b", 0.5, False)]), ({}, 0.0)
        )

    def test_more_time_goes_to_the_newest_manual_draft(self):
        drafts = [("old", 1.0, True), ("timer", 2.0, False), ("new", 0.5, True)]
        self.assertEqual(plan_cell(4.5, drafts), ({"new": 1.5}, 0.0))

    def test_more_time_without_manual_draft_is_a_new_entry(self):
        drafts = [("t1", 1.0, False), ("t2", 2.0, False)]
        self.assertEqual(plan_cell(4.0, drafts), ({}, 1.0))

    def test_less_time_comes_off_manual_drafts_first_then_newest(self):
        drafts = [
            ("t1", 2.0, False),
            ("m1", 1.0, True),
            ("t2", 1.0, False),
            ("m2", 0.5, True),
        ]
        # 4.5 h -> 2 h: m2 (0.5) and m1 (1.0) go to zero, then t2 loses 1.0
        updates, new = plan_cell(2.0, drafts)
        self.assertEqual(updates, {"m2": 0.0, "m1": 0.0, "t2": 0.0})
        self.assertEqual(new, 0.0)
        updates, new = plan_cell(3.0, drafts)
        self.assertEqual(updates, {"m2": 0.0, "m1": 0.0})
        updates, new = plan_cell(1.0, drafts)
        self.assertEqual(updates, {"m2": 0.0, "m1": 0.0, "t2": 0.0, "t1": 1.0})

    def test_cell_totals_hold(self):
        drafts = [("t1", 2.0, False), ("m1", 1.0, True), ("t2", 1.25, False)]
        hours = {key: h for key, h, _manual in drafts}
        for target in (0.0, 0.25, 1.0, 3.0, 4.25, 6.0, 9.75):
            for fixed in (0.0, 0.5):
                if target < fixed:
                    continue
                updates, new = plan_cell(target, drafts, fixed)
                total = sum({**hours, **updates}.values()) + new + fixed
                self.assertAlmostEqual(total, target, places=6, msg=(target, fixed))
                self.assertTrue(all(h >= 0 for h in updates.values()))

    def test_fixed_hours_are_never_moved(self):
        self.assertEqual(
            plan_cell(3.0, [("a", 1.0, True)], fixed=1.5), ({"a": 1.5}, 0.0)
        )
        self.assertEqual(plan_cell(2.0, [], fixed=1.5), ({}, 0.5))
        self.assertEqual(plan_cell(1.5, [], fixed=1.5), ({}, 0.0))
        with self.assertRaises(ValueError):
            plan_cell(1.0, [("a", 1.0, True)], fixed=1.5)


@tagged("post_install", "-at_install")
class TestMyWeek(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.agency_week_start = "0"  # weeks start on Monday
        cls.user = cls.users["user"]
        cls.employee = cls.employees["user"]
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "My Week 40h", "tz": "America/New_York"}
        )
        cls.employee.write(
            {"resource_calendar_id": cls.calendar.id, "tz": "America/New_York"}
        )
        # A public holiday on Friday 6 March 2026, New York time.
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Studio day off",
                "calendar_id": cls.calendar.id,
                "date_from": "2026-03-06 05:00:00",
                "date_to": "2026-03-07 04:59:59",
            }
        )
        cls.task2 = cls.env["project.task"].create(
            {"name": "Storyboards", "project_id": cls.project.id}
        )
        cls.Week = cls.env["agency.my.week"].with_user(cls.user)

    def cell(self, week, task, day):
        row = next(r for r in week["rows"] if r["task_id"] == task.id)
        return next(c for c in row["cells"] if c["date"] == day)

    def entries(self, task=None, day="2026-03-04"):
        return self.env["account.analytic.line"].search(
            [
                ("employee_id", "=", self.employee.id),
                ("task_id", "=", (task or self.task).id),
                ("date", "=", day),
            ]
        )

    def test_week_grid_totals_and_expected_hours(self):
        self.log(self.employee, 2.0, day="2026-03-02")
        self.log(self.employee, 1.5, day="2026-03-02", task_id=self.task2.id)
        self.log(self.employee, 0.5, day="2026-03-04")
        self.log(self.employee, 0.25, day="2026-03-04")
        self.log(self.employees["producer"], 5.0, day="2026-03-04")  # not mine
        week = self.Week.get_week("2026-03-04")
        self.assertEqual(week["start"], "2026-03-02")
        self.assertEqual([d["date"] for d in week["days"]][-1], "2026-03-08")
        self.assertEqual(len(week["rows"]), 2)
        row = next(r for r in week["rows"] if r["task_id"] == self.task.id)
        self.assertEqual([c["hours"] for c in row["cells"]], [2.0, 0, 0.75, 0, 0, 0, 0])
        self.assertEqual(row["total"], 2.75)
        self.assertEqual(
            [d["logged"] for d in week["days"]], [3.5, 0, 0.75, 0, 0, 0, 0]
        )
        self.assertEqual(week["total"], 4.25)
        # 8 h Monday to Thursday, the holiday on Friday, nothing at the weekend
        self.assertEqual([d["expected"] for d in week["days"]], [8, 8, 8, 8, 0, 0, 0])
        self.assertEqual(week["days"][4]["leave"], "Studio day off")
        self.assertEqual(week["expected"], 32)

    def test_set_cell_creates_a_manual_draft(self):
        week = self.Week.set_cell(self.project.id, self.task.id, "2026-03-04", 1.5)
        line = self.entries()
        self.assertEqual(len(line), 1)
        self.assertEqual(
            (line.unit_amount, line.entry_source, line.approval_state, line.user_id),
            (1.5, "manual", "draft", self.user),
        )
        self.assertEqual(self.cell(week, self.task, "2026-03-04")["hours"], 1.5)

    def test_set_cell_on_a_project_without_task(self):
        self.Week.set_cell(self.project.id, False, "2026-03-04", 2.0)
        line = self.env["account.analytic.line"].search(
            [("employee_id", "=", self.employee.id), ("task_id", "=", False)]
        )
        self.assertEqual((line.project_id, line.unit_amount), (self.project, 2.0))

    def test_set_cell_updates_the_one_draft(self):
        timer_line = self.log(
            self.employee, 0.5, day="2026-03-04", entry_source="timer"
        )
        self.Week.set_cell(self.project.id, self.task.id, "2026-03-04", 2.25)
        self.assertEqual(self.entries(), timer_line)
        self.assertEqual(timer_line.unit_amount, 2.25)

    def test_set_cell_leaves_other_entries_alone(self):
        timer_line = self.log(
            self.employee, 2.0, day="2026-03-04", entry_source="timer"
        )
        manual = self.log(self.employee, 1.0, day="2026-03-04")
        rejected = self.log(
            self.employee, 0.5, day="2026-03-04", approval_state="rejected"
        )
        other_day = self.log(self.employee, 3.0, day="2026-03-05")
        self.Week.set_cell(self.project.id, self.task.id, "2026-03-04", 4.0)
        self.assertEqual(
            (timer_line.unit_amount, manual.unit_amount, rejected.unit_amount),
            (2.0, 1.5, 0.5),
        )
        week = self.Week.set_cell(self.project.id, self.task.id, "2026-03-04", 1.0)
        self.assertEqual(
            (timer_line.unit_amount, manual.unit_amount, rejected.unit_amount),
            (0.5, 0.0, 0.5),
        )
        self.assertEqual(self.cell(week, self.task, "2026-03-04")["hours"], 1.0)
        self.assertEqual(other_day.unit_amount, 3.0)
        with self.assertRaisesRegex(UserError, "sent back"):
            self.Week.set_cell(self.project.id, self.task.id, "2026-03-04", 0.25)

    def test_submitted_and_approved_cells_are_read_only(self):
        for state, word in (("submitted", "submitted"), ("approved", "approved")):
            day = "2026-03-03" if state == "submitted" else "2026-03-05"
            line = self.log(self.employee, 1.0, day=day, approval_state=state)
            self.log(self.employee, 1.0, day=day)
            week = self.Week.get_week(day)
            cell = self.cell(week, self.task, day)
            self.assertTrue(cell["readonly"])
            self.assertIn(word, cell["reason"])
            with self.assertRaisesRegex(UserError, word):
                self.Week.set_cell(self.project.id, self.task.id, day, 5.0)
            self.assertEqual(line.unit_amount, 1.0)
            self.assertEqual(sum(self.entries(day=day).mapped("unit_amount")), 2.0)

    def test_bad_input_is_refused(self):
        self.log(self.employee, 20.0, day="2026-03-04", task_id=self.task2.id)
        with self.assertRaises(ValidationError):
            self.Week.set_cell(self.project.id, self.task.id, "2026-03-04", 5.0)
        with self.assertRaises(UserError):
            self.Week.set_cell(self.project.id, self.task.id, "2026-03-04", -1.0)
        with self.assertRaises(UserError):
            self.Week.set_cell(self.project.id, self.task.id, "2026-03-04", "abc")
        archived = self.env["project.project"].create(
            {"name": "Old campaign", "allow_timesheets": True}
        )
        archived.active = False
        with self.assertRaises(ValidationError) as caught:
            self.Week.set_cell(archived.id, False, "2026-03-04", 1.0)
        self.assertIn("archived", str(caught.exception))
        self.assertFalse(self.entries())

    def test_a_user_without_employee_is_told_so(self):
        nobody = self.new_user("agency_week_nobody", "user")
        with self.assertRaisesRegex(UserError, "no employee"):
            self.env["agency.my.week"].with_user(nobody).get_week()

    def test_days_before_the_lock_date_are_read_only(self):
        self.log(self.employee, 2.0, day="2026-03-03")
        self.company.agency_timesheet_lock_date = "2026-03-03"
        week = self.Week.get_week("2026-03-04")
        locked = self.cell(week, self.task, "2026-03-03")
        self.assertTrue(locked["readonly"])
        self.assertIn("lock date", locked["reason"])
        self.assertFalse(self.cell(week, self.task, "2026-03-04")["readonly"])
        with self.assertRefused(UserError, "lock date"):
            self.Week.set_cell(self.project.id, self.task.id, "2026-03-02", 1.0)

    def test_the_week_uses_the_company_week_start(self):
        self.company.agency_week_start = "6"  # Sunday
        self.assertEqual(self.Week.get_week("2026-03-04")["start"], "2026-03-01")
        self.company.agency_week_start = "0"
        self.assertEqual(self.Week.get_week("2026-03-04")["start"], "2026-03-02")


@tagged("post_install", "-at_install")
class TestSearchTargets(AgencyCase):
    def test_tasks_of_timesheet_projects_mine_first(self):
        user = self.users["user"]
        no_timesheet = self.env["project.project"].create(
            {"name": "Zebrafish sans timesheets", "allow_timesheets": False}
        )
        self.env["project.task"].create(
            {"name": "Zebrafish hidden", "project_id": no_timesheet.id}
        )
        others = self.env["project.task"].create(
            {"name": "Zebrafish for someone", "project_id": self.project.id}
        )
        mine = self.env["project.task"].create(
            {
                "name": "Zebrafish mine",
                "project_id": self.project.id,
                "user_ids": [(4, user.id)],
            }
        )
        Task = self.env["project.task"].with_user(user)
        targets = Task.agency_search_targets("zebrafish")
        self.assertEqual([t["task_id"] for t in targets], [mine.id, others.id])
        targets = Task.agency_search_targets("campaign zebrafish mine")
        self.assertEqual([t["task_id"] for t in targets], [mine.id])
        projects = [
            t for t in Task.agency_search_targets("test campaign") if not t["task_id"]
        ]
        self.assertEqual([t["project_id"] for t in projects], [self.project.id])

    def test_without_query_recent_tasks_first(self):
        user = self.users["user"]
        self.log(self.employees["user"], 1.0, day="2026-03-02", task_id=self.task.id)
        targets = self.env["project.task"].with_user(user).agency_search_targets("")
        self.assertEqual(targets[0]["task_id"], self.task.id)
        self.assertEqual(targets[0]["project_name"], "Test Campaign")
