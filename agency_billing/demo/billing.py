"""The demo agency's billing conveyor of time & materials: engagements, runs,
invoices and a credit note, with Bruno (Billing) as the billing owner.

Dates, from the plan (plan.py): "last month" is ``plan.billing_month``, the
month that ends on the lock date; "the month before last" is
``plan.earlier_month``.

- four time & materials engagements (Acme Spring, rounded up to 15 minutes;
  Citrus Summer Launch, to the nearest 6 minutes; Evergreen Patient App, with a
  not-to-exceed cap; Foxglove Lookbook, in the client's currency, signed on the
  first day of last month);
- the month before last billed for Acme and Evergreen (invoiced on
  ``plan.earlier_invoice_date``) and posted;
- last month's run collected and checked (invoices dated
  ``plan.review_invoice_date``): Acme (with a write-down), Citrus and Evergreen
  reviewed and invoiced as drafts; Foxglove held back by a blocking check (time
  logged before the engagement started) and a warning (an entry logged twice);
- a credit note on ``plan.credit_note_day``, posted, for one line of the
  earlier Acme invoice: its entries are free again, and the next run bills
  them.

Also the steps the other engagements' runs share (retainer.py, fixed_fee.py,
expenses.py): :func:`billed_run`, :func:`can_invoice`, :func:`mark_reviewed`.
"""

import logging
import math

from odoo import Command, fields

from odoo.addons.agency_timesheet.demo.common import ref, register

from . import terms

_logger = logging.getLogger(__name__)

# key, name, client key, project keys, round to (minutes), method, invoice lines
ENGAGEMENTS = [
    ("acme_spring", "Acme Spring Campaign", "acme", ["acme_spring"], "15", "up",
     "task"),
    ("citrus_launch", "Citrus Summer Launch", "citrus", ["citrus_launch"], "6",
     "nearest", "role"),
    ("evergreen_app", "Evergreen Patient App", "evergreen", ["evergreen_app"], "15",
     "nearest", "employee"),
    ("foxglove_lookbook", "Foxglove Lookbook", "foxglove", ["foxglove_lookbook"],
     "15", "nearest", "task"),
]  # fmt: skip
# Evergreen's cap: this much above what its approved time is worth, in steps.
CAP_HEADROOM = 1.25
CAP_STEP = 10000.0
WRITE_DOWN_NOTE = (
    "Second moodboard round was our call after the internal review, not the "
    "client's brief"
)
CREDIT_TASK = "Revisions round 2"
CREDIT_REASON = (
    "Revisions round 2 disputed by the client: credited, billed again once the "
    "scope is agreed"
)


def build_conveyor(env, company, plan):
    """Engagements, the month before last invoiced and posted, last month's
    run in review with its draft invoices, and a credit note."""
    bruno = ref(env, "user_bruno")
    accountant = env.ref("base.user_admin")
    start_last, end_last = plan.billing_month
    end_before = plan.earlier_month[1]
    foreign = ref(env, "rate_foxglove_default").currency_id
    engagements = build_engagements(env, company, bruno, start_last, end_last, foreign)
    terms.build(env, company, plan, engagements, bruno)  # issue 19's terms
    invoicing = can_invoice(env, company)
    earlier = earlier_run(
        env,
        engagements,
        bruno,
        accountant,
        end_before,
        plan.earlier_invoice_date,
        invoicing,
    )
    duplicate_entry(env, start_last, end_last)
    rush_entries(env, start_last, end_last)
    last_month_run(
        env, engagements, bruno, end_last, plan.review_invoice_date, invoicing
    )
    if invoicing:
        credit_note(
            env, earlier, engagements["acme_spring"], accountant, plan.credit_note_day
        )


def build_engagements(env, company, bruno, start_last, end_last, foreign):
    """The time & materials projects' engagements, Bruno owning them all."""
    engagements = {}
    for key, name, client, projects, increment, method, grouping in ENGAGEMENTS:
        values = {
            "name": name,
            "company_id": company.id,
            "partner_id": ref(env, f"client_{client}").id,
            "user_id": bruno.id,
            "currency_id": company.currency_id.id,
            "rounding_increment": increment,
            "rounding_method": method,
            "grouping": grouping,
        }
        if key == "evergreen_app":
            values["cap_amount"] = cap(
                env, [ref(env, f"project_{p}").id for p in projects], end_last
            )
            # issue 19: a person's day per task rounded once, a 15-minute
            # minimum, weekend and rush work at 150 %
            values.update(
                rounding_scope="person_day",
                rounding_minimum=15,
                multiplier_ids=[
                    Command.create({"kind": "weekend", "factor": 1.5}),
                    Command.create({"kind": "rush", "factor": 1.5}),
                ],
            )
        if key == "foxglove_lookbook":
            values.update(currency_id=foreign.id, date_start=start_last)
            client_currency(env, company, ref(env, "client_foxglove"), foreign)
        engagement = env["agency.engagement"].create(values)
        register(env, f"engagement_{key}", engagement)
        for project in projects:
            ref(env, f"project_{project}").agency_engagement_id = engagement
        engagements[key] = engagement
    return engagements


def cap(env, project_ids, end_last):
    """A round cap above what the approved time up to last month is worth."""
    [(worth,)] = env["account.analytic.line"]._read_group(
        [
            ("project_id", "in", project_ids),
            ("approval_state", "=", "approved"),
            ("date", "<=", end_last),
        ],
        [],
        ["agency_amount:sum"],
    )
    return max(1.0, math.ceil((worth or 0.0) * CAP_HEADROOM / CAP_STEP)) * CAP_STEP


def client_currency(env, company, client, currency):
    """Foxglove buys in its own currency (its pricelist says so)."""
    pricelist = register(
        env,
        "pricelist_foxglove",
        env["product.pricelist"].create(
            {
                "name": f"Foxglove Fashion ({currency.name})",
                "currency_id": currency.id,
                "company_id": company.id,
            }
        ),
    )
    client.with_company(company).property_product_pricelist = pricelist


def can_invoice(env, company):
    """Invoices need a sales journal (a chart of accounts)."""
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    if not journal:
        _logger.info(
            "Demo billing: %s has no sales journal (no chart of accounts): "
            "runs are collected and checked, no invoice is made.",
            company.name,
        )
    return bool(journal)


def mark_reviewed(lines, owner):
    """The owner acknowledges the warnings they own and marks the lines
    reviewed."""
    warnings = lines.check_ids.filtered(
        lambda c: c.state == "open" and c.severity == "warning" and c.owner_id == owner
    )
    warnings.with_user(owner).action_acknowledge()
    lines.with_user(owner).action_mark_reviewed()


def earlier_run(env, engagements, bruno, accountant, day, invoice_date, invoicing):
    """The month before last for Acme and Evergreen: collected, reviewed,
    invoiced and posted by the accountant."""
    run = (
        env["agency.billing.run"]
        .with_user(bruno)
        .create(
            {
                "date_to": day,
                "invoice_date": invoice_date,
                "engagement_ids": [
                    (
                        6,
                        0,
                        (engagements["acme_spring"] | engagements["evergreen_app"]).ids,
                    )
                ],
            }
        )
    )
    register(env, "billing_run_earlier", run)
    run.action_collect()
    mark_reviewed(run.line_ids, bruno)
    if invoicing:
        run.with_user(bruno).action_create_invoices()
        invoices = run.invoice_ids
        invoices.with_user(accountant).action_post()
        for invoice in invoices:
            key = next(
                k for k, e in engagements.items() if e == invoice.agency_engagement_id
            )
            register(env, f"invoice_earlier_{key}", invoice)
    return run


def duplicate_entry(env, start_last, end_last):
    """Yuki logged a Foxglove entry twice (the timer and by hand)."""
    Line = env["account.analytic.line"]
    original = Line.search(
        [
            ("project_id", "=", ref(env, "project_foxglove_lookbook").id),
            ("employee_id", "=", ref(env, "employee_yuki").id),
            ("approval_state", "=", "approved"),
            ("date", ">=", start_last),
            ("date", "<=", end_last),
        ],
        order="date, id",
        limit=1,
    )
    if not original:
        return Line
    copy = Line.create(
        {
            "employee_id": original.employee_id.id,
            "project_id": original.project_id.id,
            "task_id": original.task_id.id,
            "date": original.date,
            "unit_amount": original.unit_amount,
            "name": original.name,
        }
    )
    copy._agency_set_state("submitted", {})
    copy._agency_set_state("approved", {"approved_on": fields.Datetime.now()})
    copy._agency_freeze_rates()
    return register(env, "entry_foxglove_duplicate", copy)


def rush_entries(env, start_last, end_last):
    """Paula (Evergreen's producer) marks last month's first two Evergreen
    entries as rush: billed at 150 % on their own invoice line."""
    entries = env["account.analytic.line"].search(
        [
            ("project_id", "=", ref(env, "project_evergreen_app").id),
            ("approval_state", "=", "approved"),
            ("date", ">=", start_last),
            ("date", "<=", end_last),
        ],
        order="date, id",
        limit=2,
    )
    entries.action_agency_mark_rush()
    for index, entry in enumerate(entries, start=1):
        register(env, f"entry_evergreen_rush_{index}", entry)


def last_month_run(env, engagements, bruno, end_last, invoice_date, invoicing):
    """Last month's run: Acme written down, Acme, Citrus and Evergreen
    reviewed and invoiced (drafts); Foxglove blocked."""
    run = (
        env["agency.billing.run"]
        .with_user(bruno)
        .create(
            {
                "date_to": end_last,
                "invoice_date": invoice_date,
                "engagement_ids": [(6, 0, [e.id for e in engagements.values()])],
            }
        )
    )
    register(env, "billing_run_last_month", run)
    run.action_collect()
    acme = run.line_ids.filtered(
        lambda line: line.engagement_id == engagements["acme_spring"]
    )
    entry = env["account.analytic.line"].search(
        [
            ("agency_run_id", "=", run.id),
            ("project_id", "=", ref(env, "project_acme_spring").id),
            ("unit_amount", ">=", 1.5),
        ],
        order="date, id",
        limit=1,
    )
    if entry:
        adjustment = (
            env["agency.billing.adjustment"]
            .with_user(bruno)
            .create(
                {
                    "run_line_id": acme.id,
                    "entry_id": entry.id,
                    "direction": "down",
                    "basis": "hours",
                    "hours": 1.0,
                    "reason": "inefficiency",
                    "note": WRITE_DOWN_NOTE,
                }
            )
        )
        register(env, "billing_adjustment_acme_write_down", adjustment)
    reviewed = run.line_ids.filtered(
        lambda line: line.engagement_id != engagements["foxglove_lookbook"]
    )
    mark_reviewed(reviewed, bruno)
    if invoicing:
        run.with_user(bruno).action_create_invoices()
    return run


def credit_note(env, run, engagement, accountant, day):
    """A credit note for one line of the earlier Acme invoice: its entries
    are free for the next run."""
    invoice = run.invoice_ids.filtered(
        lambda move: move.agency_engagement_id == engagement
    )
    if not invoice:
        return env["account.move"]
    lines = invoice.invoice_line_ids.sorted("sequence")
    kept = (
        lines.filtered(lambda line: CREDIT_TASK in (line.name or ""))[:1] or lines[-1:]
    )
    reversal = (
        env["account.move.reversal"]
        .with_user(accountant)
        .with_context(active_model="account.move", active_ids=invoice.ids)
        .create(
            {
                "journal_id": invoice.journal_id.id,
                "reason": CREDIT_REASON,
                "date": day,
            }
        )
    )
    action = reversal.refund_moves()
    refund = env["account.move"].browse(action["res_id"])
    refund.invoice_line_ids.filtered(
        lambda line: line.agency_reversed_line_id != kept
    ).unlink()
    refund.with_user(accountant).action_post()
    return register(env, "credit_note_acme", refund)


def billed_run(env, engagement, owner, accountant, day, invoice_date, invoicing):
    """A run of one engagement up to `day`: collected, reviewed by its
    owner, invoiced and posted by the accountant."""
    run = (
        env["agency.billing.run"]
        .with_user(owner)
        .create(
            {
                "date_to": day,
                "invoice_date": invoice_date,
                "engagement_ids": [(6, 0, engagement.ids)],
            }
        )
    )
    run.action_collect()
    mark_reviewed(run.line_ids, owner)
    if invoicing:
        run.with_user(owner).action_create_invoices()
        run.invoice_ids.with_user(accountant).action_post()
    return run
