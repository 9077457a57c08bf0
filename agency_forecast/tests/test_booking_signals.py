"""The staffing signals follow the bookings: creating, changing or deleting
bookings queues their people and roles, and one evaluation runs when the
transaction commits (its precommit step), in the same number of queries
however many bookings changed."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common_capacity import CapacityCase

TODAY = date(2026, 3, 11)  # Wednesday; this week starts on 9 March
NEXT = date(2026, 3, 16)


@tagged("post_install", "-at_install")
class TestStaffingOnBookingChange(CapacityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.agency_resourcing_user_id = cls.users["billing"]
        cls.Warning = cls.env["agency.warning"]

    def commit(self):
        """What the transaction's commit runs before it commits."""
        self.env.flush_all()
        with freeze_time(TODAY):
            self.env.cr.precommit.run()

    def standing(self, key):
        return self.Warning.search([("key", "=", key), ("state", "!=", "resolved")])

    def test_role_short_of_supply_when_a_placeholder_is_booked(self):
        key = f"supply:role:{self.role_ad.id}:{self.company.id}"
        placeholder = self.book(
            role_id=self.role_ad.id,
            date_from=date(2026, 3, 23),
            date_to=date(2026, 4, 19),
            hours=60.0,
        )
        self.assertFalse(self.standing(key))  # nothing before the commit
        self.commit()
        supply = self.standing(key)
        self.assertEqual(supply.measure, 0.5)
        self.assertEqual(supply.owner_id, self.users["billing"])
        self.assertTrue(supply.activity_ids)
        # fewer hours: the role has the supply again, the warning resolves
        placeholder.hours = 30.0
        self.commit()
        self.assertFalse(self.standing(key))
        self.assertEqual(supply.state, "resolved")
        # booked again, then deleted in the same transaction: still quiet
        again = self.book(
            role_id=self.role_ad.id,
            date_from=NEXT,
            hours=80.0,
            date_to=NEXT + timedelta(days=6),
        )
        again.unlink()
        self.commit()
        self.assertFalse(self.standing(key))

    def test_person_overbooked_when_booked(self):
        booking = self.book(
            self.ann, date_from=NEXT, date_to=NEXT + timedelta(days=6), hours=48.0
        )
        self.commit()
        ann = self.standing(f"overbooked:employee:{self.ann.id}")
        self.assertEqual((ann.measure, ann.project_id), (120.0, self.project))
        later = NEXT + timedelta(days=28)
        booking.write({"date_from": later, "date_to": later})
        self.commit()
        self.assertEqual(ann.state, "resolved")

    def queries_to_evaluate(self, bookings):
        self.env["agency.booking"].create(bookings)
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        self.commit()
        return self.env.cr.sql_log_count - before

    def test_one_evaluation_in_a_fixed_number_of_queries(self):
        week = {
            "date_from": NEXT,
            "date_to": NEXT + timedelta(days=6),
            "project_id": self.project.id,
            "state": "tentative",
            "hours": 4.0,
        }
        self.queries_to_evaluate([{**week, "employee_id": self.pat.id}])  # caches
        one = self.queries_to_evaluate([{**week, "employee_id": self.ann.id}])
        many = self.queries_to_evaluate(
            [
                *(
                    {**week, "employee_id": e.id}
                    for e in (self.ann, self.pat, self.art)
                ),
                {**week, "role_id": self.role_ad.id},
                {**week, "role_id": self.role_designer.id},
                {**week, "employee_id": self.pat.id, "hours": 2.0},
            ]
        )
        self.assertGreater(one, 0)
        self.assertEqual(many, one)
        # a second change in the same transaction: still one evaluation
        Booking = self.env["agency.booking"]
        Booking.create({**week, "employee_id": self.ann.id})
        Booking.create({**week, "employee_id": self.pat.id})
        queued = [
            f
            for f in self.env.cr.precommit._funcs
            if getattr(f, "__name__", "") == "_agency_evaluate_staffing"
        ]
        self.assertEqual(len(queued), 1)
        queue = self.env.cr.precommit.data["agency_forecast.booking_staffing"]
        self.assertEqual(queue["employees"], {self.ann.id, self.pat.id})
        self.assertEqual(queue["roles"], {self.role_designer.id})
