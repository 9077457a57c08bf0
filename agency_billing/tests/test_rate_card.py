"""The effective rate card of a client and of a project."""

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import RateCase


@tagged("post_install", "-at_install")
class TestRateCard(RateCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rate(90)
        cls.rate(100, role_id=cls.role_designer.id, date_to="2026-03-31")
        cls.rate(120, role_id=cls.role_designer.id, date_from="2026-04-01")
        cls.acme_ad = cls.rate(160, role_id=cls.role_ad.id, partner_id=cls.acme.id)
        cls.project_line = cls.rate(
            175,
            role_id=cls.role_ad.id,
            project_id=cls.project.id,
            date_from="2026-05-01",
        )
        cls.dani_line = cls.rate(
            140, employee_id=cls.dani.id, partner_id=cls.acme.id, cost_rate=50
        )
        cls.billing = cls.users["billing"]

    def card(self, **values):
        form = Form(self.env["agency.rate.card"].with_user(self.billing))
        form.date = "2026-03-15"
        form.horizon = "90"
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def rows(self, card, who):
        return [
            (str(row.date_from), row.date_to and str(row.date_to), row.bill_rate)
            for row in card.line_ids
            if row.who == who
        ]

    def test_client_card_today_and_changes(self):
        card = self.card(partner_id=self.acme)
        self.assertEqual(
            self.rows(card, "Test Designer"),
            [("2026-03-15", "2026-03-31", 100), ("2026-04-01", False, 120)],
        )
        self.assertEqual(
            self.rows(card, "Test Art Director"), [("2026-03-15", False, 160)]
        )
        self.assertEqual(self.rows(card, "Agency user"), [("2026-03-15", False, 140)])
        current = card.line_ids.filtered("current")
        self.assertEqual(
            current.filtered(lambda r: r.who == "Test Art Director").rate_id,
            self.acme_ad,
        )
        dani = card.line_ids.filtered(lambda r: r.who == "Agency user")
        self.assertEqual(dani.cost_rate, 50)
        self.assertFalse(card.missing_count)

    def test_project_card_shows_project_override_ahead(self):
        card = self.card(project_id=self.project)
        self.assertEqual(card.partner_id, self.acme, "the project's customer")
        self.assertEqual(
            self.rows(card, "Test Art Director"),
            [("2026-03-15", "2026-04-30", 160), ("2026-05-01", False, 175)],
        )

    def test_missing_rates_show(self):
        self.env["agency.rate"].search([("scope", "=", "company")]).active = False
        card = self.card(partner_id=self.bright)
        missing = card.line_ids.filtered(lambda r: r.state == "missing")
        self.assertIn("Test Art Director", missing.mapped("who"))
        self.assertGreaterEqual(card.missing_count, 1)

    def test_billing_only(self):
        with self.assertRaises(AccessError):
            self.env["agency.rate.card"].with_user(self.users["producer"]).create({})
