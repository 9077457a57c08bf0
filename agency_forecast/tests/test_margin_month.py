"""Every KPI of the hand-computed month (tests/common.py) per client, project,
role and person; the engagements' figures for the early warnings; drill-down
to exactly the records behind a cell."""

from odoo.tests import tagged

from odoo.addons.agency_forecast.profitability import (
    Totals,
    convert,
    entry_cost,
    entry_revenue,
    kpis,
    marked_up,
)
from odoo.addons.agency_forecast.report.agency_margin_fact import fact_ids

from .common import MarginMonthCase

MEASURES = ("revenue", "cost", "margin", "hours", "billed", "write_downs")


@tagged("post_install", "-at_install")
class TestMarginMonth(MarginMonthCase):
    def mine(self):
        """Facts of this month's people and engagements (not the demo's)."""
        people = (self.dani | self.paula).ids
        engagements = (self.engagement | self.fixed | self.retainer).ids
        return [
            "|",
            ("employee_id", "in", people),
            ("engagement_id", "in", engagements),
        ]

    def by(self, groupby, date_range=None):
        """The KPIs by groupby from the margin view; the weekly facts (what
        the pivot and the forms read) say the same."""
        start, end = date_range or ("2026-03-01", "2026-03-31")
        domain = [*self.mine(), ("date", ">=", start), ("date", "<=", end)]
        figures = {}
        for model in ("agency.margin.fact", "agency.margin.week"):
            figures[model] = {
                key: kpis(totals)
                for key, totals in self.env[model]
                ._agency_totals(domain, [groupby])
                .items()
            }
        view, weekly = figures["agency.margin.fact"], figures["agency.margin.week"]
        self.assertEqual(set(weekly), set(view))
        for key, row in view.items():
            for name, value in row.items():
                if value is None:
                    self.assertIsNone(weekly[key][name], f"{key} {name}")
                else:
                    self.assertAlmostEqual(weekly[key][name], value, 2, f"{key} {name}")
        return view

    def assertFigures(self, figures, **expected):
        for name, value in expected.items():
            self.assertAlmostEqual(figures[name], value, places=2, msg=name)

    def test_by_client(self):
        """Acme: T&M 838 + fixed fee 1,200 = 2,038 revenue; cost 414 + 650 =
        1,064; 6.10 + 14 h; billed 738 + 1,200 = 1,938; written down 25 + 200
        = 225; value at rate cards 760 + 1,400 = 2,160 (realization 1,938 /
        2,160 = 89.72 %). Bright (retainer, €): 1,437.50 / 440 / 11 h.
        Internal time (no client): cost 80 for 2 h."""
        rows = self.by("partner_id")
        acme = rows[self.acme]
        self.assertFigures(
            acme,
            revenue=2038.0,
            cost=1064.0,
            margin=974.0,
            hours=20.1,
            billed=1938.0,
            write_downs=225.0,
            realization=100 * 1938 / 2160,
            effective_rate=2038 / 20.1,
            billable_share=100.0,
        )
        self.assertFigures(
            rows[self.bright],
            revenue=1437.5,
            cost=440.0,
            margin=997.5,
            hours=11.0,
            margin_percent=100 * 997.5 / 1437.5,
            realization=100 * 1437.5 / 1375,
        )
        internal = rows[self.env["res.partner"]]
        self.assertFigures(internal, revenue=0.0, cost=80.0, hours=2.0)
        self.assertIsNone(internal["margin_percent"])

    def test_by_project(self):
        """Test Campaign: Acme's T&M (838 / 414); Acme Web: the fixed fee
        (1,200 / 650, its over-run of 200 written off); Bright Brand: the
        retainer; Studio Internal: 80 of cost, nothing billable."""
        rows = self.by("project_id")
        self.assertFigures(
            rows[self.project], revenue=838.0, cost=414.0, billed=738.0, hours=6.1
        )
        self.assertFigures(
            rows[self.acme_web],
            revenue=1200.0,
            cost=650.0,
            write_downs=200.0,
            hours=14.0,
        )
        self.assertFigures(rows[self.bright_project], revenue=1437.5, cost=440.0)
        self.assertFigures(
            rows[self.internal], revenue=0.0, cost=80.0, billable_share=0.0
        )

    def test_by_role(self):
        """Art director: e2 only (3 h, 450 billed, cost 3 × 70 = 210 from its
        rate line, not Paula's 55). Designer: e1 225 − 25 written down, e3
        100; 2.10 + 1 + 8 + 6 + 11 + 2 = 30.10 h; cost 84 + 40 + 320 + 330 +
        440 + 80 = 1,294. The fees and the expense have no role."""
        rows = self.by("role_id")
        self.assertFigures(
            rows[self.role_ad],
            revenue=450.0,
            cost=210.0,
            hours=3.0,
            effective_rate=150.0,
        )
        self.assertFigures(
            rows[self.role_designer], revenue=300.0, cost=1294.0, hours=30.1
        )
        none = rows[self.env["agency.role"]]
        # 88 (expense) + 100 − 100 (run 2, credited) + 1,200 (fees) + 1,437.50
        self.assertFigures(none, revenue=2725.5, cost=80.0, hours=0.0)

    def test_by_person(self):
        """Dani: 225 + 100 − 25 + 88 = 388 revenue; cost 84 + 80 (taxi) + 40 +
        320 + 440 + 80 = 1,044; 2.10 + 1 + 8 + 11 + 2 = 24.10 h (billable
        22.10: 91.70 %). Paula: 450 / 210 + 330 = 540, 9 h."""
        rows = self.by("employee_id")
        self.assertFigures(
            rows[self.dani],
            revenue=388.0,
            cost=1044.0,
            hours=24.1,
            billable_share=100 * 22.1 / 24.1,
        )
        self.assertFigures(rows[self.paula], revenue=450.0, cost=540.0, hours=9.0)

    def test_by_month(self):
        """February: the retainer's fee €1,000 = $1,250, e6's cost 240."""
        rows = self.by("date:month", ("2026-02-01", "2026-03-31"))
        self.assertEqual(len(rows), 2)
        february = min(rows)
        self.assertFigures(rows[february], revenue=1250.0, cost=240.0, hours=6.0)

    def test_engagement_figures(self):
        """What the early warnings read (the contract with m13warn)."""
        Engagement = self.env["agency.engagement"]
        engagements = self.engagement | self.fixed | self.retainer
        figures = engagements._agency_margin_figures("2026-03-01", "2026-03-31")
        self.assertEqual(set(figures), set(engagements.ids))
        for row in figures.values():
            self.assertTrue(
                {"revenue", "cost", "margin", "billed", "write_downs",
                 "cost_unknown_hours"} <= set(row)
            )  # fmt: skip
        self.assertFigures(
            figures[self.engagement.id],
            revenue=838.0,
            cost=414.0,
            margin=424.0,
            billed=738.0,
            write_downs=25.0,
            cost_unknown_hours=0.0,
            realization=100 * 738 / 760,
        )
        self.assertFigures(
            figures[self.fixed.id],
            revenue=1200.0,
            cost=650.0,
            billed=1200.0,
            write_downs=200.0,
            earned=1200.0,
            overrun_hours=4.0,
        )
        self.assertFigures(
            figures[self.retainer.id], revenue=1437.5, margin=997.5, breakage=0.0
        )
        # February's 4 expired hours: 4 × €100 = €400 = $500
        february = self.retainer._agency_margin_figures("2026-02-01", "2026-02-28")
        self.assertFigures(
            february[self.retainer.id],
            revenue=1250.0,
            cost=240.0,
            breakage=500.0,
            breakage_hours=4.0,
        )
        self.assertEqual(Engagement._agency_margin_figures(), {})

    def test_rows_follow_the_one_definition(self):
        """Each time fact is what profitability.py says of its entry."""
        Fact = self.env["agency.margin.fact"]
        for name in ("e1", "e2", "e3", "e4", "e5", "e7", "e8"):
            entry = self.month[name]
            fact = Fact.browse(fact_ids(entry))
            kind = entry.project_id.agency_engagement_id.kind or None
            invoiced = entry.agency_invoice_line_id
            value = convert(entry.agency_amount, 1.0, 1.0)
            if entry.agency_rate_currency_id == self.foreign:
                value = convert(entry.agency_amount, 0.8, 1.0)
            self.assertAlmostEqual(
                fact.revenue,
                entry_revenue(kind, entry.agency_billed_amount if invoiced else None,
                              value),
                places=2,
                msg=name,
            )  # fmt: skip
            cost, unknown = entry_cost(entry.unit_amount, entry.agency_cost_rate)
            self.assertAlmostEqual(fact.cost, cost, places=2, msg=name)
            self.assertEqual(fact.cost_unknown_hours, unknown)
        expense = Fact.browse(fact_ids(self.month["x1"]))
        self.assertEqual(
            (expense.cost, expense.revenue), (80.0, float(marked_up(80, 10)))
        )
        self.assertEqual(Fact.browse(fact_ids(self.month["e7"])).standard_value, 1375.0)

    def test_drill_down_opens_exactly_the_entries_behind_a_cell(self):
        """The art director's March cell holds e2 only; Acme's T&M cell in
        March e1, e3 and the write-down, the expense, run 2's line and its
        credit note."""
        Fact = self.env["agency.margin.fact"]
        cell = [*self.mine(), ("date", ">=", "2026-03-01"),
                ("date", "<=", "2026-03-31")]  # fmt: skip
        art = Fact.search([*cell, ("role_id", "=", self.role_ad.id)])
        action = art.action_open_sources()
        self.assertEqual(action["res_model"], "account.analytic.line")
        entries = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(entries, self.month["e2"])
        acme = Fact.search([*cell, ("engagement_id", "=", self.engagement.id)])
        self.assertEqual(
            acme.entry_id,
            self.month["e1"] | self.month["e2"] | self.month["e3"],
        )
        self.assertEqual(acme.adjustment_id, self.month["down"])
        self.assertEqual(acme.expense_id, self.month["x1"])
        self.assertEqual(
            acme.filtered(lambda f: f.kind in ("other", "credit")).move_id,
            self.month["invoice2"] | self.month["credit"],
        )
        self.assertAlmostEqual(sum(acme.mapped("revenue")), 838.0)
        # each kind opens its own records
        down = acme.filtered(lambda f: f.kind == "adjustment")
        action = down.action_open_sources()
        self.assertEqual(action["res_model"], "agency.billing.adjustment")
        self.assertEqual(action["domain"], [("id", "in", self.month["down"].ids)])
        fee = Fact.search([*cell, ("kind", "=", "fee")])
        action = fee.action_open_sources()
        self.assertEqual(action["res_model"], "account.move.line")
        self.assertEqual(
            self.env["account.move.line"].search(action["domain"]).move_id,
            self.month["fixed_invoice"],
        )

    def test_live_in_the_same_transaction(self):
        """An approval, a write-down and a credit note show in the figures at
        once: no rebuild to wait for."""
        before = self.engagement._agency_margin_figures()[self.engagement.id]
        self.approved(1.0, day="2026-03-25")  # 1 h at 100, cost 40
        after = self.engagement._agency_margin_figures()[self.engagement.id]
        self.assertAlmostEqual(after["revenue"] - before["revenue"], 100.0)
        self.assertAlmostEqual(after["cost"] - before["cost"], 40.0)
        # the whole of run 1 credited: its 738 leave billed, its entries and
        # the expense are work in progress again (210 + 450 + 88), the
        # write-down is no longer on an invoice
        reversal = (
            self.env["account.move.reversal"]
            .with_context(
                active_model="account.move", active_ids=self.month["invoice1"].ids
            )
            .create(
                {
                    "journal_id": self.month["invoice1"].journal_id.id,
                    "reason": "client dispute",
                    "date": "2026-03-31",
                }
            )
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.action_post()
        credited = self.engagement._agency_margin_figures()[self.engagement.id]
        self.assertAlmostEqual(credited["billed"], after["billed"] - 738.0)
        totals = Totals(revenue=credited["revenue"], cost=credited["cost"])
        self.assertAlmostEqual(kpis(totals)["margin"], credited["margin"])

    def test_cycle_times(self):
        """Run 1 billed up to 15 March, invoiced 16 March (1 day), paid 10
        April (25 days); the fixed fee's run billed up to 31 March, invoiced
        31 March (0 days), not paid yet."""
        invoice = self.month["invoice1"]
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": "2026-04-10"})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        Cycle = self.env["agency.cycle.time"]
        run1 = Cycle.search([("id", "=", invoice.agency_run_line_id.id)])
        self.assertEqual(
            (run1.days_to_invoice, run1.days_to_pay, str(run1.paid_date)),
            (1.0, 25.0, "2026-04-10"),
        )
        fixed = Cycle.browse(self.month["fixed_invoice"].agency_run_line_id.id)
        self.assertEqual((fixed.days_to_invoice, fixed.days_to_pay), (0.0, 0.0))
        self.assertFalse(fixed.paid_date)
        mine = (self.engagement | self.fixed).ids
        months = dict(
            Cycle._read_group(
                [("engagement_id", "in", mine)], ["date:month"], ["days_to_invoice:avg"]
            )
        )
        # March: run 1 (1 day), run 2 (0 days: billed to 31 March, invoiced
        # 31 March), the fixed fee (0 days)
        self.assertAlmostEqual(list(months.values()), [1 / 3])
