"""Margin facts: one row per thing that earns or costs money, as a SQL view.

A row is an approved (or invoiced) timesheet entry, a write-up or write-down,
a customer invoice or credit note line of an engagement that no entry,
adjustment or expense carries (fixed-fee schedule lines, retainer fees and
overage, lines freed by a credit note and the credit note's own lines), or a
re-billed expense. Each row says what it is (``kind``), its client,
engagement, project, role, person and date, and carries its source
(``entry_id``, ``adjustment_id``, ``move_line_id``, ``expense_id``), so every
cell of the pivot opens exactly the records behind it.

The view is the one definition; the pivot, graph, dashboard and forms read
its rows grouped by week and stored (``agency.margin.week``,
agency_margin_week.py, filled by this query grouped and kept incrementally),
because the view's per-row work (currency look-ups, joins) grows with the
entries (see the bench rows in tests/bench/). The view stays for the list of a
cell's facts and their sources, and for periods that cut a week.

The rules per row are those of :mod:`odoo.addons.agency_forecast.profitability`:

- revenue of an entry: its share (by billed amount) of the invoice line that
  bills it once invoiced; before, its frozen price converted into the company's
  currency at the entry's date for time and materials; 0 on fixed fees and
  retainers, whose fees are invoice lines of their own;
- cost of an entry: its stored cost (hours × the cost rate in force on its
  date, in the company's currency); an entry without any cost rate is *cost
  unknown* (its hours in ``cost_unknown_hours``, its cost empty, never 0);
- invoice lines at their balance in the company's currency (a credit note
  negative); adjustments at their invoice line once invoiced, else their signed
  amount converted at the run's invoice date (0 for a write-off that is never
  billed, such as a fixed fee's over-run: it is in ``write_down`` only);
- re-billed expenses: cost at cost, revenue at their invoice line's share or,
  before, cost plus markup.
- contract exchange rates: revenue is what the invoice says (at the contract
  rate); ``fx_difference`` is what that rate billed over the day's rate, the
  invoice line's stored difference in the company's currency (an entry its
  share of it; a credit note line deducts the difference it copied). Work in
  progress of an engagement with a contract rate covering the entry's date is
  valued at that rate (price × contract rate in the invoice currency, then
  converted at the day's rate), its difference to the day's rate in
  ``fx_difference`` (profitability.wip_value).

A foreign rate with no exchange rate on or before the day sets
``missing_currency_id`` on the row: reading the facts then raises an error that
names the currency and the day (:meth:`AgencyMarginFact._read_group`).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from odoo.addons.agency_billing.models.billing_status import invoiced_sql

BILLING = "agency_timesheet.group_agency_billing"
# Row ids: the source's id × 4 + the source's slot, so that a row keeps its id.
SLOTS = {"entry": 0, "adjustment": 1, "invoice": 2, "expense": 3}
SOURCE_SLOTS = {
    "account.analytic.line": 0,
    "agency.billing.adjustment": 1,
    "account.move.line": 2,
    "hr.expense": 3,
}

# The record each kind of fact stands for, and the order a mixed selection
# opens them in.
SOURCE_ORDER = [
    ("account.analytic.line", "entry_id"),
    ("agency.billing.adjustment", "adjustment_id"),
    ("account.move.line", "move_line_id"),
    ("hr.expense", "expense_id"),
]
OWN_SOURCE = {
    "time": SOURCE_ORDER[0],
    "adjustment": SOURCE_ORDER[1],
    "other": SOURCE_ORDER[2],
    "expense": SOURCE_ORDER[3],
}


def fact_ids(records):
    """The ids of the margin facts of these source records (entries,
    adjustments, invoice lines or expenses), whether they have one or not."""
    return [id_ * 4 + SOURCE_SLOTS[records._name] for id_ in records.ids]


def rate_sql(currency, company, day):
    """SQL: the rate of currency on day for the root of company (the latest on
    or before day, the company's own before shared ones), NULL if none."""
    return SQL(
        """(SELECT r.rate FROM res_currency_rate r
             WHERE r.currency_id = %(currency)s AND r.name <= %(day)s
               AND (r.company_id IS NULL OR r.company_id = split_part(
                    (SELECT c.parent_path FROM res_company c WHERE c.id = %(company)s),
                    '/', 1)::int)
             ORDER BY r.company_id NULLS LAST, r.name DESC LIMIT 1)""",
        currency=currency,
        company=company,
        day=day,
    )


def converted_sql(amount, currency, company, company_currency, day):
    """SQL: amount in currency converted into company_currency at day, NULL if
    currency has no rate then."""
    return SQL(
        """CASE WHEN %(currency)s IS NULL OR %(currency)s = %(target)s THEN %(amount)s
                ELSE %(amount)s * COALESCE(%(to)s, 1.0) / %(from)s END""",
        amount=amount,
        currency=currency,
        target=company_currency,
        to=rate_sql(company_currency, company, day),
        **{"from": rate_sql(currency, company, day)},
    )


def missing_sql(currency, company, company_currency, day):
    """SQL: currency when it needs a rate on day and has none, else NULL."""
    return SQL(
        """CASE WHEN %(currency)s IS NOT NULL AND %(currency)s != %(target)s
                 AND %(rate)s IS NULL THEN %(currency)s END""",
        currency=currency,
        target=company_currency,
        rate=rate_sql(currency, company, day),
    )


def fx_difference_sql(aml, invoice):
    """SQL: what the contract exchange rate of the invoice line `aml` (on the
    move `invoice`, NULL when cancelled) bills over the day's rate, in the
    company's currency: the line's stored difference (invoice currency)
    converted as its balance was. A credit note line copies the difference
    of the line it reverses with the same sign: it is negated here, as its
    balance is."""
    return SQL(
        """CASE WHEN %(invoice)s.id IS NOT NULL AND %(aml)s.amount_currency <> 0
                 AND COALESCE(%(aml)s.agency_fx_difference, 0) <> 0
                THEN %(aml)s.agency_fx_difference
                     * abs(%(aml)s.balance / %(aml)s.amount_currency)
                     * CASE WHEN %(invoice)s.move_type = 'out_refund' THEN -1 ELSE 1 END
                ELSE 0.0 END""",
        aml=SQL.identifier(aml),
        invoice=SQL.identifier(invoice),
    )


def multiplied_sql(value):
    """SQL: value × the rate multiplier a billing run set on the entry `l`
    (weekend, holiday, rush; none: 1), rounded to the company currency `cur`."""
    return SQL(
        "round((%s * COALESCE(NULLIF(l.agency_multiplier, 0), 1.0)"
        " / cur.rounding)::numeric) * cur.rounding",
        value,
    )


def billable_sql(line):
    """SQL: whether the entry `line` (an alias of account_analytic_line) is
    billable, as profitability.is_billable says: priced or waiting for a rate
    (its project has a client) and not left out of a billing run."""
    return SQL(
        "(%(line)s.agency_rate_state IN ('priced', 'missing')"
        " AND %(line)s.agency_excluded_reason IS NULL)",
        line=SQL.identifier(line),
    )


def totals_of(model, domain, groupby):
    """{group key: profitability.Totals} of model's rows (margin facts or
    weekly facts) matching domain, grouped by groupby; one query."""
    from ..profitability import Totals

    aggregates = [
        "revenue:sum",
        "cost:sum",
        "hours:sum",
        "billable_hours:sum",
        "cost_unknown_hours:sum",
        "standard_value:sum",
        "billed:sum",
        "write_down:sum",
        "revenue_unknown_hours:sum",
        "fx_difference:sum",
    ]
    result = {}
    for row in model.sudo()._read_group(domain, groupby, aggregates):
        key = row[: len(groupby)]
        values = [value or 0.0 for value in row[len(groupby) :]]
        result[key[0] if len(key) == 1 else key] = Totals(*values)
    return result


class AgencyMarginFact(models.Model):
    _name = "agency.margin.fact"
    _inherit = ["agency.margin.grouped"]  # noqa: RUF012 (Odoo reads this list)
    _description = "Agency Margin Fact"
    _auto = False
    _order = "date desc, id"
    _rec_name = "kind"
    # What the view reads: searches and groupings flush these first, so that
    # the figures include what this transaction has just written.
    _depends = {  # noqa: RUF012 (Odoo reads this dict)
        "account.analytic.line": [
            "approval_state", "company_id", "date", "project_id", "role_id",
            "employee_id", "unit_amount", "agency_rate_state", "agency_amount",
            "agency_rate_currency_id", "agency_cost_rate", "agency_cost",
            "agency_excluded_reason", "agency_multiplier",
            "agency_billed_amount", "agency_billed_hours", "agency_invoice_line_id",
            "timesheet_invoice_id", "agency_retainer_period_id",
            "agency_invoiced_outside",
        ],
        "agency.import.record": [
            "line_id", "billable", "billable_amount", "currency_id",
        ],
        "project.project": ["partner_id", "agency_engagement_id"],
        "res.partner": ["commercial_partner_id"],
        "agency.engagement": ["partner_id", "kind", "currency_id", "expense_markup"],
        "account.move": [
            "state", "move_type", "invoice_date", "date", "agency_engagement_id",
            "company_id",
        ],
        "account.move.line": [
            "balance", "amount_currency", "move_id", "display_type",
            "agency_fx_difference",
        ],
        "agency.billing.adjustment": [
            "run_id", "company_id", "engagement_id", "entry_id", "direction",
            "signed_amount", "billable", "invoice_line_id",
        ],
        "agency.billing.run": ["state", "invoice_date", "date_to"],
        "agency.contract.rate": [
            "engagement_id", "currency_id", "rate", "date_from", "date_to",
        ],
        "agency.engagement.schedule": ["invoice_line_id"],
        "agency.retainer.period": ["fee_invoice_line_id", "overage_invoice_line_id"],
        "hr.expense": [
            "agency_rebill", "state", "company_id", "date", "agency_project_id",
            "employee_id", "total_amount", "product_id", "agency_invoice_line_id",
        ],
        "product.template": ["agency_expense_markup_set", "agency_expense_markup"],
        "res.currency.rate": ["rate", "name", "currency_id", "company_id"],
    }  # fmt: skip

    kind = fields.Selection(
        [
            ("time", "Time"),
            ("adjustment", "Write-up / down"),
            ("fee", "Fixed fee"),
            ("retainer", "Retainer fee"),
            ("overage", "Retainer overage"),
            ("expense", "Re-billed expense"),
            ("credit", "Credit note"),
            ("other", "Other invoice line"),
        ],
        readonly=True,
    )
    state = fields.Selection(
        [("approved", "Approved"), ("invoiced", "Invoiced")],
        readonly=True,
        help="Approved: not on an invoice yet (work in progress). Invoiced: on "
        "a customer invoice or credit note that is not cancelled.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    engagement_id = fields.Many2one("agency.engagement", readonly=True)
    engagement_kind = fields.Selection(
        [
            ("time_materials", "Time & materials"),
            ("fixed_fee", "Fixed fee"),
            ("retainer", "Retainer"),
        ],
        readonly=True,
    )
    project_id = fields.Many2one("project.project", readonly=True)
    role_id = fields.Many2one("agency.role", readonly=True)
    employee_id = fields.Many2one("hr.employee", string="Person", readonly=True)
    billable = fields.Boolean(readonly=True)
    hours = fields.Float(readonly=True, digits=(16, 2))
    billable_hours = fields.Float(readonly=True, digits=(16, 2))
    cost_unknown_hours = fields.Float(
        readonly=True,
        digits=(16, 2),
        help="Hours of people with no cost rate on the rate line and no hourly "
        "cost: their cost is unknown, not 0. Set an hourly cost on the person.",
    )
    revenue_unknown_hours = fields.Float(
        string="Invoiced Outside, Amount Unknown",
        readonly=True,
        digits=(16, 2),
        help="Hours imported as invoiced outside Odoo whose file gave neither an "
        "amount nor a rate: their revenue is unknown (empty, never 0), so their "
        "margin is left out rather than shown as a loss.",
    )
    revenue = fields.Float(readonly=True, digits=(16, 2), groups=BILLING)
    cost = fields.Float(readonly=True, digits=(16, 2), groups=BILLING)
    margin = fields.Float(readonly=True, digits=(16, 2), groups=BILLING)
    standard_value = fields.Float(
        string="Value at Rate Cards",
        readonly=True,
        digits=(16, 2),
        groups=BILLING,
        help="The approved billable time at its rate-card price (the "
        "denominator of realization).",
    )
    billed = fields.Float(
        readonly=True,
        digits=(16, 2),
        groups=BILLING,
        help="On invoices, credit notes deducted.",
    )
    write_down = fields.Float(
        string="Written Down",
        readonly=True,
        digits=(16, 2),
        groups=BILLING,
        help="Write-downs and over-run write-offs (a positive amount).",
    )
    fx_difference = fields.Float(
        string="FX Difference vs Daily Rate",
        readonly=True,
        digits=(16, 2),
        groups=BILLING,
        help="What invoicing at the engagement's contract exchange rate gives "
        "over the day's rate (negative: less), in the company's currency; the "
        "revenue is what the invoice says, at the contract rate. Credit notes "
        "deduct their share. Time not invoiced yet is valued at the contract "
        "rate covering its date, and its difference is counted here too.",
    )
    missing_currency_id = fields.Many2one("res.currency", readonly=True)
    entry_id = fields.Many2one("account.analytic.line", readonly=True)
    adjustment_id = fields.Many2one("agency.billing.adjustment", readonly=True)
    move_line_id = fields.Many2one("account.move.line", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    expense_id = fields.Many2one("hr.expense", readonly=True)

    @property
    def _table_query(self):
        return self._agency_query()

    @api.model
    def _agency_query(self):
        return SQL(
            "%s UNION ALL %s UNION ALL %s UNION ALL %s",
            self._agency_entries_sql(),
            self._agency_adjustments_sql(),
            self._agency_invoice_lines_sql(),
            self._agency_expenses_sql(),
        )

    @api.model
    def _agency_entries_sql(self):
        invoiced = SQL("(invoice.id IS NOT NULL)")
        # the entry's part of the invoice line that bills it
        fraction = SQL(
            """CASE WHEN billed.amount <> 0 THEN l.agency_billed_amount / billed.amount
                    WHEN billed.hours <> 0 THEN l.agency_billed_hours / billed.hours
                    ELSE 1.0 / billed.n END"""
        )
        # invoice_line is read only where the invoice is not cancelled
        # (invoiced): one join of the line, not a second one guarded by it
        share = SQL("-invoice_line.balance * %s", fraction)
        price = converted_sql(
            SQL("l.agency_amount"),
            SQL("l.agency_rate_currency_id"),
            SQL("l.company_id"),
            SQL("company.currency_id"),
            SQL("l.date"),
        )
        standard = SQL("round((%s / cur.rounding)::numeric) * cur.rounding", price)
        # work in progress: the frozen price with the rate multiplier a
        # billing run set on the entry (weekend, holiday, rush), as billed;
        # at the engagement's contract exchange rate when one covers the
        # entry's date (the join `contract`), as invoicing it will say, the
        # invoice currency then converted at the day's rate
        at_contract = converted_sql(
            SQL("l.agency_amount * contract.rate"),
            SQL("e.currency_id"),
            SQL("l.company_id"),
            SQL("company.currency_id"),
            SQL("l.date"),
        )
        wip_daily = multiplied_sql(price)
        wip_contract = multiplied_sql(at_contract)
        wip = SQL(
            "CASE WHEN contract.id IS NULL THEN %s ELSE %s END", wip_daily, wip_contract
        )
        is_wip = SQL(
            """(NOT %(invoiced)s AND l.agency_invoiced_outside IS NOT TRUE
                AND e.kind = 'time_materials' AND l.agency_rate_state = 'priced')""",
            invoiced=invoiced,
        )
        wip_at_contract = SQL("(%s AND contract.id IS NOT NULL)", is_wip)
        # invoiced outside Odoo (imported history): the billable amount the
        # import stored for the row (its latest import record), in the row's
        # currency; NULL (amount unknown, never 0) when the file had neither
        # an amount nor a rate, or no record. A scalar subquery read only
        # under CASE WHEN l.agency_invoiced_outside: the other entries never
        # run it (a LATERAL join ran once per entry: 40 % of the aggregate
        # over 1,000,000 entries)
        outside = SQL(
            """(SELECT CASE WHEN NOT outside.billable THEN 0.0
                            WHEN outside.billable_amount <> 0 THEN round((%s
                                 / cur.rounding)::numeric) * cur.rounding END
                  FROM agency_import_record outside
                 WHERE outside.line_id = l.id
                 ORDER BY outside.id DESC LIMIT 1)""",
            converted_sql(
                SQL("outside.billable_amount"),
                SQL("outside.currency_id"),
                SQL("l.company_id"),
                SQL("company.currency_id"),
                SQL("l.date"),
            ),
        )
        revenue = SQL(
            """CASE WHEN %(invoiced)s THEN %(share)s
                    WHEN l.agency_invoiced_outside THEN %(outside)s
                    WHEN %(is_wip)s THEN %(wip)s
                    ELSE 0 END""",
            invoiced=invoiced,
            share=share,
            outside=outside,
            is_wip=is_wip,
            wip=wip,
        )
        unknown = SQL(
            "(CASE WHEN l.agency_invoiced_outside AND NOT %(invoiced)s"
            " THEN %(outside)s IS NULL ELSE FALSE END)",
            invoiced=invoiced,
            outside=outside,
        )
        return SQL(
            """
            SELECT l.id * 4 + %(slot)s AS id, 'time' AS kind,
                   CASE WHEN %(billing_invoiced)s
                          OR l.agency_retainer_period_id IS NOT NULL
                        THEN 'invoiced' ELSE 'approved' END AS state,
                   l.company_id, l.date,
                   COALESCE(e.partner_id, partner.commercial_partner_id) AS partner_id,
                   e.id AS engagement_id, e.kind AS engagement_kind,
                   l.project_id, l.role_id, l.employee_id,
                   %(billable)s AS billable,
                   l.unit_amount AS hours,
                   CASE WHEN %(billable)s THEN l.unit_amount ELSE 0 END
                        AS billable_hours,
                   CASE WHEN COALESCE(l.agency_cost_rate, 0) = 0
                        THEN l.unit_amount ELSE 0 END AS cost_unknown_hours,
                   CASE WHEN %(unknown)s THEN l.unit_amount ELSE 0 END
                        AS revenue_unknown_hours,
                   %(revenue)s AS revenue,
                   CASE WHEN COALESCE(l.agency_cost_rate, 0) = 0 THEN NULL
                        ELSE l.agency_cost END AS cost,
                   %(revenue)s - COALESCE(l.agency_cost, 0) AS margin,
                   CASE WHEN l.agency_rate_state = 'priced'
                        THEN %(standard)s ELSE 0 END AS standard_value,
                   CASE WHEN %(invoiced)s THEN %(share)s ELSE 0 END AS billed,
                   0.0 AS write_down,
                   CASE WHEN %(invoiced)s THEN %(fx)s
                        WHEN %(wip_at_contract)s THEN %(wip_contract)s - %(wip_daily)s
                        ELSE 0 END AS fx_difference,
                   CASE WHEN l.agency_rate_state = 'priced' THEN COALESCE(
                        %(missing)s,
                        CASE WHEN %(wip_at_contract)s THEN %(missing_invoice)s END)
                        END AS missing_currency_id,
                   l.id AS entry_id, NULL::int AS adjustment_id,
                   CASE WHEN %(invoiced)s THEN invoice_line.id END AS move_line_id,
                   invoice.id AS move_id,
                   NULL::int AS expense_id
              FROM account_analytic_line l
              JOIN res_company company ON company.id = l.company_id
              JOIN res_currency cur ON cur.id = company.currency_id
              JOIN project_project project ON project.id = l.project_id
              LEFT JOIN res_partner partner ON partner.id = project.partner_id
              LEFT JOIN agency_engagement e ON e.id = project.agency_engagement_id
              LEFT JOIN agency_contract_rate contract
                     ON contract.engagement_id = e.id
                    AND contract.currency_id = l.agency_rate_currency_id
                    AND l.date BETWEEN contract.date_from AND contract.date_to
              LEFT JOIN account_move_line invoice_line
                     ON invoice_line.id = l.agency_invoice_line_id
              LEFT JOIN account_move invoice
                     ON invoice.id = invoice_line.move_id AND invoice.state != 'cancel'
              LEFT JOIN (SELECT agency_invoice_line_id AS line_id,
                                sum(agency_billed_amount) AS amount,
                                sum(agency_billed_hours) AS hours, count(*) AS n
                           FROM account_analytic_line
                          WHERE agency_invoice_line_id IS NOT NULL
                          GROUP BY agency_invoice_line_id) billed
                     ON billed.line_id = invoice_line.id
             WHERE l.employee_id IS NOT NULL
               AND (l.approval_state = 'approved' OR %(billing_invoiced)s)
            """,
            slot=SLOTS["entry"],
            billable=billable_sql("l"),
            invoiced=invoiced,
            revenue=revenue,
            unknown=unknown,
            # the billing status, as agency_billing says it (stock's invoices
            # of sale orders included)
            billing_invoiced=invoiced_sql("l"),
            share=share,
            fx=SQL("%s * %s", fx_difference_sql("invoice_line", "invoice"), fraction),
            standard=standard,
            wip_at_contract=wip_at_contract,
            wip_contract=wip_contract,
            wip_daily=wip_daily,
            missing=missing_sql(
                SQL("l.agency_rate_currency_id"),
                SQL("l.company_id"),
                SQL("company.currency_id"),
                SQL("l.date"),
            ),
            missing_invoice=missing_sql(
                SQL("e.currency_id"),
                SQL("l.company_id"),
                SQL("company.currency_id"),
                SQL("l.date"),
            ),
        )

    @api.model
    def _agency_adjustments_sql(self):
        day = SQL("COALESCE(run.invoice_date, run.date_to)")
        signed = SQL(
            "round((%s / cur.rounding)::numeric) * cur.rounding",
            converted_sql(
                SQL("a.signed_amount"),
                SQL("e.currency_id"),
                SQL("a.company_id"),
                SQL("company.currency_id"),
                day,
            ),
        )
        revenue = SQL(
            """CASE WHEN invoice.id IS NOT NULL THEN -aml.balance
                    WHEN a.billable AND a.invoice_line_id IS NULL THEN %s
                    ELSE 0 END""",
            signed,
        )
        return SQL(
            """
            SELECT a.id * 4 + %(slot)s, 'adjustment',
                   CASE WHEN invoice.id IS NOT NULL THEN 'invoiced'
                        ELSE 'approved' END,
                   a.company_id, %(day)s,
                   e.partner_id, e.id, e.kind,
                   COALESCE(entry.project_id, single.project_id),
                   entry.role_id, entry.employee_id, a.billable,
                   0.0, 0.0, 0.0, 0.0,
                   %(revenue)s, 0.0, %(revenue)s, 0.0,
                   CASE WHEN invoice.id IS NOT NULL THEN -aml.balance ELSE 0 END,
                   CASE WHEN a.direction = 'down' THEN abs(%(signed)s) ELSE 0 END,
                   %(fx)s,
                   %(missing)s,
                   a.entry_id, a.id, aml.id, invoice.id, NULL::int
              FROM agency_billing_adjustment a
              JOIN agency_billing_run run ON run.id = a.run_id
              JOIN agency_engagement e ON e.id = a.engagement_id
              JOIN res_company company ON company.id = a.company_id
              JOIN res_currency cur ON cur.id = company.currency_id
              LEFT JOIN account_analytic_line entry ON entry.id = a.entry_id
              LEFT JOIN LATERAL (SELECT min(p.id) AS project_id FROM project_project p
                                  WHERE p.agency_engagement_id = e.id
                                 HAVING count(*) = 1) single ON TRUE
              LEFT JOIN account_move_line aml ON aml.id = a.invoice_line_id
              LEFT JOIN account_move invoice
                     ON invoice.id = aml.move_id AND invoice.state != 'cancel'
             WHERE run.state != 'cancel'
            """,
            slot=SLOTS["adjustment"],
            day=day,
            fx=fx_difference_sql("aml", "invoice"),
            revenue=revenue,
            signed=signed,
            missing=missing_sql(
                SQL("e.currency_id"), SQL("a.company_id"),
                SQL("company.currency_id"), day,
            ),
        )  # fmt: skip

    @api.model
    def _agency_invoice_lines_sql(self):
        return SQL(
            """
            SELECT aml.id * 4 + %(slot)s,
                   CASE WHEN invoice.move_type = 'out_refund' THEN 'credit'
                        WHEN EXISTS (SELECT 1 FROM agency_engagement_schedule s
                                      WHERE s.invoice_line_id = aml.id) THEN 'fee'
                        WHEN EXISTS (SELECT 1 FROM agency_retainer_period p
                                      WHERE p.fee_invoice_line_id = aml.id)
                             THEN 'retainer'
                        WHEN EXISTS (SELECT 1 FROM agency_retainer_period p
                                      WHERE p.overage_invoice_line_id = aml.id)
                             THEN 'overage'
                        ELSE 'other' END,
                   'invoiced', invoice.company_id,
                   COALESCE(invoice.invoice_date, invoice.date),
                   e.partner_id, e.id, e.kind, single.project_id,
                   NULL::int, NULL::int, TRUE,
                   0.0, 0.0, 0.0, 0.0,
                   -aml.balance, 0.0, -aml.balance, 0.0, -aml.balance, 0.0,
                   %(fx)s,
                   NULL::int, NULL::int, NULL::int, aml.id, invoice.id, NULL::int
              FROM account_move_line aml
              JOIN account_move invoice ON invoice.id = aml.move_id
              JOIN agency_engagement e ON e.id = invoice.agency_engagement_id
              LEFT JOIN LATERAL (SELECT min(p.id) AS project_id FROM project_project p
                                  WHERE p.agency_engagement_id = e.id
                                 HAVING count(*) = 1) single ON TRUE
             WHERE invoice.move_type IN ('out_invoice', 'out_refund')
               AND invoice.state != 'cancel'
               AND aml.display_type = 'product'
               AND NOT EXISTS (SELECT 1 FROM account_analytic_line l
                                WHERE l.agency_invoice_line_id = aml.id)
               AND NOT EXISTS (SELECT 1 FROM agency_billing_adjustment a
                                WHERE a.invoice_line_id = aml.id)
               AND NOT EXISTS (SELECT 1 FROM hr_expense x
                                WHERE x.agency_invoice_line_id = aml.id)
            """,
            slot=SLOTS["invoice"],
            fx=fx_difference_sql("aml", "invoice"),
        )

    @api.model
    def _agency_expenses_sql(self):
        markup = SQL(
            """CASE WHEN template.agency_expense_markup_set
                    THEN template.agency_expense_markup
                    ELSE COALESCE(e.expense_markup, 0) END"""
        )
        revenue = SQL(
            """CASE WHEN invoice.id IS NOT NULL
                    THEN -aml.balance * CASE WHEN billed.amount <> 0
                         THEN x.total_amount / billed.amount ELSE 1.0 / billed.n END
                    ELSE round((x.total_amount * (100 + %s) / 100
                                / cur.rounding)::numeric) * cur.rounding END""",
            markup,
        )
        return SQL(
            """
            SELECT x.id * 4 + %(slot)s, 'expense',
                   CASE WHEN invoice.id IS NOT NULL THEN 'invoiced'
                        ELSE 'approved' END,
                   x.company_id, x.date,
                   e.partner_id, e.id, e.kind, x.agency_project_id,
                   NULL::int, x.employee_id, TRUE,
                   0.0, 0.0, 0.0, 0.0,
                   %(revenue)s, x.total_amount, %(revenue)s - x.total_amount, 0.0,
                   CASE WHEN invoice.id IS NOT NULL THEN %(revenue)s ELSE 0 END, 0.0,
                   0.0, NULL::int, NULL::int, NULL::int, aml.id, invoice.id, x.id
              FROM hr_expense x
              JOIN project_project project ON project.id = x.agency_project_id
              JOIN agency_engagement e ON e.id = project.agency_engagement_id
              JOIN res_company company ON company.id = x.company_id
              JOIN res_currency cur ON cur.id = company.currency_id
              LEFT JOIN product_product product ON product.id = x.product_id
              LEFT JOIN product_template template
                     ON template.id = product.product_tmpl_id
              LEFT JOIN account_move_line aml ON aml.id = x.agency_invoice_line_id
              LEFT JOIN account_move invoice
                     ON invoice.id = aml.move_id AND invoice.state != 'cancel'
              LEFT JOIN (SELECT agency_invoice_line_id AS line_id,
                                sum(total_amount) AS amount, count(*) AS n
                           FROM hr_expense WHERE agency_invoice_line_id IS NOT NULL
                          GROUP BY agency_invoice_line_id) billed
                     ON billed.line_id = aml.id
             WHERE x.agency_rebill AND x.state IN ('approved', 'done')
            """,
            slot=SLOTS["expense"],
            revenue=revenue,
        )

    # -- reading --

    @api.model
    @api.readonly
    def web_search_read(self, domain, specification, *args, **kwargs):
        """The list's reads: the rows shown are checked for a missing rate."""
        asked = "missing_currency_id" in specification
        specification = {**specification, "missing_currency_id": {}}
        result = super().web_search_read(domain, specification, *args, **kwargs)
        if any(row["missing_currency_id"] for row in result["records"]):
            self._read_group(domain, [], ["__count"])  # raises, naming the day
        if not asked:
            for row in result["records"]:
                del row["missing_currency_id"]
        return result

    @api.model
    def _agency_missing_rate(self, currency, day):
        """The error of a currency without a rate on day."""
        return UserError(
            self.env._(
                "No exchange rate for %(currency)s on %(day)s: margins convert "
                "every amount into the company's currency at its date. Add a "
                "rate for %(currency)s on or before %(day)s in Accounting › "
                "Configuration › Currencies.",
                currency=currency.name,
                day=format_date(self.env, day),
            )
        )

    @api.model
    def _agency_totals(self, domain, groupby):
        """{group key: profitability.Totals} of the facts matching domain,
        grouped by groupby (field names, e.g. ['engagement_id'], or
        'date:month'); one query."""
        return totals_of(self, domain, groupby)

    @api.model
    def _agency_action(self, domain):
        """The margins pivot on the facts of domain (an engagement's, a
        project's)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_forecast.agency_margin_fact_action"
        )
        action["domain"] = domain
        return action

    def action_open_sources(self):
        """The records behind these facts, each row by its own source (an
        entry, an adjustment, an invoice or credit note line, an expense): in
        one list when they are of one kind, else the entries first, then
        adjustments, invoice lines and expenses."""
        sources = {}
        for fact in self.sudo():
            model, field = OWN_SOURCE.get(fact.kind, OWN_SOURCE["other"])
            sources.setdefault(model, set()).add(fact[field].id)
        for model, _field in SOURCE_ORDER:
            if model in sources:
                return {
                    "type": "ir.actions.act_window",
                    "name": self.env._("Behind the figures"),
                    "res_model": model,
                    "view_mode": "list,form",
                    "domain": [("id", "in", sorted(sources[model]))],
                }
        return False
