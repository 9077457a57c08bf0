"""Rate lines: what an hour of work is billed (and costs), for whom, and when.

A rate line has a bill rate, an optional cost rate, a currency, dates and a scope
made of its company and at most two of client, project, role and person. Which
line prices an entry is decided by :mod:`.rate_precedence`; this model keeps the
lines consistent (no overlaps, no negative rates, one company) and keeps the
prices of entries that are not frozen yet in step with the cards.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools.misc import format_date

from .audited_fields import RATE_AUDITED
from .rate_precedence import (
    SCOPE_RANK,
    RateLine,
    blended_error,
    find_overlaps,
    overlap_range,
    scope_of,
)
from .rate_words import describe_range, describe_rate

SCOPE_LABELS = {
    "engagement": "Engagement (blended)",
    "employee_project": "Person on a project",
    "role_project": "Role on a project",
    "project": "Project",
    "employee_client": "Person for a client",
    "role_client": "Role for a client",
    "client": "Client",
    "employee": "Person",
    "role": "Role",
    "company": "Company default",
}
# Fields that say what a line prices and at what rate: they cannot change once
# the line has priced an approved or invoiced entry (end the line instead).
PRICING_FIELDS = (
    "company_id",
    "partner_id",
    "project_id",
    "role_id",
    "employee_id",
    "engagement_id",
    "currency_id",
    "bill_rate",
    "cost_rate",
    "blended",
)
# Fields whose change re-prices the entries that are not frozen yet.
REPRICING_FIELDS = (*PRICING_FIELDS, "date_from", "date_to", "active")


class AgencyRate(models.Model):
    _name = "agency.rate"
    _description = "Agency Rate Line"
    _order = "company_id, scope_rank, date_from desc, id desc"
    _check_company_auto = True

    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The company whose entries this line prices. A line with nothing "
        "else in its scope is the company's default rate.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        help="Prices the time on every project of this customer. Leave empty for "
        "every client. Not with a project: a project line already applies to the "
        "project's customer.",
    )
    project_id = fields.Many2one(
        "project.project",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        help="Prices the time logged on this project only.",
    )
    role_id = fields.Many2one(
        "agency.role",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        help="Prices the entries that carry this role (the role on the entry, "
        "which defaults to the person's role). Not with a person.",
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Person",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        help="Prices this person's entries, whatever role they work in. Not with "
        "a role.",
    )
    engagement_id = fields.Many2one(
        "agency.engagement",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        help="A blended rate for every project of this engagement: it beats the "
        "projects' and the client's blended rates. Nothing else in its scope.",
    )
    scope = fields.Selection(
        [(key, label) for key, label in SCOPE_LABELS.items()],
        compute="_compute_scope",
        store=True,
        help="What the line applies to. From the most specific to the least: "
        "person on a project, role on a project, project, person for a client, "
        "role for a client, client, person, role, company default. The most "
        "specific line effective on an entry's date prices it.",
    )
    scope_rank = fields.Integer(
        compute="_compute_scope",
        store=True,
        help="1 for the most specific scope, 9 for the company default.",
    )
    date_from = fields.Date(
        string="Valid From",
        index=True,
        help="First day the line applies (included). Empty: since always.",
    )
    date_to = fields.Date(
        string="Valid To",
        index=True,
        help="Last day the line applies (included). Empty: until further notice. "
        "To change a rate from a date, end the line the day before and add a new "
        "one from that date.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="The currency of the bill and cost rates. Entries priced by the line "
        "are billed in it; costs are converted into the company's currency at "
        "each entry's date, invoices at the invoice date.",
    )
    bill_rate = fields.Monetary(
        required=True,
        help="What one hour is billed to the client, in the line's currency. 0 "
        "means the time is deliberately not charged.",
    )
    cost_rate = fields.Monetary(
        help="What one hour costs the agency, in the line's currency. Leave at 0 "
        "to use the person's hourly cost (Employees › HR Settings).",
    )
    note = fields.Char(help="Why this rate: the contract, the quote, the agreement.")
    blended = fields.Boolean(
        string="Blended Rate",
        help="One rate for every person and role of the project (or client): it "
        "beats every other line of their entries. The cost stays each person's.",
    )
    blended_multipliers = fields.Boolean(
        string="Multipliers Apply",
        default=True,
        help="Blended rate: the engagement's weekend, holiday, rush... "
        "multipliers still apply to it. Untick to bill the blended rate as is.",
    )
    entry_count = fields.Integer(
        string="Entries",
        compute="_compute_entry_count",
        help="Timesheet entries this line prices.",
    )

    @api.depends("partner_id", "project_id", "role_id", "employee_id", "engagement_id")
    def _compute_scope(self):
        for line in self:
            scope = scope_of(
                client=line.partner_id.id,
                project=line.project_id.id,
                role=line.role_id.id,
                employee=line.employee_id.id,
                engagement=line.engagement_id.id,
            )
            line.scope = scope
            line.scope_rank = SCOPE_RANK.get(scope, 0)

    @api.depends(
        "scope",
        "partner_id",
        "project_id",
        "role_id",
        "employee_id",
        "engagement_id",
        "company_id",
        "date_from",
        "date_to",
        "blended",
    )
    @api.depends_context("lang")
    def _compute_display_name(self):
        for line in self:
            line.display_name = describe_rate(line)

    def _compute_entry_count(self):
        counts = dict(
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [("agency_rate_id", "in", self.ids)], ["agency_rate_id"], ["__count"]
            )
        )
        for line in self:
            line.entry_count = counts.get(line, 0)

    @api.constrains("bill_rate", "cost_rate")
    def _check_rates(self):
        for line in self:
            if line.bill_rate < 0 or line.cost_rate < 0:
                raise ValidationError(
                    self.env._(
                        "Rates cannot be negative: %(line)s has a bill rate of "
                        "%(bill)s and a cost rate of %(cost)s. Enter the rate per "
                        "hour, 0 or more.",
                        line=line.display_name,
                        bill=line.bill_rate,
                        cost=line.cost_rate,
                    )
                )

    @api.constrains(
        "blended",
        "cost_rate",
        "partner_id",
        "project_id",
        "role_id",
        "employee_id",
        "engagement_id",
    )
    def _check_blended(self):
        for line in self.filtered(lambda line: line.blended or line.engagement_id):
            error = blended_error(
                line.scope, line.cost_rate, line.blended, bool(line.engagement_id)
            )
            if error:
                raise ValidationError(
                    self.env._(
                        "%(line)s: %(error)s.", line=line.display_name, error=error
                    )
                )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for line in self:
            if line.date_from and line.date_to and line.date_to < line.date_from:
                raise ValidationError(
                    self.env._(
                        "The rate line %(line)s ends on %(end)s, before it starts on "
                        "%(start)s. Set a Valid To on or after the Valid From.",
                        line=line.display_name,
                        end=format_date(self.env, line.date_to),
                        start=format_date(self.env, line.date_from),
                    )
                )

    @api.constrains("partner_id", "project_id", "role_id", "employee_id")
    def _check_scope(self):  # an engagement's line: _check_blended
        for line in self:
            if line.employee_id and line.role_id:
                raise ValidationError(
                    self.env._(
                        "A rate line is for a person or for a role, not both: "
                        "%(person)s and %(role)s. A person's line already applies "
                        "whatever role they work in, and a role line to everyone "
                        "working in that role. Keep one of them, or make two lines.",
                        person=line.employee_id.name,
                        role=line.role_id.name,
                    )
                )
            if line.partner_id and line.project_id:
                raise ValidationError(
                    self.env._(
                        "A rate line is for a client or for a project, not both: "
                        "%(client)s and %(project)s. A project line already applies "
                        "to the project's customer: leave Client empty.",
                        client=line.partner_id.display_name,
                        project=line.project_id.display_name,
                    )
                )
            partner = line.partner_id
            if partner and partner != partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Rates are agreed with a client, not with one of its "
                        "contacts: choose %(client)s instead of %(contact)s.",
                        client=partner.commercial_partner_id.display_name,
                        contact=partner.display_name,
                    )
                )

    @api.constrains("currency_id", "company_id")
    def _check_currency(self):
        Rate = self.env["res.currency.rate"].sudo()
        for line in self:
            currency, company = line.currency_id, line.company_id
            if currency == company.currency_id:
                continue
            if not currency.active:
                raise ValidationError(
                    self.env._(
                        "The currency %(currency)s of %(line)s is not active. "
                        "Activate it in Accounting › Configuration › Currencies "
                        "and give it rates, or choose another currency.",
                        currency=currency.name,
                        line=line.display_name,
                    )
                )
            if not Rate.search_count(
                [
                    ("currency_id", "=", currency.id),
                    ("company_id", "in", (False, company.root_id.id)),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "%(currency)s has no exchange rate in %(company)s, so "
                        "%(line)s could not be converted into %(company_currency)s. "
                        "Add its rates in Accounting › Configuration › Currencies, "
                        "or choose another currency.",
                        currency=currency.name,
                        company=company.name,
                        line=line.display_name,
                        company_currency=company.currency_id.name,
                    )
                )

    @api.constrains(
        "company_id",
        "partner_id",
        "project_id",
        "role_id",
        "employee_id",
        "date_from",
        "date_to",
        "active",
    )
    def _check_overlap(self):
        lines = self.filtered("active")
        if not lines:
            return
        others = self.search(
            [
                ("company_id", "in", lines.company_id.ids),
                ("scope", "in", list(set(lines.mapped("scope")))),
            ]
        )
        mine = set(lines.ids)
        for line_a, line_b in find_overlaps(others._to_plain()):
            if line_a.id in mine or line_b.id in mine:
                first, second = self.browse([line_a.id, line_b.id])
                start, end = overlap_range(line_a, line_b)
                raise ValidationError(
                    self.env._(
                        "Two rate lines with the same scope overlap: %(first)s and "
                        "%(second)s both apply %(days)s. End the first one the day "
                        "before the second starts, or change their dates.",
                        first=first.display_name,
                        second=second.display_name,
                        days=describe_range(self.env, start, end),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._reprice_entries(lines._date_ranges())
        self.env["agency.audit"]._log_created(
            "rate", lines, RATE_AUDITED, self.env._("Rate lines created")
        )
        return lines

    def write(self, vals):
        audited = set(vals) & set(RATE_AUDITED)
        Audit = self.env["agency.audit"]
        snapshot = Audit._snapshot(self, audited) if audited else None
        if not any(name in vals for name in REPRICING_FIELDS):
            result = super().write(vals)
        else:
            if any(name in vals for name in PRICING_FIELDS):
                self._check_not_locked(vals)
            before = self._date_ranges()
            result = super().write(vals)
            if {"date_from", "date_to", "active"} & set(vals):
                self._check_frozen_entries_covered()
            self._reprice_entries(before + self._date_ranges())
        if snapshot:
            Audit._log_snapshot_changes(
                "rate", self, snapshot, reason=self.env.context.get("agency_reason")
            )
        return result

    def unlink(self):
        used = self._frozen_entry_counts()
        if used:
            line = self.browse(next(iter(used)))
            raise UserError(
                self.env._(
                    "%(line)s priced %(count)s approved or invoiced entries: it is "
                    "part of their history and cannot be deleted. Archive it, or end "
                    "it with a Valid To date.",
                    line=line.display_name,
                    count=used[line.id],
                )
            )
        ranges = self._date_ranges()
        self.env["agency.audit"]._log_operation(
            "rate",
            self,
            before="\n".join(self.mapped("display_name")),
            reason=self.env._("Rate lines deleted"),
        )
        result = super().unlink()
        self._reprice_entries(ranges)
        return result

    def action_view_entries(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Entries priced by %(line)s", line=self.display_name),
            "res_model": "account.analytic.line",
            "view_mode": "list,form",
            "views": [
                (
                    self.env.ref(
                        "agency_billing.account_analytic_line_view_list_rates"
                    ).id,
                    "list",
                ),
                (False, "form"),
            ],
            "domain": [("agency_rate_id", "=", self.id)],
            "context": {"create": False},
        }

    # -- business methods --

    def _to_plain(self):
        """These lines as plain RateLine tuples for :mod:`.rate_precedence`."""
        return [
            RateLine(
                id=line.id,
                company=line.company_id.id,
                client=line.partner_id.id or None,
                project=line.project_id.id or None,
                role=line.role_id.id or None,
                employee=line.employee_id.id or None,
                date_from=line.date_from or None,
                date_to=line.date_to or None,
                blended=line.blended,
                engagement=line.engagement_id.id or None,
            )
            for line in self
        ]

    def _date_ranges(self):
        return [(line.company_id.id, line.date_from, line.date_to) for line in self]

    def _frozen_entry_counts(self):
        """{line id: number of frozen entries it priced} for the lines in self."""
        if not self.ids:
            return {}
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("agency_rate_id", "in", self.ids),
                    ("agency_rate_frozen", "=", True),
                ],
                ["agency_rate_id"],
                ["__count"],
            )
        )
        return {line.id: count for line, count in groups}

    def _changes_pricing(self, vals):
        """Whether writing vals would change what this line prices or its rates."""
        self.ensure_one()
        for name in PRICING_FIELDS:
            if name not in vals:
                continue
            if self._fields[name].type == "many2one":
                if self[name].id != (vals[name] or False):
                    return True
            elif self.currency_id.compare_amounts(self[name], vals[name] or 0.0):
                return True
        return False

    def _check_not_locked(self, vals):
        changing = self.filtered(lambda line: line._changes_pricing(vals))
        used = changing._frozen_entry_counts()
        if used:
            line = self.browse(next(iter(used)))
            raise UserError(
                self.env._(
                    "%(line)s already priced %(count)s approved or invoiced entries, "
                    "whose price must not change behind their back. To change the "
                    "rate from a date, end this line the day before (Valid To) and "
                    "add a new line from that date; to correct it, archive it, add "
                    "the right line and re-rate the entries (Re-rate action).",
                    line=line.display_name,
                    count=used[line.id],
                )
            )

    def _check_frozen_entries_covered(self):
        """A line's dates must still cover the frozen entries it priced."""
        if not self.ids:
            return
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("agency_rate_id", "in", self.ids),
                    ("agency_rate_frozen", "=", True),
                ],
                ["agency_rate_id"],
                ["date:min", "date:max"],
            )
        )
        for line, first, last in groups:
            if (line.date_from and first < line.date_from) or (
                line.date_to and last > line.date_to
            ):
                raise UserError(
                    self.env._(
                        "%(line)s priced approved or invoiced entries from %(first)s "
                        "to %(last)s: its dates must still cover them. To change the "
                        "rate from a date, end it after %(last)s, or re-rate those "
                        "entries first.",
                        line=line.display_name,
                        first=format_date(self.env, first),
                        last=format_date(self.env, last),
                    )
                )

    @api.model
    def _reprice_entries(self, ranges):
        """Bring the prices of entries that are not frozen in line with the cards,
        for the entries of the given (company, first day, last day) ranges."""
        domains = []
        for company_id, first, last in ranges:
            domain = [("company_id", "=", company_id)]
            if first:
                domain.append(("date", ">=", first))
            if last:
                domain.append(("date", "<=", last))
            domains.append(domain)
        if not domains:
            return
        entries = (
            self.env["account.analytic.line"]
            .sudo()
            .search(
                expression.AND(
                    [
                        [
                            ("project_id", "!=", False),
                            ("agency_rate_frozen", "=", False),
                        ],
                        expression.OR(domains),
                    ]
                )
            )
        )
        entries._agency_reprice()
