"""The margins pivot's group labels and domains (report/group_format.py)
are stock Odoo's, group for group; the AND of domains is expression.AND's."""

import unittest
from unittest.mock import patch

from odoo.models import BaseModel
from odoo.osv import expression
from odoo.tests import tagged

from odoo.addons.agency_forecast.report.group_format import and_domains

from .common import MarginMonthCase


class TestAndDomains(unittest.TestCase):
    def test_same_as_expression_and(self):
        a = [("a", "=", 1)]
        b = ["&", ("b", ">=", 2), ("b", "<", 3)]
        c = ["|", ("c", "=", False), ("d", "!=", 4)]
        for domains in ([a], [a, b], [a, b, c], [[], a, b], [a, [], c]):
            self.assertEqual(and_domains(domains), expression.AND(domains))
        self.assertEqual(and_domains([[], []]), expression.TRUE_DOMAIN)
        self.assertEqual(
            and_domains([a, expression.FALSE_DOMAIN, b]), expression.FALSE_DOMAIN
        )


@tagged("post_install", "-at_install")
class TestGroupFormat(MarginMonthCase):
    def stock(self, *args, **kwargs):
        """read_group as stock formats it (our override bypassed)."""
        Fact = self.env["agency.margin.fact"]
        with patch.object(
            type(Fact),
            "_read_group_format_result",
            BaseModel._read_group_format_result,
        ):
            return Fact.read_group(*args, **kwargs)

    def test_pivot_groups_as_stock(self):
        Fact = self.env["agency.margin.fact"]
        measures = ["revenue:sum", "cost:sum", "margin:sum", "hours:sum"]
        cases = [
            ([], ["partner_id", "role_id", "date:month"], {"lazy": False}),
            ([], ["partner_id", "date:week"], {"lazy": False}),
            ([("hours", ">", 0)], ["engagement_id", "billable", "kind"], {}),
            ([("kind", "=", "time")], ["date:year", "state"], {"lazy": False}),
            ([], ["employee_id", "date:day"], {"lazy": False}),
            ([], ["date:quarter"], {}),
        ]
        for domain, groupby, kwargs in cases:
            with self.subTest(groupby=groupby):
                ours = Fact.read_group(domain, measures, groupby, **kwargs)
                self.assertTrue(ours)
                self.assertEqual(ours, self.stock(domain, measures, groupby, **kwargs))
                # each group's domain finds exactly its facts
                for row in ours[:5]:
                    self.assertEqual(
                        Fact.search_count(row["__domain"]),
                        row.get("__count") or row[f"{groupby[0].split(':')[0]}_count"],
                    )
