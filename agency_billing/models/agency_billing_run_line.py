"""One engagement in a billing run: its totals, checks, review and invoice."""

from collections import defaultdict
from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from . import entry_sql
from .billing_rules import invoice_groups
from .distribution_memo import remembered
from .invoice_create import create_invoices
from .invoice_labels import InvoiceLabels
from .invoice_terms import (
    Conversion,
    discount_command,
    discount_value,
    prefill_amounts,
)
from .server_fields import check_server_fields

# Set by the run's own steps only (server_fields.py): its state and review,
# its totals.
LINE_SERVER_FIELDS = {
    "state",
    "reviewed_by_id",
    "reviewed_on",
    "error_message",
    "entry_count",
    "raw_hours",
    "billed_hours",
    "amount",
    "adjustment_amount",
    "total",
}

LINE_STATES = [
    ("review", "To Review"),
    ("reviewed", "Reviewed"),
    ("invoiced", "Invoiced"),
]


class AgencyBillingRunLine(models.Model):
    _name = "agency.billing.run.line"
    _description = "Agency Billing Run Engagement"
    _order = "run_id, partner_id, engagement_id"
    _rec_name = "engagement_id"

    run_id = fields.Many2one(
        "agency.billing.run", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    engagement_id = fields.Many2one(
        "agency.engagement", required=True, ondelete="restrict", index=True
    )
    partner_id = fields.Many2one(
        related="engagement_id.partner_id", store=True, string="Client"
    )
    user_id = fields.Many2one(related="engagement_id.user_id", string="Billing Owner")
    currency_id = fields.Many2one(related="engagement_id.currency_id")
    rounding = fields.Char(compute="_compute_rounding")
    state = fields.Selection(LINE_STATES, default="review", required=True)
    entry_count = fields.Integer(string="Entries", readonly=True)
    raw_hours = fields.Float(digits="Product Unit of Measure", readonly=True)
    billed_hours = fields.Float(digits="Product Unit of Measure", readonly=True)
    amount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Billed hours at their rates, in the engagement's currency at the "
        "run's invoice date.",
    )
    adjustment_amount = fields.Monetary(
        string="Adjustments", currency_field="currency_id", readonly=True
    )
    total = fields.Monetary(currency_field="currency_id", readonly=True)
    check_ids = fields.One2many("agency.billing.check", "run_line_id", string="Checks")
    blocking_count = fields.Integer(compute="_compute_check_counts")
    warning_count = fields.Integer(compute="_compute_check_counts")
    adjustment_ids = fields.One2many(
        "agency.billing.adjustment", "run_line_id", string="Write-ups and Write-downs"
    )
    invoice_ids = fields.One2many("account.move", "agency_run_line_id", readonly=True)
    reviewed_by_id = fields.Many2one("res.users", readonly=True)
    reviewed_on = fields.Datetime(readonly=True)
    error_message = fields.Text(
        readonly=True, help="Why the last attempt to invoice this engagement failed."
    )
    expense_ids = fields.Many2many(
        "hr.expense",
        compute="_compute_expense_ids",
        string="Expenses",
        help="The re-billed expenses this run holds for the engagement.",
    )

    _sql_constraints = [  # noqa: RUF012 (Odoo reads this list)
        (
            "engagement_once",
            "UNIQUE(run_id, engagement_id)",
            "An engagement appears once in a billing run.",
        ),
    ]

    @api.depends("engagement_id.rounding_increment", "engagement_id.rounding_method")
    def _compute_rounding(self):
        for line in self:
            engagement = line.engagement_id
            texts = {
                "up": self.env._("Up to %(minutes)s min"),
                "nearest": self.env._("Nearest %(minutes)s min"),
                "down": self.env._("Down to %(minutes)s min"),
            }
            text = texts.get(engagement.rounding_method)
            line.rounding = (
                text % {"minutes": engagement.rounding_increment} if text else False
            )

    @api.depends("check_ids.state", "check_ids.severity")
    def _compute_check_counts(self):
        for line in self:
            open_checks = line.check_ids.filtered(lambda c: c.state == "open")
            line.blocking_count = len(
                open_checks.filtered(lambda c: c.severity == "blocking")
            )
            line.warning_count = len(open_checks) - line.blocking_count

    @api.depends("run_id", "engagement_id")
    def _compute_expense_ids(self):
        Expense = self.env["hr.expense"].sudo()
        for line in self:
            line.expense_ids = Expense.search(
                [
                    ("agency_run_id", "=", line.run_id.id),
                    (
                        "agency_project_id.agency_engagement_id",
                        "=",
                        line.engagement_id.id,
                    ),
                ],
                order="date, id",
            )

    # -- totals --

    def _agency_refresh_totals(self):
        """Entries, raw and billed hours, amount and adjustments of each line,
        with one query for all of them.

        The entries are summed per project (one _read_group) and the projects
        matched to the lines here: right after collect, PostgreSQL's statistics
        still say that no entry is in a run, and a join in SQL is planned as a
        pass over the run's entries per line."""
        if not self:
            return
        rows = [
            (run.id, project.id, currency.id, count, raw or 0, billed or 0, amount or 0)
            for run, project, currency, count, raw, billed, amount in self.env[
                "account.analytic.line"
            ]
            .sudo()
            ._read_group(
                [("agency_run_id", "in", self.run_id.ids)],
                ["agency_run_id", "project_id", "agency_rate_currency_id"],
                [
                    "__count",
                    "unit_amount:sum",
                    "agency_billed_hours:sum",
                    "agency_billed_amount:sum",
                ],
                # groups in no order: ordering by run, project or currency
                # would join them (the join this method avoids)
                order="__count",
            )
        ]
        projects = (
            self.env["project.project"]
            .sudo()
            .browse({row[1] for row in rows if row[1]})
        )
        engagement_of = {
            project.id: project.agency_engagement_id.id for project in projects
        }
        by_key = {(line.run_id.id, line.engagement_id.id): line for line in self}
        totals = {line.id: [0, 0.0, 0.0, 0.0] for line in self}
        conversions = {
            line.id: Conversion(line.engagement_id, line.run_id.invoice_date)
            for line in self
        }
        for run_id, project_id, currency_id, count, raw, billed, amount in rows:
            line = by_key.get((run_id, engagement_of.get(project_id)))
            if not line:
                continue
            total = totals[line.id]
            total[0] += count
            total[1] += raw
            total[2] += billed
            if currency_id:
                total[3] += amount * conversions[line.id].factor(currency_id)
        for line in self:
            count, raw, billed, amount = totals[line.id]
            adjustments = sum(
                line.adjustment_ids.filtered("billable").mapped("signed_amount")
            )
            if not line.engagement_id._agency_bills_time():
                amount = 0.0  # the time is covered by a fee
            amount += discount_value(line.engagement_id, billed, amount, line.run_id)
            amount += sum(
                values["quantity"] * values["price_unit"]
                for model in line._agency_invoice_providers
                if model != "agency.billing.adjustment"
                for values, _link in line.env[model]._agency_invoice_items(line)
            )
            amount = line.currency_id.round(amount)
            line.sudo().write(
                {
                    "entry_count": count,
                    "raw_hours": raw,
                    "billed_hours": billed,
                    "amount": amount,
                    "adjustment_amount": adjustments,
                    "total": amount + adjustments,
                }
            )

    @api.model_create_multi
    def create(self, vals_list):
        check_server_fields(self, LINE_SERVER_FIELDS, vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        check_server_fields(self, LINE_SERVER_FIELDS, [vals])
        return super().write(vals)

    # -- review --

    def action_mark_reviewed(self):
        for line in self:
            line._agency_check_owner()
            if line.state == "invoiced":
                continue
            if line.blocking_count:
                raise UserError(
                    self.env._(
                        "Engagement %(engagement)s has %(count)s blocking checks "
                        "open: fix them and check again, exclude the entries, or "
                        "adjust, then mark it reviewed.",
                        engagement=line.engagement_id.display_name,
                        count=line.blocking_count,
                    )
                )
        ready = self.filtered(lambda line: line.state == "review")
        ready.sudo().write(
            {
                "state": "reviewed",
                "reviewed_by_id": self.env.uid,
                "reviewed_on": fields.Datetime.now(),
            }
        )
        if ready:
            self.env["agency.audit"]._log_operation(
                "decision", ready, "review", "reviewed", reason=self.env._("Reviewed")
            )
        return True

    def action_reset_review(self):
        self._agency_check_owner()
        reviewed = self.filtered(lambda line: line.state == "reviewed")
        reviewed.sudo().write(
            {"state": "review", "reviewed_by_id": False, "reviewed_on": False}
        )
        if reviewed:
            self.env["agency.audit"]._log_operation(
                "decision",
                reviewed,
                "reviewed",
                "review",
                reason=self.env._("Review reset"),
            )
        return True

    def _agency_check_owner(self):
        """The billing owner reviews an engagement; Agency administrators may
        stand in."""
        if self.env.user.has_group("agency_timesheet.group_agency_admin"):
            return
        for line in self:
            if line.user_id != self.env.user:
                raise UserError(
                    self.env._(
                        "%(owner)s owns the review of engagement %(engagement)s: "
                        "ask them, or an Agency administrator, to mark it.",
                        owner=line.user_id.name,
                        engagement=line.engagement_id.display_name,
                    )
                )

    # -- invoice --

    def _agency_entries_to_invoice(self, entry_ids=None):
        """Lock and read the entries among entry_ids (this engagement's in the
        run) that are still in the run and not invoiced yet, in one query
        (entry_sql.lock_to_invoice says how and why)."""
        self.ensure_one()
        if entry_ids is None:
            entry_ids = self.run_id._agency_entry_ids_by_engagement().get(
                self.engagement_id.id, []
            )
        # SQL: the rows are locked (FOR NO KEY UPDATE NOWAIT) until the
        # invoice takes them; a concurrent run fails instead of waiting.
        return entry_sql.lock_to_invoice(self.env, entry_ids, self.run_id.id)

    def _agency_invoice(self, entry_ids=None):
        """The draft invoice of this engagement: one line per group of entries
        (the engagement's grouping, one price per line), one per adjustment.
        The queries do not grow with the number of entries.

        :param entry_ids: the engagement's entries in the run not invoiced yet
            (run._agency_entry_ids_by_engagement(), read once for the run);
            read here when not given
        """
        self.ensure_one()
        plan = self._agency_invoice_plan(entry_ids)
        if not plan:
            return self.env["account.move"]
        with remembered(self.env):
            move = create_invoices(
                self.env, self.engagement_id.company_id, [plan["vals"]]
            )
            self._agency_invoice_link(move, plan)
        return move

    def _agency_invoice_batch(self, entry_ids):
        """The draft invoices of the engagements in self, created together
        (one create per company). A failure on any engagement fails them all:
        the caller runs it in a savepoint and falls back to _agency_invoice().

        :param entry_ids: {engagement id: its entries in the run not invoiced
            yet}, as run._agency_entry_ids_by_engagement() returns them
        """
        plans = defaultdict(list)
        for line in self:
            plan = line._agency_invoice_plan(entry_ids.get(line.engagement_id.id, []))
            if plan:
                plans[line.engagement_id.company_id].append((line, plan))
        invoices = self.env["account.move"]
        for company, lines_plans in plans.items():
            # Stock looks each line's analytic distribution up on its own:
            # the invoices' lines share their facts (distribution_memo.py).
            with remembered(self.env):
                moves = create_invoices(
                    self.env, company, [plan["vals"] for _line, plan in lines_plans]
                )
                for move, (line, plan) in zip(moves, lines_plans, strict=True):
                    line._agency_invoice_link(move, plan)
            invoices |= moves
        return invoices

    def _agency_invoice_plan(self, entry_ids=None):
        """Lock this engagement's entries and say what its invoice will be:
        {"vals": the account.move values, "groups", "items"} for
        _agency_invoice_link() once the move is created; None (and the line
        marked invoiced) when there is nothing to invoice."""
        self.ensure_one()
        run = self.run_id
        engagement = self.engagement_id
        if entry_ids is None:
            entry_ids = run._agency_entry_ids_by_engagement().get(engagement.id, [])
        rows = self._agency_entries_to_invoice(entry_ids)
        items = self._agency_invoice_items()
        if not rows and not items:
            self._agency_after_invoice()
            self.sudo().state = "invoiced"
            return None
        if not engagement._agency_bills_time():
            rows = []  # the time is covered by a fee
        currency = engagement.currency_id
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        conversion = Conversion(engagement, run.invoice_date)
        facts = []
        for row in rows:
            source = row["agency_rate_currency_id"] or currency.id
            # a multiplier makes its own lines: its rate and label
            rush = row["agency_multiplier_label"]
            facts.append(
                {
                    "id": row["id"],
                    "project": (row["project_id"], rush),
                    "task": (row["project_id"], row["task_id"], rush),
                    "role": (row["role_id"], rush),
                    "employee": (row["employee_id"], rush),
                    "billed_hours": Decimal(str(row["agency_billed_hours"] or 0)),
                    "price_unit": float_round(
                        (row["agency_bill_rate"] or 0.0)
                        * (row["agency_multiplier"] or 1.0)
                        * conversion.factor(source),
                        precision_digits=price_digits,
                    ),
                }
            )
        groups = invoice_groups(facts, engagement.grouping)
        labels = InvoiceLabels(self.env, engagement.grouping, rows)
        hour = self.env.ref("uom.product_uom_hour")
        by_id = {row["id"]: row for row in rows}
        commands = []
        hours = amount = 0.0
        for sequence, group in enumerate(groups, start=1):
            line_amount = float(group.quantity) * float(group.price_unit)
            hours += float(group.quantity)
            amount += line_amount
            source = by_id[group.entry_ids[0]]["agency_rate_currency_id"]
            commands.append(
                Command.create(
                    {
                        "sequence": sequence,
                        "product_id": engagement.product_id.id,
                        "product_uom_id": hour.id,
                        "name": labels.label([by_id[i] for i in group.entry_ids]),
                        "quantity": float(group.quantity),
                        "price_unit": float(group.price_unit),
                        **conversion.line_values(source or currency.id, line_amount),
                    }
                )
            )
        first_item = len(groups) + 1
        for sequence, (values, _link) in enumerate(items, start=first_item):
            commands.append(Command.create({"sequence": sequence, **values}))
        discount = discount_command(
            engagement, hours, amount, first_item + len(items), run
        )
        if discount:
            commands.append(discount)
        vals = {
            "move_type": "out_invoice",
            "partner_id": engagement.partner_id.id,
            "currency_id": currency.id,
            "invoice_date": run.invoice_date,
            "invoice_payment_term_id": engagement.payment_term_id.id,
            "invoice_origin": f"{run.name} · {engagement.name}",
            "agency_run_id": run.id,
            "agency_run_line_id": self.id,
            "agency_engagement_id": engagement.id,
            "invoice_line_ids": prefill_amounts(
                commands, currency, engagement.company_id.currency_id
            ),
        }
        return {"vals": vals, "groups": groups, "items": items}

    def _agency_invoice_link(self, move, plan):
        """Link the entries, adjustments, fees and expenses of the plan to the
        lines of their invoice (move), checking that each time line bills
        exactly its entries' billed hours, and mark the engagement invoiced."""
        self.ensure_one()
        engagement = self.engagement_id
        groups, items = plan["groups"], plan["items"]
        first_item = len(groups) + 1
        invoice_lines = {line.sequence: line for line in move.invoice_line_ids}
        ids, line_ids = [], []
        for sequence, group in enumerate(groups, start=1):
            invoice_line = invoice_lines[sequence]
            if Decimal(str(invoice_line.quantity)) != group.quantity:
                raise UserError(
                    self.env._(
                        "Invoice line %(line)s would bill %(quantity)s h while its "
                        "entries' billed hours add up to %(sum)s h: raise the "
                        "precision of Product Unit of Measure.",
                        line=invoice_line.name,
                        quantity=invoice_line.quantity,
                        sum=group.quantity,
                    )
                )
            ids.extend(group.entry_ids)
            line_ids.extend([invoice_line.id] * len(group.entry_ids))
        for sequence, (_values, link) in enumerate(items, start=first_item):
            link(invoice_lines[sequence])
        # SQL: one bulk UPDATE for all the entries of the invoice
        # (entry_sql.link_to_invoice).
        if ids and entry_sql.link_to_invoice(self.env, move, ids, line_ids) != len(ids):
            raise UserError(
                self.env._(
                    "Some entries of engagement %(engagement)s were invoiced "
                    "by another run meanwhile: check again.",
                    engagement=engagement.display_name,
                )
            )
        self._agency_after_invoice()
        self.sudo().write({"state": "invoiced", "error_message": False})
        return move

    def _agency_after_invoice(self):
        for model in self._agency_invoice_providers:
            after = getattr(self.env[model], "_agency_after_invoice", None)
            if after:
                after(self)

    # Models that add lines of their own to an engagement's invoice, after the
    # time lines: each has _agency_invoice_items(run_line) -> [(invoice line
    # values, link(invoice line))].
    _agency_invoice_providers = (
        "agency.billing.adjustment",
        "agency.engagement.schedule",
        "agency.retainer.period",
        "hr.expense",
    )

    def _agency_invoice_items(self):
        self.ensure_one()
        items = []
        for model in self._agency_invoice_providers:
            items.extend(self.env[model]._agency_invoice_items(self))
        return items

    # -- screens --

    def action_view_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_billing.account_analytic_line_action_raw_billed"
        )
        action["domain"] = [
            ("agency_run_id", "=", self.run_id.id),
            ("project_id.agency_engagement_id", "=", self.engagement_id.id),
        ]
        action["context"] = {"agency_run_id": self.run_id.id}
        return action

    def action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }
