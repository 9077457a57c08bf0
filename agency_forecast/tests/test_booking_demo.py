"""The demo agency's bookings tell their stories (demo/bookings.py)."""

from datetime import timedelta

from odoo.tests import TransactionCase, tagged

from odoo.addons.agency_timesheet.demo.common import plan_for, ref

from ..capacity import monday


@tagged("post_install", "-at_install")
class TestBookingDemo(TransactionCase):
    def setUp(self):
        super().setUp()
        if not ref(self.env, "booking_dani_push"):
            self.skipTest("no demo data")
        self.plan = plan_for(self.env)

    def standing(self, rule):
        return self.env["agency.warning"].search(
            [("rule", "=", rule), ("state", "!=", "resolved")]
        )

    def test_bookings(self):
        Booking = self.env["agency.booking"]
        start = monday(self.plan.today)
        bookings = Booking.search([("date_from", ">=", start)])
        self.assertEqual(len(bookings.filtered("placeholder")), 2)
        self.assertTrue(bookings.filtered(lambda b: b.state == "tentative"))
        self.assertLessEqual(
            max(bookings.mapped("date_to")), start + timedelta(weeks=12)
        )

    def test_stories(self):
        dani = ref(self.env, "employee_dani")
        over = self.standing("overbooked").filtered(lambda w: w.employee_id == dani)
        self.assertEqual(over.measure, 120.0)
        self.assertIn("Strategist", " ".join(self.standing("underused").mapped("name")))
        supply = self.standing("supply").mapped("name")
        self.assertTrue(any(name.startswith("Designer: 1.") for name in supply), supply)
        self.assertTrue(any(name.startswith("Developer") for name in supply), supply)
        burnout = self.standing("burnout").employee_id
        self.assertIn(dani, burnout)
