"""The demo agency's rate cards, as `make demo` shows them."""

from datetime import timedelta

from odoo.tests import TransactionCase, tagged

from ..models.agency_demo import DESIGNER_RAISE, ROLE_RATES


@tagged("post_install", "-at_install")
class TestDemoRates(TransactionCase):
    def setUp(self):
        super().setUp()
        if not self.env.ref(
            "agency_demo.rate_company_default", raise_if_not_found=False
        ):
            self.skipTest("the database was installed without demo data")

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
