"""Status changes in the audit log, one row per batch (audit_batches.py): with
per-entry detail off (the default) an approval of N entries is one row with the
count and the ids, found by each entry's history, the Audit screen's Entries
button, the XLSX and the personal export; on, one row per entry. The setting is
for Agency Administrators only and its changes are audited."""

import json
import unittest

import psycopg2

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger
from odoo.tools.safe_eval import safe_eval

from ..audit_batches import states_summary
from .common import GROUPS, stock_policies
from .test_approval import ApprovalCase
from .test_audit_trail import _sheet_rows


class TestStatesSummary(unittest.TestCase):
    def test_one_state_or_each_with_its_count(self):
        self.assertEqual(states_summary(["submitted"] * 3), "submitted")
        self.assertEqual(
            states_summary(["submitted", "draft", "submitted"]),
            "draft: 1, submitted: 2",
        )
        self.assertEqual(
            states_summary(["approved"] * 1500 + ["submitted"]),
            "approved: 1,500, submitted: 1",
        )
        self.assertIs(states_summary([]), False)


@tagged("post_install", "-at_install")
class TestBatchRows(ApprovalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # an Agency Administrator who also manages Settings (company writes)
        cls.admin = new_test_user(
            cls.env,
            login="agency_settings_admin",
            groups=f"base.group_system,{GROUPS['admin']}",
        )

    def approve_three(self):
        lines = self.entries(1.0, 2.0, 3.0)
        self.as_(self.users["user"], lines).action_submit()
        self.as_(self.users["producer"], lines).action_approve()
        return lines

    def status_rows(self, lines):
        return self.env["agency.audit"].search(
            [("entry_ids", "in", lines.ids), ("operation", "=", "state")], order="id"
        )

    def test_detail_off_one_row_per_batch(self):
        self.assertFalse(self.company.agency_audit_per_entry, "off by default")
        lines = self.approve_three()
        submit, approve = self.status_rows(lines)
        self.assertEqual(
            (approve.record_count, approve.old_value, approve.new_value),
            (3, "submitted", "approved"),
        )
        self.assertEqual(approve.entry_ids, lines)
        self.assertEqual(approve.user_id, self.users["producer"])
        self.assertFalse(approve.line_id)
        self.assertIn("3 entries: Agency user", approve.res_name)
        self.assertEqual((submit.record_count, submit.old_value), (3, "draft"))
        # one row for the three: nothing per entry
        self.assertFalse(
            self.env["agency.audit"].search(
                [("line_id", "in", lines.ids), ("operation", "=", "state")]
            )
        )
        # each entry's history finds the batch rows, and only those holding it
        for line in lines:
            self.assertEqual(self.status_rows(line), submit | approve)
        other = self.entries(4.0, day="2026-03-03")
        self.assertFalse(self.status_rows(other))
        self.assertNotIn(
            approve,
            self.env["agency.audit"].search([("entry_ids", "not in", lines[:1].ids)]),
        )
        # the name typed in the Audit screen's search box
        lines[0].sudo().name = "Storyboard for the batch"
        found = self.env["agency.audit"].search(
            [("entry_ids", "ilike", "storyboard for the")]
        )
        self.assertIn(approve, found)
        # the entry's Action › Audit History (active_ids in its domain)
        history = self.env.ref("agency_timesheet.agency_audit_action_entry")
        domain = safe_eval(history.domain, {"active_ids": lines[1:2].ids})
        self.assertEqual(
            self.env["agency.audit"]
            .search(domain)
            .filtered(lambda row: row.operation == "state"),
            submit | approve,
        )
        # the Audit screen's Entries button opens exactly them
        action = approve.with_user(self.users["billing"]).action_open_entries()
        self.assertEqual(
            self.env["account.analytic.line"].search(action["domain"]), lines
        )

    def test_mixed_old_states_and_reason(self):
        approved = self.approve_three()
        submitted = self.entries(5.0, day="2026-03-04")
        self.as_(self.users["user"], submitted).action_submit()
        both = approved | submitted
        self.as_(self.users["producer"], both).action_reject("Wrong client")
        row = self.status_rows(submitted)[-1]
        self.assertEqual(
            (row.record_count, row.old_value, row.new_value, row.reason),
            (4, "approved: 3, submitted: 1", "rejected", "Wrong client"),
        )
        self.assertEqual(row.entry_ids, both)

    def test_detail_on_one_row_per_entry(self):
        self.company.with_user(self.admin).agency_audit_per_entry = True
        lines = self.approve_three()
        rows = self.env["agency.audit"].search(
            [("line_id", "in", lines.ids), ("new_value", "=", "approved")]
        )
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows.line_id, lines)
        self.assertEqual(set(rows.mapped("old_value")), {"submitted"})
        self.assertEqual(rows[0].entry_ids, rows[0].line_id)
        self.assertEqual(len(self.status_rows(lines)), 6, "submit and approve")

    def test_changing_the_setting_is_audited(self):
        Audit = self.env["agency.audit"]
        before = Audit.search([("operation", "=", "setting")])
        self.company.with_user(self.admin).agency_audit_per_entry = True
        self.company.with_user(self.admin).agency_audit_per_entry = False
        rows = Audit.search([("operation", "=", "setting")], order="id") - before
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows.user_id, self.admin)
        self.assertIn("Per-Entry Audit Detail: True", rows[0].new_value)
        self.assertIn("Per-Entry Audit Detail: True", rows[1].old_value)
        # through the settings screen too
        self.env["res.config.settings"].with_user(self.admin).create(
            {"agency_audit_per_entry": True}
        ).execute()
        self.assertTrue(self.company.agency_audit_per_entry)
        self.assertEqual(len(Audit.search([("operation", "=", "setting")]) - before), 3)

    def test_only_administrators_change_it(self):
        for level in ("user", "producer", "billing"):
            company = self.company.with_user(self.users[level])
            with self.assertRaises(AccessError):
                company.write({"agency_audit_per_entry": True})
            with self.assertRaises(AccessError):
                company.with_context(agency_audit_per_entry=True).read(
                    ["agency_audit_per_entry"]
                )
        # a settings manager who is no Agency Administrator: refused too, on
        # the company and on the settings screen
        system = new_test_user(
            self.env, login="agency_sysadmin", groups="base.group_system"
        )
        with self.assertRaises(AccessError):
            self.company.with_user(system).write({"agency_audit_per_entry": True})
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(system).create(
                {"agency_audit_per_entry": True}
            ).execute()
        self.assertFalse(self.company.agency_audit_per_entry)
        self.assertFalse(
            self.env["agency.audit"].search(
                [("operation", "=", "setting"), ("user_id", "!=", self.env.uid)]
            )
        )

    def test_xlsx_and_personal_export(self):
        lines = self.approve_three()
        other = self.entries(2.5, employee="producer", day="2026-03-03")
        self.as_(self.users["producer"], other).action_submit()
        self.as_(self.users["admin"], lines | other).action_reject("Redo")
        batch = self.status_rows(other)[-1]
        self.assertEqual(batch.record_count, 4)
        action = batch.with_user(self.users["billing"]).action_export_xlsx()
        (row,) = _sheet_rows(action, self.env, "Audit")
        self.assertEqual(row[6], 4)
        self.assertEqual(row[7], " ".join(str(i) for i in sorted((lines | other).ids)))
        # the person's export: the batches holding their entries, their ids only
        Export = self.env["agency.personal.export"].with_user(self.users["admin"])
        held = Export._agency_records(self.employees["producer"])
        self.assertIn(batch, held["audit"])
        action = Export.create({"employee_id": self.employees["producer"].id})
        rows = _sheet_rows(action.action_export(), self.env, "Audit")
        reopen = [r for r in rows if r[-1] == "Redo"]
        self.assertEqual([r[7] for r in reopen], [str(other.id)])

    @mute_logger("odoo.sql_db")
    def test_append_only_and_purge(self):
        lines = self.approve_three()
        row = self.status_rows(lines)[-1]
        cr = self.env.cr
        for statement in (
            SQL("UPDATE agency_audit SET batch_line_ids = '{1}' WHERE id = %s", row.id),
            SQL("DELETE FROM agency_audit WHERE id = %s", row.id),
        ):
            with (
                self.assertRaises(psycopg2.errors.InsufficientPrivilege),
                cr.savepoint(),
            ):
                cr.execute(statement)
        # deleting an entry keeps the row (no foreign key on the ids)
        lines[:1].sudo().unlink()
        self.env.invalidate_all()
        self.assertEqual(row.record_count, 3)
        self.assertEqual(row.entry_ids, lines[1:])
        # the retention purge's way in removes it
        self.env["agency.retention"]._agency_remove_audit(row)
        self.assertFalse(row.exists())


@tagged("post_install", "-at_install")
class TestSettingOverRpc(HttpCase):
    def test_billing_cannot_turn_it_on_over_json_rpc(self):
        stock_policies(self.env.company)
        new_test_user(
            self.env,
            login="agency_rpc_billing",
            password="agency_rpc_billing",
            groups=f"base.group_user,{GROUPS['billing']}",
        )
        self.authenticate("agency_rpc_billing", "agency_rpc_billing")
        for context in ({}, {"agency_audit_per_entry": True, "su": True}):
            response = self.url_open(
                "/web/dataset/call_kw/res.company/write",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "params": {
                            "model": "res.company",
                            "method": "write",
                            "args": [
                                self.env.company.ids,
                                {"agency_audit_per_entry": True},
                            ],
                            "kwargs": {"context": context},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
            error = response.json().get("error")
            self.assertTrue(error, "the write must be refused")
            self.assertEqual(
                error["data"]["name"], "odoo.exceptions.AccessError", error
            )
        self.env.company.invalidate_recordset()
        self.assertFalse(self.env.company.agency_audit_per_entry)
