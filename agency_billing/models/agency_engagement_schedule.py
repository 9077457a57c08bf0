"""The billing schedule of a fixed fee: milestones of the project, or dates,
each with a share of the fee.

The lines of the fee itself share it by percentages that add up to 100; a change
order's lines share the change the same way. Amounts are split by
:func:`.billing_rules.schedule_amounts`, so that they add up exactly. A line is
due on its date, or when its milestone is reached; billing runs invoice the due
lines not invoiced yet.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date

from .billing_rules import due_schedule_lines, schedule_amounts
from .server_fields import check_server_fields

# Which run holds a line and which invoice line bills it: set by the
# conveyor only (server_fields.py).
SCHEDULE_SERVER_FIELDS = {"run_id", "invoice_line_id"}


class AgencyEngagementSchedule(models.Model):
    _name = "agency.engagement.schedule"
    _description = "Agency Fixed-fee Schedule Line"
    _order = "engagement_id, change_order_id desc, sequence, id"

    engagement_id = fields.Many2one(
        "agency.engagement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="engagement_id.company_id", store=True)
    currency_id = fields.Many2one(related="engagement_id.currency_id")
    change_order_id = fields.Many2one(
        "agency.change.order",
        ondelete="cascade",
        index="btree_not_null",
        help="Empty for a share of the fee itself; set for a share of a change order.",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Description", required=True)
    trigger = fields.Selection(
        [("date", "On a date"), ("milestone", "At a milestone")],
        required=True,
        default="date",
    )
    date_due = fields.Date(string="Due")
    milestone_id = fields.Many2one(
        "project.milestone",
        domain="[('project_id.agency_engagement_id', '=', engagement_id)]",
    )
    percent = fields.Float(string="Share (%)", digits=(16, 4), required=True)
    amount = fields.Monetary(
        currency_field="currency_id", compute="_compute_amount", store=True
    )
    run_id = fields.Many2one(
        "agency.billing.run", index="btree_not_null", copy=False, readonly=True
    )
    invoice_line_id = fields.Many2one(
        "account.move.line", copy=False, readonly=True, ondelete="set null"
    )
    state = fields.Selection(
        [("planned", "Planned"), ("due", "Due"), ("invoiced", "Invoiced")],
        compute="_compute_state",
    )

    @api.depends(
        "percent",
        "engagement_id.fee_amount",
        "engagement_id.schedule_line_ids.percent",
        "change_order_id.amount",
        "change_order_id.schedule_line_ids.percent",
    )
    def _compute_amount(self):
        for parent, lines in self.grouped(
            lambda line: line.change_order_id or line.engagement_id
        ).items():
            siblings = (
                parent.schedule_line_ids
                if parent._name == "agency.change.order"
                else parent.schedule_line_ids.filtered(lambda x: not x.change_order_id)
            ).sorted(lambda x: (x.sequence, x.id or 0))
            total = (
                parent.amount
                if parent._name == "agency.change.order"
                else (parent.fee_amount)
            )
            percents = [line.percent for line in siblings]
            try:
                amounts = schedule_amounts(total or 0.0, percents)
            except ValueError:
                amounts = [
                    (total or 0.0) * percent / 100 for percent in percents
                ]  # not 100 % yet: refused on save (_check_percentages)
            by_line = dict(zip(siblings, amounts, strict=True))
            for line in lines:
                line.amount = float(by_line.get(line, 0.0))

    def _compute_state(self):
        for line in self:
            if line.invoice_line_id:
                line.state = "invoiced"
            elif line._agency_is_due(fields.Date.context_today(line)):
                line.state = "due"
            else:
                line.state = "planned"

    def _agency_is_due(self, day):
        self.ensure_one()
        return bool(
            due_schedule_lines(
                [
                    (
                        self.id,
                        self.date_due if self.trigger == "date" else None,
                        self.milestone_id.id if self.trigger == "milestone" else None,
                        bool(self.invoice_line_id),
                    )
                ],
                day,
                done_milestones={self.milestone_id.id}
                if self.milestone_id.sudo().is_reached
                else set(),
            )
        )

    @api.constrains("trigger", "date_due", "milestone_id", "percent")
    def _check_line(self):
        for line in self:
            if line.trigger == "date" and not line.date_due:
                raise ValidationError(
                    self.env._(
                        "Schedule line %(name)s of %(engagement)s needs a due date.",
                        name=line.name,
                        engagement=line.engagement_id.display_name,
                    )
                )
            if line.trigger == "milestone" and not line.milestone_id:
                raise ValidationError(
                    self.env._(
                        "Schedule line %(name)s of %(engagement)s needs a milestone.",
                        name=line.name,
                        engagement=line.engagement_id.display_name,
                    )
                )
            if line.percent <= 0 or line.percent > 100:
                raise ValidationError(
                    self.env._(
                        "Schedule line %(name)s: its share must be above 0 %% and "
                        "at most 100 %%.",
                        name=line.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_server_fields(self, SCHEDULE_SERVER_FIELDS, vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        check_server_fields(self, SCHEDULE_SERVER_FIELDS, [vals])
        if self.filtered("invoice_line_id") and set(vals) - {
            "invoice_line_id",
            "run_id",
        }:
            raise UserError(
                self.env._(
                    "Schedule lines already invoiced cannot change (%(names)s): "
                    "add a change order instead.",
                    names=", ".join(self.filtered("invoice_line_id").mapped("name")),
                )
            )
        return super().write(vals)

    def unlink(self):
        if self.filtered("invoice_line_id"):
            raise UserError(
                self.env._(
                    "Schedule lines already invoiced cannot be deleted: add a "
                    "change order instead."
                )
            )
        return super().unlink()

    # -- billing runs --

    @api.model
    def _agency_collect(self, run, engagements):
        """Hold the due, not invoiced schedule lines of the fixed-fee
        engagements (a line held by another open run is left to it)."""
        fixed = engagements.filtered(lambda e: e.kind == "fixed_fee")
        if not fixed:
            return 0
        candidates = self.search(
            [
                ("engagement_id", "in", fixed.ids),
                ("invoice_line_id", "=", False),
                "|",
                ("run_id", "=", False),
                ("run_id", "=", run.id),
            ]
        )
        due = candidates.filtered(lambda line: line._agency_is_due(run.date_to))
        due.sudo().run_id = run
        return len(due)

    @api.model
    def _agency_invoice_items(self, run_line):
        lines = self.search(
            [
                ("engagement_id", "=", run_line.engagement_id.id),
                ("run_id", "=", run_line.run_id.id),
                ("invoice_line_id", "=", False),
            ]
        )
        return [
            (line._agency_invoice_line_values(), lambda il, x=line: x._agency_link(il))
            for line in lines
        ]

    def _agency_link(self, invoice_line):
        self.sudo().invoice_line_id = invoice_line

    def _agency_invoice_line_values(self):
        self.ensure_one()
        engagement = self.engagement_id
        when = (
            self.milestone_id.name
            if self.trigger == "milestone"
            else format_date(self.env, self.date_due)
        )
        label = self.env._(
            "%(engagement)s — %(name)s (%(percent)s %% of %(what)s, %(when)s)",
            engagement=engagement.name,
            name=self.name,
            percent=f"{self.percent:g}",
            what=self.change_order_id.display_name or self.env._("the fee"),
            when=when,
        )
        return {
            "product_id": engagement.product_id.id,
            "name": label,
            "quantity": 1.0,
            "price_unit": self.amount,
            "product_uom_id": False,
        }
