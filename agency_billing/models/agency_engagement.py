"""Engagements: the billing terms of a client and the projects attached to it.

A project joins the billing conveyor by being attached to an engagement; its
approved time is then collected by billing runs, rounded per entry by the
engagement's policy and invoiced on native Odoo invoices. Projects billed
through sales orders (sale_timesheet) stay on that path: one project, one path.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount

from .audited_fields import TERMS_AUDITED
from .billing_rules import GROUPINGS, INCREMENTS, METHODS, billed_minutes, overrun
from .confidential import check_named
from .engagement_rules import ledger_html, terms_error, values_error
from .invoice_terms import Conversion
from .invoiceable_checks import check_invoiceable

GROUPING_LABELS = {
    "project": "One line per project",
    "task": "One line per task",
    "role": "One line per role",
    "employee": "One line per person",
    "entry": "One line per entry",
}
METHOD_LABELS = {"up": "Up", "nearest": "To the nearest", "down": "Down"}


class AgencyEngagement(models.Model):
    _name = "agency.engagement"
    _description = "Agency Engagement"
    _inherit = "mail.thread"
    _order = "partner_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="Who is invoiced: its commercial entity (the company, not a contact).",
    )
    kind = fields.Selection(
        [
            ("time_materials", "Time & materials"),
            ("fixed_fee", "Fixed fee"),
            ("retainer", "Retainer"),
        ],
        required=True,
        default="time_materials",
        tracking=True,
        help="Time & materials: approved time is billed at the rate cards.\n"
        "Fixed fee: the fee is billed by its schedule; time is priced at the "
        "cards for margins, and effort beyond the fee is written off.\n"
        "Retainer: a fee per period for included hours, with rollover and "
        "overage.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        tracking=True,
        default=lambda self: self.env.company.currency_id,
        help="The currency of this engagement's invoices. Rates in another "
        "currency are converted at the invoice date.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term", check_company=True, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Billing Owner",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="Who runs the pre-billing checks of this engagement, decides "
        "write-ups and write-downs and marks it reviewed.",
    )
    date_start = fields.Date(string="Start", tracking=True)
    date_end = fields.Date(string="End", tracking=True)
    cap_amount = fields.Monetary(
        string="Not-to-exceed Cap",
        currency_field="currency_id",
        tracking=True,
        help="The most this engagement may invoice in total (0: no cap). A run "
        "that would go past it has a blocking check.",
    )
    grouping = fields.Selection(
        [(key, GROUPING_LABELS[key]) for key in GROUPINGS],
        string="Invoice Lines",
        required=True,
        default="task",
    )
    rounding_increment = fields.Selection(
        [(str(minutes), f"{minutes} min") for minutes in INCREMENTS],
        string="Round To",
        required=True,
        default="15",
        help="Billed time is each entry's raw time rounded to this many minutes. "
        "Raw time is never changed.",
    )
    rounding_method = fields.Selection(
        [(key, METHOD_LABELS[key]) for key in METHODS],
        string="Rounding",
        required=True,
        default="nearest",
    )
    rounding_scope = fields.Selection(
        [
            ("entry", "Per entry"),
            ("person_day", "Per person, task and day"),
            ("line", "Per invoice line"),
        ],
        required=True,
        default="entry",
        help="What is rounded: each entry alone, a person's day on a task, or "
        "an invoice line. A group's rounded total is shared back onto its "
        "entries so that they add up to it exactly. Raw time is never changed.",
    )
    rounding_minimum = fields.Integer(
        string="Minimum per Entry (min)",
        help="An entry shorter than this many minutes counts as this long "
        "before rounding (0: no minimum).",
    )
    rounding_override_ids = fields.One2many(
        "agency.rounding.override",
        "engagement_id",
        string="Rounding Overrides",
        help="Tasks, or tasks with a tag (e.g. Meetings), rounded their own way.",
    )
    multiplier_ids = fields.One2many(
        "agency.rate.multiplier",
        "engagement_id",
        string="Rate Multipliers",
        help="Weekend, public holiday, outside working hours or rush work billed "
        "at a multiple of the found rate.",
    )
    # issue 19: blended rates are rate lines; discounts, contract exchange
    # rates and phase budgets are applied by invoice_terms / check_phase_budgets
    blended_rate_ids = fields.One2many("agency.rate", "engagement_id", "Blended Rates")
    discount_percent = fields.Float(
        string="Discount (%)", digits=(16, 2), tracking=True
    )
    discount_basis = fields.Selection(
        [("hours", "Billed hours"), ("amount", "Amount")],
        string="Discount On",
        default="hours",
        help="What the volume tiers count.",
    )
    discount_period = fields.Selection(
        [("month", "Per calendar month"), ("invoice", "Per invoice")],
        string="Volume Counted",
        required=True,
        default="month",
        help="Per calendar month: the tier the month's invoices reach together "
        "(credit notes deducted). Per invoice: each invoice alone.",
    )
    discount_tier_ids = fields.One2many(
        "agency.discount.tier", "engagement_id", string="Volume Discount"
    )
    contract_rate_ids = fields.One2many(
        "agency.contract.rate", "engagement_id", string="Contract Exchange Rates"
    )
    phase_budget_ids = fields.One2many(
        "agency.phase.budget", "engagement_id", string="Phase Budgets"
    )
    project_ids = fields.One2many(
        "project.project", "agency_engagement_id", string="Projects"
    )
    product_id = fields.Many2one(
        "product.product",
        string="Invoice Product",
        required=True,
        default=lambda self: self.env.ref(
            "agency_billing.product_agency_time", raise_if_not_found=False
        ),
        help="The product on the invoice lines: its income account and taxes apply.",
    )
    invoice_ids = fields.One2many("account.move", "agency_engagement_id", readonly=True)
    invoice_count = fields.Integer(compute="_compute_invoiced")
    invoiced_amount = fields.Monetary(
        compute="_compute_invoiced",
        currency_field="currency_id",
        help="Invoiced so far, credit notes deducted (cancelled invoices left out).",
    )
    note = fields.Html()
    # Re-billed expenses (hr_expense.py)
    expense_markup = fields.Float(
        string="Expense Markup (%)",
        digits=(16, 2),
        tracking=True,
        help="Added to the cost of re-billed expenses, unless their category has "
        "its own markup.",
    )
    expense_grouping = fields.Selection(
        [("expense", "One line per expense"), ("category", "One line per category")],
        string="Expense Lines",
        required=True,
        default="expense",
    )

    # -- fixed fee --
    fee_amount = fields.Monetary(
        string="Fee",
        currency_field="currency_id",
        tracking=True,
        help="The fixed fee agreed at the start; change orders raise (or lower) it.",
    )
    fee_total = fields.Monetary(
        string="Fee with Change Orders",
        currency_field="currency_id",
        compute="_compute_fee_total",
    )
    schedule_line_ids = fields.One2many(
        "agency.engagement.schedule", "engagement_id", string="Billing Schedule"
    )
    change_order_ids = fields.One2many(
        "agency.change.order", "engagement_id", string="Change Orders"
    )
    overrun_amount = fields.Monetary(
        string="Written Off (Over-run)",
        currency_field="currency_id",
        compute="_compute_overrun_amount",
        help="Effort beyond the fee, at the rate cards, written off by billing "
        "runs: never billed.",
    )

    # -- retainer --
    retainer_period = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly")],
        string="Period",
        default="month",
    )
    period_fee = fields.Monetary(
        string="Fee per Period", currency_field="currency_id", tracking=True
    )
    included_hours = fields.Float(digits="Product Unit of Measure", tracking=True)
    rollover_periods = fields.Integer(
        string="Rollover (periods)",
        tracking=True,
        help="0: unused hours expire at the end of their period. N: they can be "
        "used during the N following periods (oldest first), then expire.",
    )
    overage_rate_kind = fields.Selection(
        [("cards", "Rate cards"), ("fixed", "Fixed rate")],
        string="Overage Priced At",
        default="cards",
        help="Rate cards: hours beyond what is available are billed at the rates "
        "of the period's entries (their average). Fixed rate: at the rate below.",
    )
    overage_rate = fields.Monetary(currency_field="currency_id", tracking=True)
    overage_billing = fields.Selection(
        [("period", "Each period"), ("end", "At the end")],
        string="Bill Overage",
        default="period",
    )
    fee_timing = fields.Selection(
        [("advance", "In advance"), ("arrears", "In arrears")],
        string="Bill the Fee",
        default="advance",
        help="In advance: a period's fee is billed by the run whose period end "
        "reaches the period's first day. In arrears: once the period is over.",
    )
    retainer_period_ids = fields.One2many(
        "agency.retainer.period", "engagement_id", string="Ledger"
    )

    # -- confidentiality (the rules: confidential.py) --
    confidential = fields.Boolean(
        help="Only the named people log time on and see this engagement's "
        "projects (Billing and Administrators see all); entry notes never reach "
        "its invoices, ledger mails or exports, and are anonymised sooner.",
    )
    confidential_user_ids = fields.Many2many(
        "res.users",
        "agency_engagement_confidential_user_rel",
        "engagement_id",
        "user_id",
        string="Named People",
        domain="[('share', '=', False)]",
    )
    confidential_retention_months = fields.Integer(
        string="Anonymise Notes After (months)",
        default=6,
        help="Entry descriptions on this engagement's projects, once on or before "
        "the lock date and older than this, are anonymised by the retention "
        "purge (hours and amounts stay).",
    )

    _sql_constraints = [  # noqa: RUF012 (Odoo reads this list)
        (
            "cap_positive",
            "CHECK(cap_amount IS NULL OR cap_amount >= 0)",
            "A not-to-exceed cap cannot be negative (0 means no cap).",
        ),
        (
            "expense_markup_positive",
            "CHECK(expense_markup IS NULL OR expense_markup >= 0)",
            "An expense markup cannot be negative (0 means at cost).",
        ),
        (
            "discount_percent_range",
            "CHECK(discount_percent BETWEEN 0 AND 100)",
            "A discount is a percentage from 0 to 100.",
        ),
    ]

    @api.depends("invoice_ids.state", "invoice_ids.amount_untaxed_signed")
    def _compute_invoiced(self):
        for engagement in self:
            moves = engagement.invoice_ids.filtered(lambda m: m.state != "cancel")
            engagement.invoice_count = len(moves)
            engagement.invoiced_amount = sum(
                move.amount_untaxed * (-1 if move.move_type == "out_refund" else 1)
                for move in moves
            )

    @api.depends("fee_amount", "change_order_ids.amount")
    def _compute_fee_total(self):
        for engagement in self:
            engagement.fee_total = engagement.fee_amount + sum(
                engagement.change_order_ids.mapped("amount")
            )

    def _compute_overrun_amount(self):
        Adjustment = self.env["agency.billing.adjustment"]
        totals = dict(
            Adjustment._read_group(
                [("engagement_id", "in", self.ids), ("reason", "=", "overrun")],
                ["engagement_id"],
                ["amount:sum"],
            )
        )
        for engagement in self:
            engagement.overrun_amount = totals.get(engagement, 0.0)

    @api.constrains(
        "kind",
        "fee_amount",
        "period_fee",
        "included_hours",
        "rollover_periods",
        "date_start",
        "overage_rate_kind",
        "overage_rate",
    )
    def _check_kind_terms(self):
        for engagement in self:
            error = terms_error(self.env._, engagement.display_name, engagement)
            if error:
                raise ValidationError(error)

    @api.constrains("kind", "schedule_line_ids", "fee_amount")
    def _check_schedule(self):
        for engagement in self.filtered(lambda e: e.kind == "fixed_fee"):
            percents = engagement.schedule_line_ids.filtered(
                lambda line: not line.change_order_id
            ).mapped("percent")
            if abs(sum(percents) - 100) > 0.0001:
                raise ValidationError(
                    self.env._(
                        "The billing schedule of %(name)s shares %(total)s %% of "
                        "the fee: its lines must add up to 100 %% (milestones or "
                        "dates, each with its share).",
                        name=engagement.display_name,
                        total=f"{sum(percents):g}",
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for engagement in self:
            if (
                engagement.date_start
                and engagement.date_end
                and engagement.date_end < engagement.date_start
            ):
                raise ValidationError(
                    self.env._(
                        "Engagement %(name)s ends before it starts: set its end "
                        "on or after its start.",
                        name=engagement.display_name,
                    )
                )

    @api.constrains("confidential", "confidential_user_ids")
    def _check_confidential_people(self):
        check_named(self)

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        partner = self.partner_id.commercial_partner_id
        if partner.property_payment_term_id:
            self.payment_term_id = partner.property_payment_term_id
        pricelist = partner.property_product_pricelist
        if pricelist.currency_id:
            self.currency_id = pricelist.currency_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_values(vals)
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        engagements = super().create(vals_list)
        self.env["agency.audit"]._log_created(
            "terms", engagements, TERMS_AUDITED, self.env._("Engagements created")
        )
        return engagements

    def write(self, vals):
        self._check_values(vals)
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals["partner_id"] = partner.commercial_partner_id.id
        audited = set(vals) & set(TERMS_AUDITED)
        if not audited:
            return super().write(vals)
        Audit = self.env["agency.audit"]
        before = Audit._snapshot(self, audited)
        result = super().write(vals)
        Audit._log_snapshot_changes(
            "terms", self, before, reason=self.env.context.get("agency_reason")
        )
        return result

    def _check_values(self, vals):
        """Clear messages for values a selection would refuse with a bare
        'wrong value' (imports, RPC): engagement_rules.values_error."""
        name = vals.get("name") or ", ".join(self.mapped("display_name")) or "(new)"
        error = values_error(self.env._, name, vals)
        if error:
            raise ValidationError(error)
        if vals.get("rounding_increment") is not None:
            vals["rounding_increment"] = str(vals["rounding_increment"])

    # -- what billing runs do with it --

    def _agency_bills_time(self):
        """Whether approved time is invoiced by the hour (time & materials):
        billing runs collect (hold and round) it only then."""
        self.ensure_one()
        return self.kind == "time_materials"

    def _agency_record_overrun(self, run_line):
        """A fixed fee's effort beyond the fee, at the rate cards, is written
        off in the run (never billed): the run's over-run write-off is set to
        what earlier runs have not written off yet."""
        self.ensure_one()
        if self.kind != "fixed_fee":
            return
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("agency_engagement_id", "=", self.id),
                    ("approval_state", "=", "approved"),
                    ("agency_rate_state", "=", "priced"),
                    ("date", "<=", run_line.run_id.date_to),
                ],
                ["agency_rate_currency_id"],
                ["agency_amount:sum"],
                # groups in no order: ordering by currency would join them
                order="agency_amount:sum",
            )
        )
        conversion = Conversion(self, run_line.run_id.invoice_date)  # contract rate
        effort = sum(
            (amount or 0.0) * conversion.factor(currency.id)
            for currency, amount in groups
        )
        Adjustment = self.env["agency.billing.adjustment"]
        mine = run_line.adjustment_ids.filtered(lambda a: a.reason == "overrun")
        earlier = sum(
            Adjustment.search(
                [
                    ("engagement_id", "=", self.id),
                    ("reason", "=", "overrun"),
                    ("run_line_id", "!=", run_line.id),
                ]
            ).mapped("amount")
        )
        due = self.currency_id.round(overrun(self.fee_total, effort) - earlier)
        note = self.env._(
            "Effort %(effort)s at the rate cards, beyond the fee of %(fee)s",
            effort=format_amount(self.env, effort, self.currency_id),
            fee=format_amount(self.env, self.fee_total, self.currency_id),
        )
        if due <= 0:
            mine.unlink()
        elif mine:
            mine[0].write({"amount": due, "note": note})
        else:
            Adjustment.create(
                {
                    "run_line_id": run_line.id,
                    "direction": "down",
                    "basis": "amount",
                    "amount": due,
                    "reason": "overrun",
                    "note": note,
                    "billable": False,
                    "user_id": self.env.uid,
                }
            )

    # -- rounding --

    def _agency_billed_minutes(self, raw_hours):
        self.ensure_one()
        return billed_minutes(
            raw_hours, int(self.rounding_increment), self.rounding_method
        )

    # -- invoicing prerequisites --

    def _agency_check_invoiceable(self):
        """Refuse, with the way out, an engagement whose invoice Odoo could not
        post (:func:`.invoiceable_checks.check_invoiceable`)."""
        check_invoiceable(self)

    # -- screens --

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("agency_engagement_id", "=", self.id)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    def action_refresh_ledger(self):
        """Ledger rows for the retainer's periods up to today."""
        self.env["agency.retainer.period"]._agency_ensure_periods(
            self, fields.Date.context_today(self)
        )
        return True

    def _agency_ledger_html(self):
        """The retainer's period ledger as an HTML table, for the client."""
        self.ensure_one()
        return ledger_html(
            self.env._,
            self.name,
            self.included_hours,
            [
                (
                    period.label,
                    period.opening_hours,
                    period.included_hours,
                    period.used_hours,
                    period.rolled_over_hours,
                    period.expired_hours,
                    period.overage_hours,
                    period.billed_overage_hours,
                )
                for period in self.retainer_period_ids.sorted("date_start")
            ],
        )

    def action_send_ledger(self):
        """Open a message to the client with the ledger as a table."""
        self.ensure_one()
        self.action_refresh_ledger()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_partner_ids": self.partner_id.ids,
                "default_subject": self.env._(
                    "%(name)s: retainer hours", name=self.name
                ),
                "default_body": self._agency_ledger_html(),
            },
        }

    def action_view_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_billing.account_analytic_line_action_raw_billed"
        )
        action["domain"] = [("project_id", "in", self.project_ids.ids)]
        return action
