"""The demo's cash story (the rules in cash_plan.py): customer payment history,
a slow client's large invoice and an opening bank balance, all dated from
the plan's `today` (agency_timesheet/demo/plan.py).

- **Payment history**: every client of the agency had invoices the months
  before the demo's history (dated 150, 120 and 90 days before today, net 30,
  no engagement: work before the demo), paid; Evergreen Health (the slow
  client, :data:`SLOW`) paid each of them the most days late, the others on
  time or a little late. These payments are what *Forecast Accuracy* shows as
  cash in since the snapshot, and what each client's average days late is
  learned from.
- **The large invoice**: Evergreen's *Patient App release* invoice, posted,
  due so that, paid as late as Evergreen pays, it comes the week before the
  payroll about two months out (cash_plan.dip_payroll): the conservative
  scenario's 15 days more bring it the week after that payroll.
- **Opening balance**: a bank entry at the start of the history, so that the
  bank holds today what cash_plan.opening_for chooses from the forecast's own
  weekly balances: base and best above zero, only conservative below, in a
  week about two months out.

The days late and the invoice's amount are chosen by trying a few on the
forecast's lines in memory (nothing written), the opening from the forecast
read afterwards from the real records.
"""

import logging
from datetime import timedelta

from odoo import Command

from odoo.addons.agency_timesheet.demo.common import ref, register

from ..forecast_sources import ForecastSources
from . import cash_plan as cp

_logger = logging.getLogger(__name__)

CLIENTS = ("acme", "bright", "citrus", "dune", "evergreen", "foxglove")
SLOW = "evergreen"
# the history invoices: days before today, and amounts per client (a few
# thousand: the work of a quiet month before the demo's history)
HISTORY_DAYS = (150, 120, 90)
HISTORY_AMOUNT = 6000.0
SCENARIOS = ("best", "base", "conservative")


def build(env, plan):
    """Payments, the large invoice and the opening balance, once."""
    company = env.company
    if ref(env, "bank_opening_entry") or not _journal(env, "bank"):
        return
    clients = {key: ref(env, f"client_{key}") for key in CLIENTS}
    clients = {key: client for key, client in clients.items() if client}
    if SLOW not in clients or not _journal(env, "sale"):
        return
    today = plan.today
    scenarios = env["agency.forecast.scenario"].search(
        [("company_id", "=", company.id), ("kind", "in", SCENARIOS)]
    )
    week_start = ForecastSources(env, company, today).week_start
    payroll = cp.dip_payroll(today, week_start)
    slow_late, others_late, amount = _choose(env, plan, scenarios, clients, week_start)
    late = {key: others_late for key in clients}
    late[SLOW] = slow_late
    _history(env, plan, clients, late)
    due = cp.large_invoice_due(payroll, slow_late, week_start)
    invoice = _invoice(
        env, clients[SLOW], min(today, due - timedelta(days=30)), amount,
        "Patient App release", due=due,
    )  # fmt: skip
    register(env, "invoice_evergreen_release", invoice)
    balances, current = _balances(env, today, scenarios)
    opening = cp.opening_for(balances)
    if opening is None:
        floor, _ceiling = cp.bounds(balances)
        opening = floor + 1000.0
        _logger.warning(
            "Demo cash story: no opening balance keeps base and best above zero "
            "and sends only the conservative below it about two months out "
            "(built on %s); the opening keeps every scenario above zero.",
            today,
        )
    entry = _opening_entry(env, plan, opening - current)
    register(env, "bank_opening_entry", entry)


def _journal(env, kind):
    return env["account.journal"].search(
        [("type", "=", kind), ("company_id", "=", env.company.id)], limit=1
    )


def _choose(env, plan, scenarios, clients, week_start):
    """cash_plan.choose on the forecast's lines of today (in memory)."""
    lines = ForecastSources(env, env.company, plan.today).lines()
    slow_late, others_late, amount, room = cp.choose(
        lines, plan.today, {s.kind: s._agency_levers() for s in scenarios},
        [client.id for client in clients.values()], clients[SLOW].id,
        week_start, env.company.currency_id.id,
    )  # fmt: skip
    if room < cp.ROOM:
        _logger.info("Demo cash story: little room (%s) on %s", room, plan.today)
    return slow_late, others_late, amount


def _invoice(env, client, day, amount, name, due=None, term=None):
    values = {
        "move_type": "out_invoice",
        "partner_id": client.id,
        "invoice_date": day,
        "invoice_line_ids": [
            Command.create(
                {
                    "product_id": env.ref("agency_billing.product_agency_time").id,
                    "name": name,
                    "quantity": 1,
                    "price_unit": amount,
                    "tax_ids": [Command.clear()],
                }
            )
        ],
    }
    if term:
        values["invoice_payment_term_id"] = term.id
    else:
        values.update(invoice_payment_term_id=False, invoice_date_due=due or day)
    invoice = env["account.move"].create(values)
    invoice.action_post()
    return invoice


def _history(env, plan, clients, late):
    """Three invoices of each client before the history, each paid its
    client's days late after its due date."""
    net30 = env.ref("account.account_payment_term_30days")
    for index, (key, client) in enumerate(sorted(clients.items())):
        for number, days in enumerate(HISTORY_DAYS, start=1):
            day = plan.today - timedelta(days=days)
            invoice = _invoice(
                env, client, day, HISTORY_AMOUNT + 500.0 * index + 250.0 * number,
                f"Earlier work, {day:%B %Y}", term=net30,
            )  # fmt: skip
            paid = min(
                invoice.invoice_date_due + timedelta(days=late[key]),
                plan.today - timedelta(days=1),
            )
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"payment_date": paid}).action_create_payments()
            register(env, f"invoice_{key}_history_{number}", invoice)


def _balances(env, today, scenarios):
    """({scenario kind: weekly balances from 0}, the bank's balance today)."""
    data = scenarios.agency_forecast_data(today=today, scenario_ids=scenarios.ids)
    opening = data["opening_balance"]
    balances = {
        figures["kind"]: [b - opening for b in figures["balance"]["weeks"]]
        for figures in data["scenarios"]
    }
    return balances, opening


def _opening_entry(env, plan, amount):
    """A posted entry bringing `amount` into the bank at the history's start."""
    bank = _journal(env, "bank").default_account_id
    equity = env["account.account"].search(
        [
            ("account_type", "=", "equity"),
            ("company_ids", "in", env.company.id),
        ],
        limit=1,
    )
    debit, credit = (bank, equity) if amount >= 0 else (equity, bank)
    entry = env["account.move"].create(
        {
            "move_type": "entry",
            "journal_id": _journal(env, "general").id,
            "date": plan.history[0],
            "ref": "Opening bank balance",
            "line_ids": [
                Command.create(
                    {"account_id": debit.id, "debit": abs(amount),
                     "name": "Opening bank balance"}
                ),
                Command.create(
                    {"account_id": credit.id, "credit": abs(amount),
                     "name": "Opening bank balance"}
                ),
            ],
        }
    )  # fmt: skip
    entry.action_post()
    return entry
