"""Phase budgets: a not-to-exceed per project phase (a task, the tasks with a
tag, or the tasks in a stage) of an engagement, in hours or an amount. Billing
runs check them (``check_phase_budgets``; the rules: ``phase_budgets``)."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .phase_budgets import BASES, budget_error

BILLING = "agency_timesheet.group_agency_billing"


class AgencyPhaseBudget(models.Model):
    _name = "agency.phase.budget"
    _description = "Agency Phase Budget"
    _order = "engagement_id, id"

    engagement_id = fields.Many2one(
        "agency.engagement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="engagement_id.company_id", store=True)
    currency_id = fields.Many2one(related="engagement_id.currency_id")
    task_id = fields.Many2one(
        "project.task",
        ondelete="cascade",
        help="The phase is this task (its billed time).",
    )
    tag_id = fields.Many2one(
        "project.tags",
        string="Task Tag",
        ondelete="cascade",
        help="The phase is every task with this tag on the engagement's projects.",
    )
    stage_id = fields.Many2one(
        "project.task.type",
        string="Task Stage",
        ondelete="cascade",
        help="The phase is every task in this stage (its current stage) on the "
        "engagement's projects.",
    )
    basis = fields.Selection(
        [(key, key.title()) for key in BASES], required=True, default="hours"
    )
    limit = fields.Float(
        string="Not-to-exceed",
        groups=BILLING,
        help="Hours, or an amount in the rates' currency: a run that would bill "
        "past it is blocked, one that reaches 80 % is warned.",
    )

    @api.constrains("task_id", "tag_id", "stage_id", "limit", "engagement_id")
    def _check_budget(self):
        for budget in self.sudo():
            engagement = budget.engagement_id
            error = budget_error(budget.limit)
            stage = budget.stage_id
            if sum(map(bool, (budget.task_id, budget.tag_id, stage))) != 1:
                error = "choose a task, a task tag or a task stage (one of them)"
            elif stage.user_id:
                error = (
                    f"stage {stage.display_name} is a personal stage: choose a "
                    "stage of the projects"
                )
            elif stage.project_ids and not (stage.project_ids & engagement.project_ids):
                error = (
                    f"stage {stage.display_name} is not used by any of this "
                    "engagement's projects"
                )
            elif budget.task_id and budget.task_id.project_id not in (
                engagement.project_ids
            ):
                error = (
                    f"task {budget.task_id.display_name} is on project "
                    f"{budget.task_id.project_id.display_name}, not on one of this "
                    "engagement's projects"
                )
            if error:
                raise ValidationError(
                    self.env._(
                        "Phase budget of %(engagement)s: %(error)s.",
                        engagement=engagement.display_name,
                        error=error,
                    )
                )

    @api.depends("task_id", "tag_id", "stage_id", "basis")
    def _compute_display_name(self):
        for budget in self:
            phase = budget.task_id or budget.tag_id or budget.stage_id
            budget.display_name = phase.display_name or ""
