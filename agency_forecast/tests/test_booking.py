"""Capacity read from Odoo's records, bookings, their spreads, refusals and
who may see or book what."""

from datetime import date, datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_capacity import MON, CapacityCase


@tagged("post_install", "-at_install")
class TestCapacityRecords(CapacityCase):
    def capacity(self, employees, first=MON, last=date(2026, 3, 15)):
        return self.env["agency.capacity"]._agency_capacity(employees, first, last)

    def week(self, by_day, monday):
        return sum(v for d, v in by_day.items() if 0 <= (d - monday).days < 7)

    def test_full_part_time_and_holiday(self):
        result = self.capacity(self.ann | self.pat)
        self.assertEqual(self.week(result[self.ann.id], MON), 40.0)
        self.assertEqual(self.week(result[self.pat.id], MON), 24.0)
        # the public holiday on Tuesday of the second week
        self.assertEqual(self.week(result[self.ann.id], date(2026, 3, 9)), 32.0)
        self.assertEqual(self.week(result[self.pat.id], date(2026, 3, 9)), 16.0)

    def test_leave_start_and_departure(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Ann's day off",
                "calendar_id": self.full.id,
                "resource_id": self.ann.resource_id.id,
                "date_from": datetime(2026, 3, 4, 0, 0),
                "date_to": datetime(2026, 3, 4, 23, 0),
            }
        )
        self.pat.agency_start_date = date(2026, 3, 3)  # starts on a Tuesday
        self.art.departure_date = date(2026, 3, 3)
        result = self.capacity(self.ann | self.pat | self.art, MON, date(2026, 3, 8))
        self.assertEqual(sum(result[self.ann.id].values()), 32.0)
        self.assertEqual(sum(result[self.pat.id].values()), 16.0)
        self.assertEqual(sum(result[self.art.id].values()), 16.0)

    def test_departure_before_start_refused(self):
        self.pat.agency_start_date = date(2026, 3, 3)
        with self.assertRefused(ValidationError, "Pat Part cannot leave"):
            self.pat.departure_date = date(2026, 3, 2)
            self.pat.flush_recordset()

    def test_time_zone_of_the_person(self):
        # a leave of Sydney's Monday (in UTC: Sunday 13:00 to Monday 13:00)
        self.ann.tz = "Australia/Sydney"
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Sydney Monday",
                "calendar_id": self.full.id,
                "resource_id": self.ann.resource_id.id,
                "date_from": datetime(2026, 3, 1, 13, 0),
                "date_to": datetime(2026, 3, 2, 13, 0),
            }
        )
        result = self.capacity(self.ann, MON, MON)
        self.assertEqual(result[self.ann.id][MON], 0.0)

    def test_batch_query_count(self):
        people = self.ann | self.pat | self.art
        self.capacity(people)
        with self.assertQueryCount(__system__=6):
            self.env.invalidate_all()
            self.capacity(people)
        more = people | self.env["hr.employee"].browse(
            [e.id for e in self.employees.values()]
        )
        with self.assertQueryCount(__system__=6):
            self.env.invalidate_all()
            self.capacity(more, MON, date(2026, 6, 28))


@tagged("post_install", "-at_install")
class TestBooking(CapacityCase):
    def test_hours_per_week(self):
        booking = self.book(self.ann, date_to=date(2026, 3, 15))
        self.assertEqual(booking.role_id, self.role_designer)
        self.assertEqual(booking.booked_hours, 40.0)
        spread = booking._agency_spreads()[booking.id]
        self.assertEqual(spread[MON], 4.0)
        # the holiday week: 20 hours over four days
        self.assertEqual(spread[date(2026, 3, 11)], 5.0)

    def test_share_of_capacity(self):
        booking = self.book(self.pat, mode="share", share=50.0, hours=0.0)
        self.assertEqual(booking.booked_hours, 12.0)

    def test_placeholder_on_the_company_calendar(self):
        booking = self.book(role_id=self.role_ad.id, hours=10.0)
        self.assertTrue(booking.placeholder)
        self.assertIn("(to find)", booking.display_name)
        self.assertEqual(booking._agency_spreads()[booking.id][MON], 2.0)

    def test_from_a_task_up_to_its_deadline(self):
        self.task.write(
            {
                "allocated_hours": 36.0,
                "date_deadline": datetime(2026, 3, 13, 17, 0),
                "user_ids": [(6, 0, self.ann.user_id.ids)] if self.ann.user_id else [],
            }
        )
        Booking = self.env["agency.booking"]
        values = Booking._agency_task_values(self.task, MON, employee=self.ann)
        booking = Booking.create(values)
        self.assertEqual((booking.mode, booking.date_to), ("total", date(2026, 3, 13)))
        self.assertEqual(booking.booked_hours, 36.0)
        spread = booking._agency_spreads()[booking.id]
        self.assertEqual(spread[date(2026, 3, 10)], 0.0)  # the holiday
        self.assertEqual(spread[MON], 4.0)  # 36 hours over 9 working days

    def test_task_without_deadline_asks_for_an_end_date(self):
        self.task.allocated_hours = 10.0
        Booking = self.env["agency.booking"]
        with self.assertRefused(UserError, "no deadline: give the booking an end"):
            Booking._agency_task_values(self.task, MON, employee=self.ann)
        values = Booking._agency_task_values(
            self.task, MON, date(2026, 3, 6), employee=self.ann
        )
        self.assertEqual(Booking.create(values).booked_hours, 10.0)

    def test_bad_input_refused(self):
        Booking = self.env["agency.booking"]
        count = Booking.search_count([])
        archived = self.env["hr.employee"].create(
            {"name": "Gone Person", "role_id": self.role_designer.id}
        )
        archived.active = False
        internal = self.env["project.project"].create(
            {"name": "No Timesheets", "allow_timesheets": False}
        )
        cases = [
            ({"date_to": date(2026, 3, 1)}, "ends on .* before it starts"),
            ({"hours": 0.0}, "give a positive number of hours"),
            ({"hours": -5.0}, "give a positive number of hours"),
            ({"mode": "share", "share": 120.0}, "at most 100"),
            ({"mode": "share", "share": 0.0}, "at most 100"),
            ({"employee_id": archived.id}, "Gone Person is archived"),
            ({"project_id": internal.id}, "No Timesheets has no timesheets"),
        ]
        for vals, pattern in cases:
            with (
                self.subTest(vals=vals),
                self.assertRefused(ValidationError, pattern),
                self.env.cr.savepoint(),
            ):
                self.book(self.ann, **vals)
        self.assertEqual(Booking.search_count([]), count)

    def test_bookings_never_touch_timesheets(self):
        Line = self.env["account.analytic.line"]
        before = Line.search_count([])
        self.book(self.ann).write({"hours": 30.0})
        self.assertEqual(Line.search_count([]), before)

    def test_copy_last_week(self):
        self.book(self.ann, date_from=date(2026, 2, 23), date_to=date(2026, 3, 1))
        action = self.env["agency.booking"].action_copy_last_week(MON)
        copies = self.env["agency.booking"].search(action["domain"])
        self.assertEqual(len(copies), 1)
        self.assertEqual((copies.date_from, copies.date_to), (MON, date(2026, 3, 8)))
        self.assertEqual(copies.employee_id, self.ann)


@tagged("post_install", "-at_install")
class TestBookingAccess(CapacityCase):
    def test_who_sees_and_books(self):
        mine = self.book(self.employees["user"])
        on_producers = self.book(self.ann)  # the producer manages self.project
        other = self.env["project.project"].create(
            {"name": "Elsewhere", "allow_timesheets": True}
        )
        elsewhere = self.book(self.ann, project_id=other.id)
        ids = (mine | on_producers | elsewhere).ids
        Booking = self.env["agency.booking"]
        seen = {
            level: set(
                Booking.with_user(self.users[level]).search([("id", "in", ids)]).ids
            )
            for level in ("user", "producer", "billing", "admin")
        }
        self.assertEqual(seen["user"], {mine.id})
        self.assertEqual(seen["producer"], {on_producers.id, mine.id})
        self.assertEqual(seen["billing"], set(ids))
        self.assertEqual(seen["admin"], set(ids))
        producer = Booking.with_user(self.users["producer"])
        producer.create(
            {
                "employee_id": self.pat.id,
                "project_id": self.project.id,
                "date_from": MON,
                "date_to": MON,
                "hours": 4.0,
            }
        )
        with self.assertRaises(AccessError):
            producer.create(
                {
                    "employee_id": self.pat.id,
                    "project_id": other.id,
                    "date_from": MON,
                    "date_to": MON,
                    "hours": 4.0,
                }
            )
        with self.assertRaises(AccessError):
            Booking.with_user(self.users["user"]).browse(mine.id).write({"hours": 1})
        with self.assertRaises(AccessError):
            Booking.with_user(self.users["internal"]).search([])


@tagged("post_install", "-at_install")
class TestMyWeekHint(CapacityCase):
    def test_booked_hours_beside_each_day(self):
        employee = self.employees["user"]
        self.book(employee)
        self.book(employee, mode="share", share=25.0, state="tentative")
        week = self.env["agency.my.week"].with_user(self.users["user"]).get_week(MON)
        monday = next(d for d in week["days"] if d["date"] == str(MON))
        self.assertEqual((monday["booked"], monday["booked_tentative"]), (4.0, 2.0))
        sunday = next(d for d in week["days"] if d["date"] == "2026-03-08")
        self.assertEqual(sunday["booked"], 0.0)


@tagged("post_install", "-at_install")
class TestBookFromTask(CapacityCase):
    def test_task_button_fills_the_form(self):
        self.task.write(
            {"allocated_hours": 12.0, "date_deadline": datetime(2026, 3, 13, 17, 0)}
        )
        context = self.task.action_agency_book()["context"]
        self.assertEqual(context["default_mode"], "total")
        self.assertEqual(context["default_date_to"], date(2026, 3, 13))
        self.assertEqual(context["default_hours"], 12.0)
        self.task.date_deadline = False
        context = self.task.action_agency_book()["context"]
        self.assertFalse(context["default_date_to"])  # the form asks for it
