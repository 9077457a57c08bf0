"""A forecast case for the snapshot, board pack and JSON-RPC tests: Acme's T&M
engagement (BillingCase: 100 an hour) on net 30, 2 hours approved on 2 March
2026 (200.00 to bill) and the company's base scenario."""

from odoo.addons.agency_billing.tests.common import BillingCase


class ForecastCase(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engagement.payment_term_id = cls.env.ref(
            "account.account_payment_term_30days"
        )
        cls.approved(2.0, day="2026-03-02")
        cls.base = cls.env["agency.forecast.scenario"].search(
            [("company_id", "=", cls.company.id), ("kind", "=", "base")], limit=1
        )
