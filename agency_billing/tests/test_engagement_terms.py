"""Issue 19's leftovers end to end: an engagement's own blended rate, phase
budgets by task stage, and volume discounts counted per calendar month across
the month's runs. Every amount is computed by hand in the docstrings."""

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestEngagementBlendedRate(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Dani on Acme Web: 120; Acme Web's blended 140; Acme's blended 130
        cls.designer = cls.rate(
            120.0, project_id=cls.acme_web.id, employee_id=cls.dani.id
        )
        cls.rate(140.0, project_id=cls.acme_web.id, blended=True)
        cls.rate(130.0, partner_id=cls.acme.id, blended=True)

    def blended(self, bill_rate=150.0, **vals):
        return self.rate(
            bill_rate, engagement_id=self.engagement.id, blended=True, **vals
        )

    def web_entry(self, hours=2.0, day="2026-03-02"):
        return self.approved(
            hours, day=day, project_id=self.acme_web.id, task_id=self.web_task.id
        )

    def test_beats_the_projects_and_the_clients(self):
        """The engagement's 150 beats Acme Web's 140, Acme's 130 and Dani's
        120 on both its projects; Dani's cost stays 40. 2 h on Acme Web + 1 h
        on the other project = 3 h × 150 = 450, plus 2 h on 27 February, before
        the line starts, at Acme Web's blended 140 = 280: 730."""
        line = self.blended(date_from="2026-03-01")
        self.assertEqual(line.scope, "engagement")
        web = self.web_entry()
        other = self.approved(1.0)
        for entry in (web, other):
            self.assertEqual(entry.agency_rate_id, line)
            self.assertEqual(entry.agency_bill_rate, 150.0)
            self.assertEqual(entry.agency_cost_rate, 40.0)
        self.assertIn("Blended rate · Engagement Acme T&M", web.agency_rate_reason)
        # before its first day, the project's blended rate
        self.assertEqual(self.web_entry(day="2026-02-27").agency_bill_rate, 140.0)
        # Bright's project is on no engagement of it: the company default
        bright = self.approved(1.0, project_id=self.bright_project.id, task_id=False)
        self.assertEqual(bright.agency_bill_rate, 100.0)
        invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(invoice.amount_untaxed, 730.0)
        self.assertEqual(
            set(invoice.invoice_line_ids.mapped("price_unit")), {150.0, 140.0}
        )

    def test_new_line_reprices_open_entries_frozen_until_rerate(self):
        """Approved at the project's blended 140 (frozen); a draft entry of
        the same day follows the new engagement line at once; the audited
        re-rate brings the approved one to 150."""
        approved = self.web_entry()
        draft = self.entry(1.0, project_id=self.acme_web.id, task_id=self.web_task.id)
        line = self.blended()
        self.assertEqual(approved.agency_bill_rate, 140.0)  # frozen
        self.assertEqual(draft.agency_bill_rate, 150.0)
        form = Form(
            self.env["agency.rerate.wizard"]
            .with_user(self.biller)
            .with_context(active_model="account.analytic.line", active_ids=approved.ids)
        )
        form.reason = "The engagement's blended rate was signed late."
        form.save().action_apply()
        self.assertEqual(approved.agency_rate_id, line)
        self.assertEqual(approved.agency_bill_rate, 150.0)

    def test_project_moved_onto_the_engagement_follows_its_line(self):
        """Bright's project, on no engagement of it: an open entry at the
        company default 100; attached to the engagement: its 150."""
        self.blended()
        draft = self.entry(1.0, project_id=self.bright_project.id, task_id=False)
        self.assertEqual(draft.agency_bill_rate, 100.0)
        self.bright_project.agency_engagement_id = self.engagement
        self.assertEqual(draft.agency_bill_rate, 150.0)

    def test_refusals_nothing_saved(self):
        Rate = self.env["agency.rate"]
        count = Rate.search_count([])
        with self.assertRefused(ValidationError, "cost stays each person's"):
            self.blended(cost_rate=45.0)
        with self.assertRefused(ValidationError, "tick Blended Rate"):
            self.rate(150.0, engagement_id=self.engagement.id)
        with self.assertRefused(ValidationError, "nothing else in its scope"):
            self.blended(project_id=self.acme_web.id)
        self.blended(date_to="2026-03-31")
        with self.assertRefused(ValidationError, "overlap"):
            self.blended(160.0, date_from="2026-03-15")
        self.assertEqual(Rate.search_count([]), count + 1)


@tagged("post_install", "-at_install")
class TestPhaseByStage(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Stage = cls.env["project.task.type"]
        cls.design = Stage.create(
            {"name": "Design", "project_ids": [(6, 0, cls.acme_web.ids)]}
        )
        cls.build = Stage.create(
            {"name": "Build", "project_ids": [(6, 0, cls.acme_web.ids)]}
        )
        cls.web_task.stage_id = cls.design
        cls.build_task = cls.env["project.task"].create(
            {
                "name": "Build it",
                "project_id": cls.acme_web.id,
                "stage_id": cls.build.id,
            }
        )
        cls.budget = cls.env["agency.phase.budget"].create(
            {"engagement_id": cls.engagement.id, "stage_id": cls.design.id,
             "basis": "hours", "limit": 4.0}
        )  # fmt: skip

    def log_on(self, task, hours, day="2026-03-02"):
        return self.approved(
            hours, day=day, project_id=self.acme_web.id, task_id=task.id
        )

    def codes(self, run):
        return {check.code: check for check in run.check_ids}

    def test_warning_at_80_percent_other_stage_not_counted(self):
        """3.25 h in Design (81 % of 4 h); 6 h in Build count for nothing."""
        entry = self.log_on(self.web_task, 3.25)
        self.log_on(self.build_task, 6.0)
        run = self.new_run()
        run.action_collect()
        codes = self.codes(run)
        self.assertNotIn("phase_budget", codes)
        self.assertEqual(codes["phase_budget_warning"].entry_ids, entry)
        self.assertIn("Design", codes["phase_budget_warning"].message)
        self.assertEqual(self.budget.display_name, "Design")

    def test_blocking_past_the_budget_counting_what_was_invoiced(self):
        """3 h invoiced in Design; 1.5 h more: 4.5 h past 4 h, blocked."""
        self.assert_phase_over_after_invoiced(
            lambda hours, day: self.log_on(self.web_task, hours, day=day)
        )

    def test_amount_basis(self):
        """Design by amount, 250: 3 h at 100 = 300, blocked."""
        self.budget.write({"basis": "amount", "limit": 250.0})
        self.log_on(self.web_task, 3.0)
        run = self.new_run()
        run.action_collect()
        self.assertIn("Design", self.codes(run)["phase_budget"].message)

    def test_refusals_nothing_saved(self):
        Budget = self.env["agency.phase.budget"]
        elsewhere = self.env["project.task.type"].create(
            {"name": "Bright only", "project_ids": [(6, 0, self.bright_project.ids)]}
        )
        with self.assertRefused(ValidationError, "not used by any of this engagement"):
            Budget.create({"engagement_id": self.engagement.id,
                           "stage_id": elsewhere.id, "limit": 10.0})  # fmt: skip
        with self.assertRefused(ValidationError, "one of them"):
            Budget.create({"engagement_id": self.engagement.id, "limit": 10.0,
                           "stage_id": self.build.id,
                           "task_id": self.web_task.id})  # fmt: skip
        self.assertEqual(
            Budget.search_count([("engagement_id", "=", self.engagement.id)]), 1
        )


@tagged("post_install", "-at_install")
class TestVolumePerMonth(BillingCase):
    """Tiers 5 % above 4 h and 10 % above 7 h; every entry rounds to itself
    (whole hours, up to 15 minutes) at the company default of 100."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engagement.write(
            {
                "grouping": "project",
                "discount_tier_ids": [
                    (0, 0, {"sequence": 1, "threshold": 4.0, "percent": 5.0}),
                    (0, 0, {"sequence": 2, "threshold": 7.0, "percent": 10.0}),
                ],
            }
        )

    def run_on(self, invoice_date):
        return self.new_run(invoice_date=invoice_date)

    def discount_line(self, invoice):
        return invoice.invoice_line_ids.filtered(lambda line: line.price_unit < 0)

    def first_invoice(self):
        """3 h on 1 April: 300, no tier (3 ≤ 4)."""
        self.approved(3.0)
        invoice = self.review_and_invoice(self.run_on("2026-04-01"))
        self.assertFalse(self.discount_line(invoice))
        self.assertEqual(invoice.amount_untaxed, 300.0)
        return invoice

    def test_per_month_is_the_default(self):
        self.assertEqual(self.engagement.discount_period, "month")

    def test_second_run_of_the_month_gets_the_tier_the_month_reached(self):
        """Then 2 h on 15 April: the month has 3 + 2 = 5 h, above 4: 5 % of
        this invoice's 200 = −10.00; 190. The run line says it before."""
        self.first_invoice()
        entry = self.approved(2.0, day="2026-03-20")
        run = self.run_on("2026-04-15")
        run.action_collect()
        self.assertEqual(run.line_ids.amount, 190.0)
        invoice = self.review_and_invoice(run)
        discount = self.discount_line(invoice)
        self.assertEqual(discount.name, "Volume discount 5 % above 4 h a month")
        self.assertEqual(discount.price_subtotal, -10.0)
        self.assertEqual(invoice.amount_untaxed, 190.0)
        self.assertIn("per calendar month", entry.agency_rate_reason)

    def test_another_month_starts_again(self):
        """2 h on 1 May: May has 2 h only, no tier."""
        self.first_invoice()
        self.approved(2.0, day="2026-03-20")
        invoice = self.review_and_invoice(self.run_on("2026-05-01"))
        self.assertFalse(self.discount_line(invoice))
        self.assertEqual(invoice.amount_untaxed, 200.0)

    def test_per_invoice_each_invoice_alone(self):
        self.engagement.discount_period = "invoice"
        self.first_invoice()
        self.approved(2.0, day="2026-03-20")
        invoice = self.review_and_invoice(self.run_on("2026-04-15"))
        self.assertFalse(self.discount_line(invoice))
        self.assertEqual(invoice.amount_untaxed, 200.0)

    def test_credit_note_lowers_the_month(self):
        """The first invoice (3 h) credited in full frees its entries; a run
        on 20 April bills them again with 2 h more: 5 h in April (not 3 + 5 =
        8, which would reach 10 %): 5 % of 500 = −25.00; 475."""
        self.credit_in_full(self.first_invoice(), day="2026-04-10")
        self.approved(2.0, day="2026-03-20")
        again = self.review_and_invoice(self.run_on("2026-04-20"))
        self.assertEqual(self.discount_line(again).price_subtotal, -25.0)
        self.assertEqual(again.amount_untaxed, 475.0)
