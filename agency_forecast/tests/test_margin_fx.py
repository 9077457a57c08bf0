"""Margins under a contract exchange rate (issues 13 and 19), by hand.

A GBP engagement whose rates are in the company's currency: 100 an hour, the
day's rate 0.80 GBP per unit, the contract 0.75 agreed for the year. Three
entries of Dani (cost 40 an hour) on 2, 3 and 4 March, 1 h, 2 h and 3 h, one
invoice line each, invoiced on 1 April:

====  =========  ==========  ==============  ============  ===============
line  GBP        company     at the day's    difference    difference
      (× 75)     (÷ 0.80)    rate (× 100)    (GBP, stored)  (company)
====  =========  ==========  ==============  ============  ===============
1 h    75.00      93.75      100.00          −5.00         −6.25
2 h   150.00     187.50      200.00          −10.00        −12.50
3 h   225.00     281.25      300.00          −15.00        −18.75
====  =========  ==========  ==============  ============  ===============

Revenue is what the invoice says: 562.50 (at the day's rate it would be 600),
the FX difference −37.50. A credit note of the 2 h line (150 GBP, its copied
difference −10 GBP, deducted: +12.50) frees that entry, which is work in
progress again, valued at the contract rate covering its date as invoicing it
will be: 200 × 0.75 = 150 GBP = 187.50, its difference −12.50. Revenue 93.75 +
281.25 + 187.50 − 187.50 + 187.50 = 562.50, FX difference −6.25 − 18.75 −
12.50 + 12.50 − 12.50 = −37.50, billed 375, cost 240, margin 322.50.

Before the invoice, the same three entries are work in progress at the
contract rate: revenue 562.50, FX difference −37.50, billed 0; without the
contract rate (or outside its dates) 600 and 0.
"""

from odoo.tests import tagged

from odoo.addons.agency_billing.tests.common import BillingCase
from odoo.addons.agency_forecast.profitability import wip_value


@tagged("post_install", "-at_install")
class TestMarginContractRate(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gbp = cls.env.ref("base.GBP")
        if cls.gbp == cls.currency:  # a GBP company: another currency
            cls.gbp = cls.env.ref("base.EUR")
        cls.gbp.active = True
        Rate = cls.env["res.currency.rate"]
        Rate.search([("currency_id", "=", cls.gbp.id)]).unlink()
        Rate.create(
            {
                "name": "2026-01-01",
                "currency_id": cls.gbp.id,
                "rate": 0.8,
                "company_id": cls.company.id,
            }
        )
        cls.gbp_engagement = cls.env["agency.engagement"].create(
            {
                "name": "Bright in GBP",
                "partner_id": cls.bright.id,
                "currency_id": cls.gbp.id,
                "user_id": cls.biller.id,
                "grouping": "entry",
            }
        )
        cls.env["agency.contract.rate"].create(
            {
                "engagement_id": cls.gbp_engagement.id,
                "currency_id": cls.currency.id,
                "rate": 0.75,
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
            }
        )
        cls.bright_project.agency_engagement_id = cls.gbp_engagement
        days = (("2026-03-02", 1.0), ("2026-03-03", 2.0), ("2026-03-04", 3.0))
        cls.entries = [
            cls.approved(
                hours, day=day, project_id=cls.bright_project.id, task_id=False
            )
            for day, hours in days
        ]

    def setUp(self):
        super().setUp()
        self.invoice = self.review_and_invoice(
            self.new_run(engagement_ids=[(6, 0, self.gbp_engagement.ids)])
        )
        self.invoice.action_post()

    def figures(self):
        self.env["agency.margin.fact"].invalidate_model()
        return self.gbp_engagement._agency_margin_figures()[self.gbp_engagement.id]

    def facts(self, domain=()):
        Fact = self.env["agency.margin.fact"].with_user(self.biller)
        Fact.invalidate_model()
        return Fact.search([("engagement_id", "=", self.gbp_engagement.id), *domain])

    def assertFigures(self, figures, **expected):
        for name, value in expected.items():
            self.assertAlmostEqual(figures[name], value, 2, msg=name)

    def test_invoice_at_the_contract_rate_and_the_difference(self):
        lines = self.invoice.invoice_line_ids.sorted("quantity")
        self.assertEqual(lines.mapped("price_unit"), [75.0, 75.0, 75.0])
        self.assertEqual(lines.mapped("agency_fx_difference"), [-5.0, -10.0, -15.0])
        self.assertFigures(
            self.figures(),
            revenue=562.5,
            billed=562.5,
            fx_difference=-37.5,
            cost=240.0,
            margin=322.5,
        )
        by_entry = {fact.entry_id.unit_amount: fact for fact in self.facts()}
        self.assertEqual(
            [(by_entry[h].revenue, by_entry[h].fx_difference) for h in (1.0, 2.0, 3.0)],
            [(93.75, -6.25), (187.5, -12.5), (281.25, -18.75)],
        )
        # revenue less the difference is the day's rate's value
        figures = self.figures()
        self.assertAlmostEqual(figures["revenue"] - figures["fx_difference"], 600.0)
        # the Margin tab and the pivot's measure
        self.gbp_engagement.invalidate_recordset()
        self.assertAlmostEqual(self.gbp_engagement.margin_fx_difference, -37.5)
        groups = (
            self.env["agency.margin.fact"]
            .with_user(self.biller)
            .read_group(
                [("engagement_id", "=", self.gbp_engagement.id)],
                ["fx_difference:sum", "revenue:sum"],
                ["engagement_id"],
            )
        )
        self.assertAlmostEqual(groups[0]["fx_difference"], -37.5)
        self.assertAlmostEqual(groups[0]["revenue"], 562.5)

    def test_partial_credit_note_deducts_its_difference(self):
        two_hours = self.entries[1]
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=self.invoice.ids)
            .create(
                {
                    "journal_id": self.invoice.journal_id.id,
                    "reason": "client dispute",
                    "date": "2026-04-15",
                }
            )
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        billed_by = two_hours.agency_invoice_line_id
        refund.invoice_line_ids.filtered(
            lambda line: line.agency_reversed_line_id != billed_by
        ).unlink()
        # the credit note line copied the difference with the same sign
        self.assertEqual(refund.invoice_line_ids.agency_fx_difference, -10.0)
        refund.action_post()
        self.assertFalse(two_hours.agency_invoice_line_id)
        self.assertFigures(
            self.figures(),
            revenue=562.5,
            billed=375.0,
            fx_difference=-37.5,
            cost=240.0,
            margin=322.5,
        )
        credit = self.facts([("kind", "=", "credit")])
        self.assertEqual((credit.revenue, credit.fx_difference), (-187.5, 12.5))
        freed = self.facts([("entry_id", "=", two_hours.id)])
        self.assertEqual(
            (freed.state, freed.revenue, freed.fx_difference),
            ("approved", 187.5, -12.5),
        )

    def test_weekly_facts_carry_the_difference(self):
        """The pivot's weekly facts have the same difference and revenue as
        the view, kept incrementally and after a full rebuild."""
        Week = self.env["agency.margin.week"]
        domain = [("engagement_id", "=", self.gbp_engagement.id)]
        measures = ["fx_difference:sum", "revenue:sum"]
        for rebuilt in (False, True):
            if rebuilt:
                self.env.cr.execute("DELETE FROM agency_margin_week")
                Week._agency_rebuild()
            groups = Week.with_user(self.biller).read_group(
                domain, measures, ["engagement_id"]
            )
            self.assertAlmostEqual(groups[0]["fx_difference"], -37.5, msg=rebuilt)
            self.assertAlmostEqual(groups[0]["revenue"], 562.5, msg=rebuilt)

    def test_work_in_progress_at_the_contract_rate(self):
        """Time not invoiced (its invoice cancelled) is valued at the contract
        rate covering its date, with its difference to the day's rate; moving
        the contract's dates off the entries brings back the day's rate, in
        the view and in the pivot's weekly facts alike."""
        self.invoice.button_draft()
        self.invoice.button_cancel()
        Week = self.env["agency.margin.week"].with_user(self.biller)
        domain = [("engagement_id", "=", self.gbp_engagement.id)]

        def weekly():
            groups = Week.read_group(
                domain, ["fx_difference:sum", "revenue:sum"], ["engagement_id"]
            )
            return round(groups[0]["revenue"], 2), round(groups[0]["fx_difference"], 2)

        self.assertFigures(
            self.figures(), revenue=562.5, billed=0.0, fx_difference=-37.5, cost=240.0
        )
        self.assertEqual(
            sorted((f.state, f.revenue, f.fx_difference) for f in self.facts()),
            [("approved", 93.75, -6.25), ("approved", 187.5, -12.5),
             ("approved", 281.25, -18.75)],
        )  # fmt: skip
        self.assertEqual(weekly(), (562.5, -37.5))
        # the view says what profitability.wip_value says, multiplier included
        two_hours = self.entries[1]
        two_hours.sudo().agency_multiplier = 1.5
        fact = self.facts([("entry_id", "=", two_hours.id)])
        self.assertEqual(
            (fact.revenue, fact.fx_difference),
            wip_value(200.0, 1.0, 0.75, 1 / 0.8, multiplier=1.5),
        )
        two_hours.sudo().agency_multiplier = 0
        self.gbp_engagement.contract_rate_ids.date_from = "2026-04-01"
        self.assertFigures(self.figures(), revenue=600.0, fx_difference=0.0)
        self.assertEqual(weekly(), (600.0, 0.0))
