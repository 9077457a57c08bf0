"""A small studio for capacity, bookings and the heatmap: fixed dates (the
weeks of March 2026), a full-time and a part-time calendar, a public holiday."""

from datetime import date, datetime

from odoo.addons.agency_timesheet.tests.common import AgencyCase

MON = date(2026, 3, 2)  # a Monday


class CapacityCase(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.full = cls.calendar("Studio 40h", range(5))
        cls.part = cls.calendar("Studio 24h", range(3))
        cls.company.resource_calendar_id = cls.full
        Employee = env["hr.employee"]
        cls.ann = Employee.create(
            {
                "name": "Ann Full",
                "role_id": cls.role_designer.id,
                "resource_calendar_id": cls.full.id,
                "tz": "UTC",
            }
        )
        cls.pat = Employee.create(
            {
                "name": "Pat Part",
                "role_id": cls.role_designer.id,
                "resource_calendar_id": cls.part.id,
                "tz": "UTC",
            }
        )
        cls.art = Employee.create(
            {
                "name": "Art Director",
                "role_id": cls.role_ad.id,
                "resource_calendar_id": cls.full.id,
                "tz": "UTC",
            }
        )
        # every other person of the base class on the full calendar, in UTC
        for employee in cls.employees.values():
            employee.write({"resource_calendar_id": cls.full.id, "tz": "UTC"})
        # a public holiday on Tuesday 10 March, for both calendars
        env["resource.calendar.leaves"].create(
            [
                {
                    "name": "Public holiday",
                    "calendar_id": calendar.id,
                    "date_from": datetime(2026, 3, 10, 0, 0),
                    "date_to": datetime(2026, 3, 10, 23, 59, 59),
                }
                for calendar in (cls.full, cls.part)
            ]
        )

    @classmethod
    def calendar(cls, name, weekdays):
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": "UTC",
                "attendance_ids": [
                    (0, 0, {"name": f"{d} {p}", "dayofweek": str(d), **hours})
                    for d in weekdays
                    for p, hours in (
                        (
                            "am",
                            {"hour_from": 8, "hour_to": 12, "day_period": "morning"},
                        ),
                        (
                            "pm",
                            {"hour_from": 13, "hour_to": 17, "day_period": "afternoon"},
                        ),
                    )
                ],
            }
        )

    def book(self, employee=None, **vals):
        values = {
            "employee_id": employee.id if employee else False,
            "project_id": self.project.id,
            "date_from": MON,
            "date_to": date(2026, 3, 8),
            "mode": "week",
            "hours": 20.0,
            **vals,
        }
        return self.env["agency.booking"].create(values)
