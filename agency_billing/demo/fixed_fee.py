"""The demo agency's fixed fee: Acme Website Refresh, which over-ran.

Dates, from the plan (plan.py): the engagement starts on
``plan.fixed_fee_start``; its schedule is a kick-off on that day, a design
sign-off at a milestone (due ``plan.milestone_deadline``, reached on
``plan.milestone_reached`` in the billing month) and a launch on
``plan.launch_day`` (the end of the month after the one the demo is built
in). The fee is what the effort was worth up to the end of the month before
last (``plan.earlier_month``), rounded up: the over-run comes last month. The
kick-off is invoiced the month before last (``plan.earlier_invoice_date``); a
change order on ``plan.change_order_day``; the milestone and the change order
are invoiced last month (``plan.closing_invoice_date``), posted, and that run
writes off the effort beyond the fee.
"""

import math

from odoo.addons.agency_timesheet.demo.common import ref, register

from .billing import billed_run, can_invoice

# The fixed fee: Acme Website Refresh, shares of the fee by date and milestone.
FIXED_FEE_NAME = "Acme Website Refresh"
FIXED_MILESTONE = "Design signed off"
FIXED_SCHEDULE = (("Kick-off", 30.0), ("Design sign-off", 40.0), ("Launch", 30.0))
# The fee is what the effort was worth up to the month before last, rounded up
# to this step: the over-run comes last month. The change order covers this
# share of last month's effort.
FIXED_FEE_STEP = 1000.0
CHANGE_ORDER_SHARE = 0.5
CHANGE_ORDER_STEP = 500.0
CHANGE_ORDER_NAME = "CO-1 Store locator and second language"
CHANGE_ORDER_REASON = (
    "After the design sign-off Acme asked for a store locator page and the site "
    "in a second language: agreed by email with their marketing lead"
)


def effort(env, project, day):
    """What the approved time of the project up to `day` is worth at the
    cards."""
    [(worth,)] = env["account.analytic.line"]._read_group(
        [
            ("project_id", "=", project.id),
            ("approval_state", "=", "approved"),
            ("agency_rate_state", "=", "priced"),
            ("date", "<=", day),
        ],
        [],
        ["agency_amount:sum"],
    )
    return worth or 0.0


def build_fixed_fee(env, company, plan):
    """Acme Website Refresh at a fixed fee: the kick-off invoiced the month
    before last, the design milestone and a change order last month, and
    the effort beyond the fee written off by last month's run."""
    bruno = ref(env, "user_bruno")
    accountant = env.ref("base.user_admin")
    end_last = plan.billing_month[1]
    end_before = plan.earlier_month[1]
    first = plan.fixed_fee_start
    project = ref(env, "project_acme_web")
    project.allow_milestones = True
    milestone = register(
        env,
        "milestone_acme_web_design",
        env["project.milestone"].create(
            {
                "name": FIXED_MILESTONE,
                "project_id": project.id,
                "deadline": plan.milestone_deadline,
            }
        ),
    )
    fee = max(
        FIXED_FEE_STEP,
        math.ceil(effort(env, project, end_before) / FIXED_FEE_STEP) * FIXED_FEE_STEP,
    )
    launch = plan.launch_day
    (kickoff, design, final), shares = zip(*FIXED_SCHEDULE, strict=True)
    engagement = register(env, 
        "engagement_acme_web",
        env["agency.engagement"].create(
            {
                "name": FIXED_FEE_NAME,
                "kind": "fixed_fee",
                "company_id": company.id,
                "partner_id": ref(env, "client_acme").id,
                "user_id": bruno.id,
                "currency_id": company.currency_id.id,
                "date_start": first,
                "fee_amount": fee,
                "schedule_line_ids": [
                    (0, 0, {"sequence": 1, "name": kickoff, "trigger": "date",
                            "date_due": first, "percent": shares[0]}),
                    (0, 0, {"sequence": 2, "name": design,
                            "trigger": "milestone",
                            "milestone_id": milestone.id, "percent": shares[1]}),
                    (0, 0, {"sequence": 3, "name": final, "trigger": "date",
                            "date_due": launch, "percent": shares[2]}),
                ],
            }
        ),
    )  # fmt: skip
    project.agency_engagement_id = engagement
    for key, line in zip(
        ("kickoff", "design", "launch"),
        engagement.schedule_line_ids.sorted("sequence"),
        strict=True,
    ):
        register(env, f"schedule_acme_web_{key}", line)
    invoicing = can_invoice(env, company)
    earlier = billed_run(
        env,
        engagement,
        bruno,
        accountant,
        end_before,
        plan.earlier_invoice_date,
        invoicing,
    )
    register(env, "billing_run_acme_web_earlier", earlier)
    # Last month: the design was signed off, then the scope grew.
    milestone.is_reached = True
    milestone.reached_date = plan.milestone_reached
    extra = effort(env, project, end_last) - fee
    register(
        env,
        "change_order_acme_web",
        env["agency.change.order"].create(
            {
                "engagement_id": engagement.id,
                "name": CHANGE_ORDER_NAME,
                "date": plan.change_order_day,
                "amount": max(
                    CHANGE_ORDER_STEP,
                    math.floor(extra * CHANGE_ORDER_SHARE / CHANGE_ORDER_STEP)
                    * CHANGE_ORDER_STEP,
                ),
                "reason": CHANGE_ORDER_REASON,
                "user_id": bruno.id,
            }
        ),
    )
    last = billed_run(
        env,
        engagement,
        bruno,
        accountant,
        end_last,
        plan.closing_invoice_date,
        invoicing,
    )
    register(env, "billing_run_acme_web_last_month", last)
    writeoff = last.adjustment_ids.filtered(lambda a: a.reason == "overrun")
    if writeoff:
        register(env, "billing_adjustment_acme_web_overrun", writeoff[:1])
    for key, run in (("earlier", earlier), ("last_month", last)):
        if run.invoice_ids:
            register(env, f"invoice_acme_web_{key}", run.invoice_ids)
    return engagement
