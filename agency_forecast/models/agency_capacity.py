"""Capacity of many people at once, read from Odoo's records.

The arithmetic is capacity.py's (pure); this model only reads, in a fixed
number of queries whatever the number of people and days: the people (their
calendar, time zone, employment dates), the calendars' attendances, and the
leaves (``resource.calendar.leaves`` of type leave: public holidays of a
calendar or of the company, a person's own leave; validated ``hr_holidays``
time off lands there too when that app is installed). Never one
``_work_intervals`` call per person and day.

A role placeholder (a booking nobody is named on yet) is spread over the
company's working calendar and its public holidays.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models

from .. import capacity as cap
from .. import heatmap

ROLE_PLACEHOLDER = "placeholder"


class AgencyCapacity(models.AbstractModel):
    _name = "agency.capacity"
    _description = "Agency Capacity"

    @api.model
    def _agency_people(self, employees, first, last, companies=None):
        """[capacity.Person] of `employees` (keys: employee ids) and, for
        each of `companies`, its placeholder (key ("placeholder", company id)),
        with the leaves that touch [first, last]."""
        employees = employees.sudo().with_context(active_test=False)
        companies = (companies or self.env["res.company"]).sudo()
        rows = employees.read(
            [
                "resource_calendar_id",
                "tz",
                "agency_start_date",
                "departure_date",
                "resource_id",
                "company_id",
            ],
            load=None,
        )
        company_calendar = {c.id: c.resource_calendar_id.id for c in companies}
        for row in rows:
            if not row["resource_calendar_id"]:
                company = self.env["res.company"].browse(row["company_id"])
                row["resource_calendar_id"] = company.resource_calendar_id.id
        calendar_ids = {row["resource_calendar_id"] for row in rows}
        calendar_ids |= set(company_calendar.values())
        calendar_ids.discard(False)
        calendars = self.env["resource.calendar"].sudo().browse(calendar_ids)
        info = {
            row["id"]: row
            for row in calendars.read(["tz", "two_weeks_calendar"], load=None)
        }
        attendances = defaultdict(list)
        for row in (
            self.env["resource.calendar.attendance"]
            .sudo()
            .search_read(
                [
                    ("calendar_id", "in", list(calendar_ids)),
                    ("day_period", "!=", "lunch"),
                    ("display_type", "=", False),
                ],
                ["calendar_id", "dayofweek", "hour_from", "hour_to", "week_type"],
                load=None,
            )
        ):
            attendances[row["calendar_id"]].append(
                (
                    int(row["dayofweek"]),
                    row["hour_from"],
                    row["hour_to"],
                    row["week_type"] or None,
                )
            )
        # leaves in UTC, a day of margin on each side for time zones
        start = datetime.combine(first - timedelta(days=1), time())
        end = datetime.combine(last + timedelta(days=2), time())
        resource_ids = [row["resource_id"] for row in rows if row["resource_id"]]
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_read(
                [
                    ("time_type", "=", "leave"),
                    ("date_from", "<", end),
                    ("date_to", ">", start),
                    "|",
                    ("resource_id", "in", resource_ids),
                    "&",
                    ("resource_id", "=", False),
                    "|",
                    ("calendar_id", "in", list(calendar_ids)),
                    ("calendar_id", "=", False),
                ],
                ["resource_id", "calendar_id", "company_id", "date_from", "date_to"],
                load=None,
            )
        )
        by_resource, by_calendar, by_company = (defaultdict(list) for _i in range(3))
        for leave in leaves:
            span = (leave["date_from"], leave["date_to"])
            if leave["resource_id"]:
                by_resource[leave["resource_id"]].append(span)
            elif leave["calendar_id"]:
                by_calendar[leave["calendar_id"]].append(span)
            else:
                by_company[leave["company_id"]].append(span)

        def person(key, calendar_id, tz, company_id, own=(), start=None, stop=None):
            zone = pytz.timezone(tz or info.get(calendar_id, {}).get("tz") or "UTC")
            spans = [*own, *by_calendar[calendar_id], *by_company[company_id]]
            if company_id:
                spans += by_company[False]
            return cap.Person(
                key,
                tuple(attendances[calendar_id]),
                tuple((_local(a, zone), _local(b, zone)) for a, b in spans),
                start or None,
                stop or None,
                bool(info.get(calendar_id, {}).get("two_weeks_calendar")),
            )

        people = [
            person(
                row["id"],
                row["resource_calendar_id"],
                row["tz"],
                row["company_id"],
                by_resource[row["resource_id"]],
                row["agency_start_date"],
                row["departure_date"],
            )
            for row in rows
        ]
        for company in companies:
            people.append(
                person(
                    (ROLE_PLACEHOLDER, company.id),
                    company_calendar[company.id],
                    company.resource_calendar_id.tz,
                    company.id,
                )
            )
        return people

    @api.model
    def _agency_capacity(self, employees, first, last, companies=None):
        """{employee id (or ("placeholder", company id)): {day: hours}}."""
        people = self._agency_people(employees, first, last, companies)
        return cap.capacity(people, first, last)

    # -- the heatmap (static/src/heatmap/) --

    @api.readonly
    @api.model
    def agency_heatmap_data(self, first=None, weeks=17, filters=None):
        """The heatmap's whole grid (heatmap.py): from the week of `first`
        (default: 4 weeks before this one) for `weeks` weeks. `filters`:
        project_ids, partner_ids, department_ids."""
        today = fields.Date.context_today(self)
        first = fields.Date.to_date(first) or cap.monday(today) - timedelta(weeks=4)
        return heatmap.heatmap_data(self.env, first, weeks, filters, today)

    @api.model
    def agency_heatmap_action(self, row, start, end, what, filters=None):
        """The records behind a cell: `row` {"kind": "person" | "role" |
        "placeholder", "id"}, days `start`..`end`, `what` "entries" (time
        logged) or "bookings"."""
        domain = heatmap.drill_domain(self.env, row, start, end, what, filters or {})
        if what == "entries":
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Time logged"),
                "res_model": "account.analytic.line",
                "views": [
                    (self.env.ref("hr_timesheet.hr_timesheet_line_tree").id, "list"),
                    (False, "form"),
                ],
                "domain": domain,
                "context": {"create": False},
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bookings"),
            "res_model": "agency.booking",
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
        }


def _local(utc_naive, zone):
    return pytz.utc.localize(utc_naive).astimezone(zone).replace(tzinfo=None)
