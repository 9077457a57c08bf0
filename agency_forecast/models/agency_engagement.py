"""Margins of an engagement: the figures the early warnings read, and the
engagement form's Margin tab (Billing and Administrators only); its billing
cadence for the cash forecast (forecast_sources.py)."""

from odoo import api, fields, models

from ..profitability import Totals, breakage, earned_value, kpis
from ..report import margin_upkeep
from ..report.margin_upkeep import aligned

BILLING = "agency_timesheet.group_agency_billing"


class AgencyEngagement(models.Model):
    _name = "agency.engagement"
    _inherit = ["agency.engagement", "agency.margin.marker"]  # noqa: RUF012 (Odoo reads this list)
    # an engagement's terms are on every one of its facts
    _agency_margin_fields = ("partner_id", "kind", "currency_id", "expense_markup")

    def _agency_margin_mark(self):
        engagements = self.sudo()
        margin_upkeep.mark_projects(self.env, engagements.project_ids.ids)
        margin_upkeep.mark_engagements(self.env, engagements.ids)

    margin_revenue = fields.Monetary(
        string="Revenue",
        compute="_compute_margin",
        currency_field="margin_currency_id",
        groups=BILLING,
    )
    margin_cost = fields.Monetary(
        string="Cost",
        compute="_compute_margin",
        currency_field="margin_currency_id",
        groups=BILLING,
    )
    margin_amount = fields.Monetary(
        string="Margin",
        compute="_compute_margin",
        currency_field="margin_currency_id",
        groups=BILLING,
    )
    margin_percent = fields.Float(
        string="Margin (%)", compute="_compute_margin", digits=(16, 1), groups=BILLING
    )
    margin_earned = fields.Monetary(
        string="Earned Value",
        compute="_compute_margin",
        currency_field="margin_currency_id",
        groups=BILLING,
        help="Fixed fee: the fee with change orders × the share of the "
        "estimated effort (the projects' allocated hours) done.",
    )
    margin_breakage = fields.Monetary(
        string="Breakage",
        compute="_compute_margin",
        currency_field="margin_currency_id",
        groups=BILLING,
        help="Retainer: the value of expired hours (paid for, never worked).",
    )
    margin_write_downs = fields.Monetary(
        string="Written Down",
        compute="_compute_margin",
        currency_field="margin_currency_id",
        groups=BILLING,
    )
    margin_cost_unknown_hours = fields.Float(
        string="Hours at Unknown Cost",
        compute="_compute_margin",
        digits=(16, 2),
        groups=BILLING,
        help="Hours of people with neither a cost rate nor an hourly cost: not "
        "in the cost (never counted as 0). Set their hourly cost.",
    )
    margin_revenue_unknown_hours = fields.Float(
        string="Invoiced Outside, Amount Unknown",
        compute="_compute_margin",
        digits=(16, 2),
        groups=BILLING,
        help="Hours imported as invoiced outside Odoo whose file gave neither "
        "an amount nor a rate: not in the revenue (never counted as 0), so the "
        "margin leaves them out rather than showing a loss.",
    )
    margin_fx_difference = fields.Monetary(
        string="FX Difference vs Daily Rate",
        compute="_compute_margin",
        currency_field="margin_currency_id",
        groups=BILLING,
        help="What the contract exchange rate gives over the day's rate "
        "(negative: less), for invoiced time and for time not invoiced yet "
        "(valued at the contract rate covering its date); the revenue is at "
        "the contract rate.",
    )
    margin_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    forecast_cadence = fields.Selection(
        [("monthly", "Monthly"), ("quarterly", "Quarterly")],
        string="Billing Cadence",
        default="monthly",
        required=True,
        help="How often billing runs invoice this engagement: the forecast bills "
        "work done in a period at the run after the period's end.",
    )
    forecast_days_after_set = fields.Boolean(
        string="Set Days After Period End",
        help="Unticked: the forecast learns the usual days between a period's end "
        "and its invoice from past runs (their median).",
    )
    forecast_days_after = fields.Integer(
        string="Days After Period End",
        help="Days between a period's end and its invoice, when set by hand.",
    )

    _sql_constraints = [  # noqa: RUF012 (Odoo reads this list)
        (
            "forecast_days_after_positive",
            "CHECK(forecast_days_after IS NULL OR forecast_days_after >= 0)",
            (
                "Days after period end cannot be negative: an invoice comes "
                "after the period it bills."
            ),
        ),
    ]

    @api.depends_context("company")
    def _compute_margin(self):
        figures = self._agency_margin_figures()
        for engagement in self:
            row = figures.get(engagement.id, {})
            engagement.margin_revenue = row.get("revenue", 0.0)
            engagement.margin_cost = row.get("cost", 0.0)
            engagement.margin_amount = row.get("margin", 0.0)
            engagement.margin_percent = row.get("margin_percent") or 0.0
            engagement.margin_earned = row.get("earned", 0.0)
            engagement.margin_breakage = row.get("breakage", 0.0)
            engagement.margin_write_downs = row.get("write_downs", 0.0)
            engagement.margin_cost_unknown_hours = row.get("cost_unknown_hours", 0.0)
            engagement.margin_revenue_unknown_hours = row.get(
                "revenue_unknown_hours", 0.0
            )
            engagement.margin_fx_difference = row.get("fx_difference", 0.0)

    @api.readonly
    def _agency_margin_figures(self, date_from=None, date_to=None):
        """{engagement id: figures} for the engagements in self, in the
        company's currency, from the margin facts (one definition:
        agency_forecast/profitability.py):

        revenue, cost, margin, billed (invoiced, credit notes deducted),
        write_downs (write-downs and over-run write-offs, positive),
        cost_unknown_hours, revenue_unknown_hours (invoiced outside Odoo,
        amount unknown), fx_difference (contract exchange rate over the day's
        rate); and margin_percent, realization, effective_rate,
        billable_share, hours, earned (fixed fee), breakage (retainer).
        """
        ids = [id_ for id_ in self.ids if id_]
        if not ids:
            return {}
        domain = [("engagement_id", "in", ids)]
        if date_from:
            domain.append(("date", ">=", date_from))
        if date_to:
            domain.append(("date", "<=", date_to))
        # the weekly facts when the period is whole weeks within months (a
        # month, a year), else the margin view, exact to the day
        weekly = aligned(fields.Date.to_date(date_from), fields.Date.to_date(date_to))
        Fact = self.env["agency.margin.week" if weekly else "agency.margin.fact"]
        totals = Fact._agency_totals(domain, ["engagement_id"])
        engagements = self.browse(ids).sudo()
        extra = engagements._agency_earned_and_breakage(date_from, date_to)
        result = {}
        for engagement in engagements:
            row = kpis(totals.get(engagement, Totals()))
            row.update(extra.get(engagement.id, {}))
            result[engagement.id] = row
        return result

    def _agency_earned_and_breakage(self, date_from=None, date_to=None):
        """{engagement id: {earned, overrun_hours, breakage, breakage_hours}}:
        a fixed fee's earned value, a retainer's expired hours and their
        value (in the company's currency at the period's end or date_to)."""
        result = {}
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        fixed = self.filtered(lambda e: e.kind == "fixed_fee")
        if fixed:
            domain = [("engagement_id", "in", fixed.ids), ("kind", "=", "time")]
            if date_to:
                domain.append(("date", "<=", date_to))
            hours = dict(
                self.env["agency.margin.fact"]
                .sudo()
                ._read_group(domain, ["engagement_id"], ["hours:sum"])
            )
            for engagement in fixed:
                estimate = sum(engagement.project_ids.mapped("allocated_hours"))
                fee = engagement.currency_id._convert(
                    engagement.fee_total,
                    engagement.company_id.currency_id,
                    engagement.company_id,
                    date_to or fields.Date.context_today(self),
                )
                earned, over = earned_value(fee, hours.get(engagement, 0.0), estimate)
                result[engagement.id] = {"earned": earned, "overrun_hours": over}
        for engagement in self.filtered(lambda e: e.kind == "retainer"):
            value = expired = 0.0
            for period in engagement.retainer_period_ids:
                if date_from and period.date_end < date_from:
                    continue
                if date_to and period.date_end > date_to:
                    continue
                expired += period.expired_hours
                value += engagement.currency_id._convert(
                    breakage(
                        period.expired_hours,
                        engagement.period_fee,
                        period.included_hours,
                    ),
                    engagement.company_id.currency_id,
                    engagement.company_id,
                    period.date_end,
                )
            result[engagement.id] = {"breakage": value, "breakage_hours": expired}
        return result

    def action_agency_margin_facts(self):
        """The margin facts of this engagement, in the pivot."""
        self.ensure_one()
        return self.env["agency.margin.week"]._agency_action(
            [("engagement_id", "=", self.id)]
        )
