"""Pre-billing checks: each fires on a crafted case, with its severity and its
owner, and stays quiet on a clean one."""

from contextlib import contextmanager

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BillingCase


class Undo(Exception):
    """Raised to roll back what a test tried."""


@tagged("post_install", "-at_install")
class TestBillingChecks(BillingCase):
    def collect(self, **vals):
        run = self.new_run(**vals)
        run.action_collect()
        return run

    def checks(self, run, code):
        return run.check_ids.filtered(lambda check: check.code == code)

    def assertQuiet(self, run, code):
        self.assertFalse(
            self.checks(run, code), self.checks(run, code).mapped("message")
        )

    @contextmanager
    def undone(self):
        """Run the block, then roll back what it did."""
        with self.assertRaises(Undo), self.env.cr.savepoint():
            yield
            raise Undo

    def assertBlocks(self, check, blocks):
        """What the owner notices of a check's severity (tried, then undone):
        a blocking check cannot be acknowledged and keeps its engagement from
        being marked reviewed; a warning is acknowledged by its owner, and an
        open one does not stop the review."""
        line = check.run_line_id
        if blocks:
            with self.assertRaises(UserError) as caught:
                check.with_user(check.owner_id).action_acknowledge()
            self.assertIn("This check is blocking", str(caught.exception))
            with self.assertRaises(UserError) as caught:
                line.with_user(self.biller).action_mark_reviewed()
            self.assertIn("blocking checks open", str(caught.exception))
            return
        self.assertEqual(line.blocking_count, 0, run_messages(line))
        with self.undone():
            line.with_user(self.biller).action_mark_reviewed()
            self.assertEqual(line.state, "reviewed", "an open warning")
        with self.undone():
            check.with_user(check.owner_id).action_acknowledge()
            self.assertEqual(check.state, "acknowledged")
        self.assertEqual(check.state, "open")

    def assertCheck(self, run, code, entries, owner=None, *, blocks):
        """One open check `code` on the run, blocking (or not), with its owner
        and exactly these entries: the check."""
        check = self.checks(run, code)
        self.assertEqual(len(check), 1, run.check_ids.mapped("message"))
        self.assertEqual(check.state, "open")
        self.assertEqual(check.owner_id, owner or self.biller)
        self.assertEqual(check.entry_ids, entries)
        self.assertIn(self.engagement.name, check.message)
        self.assertBlocks(check, blocks)
        return check

    def test_clean_run_has_no_check(self):
        self.approved(2.0, day="2026-03-02")
        self.approved(
            1.5, day="2026-03-03", project_id=self.acme_web.id, task_id=self.web_task.id
        )
        run = self.collect()
        self.assertFalse(run.check_ids, run.check_ids.mapped("message"))
        self.assertEqual(run.line_ids.blocking_count, 0)
        self.assertEqual(run.line_ids.warning_count, 0)

    def test_blocking_checks_stop_the_invoice_warnings_do_not(self):
        """An open warning lets the engagement be reviewed and invoiced; a
        blocking check stops it, saying so, until it is fixed."""
        self.approved(1.5, day="2026-03-02", name="Storyboard")
        self.approved(1.5, day="2026-03-02", name="Storyboard")
        run = self.collect()
        self.assertEqual(self.checks(run, "duplicate").state, "open")
        self.assertEqual(self.review_and_invoice(run).amount_untaxed, 300.0)
        self.default_rate.active = False
        unpriced = self.approved(1.0, day="2026-03-03")
        blocked = self.collect()
        self.assertTrue(self.checks(blocked, "no_rate"))
        with self.assertRaises(UserError) as caught:
            blocked.line_ids.with_user(self.biller).action_mark_reviewed()
        self.assertIn("blocking checks open", str(caught.exception))
        self.assertEqual(blocked.line_ids.state, "review")
        self.assertFalse(blocked.invoice_ids)
        self.assertFalse(unpriced.agency_invoiced)
        # fixed and checked again: reviewed and invoiced at the new rate
        self.rate(120.0, partner_id=self.acme.id, date_from="2026-01-01")
        blocked.action_check()
        self.assertEqual(self.review_and_invoice(blocked).amount_untaxed, 120.0)
        self.assertTrue(unpriced.agency_invoiced)

    def test_unapproved(self):
        self.acme_web.user_id = False
        billed = self.approved(1.0)
        draft = self.entry(2.0, day="2026-03-03")
        submitted = self.entry(
            1.0, day="2026-03-04", project_id=self.acme_web.id, task_id=self.web_task.id
        )
        submitted.sudo().approval_state = "submitted"
        self.entry(3.0, day="2026-04-02")  # after the period
        self.entry(
            3.0, project_id=self.bright_project.id, task_id=False
        )  # no engagement
        run = self.collect()
        # the producer of Test Campaign approves its time; Acme Web has no
        # producer: its billing owner chases the approval
        by_producer = run.check_ids.filtered(
            lambda c: c.code == "unapproved" and c.owner_id == self.users["producer"]
        )
        self.assertEqual(by_producer.entry_ids, draft)
        self.assertEqual(by_producer.severity, "warning")
        self.assertIn("approver: Agency producer", by_producer.message)
        self.assertIn("2 h", by_producer.message)
        by_owner = run.check_ids.filtered(
            lambda c: c.code == "unapproved" and c.owner_id == self.biller
        )
        self.assertEqual(by_owner.entry_ids, submitted)
        self.assertEqual(len(self.checks(run, "unapproved")), 2)
        # not approved: not in the run; the approved one is
        self.assertFalse(draft.agency_run_id)
        self.assertEqual(billed.agency_run_id, run)
        # approved since: quiet on the next check
        (draft | submitted).sudo().approval_state = "approved"
        run.action_check()
        self.assertQuiet(run, "unapproved")

    def test_no_rate(self):
        self.default_rate.active = False
        entry = self.approved(1.0)
        run = self.collect()
        check = self.assertCheck(run, "no_rate", entry, blocks=True)
        self.assertIn("Missing Rates", check.message)
        self.assertEqual(run.line_ids.blocking_count, 1)
        # a rate line added since: the run prices the entry on the next check
        self.rate(120.0, partner_id=self.acme.id, date_from="2026-01-01")
        run.action_check()
        self.assertQuiet(run, "no_rate")
        self.assertEqual(run.line_ids.amount, 120.0)

    def test_outside_dates(self):
        before = self.approved(1.0, day="2026-03-02")
        inside = self.approved(1.0, day="2026-03-12")
        after = self.approved(1.0, day="2026-03-25")
        self.engagement.write({"date_start": "2026-03-10", "date_end": "2026-03-20"})
        run = self.collect()
        self.assertEqual((before | inside | after).agency_run_id, run)
        check = self.assertCheck(run, "outside_dates", before | after, blocks=True)
        self.assertIn("Extend its dates", check.message)
        self.engagement.write({"date_start": "2026-03-01", "date_end": False})
        run.action_check()
        self.assertQuiet(run, "outside_dates")

    def test_locked_unbilled(self):
        """Time from before the run's period, on or before the lock date:
        the period's own time is not flagged even when the lock covers it."""
        late = self.approved(1.0, day="2026-02-20")
        in_period = self.approved(1.0, day="2026-03-02")
        recent = self.approved(1.0, day="2026-03-20")
        run = self.collect()
        self.assertQuiet(run, "locked_unbilled")
        self.company.agency_timesheet_lock_date = "2026-03-15"
        run.action_check()
        check = self.assertCheck(run, "locked_unbilled", late, blocks=False)
        self.assertNotIn(recent, check.entry_ids)
        self.assertNotIn(in_period, check.entry_ids)
        self.assertIn("lock date", check.message)

    def test_archived_project(self):
        campaign = self.approved(1.0)
        web = self.approved(
            1.0, day="2026-03-03", project_id=self.acme_web.id, task_id=self.web_task.id
        )
        run = self.collect()
        self.assertQuiet(run, "archived_project")
        self.acme_web.active = False
        run.action_check()
        check = self.assertCheck(run, "archived_project", web, blocks=False)
        self.assertNotIn(campaign, check.entry_ids)

    def test_duplicate(self):
        first = self.approved(1.5, day="2026-03-02", name="Storyboard")
        copy = self.approved(1.5, day="2026-03-02", name=" storyboard ")
        self.approved(1.5, day="2026-03-02", name="Storyboard v2")  # another note
        self.approved(1.0, day="2026-03-02", name="Storyboard")  # another duration
        self.approved(1.5, day="2026-03-03", name="Storyboard")  # another day
        self.approved(1.5, day="2026-03-02", employee=self.paula, name="Storyboard")
        run = self.collect()
        check = self.assertCheck(run, "duplicate", first | copy, blocks=False)
        self.assertIn("Storyboard", check.message)
        # acknowledged: stays acknowledged while it says the same
        check.with_user(self.biller).action_acknowledge()
        run.action_check()
        self.assertEqual(self.checks(run, "duplicate").state, "acknowledged")

    def test_long_day(self):
        billed = self.approved(8.0, day="2026-03-02")
        # the rest of the day on an internal project, which no engagement bills
        self.approved(5.0, day="2026-03-02", project_id=self.internal.id, task_id=False)
        # twelve hours exactly is long but not over
        self.approved(8.0, day="2026-03-03")
        self.approved(4.0, day="2026-03-03", project_id=self.internal.id, task_id=False)
        run = self.collect()
        check = self.assertCheck(run, "long_day", billed, blocks=False)
        self.assertIn(self.dani.name, check.message)
        self.assertIn("13 h", check.message)

    def test_long_day_checked_by_a_billing_user(self):
        """The billing owner runs the checks: they read people's names without
        being HR officers."""
        self.approved(13.0, day="2026-03-02")
        run = self.collect()
        self.assertEqual(run.env.user, self.biller)
        self.assertIn(self.dani.name, self.checks(run, "long_day").message)

    def test_cap(self):
        self.approved(2.0)
        self.engagement.cap_amount = 150.0
        run = self.collect()
        check = self.assertCheck(
            run, "cap", self.env["account.analytic.line"], blocks=True
        )
        self.assertIn("cap", check.message)
        self.assertEqual(run.line_ids.blocking_count, 1)
        # a write-down to the cap resolves it
        self.env["agency.billing.adjustment"].create(
            {
                "run_line_id": run.line_ids.id,
                "basis": "amount",
                "amount": 50.0,
                "reason": "goodwill",
                "note": "Capped as agreed",
            }
        )
        run.action_check()
        self.assertQuiet(run, "cap")
        invoice = self.review_and_invoice(run)
        self.assertEqual(invoice.amount_untaxed, 150.0)

    def test_cap_counts_what_is_invoiced_already(self):
        self.engagement.cap_amount = 250.0
        self.approved(2.0, day="2026-03-02")
        self.review_and_invoice(self.new_run(date_to="2026-03-15"))
        self.assertEqual(self.engagement.invoiced_amount, 200.0)
        self.approved(1.0, day="2026-03-20")
        run = self.collect()
        self.assertCheck(run, "cap", self.env["account.analytic.line"], blocks=True)
        self.engagement.cap_amount = 300.0
        run.action_check()
        self.assertQuiet(run, "cap")

    def test_zero_amount(self):
        self.rate(0.0, project_id=self.acme_web.id, date_from="2026-01-01")
        zero_rate = self.approved(
            1.0, day="2026-03-02", project_id=self.acme_web.id, task_id=self.web_task.id
        )
        self.engagement.write({"rounding_method": "down", "rounding_increment": "15"})
        too_short = self.approved(0.1, day="2026-03-03")  # 6 min, down to 0
        paid = self.approved(1.0, day="2026-03-04")
        run = self.collect()
        self.assertEqual(too_short.agency_billed_hours, 0.0)
        check = self.assertCheck(
            run, "zero_amount", zero_rate | too_short, blocks=False
        )
        self.assertNotIn(paid, check.entry_ids)
        # a warning: acknowledged, the entries are invoiced for nothing and
        # never come back
        check.with_user(self.biller).action_acknowledge()
        invoice = self.review_and_invoice(run)
        self.assertEqual(invoice.amount_untaxed, 100.0)
        self.assertEqual((zero_rate | too_short).timesheet_invoice_id, invoice)
        self.assertEqual(zero_rate.agency_invoice_line_id.price_subtotal, 0.0)
        self.assertEqual(too_short.agency_invoice_line_id.quantity, 1.0, "0 h + 1 h")

    def test_currency(self):
        self.approved(1.0)
        foreign = (
            self.env.ref("base.EUR")
            if self.currency != self.env.ref("base.EUR")
            else self.env.ref("base.USD")
        )
        foreign.active = True
        pricelist = self.env["product.pricelist"].create(
            {"name": "Acme prices", "currency_id": foreign.id}
        )
        self.acme.with_company(self.company).property_product_pricelist = pricelist
        run = self.collect()
        check = self.assertCheck(
            run, "currency", self.env["account.analytic.line"], blocks=False
        )
        self.assertIn(foreign.name, check.message)
        self.assertIn(self.currency.name, check.message)
        pricelist.currency_id = self.currency
        run.action_check()
        self.assertQuiet(run, "currency")

    def test_held_by_another_run(self):
        first = self.approved(1.0, day="2026-03-02")
        holder = self.collect()
        self.assertEqual(first.agency_run_id, holder)
        second = self.approved(1.0, day="2026-03-03")
        run = self.collect()
        self.assertEqual(second.agency_run_id, run)
        check = self.assertCheck(run, "held", first, blocks=False)
        self.assertIn(holder.name, check.message)
        self.assertQuiet(holder, "held")
        holder.action_cancel()
        self.assertFalse(first.agency_run_id)
        run.action_check()
        self.assertQuiet(run, "held")

    def test_acknowledge_rules(self):
        self.default_rate.active = False
        self.approved(1.0)
        self.entry(1.0, day="2026-03-03")
        run = self.collect()
        blocking = self.checks(run, "no_rate")
        with self.assertRefused(UserError, "This check is blocking"):
            blocking.with_user(self.biller).action_acknowledge()
        warning = self.checks(run, "unapproved")
        self.assertEqual(warning.owner_id, self.users["producer"])
        stranger = self.new_user("agency_other_biller", "billing")
        with self.assertRefused(UserError, "owns this check"):
            warning.with_user(stranger).action_acknowledge()
        # the engagement's billing owner stands in for the producer
        warning.with_user(self.biller).action_acknowledge()
        self.assertEqual(warning.state, "acknowledged")
        self.assertEqual(warning.acknowledged_by_id, self.biller)

    def test_exclude_entries(self):
        self.default_rate.active = False
        unpriced = self.approved(1.0, day="2026-03-02")
        self.rate(100.0, project_id=self.acme_web.id, date_from="2026-01-01")
        priced = self.approved(
            1.0, day="2026-03-03", project_id=self.acme_web.id, task_id=self.web_task.id
        )
        run = self.collect()
        check = self.checks(run, "no_rate")
        action = check.with_user(self.biller).action_exclude_entries()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.biller)
            .with_context(**action["context"])
            .create({"reason": "Rate not agreed yet"})
        )
        self.assertEqual(wizard.entry_ids, unpriced)
        wizard.action_apply()
        self.assertFalse(unpriced.agency_run_id)
        self.assertEqual(unpriced.agency_excluded_run_id, run)
        self.assertEqual(unpriced.agency_excluded_reason, "Rate not agreed yet")
        audit = self.env["agency.audit"].search(
            [("res_id", "=", unpriced.id), ("operation", "=", "invoice")]
        )
        self.assertTrue(audit)
        self.assertQuiet(run, "no_rate")
        invoice = self.review_and_invoice(run)
        self.assertEqual(priced.agency_invoice_line_id.move_id, invoice)
        self.assertFalse(unpriced.agency_invoice_line_id)
        # the next run collects it again (and checks it again)
        again = self.collect()
        self.assertEqual(unpriced.agency_run_id, again)
        self.assertTrue(self.checks(again, "no_rate"))


def run_messages(run_line):
    return run_line.check_ids.mapped("message")
