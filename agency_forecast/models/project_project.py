"""Margins of a project on its form (Billing and Administrators only), from
the margin facts (agency_forecast/profitability.py)."""

from odoo import api, fields, models

from ..profitability import Totals, kpis
from ..report import margin_upkeep

BILLING = "agency_timesheet.group_agency_billing"


class ProjectProject(models.Model):
    _name = "project.project"
    _inherit = ["project.project", "agency.margin.marker"]  # noqa: RUF012 (Odoo reads this list)
    # a project's client and engagement are on every one of its facts
    _agency_margin_fields = ("partner_id", "agency_engagement_id")

    def _agency_margin_mark(self):
        margin_upkeep.mark_projects(self.env, self.ids)
        margin_upkeep.mark_engagements(self.env, self.sudo().agency_engagement_id.ids)

    agency_margin_revenue = fields.Monetary(
        string="Margin Revenue", compute="_compute_agency_margin", groups=BILLING
    )
    agency_margin_cost = fields.Monetary(
        string="Margin Cost", compute="_compute_agency_margin", groups=BILLING
    )
    agency_margin_amount = fields.Monetary(
        string="Margin", compute="_compute_agency_margin", groups=BILLING
    )
    agency_margin_percent = fields.Float(
        string="Margin (%)",
        compute="_compute_agency_margin",
        digits=(16, 1),
        groups=BILLING,
    )
    agency_margin_cost_unknown_hours = fields.Float(
        string="Hours at Unknown Cost",
        compute="_compute_agency_margin",
        digits=(16, 2),
        groups=BILLING,
    )
    agency_margin_revenue_unknown_hours = fields.Float(
        string="Invoiced Outside, Amount Unknown",
        compute="_compute_agency_margin",
        digits=(16, 2),
        groups=BILLING,
        help="Hours imported as invoiced outside Odoo whose file gave neither "
        "an amount nor a rate: not in the revenue (never counted as 0).",
    )

    @api.depends_context("company")
    def _compute_agency_margin(self):
        ids = [id_ for id_ in self.ids if id_]
        totals = (
            self.env["agency.margin.week"]._agency_totals(
                [("project_id", "in", ids)], ["project_id"]
            )
            if ids
            else {}
        )
        for project in self:
            row = kpis(totals.get(project._origin, Totals()))
            project.agency_margin_revenue = row["revenue"]
            project.agency_margin_cost = row["cost"]
            project.agency_margin_amount = row["margin"]
            project.agency_margin_percent = row["margin_percent"] or 0.0
            project.agency_margin_cost_unknown_hours = row["cost_unknown_hours"]
            project.agency_margin_revenue_unknown_hours = row["revenue_unknown_hours"]

    def action_agency_margin_facts(self):
        """The margin facts of this project, in the pivot."""
        self.ensure_one()
        return self.env["agency.margin.week"]._agency_action(
            [("project_id", "=", self.id)]
        )
