"""The demo agency's rate cards.

Builds, from ``plan.rates_from`` (plan.py: the first day of the demo's time,
or of the retainer's first month if that is earlier, so that all its time is
priced):

- a company default rate and one rate per role;
- Bright Bank's card in the company's currency (10 % off every role);
- Foxglove Fashion's card in another currency (EUR, or USD when the company
  already bills in EUR), which is activated and given a rate on each of
  ``plan.currency_rate_days``;
- project overrides (one blended rate on Dune Exhibition Identity, and Art
  Direction on Acme Spring Campaign) and a person override (Kai Nakamura, lead
  developer, with a cost rate of his own);
- one rate change mid-quarter: designers go from 110 to 120 an hour on
  ``plan.rate_change``, the first day of the month in the middle of the demo
  period.
"""

import itertools
from datetime import timedelta

from odoo.addons.agency_timesheet.demo.common import ref, register

# role code: (bill rate, cost rate or 0 for the person's hourly cost)
ROLE_RATES = {
    "AD": (150.0, 0.0),
    "DES": (110.0, 0.0),
    "CW": (105.0, 0.0),
    "DEV": (120.0, 0.0),
    "PRD": (95.0, 0.0),
    "STR": (165.0, 0.0),
}
DESIGNER_RAISE = 120.0
# Bright Bank pays 10 % less on every role, in the company's currency.
BRIGHT_DISCOUNT = 0.9
# Foxglove Fashion's card, in its own currency, and one client-wide rate.
FOXGLOVE_RATES = {"AD": 135.0, "DES": 95.0, "CW": 90.0}
FOXGLOVE_DEFAULT = 100.0
# Units of the foreign currency per unit of the company currency, month by month.
FOREIGN_RATES = (0.91, 0.93, 0.92, 0.94)


def build_foreign_currency(env, company, plan):
    """EUR (USD for a company in EUR), active, with a rate a month."""
    code = "USD" if company.currency_id.name == "EUR" else "EUR"
    currency = env.ref(f"base.{code}")
    currency.active = True
    Rate = env["res.currency.rate"]
    for day, rate in zip(
        plan.currency_rate_days, itertools.cycle(FOREIGN_RATES), strict=False
    ):
        existing = Rate.search(
            [
                ("currency_id", "=", currency.id),
                ("company_id", "=", company.id),
                ("name", "=", day),
            ]
        )
        if existing:
            continue
        Rate.create(
            {
                "currency_id": currency.id,
                "company_id": company.id,
                "name": day,
                # Odoo stores units of the currency per unit of the company's.
                "rate": rate if code == "EUR" else round(1 / rate, 6),
            }
        )
    return currency


def build_rates(env, company, plan, foreign):
    """Create the demo rate lines in one batch (one re-pricing of the time)."""
    base = {
        "company_id": company.id,
        "currency_id": company.currency_id.id,
        "date_from": plan.rates_from,
    }
    change = plan.rate_change
    lines = {
        "rate_company_default": dict(
            base,
            bill_rate=100.0,
            note="Studio rate for anything without a rate of its own",
        )
    }
    for code, (bill, cost) in ROLE_RATES.items():
        values = dict(base, role_id=ref(env, f"role_{code.lower()}").id, bill_rate=bill)
        if cost:
            values["cost_rate"] = cost
        if code == "DES":
            lines["rate_role_des_old"] = dict(
                values, date_to=change - timedelta(days=1), note="Last year's card"
            )
            values = dict(
                values,
                bill_rate=DESIGNER_RAISE,
                date_from=change,
                note="Designer rate raised mid-quarter",
            )
        lines[f"rate_role_{code.lower()}"] = values

    bright = ref(env, "client_bright")
    for code, (bill, _cost) in ROLE_RATES.items():
        lines[f"rate_bright_{code.lower()}"] = dict(
            base,
            partner_id=bright.id,
            role_id=ref(env, f"role_{code.lower()}").id,
            bill_rate=round(bill * BRIGHT_DISCOUNT, 2),
            note="Framework agreement: 10 % off the studio rates",
        )

    foxglove = dict(
        base, currency_id=foreign.id, partner_id=ref(env, "client_foxglove").id
    )
    lines["rate_foxglove_default"] = dict(
        foxglove,
        bill_rate=FOXGLOVE_DEFAULT,
        note=f"Foxglove Fashion is invoiced in {foreign.name}",
    )
    for code, bill in FOXGLOVE_RATES.items():
        lines[f"rate_foxglove_{code.lower()}"] = dict(
            foxglove, role_id=ref(env, f"role_{code.lower()}").id, bill_rate=bill
        )

    lines["rate_dune_identity"] = dict(
        base,
        project_id=ref(env, "project_dune_identity").id,
        bill_rate=115.0,
        blended=True,
        note="Museum project: one blended rate for everyone",
    )
    lines["rate_acme_spring_ad"] = dict(
        base,
        project_id=ref(env, "project_acme_spring").id,
        role_id=ref(env, "role_ad").id,
        bill_rate=175.0,
        note="Campaign art direction, quoted separately",
    )
    lines["rate_kai"] = dict(
        base,
        employee_id=ref(env, "employee_kai").id,
        bill_rate=140.0,
        cost_rate=60.0,
        note="Lead developer: billed and costed above the developer rate",
    )
    rates = env["agency.rate"].create(list(lines.values()))
    for name, rate in zip(lines, rates, strict=True):
        register(env, name, rate)
    return rates
