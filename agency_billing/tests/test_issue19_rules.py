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
from ..models.discounts import discount_label, month_bounds, period_volume, tier_for
from ..models.phase_budgets import budget_error, budget_status
from ..models.rate_precedence import (
    RateCard,
    RateLine,
    blended_error,
    find_overlaps,
    scope_of,
)
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


ENGAGEMENT = 70
OTHER_PROJECT = 71


def engagement_line(id_, date_from=None, date_to=None, engagement=ENGAGEMENT):
    return RateLine(id_, COMPANY, None, None, None, None, date_from, date_to, True,
                    engagement)  # fmt: skip


class TestEngagementBlended(BaseCase):
    def test_engagement_beats_project_and_client_blended(self):
        person = line(1, project=PROJECT, employee=EMPLOYEE)
        project_blended = line(2, project=PROJECT, blended=True)
        client_blended = line(3, client=CLIENT, blended=True)
        mine = engagement_line(4)
        card = RateCard(
            [person, project_blended, client_blended, mine], {PROJECT: ENGAGEMENT}
        )
        self.assertEqual(card.find(precedence.entry()), mine)
        # a project of no engagement (or without the map): the project's blend
        alone = RateCard([person, project_blended, client_blended, mine])
        self.assertEqual(alone.find(precedence.entry()), project_blended)
        # another engagement's line prices nothing of this one
        other = RateCard([person, engagement_line(5, engagement=99)],
                         {PROJECT: ENGAGEMENT})  # fmt: skip
        self.assertEqual(other.find(precedence.entry()), person)

    def test_only_on_its_dates_and_never_a_company_default(self):
        role = line(1, role=ROLE)
        mine = engagement_line(2, date_from=date(2026, 3, 3))
        card = RateCard([role, mine], {PROJECT: ENGAGEMENT})
        self.assertEqual(card.find(precedence.entry()), role)  # 2 March
        later = precedence.entry()._replace(date=date(2026, 3, 3))
        self.assertEqual(card.find(later), mine)
        # on a project of another engagement, the line is not a default
        elsewhere = later._replace(project=OTHER_PROJECT)
        self.assertEqual(card.find(elsewhere), role)

    def test_scope_and_overlaps(self):
        self.assertEqual(scope_of(engagement=ENGAGEMENT), "engagement")
        self.assertIsNone(scope_of(project=PROJECT, engagement=ENGAGEMENT))
        a = engagement_line(1, date_to=date(2026, 3, 31))
        b = engagement_line(2, date_from=date(2026, 3, 1))
        default = RateLine(3, COMPANY, None, None, None, None, None, None)
        self.assertEqual(find_overlaps([a, b, default]), [(a, b)])

    def test_refusals(self):
        self.assertIsNone(blended_error("engagement", 0.0, True, True))
        self.assertIn("tick Blended Rate", blended_error("engagement", 0, False, True))
        self.assertIn("nothing else in its scope", blended_error(None, 0, True, True))
        self.assertIn("cost stays each person's",
                      blended_error("engagement", 45.0, True, True))  # fmt: skip


class TestMonthlyVolume(BaseCase):
    def test_month_bounds(self):
        self.assertEqual(
            month_bounds(date(2028, 2, 14)), (date(2028, 2, 1), date(2028, 2, 29))
        )
        self.assertEqual(
            month_bounds(date(2026, 12, 31)), (date(2026, 12, 1), date(2026, 12, 31))
        )

    def test_period_volume(self):
        """A second invoice of 2 h after 3 h in the month: 5 h per month, 2 h
        per invoice."""
        self.assertEqual(period_volume(2.0, 3.0, "month"), 5.0)
        self.assertEqual(period_volume(2.0, 3.0, "invoice"), 2.0)
        self.assertEqual(period_volume(2.0), 2.0)

    def test_label_per_month(self):
        self.assertEqual(
            discount_label(5, 200, "hours", period="month"),
            "Volume discount 5 % above 200 h a month",
        )
