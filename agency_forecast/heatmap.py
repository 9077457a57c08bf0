"""The utilization heatmap's grid: rows by role (with their people and their
unfilled placeholders), columns by week, and by day for this week and the
next; every figure in hours, the client turns them into % or FTE.

Past days count the hours logged (billable and non-billable, rejected time
aside), days from today on the hours booked; the current week is both (logged
up to yesterday, booked from today). Capacity is capacity.py's. Read in a fixed
number of queries whatever the number of people and weeks (the people, the
calendars and leaves, two grouped reads of entries, one read of bookings, the
deadlines), then arithmetic.

Who sees what: Producers, Billing and Administrators the whole studio, in
hours (there is no money here); everyone else their own row only.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

from odoo.addons.agency_timesheet.tools import week_bounds

from . import capacity as cap

PRODUCER = "agency_timesheet.group_agency_producer"
# Logged time the heatmap counts: the agency's entries (with a role), rejected
# time aside, as the hours warnings read them.
LOGGED = [
    ("project_id", "!=", False),
    ("role_id", "!=", False),
    ("approval_state", "!=", "rejected"),
]
NON_BILLABLE = [
    "|",
    ("project_id.partner_id", "=", False),
    ("agency_excluded_reason", "!=", False),
]
MAX_WEEKS = 53


def week_start(env):
    """The company's first day of the week (0 = Monday … 6 = Sunday), as
    agency_timesheet's weeks."""
    return int(env.company.agency_week_start or 0)


def week_first(env, day):
    """The first day of the company's week containing `day`."""
    return week_bounds(day, week_start(env))[0]


def workdays(calendar):
    """The weekdays (0 = Monday) the company's calendar works, shown day by
    day; Monday to Friday without a calendar."""
    found = {int(d) for d in calendar.attendance_ids.mapped("dayofweek")}
    return tuple(sorted(found or cap.WEEKDAYS))


def columns(first, weeks, today, start_day=0, shown=cap.WEEKDAYS):
    """The grid's columns: a week each (starting on `start_day`, 0 = Monday);
    this week and the next also day by day (the `shown` weekdays, in the
    week's order). {key, kind, start, end, label, period}."""
    this_week = week_bounds(today, start_day)[0]
    result = []
    for index in range(weeks):
        start = first + timedelta(days=7 * index)
        end = start + timedelta(days=6)
        period = "past" if end < today else ("future" if start > today else "current")
        result.append(
            {
                "key": f"w{start}",
                "kind": "week",
                "start": str(start),
                "end": str(end),
                "label": start.strftime("%d %b"),
                "period": period,
            }
        )
        if start in (this_week, this_week + timedelta(days=7)):
            for offset in range(7):
                day = start + timedelta(days=offset)
                if day.weekday() not in shown:
                    continue
                result.append(
                    {
                        "key": f"d{day}",
                        "kind": "day",
                        "start": str(day),
                        "end": str(day),
                        "label": day.strftime("%a %d"),
                        "period": "past"
                        if day < today
                        else ("current" if day == today else "future"),
                    }
                )
    return result


def column_keys(day, first, weeks, today, start_day=0, shown=cap.WEEKDAYS):
    """The keys of the columns a day counts in."""
    start = week_bounds(day, start_day)[0]
    index = (start - first).days // 7
    if not 0 <= index < weeks:
        return ()
    keys = [f"w{start}"]
    this_week = week_bounds(today, start_day)[0]
    if start in (this_week, this_week + timedelta(days=7)) and day.weekday() in shown:
        keys.append(f"d{day}")
    return keys


class Grid:
    """Figures per row and column: capacity, logged (and non-billable),
    booked confirmed and tentative, and the load (logged before today,
    booked confirmed from today); tentative load apart."""

    FIGURES = (
        "capacity",
        "logged",
        "non_billable",
        "booked",
        "tentative",
        "load",
        "tentative_load",
    )

    def __init__(self):
        self.rows = defaultdict(lambda: {f: defaultdict(float) for f in self.FIGURES})

    def add(self, row, figure, keys, hours):
        if not hours:
            return
        for key in keys:
            self.rows[row][figure][key] += hours

    def export(self, row):
        figures = self.rows.get(row)
        if not figures:
            return {f: {} for f in self.FIGURES}
        return {
            f: {k: round(v, 2) for k, v in values.items() if v}
            for f, values in figures.items()
        }


def heatmap_data(env, first, weeks, filters=None, today=None, whole=None):
    """The whole grid of the heatmap (see the module's docstring); `whole`
    (the staffing signals, on the server) reads every row whoever runs it."""
    today = today or fields.Date.context_today(env.user)
    if whole is None:
        whole = env.user.has_group(PRODUCER)
    return _Builder(env, first, weeks, filters or {}, today, whole).data()


BOOKING_FIELDS = [
    "employee_id",
    "role_id",
    "project_id",
    "company_id",
    "state",
    "mode",
    "hours",
    "share",
    "date_from",
    "date_to",
]


class _Builder:
    """One heatmap grid: the reads (people, capacity, entries, bookings,
    deadlines), then the rows."""

    def __init__(self, env, first, weeks, filters, today, whole):
        self.env = env
        self.filters = filters
        self.today = today
        self.whole = whole
        self.weeks = max(1, min(int(weeks), MAX_WEEKS))
        self.first = week_first(env, first)
        self.last = self.first + timedelta(days=7 * self.weeks - 1)
        self.workdays = workdays(env.company.resource_calendar_id)
        self.key = (self.first, self.weeks, today, week_start(env), self.workdays)
        self.grid = Grid()
        self.projects = set()
        self.role_ids = set()
        self._keys = {}

    def keys(self, day):
        """column_keys of a day, worked out once per day."""
        found = self._keys.get(day)
        if found is None:
            found = self._keys[day] = column_keys(day, *self.key)
        return found

    def keys_of(self):
        """{day: column_keys} of every day of the window."""
        return {day: self.keys(day) for day in cap.days(self.first, self.last)}

    def data(self):
        env = self.env
        self.employees = self._people()
        self.project_domain, shown_projects = self._project_filter()
        companies = env.companies if self.whole else env["res.company"]
        # the window's whole weeks (the company's): the weeks bookings of
        # hours per week spread on (capacity.spread)
        capacity = env["agency.capacity"]._agency_capacity(
            self.employees, self.first, self.last, companies
        )
        keys_of = self.keys_of()
        rows = self.grid.rows
        for employee_id, by_day in capacity.items():
            if isinstance(employee_id, int):
                target = rows[("person", employee_id)]["capacity"]
                for day, hours in by_day.items():
                    if hours:
                        for key in keys_of[day]:
                            target[key] += hours
        self._add_logged()
        self._add_bookings(capacity)
        self.projects.discard(False)
        self.projects |= shown_projects
        calendar = env.company.resource_calendar_id
        return {
            "today": str(self.today),
            "first": str(self.first),
            "weeks": self.weeks,
            "whole": self.whole,
            "week_hours": calendar.full_time_required_hours or 40.0,
            "day_count": len(self.workdays),
            "columns": columns(*self.key),
            "roles": self._role_rows(),
            "deadlines": deadlines(env, self.projects, self.first, self.last, self.key),
        }

    def _people(self):
        domain = [
            ("company_id", "in", self.env.companies.ids),
            ("role_id", "!=", False),
        ]
        if self.filters.get("department_ids"):
            domain.append(("department_id", "in", self.filters["department_ids"]))
        if not self.whole:
            domain.append(("user_id", "=", self.env.uid))
        return self.env["hr.employee"].sudo().search(domain, order="name")

    def _project_filter(self):
        filters = self.filters
        if not (filters.get("project_ids") or filters.get("partner_ids")):
            return [], set()
        chosen = [("allow_timesheets", "=", True)]
        if filters.get("project_ids"):
            chosen.append(("id", "in", filters["project_ids"]))
        if filters.get("partner_ids"):
            chosen.append(("partner_id", "in", filters["partner_ids"]))
        shown = set(self.env["project.project"].sudo().search(chosen).ids)
        return [("project_id", "in", list(shown))], shown

    def _add_logged(self):
        """Logged time: two sums (all, non-billable) per person and week
        (and per day from this week on, where the grid shows days and today
        splits the week), and one read of the projects logged on."""
        Line = self.env["account.analytic.line"].sudo()
        logged = [
            *LOGGED,
            *self.project_domain,
            ("employee_id", "in", self.employees.ids),
            ("date", ">=", self.first),
            ("date", "<=", self.last),
        ]
        rows = self.grid.rows
        for figure, extra in (("logged", []), ("non_billable", NON_BILLABLE)):
            for employee_id, day, hours in self._logged_sums(Line, [*logged, *extra]):
                if not hours:
                    continue
                figures = rows[("person", employee_id)]
                keys = self.keys(day)
                for key in keys:
                    figures[figure][key] += hours
                if figure == "logged" and day < self.today:
                    for key in keys:
                        figures["load"][key] += hours
        for (project,) in Line._read_group(logged, ["project_id"]):
            self.projects.add(project.id)

    def _logged_sums(self, Line, domain):
        """[(employee id, day, hours)] of the entries of `domain`, summed in
        one query: by the first day of the (company's) week before this week,
        by day from this week on. A past week is past on every day, so its
        sum counts in the load whole; the rows are a few per person and week,
        never one per entry or per day of the past."""
        query = Line._search(domain)
        table = Line._table
        date = Line._field_to_sql(table, "date", query)
        this_week = week_bounds(self.today, self.key[3])[0]
        bucket = SQL(
            "CASE WHEN %(date)s >= %(this_week)s THEN %(date)s ELSE %(date)s"
            " - MOD(EXTRACT(ISODOW FROM %(date)s)::int + 6 - %(start)s, 7) END",
            date=date,
            this_week=this_week,
            start=self.key[3],
        )
        query.groupby = SQL("1, 2")
        return self.env.execute_query(
            query.select(
                Line._field_to_sql(table, "employee_id", query),
                bucket,
                SQL("SUM(%s)", Line._field_to_sql(table, "unit_amount", query)),
            )
        )

    def _bookings(self):
        domain = [
            *self.project_domain,
            ("company_id", "in", self.env.companies.ids),
            ("date_from", "<=", self.last),
            ("date_to", ">=", self.first),
        ]
        if not self.whole:
            domain.append(("employee_id", "in", self.employees.ids))
        elif self.filters.get("department_ids"):
            # a team: its people's bookings, and the placeholders of the roles
            domain += [
                "|",
                ("employee_id", "in", self.employees.ids),
                ("employee_id", "=", False),
            ]
        Booking = self.env["agency.booking"].sudo()
        # Plain values of thousands of bookings in one query, whatever their
        # number: the domain's query selecting the stored columns (read()
        # goes by 1,000 ids, and formatting each value costs more than the
        # whole spread).
        Booking.flush_model(BOOKING_FIELDS)
        query = Booking._search(domain)
        columns = [SQL.identifier(Booking._table, name) for name in BOOKING_FIELDS]
        return self.env.execute_query_dict(query.select(*columns))

    def _outside_capacity(self, bookings, capacity):
        """The capacity bookings need beyond the window's people and days
        (people not shown, a total spread beyond the window): one more read,
        whatever their number."""
        outside = [
            b
            for b in bookings
            if (b["employee_id"] and b["employee_id"] not in capacity)
            or (
                b["mode"] == "total"
                and (b["date_from"] < self.first or b["date_to"] > self.last)
            )
        ]
        if not outside:
            return capacity
        start = cap.week_first(
            min(self.first, *(b["date_from"] for b in outside)), week_start(self.env)
        )
        end = max(self.last, *(b["date_to"] for b in outside)) + timedelta(days=6)
        others = (
            self.env["hr.employee"]
            .sudo()
            .browse({b["employee_id"] for b in outside} - {False})
        )
        companies = self.env["res.company"].browse({b["company_id"] for b in bookings})
        return self.env["agency.capacity"]._agency_capacity(
            others | self.employees, start, end, companies
        )

    def _add_bookings(self, capacity):
        """Bookings: one read, spread on the capacity already read."""
        bookings = self._bookings()
        capacity = self._outside_capacity(bookings, capacity)
        shown = set(self.employees.ids)
        keys_of = self.keys_of()
        today = self.today
        memo = {}
        # {(row, figure): {day: hours}} summed over the bookings, then laid
        # on the columns once per row and day
        daily = defaultdict(lambda: defaultdict(float))
        for booking in bookings:
            employee_id = booking["employee_id"]
            if employee_id and employee_id not in shown:
                row = ("role", booking["role_id"])  # counted in the role only
            elif employee_id:
                row = ("person", employee_id)
            else:
                row = ("placeholder", booking["role_id"])
            self.role_ids.add(booking["role_id"])
            self.projects.add(booking["project_id"])
            figure = "booked" if booking["state"] == "confirmed" else "tentative"
            load = "load" if figure == "booked" else "tentative_load"
            first_day, last_day = booking["date_from"], booking["date_to"]
            if booking["mode"] != "total":
                # per week or per day: the window's whole weeks suffice
                first_day, last_day = (
                    max(first_day, self.first),
                    min(last_day, self.last),
                )
            mode = booking["mode"]
            spread = cap.spread(
                mode,
                first_day,
                last_day,
                booking["share"] if mode == "share" else booking["hours"],
                capacity.get(employee_id or ("placeholder", booking["company_id"]), {}),
                memo,
                self.key[3],
            )
            booked = daily[(row, figure)]
            if last_day < today:  # all in the past: booked, not load
                for day, hours in spread.items():
                    if hours and day in keys_of:
                        booked[day] += hours
                continue
            ahead = daily[(row, load)]
            for day, hours in spread.items():
                if hours and day in keys_of:
                    booked[day] += hours
                    if day >= today:
                        ahead[day] += hours
        rows = self.grid.rows
        for (row, figure), by_day in daily.items():
            target = rows[row][figure]
            for day, hours in by_day.items():
                if hours:
                    for key in keys_of[day]:
                        target[key] += hours

    def _role_rows(self):
        grid, employees = self.grid, self.employees
        Role = self.env["agency.role"].sudo()
        roles = {role.id: role for role in Role.browse(self.role_ids)}
        for employee in employees:
            roles[employee.role_id.id] = employee.role_id
        exported = {}  # each row's figures rounded once (a person's: twice used)

        def export(row):
            found = exported.get(row)
            if found is None:
                found = exported[row] = grid.export(row)
            return found

        rows = []
        for role in sorted(roles.values(), key=lambda r: (r.sequence, r.name)):
            people = employees.filtered(lambda e, r=role: e.role_id == r)
            members = [("person", e.id) for e in people]
            placeholder = export(("placeholder", role.id))
            subjects = [*members, ("placeholder", role.id), ("role", role.id)]
            rows.append(
                {
                    "id": role.id,
                    "name": role.name,
                    "low": role.agency_target_low,
                    "high": role.agency_target_high,
                    "figures": _sum_rows(export, subjects),
                    "placeholder": placeholder
                    if placeholder["booked"] or placeholder["tentative"]
                    else None,
                    "people": [
                        {
                            "id": e.id,
                            "name": e.name,
                            "figures": export(("person", e.id)),
                        }
                        for e in people
                    ],
                }
            )
        return rows


def _sum_rows(export, rows):
    """The sums of the rows' exported figures (`export`: row -> figures)."""
    total = {f: defaultdict(float) for f in Grid.FIGURES}
    for row in rows:
        for figure, values in export(row).items():
            for column, hours in values.items():
                total[figure][column] += hours
    return {
        f: {k: round(v, 2) for k, v in values.items()} for f, values in total.items()
    }


def deadlines(env, project_ids, first, last, key):
    """Deadlines of the visible projects in the window, by week column: task
    deadlines, fixed-fee schedule dates, engagement end dates."""
    found = []
    if not project_ids:
        return found
    project_ids = list(project_ids)
    for task in (
        env["project.task"]
        .sudo()
        .search_read(
            [
                ("project_id", "in", project_ids),
                ("date_deadline", ">=", first),
                ("date_deadline", "<", last + timedelta(days=1)),
                ("is_closed", "=", False),
            ],
            ["name", "date_deadline", "project_id"],
        )
    ):
        day = task["date_deadline"].date()
        found.append(("task", day, task["name"], task["project_id"][1]))
    Engagement = env["agency.engagement"].sudo()
    engagements = Engagement.search([("project_ids", "in", project_ids)])
    for engagement in engagements:
        if engagement.date_end and first <= engagement.date_end <= last:
            found.append(("end", engagement.date_end, engagement.name, engagement.name))
    for line in (
        env["agency.engagement.schedule"]
        .sudo()
        .search_read(
            [
                ("engagement_id", "in", engagements.ids),
                ("trigger", "=", "date"),
                ("date_due", ">=", first),
                ("date_due", "<=", last),
            ],
            ["name", "date_due", "engagement_id"],
        )
    ):
        found.append(("fee", line["date_due"], line["name"], line["engagement_id"][1]))
    return [
        {
            "kind": kind,
            "date": str(day),
            "name": name,
            "project": project,
            "columns": list(column_keys(day, *key)),
        }
        for kind, day, name, project in sorted(found, key=lambda f: f[1])
    ]


def drill_domain(env, row, start, end, what, filters):
    """The search domain of the records behind a cell (see
    agency.capacity.agency_heatmap_action)."""
    kind, row_id = row["kind"], int(row["id"])
    if kind == "person":
        who = [("employee_id", "=", row_id)]
    elif kind == "placeholder":
        who = [("employee_id", "=", False), ("role_id", "=", row_id)]
    elif what == "entries":
        who = [("employee_id.role_id", "=", row_id)]
    else:
        who = [("role_id", "=", row_id)]
    projects = []
    if filters.get("project_ids"):
        projects.append(("project_id", "in", filters["project_ids"]))
    if filters.get("partner_ids"):
        projects.append(("project_id.partner_id", "in", filters["partner_ids"]))
    if what == "entries":
        return [
            *LOGGED,
            *who,
            *projects,
            ("date", ">=", str(start)),
            ("date", "<=", str(end)),
        ]
    return [
        *who,
        *projects,
        ("date_from", "<=", str(end)),
        ("date_to", ">=", str(start)),
    ]
