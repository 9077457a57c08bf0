"""What the cash and revenue forecast reads: the real records, as forecast lines.

:class:`ForecastSources` reads one company's records once, in a fixed number of
queries whatever the number of engagements, bookings or invoices, and turns
them into :class:`.forecasting.Line` rows (amounts in the company currency at
today's rate, the engagement's currency kept beside for drill-down):

- ``time``: approved, un-invoiced time of time-and-materials engagements
  (``billing_status.NOT_INVOICED_DOMAIN``), at its bill amount, billed at the
  engagement's next billing run (its cadence and days after period end);
- ``expense``: approved re-billed expenses not invoiced, with the
  engagement's markup, billed at the next run;
- ``booking``: bookings ahead (confirmed, and tentative flagged for the
  scenario's probability) on time-and-materials work, hours per week × the
  rate cards (``pricing.Pricing``: person, role, project, client, date,
  currency), revenue in the week done, billed at the cadence;
- ``fixed_fee``: fixed-fee schedule lines not invoiced, on their date or their
  milestone's deadline, billed by the run of that period;
- ``retainer``: retainer fees of periods not billed (in advance or arrears),
  and ``overage``: booked plus approved hours of a period beyond its included
  hours, at the overage rate (or the booked work's card rate);
- ``draft_invoice``: the engagements' draft invoices (their entries, fees and
  expenses are no longer counted above), billed today at the latest;
- ``open_invoice``: posted customer invoices and credit notes with a residual,
  received on their due date shifted by the client's days late;
- ``payroll``: each of the agency's people's (an agency role and an hourly
  cost, ``PAYROLL_DOMAIN``) hourly cost × capacity per month, paid at month
  end; ``overhead``: the company's fixed monthly overheads, at month end.

A posted invoice takes its entries, fees and expenses out of the sources
above (they are invoiced) and comes in as an open invoice; a payment lowers
its residual: nothing is counted twice. Forecast receipts follow the
engagement's payment terms (else the client's, else the company's forecast
default) and the client's average days late (reconciled payments against due
dates over the last year; the company's average for a new client).
"""

import gc
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.agency_billing.models.billing_rules import retainer_periods
from odoo.addons.agency_billing.models.billing_status import (
    EXPENSE_NOT_INVOICED_DOMAIN,
    NOT_INVOICED_DOMAIN,
)
from odoo.addons.agency_billing.models.hr_expense import APPROVED_STATES
from odoo.addons.agency_billing.models.pricing import Pricing, real_id
from odoo.addons.agency_timesheet.tools import column

from . import capacity as cap
from . import forecasting as fc
from .heatmap import week_start

OPEN_STATES = ("not_paid", "partial")
# Who counts in the payroll: the agency's people (an agency role) with a cost.
PAYROLL_DOMAIN = [("role_id", "!=", False), ("hourly_cost", ">", 0)]
HISTORY_DAYS = 365


@contextmanager
def paused_gc():
    """Python's cycle collector paused while a forecast is worked out: it
    builds tens of thousands of small tuples and dicts (no cycles), and each
    collection would walk the whole registry again (a third of the time at
    200 engagements). Resumed afterwards, as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class ForecastSources:
    """The forecast lines of one company on `today` (see the module)."""

    def __init__(self, env, company, today):
        self.env = env(su=True)
        self.company = company.sudo()
        self.today = today
        self.week_start = week_start(self.env)
        self.first = fc.week_first(today, self.week_start)
        self.last = fc.horizon_end(today, self.week_start)
        self.currency = self.company.currency_id
        self._rates = None
        self._clients = {}
        self._billed_on = {}
        self._cadences = {}

    # -- what all sources share -----------------------------------------------

    def engagements(self):
        """The company's active engagements, with what the sources read of them."""
        if not hasattr(self, "_engagements"):
            self._engagements = self.env["agency.engagement"].search_fetch(
                [("company_id", "=", self.company.id)],
                [
                    "name",
                    "kind",
                    "partner_id",
                    "currency_id",
                    "payment_term_id",
                    "date_start",
                    "date_end",
                    "retainer_period",
                    "period_fee",
                    "included_hours",
                    "overage_rate_kind",
                    "overage_rate",
                    "fee_timing",
                    "expense_markup",
                    "forecast_cadence",
                    "forecast_days_after_set",
                    "forecast_days_after",
                ],
            )
        return self._engagements

    def projects(self):
        """{project id: engagement} of the engagements' projects."""
        if not hasattr(self, "_projects"):
            engagements = self.engagements()
            projects = self.env["project.project"].search_fetch(
                [("agency_engagement_id", "in", engagements.ids)],
                ["agency_engagement_id", "partner_id"],
            )
            self._projects = {p.id: p.agency_engagement_id for p in projects}
            self._project_clients = {
                p.id: p.partner_id.commercial_partner_id.id or None for p in projects
            }
        return self._projects

    def rate(self, currency):
        """The factor from currency to the company's at today's rate (the rate
        of the forecast date: today's for every date ahead). A currency with
        no rate at all is refused, named, with the way out."""
        if not currency or currency.id == self.currency.id:
            return 1.0
        if self._rates is None:
            self._rates = {}
        if currency.id not in self._rates:
            known = self.env["res.currency.rate"]._read_group(
                [
                    ("currency_id", "=", currency.id),
                    ("company_id", "in", [self.company.root_id.id, False]),
                ],
                [],
                ["__count"],
            )[0][0]
            if not known:
                raise UserError(
                    self.env._(
                        "The currency %(currency)s has no exchange rate: the "
                        "forecast cannot convert its amounts into %(company)s. "
                        "Add a rate in Accounting › Configuration › Currencies.",
                        currency=currency.name,
                        company=self.currency.name,
                    )
                )
            self._rates[currency.id] = currency._get_conversion_rate(
                currency, self.currency, self.company, self.today
            )
        return self._rates[currency.id]

    def payroll_employees(self):
        """The agency's people on the payroll: the company's employees with an
        agency role (the people capacity plans, as the heatmap lists them)
        and an hourly cost. An employee without a role (someone of another
        Odoo app, a contact kept as employee) is not the agency's delivery
        staff: their cost belongs in the monthly overheads, or give them a
        role (see readme/CONFIGURE.md)."""
        if not hasattr(self, "_payroll_employees"):
            self._payroll_employees = self.env["hr.employee"].search_fetch(
                PAYROLL_DOMAIN + [("company_id", "=", self.company.id)],
                ["hourly_cost"],
            )
        return self._payroll_employees

    def capacity(self, employees, first, last):
        """{employee id (or placeholder key): {day: hours}} from first to
        last: one read shared by the bookings and the payroll (the payroll's
        people and months are read with the first call's)."""
        found = getattr(self, "_capacity", None)
        if found:
            known, low, high, by_day = found
            if set(employees.ids) <= known and low <= first and last <= high:
                return by_day
        months = self.months()
        employees |= self.payroll_employees()
        first, last = min(first, months[0][0]), max(last, months[-1][1])
        by_day = self.env["agency.capacity"]._agency_capacity(
            employees, first, last, self.company
        )
        self._capacity = (set(employees.ids), first, last, by_day)
        return by_day

    def to_company(self, amount, currency):
        return amount * self.rate(currency)

    def days_after(self):
        """{engagement id: days between a period's end and its invoice}: set
        on the engagement, else learned from its past runs (median), else 0."""
        engagements = self.engagements()
        moves = self.env["account.move"].search_fetch(
            [
                ("agency_engagement_id", "in", engagements.ids),
                ("agency_run_id", "!=", False),
                ("state", "=", "posted"),
                ("move_type", "=", "out_invoice"),
            ],
            ["agency_engagement_id", "agency_run_id", "invoice_date"],
        )
        moves.agency_run_id.fetch(["date_to"])
        past = defaultdict(list)
        for move in moves:
            past[move.agency_engagement_id.id].append(
                (move.agency_run_id.date_to, move.invoice_date)
            )
        return {
            engagement.id: engagement.forecast_days_after
            if engagement.forecast_days_after_set
            else fc.learned_days_after(past[engagement.id])
            for engagement in engagements
        }

    def billed_on(self, engagement, day):
        """When work of `engagement` dated day is billed."""
        cadence = self._cadences.get(engagement.id)
        if cadence is None:
            cadence = self._cadences[engagement.id] = (
                engagement.forecast_cadence or "monthly",
                self._days_after.get(engagement.id, 0),
            )
        key = (*cadence, day)
        found = self._billed_on.get(key)
        if found is None:
            found = self._billed_on[key] = fc.billing_date(day, self.today, *key[:2])
        return found

    def terms(self):
        """{engagement id: payment term lines} (plain TermLine tuples): the
        engagement's terms, else its client's, else the company's forecast
        default; None when there are none of these."""
        engagements = self.engagements()
        default = self.company.agency_forecast_payment_term_id
        chosen = {
            e.id: e.payment_term_id or e.partner_id.property_payment_term_id or default
            for e in engagements
        }
        terms = self.env["account.payment.term"].browse(
            {t.id for t in chosen.values() if t}
        )
        lines = self.env["account.payment.term.line"].search_fetch(
            [("payment_id", "in", terms.ids)],
            ["payment_id", "value", "value_amount", "delay_type", "nb_days"],
            order="payment_id, id",
        )
        by_term = defaultdict(list)
        for line in lines:
            by_term[line.payment_id.id].append(
                fc.TermLine(
                    line.value, line.value_amount, line.delay_type, line.nb_days
                )
            )
        return {
            e_id: (tuple(by_term[term.id]) if term else None)
            for e_id, term in chosen.items()
        }

    def days_late(self):
        """({client id: average days late}, company average) over the last
        year's paid invoices: the last payment reconciled against the due date."""
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        # SQL: the payment date of each invoice is the latest partial
        # reconciliation of its receivable lines; one grouped query.
        self.env.cr.execute(
            SQL(
                """SELECT move.commercial_partner_id, move.invoice_date_due,
                          MAX(partial.max_date)
                     FROM account_move move
                     JOIN account_move_line line
                       ON line.move_id = move.id AND line.display_type = 'payment_term'
                     JOIN account_partial_reconcile partial
                       ON partial.debit_move_id = line.id
                    WHERE move.company_id = %(company)s
                      AND move.move_type = 'out_invoice'
                      AND move.state = 'posted'
                      AND move.payment_state IN ('paid', 'in_payment')
                      AND move.invoice_date_due >= %(since)s
                 GROUP BY move.id""",
                company=self.company.id,
                since=self.today - timedelta(days=HISTORY_DAYS),
            )
        )
        rows = self.env.cr.fetchall()
        return fc.days_late_by_client(rows)

    # -- the lines ----------------------------------------------------------------

    def lines(self):
        """Every forecast line of the company (see the module)."""
        engagements = self.engagements()
        self.projects()
        self._days_after = self.days_after()
        self._terms = self.terms()
        self._late, self._late_company = self.days_late()
        lines = []
        lines += self.time_lines()
        lines += self.expense_lines()
        booked = self.booking_lines(lines)
        lines += self.fixed_fee_lines()
        lines += self.retainer_lines(booked)
        lines += self.invoice_lines()
        lines += self.payroll_lines()
        lines += self.overhead_lines()
        self.check_terms(engagements, lines)
        return lines

    def check_terms(self, engagements, lines):
        """Refuse a forecast invoice with no payment terms at all, naming the
        engagement and the way out."""
        billed = {line.engagement_id for line in lines if line.invoice_date}
        for engagement in engagements:
            if engagement.id in billed and self._terms.get(engagement.id) is None:
                raise UserError(
                    self.env._(
                        "Engagement %(engagement)s has no payment terms, its client "
                        "%(client)s none either, and the company has no default: "
                        "the forecast cannot tell when it will be paid. Set the "
                        "engagement's Payment Terms, or a default in Settings › "
                        "Agency › Forecast.",
                        engagement=engagement.display_name,
                        client=engagement.partner_id.display_name,
                    )
                )

    def _line(self, engagement, kind, amount, currency, model, ids, **values):
        client = self._clients.get(engagement.id)
        if client is None:
            client = self._clients[engagement.id] = (
                engagement.partner_id.commercial_partner_id.id
            )
        values.setdefault("terms", self._terms.get(engagement.id) or ())
        values.setdefault("days_late", self._late.get(client, self._late_company))
        return fc.Line(
            kind=kind,
            amount=self.to_company(amount, currency),
            amount_currency=amount,
            currency_id=currency.id,
            client_id=client,
            engagement_id=engagement.id,
            source_model=model,
            source_ids=tuple(ids),
            **values,
        )

    def _retainer_hours(self):
        return getattr(self, "_logged_retainer", {})

    def time_lines(self):
        """Approved, un-invoiced time: T&M at its bill amount, billed at the
        next run; retainers' hours kept for the overage."""
        projects = self.projects()
        groups = self.env["account.analytic.line"]._read_group(
            [
                ("project_id", "in", list(projects)),
                ("approval_state", "=", "approved"),
                ("agency_excluded_reason", "=", False),
                *NOT_INVOICED_DOMAIN,
            ],
            ["project_id", "date:month", "agency_rate_currency_id"],
            ["agency_amount:sum", "unit_amount:sum", "id:array_agg"],
        )
        lines = []
        self._logged_retainer = defaultdict(float)
        for project, month, currency, amount, hours, ids in groups:
            engagement = projects[project.id]
            if engagement.kind == "retainer":
                self._logged_retainer[(engagement.id, month)] += hours
                continue
            if engagement.kind != "time_materials" or not amount:
                continue
            currency = currency or engagement.currency_id
            lines.append(
                self._line(
                    engagement, "time", amount, currency, "account.analytic.line", ids,
                    revenue_date=month,
                    invoice_date=self.billed_on(engagement, month),
                )
            )  # fmt: skip
        return lines

    def expense_lines(self):
        """Approved re-billed expenses not invoiced, with the engagement's markup."""
        projects = self.projects()
        groups = self.env["hr.expense"]._read_group(
            [
                ("agency_project_id", "in", list(projects)),
                ("agency_rebill", "=", True),
                ("state", "in", APPROVED_STATES),
                *EXPENSE_NOT_INVOICED_DOMAIN,
            ],
            ["agency_project_id", "date:month"],
            ["total_amount:sum", "tax_amount:sum", "id:array_agg"],
        )
        lines = []
        for project, month, total, tax, ids in groups:
            engagement = projects[project.id]
            net = (total - tax) * (1 + (engagement.expense_markup or 0.0) / 100.0)
            month = month or self.today
            lines.append(
                self._line(
                    engagement, "expense", net, self.currency, "hr.expense", ids,
                    revenue_date=month,
                    invoice_date=self.billed_on(engagement, month),
                )
            )  # fmt: skip
        return lines

    def booking_lines(self, lines):
        """Bookings ahead priced by the rate cards: one line per engagement,
        week, state and price (its bookings as sources); appends the T&M ones
        to lines and returns {(engagement id, week): [(hours, bill rate in the
        engagement currency, booking id)]} of the retainers'."""
        projects = self.projects()
        first = max(self.today, self.first)
        bookings = self.env["agency.booking"].search_fetch(
            [
                ("company_id", "=", self.company.id),
                ("project_id", "in", list(projects)),
                ("date_to", ">=", first),
                ("date_from", "<=", self.last),
            ],
            ["employee_id", "role_id", "project_id", "date_from", "date_to", "mode",
             "hours", "share", "state"],
        )  # fmt: skip
        names = ("employee_id", "role_id", "project_id", "date_from", "date_to",
                 "mode", "hours", "share", "state")  # fmt: skip
        values = zip(bookings._ids, *(column(bookings, name) for name in names),
                     strict=True)  # fmt: skip
        kinds = {pid: engagement.kind for pid, engagement in projects.items()}
        rows = [
            row
            for row in (
                dict(zip(("id", *names), value, strict=True)) for value in values
            )
            if kinds[real_id(row["project_id"])] != "fixed_fee"
        ]
        for row in rows:
            for name in ("employee_id", "role_id", "project_id"):
                row[name] = real_id(row[name]) or False
        if not rows:
            return {}
        capacity = self.capacity(
            bookings.employee_id,
            fc.week_first(min(r["date_from"] for r in rows)) - timedelta(days=7),
            max(r["date_to"] for r in rows) + timedelta(days=7),
        )
        memo = {}
        weekly = defaultdict(float)
        placeholder = ("placeholder", self.company.id)
        by_week = self.week_start == 0  # forecast weeks are the spread's weeks
        for row in rows:
            key = row["employee_id"] or placeholder
            mode = row["mode"]
            amount = row["share"] if mode == "share" else row["hours"]
            if mode == "total":  # spread over the whole range, then clipped
                spread = cap.spread(mode, row["date_from"], row["date_to"], amount,
                                    capacity.get(key, {}), memo)  # fmt: skip
            elif by_week:
                for week, hours in cap.week_spread(
                    mode, max(row["date_from"], first), min(row["date_to"], self.last),
                    amount, capacity.get(key, {}), memo,
                ).items():  # fmt: skip
                    weekly[(row["id"], max(week, first))] += hours
                continue
            else:
                spread = cap.spread(mode, max(row["date_from"], first),
                                    min(row["date_to"], self.last), amount,
                                    capacity.get(key, {}), memo)  # fmt: skip
            for day, hours in spread.items():
                if hours and first <= day <= self.last:
                    week = max(fc.week_first(day, self.week_start), first)
                    weekly[(row["id"], week)] += hours
        by_id = {row["id"]: row for row in rows}
        facts = [
            (key, self.company.id, self._project_clients[by_id[key[0]]["project_id"]],
             by_id[key[0]]["project_id"], by_id[key[0]]["role_id"],
             by_id[key[0]]["employee_id"] or None, key[1])
            for key in weekly
        ]  # fmt: skip
        pricing = Pricing.for_facts(self.env, facts)
        prices = pricing.price(facts) if pricing else {}
        retainer_booked = defaultdict(list)
        grouped = defaultdict(lambda: [0.0, 0.0, []])
        currencies = self.env["res.currency"]
        engagement_of = {
            pid: (engagement.id, engagement.kind, engagement.currency_id)
            for pid, engagement in projects.items()
        }
        for (booking_id, week), hours in weekly.items():
            price = prices.get((booking_id, week))
            row = by_id[booking_id]
            engagement_id, kind, currency = engagement_of[row["project_id"]]
            priced = price and price.state == "priced"
            if kind == "retainer":
                bill = 0.0
                if priced:
                    bill = self.to_company(
                        price.bill_rate, currencies.browse(price.currency_id)
                    ) / self.rate(currency)
                retainer_booked[(engagement_id, week)].append((hours, bill, booking_id))
                continue
            if not priced:
                continue  # no rate: the billing checks block it, never 0 here
            group = grouped[(engagement_id, week, row["state"] == "tentative",
                             price.currency_id)]  # fmt: skip
            group[0] += hours * price.bill_rate
            group[1] += hours
            group[2].append(booking_id)
        engagements = {e.id: e for e in self.engagements()}
        for (engagement_id, week, tentative, currency_id), values in grouped.items():
            engagement = engagements[engagement_id]
            amount, hours, ids = values
            lines.append(
                self._line(
                    engagement, "booking", amount, currencies.browse(currency_id),
                    "agency.booking", sorted(set(ids)),
                    revenue_date=week,
                    invoice_date=self.billed_on(engagement, week),
                    tentative=tentative,
                    hours=hours,
                )
            )  # fmt: skip
        return retainer_booked

    def fixed_fee_lines(self):
        """Fixed-fee schedule lines not invoiced, on their date or their
        milestone's expected date (its deadline)."""
        engagements = self.engagements().filtered(lambda e: e.kind == "fixed_fee")
        schedule = self.env["agency.engagement.schedule"].search_fetch(
            [("engagement_id", "in", engagements.ids), ("invoice_line_id", "=", False)],
            ["engagement_id", "trigger", "date_due", "milestone_id", "amount"],
        )
        schedule.milestone_id.fetch(["deadline", "is_reached"])
        lines = []
        for item in schedule:
            engagement = item.engagement_id
            if item.trigger == "milestone":
                milestone = item.milestone_id
                expected = (
                    self.today
                    if milestone.is_reached
                    else milestone.deadline or engagement.date_end or self.today
                )
            else:
                expected = item.date_due or self.today
            lines.append(
                self._line(
                    engagement, "fixed_fee", item.amount, engagement.currency_id,
                    "agency.engagement.schedule", item.ids,
                    revenue_date=expected,
                    invoice_date=self.billed_on(engagement, expected),
                )
            )  # fmt: skip
        return lines

    def retainer_lines(self, booked):
        """Retainer fees of the periods not billed yet, and expected overage."""
        retainers = self.engagements().filtered(
            lambda e: e.kind == "retainer" and e.date_start
        )
        billed = self.env["agency.retainer.period"].search_fetch(
            [("engagement_id", "in", retainers.ids)],
            ["engagement_id", "date_start", "fee_invoice_line_id", "state"],
        )
        fee_billed = {
            (p.engagement_id.id, p.date_start) for p in billed if p.fee_invoice_line_id
        }
        closed = {
            (p.engagement_id.id, p.date_start) for p in billed if p.state == "closed"
        }
        logged = self._retainer_hours()
        since = fc.add_months(self.today, -12)
        lines = []
        for engagement in retainers:
            last = min(engagement.date_end or self.last, self.last)
            start = max(engagement.date_start, since)
            for period_start, period_end in retainer_periods(
                start, last, engagement.retainer_period or "month"
            ):
                key = (engagement.id, period_start)
                cadence = engagement.forecast_cadence or "monthly"
                days = self._days_after.get(engagement.id, 0)
                if engagement.period_fee and key not in fee_billed:
                    lines.append(
                        self._line(
                            engagement, "retainer", engagement.period_fee,
                            engagement.currency_id, "agency.engagement", engagement.ids,
                            revenue_date=period_start,
                            invoice_date=fc.retainer_billing_date(
                                period_start, period_end, engagement.fee_timing,
                                self.today, cadence, days),
                        )
                    )  # fmt: skip
                if key in closed:
                    continue
                line = self._overage(
                    engagement, period_start, period_end, booked, logged
                )
                if line:
                    lines.append(line)
        return lines

    def _overage(self, engagement, start, end, booked, logged):
        rows = [
            row
            for (engagement_id, week), values in booked.items()
            if engagement_id == engagement.id and start <= week <= end
            for row in values
        ]
        used = sum(
            hours
            for (engagement_id, month), hours in logged.items()
            if engagement_id == engagement.id and start <= month <= end
        )
        hours = fc.overage_hours(
            sum(r[0] for r in rows), engagement.included_hours, used
        )
        if not hours:
            return None
        if engagement.overage_rate_kind == "fixed":
            rate = engagement.overage_rate
        else:
            booked_hours = sum(r[0] for r in rows)
            rate = (
                sum(r[0] * r[1] for r in rows) / booked_hours if booked_hours else 0.0
            )
        if not rate:
            return None
        invoice_day = end if engagement.overage_billing != "end" else (
            engagement.date_end or end)  # fmt: skip
        return self._line(
            engagement, "overage", hours * rate, engagement.currency_id,
            "agency.booking", sorted({r[2] for r in rows}),
            revenue_date=start,
            invoice_date=self.billed_on(engagement, invoice_day),
            hours=hours,
        )  # fmt: skip

    def invoice_lines(self):
        """Open posted customer invoices (their residual, on the due date,
        each client's open credit notes applied to them: see
        forecasting.net_open_credits) and the engagements' draft invoices
        (billed today at the latest)."""
        engagements = {e.id: e for e in self.engagements()}
        moves = self.env["account.move"].search_fetch(
            [
                ("company_id", "=", self.company.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                "|",
                "&",
                ("state", "=", "posted"),
                ("payment_state", "in", OPEN_STATES),
                "&",
                ("state", "=", "draft"),
                ("agency_engagement_id", "!=", False),
            ],
            ["move_type", "state", "commercial_partner_id", "currency_id",
             "amount_residual", "amount_total", "invoice_date", "invoice_date_due",
             "agency_engagement_id"],
        )  # fmt: skip
        lines = []
        for move in moves:
            sign = -1 if move.move_type == "out_refund" else 1
            client = move.commercial_partner_id.id
            engagement_id = move.agency_engagement_id.id
            late = self._late.get(client, self._late_company)
            if move.state == "posted":
                amount = sign * move.amount_residual
                values = {"due_date": move.invoice_date_due or move.invoice_date}
                kind = "open_invoice"
            else:
                amount = sign * move.amount_total
                engagement = engagements.get(engagement_id)
                day = max(move.invoice_date or self.today, self.today)
                values = {
                    "invoice_date": day,
                    "terms": (self._terms.get(engagement_id) or ())
                    if engagement
                    else (),
                }
                kind = "draft_invoice"
            lines.append(
                fc.Line(
                    kind=kind,
                    amount=self.to_company(amount, move.currency_id),
                    amount_currency=amount,
                    currency_id=move.currency_id.id,
                    client_id=client,
                    engagement_id=engagement_id or False,
                    source_model="account.move",
                    source_ids=(move.id,),
                    days_late=late,
                    **values,
                )
            )
        return fc.net_open_credits(lines)

    def months(self):
        """(first, last) day of each of the months ahead."""
        return [(start, fc.month_end(start)) for start in fc.month_starts(self.today)]

    def payroll_lines(self):
        """Each person's hourly cost × capacity per month, paid at month end."""
        employees = self.payroll_employees()
        if not employees:
            return []
        months = self.months()
        by_day = self.capacity(employees, months[0][0], months[-1][1])
        first_month = months[0][0]
        costs = dict(zip(employees._ids, column(employees, "hourly_cost"), strict=True))
        per_month = {}
        for employee in employees._ids:
            hours_by_month = per_month[employee] = [0.0] * len(months)
            for day, hours in by_day.get(employee, {}).items():
                index = fc.month_index(day, first_month)
                if index is not None and hours:
                    hours_by_month[index] += hours
        lines = []
        for index, (_start, end) in enumerate(months):
            for employee, hours_by_month in per_month.items():
                hours = hours_by_month[index]
                if not hours:
                    continue
                cost = -hours * costs[employee]
                lines.append(
                    fc.Line(
                        kind="payroll", amount=cost, amount_currency=cost,
                        currency_id=self.currency.id, client_id=False,
                        engagement_id=False, source_model="hr.employee",
                        source_ids=(employee,), due_date=end, hours=hours,
                    )
                )  # fmt: skip
        return lines

    def overhead_lines(self):
        """The fixed monthly overheads (company settings), paid at month end."""
        amount = self.company.agency_forecast_overheads
        if not amount:
            return []
        return [
            fc.Line(
                kind="overhead", amount=-amount, amount_currency=-amount,
                currency_id=self.currency.id, client_id=False, engagement_id=False,
                source_model="res.company", source_ids=(self.company.id,),
                due_date=end,
            )
            for _start, end in self.months()
        ]  # fmt: skip

    def opening_balance(self):
        """What the company's bank journals hold today (posted entries)."""
        journals = self.env["account.journal"].search_fetch(
            [("company_id", "=", self.company.id), ("type", "=", "bank")],
            ["default_account_id"],
        )
        accounts = journals.default_account_id
        if not accounts:
            return 0.0
        return self.env["account.move.line"]._read_group(
            [
                ("account_id", "in", accounts.ids),
                ("parent_state", "=", "posted"),
                ("date", "<=", self.today),
                ("company_id", "=", self.company.id),
            ],
            [],
            ["balance:sum"],
        )[0][0]
