"""Expenses re-billed to the client by billing runs, with their receipts.

An approved expense marked *Re-bill to client* on a project of an engagement is
collected by the next billing run of that engagement (like approved time), and
becomes a line of the engagement's invoice: one per expense, or one per expense
category (the engagement's ``expense_grouping``). The expense's receipts are
copied onto the invoice, so the accountant finishes it and the client receives
it with them.

What an expense bills, in the engagement's currency:

* its cost: its total without the taxes the company recovers (what Odoo's own
  re-invoicing of expenses bills; the invoice adds the client's taxes on top).
  An expense in the engagement's currency bills its own amount; any other is
  converted from the company's currency at the rate of the expense's date (the
  day the money was spent, not the invoice's);
* plus the markup, inside the price: the category's own markup when it has one
  (``agency_expense_markup_set``), otherwise the engagement's.

"Approved" means approved by the manager: the states ``approved`` (report
approved, its journal entry draft or posted) and ``done`` (reimbursed or paid).

Never twice: a run takes only expenses no open run holds (one UPDATE), and an
invoice line takes only expenses not invoiced (one UPDATE, checked). A credit
note reversing the line, or cancelling the draft invoice, frees them again.
"""

from collections import namedtuple
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount
from odoo.tools.misc import format_date

from odoo.addons.agency_timesheet.server_fields import (
    check_server_fields,
    field_labels,
)

from .billing_rules import marked_up
from .billing_status import EXPENSE_NOT_INVOICED_DOMAIN, expense_not_invoiced_sql

BILLING = "agency_timesheet.group_agency_billing"
# Expense states that mean "approved by the manager".
APPROVED_STATES = ("approved", "done")
# What an invoice bills of an expense: refused once it is invoiced.
BILLED_FIELDS = {
    "agency_project_id",
    "agency_rebill",
    "currency_id",
    "date",
    "price_unit",
    "product_id",
    "quantity",
    "tax_ids",
    "total_amount",
    "total_amount_currency",
}
# Set by billing runs and invoices only (SQL, or as superuser): a client's
# create or write that carries one is refused.
SERVER_FIELDS = {"agency_run_id", "agency_invoice_line_id", "agency_engagement_id"}

# One invoice line of expenses: the expenses, their category, the cost and the
# markup (%), and the price (cost plus markup).
ExpenseLine = namedtuple("ExpenseLine", "ids category cost markup price")


def expense_lines(facts, grouping, digits=2):
    """The invoice lines of expenses.

    :param facts: dicts with id, category, cost (in the invoice's currency,
        rounded) and markup (percent), in invoice order
    :param grouping: 'expense' (one line each) or 'category' (one line per
        category and markup, the markup applied to the sum of the costs)
    :return: [ExpenseLine], in the order of their first expense
    """
    groups = {}
    for fact in facts:
        key = (
            fact["id"] if grouping == "expense" else (fact["category"], fact["markup"])
        )
        groups.setdefault(key, []).append(fact)
    lines = []
    for members in groups.values():
        cost = sum((Decimal(str(f["cost"])) for f in members), Decimal(0))
        markup = members[0]["markup"] or 0.0
        lines.append(
            ExpenseLine(
                ids=[f["id"] for f in members],
                category=members[0]["category"],
                cost=cost,
                markup=markup,
                price=marked_up(cost, markup, digits),
            )
        )
    return lines


class HrExpense(models.Model):
    _inherit = "hr.expense"

    agency_project_id = fields.Many2one(
        "project.project",
        string="Project",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="The client project this expense was spent for. Re-billed expenses "
        "go on the invoice of the project's engagement.",
    )
    agency_rebill = fields.Boolean(
        string="Re-bill to Client",
        tracking=True,
        help="Billing runs of the project's engagement invoice this expense to the "
        "client once it is approved, with its receipts.",
    )
    agency_engagement_id = fields.Many2one(
        related="agency_project_id.agency_engagement_id",
        string="Engagement",
        groups=BILLING,
    )
    agency_run_id = fields.Many2one(
        "agency.billing.run",
        string="Billing Run",
        index="btree_not_null",
        copy=False,
        readonly=True,
        groups=BILLING,
        help="The billing run that holds this expense: it is in no other run "
        "until this one invoices it, lets it go or is cancelled.",
    )
    agency_invoice_line_id = fields.Many2one(
        "account.move.line",
        string="Invoice Line",
        index="btree_not_null",
        copy=False,
        readonly=True,
        ondelete="set null",
        groups=BILLING,
        help="The client invoice line that re-bills this expense.",
    )

    @api.constrains("agency_rebill", "agency_project_id")
    def _check_agency_rebill(self):
        for expense in self.sudo():
            if not expense.agency_rebill:
                continue
            if not expense.agency_project_id:
                raise ValidationError(
                    self.env._(
                        "Expense %(expense)s is to be re-billed to the client but "
                        "has no project: choose the client project it was spent "
                        "for, or untick Re-bill to Client.",
                        expense=expense._agency_describe(),
                    )
                )
            if not expense.agency_project_id.agency_engagement_id:
                raise ValidationError(
                    self.env._(
                        "Expense %(expense)s is to be re-billed but project "
                        "%(project)s is on no engagement, so no invoice would "
                        "take it: ask Billing to attach the project to the "
                        "client's engagement, or untick Re-bill to Client.",
                        expense=expense._agency_describe(),
                        project=expense.agency_project_id.display_name,
                    )
                )
            # sale_expense (when installed) re-invoices through a sales order.
            order = expense._fields.get("sale_order_id") and expense.sale_order_id
            if order:
                raise ValidationError(
                    self.env._(
                        "Expense %(expense)s is re-invoiced through sales order "
                        "%(order)s: it cannot also be re-billed by an engagement. "
                        "Remove the sales order from the expense, or untick "
                        "Re-bill to Client.",
                        expense=expense._agency_describe(),
                        order=order.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._agency_check_server_fields(vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        self._agency_check_server_fields([vals])
        if set(vals) & BILLED_FIELDS and not self.env.su:
            self._agency_check_not_invoiced()
        held = {}
        if "agency_rebill" in vals or "agency_project_id" in vals:
            held = {
                expense: expense.agency_engagement_id
                for expense in self.sudo()
                if expense.agency_run_id and not expense.agency_invoice_line_id
            }
        result = super().write(vals)
        # No longer re-billed, or now on another engagement: the run lets it go.
        released = self.sudo().browse(
            expense.id
            for expense, engagement in held.items()
            if not expense.agency_rebill or expense.agency_engagement_id != engagement
        )
        if released:
            released._agency_release()
        return result

    def unlink(self):
        self._agency_check_not_invoiced()
        return super().unlink()

    def _agency_check_server_fields(self, vals_list, create=False):
        check_server_fields(
            self,
            SERVER_FIELDS,
            vals_list,
            lambda sent: self.env._(
                "%(fields)s of expenses are set by billing runs and invoices, "
                "never directly. Tick Re-bill to Client and choose the project: "
                "the engagement's next billing run takes the expense.",
                fields=field_labels(self, sent),
            ),
            create=create,
        )

    def _agency_check_not_invoiced(self):
        invoiced = self.sudo().filtered("agency_invoice_line_id")
        if invoiced:
            moves = invoiced.agency_invoice_line_id.move_id
            raise UserError(
                self.env._(
                    "These expenses are re-billed on invoice %(invoices)s: "
                    "%(expenses)s. What they bill (amount, category, date, project, "
                    "re-billing) changes only through a credit note on that invoice "
                    "(or by cancelling it while it is a draft).",
                    invoices=", ".join(moves.mapped("display_name")),
                    expenses="; ".join(e._agency_describe() for e in invoiced),
                )
            )

    def _agency_describe(self):
        """'Taxi to the shoot (Dani, 12 Mar 2026, 45.00 €)'."""
        self.ensure_one()
        return self.env._(
            "%(name)s (%(who)s, %(day)s, %(amount)s)",
            name=self.name or self.product_id.display_name or "",
            who=self.employee_id.name or "",
            day=format_date(self.env, self.date) if self.date else "…",
            amount=format_amount(
                self.env, self.total_amount_currency, self.currency_id
            ),
        )

    # -- billing runs: collect --

    @api.model
    def _agency_collect(self, run, engagements):
        """Hold, for run, the approved re-billed expenses of the engagements'
        projects dated up to its period end that are not invoiced and held by
        no open run (one UPDATE: a concurrent run that took them first makes
        this one fail and try again without them). Expenses held by a cancelled
        run are free. Returns how many expenses the run holds to bill."""
        # SQL: a bulk UPDATE that takes the rows no other run holds (the
        # concurrent run fails on it and retries).
        self.env["hr.expense"].flush_model()
        self.env["project.project"].flush_model(["agency_engagement_id"])
        self.env["agency.billing.run"].flush_model(["state"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE hr_expense expense
                   SET agency_run_id = %(run)s
                  FROM project_project project
                 WHERE project.id = expense.agency_project_id
                   AND project.agency_engagement_id = ANY(%(engagements)s)
                   AND expense.agency_rebill
                   AND expense.state IN %(states)s
                   AND expense.company_id = %(company)s
                   AND %(not_invoiced)s
                   AND expense.date <= %(date_to)s
                   AND (%(date_from)s::date IS NULL OR expense.date >= %(date_from)s)
                   AND (expense.agency_run_id IS NULL
                        OR expense.agency_run_id IN (
                            SELECT id FROM agency_billing_run WHERE state = 'cancel'))
             RETURNING expense.id
                """,
                run=run.id,
                not_invoiced=expense_not_invoiced_sql("expense"),
                engagements=engagements.ids,
                states=APPROVED_STATES,
                company=run.company_id.id,
                date_to=run.date_to,
                date_from=run.date_from or None,
            )
        )
        taken = self.sudo().browse(row[0] for row in self.env.cr.fetchall())
        taken.invalidate_recordset(["agency_run_id"], flush=False)
        taken.modified(["agency_run_id"])
        return self.sudo().search_count(
            [("agency_run_id", "=", run.id), *EXPENSE_NOT_INVOICED_DOMAIN]
        )

    def _agency_release(self):
        """Let held, not invoiced expenses go (one UPDATE)."""
        # SQL: a bulk UPDATE (write() would check and write record by record).
        self.env["hr.expense"].flush_model(["agency_run_id", "agency_invoice_line_id"])
        self.modified(["agency_run_id"], before=True)
        self.env.cr.execute(
            SQL(
                """
                UPDATE hr_expense expense SET agency_run_id = NULL
                 WHERE id = ANY(%s) AND %s
                """,
                self.ids,
                expense_not_invoiced_sql("expense"),
            )
        )
        self.invalidate_recordset(["agency_run_id"], flush=False)
        self.modified(["agency_run_id"])

    @api.model
    def _agency_held(self, run_line):
        """The expenses of a run line (its engagement in its run), not invoiced."""
        return self.sudo().search(
            [
                ("agency_run_id", "=", run_line.run_id.id),
                (
                    "agency_project_id.agency_engagement_id",
                    "=",
                    run_line.engagement_id.id,
                ),
                *EXPENSE_NOT_INVOICED_DOMAIN,
            ],
            order="date, id",
        )

    # -- billing runs: invoice --

    def _agency_markup(self, engagement):
        """The markup (%) of this expense: its category's own, or the
        engagement's."""
        self.ensure_one()
        template = self.product_id.product_tmpl_id.sudo()
        if template.agency_expense_markup_set:
            return template.agency_expense_markup
        return engagement.expense_markup

    def _agency_cost(self, currency, company):
        """What this expense cost, without recoverable taxes, in currency: its
        own amount when it is in currency, else its company amount converted at
        the rate of its date."""
        self.ensure_one()
        if self.currency_id == currency:
            return currency.round(self.untaxed_amount_currency)
        net = self.total_amount - self.tax_amount
        return self.company_currency_id._convert(
            net, currency, company, self.date or fields.Date.context_today(self)
        )

    def _agency_original(self, currency, company):
        """'120.00 $ = 110.52 € at the rate of 12 Mar 2026' for an expense in
        another currency than currency; '' otherwise."""
        self.ensure_one()
        if self.currency_id == currency:
            return ""
        return self.env._(
            "%(original)s = %(converted)s at the rate of %(day)s",
            original=format_amount(
                self.env, self.untaxed_amount_currency, self.currency_id
            ),
            converted=format_amount(
                self.env, self._agency_cost(currency, company), currency
            ),
            day=format_date(self.env, self.date) if self.date else "…",
        )

    @api.model
    def _agency_invoice_items(self, run_line):
        """The invoice lines of a run line's held expenses: one per expense or
        per category, priced cost plus markup; linking one marks its expenses
        invoiced and copies their receipts onto the invoice."""
        expenses = self._agency_held(run_line)
        if not expenses:
            return []
        engagement = run_line.engagement_id
        currency = engagement.currency_id
        company = engagement.company_id
        facts = [
            {
                "id": expense.id,
                "category": expense.product_id.id,
                "cost": expense._agency_cost(currency, company),
                "markup": expense._agency_markup(engagement),
            }
            for expense in expenses
        ]
        by_id = expenses.grouped("id")
        items = []
        for line in expense_lines(
            facts, engagement.expense_grouping, currency.decimal_places
        ):
            members = self.browse(line.ids).sudo()
            values = {
                "product_id": by_id[line.ids[0]].product_id.id,
                "product_uom_id": False,
                "name": self._agency_line_label(members, line, engagement),
                "quantity": 1.0,
                "price_unit": float(line.price),
            }
            items.append(
                (values, lambda invoice_line, e=members: e._agency_link(invoice_line))
            )
        return items

    @api.model
    def _agency_line_label(self, expenses, line, engagement):
        currency = engagement.currency_id
        company = engagement.company_id
        env = self.env
        if len(expenses) == 1 and engagement.expense_grouping == "expense":
            expense = expenses
            label = env._(
                "%(name)s — %(who)s, %(day)s",
                name=expense.name or expense.product_id.display_name,
                who=expense.employee_id.name,
                day=format_date(env, expense.date),
            )
        else:
            days = expenses.mapped("date")
            label = env._(
                "%(category)s: %(count)s expenses, %(start)s to %(end)s",
                category=expenses[:1].product_id.display_name,
                count=len(expenses),
                start=format_date(env, min(days)),
                end=format_date(env, max(days)),
            )
            details = [
                env._(
                    "• %(name)s, %(day)s: %(amount)s",
                    name=expense.name,
                    day=format_date(env, expense.date),
                    amount=format_amount(
                        env, expense._agency_cost(currency, company), currency
                    ),
                )
                for expense in expenses
            ]
            label = "\n".join([label, *details])
        originals = [
            text
            for text in (e._agency_original(currency, company) for e in expenses)
            if text
        ]
        if originals:
            label = "\n".join(
                [label, env._("In another currency: %s", "; ".join(originals))]
            )
        if line.markup:
            label = "\n".join(
                [
                    label,
                    env._(
                        "Cost %(cost)s + %(markup)s%% markup",
                        cost=format_amount(env, float(line.cost), currency),
                        markup=f"{line.markup:g}",
                    ),
                ]
            )
        return label

    def _agency_link(self, invoice_line):
        """Mark these expenses invoiced on invoice_line (only those not
        invoiced: one UPDATE, checked) and copy their receipts onto its
        invoice."""
        # SQL: a bulk UPDATE of the rows still not invoiced, checked by its
        # row count (a concurrent run's invoice took none of them).
        self.env["hr.expense"].flush_model(["agency_invoice_line_id"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE hr_expense expense SET agency_invoice_line_id = %s
                 WHERE id = ANY(%s) AND %s
                """,
                invoice_line.id,
                self.ids,
                expense_not_invoiced_sql("expense"),
            )
        )
        if self.env.cr.rowcount != len(self):
            raise UserError(
                self.env._(
                    "Some expenses of %(line)s were invoiced by another run "
                    "meanwhile: check again.",
                    line=invoice_line.name.splitlines()[0],
                )
            )
        self.invalidate_recordset(["agency_invoice_line_id"], flush=False)
        self.modified(["agency_invoice_line_id"])
        self._agency_attach_receipts(invoice_line.move_id)

    def _agency_receipts(self):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", "hr.expense"), ("res_id", "in", self.ids)],
                order="res_id, id",
            )
        )

    def _agency_attach_receipts(self, move):
        """Copy the receipts of these expenses onto move (once per file)."""
        Attachment = self.env["ir.attachment"].sudo()
        present = set(
            Attachment.search(
                [("res_model", "=", "account.move"), ("res_id", "=", move.id)]
            ).mapped("checksum")
        )
        for receipt in self._agency_receipts():
            if receipt.checksum in present:
                continue
            present.add(receipt.checksum)
            receipt.with_context(sync_attachment=False).copy(
                {"res_model": "account.move", "res_id": move.id}
            )

    @api.model
    def _agency_invoice_receipts(self, move):
        """The receipts on move that came from the expenses it re-bills."""
        expenses = self.sudo().search(
            [("agency_invoice_line_id.move_id", "=", move.id)]
        )
        if not expenses:
            return self.env["ir.attachment"]
        checksums = set(expenses._agency_receipts().mapped("checksum"))
        return (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "account.move"), ("res_id", "=", move.id)])
            .filtered(lambda a: a.checksum in checksums)
        )

    # -- credit notes and cancelled invoices --

    @api.model
    def _agency_free_invoiced(self, invoice_lines, reason):
        """Let the expenses re-billed on invoice_lines be billed again (one
        UPDATE), with a note on each expense saying why."""
        expenses = self.sudo().search(
            [("agency_invoice_line_id", "in", invoice_lines.ids)]
        )
        if not expenses:
            return expenses
        # SQL: one bulk UPDATE for any number of expenses, told to the ORM as
        # write() would: before (the old invoice lines and runs) and after.
        expenses.flush_recordset(["agency_invoice_line_id", "agency_run_id"])
        expenses.modified(["agency_invoice_line_id", "agency_run_id"], before=True)
        self.env.cr.execute(
            SQL(
                """
                UPDATE hr_expense
                   SET agency_invoice_line_id = NULL, agency_run_id = NULL
                 WHERE id = ANY(%s)
                """,
                expenses.ids,
            )
        )
        expenses.invalidate_recordset(
            ["agency_invoice_line_id", "agency_run_id"], flush=False
        )
        expenses.modified(["agency_invoice_line_id", "agency_run_id"])
        for expense in expenses:
            expense.message_post(
                body=self.env._(
                    "Free to be re-billed again: %(reason)s", reason=reason or ""
                )
            )
        return expenses
