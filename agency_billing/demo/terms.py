"""Issue 19's contract terms in the demo agency, set on the engagements
before last month's run (billing.py) collects:

- a blended rate: Dune Exhibition Identity's one rate for everyone (rates.py
  marks it *Blended Rate*);
- a volume discount reached: Citrus Summer Launch, 5 % above about half of
  the hours last month's run bills (8 % above three times that, not
  reached): its draft invoice has a "Volume discount 5 % above … h" line;
- a phase over budget: Foxglove Lookbook's busiest task of last month capped
  at half of what it logged then: a blocking check on last month's run (which
  holds Foxglove back anyway);
- a GBP client at a contract rate: Evergreen Annual Report, invoiced in GBP
  (EUR for a company in GBP) at a rate agreed from the rates' first day for a
  year after today, instead of the day's rate.

Every number is read from the demo's own time, its dates from the plan.
"""

import math
from datetime import timedelta

from odoo.addons.agency_timesheet.demo.common import ref, register

VOLUME_PERCENT, VOLUME_TOP_PERCENT = 5.0, 8.0
CONTRACT_RATE = 0.79  # GBP for one unit of the company's currency
CONTRACT_RATE_EUR = 1.16  # EUR for one GBP


def hours_by_task(env, project, first, last):
    """{task id: approved hours} of project between first (None: since
    always) and last."""
    since = [("date", ">=", first)] if first else []
    return {
        task.id: hours
        for task, hours in env["account.analytic.line"]._read_group(
            [
                ("project_id", "=", project.id),
                ("approval_state", "=", "approved"),
                *since,
                ("date", "<=", last),
                ("task_id", "!=", False),
            ],
            ["task_id"],
            ["unit_amount:sum"],
        )
    }


def build(env, company, plan, engagements, bruno):
    start_last, end_last = plan.billing_month
    # Citrus was never billed before: last month's run bills all its time
    volume_discount(env, engagements["citrus_launch"], None, end_last)
    phase_over_budget(env, engagements["foxglove_lookbook"], start_last, end_last)
    contract_rate(env, company, plan, bruno)


def volume_discount(env, engagement, first, last):
    hours = sum(hours_by_task(env, engagement.project_ids, first, last).values())
    threshold = max(1.0, math.floor(hours / 2 / 10) * 10)
    engagement.discount_tier_ids = [
        (0, 0, {"sequence": 1, "threshold": threshold, "percent": VOLUME_PERCENT}),
        (0, 0, {"sequence": 2, "threshold": threshold * 3,
                "percent": VOLUME_TOP_PERCENT}),
    ]  # fmt: skip


def phase_over_budget(env, engagement, first, last):
    tasks = hours_by_task(env, engagement.project_ids, first, last)
    if not tasks:
        return
    task_id, hours = max(tasks.items(), key=lambda item: (item[1], -item[0]))
    register(
        env,
        "phase_budget_foxglove",
        env["agency.phase.budget"].create(
            {
                "engagement_id": engagement.id,
                "task_id": task_id,
                "basis": "hours",
                "limit": max(1.0, math.floor(hours / 2)),
            }
        ),
    )


def contract_rate(env, company, plan, bruno):
    gbp = env.ref("base.GBP")
    invoice_currency = env.ref("base.EUR") if company.currency_id == gbp else gbp
    invoice_currency.active = True
    rate = CONTRACT_RATE_EUR if invoice_currency != gbp else CONTRACT_RATE
    project = ref(env, "project_evergreen_report")
    engagement = register(
        env,
        "engagement_evergreen_report",
        env["agency.engagement"].create(
            {
                "name": f"Evergreen Annual Report ({invoice_currency.name})",
                "company_id": company.id,
                "partner_id": project.partner_id.commercial_partner_id.id,
                "user_id": bruno.id,
                "currency_id": invoice_currency.id,
                "grouping": "task",
                "contract_rate_ids": [
                    (0, 0, {
                        "currency_id": company.currency_id.id,
                        "rate": rate,
                        "date_from": plan.rates_from,
                        "date_to": plan.today + timedelta(days=365),
                    }),
                ],
            }
        ),
    )  # fmt: skip
    project.agency_engagement_id = engagement
