"""The period ledger of a retainer.

Periods are calendar months (or quarters) from the one holding the engagement's
start. For each: the hours rolled over into it (opening), its own included
hours, the hours used, rolled over, expired and over, and what was billed. The
numbers come from one plain function (:func:`.billing_rules.retainer_ledger`)
fed with one query over the approved time of all the retainers asked for; they
follow the time until the period is billed (closed), and are final after.

Time counts raw (to the minute), in the period of its date. Time approved after
its period was billed counts in the first period still open: the client is
never billed twice for it, nor loses it.

Billing runs bill a period's fee in advance (the run whose period end reaches the
period's first day) or in arrears (once it is over), and close the periods that
are over: their usage becomes final, their overage is billed (each period, or
with the last period of the engagement), and their time is marked as billed by
the retainer.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_date

from .billing_rules import assign_usage, retainer_ledger, retainer_periods
from .invoice_terms import Conversion

LEDGER_FIELDS = (
    "opening_hours",
    "used_hours",
    "rolled_over_hours",
    "expired_hours",
    "overage_hours",
    "billed_overage_hours",
)


class AgencyRetainerPeriod(models.Model):
    _name = "agency.retainer.period"
    _inherit = "agency.server.record"
    _description = "Agency Retainer Period"
    _order = "engagement_id, date_start"
    _rec_name = "label"

    engagement_id = fields.Many2one(
        "agency.engagement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="engagement_id.company_id", store=True)
    currency_id = fields.Many2one(related="engagement_id.currency_id")
    date_start = fields.Date(required=True, readonly=True)
    date_end = fields.Date(required=True, readonly=True)
    label = fields.Char(string="Period", compute="_compute_label")
    state = fields.Selection(
        [("open", "Open"), ("closed", "Billed")], default="open", readonly=True
    )
    included_hours = fields.Float(digits="Product Unit of Measure", readonly=True)
    final_used_hours = fields.Float(
        digits="Product Unit of Measure",
        readonly=True,
        help="Hours used, as they stood when the period was billed.",
    )
    opening_hours = fields.Float(
        string="Opening", digits="Product Unit of Measure", compute="_compute_ledger"
    )
    used_hours = fields.Float(
        string="Used", digits="Product Unit of Measure", compute="_compute_ledger"
    )
    rolled_over_hours = fields.Float(
        string="Rolled Over",
        digits="Product Unit of Measure",
        compute="_compute_ledger",
    )
    expired_hours = fields.Float(
        string="Expired", digits="Product Unit of Measure", compute="_compute_ledger"
    )
    overage_hours = fields.Float(
        string="Overage", digits="Product Unit of Measure", compute="_compute_ledger"
    )
    billed_overage_hours = fields.Float(
        string="Overage Billed",
        digits="Product Unit of Measure",
        compute="_compute_ledger",
    )
    fee_run_id = fields.Many2one(
        "agency.billing.run", index="btree_not_null", readonly=True, copy=False
    )
    fee_invoice_line_id = fields.Many2one(
        "account.move.line", readonly=True, copy=False, ondelete="set null"
    )
    close_run_id = fields.Many2one(
        "agency.billing.run", index="btree_not_null", readonly=True, copy=False
    )
    overage_invoice_line_id = fields.Many2one(
        "account.move.line", readonly=True, copy=False, ondelete="set null"
    )
    billed_amount = fields.Monetary(
        string="Billed",
        currency_field="currency_id",
        compute="_compute_billed_amount",
        help="Fee and overage invoiced for this period.",
    )

    _sql_constraints = [  # noqa: RUF012 (Odoo reads this list)
        (
            "period_once",
            "UNIQUE(engagement_id, date_start)",
            "A retainer has one ledger row per period.",
        ),
    ]

    # The ledger is the server's: its periods are made by the engagement and
    # billed by runs (as superuser, after the run's rights checks). A client's
    # create, write or delete is refused, whatever its context
    # (agency_server_record.py).

    def _agency_server_refusal(self):
        return self.env._(
            "Retainer periods are kept by their engagement and billed by "
            "billing runs: change the engagement, or credit the invoice "
            "that billed a period."
        )

    @api.depends("date_start", "engagement_id.retainer_period")
    def _compute_label(self):
        for period in self:
            if not period.date_start:
                period.label = False
            elif period.engagement_id.retainer_period == "quarter":
                quarter = (period.date_start.month - 1) // 3 + 1
                period.label = f"Q{quarter} {period.date_start.year}"
            else:
                period.label = format_date(
                    self.env, period.date_start, date_format="MMMM y"
                )

    def _compute_ledger(self):
        ledgers = self._agency_ledgers(self.engagement_id)
        for period in self:
            row = ledgers.get(period.engagement_id.id, {}).get(period.date_start)
            for name in LEDGER_FIELDS:
                period[name] = (
                    getattr(row, name.removesuffix("_hours"), 0.0) if row else 0.0
                )

    def _compute_billed_amount(self):
        for period in self:
            period.billed_amount = sum(
                line.price_subtotal
                for line in period.fee_invoice_line_id | period.overage_invoice_line_id
                if line.move_id.state != "cancel"
            )

    # -- the ledger --

    @api.model
    def _agency_ledgers(self, engagements, until=None):
        """{engagement id: {period first day: LedgerRow}} for the retainers in
        engagements, up to the period holding `until` (default: today, or the
        last period the engagement has rows for). Two queries whatever the
        number of retainers and periods."""
        retainers = engagements.filtered(
            lambda e: e.kind == "retainer" and e.date_start
        )
        if not retainers:
            return {}
        closed = defaultdict(dict)
        known_last = {}
        for period in self.sudo().search_fetch(
            [("engagement_id", "in", retainers.ids)],
            ["engagement_id", "date_start", "state", "final_used_hours"],
            order="id",
        ):
            engagement_id, start = period.engagement_id.id, period.date_start
            known_last[engagement_id] = max(known_last.get(engagement_id, start), start)
            if period.state == "closed":
                closed[engagement_id][start] = period.final_used_hours or 0.0
        usage = self._agency_usage(retainers)
        today = fields.Date.context_today(self)
        ledgers = {}
        for engagement in retainers:
            last = until or max(today, known_last.get(engagement.id, today))
            if engagement.date_end:
                last = min(last, engagement.date_end)
            periods = retainer_periods(
                engagement.date_start, last, engagement.retainer_period
            )
            starts = [start for start, _end in periods]
            mine = dict(usage.get(engagement.id, {}))
            for start, final_used in closed[engagement.id].items():
                mine[(start, True)] = final_used
            used = assign_usage(starts, set(closed[engagement.id]), mine)
            is_last = (
                bool(engagement.date_end)
                and periods
                and (periods[-1][1] >= engagement.date_end)
            )
            rows = retainer_ledger(
                [(start, engagement.included_hours, used[start]) for start in starts],
                rollover_periods=engagement.rollover_periods,
                overage_billing=engagement.overage_billing if is_last else "period",
            )
            if engagement.overage_billing == "end" and not is_last:
                for row in rows:
                    row.billed_overage = 0.0
            ledgers[engagement.id] = {row.period: row for row in rows}
        return ledgers

    @api.model
    def _agency_usage(self, retainers):
        """{engagement id: {(period first day, False): raw hours}} of approved
        time not yet billed by the retainer, by the period of its date.

        Summed by month in one query; a quarterly retainer's months are added
        up into their quarter here."""
        quarterly = set(
            retainers.filtered(lambda e: e.retainer_period == "quarter").ids
        )
        usage = defaultdict(dict)
        for engagement, month, hours in (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("agency_engagement_id", "in", retainers.ids),
                    ("approval_state", "=", "approved"),
                    ("agency_retainer_period_id", "=", False),
                ],
                ["agency_engagement_id", "date:month"],
                ["unit_amount:sum"],
                # groups in no order: ordering by engagement would join them
                order="unit_amount:sum",
            )
        ):
            if engagement.id in quarterly:
                month = month.replace(month=month.month - (month.month - 1) % 3)
            key = (month, False)
            periods = usage[engagement.id]
            periods[key] = periods.get(key, 0.0) + (hours or 0.0)
        return usage

    @api.model
    def _agency_ensure_periods(self, engagements, until):
        """Ledger rows for every period of the retainers up to `until`."""
        retainers = engagements.filtered(
            lambda e: e.kind == "retainer" and e.date_start
        )
        existing = {
            (period.engagement_id.id, period.date_start)
            for period in self.search([("engagement_id", "in", retainers.ids)])
        }
        vals_list = []
        for engagement in retainers:
            last = min(until, engagement.date_end) if engagement.date_end else until
            for start, end in retainer_periods(
                engagement.date_start, last, engagement.retainer_period
            ):
                if (engagement.id, start) not in existing:
                    vals_list.append(
                        {
                            "engagement_id": engagement.id,
                            "date_start": start,
                            "date_end": end,
                            "included_hours": engagement.included_hours,
                        }
                    )
        return self.sudo().create(vals_list).with_env(self.env)

    # -- billing runs --

    @api.model
    def _agency_collect(self, run, engagements):
        """Hold the fees due and the periods over for this run."""
        retainers = engagements.filtered(lambda e: e.kind == "retainer")
        if not retainers:
            return 0
        self._agency_ensure_periods(retainers, run.date_to)
        periods = self.search(
            [
                ("engagement_id", "in", retainers.ids),
                ("date_start", "<=", run.date_to),
            ]
        )
        found = 0
        for period in periods:
            engagement = period.engagement_id
            fee_due = (
                period.date_start <= run.date_to
                if engagement.fee_timing == "advance"
                else period.date_end <= run.date_to
            )
            if (
                fee_due
                and engagement.period_fee
                and not period.fee_invoice_line_id
                and period.fee_run_id in (run, self.env["agency.billing.run"])
            ):
                period.sudo().fee_run_id = run
                found += 1
            if (
                period.state == "open"
                and period.date_end <= run.date_to
                and period.close_run_id in (run, self.env["agency.billing.run"])
            ):
                period.sudo().close_run_id = run
                found += 1
        return found

    def _agency_overage_rate(self, run_line):
        """The overage rate of this period in the engagement's currency: the
        fixed rate, or the average bill rate of the period's time."""
        self.ensure_one()
        engagement = self.engagement_id
        if engagement.overage_rate_kind == "fixed":
            return engagement.overage_rate
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("agency_engagement_id", "=", engagement.id),
                    ("approval_state", "=", "approved"),
                    ("agency_retainer_period_id", "=", False),
                    ("date", "<=", self.date_end),
                    ("agency_rate_state", "=", "priced"),
                ],
                ["agency_rate_currency_id"],
                ["unit_amount:sum", "agency_amount:sum"],
            )
        )
        hours = amount = 0.0
        conversion = Conversion(engagement, run_line.run_id.invoice_date)
        for currency, sum_hours, sum_amount in groups:
            hours += sum_hours or 0.0
            # the engagement's contract rate when one covers the invoice date
            amount += (sum_amount or 0.0) * conversion.factor(currency.id)
        return engagement.currency_id.round(amount / hours) if hours else 0.0

    @api.model
    def _agency_invoice_items(self, run_line):
        engagement = run_line.engagement_id
        if engagement.kind != "retainer":
            return []
        run = run_line.run_id
        periods = self.search(
            [
                ("engagement_id", "=", engagement.id),
                "|",
                ("fee_run_id", "=", run.id),
                ("close_run_id", "=", run.id),
            ]
        )
        items = []
        product = engagement.product_id
        hour = self.env.ref("uom.product_uom_hour")
        for period in periods:
            if period.fee_run_id == run and not period.fee_invoice_line_id:
                items.append(
                    (
                        {
                            "product_id": product.id,
                            "name": self.env._(
                                "%(engagement)s — retainer fee, %(period)s "
                                "(%(hours)s h included)",
                                engagement=engagement.name,
                                period=period.label,
                                hours=f"{period.included_hours:g}",
                            ),
                            "quantity": 1.0,
                            "price_unit": engagement.period_fee,
                            "product_uom_id": False,
                        },
                        lambda line, p=period: setattr(
                            p.sudo(), "fee_invoice_line_id", line
                        ),
                    )
                )
            if (
                period.close_run_id == run
                and period.state == "open"
                and period.billed_overage_hours > 0
            ):
                items.append(
                    (
                        {
                            "product_id": product.id,
                            "name": self.env._(
                                "%(engagement)s — overage, %(period)s: %(over)s h "
                                "beyond the hours available",
                                engagement=engagement.name,
                                period=period.label,
                                over=f"{period.billed_overage_hours:g}",
                            ),
                            "quantity": period.billed_overage_hours,
                            "price_unit": period._agency_overage_rate(run_line),
                            "product_uom_id": hour.id,
                        },
                        lambda line, p=period: setattr(
                            p.sudo(), "overage_invoice_line_id", line
                        ),
                    )
                )
        return items

    @api.model
    def _agency_after_invoice(self, run_line):
        """Close the periods this run billed, oldest first: their usage becomes
        final and their time is marked as billed by the retainer."""
        periods = self.search(
            [
                ("engagement_id", "=", run_line.engagement_id.id),
                ("close_run_id", "=", run_line.run_id.id),
                ("state", "=", "open"),
            ],
            order="date_start",
        )
        for period in periods:
            used = period.used_hours
            period.sudo().write({"state": "closed", "final_used_hours": used})
            # SQL: a bulk UPDATE of the period's time (write() would send one
            # per hundred entries); what it reads and writes is flushed first.
            self.env["account.analytic.line"].flush_model(
                [
                    "agency_retainer_period_id",
                    "agency_run_id",
                    "approval_state",
                    "date",
                    "project_id",
                ]
            )
            self.env["project.project"].flush_model(["agency_engagement_id"])
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE account_analytic_line line
                       SET agency_retainer_period_id = %(period)s,
                           agency_run_id = %(run)s
                      FROM project_project project
                     WHERE project.id = line.project_id
                       AND project.agency_engagement_id = %(engagement)s
                       AND line.approval_state = 'approved'
                       AND line.agency_retainer_period_id IS NULL
                       AND line.date <= %(end)s
                 RETURNING line.id
                    """,
                    period=period.id,
                    run=run_line.run_id.id,
                    engagement=period.engagement_id.id,
                    end=period.date_end,
                )
            )
            # One UPDATE for the period's time, told to the ORM (values in the
            # cache, modified()) as write() would.
            counted = [row[0] for row in self.env.cr.fetchall()]
            Line = self.env["account.analytic.line"].sudo()
            Line.browse(counted)._agency_sql_written(
                {
                    "agency_retainer_period_id": period.id,
                    "agency_run_id": run_line.run_id.id,
                }
            )
            self.invalidate_model(LEDGER_FIELDS)

    def _agency_free(self, invoice_lines):
        """A cancelled or credited invoice gives back the fees and overage of
        the periods it billed; a closed period whose overage is given back
        opens again."""
        fee = self.search([("fee_invoice_line_id", "in", invoice_lines.ids)])
        fee.sudo().write({"fee_invoice_line_id": False, "fee_run_id": False})
        over = self.search([("overage_invoice_line_id", "in", invoice_lines.ids)])
        for period in over.sorted("date_start", reverse=True):
            later = self.search(
                [
                    ("engagement_id", "=", period.engagement_id.id),
                    ("date_start", ">", period.date_start),
                    ("state", "=", "closed"),
                ]
            )
            if later:
                continue  # later periods built on it: keep it closed
            # SQL: one bulk UPDATE for the period's time, told to the ORM as
            # write() would: before (the period's ledger) and after.
            counted = (
                self.env["account.analytic.line"]
                .sudo()
                .search([("agency_retainer_period_id", "=", period.id)])
            )
            counted.flush_recordset(["agency_retainer_period_id", "agency_run_id"])
            counted.modified(
                ["agency_retainer_period_id", "agency_run_id"], before=True
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE account_analytic_line SET agency_retainer_period_id = "
                    "NULL, agency_run_id = NULL WHERE id = ANY(%s)",
                    counted.ids,
                )
            )
            counted._agency_sql_written(
                {"agency_retainer_period_id": None, "agency_run_id": None}
            )
            period.sudo().write(
                {
                    "state": "open",
                    "final_used_hours": 0.0,
                    "overage_invoice_line_id": False,
                    "close_run_id": False,
                }
            )
