"""Entries priced by the rate cards: what Billing sees on each entry."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RateCase


@tagged("post_install", "-at_install")
class TestEntryPrice(RateCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.default = cls.rate(90)
        cls.designer = cls.rate(100, role_id=cls.role_designer.id)
        cls.art_director = cls.rate(140, role_id=cls.role_ad.id)
        cls.acme_designer = cls.rate(
            110,
            role_id=cls.role_designer.id,
            partner_id=cls.acme.id,
            date_from="2026-01-01",
        )

    def test_price_amount_and_why(self):
        entry = self.entry(3.5)
        self.assertEqual(entry.agency_rate_state, "priced")
        self.assertEqual(entry.agency_rate_id, self.acme_designer)
        self.assertEqual(entry.agency_bill_rate, 110)
        self.assertEqual(entry.agency_rate_currency_id, self.currency)
        self.assertEqual(entry.agency_amount, 385)
        self.assertEqual(
            entry.agency_rate_reason,
            "Role Test Designer for client Acme, from 1 Jan 2026",
        )
        self.assertEqual(entry.agency_cost_rate, 40, "Dani's hourly cost")
        self.assertEqual(entry.agency_cost_source, "employee")
        self.assertEqual(entry.agency_cost, 140)

    def test_hours_change_the_amount(self):
        entry = self.entry(2)
        entry.unit_amount = 4
        self.assertEqual(entry.agency_amount, 440)
        self.assertEqual(entry.agency_cost, 160)

    def test_other_client_gets_the_role_rate(self):
        entry = self.entry(1, project_id=self.bright_project.id, task_id=False)
        self.assertEqual(entry.agency_rate_id, self.designer)
        self.assertEqual(entry.agency_rate_reason, "Role Test Designer")

    def test_role_on_the_entry_decides_not_the_default_role(self):
        """Dani is a designer; a day of art direction is priced as art direction."""
        entry = self.entry(1, role_id=self.role_ad.id)
        self.assertEqual(entry.agency_rate_id, self.art_director)
        self.dani.role_id = self.role_ad
        self.assertEqual(
            self.entry(1, role_id=self.role_designer.id).agency_rate_id,
            self.acme_designer,
            "the person's current default role does not reprice other roles",
        )

    def test_person_line_beats_role_line(self):
        person = self.rate(150, employee_id=self.dani.id)
        other_client = self.entry(1, project_id=self.bright_project.id, task_id=False)
        self.assertEqual(other_client.agency_rate_id, person, "person > role")
        acme = self.entry(1)
        self.assertEqual(
            acme.agency_rate_id, self.acme_designer, "role+client > person"
        )

    def test_editing_an_entry_reprices_it(self):
        self.rate(
            120,
            role_id=self.role_designer.id,
            project_id=self.project.id,
            date_from="2026-03-10",
        )
        entry = self.entry(1, day="2026-03-09")
        self.assertEqual(entry.agency_bill_rate, 110)
        entry.date = "2026-03-10"
        self.assertEqual(entry.agency_bill_rate, 120)
        entry.write({"project_id": self.bright_project.id, "task_id": False})
        self.assertEqual(entry.agency_bill_rate, 100)

    def test_missing_is_flagged_never_zero(self):
        self.default.active = False
        self.designer.active = False
        entry = self.entry(2, project_id=self.bright_project.id, task_id=False)
        self.assertEqual(entry.agency_rate_state, "missing")
        self.assertFalse(entry.agency_rate_id)
        self.assertFalse(entry.agency_rate_currency_id)
        self.assertIn(
            "No rate line applies to Agency user (Test Designer)",
            entry.agency_rate_reason,
        )
        missing = self.env["account.analytic.line"].search(
            [("agency_rate_state", "=", "missing")]
        )
        self.assertIn(entry, missing, "it shows in Missing Rates")
        # a line that covers it prices it at once
        self.rate(95, partner_id=self.bright.id)
        self.assertEqual(entry.agency_rate_state, "priced")
        self.assertEqual(entry.agency_amount, 190)

    def test_internal_time_is_not_billed_but_costed(self):
        entry = self.entry(2, project_id=self.internal.id, task_id=False)
        self.assertEqual(entry.agency_rate_state, "internal")
        self.assertFalse(entry.agency_bill_rate)
        self.assertEqual(entry.agency_cost, 80)
        self.assertIn("has no customer", entry.agency_rate_reason)

    def test_cost_from_the_line_else_the_person_with_dates(self):
        self.rate(
            160,
            employee_id=self.dani.id,
            project_id=self.project.id,
            cost_rate=48,
            date_from="2026-03-15",
        )
        before = self.entry(1, day="2026-03-14")
        after = self.entry(1, day="2026-03-15")
        self.assertEqual(
            (before.agency_cost_rate, before.agency_cost_source), (40, "employee")
        )
        self.assertEqual(
            (after.agency_cost_rate, after.agency_cost_source), (48, "rate")
        )
        # a new hourly cost reaches the entries that are not frozen
        after.approval_state = "approved"
        self.dani.hourly_cost = 44
        self.assertEqual(before.agency_cost_rate, 44)
        self.assertEqual(after.agency_cost_rate, 48)

    def test_other_company_lines_never_apply(self):
        other = self.env["res.company"].create({"name": "Other Studio"})
        self.env["agency.rate"].create(
            {"company_id": other.id, "bill_rate": 999, "currency_id": self.currency.id}
        )
        entry = self.entry(1, project_id=self.bright_project.id, task_id=False)
        self.assertEqual(entry.agency_bill_rate, 100)

    def test_batch_resolution_agrees_with_the_entries(self):
        entries = self.entry(1) | self.entry(
            2, project_id=self.bright_project.id, task_id=False
        )
        entries |= self.entry(3, project_id=self.internal.id, task_id=False)
        prices = {}
        for batch in entries._agency_resolve_rates(batch_size=2):
            self.assertLessEqual(len(batch), 2)
            prices.update(batch)
        self.assertEqual(set(prices), set(entries.ids))
        for entry in entries:
            price = prices[entry.id]
            self.assertEqual(price.state, entry.agency_rate_state)
            self.assertEqual(price.rate_id, entry.agency_rate_id.id)
            self.assertEqual(price.bill_rate, entry.agency_bill_rate)
            self.assertEqual(price.cost_rate, entry.agency_cost_rate)
        quotes = {}
        for batch in entries._agency_quote_rates():
            quotes.update(batch)
        for entry in entries:
            self.assertEqual(quotes[entry.id].price, quotes[entry.id].stored)
            self.assertFalse(quotes[entry.id].frozen)

    def test_batch_resolution_query_count_does_not_grow(self):
        Line = self.env["account.analytic.line"]
        vals = [
            {
                "employee_id": (self.dani if i % 2 else self.paula).id,
                "project_id": (self.project if i % 3 else self.bright_project).id,
                "date": f"2026-03-{1 + i % 28:02d}",
                "unit_amount": 0.25,
                "name": "Batch",
            }
            for i in range(1000)
        ]
        lines = Line.create(vals)
        self.env.invalidate_all()

        def queries(records):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            for _batch in records._agency_resolve_rates():
                pass
            return self.env.cr.sql_log_count - start

        small, large = queries(lines[:100]), queries(lines)
        self.assertEqual(small, large, "1,000 entries cost what 100 cost")
        self.assertLessEqual(large, 8)


@tagged("post_install", "-at_install")
class TestCurrencies(RateCase):
    """Rate currency, company currency and the client's invoice currency differ."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Currency = cls.env["res.currency"].with_context(active_test=False)
        cls.eur = Currency.search([("name", "=", "EUR")])
        cls.gbp = Currency.search([("name", "=", "GBP")])
        (cls.eur | cls.gbp).active = True
        Rate = cls.env["res.currency.rate"]
        for currency, rates in (
            (cls.eur, {"2026-03-01": 0.8, "2026-03-16": 0.9, "2026-04-30": 0.95}),
            (cls.gbp, {"2026-03-01": 0.7, "2026-04-30": 0.75}),
        ):
            for day, rate in rates.items():
                Rate.create(
                    {
                        "currency_id": currency.id,
                        "company_id": cls.company.id,
                        "name": day,
                        "rate": rate,
                    }
                )
        cls.euro_card = cls.rate(
            200, partner_id=cls.acme.id, currency_id=cls.eur.id, cost_rate=60
        )

    def test_billed_in_the_rate_currency(self):
        entry = self.entry(2)
        self.assertEqual(entry.agency_rate_currency_id, self.eur)
        self.assertEqual(entry.agency_bill_rate, 200)
        self.assertEqual(entry.agency_amount, 400)

    def test_cost_converted_at_the_entry_date(self):
        early, late = self.entry(1, day="2026-03-02"), self.entry(1, day="2026-03-16")
        for entry, rate in ((early, 0.8), (late, 0.9)):
            expected = self.eur._convert(60, self.currency, self.company, entry.date)
            self.assertAlmostEqual(expected, round(60 / rate, 2))
            self.assertAlmostEqual(entry.agency_cost_rate, expected)
            self.assertEqual(entry.agency_cost_source, "rate")

    def test_invoice_amount_converted_at_the_invoice_date(self):
        entry = self.entry(2)
        amounts = entry._agency_invoice_amounts(
            self.gbp, self.day("2026-04-30"), self.company
        )
        expected = self.eur._convert(400, self.gbp, self.company, "2026-04-30")
        self.assertAlmostEqual(amounts[entry.id], expected)
        self.assertAlmostEqual(amounts[entry.id], round(400 * 0.75 / 0.95, 2))
        same = entry._agency_invoice_amounts(self.eur, self.day("2026-03-01"))
        self.assertEqual(same[entry.id], 400)


@tagged("post_install", "-at_install")
class TestVisibility(RateCase):
    """Rates, costs and amounts: Billing and Administrators only."""

    PRICE_FIELDS = (
        "agency_rate_id",
        "agency_rate_state",
        "agency_bill_rate",
        "agency_rate_currency_id",
        "agency_amount",
        "agency_cost_rate",
        "agency_cost_source",
        "agency_cost",
        "agency_rate_frozen",
        "agency_rate_reason",
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line = cls.rate(100)
        cls.own = cls.entry(2, employee=cls.employees["producer"])

    def test_users_and_producers_see_hours_only(self):
        for level in ("user", "producer"):
            user = self.users[level]
            own = self.entry(1, employee=self.employees[level]).with_user(user)
            with self.subTest(level):
                self.assertEqual(own.unit_amount, 1)
                shown = set(own.fields_get())
                self.assertFalse(set(self.PRICE_FIELDS) & shown)
                for name in self.PRICE_FIELDS:
                    with self.assertRaises(AccessError):
                        own.read([name])
                with self.assertRaises(AccessError):
                    self.env["agency.rate"].with_user(user).search([])
                with self.assertRaises(AccessError):
                    self.line.with_user(user).read(["bill_rate"])

    def test_billing_and_admin_see_prices(self):
        for level in ("billing", "admin"):
            user = self.users[level]
            with self.subTest(level):
                entry = self.own.with_user(user)
                values = entry.read(list(self.PRICE_FIELDS))[0]
                self.assertEqual(values["agency_bill_rate"], 100)
                self.assertEqual(values["agency_amount"], 200)
                self.assertEqual(values["agency_rate_reason"], "Company default")
                self.assertEqual(
                    self.env["agency.rate"].with_user(user).search([]), self.line
                )

    def test_user_logging_time_gets_priced_entries(self):
        """A user who cannot see prices still gets their entries priced."""
        user = self.users["user"]
        entry = (
            self.env["account.analytic.line"]
            .with_user(user)
            .create(
                {
                    "project_id": self.project.id,
                    "task_id": self.task.id,
                    "unit_amount": 1.5,
                    "date": "2026-03-02",
                    "name": "Layouts",
                }
            )
        )
        self.assertEqual(entry.sudo().agency_amount, 150)
