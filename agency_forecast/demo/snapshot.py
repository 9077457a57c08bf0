"""The demo's snapshot: the base scenario as the board saw it three months
before the plan's `today` (agency_timesheet/demo/plan.py), so that *Forecast
Accuracy* has a story against the demo's real invoices and payments since.

The forecast of three months ago cannot be read back from today's records
(the work since is approved now), so the snapshot is written as the board
would have been told: the months since, per client, what was really invoiced
give or take the forecast's usual misses (Acme a tenth over, Bright a sixth
under, the others within 5 %), each invoice's cash expected 30 days after it
(clients paying on time: the slow payers are the miss); the months after
today from the base scenario's figures of that day. Levers and assumptions
are the base scenario's, as *Freeze for the Board* stores them.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import fields

from .. import forecast_accuracy as fa

THREE_MONTHS = timedelta(days=91)
# the forecast's miss per client name (others: FALLBACK by position)
MISS = {"Acme": 1.10, "Bright": 0.85}
FALLBACK = (1.05, 0.97, 1.02, 0.95)


def build(env, plan):
    """The base scenario's snapshot of three months ago, once."""
    Snapshot = env["agency.forecast.snapshot"]
    company = env.company
    if Snapshot.search_count([("company_id", "=", company.id)]):
        return Snapshot
    base = env["agency.forecast.scenario"].search(
        [("company_id", "=", company.id), ("kind", "=", "base")], limit=1
    )
    if not base:
        return Snapshot
    day = plan.today - THREE_MONTHS
    current = fa.month_first(plan.today)
    data = base.agency_forecast_data(today=day, scenario_ids=base.ids)
    figures = data["scenarios"][0]
    months = [fields.Date.to_date(m) for m in data["months"]]
    lines = [line for line in fa.snapshot_lines(figures, months) if line[2] > current]
    lines += _told(env, day, current)
    frozen = Snapshot.sudo().with_context(agency_freeze=True)
    return frozen.create(
        {
            "name": f"{base.name}, {day}",
            "company_id": company.id,
            "currency_id": company.currency_id.id,
            "scenario_id": base.id,
            "kind": base.kind,
            "date": day,
            "user_id": env.ref("base.user_admin").id,
            "levers": figures["levers"],
            "assumptions": "\n".join(
                f"{base._fields[n].string if n in base._fields else n}: {v}"
                for n, v in figures["levers"].items()
                if v not in (False, None, "")
            )
            + (f"\n{base.note}" if base.note else ""),
            "opening_balance": data["opening_balance"],
            "lowest_balance": figures["lowest_balance"]["amount"],
            "lowest_balance_date": figures["lowest_balance"]["date"] or False,
            "line_ids": [
                fields.Command.create(
                    {"figure": f, "client_id": c, "month": m, "amount": a}
                )
                for f, c, m, a in lines
            ],
        }
    )


def _told(env, day, current):
    """The lines of the months from `day` to `current`: billings and revenue
    per client as really invoiced × the client's miss, cash 30 days after."""
    moves = env["account.move"].search(
        [
            ("company_id", "=", env.company.id),
            ("state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("invoice_date", ">=", day),
        ],
        order="invoice_date, id",
    )
    told = defaultdict(float)
    clients = sorted({m.commercial_partner_id for m in moves}, key=lambda p: p.id)
    miss = {
        client: MISS.get(client.name.split()[0], FALLBACK[index % len(FALLBACK)])
        for index, client in enumerate(clients)
    }
    for move in moves:
        client = move.commercial_partner_id
        amount = move.amount_untaxed_signed * miss[client]
        month = fa.month_first(move.invoice_date)
        if month <= current:
            told[("revenue", client.id, month)] += amount
            told[("billings", client.id, month)] += amount
        paid = fa.month_first(move.invoice_date + timedelta(days=30))
        if paid <= current:
            told[("cash", client.id, paid)] += move.amount_total_signed * miss[client]
    return [
        (figure, client, month, round(amount, 2))
        for (figure, client, month), amount in told.items()
        if round(amount, 2)
    ]
