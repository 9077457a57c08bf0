import json
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import AgencyCase, stock_policies


class ApprovalCase(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the project's producer is users["producer"]; another producer:
        cls.other_producer = cls.new_user("agency_producer2", "producer")

    def entries(self, *hours, employee="user", day="2026-03-02"):
        return self.env["account.analytic.line"].concat(
            *(self.log(self.employees[employee], h, day=day) for h in hours)
        )

    def as_(self, user, lines):
        return lines.with_user(user)


class TestApprovalFlow(ApprovalCase):
    def test_submit_approve(self):
        lines = self.entries(2.0, 3.0)
        self.as_(self.users["user"], lines).action_submit()
        self.assertEqual(set(lines.mapped("approval_state")), {"submitted"})
        self.assertEqual(lines.submitted_by_id, self.users["user"])
        self.assertEqual(lines.approver_id, self.users["producer"])
        self.as_(self.users["producer"], lines).action_approve()
        self.assertEqual(set(lines.mapped("approval_state")), {"approved"})
        self.assertEqual(lines.approved_by_id, self.users["producer"])

    def test_reject_resubmit_approve(self):
        line = self.entries(4.0)
        self.as_(self.users["user"], line).action_submit()
        with self.assertRefused(UserError, "Say why"):
            self.as_(self.users["producer"], line).action_reject("  ")
        wizard = (
            self.env["agency.approval.wizard"]
            .with_user(self.users["producer"])
            .with_context(active_model="account.analytic.line", active_ids=line.ids)
            .create(
                {"action": "reject", "reason": "This was the Acme pitch, not Bright"}
            )
        )
        wizard.action_confirm()
        self.assertEqual(line.approval_state, "rejected")
        owner_view = self.as_(self.users["user"], line)
        self.assertEqual(
            owner_view.reject_reason, "This was the Acme pitch, not Bright"
        )
        owner_view.write({"unit_amount": 3.5, "name": "Acme pitch"})  # editable again
        owner_view.action_submit()
        self.as_(self.users["producer"], line).action_approve()
        self.assertEqual(line.approval_state, "approved")
        self.assertFalse(line.reject_reason, "the reason goes once approved")

    def test_submit_week_on_behalf(self):
        monday = self.entries(2.0, day="2026-03-02")
        friday = self.entries(3.0, day="2026-03-06")
        next_week = self.entries(1.0, day="2026-03-09")
        Line = self.env["account.analytic.line"].with_user(self.users["producer"])
        Line.action_submit_week("2026-03-04", employee_id=self.employees["user"].id)
        self.assertEqual((monday | friday).mapped("approval_state"), ["submitted"] * 2)
        self.assertEqual(next_week.approval_state, "draft")
        self.assertEqual(monday.submitted_by_id, self.users["producer"], "recorded")
        with self.assertRefused(UserError, "nothing to submit"):
            Line.action_submit_week("2026-03-04", employee_id=self.employees["user"].id)

    def test_submit_my_week(self):
        lines = self.entries(2.0, day="2026-03-03")
        action = (
            self.env["account.analytic.line"]
            .with_user(self.users["user"])
            .action_submit_week("2026-03-05")
        )
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(lines.approval_state, "submitted")

    def test_status_only_through_actions(self):
        line = self.entries(1.0)
        with self.assertRefused(UserError, "only through Submit"):
            self.as_(self.users["user"], line).approval_state = "approved"
        result = (
            self.env["account.analytic.line"]
            .with_user(self.users["user"])
            .load([".id", "approval_state"], [[str(line.id), "approved"]])
        )
        self.assertIn("only through Submit", result["messages"][0]["message"])
        self.assertEqual(line.approval_state, "draft")


class TestApprovalRights(ApprovalCase):
    def test_who_may_approve(self):
        lines = self.entries(2.0)
        self.as_(self.users["user"], lines).action_submit()
        with self.assertRefused(UserError, "Only producers"):
            self.as_(self.users["user"], lines).action_approve()
        with self.assertRefused(UserError, "not the approver"):
            self.as_(self.other_producer, lines).action_approve()
        self.as_(self.users["admin"], lines).action_approve()
        self.assertEqual(lines.approval_state, "approved")

    def test_nobody_approves_their_own_time(self):
        own = self.entries(2.0, employee="producer")
        self.as_(self.users["producer"], own).action_submit()
        with self.assertRefused(UserError, "Nobody approves their own time"):
            self.as_(self.users["producer"], own).action_approve()
        self.company.agency_allow_self_approval = True
        self.as_(self.users["producer"], own).action_approve()
        self.assertEqual(own.approval_state, "approved")

    def test_employee_approver_when_the_project_has_no_producer(self):
        project = self.env["project.project"].create(
            {"name": "No producer", "allow_timesheets": True, "user_id": False}
        )
        self.employees["user"].agency_approver_id = self.other_producer
        line = self.log(
            self.employees["user"], 1.0, project_id=project.id, task_id=False
        )
        self.assertEqual(line.approver_id, self.other_producer)
        self.as_(self.users["user"], line).action_submit()
        self.as_(self.other_producer, line).action_approve()
        self.assertEqual(line.approval_state, "approved")

    def test_wrong_states(self):
        draft = self.entries(1.0)
        with self.assertRefused(
            UserError, "Only submitted entries can be approved.*1 h"
        ):
            self.as_(self.users["producer"], draft).action_approve()
        with self.assertRefused(UserError, "Only approved entries can be reopened"):
            self.as_(self.users["producer"], draft).action_reopen("why not")
        other = self.entries(1.0, employee="producer", day="2026-03-03")
        with self.assertRefused(UserError, "only submit your own"):
            self.as_(self.users["user"], other).action_submit()


class TestLocks(ApprovalCase):
    def approved(self, hours=2.0, day="2026-03-02"):
        line = self.entries(hours, day=day)
        self.as_(self.users["user"], line).action_submit()
        self.as_(self.users["producer"], line).action_approve()
        return line

    def test_approved_entries_are_read_only_to_their_owner(self):
        line = self.approved()
        owner = self.as_(self.users["user"], line)
        with self.assertRefused(UserError, "Approved entries are read-only"):
            owner.unit_amount = 5
        with self.assertRefused(UserError, "cannot be deleted"):
            owner.unlink()
        self.assertEqual(line.unit_amount, 2.0)
        self.as_(self.users["producer"], line).action_reopen("Client asked for detail")
        self.assertEqual(line.approval_state, "draft")
        owner.unit_amount = 2.5
        reopen = self.env["agency.audit"].search(
            [("entry_ids", "in", line.ids), ("reason", "=", "Client asked for detail")]
        )
        self.assertEqual(reopen.new_value, "draft")

    def test_lock_date(self):
        before = self.entries(2.0, day="2026-02-27")
        self.company.agency_timesheet_lock_date = "2026-02-28"
        user_lines = self.env["account.analytic.line"].with_user(self.users["user"])
        with self.assertRefused(UserError, "lock date"):
            user_lines.browse(before.id).unit_amount = 3
        with self.assertRefused(UserError, "lock date"):
            user_lines.browse(before.id).unlink()
        with self.assertRefused(UserError, "No time can be logged on 2026-02-20"):
            user_lines.create(
                {
                    "project_id": self.project.id,
                    "date": "2026-02-20",
                    "unit_amount": 1,
                    "name": "late",
                }
            )
        after = self.entries(1.0, day="2026-03-02")
        with self.assertRefused(UserError, "lock date"):
            user_lines.browse(after.id).date = "2026-02-26"
        # the producer and billing are no exception
        for level in ("producer", "billing"):
            with self.assertRefused(UserError, "lock date"):
                before.with_user(self.users[level]).unit_amount = 3
        # administrators may, and it is audited
        before.with_user(self.users["admin"]).unit_amount = 2.25
        override = self.env["agency.audit"].search(
            [("line_id", "=", before.id), ("operation", "=", "override")]
        )
        self.assertEqual(
            (override.user_id, override.old_value, override.new_value),
            (self.users["admin"], "2.0", "2.25"),
        )
        self.assertEqual(before.unit_amount, 2.25)

    def test_lock_date_holds_for_status_changes(self):
        """A status is a change: on or before the lock date only an
        administrator submits, approves, rejects or reopens, with its audit row."""
        before = self.entries(2.0, day="2026-02-27")
        self.as_(self.users["user"], before).action_submit()
        self.company.agency_timesheet_lock_date = "2026-02-28"
        with self.assertRefused(UserError, "lock date"):
            self.as_(self.users["producer"], before).action_approve()
        with self.assertRefused(UserError, "lock date"):
            self.as_(self.users["producer"], before).action_reject("late")
        self.assertEqual(before.approval_state, "submitted")
        self.as_(self.users["admin"], before).action_approve()
        self.assertEqual(before.approval_state, "approved")
        with self.assertRefused(UserError, "lock date"):
            self.as_(self.users["producer"], before).action_reopen("typo")
        audit = self.env["agency.audit"].search(
            [("entry_ids", "in", before.ids), ("new_value", "=", "approved")]
        )
        self.assertEqual(audit.user_id, self.users["admin"])

    def test_lock_date_holds_for_imports(self):
        self.company.agency_timesheet_lock_date = "2026-02-28"
        result = (
            self.env["account.analytic.line"]
            .with_user(self.users["user"])
            .load(
                ["date", "project_id", "name", "unit_amount"],
                [["2026-02-10", self.project.name, "imported", "1"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertIn("lock date", result["messages"][0]["message"])

    @freeze_time("2026-03-18 12:00:00")  # not the real today: pinned
    def test_lock_date_cannot_be_in_the_future(self):
        with self.assertRefused(ValidationError, "cannot be in the future"):
            self.company.agency_timesheet_lock_date = fields.Date.today() + timedelta(
                days=3
            )
        self.company.agency_timesheet_lock_date = fields.Date.today()


class TestAudit(ApprovalCase):
    def test_every_change_after_submission_is_audited(self):
        line = self.entries(2.0)
        line.with_user(self.users["user"]).name = "draft edits are not audited"
        self.assertFalse(
            self.env["agency.audit"].search([("entry_ids", "in", line.ids)])
        )
        self.as_(self.users["user"], line).action_submit()
        self.as_(self.users["user"], line).with_context(
            agency_reason="Client call was longer"
        ).write({"unit_amount": 2.5, "name": "Kick-off call"})
        self.as_(self.users["producer"], line).action_approve()
        # the entry's history: its own rows and the status batches holding it
        rows = self.env["agency.audit"].search(
            [("entry_ids", "in", line.ids)], order="id"
        )
        self.assertEqual(
            [(r.field_name, r.old_value, r.new_value) for r in rows],
            [
                ("approval_state", "draft", "submitted"),
                ("unit_amount", "2.0", "2.5"),
                ("name", "draft edits are not audited", "Kick-off call"),
                ("approval_state", "submitted", "approved"),
            ],
        )
        self.assertEqual(rows[1].reason, "Client call was longer")
        self.assertEqual(rows[0].user_id, self.users["user"])
        self.assertEqual(rows[3].user_id, self.users["producer"])

    def test_nobody_edits_or_deletes_the_audit_log(self):
        line = self.entries(2.0)
        self.as_(self.users["user"], line).action_submit()
        row = self.env["agency.audit"].search([("entry_ids", "in", line.ids)])
        for level in ("billing", "admin"):
            audit = row.with_user(self.users[level])
            self.assertEqual(audit.new_value, "submitted", "billing and admins read it")
            with self.assertRaises(AccessError):
                audit.write({"new_value": "approved"})
            with self.assertRaises(AccessError):
                audit.unlink()
        with self.assertRaises(UserError):
            row.sudo().write({"new_value": "approved"})
        with self.assertRaises(UserError):
            row.sudo().unlink()
        with self.assertRaises(AccessError):
            row.with_user(self.users["producer"]).read(["new_value"])
        with self.assertRaises(UserError):
            self.env["agency.audit"].with_user(self.users["admin"]).create(
                {"res_model": "x", "res_id": 1, "operation": "write"}
            )


class TestApprovalQueries(ApprovalCase):
    def approve_cost(self, count):
        day = date(2025, 1, 6)
        employees = self.env["hr.employee"].create(
            [
                {"name": f"Q{count}-{i}", "role_id": self.role_designer.id}
                for i in range(count // 20)
            ]
        )
        vals = [
            {
                "employee_id": employees[i % len(employees)].id,
                "project_id": self.project.id,
                "date": day + timedelta(days=i % 20),
                "unit_amount": 1.0,
                "name": "q",
            }
            for i in range(count)
        ]
        lines = self.env["account.analytic.line"].create(vals)
        lines.sudo().action_submit()
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        lines.with_user(self.users["producer"]).action_approve()
        self.env.flush_all()
        self.assertEqual(set(lines.mapped("approval_state")), {"approved"})
        return self.cr.sql_log_count - before

    def test_approving_costs_the_same_for_100_and_1000(self):
        self.approve_cost(100)  # warm
        small = self.approve_cost(100)
        big = self.approve_cost(1000)
        self.assertEqual(small, big, f"100 entries: {small} queries, 1000: {big}")


@tagged("post_install", "-at_install")
class TestLockOverRpc(HttpCase):
    def test_lock_date_over_json_rpc(self):
        user = self.env["res.users"].search([("login", "=", "demo")], limit=1)
        if not user:
            self.skipTest("needs the demo user")
        employee = user.employee_id or self.env["hr.employee"].create(
            {"name": "Demo", "user_id": user.id}
        )
        role = self.env["agency.role"].create({"name": "RPC role", "code": "RPC"})
        employee.role_id = role
        user.groups_id |= self.env.ref("agency_timesheet.group_agency_user")
        project = self.env["project.project"].create(
            {"name": "RPC project", "allow_timesheets": True}
        )
        line = self.env["account.analytic.line"].create(
            {
                "employee_id": employee.id,
                "project_id": project.id,
                "date": "2026-01-15",
                "unit_amount": 1,
                "name": "rpc",
            }
        )
        stock_policies(self.env.company)
        self.env.company.agency_timesheet_lock_date = "2026-01-31"
        self.authenticate("demo", "demo")
        response = self.url_open(
            "/web/dataset/call_kw/account.analytic.line/write",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "account.analytic.line",
                        "method": "write",
                        "args": [line.ids, {"unit_amount": 5}],
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        error = response.json().get("error")
        self.assertTrue(error, "the write must be refused")
        self.assertIn("lock date", error["data"]["message"])
        line.invalidate_recordset()
        self.assertEqual(line.unit_amount, 1)


class TestWeeksToReview(ApprovalCase):
    def test_week_against_target_and_approve(self):
        self.employees["user"].resource_calendar_id = self.company.resource_calendar_id
        monday = date(2026, 3, 2)
        for n, hours in enumerate((8, 8, 6, 8, 4)):
            self.log(self.employees["user"], hours, day=str(monday + timedelta(days=n)))
        Line = self.env["account.analytic.line"].with_user(self.users["user"])
        Line.action_submit_week(str(monday))
        action = (
            self.env["agency.week.review"]
            .with_user(self.users["producer"])
            .action_open()
        )
        rows = (
            self.env["agency.week.review"]
            .with_user(self.users["producer"])
            .search(action["domain"])
        )
        row = rows.filtered(lambda r: r.employee_id == self.employees["user"])
        self.assertEqual(
            (row.week_start, row.expected_hours, row.logged_hours, row.gap_hours),
            (monday, 40.0, 34.0, -6.0),
        )
        self.assertEqual(row.submitted_hours, 34.0)
        entries = row.action_open_entries()
        self.assertEqual(
            len(self.env["account.analytic.line"].search(entries["domain"])), 5
        )
        row.action_approve_week()
        approved = self.env["account.analytic.line"].search(
            [("employee_id", "=", self.employees["user"].id), ("date", ">=", monday)]
        )
        self.assertEqual(set(approved.mapped("approval_state")), {"approved"})
        other = (
            self.env["agency.week.review"].with_user(self.other_producer).action_open()
        )
        self.assertFalse(
            self.env["agency.week.review"]
            .with_user(self.other_producer)
            .search(other["domain"])
            .filtered(lambda r: r.employee_id == self.employees["user"]),
            "another producer does not review these",
        )
