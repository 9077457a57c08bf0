"""Issue 19, items 3–7 end to end: blended rates, discounts on their own
invoice line, contract exchange rates, phase budgets and the explanations.
Every amount is computed by hand in the docstrings."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import BillingCase

SATURDAY = "2026-03-07"


@tagged("post_install", "-at_install")
class TestBlendedRate(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.designer = cls.rate(
            120.0, project_id=cls.acme_web.id, employee_id=cls.dani.id
        )
        cls.blended = cls.rate(
            140.0, project_id=cls.acme_web.id, blended=True, date_from="2026-03-01"
        )

    def web_entry(self, hours=2.0, day="2026-03-02"):
        return self.approved(
            hours, day=day, project_id=self.acme_web.id, task_id=self.web_task.id
        )

    def test_blended_beats_the_person_on_the_project(self):
        """Dani on Acme Web: 120 by the card, 140 by the blended rate; the cost
        stays Dani's 40. Before the blended line starts, the card."""
        entry = self.web_entry()
        self.assertEqual(entry.agency_bill_rate, 140.0)
        self.assertEqual(entry.agency_rate_id, self.blended)
        self.assertEqual(entry.agency_cost_rate, 40.0)
        self.assertIn("Blended rate", entry.agency_rate_reason)
        before = self.web_entry(day="2026-02-27")
        self.assertEqual(before.agency_bill_rate, 120.0)
        # the other project keeps the company default
        self.assertEqual(self.approved(1.0).agency_bill_rate, 100.0)
        invoice = self.review_and_invoice(self.new_run())
        self.assertIn(140.0, invoice.invoice_line_ids.mapped("price_unit"))

    def test_frozen_at_approval_and_rerate(self):
        """Approved at the card's 120 before the blended line covered its day:
        a blended line from 20 February leaves the frozen price alone; the
        audited re-rate moves it to 140 (the blended line wins there too)."""
        entry = self.web_entry(day="2026-02-20")
        self.assertEqual(entry.agency_bill_rate, 120.0)
        self.assertTrue(entry.agency_rate_frozen)
        late = self.rate(
            140.0,
            project_id=self.acme_web.id,
            blended=True,
            date_from="2026-02-01",
            date_to="2026-02-28",
        )
        self.assertEqual(entry.agency_bill_rate, 120.0)  # frozen
        form = Form(
            self.env["agency.rerate.wizard"]
            .with_user(self.biller)
            .with_context(active_model="account.analytic.line", active_ids=entry.ids)
        )
        form.reason = "The blended rate was signed late."
        form.save().action_apply()
        self.assertEqual(entry.agency_bill_rate, 140.0)
        self.assertEqual(entry.agency_rate_id, late)
        with self.assertRaises(UserError):  # it priced an approved entry
            late.bill_rate = 150.0

    def test_multipliers_apply_unless_the_line_says_not(self):
        """Weekend ×1.5 on the blended 140: 210; with Multipliers Apply off: 140."""
        self.engagement.multiplier_ids = [(0, 0, {"kind": "weekend", "factor": 1.5})]
        saturday = self.web_entry(1.0, day=SATURDAY)
        invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(invoice.invoice_line_ids.price_unit, 210.0)
        self.assertIn("Weekend ×1.5", saturday.agency_rate_reason)
        self.assertIn("Blended rate", saturday.agency_rate_reason)

    def test_no_multiplier_flag(self):
        self.engagement.multiplier_ids = [(0, 0, {"kind": "weekend", "factor": 1.5})]
        self.blended.blended_multipliers = False
        self.web_entry(1.0, day=SATURDAY)
        invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(invoice.invoice_line_ids.price_unit, 140.0)

    def test_refusals(self):
        count = self.env["agency.rate"].search_count([])
        with self.assertRefused(ValidationError, "leave Person and Role empty"):
            self.rate(
                130.0, project_id=self.project.id, role_id=self.role_ad.id, blended=True
            )
        with self.assertRefused(ValidationError, "cost stays each person's"):
            self.rate(130.0, partner_id=self.bright.id, blended=True, cost_rate=50)
        self.assertEqual(self.env["agency.rate"].search_count([]), count)


@tagged("post_install", "-at_install")
class TestDiscounts(BillingCase):
    def test_flat_discount_own_line_and_exact_credit_note(self):
        """2 h + 1 h at 100 = 300, 10 %: a line of −30.00; the credit note
        gives back 270 exactly, and the next run bills the same again."""
        self.engagement.write({"discount_percent": 10.0, "grouping": "project"})
        entry = self.approved(2.0)
        self.approved(1.0, day="2026-03-03")
        invoice = self.review_and_invoice(self.new_run())
        discount = invoice.invoice_line_ids.filtered(lambda l: l.price_unit < 0)
        self.assertEqual(discount.name, "Discount 10 %")
        self.assertEqual(discount.price_subtotal, -30.0)
        self.assertEqual(invoice.amount_untaxed, 270.0)
        # the unit price of the time is not touched
        self.assertEqual(
            set(invoice.invoice_line_ids.mapped("price_unit")), {100.0, -30.0}
        )
        self.assertIn("Discount 10 %", entry.agency_rate_reason)
        invoice.action_post()
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "dispute"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        self.assertEqual(refund.amount_untaxed, 270.0)
        refund.action_post()
        again = self.review_and_invoice(self.new_run())
        self.assertEqual(again.amount_untaxed, 270.0)

    def test_volume_tier_reached(self):
        """Tiers 3 % above 2 h, 5 % above 4 h; 4.5 h billed (2.5 + 2, up to
        15 min) at 100 = 450: 5 %, −22.50, "Volume discount 5 % above 4 h"."""
        self.engagement.discount_tier_ids = [
            (0, 0, {"sequence": 1, "threshold": 2.0, "percent": 3.0}),
            (0, 0, {"sequence": 2, "threshold": 4.0, "percent": 5.0}),
        ]
        self.approved(2.5)
        self.approved(2.0, day="2026-03-03")
        run = self.new_run()
        run.action_collect()
        self.assertEqual(run.line_ids.amount, 427.5)  # the run line shows it
        invoice = self.review_and_invoice(run)
        discount = invoice.invoice_line_ids.filtered(lambda l: l.price_unit < 0)
        self.assertEqual(discount.name, "Volume discount 5 % above 4 h a month")
        self.assertEqual(discount.price_subtotal, -22.5)
        self.assertEqual(invoice.amount_untaxed, 427.5)

    def test_tier_not_reached_no_line(self):
        self.engagement.discount_tier_ids = [(0, 0, {"threshold": 4.0, "percent": 5.0})]
        self.approved(4.0)  # at 4 h, not above
        invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(len(invoice.invoice_line_ids), 1)
        self.assertEqual(invoice.amount_untaxed, 400.0)

    def test_bad_tables_refused_nothing_saved(self):
        Tier = self.env["agency.discount.tier"]
        with self.assertRefused(ValidationError, "not above tier 1"):
            self.engagement.discount_tier_ids = [
                (0, 0, {"sequence": 1, "threshold": 200.0, "percent": 5.0}),
                (0, 0, {"sequence": 2, "threshold": 100.0, "percent": 3.0}),
            ]
        with self.assertRefused(ValidationError, "gives less"):
            self.engagement.discount_tier_ids = [
                (0, 0, {"sequence": 1, "threshold": 100.0, "percent": 8.0}),
                (0, 0, {"sequence": 2, "threshold": 200.0, "percent": 5.0}),
            ]
        self.engagement.discount_percent = 10.0
        with self.assertRefused(ValidationError, "keep one of them"):
            self.engagement.discount_tier_ids = [
                (0, 0, {"threshold": 100.0, "percent": 5.0})
            ]
        self.assertFalse(Tier.search([("engagement_id", "=", self.engagement.id)]))


@tagged("post_install", "-at_install")
class TestContractRate(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rate_currency, cls.client_currency = cls.two_currencies()
        Rate = cls.env["res.currency.rate"]
        # on 1 April: 100 in the rate currency = 200 company = 160 client's
        for currency, units in ((cls.rate_currency, 0.5), (cls.client_currency, 0.8)):
            Rate.search([("currency_id", "=", currency.id)]).unlink()
            Rate.create(
                {
                    "name": "2026-01-01",
                    "currency_id": currency.id,
                    "rate": units,
                    "company_id": cls.company.id,
                }
            )
        cls.rate(
            100.0,
            partner_id=cls.bright.id,
            currency_id=cls.rate_currency.id,
            date_from="2026-01-01",
        )
        cls.bright_engagement = cls.env["agency.engagement"].create(
            {
                "name": "Bright T&M",
                "partner_id": cls.bright.id,
                "currency_id": cls.client_currency.id,
                "user_id": cls.biller.id,
                "grouping": "project",
            }
        )
        cls.bright_project.agency_engagement_id = cls.bright_engagement

    def contract(self, rate=1.5, date_from="2026-01-01", date_to="2026-12-31"):
        return self.env["agency.contract.rate"].create(
            {
                "engagement_id": self.bright_engagement.id,
                "currency_id": self.rate_currency.id,
                "rate": rate,
                "date_from": date_from,
                "date_to": date_to,
            }
        )

    def run_bright(self):
        return self.new_run(engagement_ids=[(6, 0, self.bright_engagement.ids)])

    def test_invoice_at_the_contract_rate_difference_stored(self):
        """2 h at 100 (rate currency), contract 1.5 instead of the day's 1.6:
        150 an hour, 300; at the day's rate 320: a difference of −20."""
        self.contract()
        entry = self.approved(2.0, project_id=self.bright_project.id, task_id=False)
        run = self.run_bright()
        run.action_collect()
        self.assertAlmostEqual(run.line_ids.amount, 300.0)
        invoice = self.review_and_invoice(run)
        line = invoice.invoice_line_ids
        self.assertEqual(line.price_unit, 150.0)
        self.assertEqual(line.agency_fx_contract, 1.5)
        self.assertAlmostEqual(line.agency_fx_daily, 1.6)
        self.assertAlmostEqual(line.agency_fx_difference, -20.0)
        self.assertIn("at the contract rate 1.5", entry.agency_rate_reason)

    def test_outside_the_period_the_day_rate(self):
        self.contract(date_from="2026-01-01", date_to="2026-03-31")  # invoiced 1 Apr
        self.approved(2.0, project_id=self.bright_project.id, task_id=False)
        invoice = self.review_and_invoice(self.run_bright())
        self.assertEqual(invoice.invoice_line_ids.price_unit, 160.0)
        self.assertFalse(invoice.invoice_line_ids.agency_fx_contract)

    def foreign_engagement(self, **values):
        """An Acme engagement invoiced in the client currency, its rates (the
        company default, 100) in the company's: the day's rate is 0.8, the
        contract 0.75."""
        engagement = self.env["agency.engagement"].create(
            {"name": "Acme abroad", "partner_id": self.acme.id,
             "user_id": self.biller.id, "currency_id": self.client_currency.id,
             "date_start": "2026-01-01", **values}
        )  # fmt: skip
        self.env["agency.contract.rate"].create(
            {"engagement_id": engagement.id, "currency_id": self.currency.id,
             "rate": 0.75, "date_from": "2026-01-01", "date_to": "2026-12-31"}
        )  # fmt: skip
        (self.project | self.acme_web).agency_engagement_id = engagement
        return engagement

    def test_retainer_overage_at_the_contract_rate(self):
        """Retainer, 10 h included, fee 900; 11 h: 1 h over at the cards' 100
        × 0.75 = 75 (the day's rate would give 80)."""
        engagement = self.foreign_engagement(
            kind="retainer", period_fee=900.0, included_hours=10.0,
            overage_rate_kind="cards", fee_timing="arrears",
        )  # fmt: skip
        self.approved(11.0, day="2026-01-10")
        run = self.new_run(engagement_ids=[(6, 0, engagement.ids)],
                           date_to="2026-01-31", invoice_date="2026-01-31")  # fmt: skip
        invoice = self.review_and_invoice(run)
        overage = invoice.invoice_line_ids.filtered(lambda l: "overage" in l.name)
        self.assertEqual(overage.price_unit, 75.0)
        self.assertEqual(invoice.amount_untaxed, 975.0)

    def test_fixed_fee_overrun_at_the_contract_rate(self):
        """Fee 600; 10 h at 100 = 1000 × 0.75 = 750 of effort: 150 written
        off (at the day's 0.8 it would be 200)."""
        engagement = self.foreign_engagement(
            kind="fixed_fee", fee_amount=600.0,
            schedule_line_ids=[(0, 0, {"name": "All", "trigger": "date",
                                       "date_due": "2026-03-01", "percent": 100})],
        )  # fmt: skip
        self.approved(10.0)
        run = self.new_run(engagement_ids=[(6, 0, engagement.ids)])
        run.action_collect()
        self.assertEqual(run.adjustment_ids.reason, "overrun")
        self.assertAlmostEqual(run.adjustment_ids.amount, 150.0)

    def test_refusals_nothing_saved(self):
        Contract = self.env["agency.contract.rate"]
        with self.assertRefused(ValidationError, "must be above 0"):
            self.contract(rate=0.0)
        with self.assertRefused(ValidationError, "set both From and To"):
            self.contract(date_to=False)
        self.contract()
        with self.assertRefused(ValidationError, "two .* contract rates"):
            self.contract(rate=1.4, date_from="2026-06-01", date_to="2027-05-31")
        self.assertEqual(
            Contract.search_count([("engagement_id", "=", self.bright_engagement.id)]),
            1,
        )


@tagged("post_install", "-at_install")
class TestPhaseBudget(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.budget = cls.env["agency.phase.budget"].create(
            {
                "engagement_id": cls.engagement.id,
                "task_id": cls.web_task.id,
                "basis": "hours",
                "limit": 4.0,
            }
        )

    def web(self, hours, day="2026-03-02"):
        return self.approved(
            hours, day=day, project_id=self.acme_web.id, task_id=self.web_task.id
        )

    def codes(self, run):
        return {check.code: check for check in run.check_ids}

    def test_under_80_percent_quiet(self):
        self.web(3.0)  # 75 %
        run = self.new_run()
        run.action_collect()
        self.assertNotIn("phase_budget", self.codes(run))
        self.assertNotIn("phase_budget_warning", self.codes(run))

    def test_warning_at_80_percent(self):
        entry = self.web(3.25)  # 81 %
        run = self.new_run()
        run.action_collect()
        check = self.codes(run)["phase_budget_warning"]
        self.assertEqual(check.severity, "warning")
        self.assertEqual(check.entry_ids, entry)
        self.assertIn("81%", check.message)

    def test_blocking_past_the_budget_counting_what_was_invoiced(self):
        """3 h invoiced in a first run; 1.5 h more: 4.5 h past 4 h, blocked."""
        self.assert_phase_over_after_invoiced(self.web)

    def test_tag_phase_amount(self):
        """Tag Design, 250 in amount: 3 h at 100 = 300, blocked."""
        tag = self.env["project.tags"].create({"name": "Design phase"})
        self.web_task.tag_ids = tag
        self.env["agency.phase.budget"].create(
            {
                "engagement_id": self.engagement.id,
                "tag_id": tag.id,
                "basis": "amount",
                "limit": 250.0,
            }
        )
        self.web(3.0)
        run = self.new_run()
        run.action_collect()
        self.assertIn("Design phase", self.codes(run)["phase_budget"].message)

    def test_refusals_nothing_saved(self):
        Budget = self.env["agency.phase.budget"]
        other_task = self.env["project.task"].create(
            {"name": "Bright logo", "project_id": self.bright_project.id}
        )
        with self.assertRefused(ValidationError, "not on one of this engagement"):
            Budget.create(
                {
                    "engagement_id": self.engagement.id,
                    "task_id": other_task.id,
                    "limit": 10.0,
                }
            )
        with self.assertRefused(ValidationError, "must be above 0"):
            Budget.create(
                {
                    "engagement_id": self.engagement.id,
                    "task_id": self.task.id,
                    "limit": 0.0,
                }
            )
        with self.assertRefused(ValidationError, "a task, a task tag or a task stage"):
            Budget.create({"engagement_id": self.engagement.id, "limit": 5.0})
        self.assertEqual(
            Budget.search_count([("engagement_id", "=", self.engagement.id)]), 1
        )


@tagged("post_install", "-at_install")
class TestCombinedExplanation(BillingCase):
    def test_rounding_minimum_multiplier_discount_one_invoice(self):
        """Per person-day, nearest 15, minimum 15; weekend ×1.5; 10 % off.
        Saturday 5 min (counts 15) + 20 min = 35 -> 30 min at 150 = 75;
        Monday 20 min -> 15 min at 100 = 25; 100 − 10 % = 90."""
        self.engagement.write(
            {
                "grouping": "project",
                "rounding_scope": "person_day",
                "rounding_increment": "15",
                "rounding_method": "nearest",
                "rounding_minimum": 15,
                "discount_percent": 10.0,
                "multiplier_ids": [(0, 0, {"kind": "weekend", "factor": 1.5})],
            }
        )
        first = self.approved(5 / 60, day=SATURDAY)
        second = self.approved(20 / 60, day=SATURDAY)
        monday = self.approved(20 / 60)
        invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(first.agency_billed_hours + second.agency_billed_hours, 0.5)
        self.assertEqual(monday.agency_billed_hours, 0.25)
        self.assertEqual(invoice.amount_untaxed, 90.0)
        reason = first.agency_rate_reason
        for part in ("Company default", "Weekend ×1.5", "Discount 10 %"):
            self.assertIn(part, reason)
        self.assertIn(first.agency_rounding_note, reason)
