"""Never twice: two billing runs (or two people invoicing one run) at the same
time, each in its own database transaction, never bill an entry twice.

These tests commit: each builds a small engagement in its own committed
transaction and deletes all of it afterwards (invoices, runs, entries, their
audit rows, the engagement, its project, person, client and rate).
"""

import threading
from contextlib import contextmanager

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests.common import BaseCase, get_db_name, tagged
from odoo.tools import SQL, mute_logger

# what a transaction that lost the race may see: PostgreSQL refusing to
# serialise it (or a deadlock it broke), a row lock it may not wait for
ROLLBACK_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.DeadlockDetected,
    psycopg2.errors.LockNotAvailable,
)
CONTEXT = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
# a transaction of these tests that waits longer fails instead of hanging
LOCK_TIMEOUT = "SET LOCAL lock_timeout = '20s'"


@tagged("post_install", "-at_install")
class TestBillingConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    @contextmanager
    def transaction(self):
        """A new transaction as the superuser, committed at the end."""
        with self.registry.cursor() as cr:
            cr.execute(LOCK_TIMEOUT)
            yield api.Environment(cr, SUPERUSER_ID, CONTEXT)

    def open_env(self):
        """A transaction the test commits or rolls back itself."""
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        cr.execute(LOCK_TIMEOUT)
        return api.Environment(cr, SUPERUSER_ID, CONTEXT)

    @contextmanager
    def attempt(self):
        """A new transaction, rolled back at the end: what Odoo does with a
        request that fails."""
        env = self.open_env()
        try:
            yield env
        finally:
            env.cr.rollback()

    def setUp(self):
        super().setUp()
        with self.transaction() as env:
            partner = env["res.partner"].create(
                {"name": "Concurrent Client", "is_company": True}
            )
            project = env["project.project"].create(
                {
                    "name": "Concurrent Project",
                    "allow_timesheets": True,
                    "partner_id": partner.id,
                }
            )
            employee = env["hr.employee"].create({"name": "Concurrent Person"})
            rate = env["agency.rate"].create(
                {
                    "partner_id": partner.id,
                    "bill_rate": 100.0,
                    "currency_id": env.company.currency_id.id,
                    "date_from": "2026-01-01",
                }
            )
            engagement = env["agency.engagement"].create(
                {
                    "name": "Concurrent T&M",
                    "partner_id": partner.id,
                    "rounding_increment": "15",
                    "rounding_method": "up",
                    "grouping": "entry",
                }
            )
            project.agency_engagement_id = engagement
            entries = env["account.analytic.line"].create(
                [
                    {
                        "name": f"Work {day}",
                        "project_id": project.id,
                        "employee_id": employee.id,
                        "date": f"2026-03-{day:02d}",
                        "unit_amount": hours,
                    }
                    for day, hours in ((2, 1.0), (3, 2.1), (4, 0.5), (5, 3.0))
                ]
            )
            entries.sudo().write({"approval_state": "approved"})
            self.refs = {
                "partner": partner.id,
                "project": project.id,
                "employee": employee.id,
                "rate": rate.id,
                "engagement": engagement.id,
                "entries": entries.ids,
            }
        self.addCleanup(self.clean_up)

    def clean_up(self):
        with self.transaction() as env:
            ids = self.refs
            engagement = env["agency.engagement"].browse(ids["engagement"])
            moves = env["account.move"].search(
                [("agency_engagement_id", "=", engagement.id)]
            )
            moves.unlink()
            env["agency.billing.run"].search(
                [("engagement_ids", "in", engagement.ids)]
            ).unlink()
            env["account.analytic.line"].browse(ids["entries"]).unlink()
            env.flush_all()
            # the audit table refuses DELETE but for the retention purge's
            # setting (its trigger): the test's rows go the purge's way
            env.cr.execute("SET LOCAL agency.audit_purge = 'on'")
            env.cr.execute(
                SQL(
                    """DELETE FROM agency_audit
                        WHERE (res_model = 'account.analytic.line'
                               AND res_id = ANY(%s))
                           OR (res_model = 'agency.rate' AND res_id = %s)
                           OR (res_model = 'agency.engagement' AND res_id = %s)
                           OR (res_model = 'account.move' AND res_id = ANY(%s))""",
                    ids["entries"],
                    ids["rate"],
                    ids["engagement"],
                    moves.ids,
                )
            )
            env.cr.execute("SET LOCAL agency.audit_purge = 'off'")
            env["agency.rate"].browse(ids["rate"]).unlink()
            project = env["project.project"].browse(ids["project"])
            project.agency_engagement_id = False
            engagement.unlink()
            analytic_account = project.account_id
            project.unlink()
            analytic_account.unlink()
            employee = env["hr.employee"].browse(ids["employee"])
            contact = employee.work_contact_id
            employee.unlink()
            (contact | env["res.partner"].browse(ids["partner"])).unlink()

    # -- helpers --

    def new_run(self, env):
        return env["agency.billing.run"].create(
            {
                "date_to": "2026-03-31",
                "invoice_date": "2026-04-01",
                "engagement_ids": [(6, 0, [self.refs["engagement"]])],
            }
        )

    def collected_and_reviewed(self):
        """A run, collected and reviewed, committed: its id."""
        with self.transaction() as env:
            run = self.new_run(env)
            run.action_collect()
            run.line_ids.action_mark_reviewed()
            return run.id

    def assertBilledOnce(self):
        """Every entry on exactly one invoice line, of one invoice, which bills
        exactly their billed hours."""
        with self.transaction() as env:
            entries = env["account.analytic.line"].browse(self.refs["entries"])
            invoices = env["account.move"].search(
                [("agency_engagement_id", "=", self.refs["engagement"])]
            )
            self.assertEqual(len(invoices), 1, "one invoice")
            lines = invoices.invoice_line_ids
            self.assertEqual(len(lines), 4, "one line per entry")
            self.assertEqual(lines.agency_entry_ids, entries)
            for entry in entries:
                self.assertEqual(len(entry.agency_invoice_line_id), 1)
                self.assertEqual(
                    entry.agency_invoice_line_id.quantity, entry.agency_billed_hours
                )
            # 1.0 + 2.25 + 0.5 + 3.0 hours at 100
            self.assertEqual(invoices.amount_untaxed, 675.0)
            env.cr.rollback()

    # -- the races --

    @mute_logger("odoo.sql_db")
    def test_two_runs_collect_the_same_entries(self):
        """Run B started before run A collected and invoiced the entries: B's
        collect is refused by PostgreSQL; tried again, B has nothing to bill."""
        with self.transaction() as env:
            run_a, run_b = self.new_run(env).id, self.new_run(env).id
        env_b = self.open_env()
        # B's transaction starts (and sees the entries free) before A's
        self.assertEqual(env_b["agency.billing.run"].browse(run_b).state, "draft")
        with self.transaction() as env_a:
            run = env_a["agency.billing.run"].browse(run_a)
            run.action_collect()
            self.assertEqual(run.entry_count, 4)
            run.line_ids.action_mark_reviewed()
            run.action_create_invoices()
        with self.assertRaises(ROLLBACK_ERRORS):
            env_b["agency.billing.run"].browse(run_b).action_collect()
        env_b.cr.rollback()
        # Odoo retries the request in a new transaction: nothing left to bill
        with (
            self.attempt() as env,
            self.assertRaisesRegex(UserError, "Nothing to bill"),
        ):
            env["agency.billing.run"].browse(run_b).action_collect()
        self.assertBilledOnce()

    @mute_logger("odoo.sql_db")
    def test_second_run_collects_after_the_first(self):
        """Run B collects after run A took the entries: B has nothing to bill
        while A holds them, then invoices nothing A invoiced."""
        with self.transaction() as env:
            run_a = self.new_run(env)
            run_a.action_collect()
            run_a_id = run_a.id
        with (
            self.attempt() as env,
            self.assertRaisesRegex(UserError, "Nothing to bill"),
        ):
            self.new_run(env).action_collect()
        with self.transaction() as env:
            run = env["agency.billing.run"].browse(run_a_id)
            run.line_ids.action_mark_reviewed()
            run.action_create_invoices()
        self.assertBilledOnce()

    @mute_logger("odoo.sql_db")
    def test_invoicing_while_another_transaction_invoices(self):
        """Transaction A is invoicing the run's entries (they are locked) when
        B invoices the same run: B fails at once with a clear message, without
        waiting; after A commits, B's retry finds the run invoiced."""
        run_id = self.collected_and_reviewed()
        env_a = self.open_env()
        run_line = env_a["agency.billing.run"].browse(run_id).line_ids
        self.assertEqual(len(run_line._agency_entries_to_invoice()), 4)  # locks
        with (
            self.attempt() as env_b,
            self.assertRaisesRegex(UserError, "Another billing run is invoicing"),
        ):
            env_b["agency.billing.run"].browse(run_id).action_create_invoices()
        run_line.run_id.action_create_invoices()
        env_a.cr.commit()
        with (
            self.attempt() as env_b,
            self.assertRaisesRegex(UserError, "is invoiced: start a new run"),
        ):
            env_b["agency.billing.run"].browse(run_id).action_create_invoices()
        self.assertBilledOnce()

    @mute_logger("odoo.sql_db")
    def test_invoicing_after_another_transaction_committed(self):
        """B read the run before A invoiced it and committed: PostgreSQL
        refuses B's invoicing rather than let it bill from an old picture."""
        run_id = self.collected_and_reviewed()
        env_b = self.open_env()
        self.assertEqual(env_b["agency.billing.run"].browse(run_id).state, "review")
        with self.transaction() as env_a:
            env_a["agency.billing.run"].browse(run_id).action_create_invoices()
        with self.assertRaises(ROLLBACK_ERRORS):
            env_b["agency.billing.run"].browse(run_id).action_create_invoices()
        env_b.cr.rollback()
        self.assertBilledOnce()

    @mute_logger("odoo.sql_db", "odoo.models.unlink")
    def test_two_people_invoice_one_run_at_once(self):
        """Two threads, two transactions, invoicing the same run at the same
        moment: one invoices, the other fails; one invoice."""
        run_id = self.collected_and_reviewed()
        barrier = threading.Barrier(2)
        outcomes = []

        def invoice():
            try:
                with self.transaction() as env:
                    run = env["agency.billing.run"].browse(run_id)
                    self.assertEqual(run.state, "review")
                    barrier.wait(timeout=10)
                    run.action_create_invoices()
                outcomes.append("invoiced")
            except (UserError, *ROLLBACK_ERRORS) as error:
                outcomes.append(type(error).__name__)

        threads = [threading.Thread(target=invoice) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(len(outcomes), 2, outcomes)
        self.assertEqual(outcomes.count("invoiced"), 1, outcomes)
        self.assertBilledOnce()
