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


def columns(first_monday, weeks, today):
    """The grid's columns: a week each; this week and the next also day by day
    (Monday to Friday). {key, kind, start, end, label, period}."""
    this_monday = cap.monday(today)
    result = []
    for index in range(weeks):
        start = first_monday + timedelta(days=7 * index)
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
        if start in (this_monday, this_monday + timedelta(days=7)):
            for offset in range(5):
                day = start + timedelta(days=offset)
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


def column_keys(day, first_monday, weeks, today):
    """The keys of the columns a day counts in."""
    monday = cap.monday(day)
    index = (monday - first_monday).days // 7
    if not 0 <= index < weeks:
        return ()
    keys = [f"w{monday}"]
    this_monday = cap.monday(today)
    if monday in (this_monday, this_monday + timedelta(days=7)) and day.weekday() < 5:
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


def heatmap_data(env, first_monday, weeks, filters=None, today=None, whole=None):
    """The whole grid of the heatmap (see the module's docstring); `whole`
    (the staffing signals, on the server) reads every row whoever runs it."""
    today = today or fields.Date.context_today(env.user)
    if whole is None:
        whole = env.user.has_group(PRODUCER)
    return _Builder(env, first_monday, weeks, filters or {}, today, whole).data()


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

    def __init__(self, env, first_monday, weeks, filters, today, whole):
        self.env = env
        self.filters = filters
        self.today = today
        self.whole = whole
        self.weeks = max(1, min(int(weeks), MAX_WEEKS))
        self.first = cap.monday(first_monday)
        self.last = self.first + timedelta(days=7 * self.weeks - 1)
        self.key = (self.first, self.weeks, today)
        self.grid = Grid()
        self.projects = set()
        self.role_ids = set()

    def data(self):
        env = self.env
        self.employees = self._people()
        self.project_domain, shown_projects = self._project_filter()
        companies = env.companies if self.whole else env["res.company"]
        capacity = env["agency.capacity"]._agency_capacity(
            self.employees, self.first, self.last, companies
        )
        for employee_id, by_day in capacity.items():
            if isinstance(employee_id, int):
                for day, hours in by_day.items():
                    keys = column_keys(day, *self.key)
                    self.grid.add(("person", employee_id), "capacity", keys, hours)
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
            "columns": columns(self.first, self.weeks, self.today),
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
        """Logged time: two grouped reads (all, non-billable), per person and day."""
        Line = self.env["account.analytic.line"].sudo()
        logged = [
            *LOGGED,
            *self.project_domain,
            ("employee_id", "in", self.employees.ids),
            ("date", ">=", self.first),
            ("date", "<=", self.last),
        ]
        for figure, extra in (("logged", []), ("non_billable", NON_BILLABLE)):
            for employee, project, day, hours in Line._read_group(
                [*logged, *extra],
                ["employee_id", "project_id", "date:day"],
                ["unit_amount:sum"],
            ):
                day = fields.Date.to_date(day)
                row = ("person", employee.id)
                keys = column_keys(day, *self.key)
                self.grid.add(row, figure, keys, hours)
                if figure == "logged":
                    self.projects.add(project.id)
                    if day < self.today:
                        self.grid.add(row, "load", keys, hours)

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
        return Booking.search_read(domain, BOOKING_FIELDS, load=None)

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
        start = cap.monday(min(self.first, *(b["date_from"] for b in outside)))
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
        keys_of = {
            day: column_keys(day, *self.key) for day in cap.days(self.first, self.last)
        }
        memo = {}
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
            )
            for day, hours in spread.items():
                keys = keys_of.get(day)
                if not keys or not hours:
                    continue
                self.grid.add(row, figure, keys, hours)
                if day >= self.today:
                    self.grid.add(row, load, keys, hours)

    def _role_rows(self):
        grid, employees = self.grid, self.employees
        Role = self.env["agency.role"].sudo()
        roles = {role.id: role for role in Role.browse(self.role_ids)}
        for employee in employees:
            roles[employee.role_id.id] = employee.role_id
        rows = []
        for role in sorted(roles.values(), key=lambda r: (r.sequence, r.name)):
            people = employees.filtered(lambda e, r=role: e.role_id == r)
            members = [("person", e.id) for e in people]
            placeholder = grid.export(("placeholder", role.id))
            subjects = [*members, ("placeholder", role.id), ("role", role.id)]
            rows.append(
                {
                    "id": role.id,
                    "name": role.name,
                    "low": role.agency_target_low,
                    "high": role.agency_target_high,
                    "figures": _sum_rows(grid, subjects),
                    "placeholder": placeholder
                    if placeholder["booked"] or placeholder["tentative"]
                    else None,
                    "people": [
                        {
                            "id": e.id,
                            "name": e.name,
                            "figures": grid.export(("person", e.id)),
                        }
                        for e in people
                    ],
                }
            )
        return rows


def _sum_rows(grid, rows):
    total = {f: defaultdict(float) for f in Grid.FIGURES}
    for row in rows:
        for figure, values in grid.export(row).items():
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
