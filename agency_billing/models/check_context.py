"""What the pre-billing checks of one run read, fetched once (agency_billing_check.py).

A plain Python class, not a model: built by ``_agency_run_checks`` and handed to
every ``_agency_check_<code>`` method (the extension point), which read its
``run``, ``lines``, ``lines_by_engagement``, ``engagement_ids``, ``rows`` and
``rows_by_line``, and ask it for what some checks alone need, each read with one
query for the run: :meth:`CheckContext.unapproved`, :meth:`CheckContext.held`,
:meth:`CheckContext.long_days`, :meth:`CheckContext.expenses` (kept once read)
and :meth:`CheckContext.expenses_with_receipt`. A new check may keep what it
fetches on the context too.
"""

from collections import defaultdict

from odoo.tools import SQL

from odoo.addons.agency_timesheet.pilot import entry_sql

from .billing_status import EXPENSE_NOT_INVOICED_DOMAIN, not_invoiced_sql
from .check_rules import LONG_DAY_HOURS


class CheckContext:
    """What the checks of one run read, fetched once: the run's entries not
    invoiced yet, by engagement line.

    The entries are read without a join and matched to their projects here:
    right after collect, PostgreSQL's statistics still say that no entry is in
    a run, and a join with the projects is planned as a scan of the projects
    per entry."""

    def __init__(self, env, run, lines):
        self.env = env
        self.run = run
        self._expenses = None  # expenses(), read when first asked
        self.lines = lines
        self.lines_by_engagement = {line.engagement_id.id: line for line in lines}
        self.engagement_ids = list(self.lines_by_engagement)
        # SQL: a plain read of the run's entries, ordered, as dicts (the ORM
        # would build a record per entry for values read once).
        env["account.analytic.line"].flush_model()
        env["account.move"].flush_model(["state"])
        env.cr.execute(
            SQL(
                """
                SELECT id, date, unit_amount, name, employee_id, project_id,
                       task_id, agency_rate_state, agency_billed_amount
                  FROM account_analytic_line line
                 WHERE agency_run_id = %s
                   AND %s
              ORDER BY date, id
                """,
                run.id,
                not_invoiced_sql("line"),
            )
        )
        rows = env.cr.dictfetchall()
        projects = (
            env["project.project"]
            .sudo()
            .with_context(active_test=False)
            .browse({row["project_id"] for row in rows if row["project_id"]})
        )
        project_facts = {
            project.id: (project.agency_engagement_id.id, project.active)
            for project in projects
        }
        self.rows = {}
        self.rows_by_line = defaultdict(list)
        for row in rows:
            engagement_id, active = project_facts.get(row["project_id"], (None, True))
            line = self.lines_by_engagement.get(engagement_id)
            if not line:
                continue
            row["agency_engagement_id"] = engagement_id
            row["project_active"] = active
            self.rows[row["id"]] = row
            self.rows_by_line[line].append(row)

    def unapproved(self):
        """[(engagement id, producer id or None, entry ids, hours)]: the
        entries of the period not approved yet, by engagement and producer."""
        env = self.env
        # SQL: grouped by the project's producer, which _read_group reaches
        # only with one more query per run, on collect (a hot path).
        env["account.analytic.line"].flush_model()
        env["project.project"].flush_model(["agency_engagement_id", "user_id"])
        env["account.move"].flush_model(["state"])
        env.cr.execute(
            SQL(
                """
                SELECT project.agency_engagement_id, project.user_id,
                       array_agg(line.id ORDER BY line.id),
                       sum(line.unit_amount)
                  FROM account_analytic_line line
                  JOIN project_project project ON project.id = line.project_id
                 WHERE project.agency_engagement_id = ANY(%(engagements)s)
                   AND line.approval_state IN ('draft', 'submitted', 'rejected')
                   AND %(pilot)s
                   AND %(not_invoiced)s
                   AND line.date <= %(date_to)s
                   AND (%(date_from)s::date IS NULL OR line.date >= %(date_from)s)
              GROUP BY project.agency_engagement_id, project.user_id
                """,
                engagements=self.engagement_ids,
                pilot=entry_sql(env, "line"),
                not_invoiced=not_invoiced_sql("line"),
                date_to=self.run.date_to,
                date_from=self.run.date_from or None,
            )
        )
        return env.cr.fetchall()

    def held(self):
        """[(engagement id, the other run's name, entry ids)]: entries of the
        period that another open run holds (time a retainer period billed is
        not held: its run closed the period)."""
        env = self.env
        # SQL: grouped by the holding run's name, which _read_group reaches
        # only with one more query per run, on collect (a hot path).
        env["account.analytic.line"].flush_model()
        env["project.project"].flush_model(["agency_engagement_id"])
        env["agency.billing.run"].flush_model(["name"])
        env["account.move"].flush_model(["state"])
        env.cr.execute(
            SQL(
                """
                SELECT project.agency_engagement_id, run.name,
                       array_agg(line.id ORDER BY line.id)
                  FROM account_analytic_line line
                  JOIN project_project project ON project.id = line.project_id
                  JOIN agency_billing_run run ON run.id = line.agency_run_id
                 WHERE project.agency_engagement_id = ANY(%(engagements)s)
                   AND line.agency_run_id != %(run)s
                   AND %(not_invoiced)s
                   AND line.agency_retainer_period_id IS NULL
                   AND line.date <= %(date_to)s
              GROUP BY project.agency_engagement_id, run.name
                """,
                engagements=self.engagement_ids,
                not_invoiced=not_invoiced_sql("line"),
                run=self.run.id,
                date_to=self.run.date_to,
            )
        )
        return env.cr.fetchall()

    def long_days(self):
        """{(employee id, day): hours} of the days over LONG_DAY_HOURS of the
        run's people within the run's entries' dates (all their time those
        days, any project).

        Summed in one query and matched to the run's entries by the check: a
        join with the run's days would be planned from statistics that, right
        after collect, still say that no entry is in a run (one index lookup
        per day)."""
        if not self.rows:
            return {}
        days = [row["date"] for row in self.rows.values()]
        employees = list({row["employee_id"] for row in self.rows.values()} - {None})
        return {
            (employee.id, day): hours
            for employee, day, hours in self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", employees),
                    ("date", ">=", min(days)),
                    ("date", "<=", max(days)),
                    ("project_id", "!=", False),
                ],
                ["employee_id", "date:day"],
                ["unit_amount:sum"],
                having=[("unit_amount:sum", ">", LONG_DAY_HOURS)],
                # no order on the groups: ordering by person would join the
                # employees (and their names) for nothing
                order="unit_amount:sum",
            )
        }

    def expenses(self):
        """{run line: its held re-billed expenses not invoiced}, read once."""
        if self._expenses is None:
            Expense = self.env["hr.expense"].sudo()
            expenses = Expense.search(
                [
                    ("agency_run_id", "=", self.run.id),
                    *EXPENSE_NOT_INVOICED_DOMAIN,
                    (
                        "agency_project_id.agency_engagement_id",
                        "in",
                        self.engagement_ids,
                    ),
                ],
                order="date, id",
            )
            by_line = defaultdict(lambda: Expense)
            for expense in expenses:
                engagement = expense.agency_project_id.agency_engagement_id
                by_line[self.lines_by_engagement[engagement.id]] |= expense
            self._expenses = by_line
        return self._expenses

    def expenses_with_receipt(self):
        """The ids of the held expenses that have a receipt attached."""
        expenses = self.env["hr.expense"].sudo()
        for held in self.expenses().values():
            expenses |= held
        return {
            res_id
            for [res_id] in self.env["ir.attachment"]
            .sudo()
            ._read_group(
                [("res_model", "=", "hr.expense"), ("res_id", "in", expenses.ids)],
                ["res_id"],
            )
        }
