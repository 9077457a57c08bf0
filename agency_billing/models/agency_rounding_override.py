"""Per-task rounding overrides of an engagement: a task, or every task with a
tag (e.g. "Meetings"), rounded with its own increment and method instead of
the engagement's. How they are applied: ``rounding_scopes``."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .agency_engagement import METHOD_LABELS
from .billing_rules import INCREMENTS, METHODS


class AgencyRoundingOverride(models.Model):
    _name = "agency.rounding.override"
    _description = "Agency Rounding Override"
    _order = "engagement_id, id"
    _check_company_auto = True

    engagement_id = fields.Many2one(
        "agency.engagement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="engagement_id.company_id", store=True)
    task_id = fields.Many2one(
        "project.task",
        check_company=True,
        help="The task rounded its own way (or give a tag).",
    )
    tag_id = fields.Many2one(
        "project.tags",
        string="Task Tag",
        help="Every task with this tag is rounded this way (a task's own "
        "override comes first).",
    )
    increment = fields.Selection(
        [(str(minutes), f"{minutes} min") for minutes in INCREMENTS],
        string="Round To",
        required=True,
        default="30",
    )
    method = fields.Selection(
        [(key, METHOD_LABELS[key]) for key in METHODS],
        string="Rounding",
        required=True,
        default="up",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._agency_check_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._agency_check_vals(vals)
        return super().write(vals)

    def _agency_check_vals(self, vals):
        """A clear refusal of an increment or method not in the lists (a
        selection would say only 'wrong value')."""
        what = ", ".join(self.mapped("display_name")) or "(new)"
        increment = vals.get("increment")
        if increment is not None:
            if str(increment) not in map(str, INCREMENTS):
                raise ValidationError(
                    self.env._(
                        "Rounding override %(name)s: %(value)s minutes is not a "
                        "rounding increment. Use one of %(allowed)s minutes.",
                        name=what,
                        value=increment,
                        allowed=", ".join(map(str, INCREMENTS)),
                    )
                )
            vals["increment"] = str(increment)
        method = vals.get("method")
        if method is not None and method not in METHODS:
            raise ValidationError(
                self.env._(
                    "Rounding override %(name)s: rounding %(value)s is unknown. "
                    "Use up, nearest or down.",
                    name=what,
                    value=method,
                )
            )

    @api.constrains("task_id", "tag_id", "engagement_id")
    def _check_target(self):
        for override in self:
            engagement = override.engagement_id
            if bool(override.task_id) == bool(override.tag_id):
                raise ValidationError(
                    self.env._(
                        "Rounding override of %(engagement)s: name either a task "
                        "or a task tag (one of the two).",
                        engagement=engagement.display_name,
                    )
                )
            task = override.task_id
            if task and task.project_id.agency_engagement_id != engagement:
                raise ValidationError(
                    self.env._(
                        "Rounding override of %(engagement)s: task %(task)s is "
                        "not on a project of this engagement. Attach its "
                        "project to the engagement or pick one of its tasks.",
                        engagement=engagement.display_name,
                        task=task.display_name,
                    )
                )

    @api.depends("task_id", "tag_id", "increment")
    def _compute_display_name(self):
        for override in self:
            target = override.task_id.display_name or override.tag_id.display_name
            override.display_name = f"{target or '?'}: {override.increment} min"

    def _agency_source(self):
        """Where the rule comes from, for the entry's explanation."""
        self.ensure_one()
        if self.task_id:
            return f"override for task {self.task_id.display_name}"
        return f"override for tag {self.tag_id.display_name}"
