"""Discount rules without a database (models/discounts.py)."""

from decimal import Decimal

from odoo.tests import BaseCase

from ..models.discounts import discount_amount, percent_for, tiers_error


class TestDiscounts(BaseCase):
    def test_tiers_in_order(self):
        self.assertIsNone(tiers_error([(100, 3), (200, 5), (400, 8)]))
        self.assertIsNone(tiers_error([]))

    def test_tiers_out_of_order_refused(self):
        self.assertIn("not above tier 1", tiers_error([(200, 5), (100, 3)]))
        self.assertIn("not above tier 1", tiers_error([(200, 5), (200, 8)]))
        self.assertIn("gives less", tiers_error([(100, 8), (200, 5)]))
        self.assertIn("above 0 %", tiers_error([(100, 0)]))
        self.assertIn("at most 100 %", tiers_error([(100, 120)]))
        self.assertIn("0 or more", tiers_error([(-1, 5)]))

    def test_percent_for_a_volume(self):
        tiers = [(100, 3), (200, 5)]
        self.assertEqual(percent_for(100, tiers=tiers), 0.0)  # above, not at
        self.assertEqual(percent_for(100.25, tiers=tiers), 3)
        self.assertEqual(percent_for(250, tiers=tiers), 5)
        self.assertEqual(percent_for(10, percent=7.5, tiers=tiers), 7.5)

    def test_amount(self):
        # 5 % of 21,000.00 = 1,050.00; 2.5 % of 333.33 = 8.33325 -> 8.33
        self.assertEqual(discount_amount(21000, 5), Decimal("-1050.00"))
        self.assertEqual(discount_amount(333.33, 2.5), Decimal("-8.33"))
        self.assertEqual(discount_amount(500, 0), Decimal(0))
