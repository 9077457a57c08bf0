"""Multi-currency: rates in one currency, invoices in the engagement's,
converted at the run's invoice date."""

from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestBillingCurrency(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rate_currency, cls.client_currency = cls.two_currencies()
        Rate = cls.env["res.currency.rate"]
        # units of each currency for one unit of the company's currency
        for day, rate_units, client_units in (
            ("2026-01-01", 1.0, 1.0),
            ("2026-03-01", 0.8, 1.2),
            ("2026-04-01", 0.5, 0.8),  # the run's invoice date
            ("2026-05-01", 0.25, 2.0),
        ):
            for currency, units in (
                (cls.rate_currency, rate_units),
                (cls.client_currency, client_units),
            ):
                Rate.search(
                    [("currency_id", "=", currency.id), ("name", "=", day)]
                ).unlink()
                Rate.create(
                    {
                        "name": day,
                        "currency_id": currency.id,
                        "rate": units,
                        "company_id": cls.company.id,
                    }
                )
        pricelist = cls.env["product.pricelist"].create(
            {"name": "Bright prices", "currency_id": cls.client_currency.id}
        )
        cls.bright.with_company(cls.company).property_product_pricelist = pricelist
        # the agency's card for Bright is in the rate currency
        cls.rate(
            100.0,
            partner_id=cls.bright.id,
            currency_id=cls.rate_currency.id,
            date_from="2026-01-01",
        )
        engagement = cls.env["agency.engagement"].new(
            {"name": "Bright T&M", "partner_id": cls.bright.id}
        )
        engagement._onchange_partner_id()
        cls.bright_engagement = cls.env["agency.engagement"].create(
            {
                "name": "Bright T&M",
                "partner_id": cls.bright.id,
                "currency_id": engagement.currency_id.id,
                "user_id": cls.biller.id,
                "rounding_increment": "15",
                "rounding_method": "nearest",
            }
        )
        cls.bright_project.agency_engagement_id = cls.bright_engagement

    def test_engagement_takes_the_client_currency(self):
        self.assertEqual(self.bright_engagement.currency_id, self.client_currency)

    def test_invoice_in_the_engagement_currency_at_the_invoice_date(self):
        first = self.approved(2.0, project_id=self.bright_project.id, task_id=False)
        second = self.approved(
            1.1, day="2026-03-10", project_id=self.bright_project.id, task_id=False
        )
        self.assertEqual(first.agency_bill_rate, 100.0)
        self.assertEqual(first.agency_rate_currency_id, self.rate_currency)
        run = self.new_run(engagement_ids=[(6, 0, self.bright_engagement.ids)])
        run.action_collect()
        # 100 in the rate currency = 100 / 0.5 in the company's = 200 × 0.8 = 160
        # in the client's, on 1 April; 3.0 billed hours (1.1 h to the nearest 15)
        line = run.line_ids
        self.assertEqual(line.currency_id, self.client_currency)
        self.assertEqual(second.agency_billed_hours, 1.0)
        self.assertAlmostEqual(second.agency_billed_amount, 100.0)  # rate currency
        self.assertAlmostEqual(line.amount, 480.0)
        self.assertFalse(run.check_ids.filtered(lambda c: c.code == "currency"))
        invoice = self.review_and_invoice(run)
        self.assertEqual(invoice.currency_id, self.client_currency)
        self.assertEqual(invoice.invoice_date.isoformat(), "2026-04-01")
        self.assertEqual(invoice.invoice_line_ids.price_unit, 160.0)
        self.assertEqual(invoice.invoice_line_ids.quantity, 3.0)
        self.assertAlmostEqual(invoice.amount_untaxed, 480.0)
        # in the company's currency at the same date: 480 / 0.8
        self.assertAlmostEqual(invoice.amount_untaxed_signed, 600.0)
        self.assertAlmostEqual(self.bright_engagement.invoiced_amount, 480.0)

    def test_another_invoice_date_another_price(self):
        self.approved(1.0, project_id=self.bright_project.id, task_id=False)
        run = self.new_run(
            engagement_ids=[(6, 0, self.bright_engagement.ids)],
            invoice_date="2026-05-02",
        )
        invoice = self.review_and_invoice(run)
        # 100 / 0.25 × 2.0
        self.assertEqual(invoice.invoice_line_ids.price_unit, 800.0)

    def test_write_down_in_the_engagement_currency(self):
        entry = self.approved(2.0, project_id=self.bright_project.id, task_id=False)
        run = self.new_run(engagement_ids=[(6, 0, self.bright_engagement.ids)])
        run.action_collect()
        adjustment = self.env["agency.billing.adjustment"].create(
            {
                "run_line_id": run.line_ids.id,
                "entry_id": entry.id,
                "basis": "hours",
                "hours": 0.5,
                "reason": "goodwill",
                "note": "First month",
            }
        )
        # the entry's rate, converted like the time it adjusts
        self.assertEqual(adjustment.price_unit, 160.0)
        self.assertEqual(adjustment.currency_id, self.client_currency)
        invoice = self.review_and_invoice(run)
        self.assertAlmostEqual(invoice.amount_untaxed, 320.0 - 80.0)

    def test_currency_check_when_engagement_differs_from_client(self):
        self.approved(1.0, project_id=self.bright_project.id, task_id=False)
        self.bright_engagement.currency_id = self.rate_currency
        run = self.new_run(engagement_ids=[(6, 0, self.bright_engagement.ids)])
        run.action_collect()
        check = run.check_ids.filtered(lambda c: c.code == "currency")
        self.assertEqual(check.severity, "warning")
        self.assertIn(self.client_currency.name, check.message)
        self.assertIn(self.rate_currency.name, check.message)
        # no conversion: the rate's own currency
        invoice = self.review_and_invoice(run)
        self.assertEqual(invoice.currency_id, self.rate_currency)
        self.assertEqual(invoice.invoice_line_ids.price_unit, 100.0)
