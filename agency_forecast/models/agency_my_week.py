"""My Week's booked-hours hint: beside each day of the person's week, the
hours their bookings lay on it (agency.booking's spread), confirmed and
tentative apart. A hint only: bookings never touch timesheets. The grid's
template gets it from static/src/my_week/ (agency_timesheet does not depend on
this add-on)."""

from datetime import timedelta

from odoo import api, fields, models


class AgencyMyWeek(models.AbstractModel):
    _inherit = "agency.my.week"

    @api.model
    def get_week(self, day=None):
        week = super().get_week(day)
        first = fields.Date.to_date(week["start"])
        last = first + timedelta(days=6)
        employee = self._employee()
        bookings = (
            self.env["agency.booking"]
            .sudo()
            .search(
                [
                    ("employee_id", "=", employee.id),
                    ("date_from", "<=", last),
                    ("date_to", ">=", first),
                ]
            )
        )
        booked = {"confirmed": {}, "tentative": {}}
        for booking_id, spread in bookings._agency_spreads(first, last).items():
            state = bookings.browse(booking_id).state
            for booked_day, hours in spread.items():
                key = fields.Date.to_string(booked_day)
                booked[state][key] = booked[state].get(key, 0.0) + hours
        for week_day in week["days"]:
            week_day["booked"] = round(
                booked["confirmed"].get(week_day["date"], 0.0), 2
            )
            week_day["booked_tentative"] = round(
                booked["tentative"].get(week_day["date"], 0.0), 2
            )
        return week
