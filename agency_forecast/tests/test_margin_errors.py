"""Bad input in margins: a person without any cost, a currency without a rate
on the entry's date."""

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.agency_billing.tests.common import BillingCase
from odoo.addons.agency_forecast.report.agency_margin_fact import fact_ids


@tagged("post_install", "-at_install")
class TestMarginErrors(BillingCase):
    def test_no_cost_rate_is_cost_unknown_never_zero(self):
        """A person with neither a cost rate on the rate line nor an hourly
        cost: their hours are listed as at unknown cost, the cost stays empty
        (not 0) and the margin says so."""
        newcomer = self.env["hr.employee"].create(
            {"name": "Newcomer", "role_id": self.role_designer.id, "hourly_cost": 0}
        )
        known = self.approved(2.0, day="2026-03-02")
        unknown = self.approved(3.0, day="2026-03-03", employee=newcomer)
        Fact = self.env["agency.margin.fact"]
        self.assertEqual(Fact.browse(fact_ids(unknown)).cost_unknown_hours, 3.0)
        self.assertEqual(Fact.browse(fact_ids(known)).cost_unknown_hours, 0.0)
        # the database holds no cost for it (NULL): sums leave it out
        rows = self.env.execute_query(
            SQL(
                "SELECT cost FROM (%s) fact WHERE id = %s",
                Fact._table_query,
                fact_ids(unknown)[0],
            )
        )
        self.assertEqual(rows, [(None,)])
        listed = Fact.search([("cost_unknown_hours", "!=", 0)])
        self.assertIn(unknown, listed.entry_id)
        self.assertNotIn(known, listed.entry_id)
        figures = self.engagement._agency_margin_figures("2026-03-01", "2026-03-31")
        row = figures[self.engagement.id]
        self.assertEqual(row["cost_unknown_hours"], 3.0)
        self.assertEqual(row["cost"], 80.0)  # Dani's 2 h × 40 only
        self.assertEqual(row["revenue"], 500.0)
        form = self.engagement.with_user(self.biller)
        self.assertEqual(form.margin_cost_unknown_hours, 3.0)

    def test_currency_without_a_rate_on_the_day_is_named(self):
        """A rate line in a currency that has no exchange rate on or before
        the entry's date: the entry is approved as usual; reading margins
        refuses with the currency and the day, and the way out."""
        currency = self.env["res.currency"].create(
            {"name": "XMG", "symbol": "¤", "rounding": 0.01}
        )
        # its first rate is of April: Odoo would use it for March too
        self.env["res.currency.rate"].create(
            {"name": "2026-04-01", "currency_id": currency.id, "rate": 2.0}
        )
        self.rate(
            90.0,
            partner_id=self.acme.id,
            currency_id=currency.id,
            date_from="2026-01-01",
        )
        entry = self.approved(2.0, day="2026-03-02")
        self.assertEqual(entry.agency_rate_currency_id, currency)
        self.assertEqual(entry.approval_state, "approved")
        pattern = "No exchange rate for XMG on 03/02/2026.*on or before"
        with self.assertRefused(UserError, pattern):
            self.engagement._agency_margin_figures()
        with self.assertRefused(UserError, pattern):
            self.env["agency.margin.fact"].read_group(
                [("engagement_id", "=", self.engagement.id)], ["revenue:sum"], []
            )
        # April's entry has its rate: a report of April alone reads fine
        self.approved(1.0, day="2026-04-02")
        april = self.engagement._agency_margin_figures("2026-04-01", "2026-04-30")
        self.assertEqual(april[self.engagement.id]["revenue"], 45.0)
