"""The demo agency's retainer: Dune Museum's social content.

A project of its own with three tasks, and time logged by hand for it (fixed
hours on fixed working days of each person, their calendar and leave
respected) over the three months of ``plan.retainer_months`` (plan.py: the
three months up to the billing month): a quiet first month whose unused hours
roll over, a quieter second one in which they expire, and a busy last one with
overage. Its time is approved and priced; one run a month, up to the month's
last day, invoiced the day after (fee, and overage in the last) and posted.
"""

from datetime import datetime, time, timedelta

import pytz

from odoo import fields

from odoo.addons.agency_timesheet.demo.common import ref, register, slug
from odoo.addons.agency_timesheet.demo.plan import month_end

from .billing import billed_run, can_invoice

# The retainer: Dune Museum's social content, 12 h a month, unused hours usable
# one month more, overage at a fixed rate, the fee billed once the month is over.
RETAINER = {
    "name": "Dune Museum Social Retainer",
    "period_fee": 1500.0,
    "included_hours": 12.0,
    "rollover_periods": 1,
    "overage_rate_kind": "fixed",
    "overage_rate": 140.0,
    "overage_billing": "period",
    "fee_timing": "arrears",
}
RETAINER_TASKS = ("Content plan", "Social posts", "Newsletter")
# Its time, month by month from three months before this one: (person, working
# day of the month for that person (1 = their first, -1 = their last), hours,
# task, note).
RETAINER_TIME = (
    # the end of the month: 7 h of 12 used, 5 h roll over into the next month
    [
        ("marc", -2, 2.0, "Content plan", "Content plan for the quarter"),
        ("ines", -1, 2.5, "Social posts", "Key visuals for the month"),
        ("clara", -1, 2.5, "Social posts", "Captions and hashtags"),
    ],
    # the museum closed for works: 2 h used, taken from the 5 rolled over; the
    # other 3 expire, this month's 12 roll over
    [
        ("clara", 3, 1.0, "Newsletter", "Closure notice for the newsletter"),
        ("ines", 5, 1.0, "Social posts", "Closure visual"),
    ],
    # the exhibition opens: 27 h against 12 rolled over and 12 included, 3 h over
    [
        ("marc", 1, 2.5, "Content plan", "Opening campaign plan"),
        ("ines", 2, 2.5, "Social posts", "Opening key visual"),
        ("clara", 3, 2.5, "Social posts", "Opening posts copy"),
        ("ines", 4, 2.5, "Social posts", "Story series"),
        ("marc", 5, 2.5, "Social posts", "Art direction of the story series"),
        ("clara", 6, 2.5, "Newsletter", "Opening newsletter"),
        ("ines", 7, 2.5, "Newsletter", "Newsletter layout"),
        ("clara", 8, 2.5, "Social posts", "Live coverage of the opening night"),
        ("ines", 10, 2.5, "Social posts", "Photo selection after the opening"),
        ("marc", 11, 2.0, "Content plan", "Post-opening review with the museum"),
        ("clara", 12, 2.5, "Newsletter", "Visitor stories for the newsletter"),
    ],
)


def workday(employee, month_start, nth):
    """The person's nth working day of the month (1: the first, -1: the
    last), by their calendar, leave and the studio's days off skipped."""
    tz = pytz.timezone(employee.tz or "UTC")
    start = tz.localize(datetime.combine(month_start, time.min))
    end = tz.localize(datetime.combine(month_end(month_start), time.max))
    resource = employee.resource_id
    intervals = employee.resource_calendar_id._work_intervals_batch(
        start, end, resources=resource, tz=tz
    )[resource.id]
    days = sorted({begin.date() for begin, _stop, _records in intervals})
    if not days:
        return month_start
    index = nth - 1 if nth > 0 else nth
    return days[max(-len(days), min(index, len(days) - 1))]


def build_retainer(env, company, plan):
    """Dune Museum's social retainer over the three months up to last
    month: a roll-over, an expiry and an overage month, each billed by a
    run of its own and posted."""
    bruno = ref(env, "user_bruno")
    accountant = env.ref("base.user_admin")
    months = plan.retainer_months
    engagement = register(
        env,
        "engagement_dune_social",
        env["agency.engagement"].create(
            dict(
                RETAINER,
                kind="retainer",
                company_id=company.id,
                partner_id=ref(env, "client_dune").id,
                user_id=bruno.id,
                currency_id=company.currency_id.id,
                date_start=months[0],
                retainer_period="month",
            )
        ),
    )
    project = register(
        env,
        "project_dune_social",
        env["project.project"].create(
            {
                "name": RETAINER["name"],
                "partner_id": ref(env, "client_dune").id,
                "user_id": ref(env, "user_pedro").id,
                "company_id": company.id,
                "allow_timesheets": True,
                "privacy_visibility": "employees",
                "tag_ids": [(6, 0, ref(env, "tag_retainer").ids)],
                "agency_engagement_id": engagement.id,
                "task_ids": [
                    (0, 0, {"name": name, "sequence": sequence})
                    for sequence, name in enumerate(RETAINER_TASKS)
                ],
            }
        ),
    )
    tasks = {task.name: task for task in project.task_ids}
    for name, task in tasks.items():
        register(env, f"task_dune_social_{slug(name)}", task)
    vals_list = []
    for month, entries in zip(months, RETAINER_TIME, strict=True):
        for person, nth, hours, task, note in entries:
            employee = ref(env, f"employee_{person}")
            vals_list.append(
                {
                    "employee_id": employee.id,
                    "project_id": project.id,
                    "task_id": tasks[task].id,
                    "date": workday(employee, month, nth),
                    "unit_amount": hours,
                    "name": note,
                }
            )
    lines = env["account.analytic.line"].create(vals_list)
    lines._agency_set_state("submitted", {})
    lines._agency_set_state("approved", {"approved_on": fields.Datetime.now()})
    lines._agency_freeze_rates()
    invoicing = can_invoice(env, company)
    for number, month in enumerate(months, start=1):
        end = month_end(month)
        run = register(
            env,
            f"billing_run_dune_social_{number}",
            billed_run(
                env,
                engagement,
                bruno,
                accountant,
                end,
                end + timedelta(days=1),
                invoicing,
            ),
        )
        if run.invoice_ids:
            register(env, f"invoice_dune_social_{number}", run.invoice_ids)
    for number, period in enumerate(
        engagement.retainer_period_ids.sorted("date_start"), start=1
    ):
        register(env, f"retainer_period_dune_social_{number}", period)
    return engagement
