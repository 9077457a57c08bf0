"""The forecast's sources on hand-computed cases, on several todays.

Built on agency_billing's BillingCase: Acme's T&M engagement (a company
default rate of 100 an hour, Dani a designer). The company's demo records are
there too: each test reads its own engagement's or client's lines only.
"""

from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.agency_billing.tests.common import BillingCase

from .. import forecasting as fc
from ..forecast_sources import ForecastSources

TODAY = date(2026, 3, 18)  # a Wednesday
TODAYS = (date(2026, 3, 18), date(2026, 3, 1), date(2026, 2, 28), date(2026, 3, 22))


@tagged("post_install", "-at_install")
class TestForecastSources(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.net30 = env.ref("account.account_payment_term_30days")
        cls.company.agency_forecast_payment_term_id = False
        cls.engagement.write(
            {
                "payment_term_id": cls.net30.id,
                "forecast_days_after_set": True,
                "forecast_days_after": 3,
            }
        )
        cls.Scenario = env["agency.forecast.scenario"]
        cls.base = cls.Scenario.search(
            [("company_id", "=", cls.company.id), ("kind", "=", "base")], limit=1
        )

    def sources(self, today=TODAY):
        return ForecastSources(self.env, self.company, today)

    def lines(self, today=TODAY, engagement=None, kind=None):
        sources = self.sources(today)
        engagement = engagement or self.engagement
        return [
            line
            for line in sources.lines()
            if line.engagement_id == engagement.id and (not kind or line.kind == kind)
        ]

    def row(self, figures, grain, key):
        return next((r for r in figures["rows"][grain] if r["key"] == key), None)

    def figures(self, scenario=None, today=TODAY):
        data = self.Scenario.agency_forecast_data(
            today=today, scenario_ids=(scenario or self.base).ids
        )
        return data["scenarios"][0]

    def book(self, start, state="confirmed", weeks=1):
        """Dani on Test Campaign, 10 hours a week for `weeks` weeks from start."""
        return self.env["agency.booking"].create(
            {
                "employee_id": self.dani.id,
                "project_id": self.project.id,
                "date_from": start,
                "date_to": start + timedelta(days=7 * weeks - 1),
                "hours": 10.0,
                "state": state,
            }
        )

    def monday_after(self, today):
        return today + timedelta(days=7 - today.weekday())

    # -- sources ------------------------------------------------------------------

    def test_time_billed_at_the_next_run_by_cadence(self):
        self.approved(2.0, day="2026-03-02")  # 200.00 at the default rate
        [line] = self.lines(kind="time")
        self.assertEqual(line.amount, 200.0)
        self.assertEqual(line.revenue_date, date(2026, 3, 1))
        self.assertEqual(line.invoice_date, date(2026, 4, 3))  # 31 Mar + 3 days
        self.engagement.forecast_cadence = "quarterly"
        self.approved(1.0, day="2026-02-10")
        lines = sorted(self.lines(kind="time"), key=lambda x: x.revenue_date)
        self.assertEqual([x.invoice_date for x in lines], [date(2026, 4, 3)] * 2)
        self.engagement.forecast_cadence = "monthly"
        # February's run is past on the 18 March: billed at the next chance
        feb = min(self.lines(kind="time"), key=lambda x: x.revenue_date)
        self.assertEqual(feb.invoice_date, TODAY)

    def test_days_after_learned_from_past_runs(self):
        self.engagement.forecast_days_after_set = False
        self.approved(2.0, day="2026-02-02")
        run = self.new_run(date_to="2026-02-28", invoice_date="2026-03-06")
        invoice = self.review_and_invoice(run)
        invoice.action_post()
        self.assertEqual(self.sources().days_after()[self.engagement.id], 6)
        self.approved(2.0, day="2026-03-02")
        [line] = self.lines(kind="time")
        self.assertEqual(line.invoice_date, date(2026, 4, 6))

    def pay(self, invoice, day):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": day}).action_create_payments()

    def test_payment_terms_and_days_late(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.acme.id,
                "invoice_date": "2026-01-05",
                "invoice_payment_term_id": self.net30.id,
                "invoice_line_ids": [(0, 0, {"name": "Old work", "price_unit": 100.0,
                                             "quantity": 1, "tax_ids": [(6, 0, [])]})],
            }
        )  # fmt: skip
        invoice.action_post()
        self.assertEqual(invoice.invoice_date_due, date(2026, 2, 4))
        self.pay(invoice, "2026-02-24")  # 20 days late
        by_client, _company = self.sources().days_late()
        self.assertEqual(by_client[self.acme.id], 20)
        self.approved(2.0, day="2026-03-02")
        [line] = self.lines(kind="time")
        self.assertEqual(line.days_late, 20)
        # invoiced 3 Apr, net 30: due 3 May, paid 20 days late
        self.assertEqual(fc.receipts(line, TODAY), [(date(2026, 5, 23), 200.0)])

    def test_bookings_priced_by_the_cards_tentative_at_the_probability(self):
        for today in TODAYS:
            with self.subTest(today=today):
                start = self.monday_after(today)
                bookings = self.book(start, weeks=2) | self.book(start, "tentative")
                lines = self.lines(today, kind="booking")
                self.assertEqual(sum(x.amount for x in lines), 3000.0)
                self.assertEqual(sum(x.amount for x in lines if x.tentative), 1000.0)
                row = self.row(
                    self.figures(today=today), "engagement", self.engagement.id
                )
                self.assertAlmostEqual(row["revenue"]["total"], 2500.0)  # 2000 + 50 %
                self.assertAlmostEqual(sum(row["revenue"]["weeks"]), 2500.0)
                bookings.unlink()

    def test_fixed_fee_schedule_and_milestone(self):
        project = self.env["project.project"].create(
            {
                "name": "Fee project",
                "partner_id": self.acme.id,
                "allow_timesheets": True,
            }
        )
        milestone = self.env["project.milestone"].create(
            {"name": "Launch", "project_id": project.id, "deadline": "2026-05-20"}
        )
        engagement = self.env["agency.engagement"].create(
            {
                "name": "Acme fee",
                "partner_id": self.acme.id,
                "kind": "fixed_fee",
                "fee_amount": 1000.0,
                "payment_term_id": self.net30.id,
                "forecast_days_after_set": True,
                "forecast_days_after": 2,
                "schedule_line_ids": [
                    (0, 0, {"name": "Kick-off", "percent": 40, "trigger": "date",
                            "date_due": "2026-04-10"}),
                    (0, 0, {"name": "Launch", "percent": 60, "trigger": "milestone",
                            "milestone_id": milestone.id}),
                ],
            }
        )  # fmt: skip
        project.agency_engagement_id = engagement
        lines = sorted(self.lines(engagement=engagement), key=lambda x: x.revenue_date)
        self.assertEqual(
            [(x.kind, x.amount, x.revenue_date, x.invoice_date) for x in lines],
            [
                ("fixed_fee", 400.0, date(2026, 4, 10), date(2026, 5, 2)),
                ("fixed_fee", 600.0, date(2026, 5, 20), date(2026, 6, 2)),
            ],
        )

    def retainer(self, timing, **vals):
        project = self.env["project.project"].create(
            {"name": f"Retainer {timing}", "partner_id": self.bright.id,
             "allow_timesheets": True}
        )  # fmt: skip
        engagement = self.env["agency.engagement"].create(
            {
                "name": f"Bright {timing}",
                "partner_id": self.bright.id,
                "kind": "retainer",
                "retainer_period": "quarter",
                "period_fee": 3000.0,
                "included_hours": 20.0,
                "overage_rate_kind": "fixed",
                "overage_rate": 150.0,
                "fee_timing": timing,
                "date_start": "2026-04-01",
                "date_end": "2026-09-30",
                "payment_term_id": self.net30.id,
                **vals,
            }
        )
        project.agency_engagement_id = engagement
        return engagement, project

    def test_retainer_in_advance_and_arrears_and_overage(self):
        advance, project = self.retainer("advance")
        arrears, _project = self.retainer("arrears")
        fees = {
            e.fee_timing: sorted(
                (x.revenue_date, x.invoice_date, x.amount)
                for x in self.lines(engagement=e, kind="retainer")
            )
            for e in advance | arrears
        }
        self.assertEqual(
            fees["advance"],
            [(date(2026, 4, 1), date(2026, 4, 30), 3000.0),
             (date(2026, 7, 1), date(2026, 7, 31), 3000.0)],
        )  # fmt: skip
        self.assertEqual(
            fees["arrears"],
            [(date(2026, 4, 1), date(2026, 6, 30), 3000.0),
             (date(2026, 7, 1), date(2026, 9, 30), 3000.0)],
        )  # fmt: skip
        # 25 h booked in April (5 weeks of 5 h) against 20 included: 5 h over
        self.env["agency.booking"].create(
            {"employee_id": self.dani.id, "project_id": project.id,
             "date_from": "2026-04-06", "date_to": "2026-05-10", "hours": 5.0}
        )  # fmt: skip
        [over] = self.lines(engagement=advance, kind="overage")
        self.assertAlmostEqual(over.hours, 5.0)
        self.assertAlmostEqual(over.amount, 750.0)
        self.assertEqual(over.invoice_date, date(2026, 6, 30))

    def test_currency_at_todays_rate(self):
        foreign = self.env.ref("base.EUR")
        if foreign == self.currency:
            foreign = self.env.ref("base.GBP")
        foreign.active = True
        Rate = self.env["res.currency.rate"]
        Rate.search([("currency_id", "=", foreign.id)]).unlink()
        Rate.create({"name": "2026-01-01", "currency_id": foreign.id, "rate": 0.8,
                     "company_id": self.company.id})  # fmt: skip
        Rate.create({"name": "2026-03-10", "currency_id": foreign.id, "rate": 0.5,
                     "company_id": self.company.id})  # fmt: skip
        self.engagement.currency_id = foreign
        self.rate(80.0, currency_id=foreign.id, partner_id=self.acme.id,
                  date_from="2026-01-01")  # fmt: skip
        self.approved(2.0, day="2026-03-02")
        [line] = self.lines(kind="time")
        # €160 kept for the drill-down; $320 at today's (18 Mar) rate of 0.5
        self.assertEqual((line.amount_currency, line.currency_id), (160.0, foreign.id))
        self.assertAlmostEqual(line.amount, 320.0)
        [before] = self.lines(date(2026, 3, 5), kind="time")
        self.assertAlmostEqual(before.amount, 200.0)  # 0.8 on 5 Mar
        Rate.search([("currency_id", "=", foreign.id)]).unlink()
        with self.assertRaisesRegex(UserError, foreign.name + ".*Currencies"):
            self.sources().lines()

    # -- no double counting ----------------------------------------------------

    def test_invoice_and_payment_replace_their_forecast(self):
        self.approved(2.0, day="2026-03-02")
        self.assertEqual([x.kind for x in self.lines()], ["time"])
        run = self.new_run(date_to="2026-03-15", invoice_date="2026-03-16")
        invoice = self.review_and_invoice(run)
        self.assertEqual(invoice.state, "draft")
        [draft] = self.lines()
        self.assertEqual(
            (draft.kind, draft.source_ids), ("draft_invoice", tuple(invoice.ids))
        )
        self.assertAlmostEqual(draft.amount, invoice.amount_total)
        invoice.action_post()
        [posted] = self.lines()
        self.assertEqual(posted.kind, "open_invoice")
        self.assertAlmostEqual(posted.amount, invoice.amount_total)
        self.assertIsNone(posted.invoice_date)  # billed: no billing ahead
        self.pay(invoice, "2026-03-17")
        self.assertEqual(self.lines(), [])

    def test_open_credit_note_nets_against_the_clients_invoice(self):
        """A posted credit note left open (not reconciled) reduces what its
        client is expected to pay, instead of counting as money paid out."""
        self.approved(2.0, day="2026-03-02")
        run = self.new_run(date_to="2026-03-15", invoice_date="2026-03-16")
        invoice = self.review_and_invoice(run)
        invoice.action_post()
        credit = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": invoice.partner_id.id,
                "currency_id": invoice.currency_id.id,
                "invoice_date": "2026-03-20",
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Goodwill", "quantity": 1, "price_unit": 50.0}
                    )
                ],
            }
        )
        credit.action_post()
        [netted] = self.lines()
        self.assertEqual(netted.kind, "open_invoice")
        self.assertAlmostEqual(
            netted.amount, invoice.amount_total - credit.amount_total
        )
        self.assertEqual(netted.source_ids, (invoice.id, credit.id))
        self.assertEqual(netted.due_date, invoice.invoice_date_due)

    # -- levers, bad input -----------------------------------------------------

    def test_each_lever_moves_the_figures(self):
        start = self.monday_after(TODAY)
        self.book(start)
        self.book(start, "tentative")
        self.company.agency_forecast_overheads = 1000.0
        scenario = self.Scenario.create(
            {"name": "Lever test", "tentative_probability": 50}
        )

        def engagement_total(view="billings"):
            figures = self.figures(scenario)
            return self.row(figures, "engagement", self.engagement.id)[view]["total"]

        self.assertAlmostEqual(engagement_total(), 1500.0)
        scenario.tentative_probability = 20
        self.assertAlmostEqual(engagement_total(), 1200.0)
        scenario.utilization_change = -10
        self.assertAlmostEqual(engagement_total(), 1080.0)
        scenario.write({"rate_change": 10, "rate_change_date": TODAY})
        self.assertAlmostEqual(engagement_total(), 1188.0)
        scenario.write_off_share = 50
        self.assertAlmostEqual(engagement_total(), 594.0)
        overhead = self.row(self.figures(scenario), "kind", "overhead")
        scenario.overheads_change = 10
        changed = self.row(self.figures(scenario), "kind", "overhead")
        self.assertAlmostEqual(
            changed["cash"]["total"], overhead["cash"]["total"] * 1.1
        )
        self.assertAlmostEqual(changed["cash"]["total"], -1100.0 * 12)
        # extra delay: the booking's receipt (billed 3 Apr, net 30) moves
        late = self.sources().days_late()
        days = late[0].get(self.acme.id, late[1])
        scenario.extra_delay_days = 40
        data = self.Scenario.agency_forecast_data(
            today=TODAY, scenario_ids=scenario.ids
        )
        row = self.row(data["scenarios"][0], "engagement", self.engagement.id)
        paid = date(2026, 5, 3) + timedelta(days=days + 40)
        self.assertAlmostEqual(
            row["cash"]["months"][fc.month_index(paid, TODAY)], 594.0
        )

    def test_bad_input_is_refused_and_nothing_saved(self):
        scenario = self.Scenario.create({"name": "Bad input"})
        for vals, pattern in (
            ({"tentative_probability": 120}, "between 0 and 100"),
            ({"tentative_probability": -5}, "between 0 and 100"),
            ({"write_off_share": 101}, "write-off"),
            ({"payment_term_id": self.net30.id, "extra_delay_days": -31},
             "before the invoice.*-30"),
        ):  # fmt: skip
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(ValidationError, pattern),
                self.env.cr.savepoint(),
            ):
                scenario.write(vals)
        scenario.invalidate_recordset()
        self.assertEqual(scenario.tentative_probability, 50.0)
        scenario.write({"payment_term_id": self.net30.id, "extra_delay_days": -30})
        with self.assertRaisesRegex(ValidationError, "needs a name"):
            self.Scenario.create({"name": "  "})
        with self.assertRaisesRegex(ValidationError, "needs a name"):
            scenario.name = ""

    def test_engagement_without_payment_terms_is_named(self):
        self.engagement.payment_term_id = False
        self.acme.property_payment_term_id = False
        self.approved(2.0, day="2026-03-02")
        with self.assertRaisesRegex(UserError, "Acme T&M.*Payment Terms"):
            self.sources().lines()
        self.company.agency_forecast_payment_term_id = self.net30
        [line] = self.lines(kind="time")
        self.assertEqual(fc.due_dates(line.invoice_date, 1, line.terms)[0][0],
                         date(2026, 5, 3))  # fmt: skip

    def test_default_scenarios_for_every_company(self):
        company = self.env["res.company"].create({"name": "Forecast Co"})
        kinds = self.Scenario.search([("company_id", "=", company.id)]).mapped("kind")
        self.assertEqual(sorted(kinds), ["base", "best", "conservative"])

    def test_query_count_does_not_grow_with_engagements(self):
        def count():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.sources().lines()
            return self.env.cr.sql_log_count - before

        def add(index):
            project = self.env["project.project"].create(
                {
                    "name": f"Q{index}",
                    "partner_id": self.acme.id,
                    "allow_timesheets": True,
                }
            )
            project.agency_engagement_id = self.engagement.copy({"name": f"Q{index}"})
            self.approved(1.0, day="2026-03-03", project_id=project.id, task_id=False)
            start = self.monday_after(TODAY)
            self.env["agency.booking"].create(
                {"employee_id": self.dani.id, "project_id": project.id,
                 "date_from": start, "date_to": start + timedelta(days=6), "hours": 4.0}
            )  # fmt: skip

        add(0)
        count()
        few = count()
        for index in range(1, 7):
            add(index)
        count()
        self.assertEqual(count(), few)

    def test_drill_down_lists_the_lines_and_their_records(self):
        line = self.approved(2.0, day="2026-03-02")
        action = self.base.agency_forecast_drill(
            "billings", "months", 1, "engagement", self.engagement.id, today=TODAY
        )
        forecast = self.env["agency.forecast.line"].search(action["domain"])
        self.assertEqual(forecast.mapped("amount"), [200.0])
        opened = forecast.action_open_sources()
        self.assertEqual(opened["res_model"], "account.analytic.line")
        self.assertEqual(opened["domain"], [("id", "in", line.ids)])
