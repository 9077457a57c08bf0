"""The pricing engine: the price of a timesheet entry, found once for many.

A price (:class:`Price`) is what an entry's stored price fields hold: whether it
is priced, which rate line prices it, the bill rate and its currency, the cost
per hour (company currency) and where that cost comes from. :class:`Pricing`
loads the rate cards of some companies over some dates once, then prices any
number of entries' facts in Python; which line wins is
:mod:`.rate_precedence`'s rule, and the price of an entry once the line is
known is :func:`price_of`.

The engine only reads: through the ORM (rate lines, people's hourly costs,
currency roundings and rates, the facts of entries being edited:
:func:`facts_of`), and the stored entries' facts in batches of plain rows
(:meth:`Pricing.stored_prices`, after :func:`flush_facts`); it never writes
(entry_sql.py stores prices). :func:`price_text` says a price in words. The entries'
stored computes, the batch resolver and re-pricing of ``account.analytic.line``
(``models/account_analytic_line.py``), the re-rate wizard and the effective
rate card call it. The plain functions here take and return plain values and
are tested directly (``tests/test_pricing_engine.py``).
"""

from collections import defaultdict, namedtuple

from odoo.tools import SQL, float_round
from odoo.tools.misc import formatLang

from odoo.addons.agency_timesheet.tools import column

from .rate_precedence import RateCard, currency_rate_on

# The price of an entry: what the stored fields hold.
Price = namedtuple("Price", "state rate_id bill_rate currency_id cost_rate cost_source")
# Each part of a Price, and the entry's field that stores it.
PRICE_FIELDS = {
    "state": "agency_rate_state",
    "rate_id": "agency_rate_id",
    "bill_rate": "agency_bill_rate",
    "currency_id": "agency_rate_currency_id",
    "cost_rate": "agency_cost_rate",
    "cost_source": "agency_cost_source",
}
NO_PRICE = Price(False, False, 0.0, False, 0.0, False)
# What the quote of a stored entry says: the price the cards give it now, the
# price it holds, and whether that price is frozen.
Quote = namedtuple("Quote", "price stored frozen")


def real_id(value):
    """The database id in a many2one cache value (None for none or a new
    record without origin)."""
    if isinstance(value, int):
        return value or None
    return getattr(value, "origin", None) or None


def same_price(price_a, price_b):
    """Whether two prices are the same, amounts compared to 6 decimals."""
    return price_a._replace(
        bill_rate=round(price_a.bill_rate, 6), cost_rate=round(price_a.cost_rate, 6)
    ) == price_b._replace(
        bill_rate=round(price_b.bill_rate, 6), cost_rate=round(price_b.cost_rate, 6)
    )


# What a re-rate does to an entry's price (price_change).
NO_CHANGE = "same"


def price_change(old, new):
    """What changes from price old to price new: "same"; "missing" (no rate
    line applies any more); "price" (what the client pays per hour: the bill
    rate, its currency or whether it is billed); "source" (another rate line,
    same bill rate); else "cost" (only the cost)."""
    if same_price(old, new):
        return NO_CHANGE
    if new.state == "missing":
        return "missing"
    if (old.state, round(old.bill_rate, 6), old.currency_id) != (
        new.state,
        round(new.bill_rate, 6),
        new.currency_id,
    ):
        return "price"
    if old.rate_id != new.rate_id:
        return "source"
    return "cost"


def stored_price(state, rate_id, bill_rate, currency_id, cost_rate, cost_source):
    """The Price of an entry's stored columns (NULLs as the ORM reads them)."""
    return Price(
        state or False,
        rate_id or False,
        bill_rate or 0.0,
        currency_id or False,
        cost_rate or 0.0,
        cost_source or False,
    )


def price_of(line_id, rate, employee_cost, company_currency, client, convert):
    """The price of one entry once the rate line that applies is known.

    :param line_id: the rate line's id, or None when no line applies
    :param rate: that line's (currency, bill rate, cost rate)
    :param employee_cost: the person's (hourly cost, its currency), or None
    :param company_currency: the entry's company currency
    :param client: the entry's client; None is internal time (not billable)
    :param convert: ``convert(amount, from_currency, to_currency)``, rounded in
        to_currency: how the cost becomes the company's
    """
    rate_currency, bill_rate, line_cost = rate if line_id else (False, 0.0, 0.0)
    if line_cost:
        cost, cost_currency, cost_source = line_cost, rate_currency, "rate"
    else:
        cost, cost_currency = employee_cost or (0.0, company_currency)
        cost_source = "employee"
    cost_rate = convert(cost, cost_currency, company_currency)
    if not client:
        state, bill_rate, rate_currency = "internal", 0.0, False
    elif line_id:
        state = "priced"
    else:
        state = "missing"
    return Price(
        state, line_id or False, bill_rate, rate_currency, cost_rate, cost_source
    )


def facts_scope(facts):
    """(company ids, first date, last date) of pricing facts, to load only the
    rate lines they need; None for no facts."""
    if not facts:
        return None
    days = [fact[6] for fact in facts]
    return list({fact[1] for fact in facts}), min(days), max(days)


def price_changes(quotes, force=False):
    """{entry id: (stored Price, new Price)} of the quotes whose price changes;
    frozen entries only with force (a re-rate)."""
    return {
        entry_id: (quote.stored, quote.price)
        for entry_id, quote in quotes.items()
        if (force or not quote.frozen) and not same_price(quote.price, quote.stored)
    }


def ids_by_price(prices):
    """{Price: [entry ids]} of {entry id: Price}: one write per distinct price
    (entries share few prices)."""
    groups = defaultdict(list)
    for entry_id, price in prices.items():
        groups[price].append(entry_id)
    return groups


# -- what the engine reads of entries, and a price in words --------------------


def entry_amounts(lines):
    """{entry ids: (amount, cost)} of timesheet entries: hours × bill rate
    rounded in the rate's currency, hours × cost rate in the company's, one
    pair per distinct (hours, rates, currencies) (entries share few)."""
    groups = defaultdict(list)
    for id_, *key in zip(
        lines._ids,
        column(lines, "unit_amount"),
        column(lines, "agency_bill_rate"),
        column(lines, "agency_rate_currency_id"),
        column(lines, "agency_cost_rate"),
        column(lines, "currency_id"),
        strict=True,
    ):
        groups[tuple(key)].append(id_)
    Currency = lines.env["res.currency"]
    amounts = {}
    for (
        hours,
        bill_rate,
        currency,
        cost_rate,
        company_currency,
    ), ids in groups.items():
        amount, cost = bill_rate * hours, cost_rate * hours
        currency, company_currency = real_id(currency), real_id(company_currency)
        amounts[tuple(ids)] = (
            Currency.browse(currency).round(amount) if currency else amount,
            Currency.browse(company_currency).round(cost) if company_currency else cost,
        )
    return amounts


def invoice_amounts(lines, currency, invoice_date, company=None):
    """{entry id: bill amount in currency at invoice_date} of priced entries:
    the rate currency converted with Odoo's rates of that date (one look-up
    per currency)."""
    company = company or lines.env.company
    factors = {}
    amounts = {}
    for line in lines.sudo():
        source = line.agency_rate_currency_id
        if line.agency_rate_state != "priced" or not source:
            continue
        if source not in factors:
            factors[source] = source._get_conversion_rate(
                source, currency, company, invoice_date
            )
        amounts[line.id] = currency.round(line.agency_amount * factors[source])
    return amounts


def facts_of(lines):
    """Pricing facts of the timesheet entries in lines, read through the ORM
    (so that values not saved yet count): [(entry id, company, client, project,
    role, person, date)], client None for a project without a customer."""
    projects = [real_id(value) for value in column(lines, "project_id")]
    clients = {
        project.id: project.partner_id.commercial_partner_id.id or None
        for project in lines.env["project.project"]
        .sudo()
        .browse({project for project in projects if project})
    }
    return [
        (id_, real_id(company), clients[project], project, real_id(role),
         real_id(employee), day)
        for id_, company, project, role, employee, day in zip(
            lines._ids,
            column(lines, "company_id"),
            projects,
            column(lines, "role_id"),
            column(lines, "employee_id"),
            column(lines, "date"),
            strict=True,
        )
        if project and day and company
    ]  # fmt: skip


def flush_facts(env):
    """Flush what :meth:`Pricing.stored_prices` and ``stored_quotes`` read in
    SQL: the entries' facts and prices, their clients and people's costs."""
    env["account.analytic.line"].flush_model(
        [
            "company_id",
            "date",
            "project_id",
            "role_id",
            "employee_id",
            "unit_amount",
            "currency_id",
            "agency_amount",
            "agency_cost",
            "agency_rate_frozen",
            *PRICE_FIELDS.values(),
        ]
    )
    env["project.project"].flush_model(["partner_id"])
    env["res.partner"].flush_model(["commercial_partner_id"])
    env["hr.employee"].flush_model(["hourly_cost", "company_id"])


def price_text(env, price):
    """'120.00 $ per hour: Role Designer, from 1 Jan 2026' for a Price (the
    audit log's words for a re-rate)."""
    if price.state == "missing":
        return env._("No rate")
    if price.state != "priced":
        return env._("Not billable")
    currency = env["res.currency"].browse(price.currency_id)
    rate = env["agency.rate"].sudo().browse(price.rate_id)
    return env._(
        "%(rate)s per hour: %(line)s",
        rate=formatLang(env, price.bill_rate, currency_obj=currency),
        line=rate.exists().display_name or "?",
    )


def engagement_projects(env, rates):
    """{project id: engagement id} of the projects of the engagements that
    have a blended line among rates (their line beats the projects' cards)."""
    engagements = rates.engagement_id
    if not engagements:
        return {}
    projects = (
        env["project.project"]
        .sudo()
        .with_context(active_test=False)
        .search_fetch(
            [("agency_engagement_id", "in", engagements.ids)],
            ["agency_engagement_id"],
        )
    )
    return {project.id: project.agency_engagement_id.id for project in projects}


class Pricing:
    """Prices entries against the rate cards of some companies over some dates.

    The rate lines are fetched once when it is built; people's hourly costs and
    currency rates are fetched once each, when first needed. ``price(facts)``
    then runs in Python (see :class:`.rate_precedence.RateCard`).
    """

    def __init__(self, env, company_ids=None, first=None, last=None):
        """:param company_ids: the companies whose lines to load (all if None)
        :param first, last: only lines effective at some point between them"""
        self.env = env
        domain = [("company_id", "in", company_ids)] if company_ids else []
        if last:
            domain += ["|", ("date_from", "=", False), ("date_from", "<=", last)]
        if first:
            domain += ["|", ("date_to", "=", False), ("date_to", ">=", first)]
        rates = (
            env["agency.rate"]
            .sudo()
            .search_fetch(
                domain,
                [
                    "company_id",
                    "partner_id",
                    "project_id",
                    "role_id",
                    "employee_id",
                    "date_from",
                    "date_to",
                    "currency_id",
                    "bill_rate",
                    "cost_rate",
                    "blended",
                    "engagement_id",
                ],
            )
        )
        self.card = RateCard(rates._to_plain(), engagement_projects(env, rates))
        self.rates = {
            rate.id: (rate.currency_id.id, rate.bill_rate, rate.cost_rate)
            for rate in rates
        }
        Company = env["res.company"].sudo()
        companies = Company.browse(company_ids) if company_ids else Company.search([])
        self.company_currency = {c.id: c.currency_id.id for c in companies}
        self.company_root = {c.id: c.root_id.id for c in companies}
        self.employees = {}
        self.rounding = {}
        self.fx_rows = {}
        self._factors = {}

    @classmethod
    def for_facts(cls, env, facts):
        """A Pricing for these facts (their companies and dates), or None."""
        scope = facts_scope(facts)
        return cls(env, *scope) if scope else None

    def _load_employees(self, ids):
        """Hourly costs, through the ORM: in cache after the first batch."""
        missing = [i for i in ids if i not in self.employees]
        if not missing:
            return
        employees = self.env["hr.employee"].sudo().browse(missing)
        employees.fetch(["hourly_cost", "company_id"])
        for employee in employees:
            self.employees[employee.id] = (
                employee.hourly_cost,
                self.company_currency.get(employee.company_id.id)
                or employee.company_id.currency_id.id,
            )

    def _load_currencies(self, ids):
        """Roundings, through the ORM (in cache after the first batch)."""
        missing = [i for i in ids if i and i not in self.rounding]
        for currency in self.env["res.currency"].sudo().browse(missing):
            self.rounding[currency.id] = currency.rounding

    def _load_rates(self, ids):
        """Every rate of these currencies for the companies (one query), only
        when an amount must be converted."""
        missing = [i for i in ids if i not in self.fx_rows]
        if not missing:
            return
        for currency in missing:
            self.fx_rows[currency] = []
        roots = list(set(self.company_root.values()))
        for rate in (
            self.env["res.currency.rate"]
            .sudo()
            .search_fetch(
                [
                    ("currency_id", "in", missing),
                    ("company_id", "in", [*roots, False]),
                ],
                ["currency_id", "company_id", "name", "rate"],
                order="id",
            )
        ):
            self.fx_rows[rate.currency_id.id].append(
                (rate.company_id.id or None, rate.name, rate.rate)
            )

    def convert(self, amount, from_currency, to_currency, company, day):
        """amount converted at day's rate and rounded, as res.currency._convert."""
        if not amount:
            return 0.0
        if from_currency != to_currency:
            root = self.company_root[company]
            key = (from_currency, to_currency, root, day)
            factor = self._factors.get(key)
            if factor is None:
                self._load_rates([from_currency, to_currency])
                factor = self._factors[key] = currency_rate_on(
                    self.fx_rows[to_currency], root, day
                ) / currency_rate_on(self.fx_rows[from_currency], root, day)
            amount *= factor
        return float_round(amount, precision_rounding=self.rounding[to_currency])

    def price(self, facts):
        """{entry id: Price} for facts, plain tuples (entry id, company, client,
        project, role, employee, date); an entry without a client is not
        billable (its project has no customer)."""
        find = self.card.find_for
        found = [(fact, find(*fact[1:])) for fact in facts]
        self._load_employees({fact[5] for fact in facts if fact[5]})
        currencies = set(self.company_currency.values())
        currencies.update(self.rates[line.id][0] for _fact, line in found if line)
        currencies.update(currency for _cost, currency in self.employees.values())
        self._load_currencies(currencies)
        prices = {}
        known = {}
        for fact, line in found:
            entry_id, company, client, _project, _role, employee, day = fact
            key = (line, employee, company, day, client is None)
            price = known.get(key)
            if price is None:
                price = known[key] = self._price(line, employee, company, day, client)
            prices[entry_id] = price
        return prices

    def _price(self, line, employee, company, day, client):
        line_id = line.id if line else None
        return price_of(
            line_id,
            self.rates[line_id] if line_id else None,
            self.employees.get(employee),
            self.company_currency[company],
            client,
            lambda amount, source, target: self.convert(
                amount, source, target, company, day
            ),
        )

    # -- stored entries, in batches --

    def stored_prices(self, ids, batch_size):
        """{entry id: Price} per batch of ``batch_size`` stored entries (those
        with a project and a date): one query per batch for their facts, plus
        one for the hourly costs of people not seen in an earlier batch. The
        caller flushes the facts first."""
        for rows, prices in self._batches(ids, batch_size, stored=False):
            del rows  # the batch's rows are not kept while the caller works
            yield prices

    def stored_quotes(self, ids, batch_size):
        """Like :meth:`stored_prices`: {entry id: Quote} per batch, with the
        price each entry holds and whether it is frozen."""
        for rows, prices in self._batches(ids, batch_size, stored=True):
            yield {
                row[0]: Quote(prices[row[0]], stored_price(*row[7:13]), bool(row[13]))
                for row in rows
            }

    def _batches(self, ids, batch_size, stored):
        columns = SQL(
            """l.id, l.company_id, partner.commercial_partner_id, l.project_id,
               l.role_id, l.employee_id, l.date"""
        )
        if stored:
            columns = SQL(
                """%s, l.agency_rate_state, l.agency_rate_id, l.agency_bill_rate,
                   l.agency_rate_currency_id, l.agency_cost_rate,
                   l.agency_cost_source, l.agency_rate_frozen""",
                columns,
            )
        for offset in range(0, len(ids), batch_size):
            # SQL: the facts as plain tuples, one query per batch (the ORM
            # would build a record per entry; the bench's resolve_rates).
            rows = self.env.execute_query(
                SQL(
                    """SELECT %s
                         FROM account_analytic_line l
                         JOIN project_project project
                           ON project.id = l.project_id
                    LEFT JOIN res_partner partner
                           ON partner.id = project.partner_id
                        WHERE l.id = ANY(%s) AND l.date IS NOT NULL""",
                    columns,
                    ids[offset : offset + batch_size],
                )
            )
            prices = self.price([row[:7] for row in rows] if stored else rows)
            self.card.forget()
            yield rows, prices
