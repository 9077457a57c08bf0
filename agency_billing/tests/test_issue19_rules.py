"""Issue 19's plain rules without a database: blended rates in the
precedence, contract exchange rate periods, phase budgets, discount labels."""

from datetime import date

from odoo.tests import BaseCase

from ..models.contract_rates import (
    ContractRate,
    difference,
    overlapping,
    period_error,
    rate_on,
)
from ..models.discounts import discount_label, tier_for
from ..models.phase_budgets import budget_error, budget_status
from ..models.rate_precedence import RateCard, RateLine, blended_error
from . import test_rate_precedence as precedence
from .test_rate_precedence import CLIENT, COMPANY, EMPLOYEE, PROJECT, ROLE

DAY = date(2026, 3, 2)  # the day of test_rate_precedence.entry()


def line(
    id_,
    client=None,
    project=None,
    role=None,
    employee=None,
    blended=False,
    date_from=None,
    date_to=None,
):
    return RateLine(
        id_, COMPANY, client, project, role, employee, date_from, date_to, blended
    )


class TestBlendedPrecedence(BaseCase):
    def test_blended_project_beats_person_on_project(self):
        person = line(1, project=PROJECT, employee=EMPLOYEE)
        blended = line(2, project=PROJECT, blended=True)
        self.assertEqual(RateCard([person]).find(precedence.entry()), person)
        self.assertEqual(RateCard([person, blended]).find(precedence.entry()), blended)
        # another project's entries keep their card
        other = line(3, project=99, employee=EMPLOYEE)
        card = RateCard([person, blended, other])
        self.assertEqual(card.find(precedence.entry(project=99)), other)

    def test_blended_client_beats_cards_project_blended_beats_client(self):
        role_project = line(1, project=PROJECT, role=ROLE)
        client_blended = line(2, client=CLIENT, blended=True)
        self.assertEqual(
            RateCard([role_project, client_blended]).find(precedence.entry()),
            client_blended,
        )
        project_blended = line(3, project=PROJECT, blended=True)
        card = RateCard([role_project, client_blended, project_blended])
        self.assertEqual(card.find(precedence.entry()), project_blended)

    def test_blended_only_on_its_dates(self):
        role = line(1, role=ROLE)
        blended = line(
            2,
            project=PROJECT,
            blended=True,
            date_from=date(2026, 3, 1),
            date_to=date(2026, 3, 31),
        )
        card = RateCard([role, blended])
        self.assertEqual(card.find(precedence.entry()), blended)
        self.assertEqual(card.find(precedence.entry(day=date(2026, 4, 1))), role)
        self.assertEqual(
            [
                period[2]
                for period in card.timeline(
                    precedence.entry(), date(2026, 2, 1), date(2026, 4, 30)
                )
            ],
            [role, blended, role],
        )

    def test_blended_refusals(self):
        self.assertIsNone(blended_error("project", 0.0))
        self.assertIsNone(blended_error("client", 0.0))
        self.assertIn("leave Person and Role empty", blended_error("role_project", 0))
        self.assertIn("cost stays each person's", blended_error("project", 40.0))


class TestContractRates(BaseCase):
    def test_refusals(self):
        self.assertIn("above 0", period_error(0, DAY, DAY))
        self.assertIn("above 0", period_error(-1.17, DAY, DAY))
        self.assertIn("set both From and To", period_error(1.17, None, DAY))
        self.assertIn("set both From and To", period_error(1.17, DAY, None))
        self.assertIn("ends before", period_error(1.17, DAY, date(2026, 3, 1)))
        self.assertIsNone(period_error(1.17, DAY, DAY))

    def test_overlap_and_lookup(self):
        year = ContractRate(1, 5, 1.17, date(2026, 1, 1), date(2026, 12, 31))
        march = ContractRate(2, 5, 1.2, date(2026, 3, 1), date(2026, 3, 31))
        other_currency = ContractRate(3, 6, 0.9, date(2026, 3, 1), date(2026, 3, 31))
        self.assertEqual(overlapping([year, march]), (year, march))
        self.assertIsNone(overlapping([year, other_currency]))
        self.assertEqual(rate_on([year, other_currency], 5, DAY), year)
        self.assertEqual(rate_on([year, other_currency], 6, DAY), other_currency)
        self.assertIsNone(rate_on([year], 5, date(2027, 1, 1)))

    def test_difference(self):
        # 1,170.00 invoiced at 1.17 where the day said 1.15: 20.00 more
        self.assertAlmostEqual(difference(1170.0, 1.17, 1.15), 20.0)
        self.assertAlmostEqual(difference(1170.0, 1.17, 1.19), -20.0)
        self.assertEqual(difference(100.0, None, 1.1), 0.0)


class TestPhaseBudgets(BaseCase):
    def test_status(self):
        self.assertEqual(budget_status(80, 70, 11), "over")
        self.assertEqual(budget_status(80, 70, 10), "warning")  # exactly 80: fine
        self.assertEqual(budget_status(80, 0, 64), "warning")  # 80 %
        self.assertIsNone(budget_status(80, 0, 63.99))
        self.assertIsNone(budget_status(80, 90, 0))  # the run adds nothing

    def test_refusals(self):
        self.assertIn("above 0", budget_error(0))
        self.assertIn("above 0", budget_error(-5))
        self.assertIsNone(budget_error(80))


class TestDiscountLabels(BaseCase):
    def test_labels(self):
        self.assertEqual(discount_label(10), "Discount 10 %")
        self.assertEqual(
            discount_label(5, 200, "hours"), "Volume discount 5 % above 200 h"
        )
        self.assertEqual(
            discount_label(2.5, 10000, "amount", "€"),
            "Volume discount 2.5 % above 10000 €",
        )

    def test_tier_for(self):
        tiers = [(100, 3), (200, 5)]
        self.assertIsNone(tier_for(100, tiers))
        self.assertEqual(tier_for(150, tiers), (100, 3))
        self.assertEqual(tier_for(200.5, tiers), (200, 5))
