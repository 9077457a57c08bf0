"""The names of a billing run's time lines on the invoice: 'Acme Web — Key
visual · Weekend ×1.5' and the period its entries cover ("3 entries, 02/03/2026
to 07/03/2026"). Built by the run line's invoice plan
(``agency_billing_run_line.py``) from its collect rows."""

from odoo.tools.misc import format_date

# What each grouping's labels name, read for all the invoice's lines at once
# (a record browsed alone is fetched alone: a query per line).
LABEL_NAMES = {
    "project": [("project.project", "project_id")],
    "task": [("project.project", "project_id"), ("project.task", "task_id")],
    "role": [("agency.role", "role_id")],
    "employee": [("hr.employee.public", "employee_id")],
    "entry": [("hr.employee.public", "employee_id")],
}


class InvoiceLabels:
    """The labels of one invoice's time lines: the names they show read at
    once, each day formatted once (a weekend multiplier doubles the lines,
    not the days)."""

    def __init__(self, env, grouping, rows):
        self.env = env
        self.grouping = grouping
        self._days = {}
        for model, key in LABEL_NAMES.get(grouping, ()):
            records = env[model].browse({row[key] for row in rows if row[key]})
            records.mapped("name")

    def day(self, value):
        text = self._days.get(value)
        if text is None:
            text = self._days[value] = format_date(self.env, value)
        return text

    def label(self, rows):
        """The label of the line billing rows (collect rows of one group).
        People are named from their public profile: billing users are not HR
        officers."""
        env, grouping = self.env, self.grouping
        first = rows[0]
        project = env["project.project"].browse(first["project_id"])
        if grouping == "project":
            label = project.name
        elif grouping == "task":
            label = project.name
            if first["task_id"]:
                task = env["project.task"].browse(first["task_id"])
                label = f"{label} — {task.name}"
        elif grouping == "role":
            label = env["agency.role"].browse(first["role_id"]).name or env._("Time")
        elif grouping == "employee":
            label = env["hr.employee.public"].browse(first["employee_id"]).name
        else:
            person = env["hr.employee.public"].browse(first["employee_id"]).name
            label = f"{person}: {first['name'] or ''}".strip()
        if first.get("agency_multiplier_label"):
            label = f"{label} · {first['agency_multiplier_label']}"
        days = [row["date"] for row in rows]
        start, end = min(days), max(days)
        if start == end:
            period = self.day(start)
        else:
            period = env._(
                "%(start)s to %(end)s", start=self.day(start), end=self.day(end)
            )
        if len(rows) == 1:
            return env._("%(label)s\n1 entry, %(period)s", label=label, period=period)
        return env._(
            "%(label)s\n%(count)s entries, %(period)s",
            label=label,
            count=len(rows),
            period=period,
        )
