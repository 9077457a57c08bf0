"""The adoption dashboard: per team (department) and week, whether the habits
hold: days complete by the next morning, weeks submitted on time, the median time
from submission to approval, reminders sent and days fixed after them.
Consistency, never hours (the rules: adoption.py).

Rows are computed by :meth:`_agency_figures` (a read only: ``@api.readonly``,
plain values) and stored by :meth:`_agency_refresh` (the nightly cron only: nothing a
client calls rewrites them), so that pivot and graph views group and compare them.
A week whose deadline has not passed is *not due*: its on-time share is empty
(NULL), never 0 %. agency_forecast adds the billing cycle time month by month
(agency.adoption.month, its report/agency_adoption_month.py). Producers and
champions (Agency › Champion) read them.
"""

from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from ..adoption import (
    is_complete,
    is_on_time,
    median,
    morning_after,
    share,
    week_deadline,
)
from ..tools import week_bounds

WEEKS_KEPT = 14  # the cron recomputes about three months
# Figures that have no value for some weeks (no working day, no week due yet,
# no approval): stored NULL then, never 0, so that averages leave them out.
OPTIONAL = ("complete_share", "on_time_share", "median_approval_hours")


def _local(utc, tz):
    """A naive UTC datetime as the naive local wall-clock time in tz."""
    return pytz.utc.localize(utc).astimezone(tz).replace(tzinfo=None)


class AgencyAdoptionWeek(models.Model):
    _name = "agency.adoption.week"
    _description = "Agency adoption per team and week"
    _order = "week_start desc, department_id"
    _rec_name = "week_start"

    company_id = fields.Many2one("res.company", readonly=True, index=True)
    department_id = fields.Many2one("hr.department", string="Team", readonly=True)
    week_start = fields.Date(string="Week", readonly=True, index=True)
    people = fields.Integer(readonly=True, aggregator="max")
    working_days = fields.Integer(readonly=True, help="People × working days.")
    days_complete = fields.Integer(
        string="Complete by Next Morning",
        readonly=True,
        help="Working days whose time was logged by 09:00 the next day.",
    )
    complete_share = fields.Float(
        string="Complete by Next Morning (%)", readonly=True, aggregator="avg"
    )
    weeks_due = fields.Integer(readonly=True)
    weeks_on_time = fields.Integer(string="Submitted on Time", readonly=True)
    on_time_share = fields.Float(
        string="Submitted on Time (%)",
        readonly=True,
        aggregator="avg",
        help="Empty while no week of the team is due yet (its deadline has not "
        "passed): not due is not late.",
    )
    on_time_label = fields.Char(
        string="On Time",
        compute="_compute_on_time_label",
        help="The share of weeks submitted by the deadline, or 'not due yet'.",
    )
    median_approval_hours = fields.Float(
        string="Median Hours to Approval",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="From a person's week's last submission to its approval.",
    )
    reminders_sent = fields.Integer(readonly=True)
    days_fixed = fields.Integer(
        string="Days Fixed after a Reminder",
        readonly=True,
        help="Days a reminder named that are complete now.",
    )

    @api.depends("weeks_due", "on_time_share")
    def _compute_on_time_label(self):
        for row in self:
            row.on_time_label = (
                f"{row.on_time_share:.1f} %"
                if row.weeks_due
                else self.env._("not due yet")
            )

    @api.model
    @api.readonly
    def _agency_figures(self, first, last, today=None, now=None):
        """The figures of the weeks from the one of `first` to the one of
        `last`, up to `today` (not included): [{field: value}] per team and
        week, in a fixed number of queries. A week is due once its deadline
        has passed at `now` (naive UTC; the real now by default); until then
        its on-time share is None (not due, not 0 %)."""
        today = today or fields.Date.context_today(self)
        now = now or fields.Datetime.now()
        Employee = self.env["hr.employee"].sudo()
        people = Employee.search([("role_id", "!=", False)])
        if not people:
            return []
        rows = {}
        by_company = defaultdict(lambda: Employee)
        for person in people:
            by_company[person.company_id] |= person
        expected = people._agency_expected_hours(first - timedelta(days=6), last)
        entries = self._agency_entries(people, first - timedelta(days=6), last)
        reminders = self._agency_reminders(people, first - timedelta(days=6), last)
        for company, team in by_company.items():
            week_day = int(company.agency_week_start)
            ratio = company.agency_reminder_share / 100.0
            start = week_bounds(first, week_day)[0]
            for person in team:
                tz = pytz.timezone(person.tz or person.user_id.tz or "UTC")
                mine = entries.get(person.id, [])
                week = start
                while week <= last and week < today:
                    key = (company.id, person.department_id.id, week)
                    row = rows.setdefault(key, self._agency_empty(key))
                    self._agency_person_week(
                        row, person, week, (today, now), tz,
                        expected.get(person.id, {}), mine,
                        reminders.get(person.id, []), ratio, company,
                    )  # fmt: skip
                    week += timedelta(days=7)
        result = []
        for row in rows.values():
            hours = row.pop("approval_hours")
            row["people"] = len(row.pop("people_ids"))
            row["complete_share"] = share(row["days_complete"], row["working_days"])
            row["on_time_share"] = share(row["weeks_on_time"], row["weeks_due"])
            row["median_approval_hours"] = median(hours)
            result.append(row)
        return sorted(result, key=lambda r: (r["week_start"], r["department_id"] or 0))

    @api.model
    def _agency_empty(self, key):
        company_id, department_id, week = key
        return {
            "company_id": company_id,
            "department_id": department_id or False,
            "week_start": week,
            "people_ids": set(),
            "working_days": 0,
            "days_complete": 0,
            "weeks_due": 0,
            "weeks_on_time": 0,
            "approval_hours": [],
            "reminders_sent": 0,
            "days_fixed": 0,
        }

    @api.model
    def _agency_person_week(
        self, row, person, week, when, tz, expected, entries, reminders, ratio,
        company,
    ):  # fmt: skip
        today, now = when
        days = [week + timedelta(days=n) for n in range(7)]
        worked = [day for day in days if expected.get(day) and day < today]
        week_entries = [e for e in entries if week <= e["date"] <= days[-1]]
        if not worked and not week_entries:
            return
        row["people_ids"].add(person.id)
        for day in worked:
            by_morning = sum(
                e["unit_amount"]
                for e in week_entries
                if e["date"] == day
                and _local(e["create_date"], tz) < morning_after(day)
            )
            row["working_days"] += 1
            row["days_complete"] += is_complete(by_morning, expected[day], ratio)
        deadline = week_deadline(
            week,
            int(company.agency_submit_deadline_weekday),
            company.agency_submit_deadline_hour,
            int(company.agency_week_start),
        )
        now_local = _local(now, tz)
        if worked and deadline <= now_local:
            row["weeks_due"] += 1
            row["weeks_on_time"] += is_on_time(
                [
                    _local(e["submitted_on"], tz) if e["submitted_on"] else None
                    for e in week_entries
                ],
                deadline,
            )
        if week_entries and all(e["approved_on"] for e in week_entries):
            submitted = [e["submitted_on"] for e in week_entries if e["submitted_on"]]
            if submitted:
                approved = max(e["approved_on"] for e in week_entries)
                row["approval_hours"].append(
                    max((approved - max(submitted)).total_seconds() / 3600.0, 0.0)
                )
        logged = defaultdict(float)
        for e in entries:
            logged[e["date"]] += e["unit_amount"]
        sent = {(r["sent_on"]) for r in reminders if week <= r["sent_on"] <= days[-1]}
        row["reminders_sent"] += len(sent)
        row["days_fixed"] += sum(
            1
            for r in reminders
            if week <= r["sent_on"] <= days[-1]
            and is_complete(logged[r["day"]], expected.get(r["day"]), ratio)
        )

    @api.model
    def _agency_entries(self, people, first, last):
        """{employee id: [entry values]} of their timesheet entries."""
        Line = self.env["account.analytic.line"].sudo()
        found = defaultdict(list)
        for values in Line.search_read(
            [
                ("employee_id", "in", people.ids),
                ("project_id", "!=", False),
                ("date", ">=", first),
                ("date", "<=", last),
            ],
            ["employee_id", "date", "unit_amount", "create_date", "submitted_on",
             "approved_on"],
            load=None,
        ):  # fmt: skip
            found[values["employee_id"]].append(values)
        return found

    @api.model
    def _agency_reminders(self, people, first, last):
        found = defaultdict(list)
        for values in (
            self.env["agency.reminder.log"]
            .sudo()
            .search_read(
                [
                    ("employee_id", "in", people.ids),
                    ("sent_on", ">=", first),
                    ("sent_on", "<=", last),
                ],
                ["employee_id", "sent_on", "day"],
                load=None,
            )
        ):
            found[values["employee_id"]].append(values)
        return found

    @api.model
    def _agency_refresh(self, first=None, last=None):
        """Store the figures of the weeks from `first` to `last` (the last
        WEEKS_KEPT weeks by default), replacing those weeks' rows."""
        today = fields.Date.context_today(self)
        last = last or today - timedelta(days=1)
        first = first or last - timedelta(weeks=WEEKS_KEPT)
        rows = self._agency_figures(first, last, today=today)
        weeks = {row["week_start"] for row in rows}
        self.sudo().search([("week_start", "in", list(weeks))]).unlink()
        return self._agency_store(rows)

    @api.model
    def _agency_store(self, rows):
        """Create the rows of figures; a figure that is None is stored NULL."""
        created = self.sudo().create(rows)
        for name in OPTIONAL:
            empty = [
                rec.id
                for rec, row in zip(created, rows, strict=True)
                if row[name] is None
            ]
            if empty:
                # SQL: the ORM stores a float's None as 0.0
                self.env.cr.execute(
                    SQL(
                        "UPDATE agency_adoption_week SET %s = NULL WHERE id = ANY(%s)",
                        SQL.identifier(name),
                        empty,
                    )
                )
        created.invalidate_recordset(list(OPTIONAL))
        return created
