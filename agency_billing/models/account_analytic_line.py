"""Prices on timesheet entries: bill rate, amount, cost and why.

Every timesheet entry carries the price the rate cards give it: the matching rate
line, the bill rate and its currency, the amount, the cost per hour and the cost.
Until the entry is approved (or invoiced) the price follows the cards: it is
recomputed when the entry changes and when a rate line that could price it
changes. Approval freezes it; afterwards only the re-rate wizard changes it, with
an audit row per entry. Only Billing and Administrators see any of it.

The price itself is found by the pricing engine (:mod:`.pricing`, which follows
:mod:`.rate_precedence`); this file holds the fields and calls it two ways: the
stored computes, for entries being created or edited, and
:meth:`AccountAnalyticLine._agency_resolve_rates`, which prices any number of
stored entries in batches with a fixed number of queries per batch. Storing,
freezing and releasing prices is :mod:`.repricing`'s, the bulk UPDATEs
:mod:`.entry_sql`'s, the refusals of invoiced entries :mod:`.invoiced_guards`'
and what only the server sets :mod:`.server_fields`'.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from odoo.addons.agency_timesheet.tools import column

from .billing_status import INVOICED_DOMAIN, NOT_INVOICED_DOMAIN, is_invoiced
from .entry_sql import free, sql_written
from .invoiced_guards import (
    CONTENT_FIELDS,
    check_no_invoice_link,
    check_not_invoiced,
    check_not_invoiced_for_approval,
)
from .pricing import (
    NO_PRICE,
    PRICE_FIELDS,
    Pricing,
    facts_of,
    flush_facts,
    ids_by_price,
    real_id,
)
from .repricing import freeze, frozen_approved, price_unfrozen, release, reprice
from .server_fields import BILLING_SERVER_FIELDS

BILLING = "agency_timesheet.group_agency_billing"
# Entries priced per query in _agency_resolve_rates: bounds the memory used.
BATCH_SIZE = 50_000


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    agency_rate_id = fields.Many2one(
        "agency.rate",
        string="Rate Line",
        compute="_compute_agency_price",
        store=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        groups=BILLING,
        help="The rate line that prices this entry: the most specific line "
        "effective on the entry's date.",
    )
    agency_rate_state = fields.Selection(
        [
            ("priced", "Priced"),
            ("missing", "No rate"),
            ("internal", "Not billable"),
        ],
        string="Pricing",
        compute="_compute_agency_price",
        store=True,
        copy=False,
        index="btree_not_null",
        groups=BILLING,
        help="Priced: a rate line prices it. No rate: it could be billed but no "
        "rate line applies; it blocks billing until one does (never billed at 0). "
        "Not billable: its project has no customer (internal time); it only has "
        "a cost.",
    )
    # Amounts are Float, not Monetary: flushing a Monetary field reads its
    # currency record by record, which made creating many entries measurably
    # slower. Each value is rounded in its currency when computed, and the
    # views show them with the monetary widget.
    agency_bill_rate = fields.Float(
        string="Bill Rate",
        compute="_compute_agency_price",
        store=True,
        copy=False,
        groups=BILLING,
        help="Billed per hour, in the rate line's currency.",
    )
    agency_rate_currency_id = fields.Many2one(
        "res.currency",
        string="Rate Currency",
        compute="_compute_agency_price",
        store=True,
        copy=False,
        groups=BILLING,
    )
    agency_amount = fields.Float(
        string="Bill Amount",
        compute="_compute_agency_amounts",
        store=True,
        copy=False,
        groups=BILLING,
        help="Hours × bill rate, in the rate's currency, before rounding and "
        "adjustments. Converted into the invoice's currency at the invoice date.",
    )
    agency_cost_rate = fields.Float(
        string="Cost Rate",
        compute="_compute_agency_price",
        store=True,
        copy=False,
        groups=BILLING,
        help="Cost per hour in the company's currency: the rate line's cost rate "
        "if it has one, else the person's hourly cost; converted at the entry's "
        "date.",
    )
    agency_cost_source = fields.Selection(
        [("rate", "Rate line"), ("employee", "Person's hourly cost")],
        string="Cost From",
        compute="_compute_agency_price",
        store=True,
        copy=False,
        groups=BILLING,
    )
    agency_cost = fields.Float(
        string="Cost",
        compute="_compute_agency_amounts",
        store=True,
        copy=False,
        groups=BILLING,
        help="Hours × cost rate, in the company's currency.",
    )
    agency_rate_frozen = fields.Boolean(
        string="Rate Frozen",
        copy=False,
        index=True,
        groups=BILLING,
        help="Set when the entry is approved or invoiced: later changes to the "
        "rate cards leave its price alone. Only a re-rate changes it.",
    )
    agency_rate_reason = fields.Char(
        string="Why This Rate",
        compute="_compute_agency_rate_reason",
        groups=BILLING,
        help="The rate line that prices the entry, in words, or why none does.",
    )

    @api.depends(
        "date",
        "company_id",
        "project_id.partner_id.commercial_partner_id",
        "employee_id.hourly_cost",
        "role_id",
    )
    def _compute_agency_price(self):
        flags = column(self, "agency_rate_frozen")
        live = self.browse(
            [id_ for id_, frozen in zip(self._ids, flags, strict=True) if not frozen]
        )
        facts = facts_of(live)
        pricing = Pricing.for_facts(self.env, facts)
        prices = pricing.price(facts) if pricing else {}
        # One assignment per distinct price: entries share few prices.
        groups = ids_by_price({id_: prices.get(id_, NO_PRICE) for id_ in live._ids})
        for price, ids in groups.items():
            lines = live.browse(ids)
            lines.agency_rate_currency_id = price.currency_id
            lines.agency_rate_state = price.state
            lines.agency_rate_id = price.rate_id
            lines.agency_bill_rate = price.bill_rate
            lines.agency_cost_source = price.cost_source
            lines.agency_cost_rate = price.cost_rate
        # A frozen price stays as stored; an entry edited in a form keeps its
        # saved one.
        for line in (self - live).filtered(lambda line: not line.id):
            for name in PRICE_FIELDS.values():
                line[name] = line._origin[name]

    @api.depends(
        "unit_amount",
        "agency_bill_rate",
        "agency_cost_rate",
        "agency_rate_currency_id",
        "currency_id",
    )
    def _compute_agency_amounts(self):
        """Hours × rates, rounded in their currencies (frozen entries too: a
        frozen rate applies to the hours the entry has)."""
        groups = defaultdict(list)
        for id_, *key in zip(
            self._ids,
            column(self, "unit_amount"),
            column(self, "agency_bill_rate"),
            column(self, "agency_rate_currency_id"),
            column(self, "agency_cost_rate"),
            column(self, "currency_id"),
            strict=True,
        ):
            groups[tuple(key)].append(id_)
        Currency = self.env["res.currency"]
        for (
            hours,
            bill_rate,
            currency,
            cost_rate,
            company_currency,
        ), ids in groups.items():
            lines = self.browse(ids)
            amount, cost = bill_rate * hours, cost_rate * hours
            currency, company_currency = real_id(currency), real_id(company_currency)
            lines.agency_amount = (
                Currency.browse(currency).round(amount) if currency else amount
            )
            lines.agency_cost = (
                Currency.browse(company_currency).round(cost)
                if company_currency
                else cost
            )

    @api.depends(
        "agency_rate_state",
        "agency_rate_id",
        "project_id",
        "employee_id",
        "role_id",
        "date",
    )
    @api.depends_context("lang")
    def _compute_agency_rate_reason(self):
        _ = self.env._
        for line in self:
            state = line.agency_rate_state
            if state == "priced":
                line.agency_rate_reason = line.agency_rate_id.sudo().display_name
            elif state == "missing":
                line.agency_rate_reason = _(
                    "No rate line applies to %(who)s on %(project)s (%(client)s) on "
                    "%(day)s. Add one in Agency › Billing › Rate Lines.",
                    who=line._agency_who(),
                    project=line.project_id.sudo().name,
                    client=line.project_id.sudo().partner_id.commercial_partner_id.name,
                    day=format_date(self.env, line.date, date_format="d MMM y"),
                )
            elif state == "internal":
                line.agency_rate_reason = _(
                    "Not billed: project %(project)s has no customer.",
                    project=line.project_id.sudo().name,
                )
            else:
                line.agency_rate_reason = False

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su and any(v.get("timesheet_invoice_id") for v in vals_list):
            # Stock's invoice link is the server's on the agency's entries
            # (sale_timesheet sets it as superuser).
            check_no_invoice_link(lines.filtered("timesheet_invoice_id"))
        # Columns, not a record per line: most batches hold only drafts.
        created = lines.sudo()
        done = created.browse(
            id_
            for id_, project, state, invoice in zip(
                created._ids,
                column(created, "project_id"),
                column(created, "approval_state"),
                column(created, "timesheet_invoice_id"),
                strict=True,
            )
            if project and (state == "approved" or invoice)
        )
        if done:
            done._agency_freeze_rates()
        return lines

    def write(self, vals):
        reopened = self.browse()
        if vals.get("approval_state", "approved") != "approved":
            reopened = frozen_approved(self)
        result = super().write(vals)
        if vals.get("approval_state") == "approved" or vals.get("timesheet_invoice_id"):
            self._agency_freeze_rates()
        if reopened:
            reopened._agency_release_rates()
        return result

    # -- hooks of agency_timesheet's approvals --

    def _agency_check_approvable(self):
        """Invoiced entries are neither approved, rejected nor reopened
        (invoiced_guards.py)."""
        check_not_invoiced_for_approval(self)
        return super()._agency_check_approvable()

    def _agency_after_approve(self):
        """Approval freezes the price (called once per approved batch)."""
        result = super()._agency_after_approve()
        self._agency_freeze_rates()
        return result

    def _agency_set_state(self, state, values, reason=None):
        """Entries sent back from approved (rejected, reopened) follow the cards
        again. agency_timesheet changes states with one SQL UPDATE, not write()."""
        reopened = self.browse()
        if state != "approved":
            reopened = frozen_approved(self)
        elif self:
            # Approval freezes the price: priced with the cards as they are
            # now, then frozen by the state's own UPDATE (one pass over the
            # rows instead of two; _agency_after_approve finds nothing left).
            price_unfrozen(self)
            values = {**values, "agency_rate_frozen": True}
        result = super()._agency_set_state(state, values, reason=reason)
        if reopened:
            reopened._agency_release_rates()
        return result

    # -- business methods --

    def _agency_who(self):
        self.ensure_one()
        employee = self.employee_id.sudo()
        if self.role_id:
            return f"{employee.name} ({self.role_id.sudo().name})"
        return employee.name or ""

    def _agency_is_invoiced(self):
        """Whether this entry is invoiced (:mod:`.billing_status`)."""
        self.ensure_one()
        return self.agency_invoiced

    def _agency_resolve_rates(self, batch_size=BATCH_SIZE):
        """Price the stored entries in self against the current rate cards.

        This is the batch resolver: the rate lines (and the companies) are
        fetched once; each batch of ``batch_size`` entries then costs one query
        for their facts (plus one for the hourly costs of people not seen in an
        earlier batch), whatever the number of entries in it or of rate lines,
        and is priced in Python. Nothing is written; memory is bounded by the
        batch.

        :return: a generator of {entry id: Price} per batch, for the entries
            with a project (timesheet entries)
        """
        ids = [i for i in self.ids if i]
        if ids:
            flush_facts(self.env)
            yield from Pricing(self.env).stored_prices(ids, batch_size)

    def _agency_quote_rates(self, batch_size=BATCH_SIZE):
        """Like :meth:`_agency_resolve_rates`, with what each entry holds today.

        :return: a generator of {entry id: Quote} per batch: the Price the cards
            give the entry now, the Price it holds, and whether that is frozen
        """
        ids = [i for i in self.ids if i]
        if ids:
            flush_facts(self.env)
            yield from Pricing(self.env).stored_quotes(ids, batch_size)

    def _agency_reprice(self, force=False, as_user=False):
        """Store the current cards' price on the entries in self whose price
        differs; frozen ones only with force (a re-rate), through write() as
        the current user with as_user (repricing.reprice).

        :return: {entry id: (old Price, new Price)} for the entries changed
        """
        return reprice(self, force=force, as_user=as_user)

    def _agency_freeze_rates(self):
        """Freeze the price of these entries (approved or invoiced)."""
        freeze(self)

    def _agency_release_rates(self):
        """Approved entries sent back: their price follows the cards again."""
        release(self)

    def _agency_invoice_amounts(self, currency, invoice_date, company=None):
        """{entry id: bill amount in currency at invoice_date}: the rate
        currency converted with Odoo's rates of that date (one look-up per
        currency)."""
        company = company or self.env.company
        factors = {}
        amounts = {}
        for line in self.sudo():
            source = line.agency_rate_currency_id
            if line.agency_rate_state != "priced" or not source:
                continue
            if source not in factors:
                factors[source] = source._get_conversion_rate(
                    source, currency, company, invoice_date
                )
            amounts[line.id] = currency.round(line.agency_amount * factors[source])
        return amounts

    # -- the billing conveyor: runs, billed time, invoice lines --

    agency_engagement_id = fields.Many2one(
        related="project_id.agency_engagement_id",
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
        help="The billing run that holds this entry: it is in no other run until "
        "this one invoices it or lets it go.",
    )
    # No `digits` on the two stored billed values (set by billing runs in SQL,
    # rounded there): a named precision is looked up for each entry created,
    # which made creating entries measurably slower. Views show 2 decimals.
    agency_billed_hours = fields.Float(
        string="Billed Hours",
        copy=False,
        readonly=True,
        groups=BILLING,
        help="The raw hours rounded by the engagement's policy when a billing run "
        "collected the entry. Raw hours are never changed.",
    )
    agency_rounding_diff = fields.Float(
        string="Billed − Raw",
        digits="Product Unit of Measure",
        compute="_compute_agency_rounding_diff",
        groups=BILLING,
    )
    agency_billed_amount = fields.Float(
        string="Billed Amount",
        copy=False,
        readonly=True,
        groups=BILLING,
        help="Billed hours × bill rate, in the rate's currency.",
    )
    agency_invoice_line_id = fields.Many2one(
        "account.move.line",
        string="Invoice Line",
        index="btree_not_null",
        copy=False,
        readonly=True,
        ondelete="set null",
        groups=BILLING,
    )
    agency_retainer_period_id = fields.Many2one(
        "agency.retainer.period",
        string="Retainer Period",
        index="btree_not_null",
        copy=False,
        readonly=True,
        ondelete="set null",
        groups=BILLING,
        help="The retainer period that counted this time, once billed.",
    )
    agency_invoiced = fields.Boolean(
        string="Invoiced",
        compute="_compute_agency_invoiced",
        search="_search_agency_invoiced",
        compute_sudo=True,
        help="On a customer invoice that is not cancelled (a billing run's or "
        "stock Odoo's). Freed by a credit note or a cancelled draft.",
    )
    agency_invoiced_outside = fields.Boolean(
        string="Invoiced Outside Odoo",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Imported history that another tool invoiced: no billing run "
        "collects it (billing_status.py).",
    )
    agency_excluded_run_id = fields.Many2one(
        "agency.billing.run",
        string="Excluded From",
        index="btree_not_null",
        copy=False,
        readonly=True,
        groups=BILLING,
    )
    agency_excluded_reason = fields.Char(
        string="Excluded Because",
        copy=False,
        readonly=True,
        groups=BILLING,
        help="Why the billing owner left this entry out of its last run. The "
        "next run collects it again.",
    )

    @api.depends(
        "unit_amount", "agency_billed_hours", "agency_run_id", "agency_invoice_line_id"
    )
    def _compute_agency_rounding_diff(self):
        for line in self:
            if line.agency_run_id or line.agency_invoice_line_id:
                line.agency_rounding_diff = line.agency_billed_hours - line.unit_amount
            else:
                line.agency_rounding_diff = 0.0

    @api.depends("timesheet_invoice_id.state", "agency_invoiced_outside")
    def _compute_agency_invoiced(self):
        for line in self:
            invoice = line.timesheet_invoice_id
            line.agency_invoiced = is_invoiced(
                invoice.id, invoice.state, line.agency_invoiced_outside
            )

    def _search_agency_invoiced(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(
                self.env._("Filter on Invoiced with 'is set' or 'is not set'.")
            )
        return (
            INVOICED_DOMAIN if (operator == "=") == bool(value) else NOT_INVOICED_DOMAIN
        )

    def _agency_server_fields(self):
        return super()._agency_server_fields() | BILLING_SERVER_FIELDS

    def _agency_check_write(self, vals):
        """Invoiced entries change only through a credit note (administrators
        included): what they bill is on an invoice (invoiced_guards.py)."""
        if "timesheet_invoice_id" in vals:
            check_no_invoice_link(self)
        result = super()._agency_check_write(vals)
        if set(vals) & CONTENT_FIELDS:
            check_not_invoiced(self)
        return result

    def unlink(self):
        check_not_invoiced(self)
        return super().unlink()

    def _agency_free(self, reason, keep_run=False):
        """Let invoiced or collected entries be billed again (credit note,
        cancelled or deleted invoice, run cancelled): one UPDATE, one audit row
        per entry that was invoiced. With keep_run, they stay in their billing
        run (a cancelled draft invoice: its run invoices them again, with the
        engagement's write-ups and write-downs)."""
        lines = self.sudo()
        if not lines:
            return
        invoiced = lines.filtered("agency_invoice_line_id")
        if invoiced:
            changes = {
                line.id: [
                    (
                        "agency_invoice_line_id",
                        line.agency_invoice_line_id.move_id.display_name,
                        False,
                    )
                ]
                for line in invoiced
            }
            self.env["agency.audit"]._log(invoiced, "invoice", changes, reason=reason)
        # SQL: one bulk UPDATE for any number of entries (entry_sql.free).
        free(lines, keep_run=keep_run)

    def _agency_sql_written(self, values, also=()):
        """Tell the ORM what an UPDATE in SQL just wrote on these entries, as
        write() does after its own (entry_sql.sql_written says how).

        :param values: {field name: the value now in every row of self (None
            for NULL), or a list of values in the order of self}
        :param also: more fields the UPDATE wrote, read back when needed
        """
        sql_written(self, values, also)
