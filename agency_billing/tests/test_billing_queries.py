from contextlib import closing
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestBillingQueries(BillingCase):
    """A billing run sends as many queries for 100 entries an engagement as for
    10: its queries grow with the invoices it makes, not with the entries. Its
    invoices are created together; a failure falls back to one at a time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.bright_engagement = env["agency.engagement"].create(
            {
                "name": "Bright T&M",
                "partner_id": cls.bright.id,
                "user_id": cls.biller.id,
                "rounding_increment": "6",
                "rounding_method": "nearest",
                "grouping": "task",
            }
        )
        cls.bright_project.agency_engagement_id = cls.bright_engagement
        cls.tasks = {
            project: env["project.task"].create(
                [{"name": f"Task {i}", "project_id": project.id} for i in range(3)]
            )
            for project in (cls.project, cls.bright_project)
        }

    def approved_entries(self, per_engagement):
        """per_engagement approved entries on each engagement, spread over
        three tasks, two people and the days of March 2026."""
        vals_list = []
        for project, tasks in self.tasks.items():
            for i in range(per_engagement):
                vals_list.append(
                    {
                        "employee_id": (self.dani if i % 2 else self.paula).id,
                        "project_id": project.id,
                        "task_id": tasks[i % 3].id,
                        "date": f"2026-03-{1 + i % 28:02d}",
                        "unit_amount": 0.3 + (i % 4) * 0.1,
                        "name": f"Work {i}",
                    }
                )
        entries = self.env["account.analytic.line"].create(vals_list)
        entries.sudo().write({"approval_state": "approved"})
        return entries

    def billing_queries(self, per_engagement):
        """Queries of a whole billing run (create, collect and check, review,
        invoice) of both engagements; everything is rolled back after."""
        with closing(self.env.cr.savepoint()):
            entries = self.approved_entries(per_engagement)
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            run = self.new_run(
                engagement_ids=[(6, 0, (self.engagement | self.bright_engagement).ids)]
            )
            run.action_collect()
            run.line_ids.with_user(self.biller).action_mark_reviewed()
            run.action_create_invoices()
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - start
            # what was counted is a real run: every entry on one of 2 invoices
            self.assertEqual(len(run.invoice_ids), 2)
            self.assertEqual(len(run.invoice_ids.invoice_line_ids), 6)  # per task
            self.assertEqual(
                set(entries.mapped("timesheet_invoice_id")), set(run.invoice_ids)
            )
            self.assertFalse(run.check_ids)
        self.env.invalidate_all()
        return queries

    def test_queries_do_not_grow_with_entries(self):
        self.billing_queries(10)  # warm the caches the first run fills
        small = self.billing_queries(10)
        large = self.billing_queries(100)
        self.assertEqual(large, small, "200 entries cost what 20 cost")

    def test_failure_in_batch_invoices_the_others_one_by_one(self):
        acme_entries = self.approved_entries(2).filtered(
            lambda e: e.project_id == self.project
        )
        run = self.new_run(
            engagement_ids=[(6, 0, (self.engagement | self.bright_engagement).ids)]
        )
        run.action_collect()
        run.line_ids.with_user(self.biller).action_mark_reviewed()
        RunLine = type(run.line_ids)
        plan = RunLine._agency_invoice_plan

        def failing_plan(line, entry_ids=None):
            if line.engagement_id == self.bright_engagement:
                raise UserError(line.env._("Bright's client has no receivable account"))
            return plan(line, entry_ids)

        with patch.object(RunLine, "_agency_invoice_plan", failing_plan):
            run.action_create_invoices()
        bright = run.line_ids.filtered(
            lambda line: line.engagement_id == self.bright_engagement
        )
        acme = run.line_ids - bright
        self.assertEqual(acme.state, "invoiced")
        self.assertEqual(run.invoice_ids.agency_engagement_id, self.engagement)
        self.assertEqual(acme_entries.agency_invoice_line_id.move_id, run.invoice_ids)
        self.assertEqual(bright.state, "reviewed")
        self.assertIn("no receivable account", bright.error_message)
        self.assertEqual(run.state, "review")
        bright_entries = self.env["account.analytic.line"].search(
            [("project_id", "=", self.bright_project.id)]
        )
        self.assertFalse(bright_entries.agency_invoice_line_id)
        self.assertEqual(bright_entries.agency_run_id, run)
