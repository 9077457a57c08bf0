"""The precedence function itself: plain values in, plain values out."""

from datetime import date
from itertools import pairwise

from odoo.tests import TransactionCase

from ..models.rate_precedence import (
    SCOPES,
    Entry,
    RateCard,
    RateLine,
    covers,
    currency_rate_on,
    dates_overlap,
    entry_keys,
    find_overlaps,
    overlap_range,
    scope_of,
)

COMPANY, CLIENT, PROJECT, ROLE, EMPLOYEE = 1, 10, 20, 30, 40
# PRODUCT.md, "Rates", word for word.
PRODUCT_ORDER = [
    "employee_project",
    "role_project",
    "project",
    "employee_client",
    "role_client",
    "client",
    "employee",
    "role",
    "company",
]
DIMS = {
    "employee_project": {"employee": EMPLOYEE, "project": PROJECT},
    "role_project": {"role": ROLE, "project": PROJECT},
    "project": {"project": PROJECT},
    "employee_client": {"employee": EMPLOYEE, "client": CLIENT},
    "role_client": {"role": ROLE, "client": CLIENT},
    "client": {"client": CLIENT},
    "employee": {"employee": EMPLOYEE},
    "role": {"role": ROLE},
    "company": {},
}


def line(line_id, scope, date_from=None, date_to=None, company=COMPANY, **dims):
    values = {"client": None, "project": None, "role": None, "employee": None}
    values.update(DIMS[scope])
    values.update(dims)
    return RateLine(
        id=line_id,
        company=company,
        date_from=date_from,
        date_to=date_to,
        **values,
    )


def entry(day=date(2026, 3, 2), **overrides):
    values = {
        "company": COMPANY,
        "client": CLIENT,
        "project": PROJECT,
        "role": ROLE,
        "employee": EMPLOYEE,
        "date": day,
    }
    values.update(overrides)
    return Entry(**values)


class TestPrecedence(TransactionCase):
    def test_order_is_product_md(self):
        self.assertEqual([scope for scope, _dims in SCOPES], PRODUCT_ORDER)

    def test_every_adjacent_pair(self):
        for rank, (winner, loser) in enumerate(pairwise(PRODUCT_ORDER), start=1):
            with self.subTest(f"{winner} > {loser}"):
                card = RateCard([line(rank + 1, loser), line(rank, winner)])
                self.assertEqual(card.find(entry()).id, rank, f"{winner} wins")
                # and the less specific one prices when it is alone
                alone = RateCard([line(rank + 1, loser)])
                self.assertEqual(alone.find(entry()).id, rank + 1)

    def test_most_specific_wins_among_all(self):
        card = RateCard([line(i, scope) for i, scope in enumerate(PRODUCT_ORDER)])
        self.assertEqual(card.find(entry()).id, 0)
        self.assertEqual(card.find(entry(project=None, client=None)).id, 6)
        self.assertEqual(card.find(entry(role=None, employee=None)).id, 2)

    def test_scopes_need_their_dimensions(self):
        card = RateCard(
            [line(1, "role"), line(2, "client"), line(3, "company"), line(4, "project")]
        )
        self.assertEqual(card.find(entry()).id, 4)
        self.assertEqual(card.find(entry(project=None)).id, 2)
        self.assertEqual(card.find(entry(project=None, client=None)).id, 1)
        self.assertEqual(
            card.find(entry(project=None, client=None, role=None)).id,
            3,
            "without a role, a role line never applies",
        )
        other_role = card.find(entry(project=None, client=None, role=99))
        self.assertEqual(other_role.id, 3, "a line of another role does not apply")

    def test_same_scope_consecutive_dates(self):
        """A rate change: the old line ends on 31 Mar, the new one starts 1 Apr."""
        old = line(1, "role", date_to=date(2026, 3, 31))
        new = line(2, "role", date_from=date(2026, 4, 1))
        card = RateCard([new, old])
        self.assertEqual(card.find(entry(date(2026, 3, 31))).id, 1)
        self.assertEqual(card.find(entry(date(2026, 4, 1))).id, 2)
        self.assertEqual(card.find(entry(date(2025, 1, 1))).id, 1)
        self.assertEqual(card.find(entry(date(2030, 1, 1))).id, 2)

    def test_specific_line_not_yet_effective_falls_back(self):
        role = line(1, "role")
        project = line(2, "project", date_from=date(2026, 3, 15))
        card = RateCard([role, project])
        self.assertEqual(card.find(entry(date(2026, 3, 14))).id, 1)
        self.assertEqual(card.find(entry(date(2026, 3, 15))).id, 2)

    def test_first_and_last_day_are_included(self):
        march = line(1, "client", date(2026, 3, 1), date(2026, 3, 31))
        card = RateCard([march])
        self.assertIsNone(card.find(entry(date(2026, 2, 28))))
        self.assertEqual(card.find(entry(date(2026, 3, 1))).id, 1)
        self.assertEqual(card.find(entry(date(2026, 3, 31))).id, 1)
        self.assertIsNone(card.find(entry(date(2026, 4, 1))))
        one_day = line(2, "role", date(2026, 5, 4), date(2026, 5, 4))
        self.assertTrue(covers(one_day, date(2026, 5, 4)))
        self.assertFalse(covers(one_day, date(2026, 5, 5)))

    def test_nothing_applies(self):
        self.assertIsNone(RateCard([]).find(entry()))
        card = RateCard([line(1, "company", company=2)])
        self.assertIsNone(card.find(entry()), "another company's line never prices")

    def test_overlapping_lines_latest_start_wins(self):
        """Overlaps are refused by agency.rate; should some exist anyway, the line
        that started last wins, then the newest."""
        card = RateCard(
            [
                line(1, "role", date(2026, 1, 1)),
                line(2, "role", date(2026, 3, 1)),
                line(3, "role", date(2026, 3, 1)),
            ]
        )
        self.assertEqual(card.find(entry(date(2026, 2, 1))).id, 1)
        self.assertEqual(card.find(entry(date(2026, 3, 2))).id, 3)

    def test_scope_of(self):
        for scope, dims in DIMS.items():
            self.assertEqual(scope_of(**dims), scope)
        self.assertIsNone(scope_of(role=ROLE, employee=EMPLOYEE))
        self.assertIsNone(scope_of(client=CLIENT, project=PROJECT))

    def test_entry_keys_in_order(self):
        scopes = [scope for scope, _key in entry_keys(entry())]
        self.assertEqual(scopes, PRODUCT_ORDER)
        no_role = [scope for scope, _key in entry_keys(entry(role=None))]
        self.assertNotIn("role", no_role)
        self.assertNotIn("role_client", no_role)

    def test_overlaps(self):
        self.assertTrue(dates_overlap(None, None, date(2026, 1, 1), None))
        self.assertTrue(
            dates_overlap(date(2026, 1, 1), date(2026, 3, 31), date(2026, 3, 31), None)
        )
        self.assertFalse(
            dates_overlap(date(2026, 1, 1), date(2026, 3, 30), date(2026, 3, 31), None)
        )
        a = line(1, "role", date(2026, 1, 1), date(2026, 3, 31))
        b = line(2, "role", date(2026, 3, 15))
        c = line(3, "role", date(2026, 4, 1))
        d = line(4, "role", date(2026, 3, 15), role=31)
        self.assertEqual(find_overlaps([a, b, c, d]), [(a, b), (b, c)])
        self.assertEqual(overlap_range(a, b), (date(2026, 3, 15), date(2026, 3, 31)))
        self.assertEqual(overlap_range(b, c), (date(2026, 4, 1), None))

    def test_timeline(self):
        card = RateCard(
            [
                line(1, "role", date_to=date(2026, 3, 31)),
                line(2, "role", date_from=date(2026, 4, 1)),
                line(3, "client", date(2026, 5, 1), date(2026, 5, 31)),
            ]
        )
        periods = card.timeline(
            entry(project=None), date(2026, 3, 15), date(2026, 6, 30)
        )
        self.assertEqual(
            [(start, end, found.id) for start, end, found in periods],
            [
                (date(2026, 3, 15), date(2026, 3, 31), 1),
                (date(2026, 4, 1), date(2026, 4, 30), 2),
                (date(2026, 5, 1), date(2026, 5, 31), 3),
                (date(2026, 6, 1), date(2026, 6, 30), 2),
            ],
        )
        gap = RateCard([line(1, "role", date(2026, 4, 1))])
        periods = gap.timeline(entry(), date(2026, 3, 1), date(2026, 4, 30))
        self.assertEqual(periods[0], (date(2026, 3, 1), date(2026, 3, 31), None))

    def test_currency_rate_on(self):
        rows = [
            (None, date(2026, 1, 1), 0.5),
            (1, date(2026, 2, 1), 0.9),
            (1, date(2026, 3, 1), 0.8),
        ]
        self.assertEqual(currency_rate_on(rows, 1, date(2026, 3, 1)), 0.8)
        self.assertEqual(currency_rate_on(rows, 1, date(2026, 2, 28)), 0.9)
        self.assertEqual(
            currency_rate_on(rows, 1, date(2026, 1, 15)), 0.5, "shared rate"
        )
        self.assertEqual(
            currency_rate_on(rows, 1, date(2025, 1, 1)), 0.9, "earliest own rate"
        )
        self.assertEqual(currency_rate_on([], 1, date(2026, 1, 1)), 1.0)
