"""Forecast scenarios: shared sets of levers, and the figures they give.

A scenario (best, base and conservative exist for every company, created by
data; more can be added) is a shared record: Billing and Administrators read
and edit them, nobody else sees them. Its levers (``forecasting.Levers``) are
applied to the forecast lines read from the real records every time
(``forecast_sources.ForecastSources``); nothing is stored.

The interface for the snapshots, accuracy and board pack:
:meth:`AgencyForecastScenario.agency_forecast_data` returns plain data, the
figures of each scenario (see its docstring and ``readme/USAGE.md``).
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

from .. import forecasting as fc
from ..forecast_sources import ForecastSources, paused_gc

VIEWS = ("revenue", "billings", "cash")
# The scenarios every company starts with (data, then res_company.py).
DEFAULTS = (
    {"kind": "best", "name": "Best", "sequence": 10, "tentative_probability": 75.0,
     "utilization_change": 5.0,
     "note": "Tentative work mostly won (75 %), people 5 % busier than booked."},
    {"kind": "base", "name": "Base", "sequence": 20, "tentative_probability": 50.0,
     "note": "Bookings as booked, tentative work at 50 %, clients pay as they do."},
    {"kind": "conservative", "name": "Conservative", "sequence": 30,
     "tentative_probability": 25.0, "utilization_change": -10.0,
     "write_off_share": 5.0, "extra_delay_days": 15, "overheads_change": 5.0,
     "note": "Tentative work at 25 %, 10 % fewer hours done, 5 % written off, "
     "clients 15 days slower, overheads 5 % up."},
)  # fmt: skip
LEVER_LABELS = {
    "probability": "the probability of tentative bookings must be between 0 and 100 %",
    "write_off": "the write-off share must be between 0 and 100 %",
    "utilization": "the utilization change cannot be below -100 %",
    "rate_change": "the rate change cannot be below -100 %",
    "overheads_change": "the overheads change cannot be below -100 %",
}


class AgencyForecastScenario(models.Model):
    _name = "agency.forecast.scenario"
    _description = "Agency Forecast Scenario"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        [
            ("best", "Best"),
            ("base", "Base"),
            ("conservative", "Conservative"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        help="Best, base and conservative draw the fan chart: the base line and "
        "the band between best and conservative.",
    )
    rate_change = fields.Float(
        string="Rate Change (%)",
        digits=(16, 2),
        help="Raises (or lowers) the rate cards' price of booked and approved "
        "work dated from the date below.",
    )
    rate_change_date = fields.Date(string="Rate Change From", help="Empty: from today.")
    write_off_share = fields.Float(
        string="Write-off Share (%)",
        digits=(16, 2),
        help="Share of the work priced by the rate cards that is never billed.",
    )
    tentative_probability = fields.Float(
        string="Tentative Probability (%)",
        digits=(16, 2),
        default=50.0,
        help="Tentative bookings count for this share of their value.",
    )
    utilization_change = fields.Float(
        string="Utilization Change (%)",
        digits=(16, 2),
        help="Booked hours × (1 + this change): fewer or more hours done than booked.",
    )
    extra_delay_days = fields.Integer(
        string="Extra Payment Delay (days)",
        help="Added to every receipt; negative: clients pay sooner (never before "
        "the invoice).",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Other Payment Terms",
        check_company=True,
        help="Replace the engagements' payment terms for the invoices forecast.",
    )
    overheads_change = fields.Float(string="Overheads Change (%)", digits=(16, 2))
    note = fields.Text(string="Assumptions")

    @api.constrains(
        "tentative_probability",
        "write_off_share",
        "utilization_change",
        "rate_change",
        "overheads_change",
        "extra_delay_days",
        "payment_term_id",
    )
    def _check_levers(self):
        for scenario in self:
            shortest = scenario._agency_shortest_terms()
            error = fc.levers_error(scenario._agency_levers(), shortest)
            if error == "delay_days":
                raise ValidationError(
                    self.env._(
                        "Scenario %(name)s: an extra payment delay of %(days)s days "
                        "would have clients pay before the invoice (the shortest "
                        "payment terms give %(shortest)s days). Use a delay of at "
                        "least -%(shortest)s days.",
                        name=scenario.name,
                        days=scenario.extra_delay_days,
                        shortest=shortest,
                    )
                )
            if error:
                raise ValidationError(
                    self.env._(
                        "Scenario %(name)s: %(rule)s. Correct the lever and save "
                        "again.",
                        name=scenario.name,
                        rule=self.env._(LEVER_LABELS[error]),  # pylint: disable=translation-not-lazy
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._agency_check_name(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._agency_check_name(vals)
        return super().write(vals)

    @api.model
    def _agency_check_name(self, vals):
        if ("name" in vals or not self) and not (vals.get("name") or "").strip():
            raise ValidationError(
                self.env._(
                    "A forecast scenario needs a name (e.g. Base, Best, "
                    "Conservative, Lost client X): type one and save again."
                )
            )

    @api.model
    def _agency_ensure_defaults(self, companies=None):
        """Best, base and conservative for each company that lacks them."""
        companies = companies or self.env["res.company"].sudo().search([])
        Scenario = self.sudo().with_context(active_test=False)
        have = {
            (s.company_id.id, s.kind)
            for s in Scenario.search([("company_id", "in", companies.ids)])
        }
        Scenario.create(
            [
                {**values, "company_id": company.id}
                for company in companies
                for values in DEFAULTS
                if (company.id, values["kind"]) not in have
            ]
        )

    def action_freeze(self):
        """Freeze for the Board: a snapshot of each scenario's figures of
        today with its levers (models/agency_forecast_snapshot.py); opens them."""
        snapshots = self.env["agency.forecast.snapshot"]._agency_freeze(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_forecast.agency_forecast_snapshot_action"
        )
        action["domain"] = [("id", "in", snapshots.ids)]
        return action

    def action_board_pack(self):
        """Board Pack: queued and built by a cron job (models/agency_board_pack.py)."""
        return self.env["agency.board.pack"].agency_request()

    # -- levers -----------------------------------------------------------------

    def _agency_term_lines(self, term):
        return tuple(
            fc.TermLine(line.value, line.value_amount, line.delay_type, line.nb_days)
            for line in term.sudo().line_ids
        )

    def _agency_levers(self):
        self.ensure_one()
        return fc.Levers(
            rate_change=self.rate_change or 0.0,
            rate_change_date=self.rate_change_date or None,
            write_off=self.write_off_share or 0.0,
            probability=self.tentative_probability,
            utilization=self.utilization_change or 0.0,
            delay_days=self.extra_delay_days or 0,
            terms=self._agency_term_lines(self.payment_term_id)
            if self.payment_term_id
            else None,
            overheads_change=self.overheads_change or 0.0,
        )

    def _agency_shortest_terms(self):
        """The fewest days from invoice to due date of the terms this
        scenario's receipts can follow."""
        self.ensure_one()
        if self.payment_term_id:
            terms = self.payment_term_id
        else:
            engagements = (
                self.env["agency.engagement"]
                .sudo()
                .search([("company_id", "=", self.company_id.id)])
            )
            terms = (
                engagements.payment_term_id
                | engagements.partner_id.property_payment_term_id
                | self.company_id.sudo().agency_forecast_payment_term_id
            )
        if not terms:
            return 0
        return min(
            fc.shortest_terms_days(self._agency_term_lines(term)) for term in terms
        )

    # -- the figures ------------------------------------------------------------

    @api.readonly
    @api.model
    def agency_forecast_data(self, today=None, scenario_ids=None):
        """The forecast of the current company, every scenario's figures, as
        plain data (JSON-ready); read from the real records on each call.

        :param today: the forecast's day (ISO string or date; default the
            user's today); every date below is planned from it
        :param scenario_ids: the scenarios to give (default: all the company's)
        :return: ``{"today", "currency": {"id", "name", "symbol"}, "rate_note",
            "weeks": [first day of each of the 13 weeks], "months": [first day
            of each of the 12 months], "opening_balance", "scenarios": [figures]}``
            where each scenario's figures are ``{"id", "name", "kind",
            "levers": {field: value}, "revenue" | "billings" | "cash" |
            "cash_out" | "net_cash" | "balance": {"weeks": [13], "months": [12],
            "total"}, "lowest_balance": {"amount", "week", "date"},
            "rows": {"client" | "engagement" | "kind": [{"key", "name",
            "revenue" | "billings" | "cash": {"weeks", "months", "total"}}]}}``.
            Amounts are in the company currency at today's rate; "cash" is
            receipts (in), "cash_out" payroll and overheads (negative), "net_cash"
            their sum, "balance" the bank balance after each week / month.
        """
        self.check_access("read")
        with paused_gc():
            return self._agency_forecast_data(today, scenario_ids)

    @api.model
    def _agency_forecast_data(self, today, scenario_ids):
        today = fields.Date.to_date(today) or fields.Date.context_today(self)
        company = self.env.company
        scenarios = (
            self.browse(scenario_ids)
            if scenario_ids
            else self.search([("company_id", "=", company.id)])
        )
        sources = ForecastSources(self.env, company, today)
        lines = sources.lines()
        opening = sources.opening_balance()
        names = self._agency_names(lines)
        return {
            "today": fields.Date.to_string(today),
            "currency": {
                "id": company.currency_id.id,
                "name": company.currency_id.name,
                "symbol": company.currency_id.symbol,
            },
            "rate_note": self.env._(
                "In %(currency)s; other currencies at the rate of %(day)s (today's "
                "rate for every date ahead).",
                currency=company.currency_id.name,
                day=format_date(self.env, today),
            ),
            "weeks": [d.isoformat() for d in fc.week_starts(today, sources.week_start)],
            "months": [d.isoformat() for d in fc.month_starts(today)],
            "opening_balance": opening,
            "scenarios": [
                scenario._agency_figures(
                    lines, today, sources.week_start, opening, names
                )
                for scenario in scenarios
            ],
        }

    def _agency_names(self, lines):
        clients = {line.client_id for line in lines if line.client_id}
        engagements = {line.engagement_id for line in lines if line.engagement_id}
        kinds = dict(self.env["agency.forecast.line"]._fields["kind"].selection)
        return {
            "client": {
                p.id: p.display_name
                for p in self.env["res.partner"].sudo().browse(clients)
            },
            "engagement": {
                e.id: e.display_name
                for e in self.env["agency.engagement"].sudo().browse(engagements)
            },
            "kind": kinds,
        }

    def _agency_scenario_lines(self, lines, today):
        """[(line, amount, [(cash date, amount)])] of lines under this scenario."""
        self.ensure_one()
        levers = self._agency_levers()
        memo = {}
        result = []
        for line in lines:
            amount = fc.lever_amount(line, levers, today)
            if amount:
                cash = fc.receipts_memo(line, today, levers, amount, memo)
                result.append((line, amount, cash))
        return result

    def _agency_figures(self, lines, today, week_start, opening, names):
        self.ensure_one()
        weighted = self._agency_scenario_lines(lines, today)

        by_day = fc.sum_by_day(weighted)
        slots = {}

        def series():
            return fc.series_of({}, today, week_start, slots)

        def fill(days):
            return fc.series_of(days, today, week_start, slots)

        totals = {view: series() for view in (*VIEWS, "cash_out")}
        rows = {
            grain: defaultdict(lambda: {v: series() for v in VIEWS}) for grain in names
        }
        for target, days in by_day.items():
            if target[0] is None:
                totals[target[1]] = fill(days)
            else:
                grain, key, view = target
                rows[grain][key][view] = fill(days)
        net = series()
        for part in ("weeks", "months", "total"):
            if part == "total":
                net[part] = totals["cash"][part] + totals["cash_out"][part]
            else:
                net[part] = [
                    a + b
                    for a, b in zip(
                        totals["cash"][part], totals["cash_out"][part], strict=True
                    )
                ]
        balance = {
            "weeks": fc.running_balance(opening, net["weeks"]),
            "months": fc.running_balance(opening, net["months"]),
            "total": opening + net["total"],
        }
        lowest, week = fc.lowest_balance(opening, net["weeks"])
        first = fc.week_first(today, week_start)
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "levers": {
                "rate_change": self.rate_change,
                "rate_change_date": fields.Date.to_string(self.rate_change_date)
                or False,
                "write_off_share": self.write_off_share,
                "tentative_probability": self.tentative_probability,
                "utilization_change": self.utilization_change,
                "extra_delay_days": self.extra_delay_days,
                "payment_term": self.payment_term_id.display_name or False,
                "overheads_change": self.overheads_change,
            },
            **totals,
            "net_cash": net,
            "balance": balance,
            "lowest_balance": {
                "amount": lowest,
                "week": week,
                "date": (first + timedelta(weeks=week)).isoformat()
                if week is not None
                else False,
            },
            "rows": {
                grain: sorted(
                    (
                        {"key": key, "name": names[grain].get(key, str(key)), **views}
                        for key, views in by_key.items()
                    ),
                    key=lambda row: (-row["billings"]["total"], str(row["name"])),
                )
                for grain, by_key in rows.items()
            },
        }

    # -- drill-down ---------------------------------------------------------------

    def agency_forecast_drill(
        self, view, period, index, grain=None, key=None, today=None
    ):
        """The window action listing the forecast lines behind one figure of
        this scenario: `view` (revenue, billings, cash), `period` ("weeks" or
        "months") and `index`, optionally one row (`grain` client, engagement or
        kind and its `key`). Each line opens its real records. Not
        ``@api.readonly``: it writes the transient lines it opens."""
        self.ensure_one()
        self.check_access("read")
        today = fields.Date.to_date(today) or fields.Date.context_today(self)
        sources = ForecastSources(self.env, self.company_id, today)
        week_start = sources.week_start
        picked = []
        for line, amount, cash in self._agency_scenario_lines(sources.lines(), today):
            if (
                grain
                and getattr(line, f"{grain}_id" if grain != "kind" else "kind") != key
            ):
                continue
            out = line.kind in fc.CASH_OUT_KINDS
            pairs = {
                "revenue": [] if out else [(line.revenue_date, amount)],
                "billings": [] if out else [(line.invoice_date, amount)],
                "cash": cash,
            }[view]
            for day, share in pairs:
                if day is None:
                    continue
                found = (
                    fc.week_index(day, today, week_start)
                    if period == "weeks"
                    else fc.month_index(day, today)
                )
                if found == index:
                    picked.append((line, day, share))
        return self.env["agency.forecast.line"]._agency_open(self, view, picked)
