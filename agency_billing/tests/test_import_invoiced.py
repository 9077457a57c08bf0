"""Imported history and billing: rows invoiced in the old tool come in
approved and invoiced outside Odoo, so no billing run ever collects them and
nobody edits them; a batch whose entries a run used is not rolled back."""

import base64

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.agency_timesheet.tests.import_samples import harvest, harvest_row

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestImportInvoiced(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.currency"].with_context(active_test=False).search(
            [("name", "=", "GBP")]
        ).active = True
        # the file names the studio's person, client and project as Odoo does
        row = {
            "client": "Acme",
            "project": "Test Campaign",
            "first": "Agency",
            "last": "user",
            "role": "Test Designer",
            "task": "Key visual",
        }
        cls.content = harvest(
            harvest_row(day="2026-03-02", hours="2.0", invoiced="Yes",
                        approved="Yes", notes="old invoice", **row),
            harvest_row(day="2026-03-03", hours="3.0", approved="Yes",
                        notes="approved", **row),
            harvest_row(day="2026-03-04", hours="1.0", notes="draft", **row),
        )  # fmt: skip

    def imported(self, content=None):
        batch = (
            self.env["agency.import.batch"]
            .with_user(self.users["admin"])
            .create({"file": base64.b64encode(content or self.content),
                     "filename": "harvest.csv"})
        )  # fmt: skip
        batch.action_dry_run()
        self.assertEqual(batch.state, "checked", batch.message)
        batch.action_import()
        lines = batch.sudo().record_ids.line_id
        return batch, {line.name: line for line in lines}

    def test_invoiced_history_is_never_billed(self):
        _batch, lines = self.imported()
        old = lines["old invoice"]
        self.assertEqual(
            (old.employee_id, old.project_id, old.role_id),
            (self.dani, self.project, self.role_designer),
            "mapped to the existing person, project and role",
        )
        self.assertEqual(
            [(line.approval_state, line.agency_invoiced_outside, line.agency_invoiced)
             for line in lines.values()],
            [("approved", True, True), ("approved", False, False),
             ("draft", False, False)],
        )  # fmt: skip
        Line = self.env["account.analytic.line"]
        self.assertEqual(
            Line.search([("id", "in", old.ids), ("agency_invoiced", "=", True)]), old
        )
        run = self.new_run()
        run.action_collect()
        collected = Line.sudo().search([("agency_run_id", "=", run.id)])
        self.assertEqual(collected, lines["approved"])
        with self.assertRaisesRegex(UserError, "invoiced outside Odoo"):
            old.with_user(self.users["admin"]).write({"unit_amount": 5.0})
        with self.assertRaises(UserError):
            old.with_user(self.users["admin"]).write({"agency_invoiced_outside": False})

    def test_rollback_refused_once_a_run_used_an_entry(self):
        batch, lines = self.imported()
        run = self.new_run()
        run.action_collect()
        with self.assertRaisesRegex(UserError, "cannot be rolled back") as caught:
            batch.action_rollback()
        self.assertIn("3 h on Test Campaign", str(caught.exception))
        self.assertIn(run.display_name, str(caught.exception))
        self.assertTrue(all(line.exists() for line in lines.values()))

    def test_rollback_of_invoiced_history(self):
        batch, lines = self.imported()
        batch.action_rollback()
        self.assertFalse(any(line.exists() for line in lines.values()))
        self.assertTrue(self.project.exists(), "mapped, not created")
