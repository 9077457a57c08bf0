"""The phase budget checks of a run (``agency_billing_check.py``'s
``_agency_check_phase_budget`` and ``_agency_check_phase_budget_warning``):
what each phase has billed before (invoiced entries, credit notes freed
excluded) and what this run adds, in one query for the run; the verdict is
``phase_budgets.budget_status``."""

from odoo.tools import SQL

from .billing_status import invoiced_sql, not_invoiced_sql
from .check_rules import hours_text
from .phase_budgets import budget_status


def phase_usage(context):
    """[(budget, before, this run, entry ids of this run)] of the run's
    engagements' phase budgets, kept on the context once read."""
    usage = getattr(context, "_phase_budgets", None)
    if usage is not None:
        return usage
    env = context.env
    budgets = (
        env["agency.phase.budget"]
        .sudo()
        .search([("engagement_id", "in", context.engagement_ids)])
    )
    usage = context._phase_budgets = []
    if not budgets:
        return usage
    env["agency.phase.budget"].flush_model()
    env["project.task"].flush_model(["tag_ids", "stage_id"])
    # SQL: the sums of every budget's phase in one query (a task, the tasks
    # with a tag or in a stage, on the engagement's projects), before and in
    # this run.
    env.cr.execute(
        SQL(
            """
            SELECT budget.id,
                   sum(CASE WHEN %(invoiced)s THEN
                       CASE WHEN budget.basis = 'hours' THEN line.agency_billed_hours
                            ELSE line.agency_billed_amount END END),
                   sum(CASE WHEN line.agency_run_id = %(run)s AND %(open)s THEN
                       CASE WHEN budget.basis = 'hours' THEN line.agency_billed_hours
                            ELSE line.agency_billed_amount END END),
                   array_agg(line.id) FILTER (WHERE line.agency_run_id = %(run)s
                                                AND %(open)s)
              FROM agency_phase_budget budget
              JOIN project_project project
                ON project.agency_engagement_id = budget.engagement_id
              JOIN account_analytic_line line
                ON line.project_id = project.id
               AND (line.task_id = budget.task_id
                    OR EXISTS (SELECT 1 FROM project_tags_project_task_rel tag
                                WHERE tag.project_task_id = line.task_id
                                  AND tag.project_tags_id = budget.tag_id)
                    OR EXISTS (SELECT 1 FROM project_task task
                                WHERE task.id = line.task_id
                                  AND task.stage_id = budget.stage_id))
             WHERE budget.id = ANY(%(budgets)s)
          GROUP BY budget.id
            """,
            invoiced=invoiced_sql("line"),
            open=not_invoiced_sql("line"),
            run=context.run.id,
            budgets=budgets.ids,
        )
    )
    sums = {row[0]: row[1:] for row in env.cr.fetchall()}
    for budget in budgets:
        before, this_run, ids = sums.get(budget.id, (0.0, 0.0, None))
        usage.append((budget, float(before or 0), float(this_run or 0), ids or []))
    return usage


def phase_budget_checks(checks, context, code):
    """The check rows of `code` ("phase_budget": past the budget, blocking;
    "phase_budget_warning": at 80 % or more)."""
    wanted = "over" if code == "phase_budget" else "warning"
    env = checks.env
    found = []
    for budget, before, this_run, ids in phase_usage(context):
        if budget_status(budget.limit, before, this_run) != wanted:
            continue
        line = context.lines_by_engagement[budget.engagement_id.id]
        unit = "h" if budget.basis == "hours" else budget.currency_id.symbol or ""
        values = {
            "phase": budget.display_name,
            "engagement": budget.engagement_id.display_name,
            "run": f"{hours_text(this_run)} {unit}",
            "before": f"{hours_text(before)} {unit}",
            "limit": f"{hours_text(budget.limit)} {unit}",
            "share": f"{(before + this_run) / budget.limit:.0%}",
        }
        if wanted == "over":
            message = env._(
                "%(engagement)s: phase %(phase)s would bill %(run)s after %(before)s "
                "already billed, past its budget of %(limit)s (%(share)s). Write "
                "down or exclude entries, or raise the phase budget with the "
                "client.",
                **values,
            )
        else:
            message = env._(
                "%(engagement)s: phase %(phase)s reaches %(share)s of its budget of "
                "%(limit)s with this run (%(run)s after %(before)s).",
                **values,
            )
        found.append((line, code, message, ids, None))
    return found
