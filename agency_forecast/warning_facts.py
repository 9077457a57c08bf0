"""What the early warnings read: the aggregates of a set of projects and
people as of one day (:class:`WarningFacts`, a fixed number of queries whatever
the number of entries), and the entries each kind of rule reads (``LOGGED``,
``APPROVED``). Reads the database; the rules themselves are plain functions in
``warning_rules.py`` and the warnings are ``models/agency_warning.py``."""

from collections import defaultdict

from odoo import fields, models

from . import warning_rules as rules

# The entries the agency's rules apply to are timesheet entries with a role
# (agency_timesheet's _agency_lines): everyone else's time is stock Odoo's.
# The hours rules read the time logged (whatever its approval, rejected time
# aside: the earlier the signal, the better); the money rules approved time.
LOGGED = [
    ("project_id", "!=", False),
    ("role_id", "!=", False),
    ("approval_state", "!=", "rejected"),
]
APPROVED = [("project_id", "!=", False), ("approval_state", "=", "approved")]


def differs(current, value):
    """Whether a stored value differs from the one just computed."""
    if isinstance(current, models.BaseModel):
        return current.id != (value or False)
    if isinstance(current, float):
        return round(current - (value or 0.0), 6) != 0
    return (current or False) != (value or False)


class WarningFacts:
    """What the rules read for a set of projects and people, as of `today`,
    in a fixed number of aggregate queries (never one per entry): hours per
    window, per project, task, person and engagement; revision tasks; the
    hours budgets and the retainers' current periods; effort at the rate cards
    per engagement."""

    def __init__(self, env, today, projects, employees):
        self.env = env
        self.today = today
        self.projects = projects
        self.windows = rules.windows(today)
        self.subjects = set()
        Line = env["account.analytic.line"].sudo()
        (recent_from, recent_to), (base_from, base_to) = self.windows
        nb = ["|", ("project_id.partner_id", "=", False)]
        nb.append(("agency_excluded_reason", "!=", False))
        scope = ["|", ("project_id", "in", projects.ids)]
        scope.append(("employee_id", "in", employees.ids))
        self._window = {}
        for name, first, last in (
            ("recent", recent_from, recent_to),
            ("base", base_from, base_to),
        ):
            window = [*LOGGED, *scope, ("date", ">=", first), ("date", "<=", last)]
            self._window[name] = (
                Line._read_group(
                    window,
                    ["project_id", "employee_id"],
                    ["unit_amount:sum", "__count"],
                ),
                Line._read_group(
                    [*window, *nb],
                    ["project_id", "employee_id"],
                    ["unit_amount:sum", "__count"],
                ),
            )
        self._sums = {}
        for name, (total, non_billable) in self._window.items():
            for what, rows in (("total", total), ("nb", non_billable)):
                for project, employee, hours, count in rows:
                    for subject in (("project", project.id), ("employee", employee.id)):
                        bucket = self._sums.setdefault((name, what, subject), [0.0, 0])
                        bucket[0] += hours
                        bucket[1] += count
        self.employees = employees.filtered(
            lambda e: ("recent", "total", ("employee", e.id)) in self._sums
        )
        self.nb_count = defaultdict(int)
        for subject in [*(("project", p) for p in projects.ids)]:
            self.nb_count[subject] = self._get("recent", "nb", subject)[1]
        for employee in self.employees:
            subject = ("employee", employee.id)
            self.nb_count[subject] = self._get("recent", "nb", subject)[1]
        self.recent_hours = defaultdict(float)
        for subject in (("project", p) for p in projects.ids):
            self.recent_hours[subject] = self._get("recent", "total", subject)[0]
        in_projects = [*LOGGED, ("project_id", "in", projects.ids)]
        self.total_hours = defaultdict(lambda: (0.0, 0))
        for project, hours, count in Line._read_group(
            in_projects, ["project_id"], ["unit_amount:sum", "__count"]
        ):
            self.total_hours[project.id] = (hours, count)
        self.revision_hours = defaultdict(lambda: (0.0, 0))
        for project, hours, count in Line._read_group(
            [*in_projects, ("task_id.agency_revision", "=", True)],
            ["project_id"],
            ["unit_amount:sum", "__count"],
        ):
            self.revision_hours[project.id] = (hours, count)
        Task = env["project.task"].sudo().with_context(active_test=False)
        self.tasks_by_project = defaultdict(list)
        for row in Task.search_read(
            [("project_id", "in", projects.ids), ("agency_revision", "=", True)],
            ["project_id", "parent_id"],
            load=None,
        ):
            self.tasks_by_project[row["project_id"]].append(
                (row["id"], row["parent_id"], True)
            )
        self.budget_tasks = Task.search(
            [
                ("project_id", "in", projects.ids),
                ("allocated_hours", ">", 0),
                ("is_closed", "=", False),
            ]
        )
        self.task_hours = defaultdict(lambda: (0.0, 0))
        self.recent_task_hours = defaultdict(float)
        if self.budget_tasks:
            on_tasks = [*LOGGED, ("task_id", "in", self.budget_tasks.ids)]
            for task, hours, count in Line._read_group(
                on_tasks, ["task_id"], ["unit_amount:sum", "__count"]
            ):
                self.task_hours[task.id] = (hours, count)
            for task, hours in Line._read_group(
                [*on_tasks, ("date", ">=", recent_from), ("date", "<=", recent_to)],
                ["task_id"],
                ["unit_amount:sum"],
            ):
                self.recent_task_hours[task.id] = hours
        self._engagements(Line, recent_from, recent_to)

    def company(self, record):
        """The company a project or a person belongs to (stock Odoo allows
        projects shared between companies: the current company then)."""
        return record.company_id or self.env.company

    def _get(self, window, what, subject):
        return self._sums.get((window, what, subject), (0.0, 0))

    def creep_hours(self, subject):
        """(recent non-billable, recent total, baseline non-billable, baseline
        total) hours of ("project" | "employee", id)."""
        return (
            self._get("recent", "nb", subject)[0],
            self._get("recent", "total", subject)[0],
            self._get("base", "nb", subject)[0],
            self._get("base", "total", subject)[0],
        )

    def _engagements(self, Line, recent_from, recent_to):
        self.engagements = self.projects.agency_engagement_id.sudo()
        engagements = self.engagements
        self.engagement_count = defaultdict(int)
        self.effort = defaultdict(float)
        self.recent_effort = defaultdict(float)
        self.retainers = {}
        self.retainer_project = {}
        self.period_hours = defaultdict(float)
        self.retainer_entries = defaultdict(int)
        self.retainer_pace = defaultdict(float)
        if not engagements:
            return
        on_engagements = [*APPROVED, ("agency_engagement_id", "in", engagements.ids)]
        rows = Line._read_group(
            on_engagements,
            ["agency_engagement_id", "agency_rate_currency_id"],
            ["agency_amount:sum", "__count"],
        )
        recent_rows = Line._read_group(
            [
                *on_engagements,
                ("date", ">=", recent_from),
                ("date", "<=", recent_to),
            ],
            ["agency_engagement_id", "agency_rate_currency_id"],
            ["agency_amount:sum"],
        )
        for engagement, currency, amount, count in rows:
            self.engagement_count[engagement.id] += count
            self.effort[engagement.id] += self._convert(currency, amount, engagement)
        for engagement, currency, amount in recent_rows:
            self.recent_effort[engagement.id] += self._convert(
                currency, amount, engagement
            )
        retainers = engagements.filtered(lambda e: e.kind == "retainer")
        periods = {}
        for engagement in retainers:
            first, last = rules.retainer_period(
                self.today, engagement.retainer_period or "month"
            )
            if engagement.included_hours <= 0 or not engagement.project_ids:
                continue
            if engagement.date_start and engagement.date_start > self.today:
                continue
            if engagement.date_end and engagement.date_end < first:
                continue
            periods[engagement] = (max(first, engagement.date_start or first), last)
            self.retainer_project[engagement.id] = engagement.project_ids.sorted("id")[
                :1
            ]
        self.retainers = periods
        if periods:
            earliest = min(recent_from, *(first for first, _last in periods.values()))
            rows = Line._read_group(
                [
                    *LOGGED,
                    ("agency_engagement_id", "in", [e.id for e in periods]),
                    ("date", ">=", earliest),
                    ("date", "<=", self.today),
                ],
                ["agency_engagement_id", "date:day"],
                ["unit_amount:sum", "__count"],
            )
            for engagement, day, hours, count in rows:
                first, last = periods[engagement]
                day = fields.Date.to_date(day)
                if first <= day <= last:
                    self.period_hours[engagement.id] += hours
                if recent_from <= day <= recent_to:
                    self.retainer_pace[engagement.id] += hours
                # what drives it: the period's time and the recent pace's
                if day >= min(first, recent_from):
                    self.retainer_entries[engagement.id] += count

    def _convert(self, currency, amount, engagement):
        company = engagement.company_id
        if not currency or currency == company.currency_id:
            return amount or 0.0
        return currency._convert(
            amount or 0.0, company.currency_id, company, self.today, round=False
        )

    def amount_budget(self, engagement):
        """The engagement's budget in the company's currency: a fixed fee with
        its change orders, else the not-to-exceed cap (0: none)."""
        if engagement.kind == "fixed_fee":
            budget = engagement.fee_total
        elif engagement.kind == "time_materials":
            budget = engagement.cap_amount
        else:
            budget = 0.0
        return self._convert(engagement.currency_id, budget, engagement)
