"""What the pre-billing checks of one run read, fetched once (agency_billing_check.py).

A plain Python class, not a model: built by ``_agency_run_checks`` and handed to
every ``_agency_check_<code>`` method (the extension point), which read its
``run``, ``lines``, ``lines_by_engagement``, ``engagement_ids``, ``rows`` and
``rows_by_line`` and may keep what they fetch on it (as the expense checks do).
"""

from collections import defaultdict

from odoo.tools import SQL

from .billing_status import not_invoiced_sql


class CheckContext:
    """What the checks of one run read, fetched once: the run's entries not
    invoiced yet, by engagement line.

    The entries are read without a join and matched to their projects here:
    right after collect, PostgreSQL's statistics still say that no entry is in
    a run, and a join with the projects is planned as a scan of the projects
    per entry."""

    def __init__(self, env, run, lines):
        self.run = run
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
