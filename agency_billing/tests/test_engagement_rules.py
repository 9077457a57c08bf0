"""engagement_rules.py: which terms and values an engagement refuses, and the
retainer ledger for the client, no database."""

from datetime import date
from types import SimpleNamespace

from odoo.tests import BaseCase

from ..models.engagement_rules import ledger_html, terms_error, values_error


def translate(source, **values):
    """What env._ does, without translations."""
    return source % values if values else source


def retainer(**terms):
    return SimpleNamespace(
        **{
            "kind": "retainer",
            "fee_amount": 0.0,
            "period_fee": 4000.0,
            "included_hours": 40.0,
            "rollover_periods": 1,
            "date_start": date(2026, 1, 1),
            "overage_rate_kind": "cards",
            "overage_rate": 0.0,
            **terms,
        }
    )


class TestEngagementRules(BaseCase):
    """Plain functions: BaseCase (no database) so that both pytest and Odoo's
    own test runner run them."""

    def test_terms(self):
        self.assertIsNone(terms_error(translate, "Acme", retainer()))
        self.assertIsNone(
            terms_error(translate, "Acme", retainer(kind="time_materials"))
        )
        cases = {
            "needs a fee above 0": retainer(kind="fixed_fee"),
            "neither included hours nor a fee": retainer(
                included_hours=0.0, period_fee=0.0
            ),
            "cannot be negative": retainer(included_hours=-1.0),
            "rollover cannot be -1 periods": retainer(rollover_periods=-1),
            "needs a start date": retainer(date_start=False),
            "enter that rate": retainer(overage_rate_kind="fixed"),
        }
        for words, terms in cases.items():
            with self.subTest(words):
                error = terms_error(translate, "Acme", terms)
                self.assertIn(words, error)
                self.assertIn("Acme", error)
        self.assertIsNone(
            terms_error(
                translate, "Acme", retainer(overage_rate_kind="fixed", overage_rate=90)
            )
        )

    def test_values(self):
        self.assertIsNone(values_error(translate, "Acme", {}))
        self.assertIsNone(
            values_error(
                translate,
                "Acme",
                {"rounding_increment": 15, "rounding_method": "up", "grouping": "task"},
            )
        )
        self.assertIn(
            "7 minutes is not a rounding increment",
            values_error(translate, "Acme", {"rounding_increment": 7}),
        )
        self.assertIn(
            "rounding sideways is unknown",
            values_error(translate, "Acme", {"rounding_method": "sideways"}),
        )
        self.assertIn(
            "invoice lines team is unknown",
            values_error(translate, "Acme", {"grouping": "team"}),
        )
        self.assertIn(
            "needs a client", values_error(translate, "Acme", {"partner_id": False})
        )
        self.assertIn(
            "needs a currency",
            values_error(translate, "Acme", {"currency_id": False}),
        )

    def test_ledger_html(self):
        html = ledger_html(
            translate,
            "Acme <Retainer>",
            40.0,
            [("Jan 2026", 0.0, 40.0, 42.5, 0.0, 0.0, 2.5, 2.5)],
        )
        self.assertIn("Acme &lt;Retainer&gt;", html, "names are escaped")
        self.assertIn("(40 h included per period)", html)
        self.assertIn(">Jan 2026</td>", html)
        self.assertIn(">42.50 h</td>", html)
        self.assertEqual(html.count("<tr>"), 2, "a head and a row per period")
