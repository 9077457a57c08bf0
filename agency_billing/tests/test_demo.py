"""The demo agency's rate cards, as `make demo` shows them.

Their dates are read from the demo's plan (agency_timesheet/demo/plan.py, the
day the demo was built), never from the clock: the tests hold on any day.
"""

from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.agency_timesheet.tests.demo_common import DemoCase

from ..demo.billing import CREDIT_REASON
from ..demo.fixed_fee import CHANGE_ORDER_NAME
from ..demo.rates import DESIGNER_RAISE, ROLE_RATES
from ..demo.retainer import RETAINER, RETAINER_TIME


@tagged("post_install", "-at_install")
class TestDemoRates(DemoCase):
    demo_xmlid = "agency_demo.rate_company_default"

    def ref(self, name):
        return self.env.ref(f"agency_demo.{name}")

    def test_every_kind_of_card(self):
        Rate = self.env["agency.rate"]
        scopes = set(Rate.search([]).mapped("scope"))
        self.assertTrue(
            {
                "company",
                "role",
                "role_client",
                "client",
                "project",
                "role_project",
                "employee",
            }
            <= scopes
        )
        foxglove = Rate.search([("partner_id", "=", self.ref("client_foxglove").id)])
        company_currency = self.env.ref("base.main_company").currency_id
        self.assertEqual(len(foxglove.currency_id), 1)
        self.assertNotEqual(foxglove.currency_id, company_currency)
        self.assertTrue(foxglove.currency_id.active)
        bright = Rate.search([("partner_id", "=", self.ref("client_bright").id)])
        self.assertEqual(bright.currency_id, company_currency)

    def test_demo_time_is_priced_and_explained(self):
        Line = self.env["account.analytic.line"]
        states = dict(
            Line._read_group(
                [("project_id", "!=", False)], ["agency_rate_state"], ["__count"]
            )
        )
        self.assertGreater(states.get("priced", 0), 2000)
        self.assertGreater(states.get("internal", 0), 0, "internal time: cost only")
        foxglove = Line.search(
            [
                ("project_id", "=", self.ref("project_foxglove_lookbook").id),
                ("agency_rate_state", "=", "priced"),
            ],
            limit=1,
        )
        self.assertEqual(
            foxglove.agency_rate_currency_id,
            self.ref("rate_foxglove_default").currency_id,
        )
        self.assertIn("lient Foxglove Fashion", foxglove.agency_rate_reason)
        kai = Line.search(
            [
                ("employee_id", "=", self.ref("employee_kai").id),
                ("project_id", "=", self.ref("project_evergreen_app").id),
            ],
            limit=1,
        )
        self.assertEqual(kai.agency_rate_id, self.ref("rate_kai"), "person override")
        self.assertEqual(kai.agency_cost_source, "rate")
        dune = Line.search(
            [("project_id", "=", self.ref("project_dune_identity").id)], limit=1
        )
        self.assertEqual(dune.agency_rate_id, self.ref("rate_dune_identity"))

    def test_designer_rate_changes_mid_quarter(self):
        old, new = self.ref("rate_role_des_old"), self.ref("rate_role_des")
        self.assertEqual(old.date_to + timedelta(days=1), new.date_from)
        self.assertEqual(old.bill_rate, ROLE_RATES["DES"][0])
        self.assertEqual(new.bill_rate, DESIGNER_RAISE)
        Line = self.env["account.analytic.line"]
        self.assertTrue(Line.search_count([("agency_rate_id", "=", old.id)]))
        self.assertTrue(Line.search_count([("agency_rate_id", "=", new.id)]))


@tagged("post_install", "-at_install")
class TestDemoConveyor(DemoCase):
    """Last month's billing run as `make demo` shows it, Bruno owning it
    ("last month": the plan's billing month, which ends on the lock date)."""

    demo_xmlid = "agency_demo.rate_company_default"

    def setUp(self):
        super().setUp()
        # With demo data the conveyor is there: a missing record fails here.
        self.end_last = self.plan.billing_month[1]
        self.run = self.ref("billing_run_last_month")
        self.bruno = self.ref("user_bruno")

    def ref(self, name):
        return self.env.ref(f"agency_demo.{name}")

    def line(self, run, key):
        engagement = self.ref(f"engagement_{key}")
        return run.line_ids.filtered(lambda line: line.engagement_id == engagement)

    def test_engagements_of_the_demo_clients(self):
        acme = self.ref("engagement_acme_spring")
        self.assertEqual(acme.partner_id, self.ref("client_acme"))
        self.assertEqual(acme.project_ids, self.ref("project_acme_spring"))
        self.assertEqual((acme.rounding_increment, acme.rounding_method), ("15", "up"))
        citrus = self.ref("engagement_citrus_launch")
        self.assertEqual(
            (citrus.rounding_increment, citrus.rounding_method), ("6", "nearest")
        )
        evergreen = self.ref("engagement_evergreen_app")
        self.assertGreater(evergreen.cap_amount, evergreen.invoiced_amount)
        foxglove = self.ref("engagement_foxglove_lookbook")
        self.assertEqual(
            foxglove.currency_id, self.ref("rate_foxglove_default").currency_id
        )
        self.assertEqual(foxglove.date_start, self.end_last.replace(day=1))
        owners = (acme | citrus | evergreen | foxglove).user_id
        self.assertEqual(owners, self.bruno)

    def test_last_month_run_in_review(self):
        run = self.run
        self.assertEqual(run.state, "review")
        self.assertEqual(run.date_to, self.end_last)
        self.assertEqual(run.user_id, self.bruno)
        # it bills approved, locked time: its period ends on the lock date
        company = self.env.ref("base.main_company")
        self.assertEqual(run.date_to, company.agency_timesheet_lock_date)
        entries = self.env["account.analytic.line"].search(
            [("agency_run_id", "=", run.id)]
        )
        self.assertTrue(entries)
        self.assertEqual(set(entries.mapped("approval_state")), {"approved"})
        self.assertEqual(set(entries.mapped("agency_locked")), {True})
        # Foxglove: time before the engagement started blocks its invoice
        foxglove = self.line(run, "foxglove_lookbook")
        self.assertEqual(foxglove.state, "review")
        self.assertFalse(foxglove.invoice_ids)
        blocking = foxglove.check_ids.filtered(
            lambda c: c.severity == "blocking" and c.state == "open"
        )
        # ... and so does its phase over budget (issue 19)
        self.assertEqual(
            set(blocking.mapped("code")), {"outside_dates", "phase_budget"}
        )
        self.assertEqual(blocking.owner_id, self.bruno)
        # ... and an entry logged twice is a warning
        duplicate = foxglove.check_ids.filtered(lambda c: c.code == "duplicate")
        self.assertEqual(duplicate.severity, "warning")
        self.assertEqual(duplicate.state, "open")
        self.assertIn(self.ref("entry_foxglove_duplicate"), duplicate.entry_ids)
        # the others were reviewed by Bruno and have draft invoices
        for key in ("acme_spring", "citrus_launch", "evergreen_app"):
            line = self.line(run, key)
            self.assertEqual(line.state, "invoiced", key)
            self.assertEqual(line.reviewed_by_id, self.bruno)
            self.assertEqual(line.invoice_ids.state, "draft")
            self.assertEqual(line.invoice_ids.move_type, "out_invoice")
            self.assertEqual(line.invoice_ids.partner_id, line.partner_id)
            self.assertFalse(line.check_ids.filtered(lambda c: c.state == "open"))
        self.assertEqual(len(run.invoice_ids), 3)
        citrus = self.line(run, "citrus_launch")
        self.assertNotAlmostEqual(
            citrus.raw_hours, citrus.billed_hours, msg="6-minute rounding shows"
        )

    def test_rounding_per_person_day_and_rush(self):
        """Evergreen rounds each person's day per task once (15-minute
        minimum) and bills two rush entries at 150 % on their own line."""
        evergreen = self.ref("engagement_evergreen_app")
        self.assertEqual(evergreen.rounding_scope, "person_day")
        self.assertEqual(evergreen.rounding_minimum, 15)
        rush = self.ref("entry_evergreen_rush_1") | self.ref("entry_evergreen_rush_2")
        self.assertTrue(all(rush.mapped("agency_rush")))
        for entry in rush:
            self.assertEqual(entry.agency_multiplier_label, "Rush ×1.5")
            self.assertIn("per person, task and day", entry.agency_rounding_note)
        invoice = rush.agency_invoice_line_id.move_id
        if invoice:
            self.assertTrue(
                any("Rush ×1.5" in line.name for line in invoice.invoice_line_ids)
            )
            for line in invoice.invoice_line_ids.filtered("agency_entry_ids"):
                self.assertAlmostEqual(
                    line.quantity,
                    sum(line.agency_entry_ids.mapped("agency_billed_hours")),
                )

    def test_issue19_terms(self):
        """A blended rate, a volume discount reached, a phase over budget and a
        client invoiced in GBP at a contract rate."""
        dune = self.ref("rate_dune_identity")
        self.assertTrue(dune.blended)
        entry = self.env["account.analytic.line"].search(
            [("agency_rate_id", "=", dune.id)], limit=1
        )
        self.assertIn("Blended rate", entry.agency_rate_reason)
        citrus = self.line(self.run, "citrus_launch").invoice_ids
        if citrus:
            discount = citrus.invoice_line_ids.filtered(
                lambda line: line.name.startswith("Volume discount 5 %")
            )
            self.assertEqual(len(discount), 1)
            self.assertLess(discount.price_subtotal, 0)
        budget = self.ref("phase_budget_foxglove")
        self.assertEqual(budget.engagement_id, self.ref("engagement_foxglove_lookbook"))
        report = self.ref("engagement_evergreen_report")
        self.assertEqual(len(report.contract_rate_ids), 1)
        self.assertGreater(report.contract_rate_ids.rate, 0)
        self.assertNotEqual(report.currency_id, report.company_id.currency_id)
        priced = self.env["account.analytic.line"].search(
            [
                ("project_id", "in", report.project_ids.ids),
                ("agency_rate_state", "=", "priced"),
                ("date", ">=", report.contract_rate_ids.date_from),
            ],
            limit=1,
        )
        self.assertIn("at the contract rate", priced.agency_rate_reason)

    def test_write_down_with_reason_reaches_the_draft_invoice(self):
        write_down = self.ref("billing_adjustment_acme_write_down")
        self.assertEqual(write_down.run_id, self.run)
        self.assertEqual(write_down.direction, "down")
        self.assertEqual(write_down.reason, "inefficiency")
        self.assertTrue(write_down.note)
        self.assertTrue(write_down.entry_id)
        self.assertEqual(write_down.user_id, self.bruno)
        self.assertLess(write_down.signed_amount, 0)
        invoice_line = write_down.invoice_line_id
        self.assertEqual(invoice_line.move_id.state, "draft")
        self.assertLess(invoice_line.price_subtotal, 0)
        self.assertIn(write_down.note, invoice_line.name)
        acme = self.line(self.run, "acme_spring")
        self.assertAlmostEqual(acme.total, acme.amount + write_down.signed_amount)

    def test_credit_note_freed_entries_for_the_next_run(self):
        earlier = self.ref("billing_run_earlier")
        self.assertEqual(earlier.state, "done")
        self.assertEqual(set(earlier.invoice_ids.mapped("state")), {"posted"})
        refund = self.ref("credit_note_acme")
        invoice = self.ref("invoice_earlier_acme_spring")
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.reversed_entry_id, invoice)
        self.assertIn(CREDIT_REASON[:40], refund.ref)
        reversed_lines = refund.invoice_line_ids.agency_reversed_line_id
        self.assertEqual(len(reversed_lines), 1)
        self.assertLess(len(reversed_lines), len(invoice.invoice_line_ids))
        Line = self.env["account.analytic.line"]
        freed = Line.search(
            [
                ("project_id", "=", self.ref("project_acme_spring").id),
                ("approval_state", "=", "approved"),
                ("date", "<=", earlier.date_to),
                ("agency_invoice_line_id", "=", False),
            ]
        )
        self.assertTrue(freed)
        self.assertFalse(freed.agency_run_id, "no run holds them")
        audit = self.env["agency.audit"].search(
            [("line_id", "in", freed.ids), ("operation", "=", "invoice")]
        )
        self.assertTrue(audit)
        self.assertIn(refund.name, audit[0].reason)
        # the next run of the same period collects exactly them (the time
        # approved after the lock date waits for the next month's run)
        run = self.env["agency.billing.run"].create(
            {
                "date_to": self.plan.lock_date,
                "engagement_ids": [(6, 0, self.ref("engagement_acme_spring").ids)],
            }
        )
        run.action_collect()
        self.assertEqual(Line.search([("agency_run_id", "=", run.id)]), freed)


@tagged("post_install", "-at_install")
class TestDemoRetainerAndFixedFee(DemoCase):
    """Dune Museum's retainer over three months and Acme Website Refresh at a
    fixed fee that over-ran, as `make demo` shows them."""

    demo_xmlid = "agency_demo.rate_company_default"

    def setUp(self):
        super().setUp()
        self.end_last = self.plan.billing_month[1]
        self.months = list(self.plan.retainer_months)
        self.assertEqual(
            self.months[-1] - timedelta(days=1),
            self.plan.earlier_month[1],
            "three months in a row, up to the billing month",
        )

    def ref(self, name):
        return self.env.ref(f"agency_demo.{name}")

    def test_retainer_rolls_over_expires_and_bills_overage(self):
        retainer = self.ref("engagement_dune_social")
        self.assertEqual(retainer.kind, "retainer")
        self.assertEqual(retainer.partner_id, self.ref("client_dune"))
        self.assertEqual(retainer.project_ids, self.ref("project_dune_social"))
        self.assertEqual(retainer.date_start, self.months[0])
        self.assertEqual(retainer.rollover_periods, 1)
        rows = retainer.retainer_period_ids.sorted("date_start")
        self.assertEqual(rows.mapped("date_start"), self.months)
        self.assertEqual(set(rows.mapped("state")), {"closed"})
        self.assertEqual(
            rows.mapped("used_hours"),
            [sum(entry[2] for entry in month) for month in RETAINER_TIME],
        )
        rolled, expired, over = rows
        # a quiet month: unused hours roll over
        self.assertGreater(rolled.rolled_over_hours, 0)
        self.assertFalse(rolled.expired_hours)
        # a quieter one: what rolled over into it and was not used expires
        self.assertEqual(expired.opening_hours, rolled.rolled_over_hours)
        self.assertGreater(expired.expired_hours, 0)
        # a busy one: overage, billed with the month
        self.assertGreater(over.overage_hours, 0)
        self.assertEqual(over.billed_overage_hours, over.overage_hours)
        self.assertFalse(over.rolled_over_hours)
        for number, row in enumerate(rows, start=1):
            run = self.ref(f"billing_run_dune_social_{number}")
            invoice = self.ref(f"invoice_dune_social_{number}")
            self.assertEqual(run.state, "done")
            self.assertEqual(run.date_to, row.date_end)
            self.assertEqual(row.close_run_id, run)
            self.assertFalse(run.check_ids, "nothing to check on a retainer's fee")
            self.assertEqual(invoice.state, "posted")
            self.assertEqual(row.fee_invoice_line_id.move_id, invoice)
            self.assertEqual(
                row.fee_invoice_line_id.price_subtotal, RETAINER["period_fee"]
            )
        overage_line = over.overage_invoice_line_id
        self.assertEqual(overage_line.move_id, self.ref("invoice_dune_social_3"))
        self.assertEqual(overage_line.quantity, over.billed_overage_hours)
        self.assertEqual(overage_line.price_unit, RETAINER["overage_rate"])
        self.assertEqual(
            over.billed_amount,
            RETAINER["period_fee"]
            + over.billed_overage_hours * RETAINER["overage_rate"],
        )
        # its time is approved, priced at the cards and billed by the retainer
        entries = self.env["account.analytic.line"].search(
            [("project_id", "=", self.ref("project_dune_social").id)]
        )
        self.assertEqual(set(entries.mapped("approval_state")), {"approved"})
        self.assertEqual(set(entries.mapped("agency_rate_state")), {"priced"})
        self.assertEqual(entries.agency_retainer_period_id, rows)

    def test_fixed_fee_over_ran_with_a_change_order(self):
        engagement = self.ref("engagement_acme_web")
        self.assertEqual(engagement.kind, "fixed_fee")
        self.assertEqual(engagement.project_ids, self.ref("project_acme_web"))
        change = self.ref("change_order_acme_web")
        self.assertEqual(change.engagement_id, engagement)
        self.assertEqual(change.name, CHANGE_ORDER_NAME)
        self.assertTrue(change.reason)
        self.assertGreater(change.amount, 0)
        self.assertEqual(engagement.fee_total, engagement.fee_amount + change.amount)
        # the schedule: a date already due, a milestone reached, a date to come
        kickoff = self.ref("schedule_acme_web_kickoff")
        design = self.ref("schedule_acme_web_design")
        launch = self.ref("schedule_acme_web_launch")
        self.assertEqual((kickoff.trigger, design.trigger), ("date", "milestone"))
        self.assertEqual(design.milestone_id, self.ref("milestone_acme_web_design"))
        self.assertTrue(design.milestone_id.is_reached)
        self.assertLess(kickoff.date_due, self.plan.today)
        self.assertGreater(launch.date_due, self.plan.today)
        earlier = self.ref("invoice_acme_web_earlier")
        last = self.ref("invoice_acme_web_last_month")
        self.assertEqual(kickoff.invoice_line_id.move_id, earlier)
        self.assertEqual(design.invoice_line_id.move_id, last)
        self.assertEqual(change.schedule_line_ids.invoice_line_id.move_id, last)
        self.assertEqual(launch.state, "planned")
        self.assertFalse(launch.invoice_line_id)
        self.assertEqual((earlier.state, last.state), ("posted", "posted"))
        self.assertEqual(
            earlier.amount_untaxed + last.amount_untaxed,
            kickoff.amount + design.amount + change.amount,
            "only the schedule is invoiced: no hourly time",
        )
        # the effort beyond the fee is written off last month, never billed
        writeoff = self.ref("billing_adjustment_acme_web_overrun")
        self.assertEqual(writeoff.reason, "overrun")
        self.assertFalse(writeoff.billable)
        self.assertFalse(writeoff.invoice_line_id)
        self.assertGreater(writeoff.amount, 0)
        self.assertEqual(writeoff.run_id, self.ref("billing_run_acme_web_last_month"))
        self.assertEqual(engagement.overrun_amount, writeoff.amount)
        [(effort,)] = self.env["account.analytic.line"]._read_group(
            [
                ("project_id", "=", self.ref("project_acme_web").id),
                ("approval_state", "=", "approved"),
                ("date", "<=", self.end_last),
            ],
            [],
            ["agency_amount:sum"],
        )
        self.assertAlmostEqual(effort - engagement.fee_total, writeoff.amount, 2)

    def test_expenses_with_receipts_on_an_invoice(self):
        taxi = self.ref("expense_dune_taxi")
        proofs = self.ref("expense_dune_print")
        invoice = self.ref("invoice_dune_expenses")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(taxi.agency_invoice_line_id.move_id, invoice)
        self.assertEqual(proofs.agency_invoice_line_id.move_id, invoice)
        # 10 % markup on travel; print proofs at cost (their category's 0 %)
        self.assertAlmostEqual(taxi.agency_invoice_line_id.price_subtotal, 46.75)
        self.assertAlmostEqual(proofs.agency_invoice_line_id.price_subtotal, 180.0)
        receipts = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )
        self.assertEqual(len(receipts.filtered(lambda a: "receipt" in a.name)), 2)
