"""The early warnings' stories in the demo agency, then one evaluation of every
warning as of the demo's `today` (so each story has its warning and its
owner's activity):

- **revision rounds**: every project's "Revisions round" tasks are marked as
  rework (about a quarter of the time, under the threshold); Foxglove Lookbook
  (Priya's) went three rounds further, with time on each;
- **a person whose non-billable time creeps up, and whose effective rate falls
  well below their role's**: Théo, a designer, spends afternoons of the last
  4 weeks on the studio's internal asset library, on top of his client work;
- **a retainer burning early**: Bright Bank's brand retainer (Paula's project)
  gets a monthly retainer from this month, whose included hours its team's
  usual pace uses up well before the month ends;
- **a client losing money on a fixed fee that over-ran**: Acme's Website
  Refresh as agency_billing's demo built it (effort beyond the fee written off):
  its margin is below target, its write-offs leak, its budget is used up.

Dates come from the plan (agency_timesheet/demo/plan.py): the last 4 weeks are
the 28 days before `today` whatever day that is; entries up to the approved
day are approved, those of the week to review submitted, later ones drafts,
as for everyone else's time.
"""

from datetime import timedelta

from odoo import fields

from odoo.addons.agency_timesheet.demo.common import demo_env, plan_for, ref, register
from odoo.addons.agency_timesheet.demo.plan import WORKDAYS

from ..warning_rules import RECENT_DAYS, retainer_period

REVISION_PROJECT = "foxglove_lookbook"
# (task, person, hours a day on the first working days of the last 4 weeks)
EXTRA_ROUNDS = (
    ("Revisions round 3", "yuki", 2.0),
    ("Revisions round 4", "theo", 2.5),
    ("Revisions round 5", "zoe", 3.0),
)
CREEP_PERSON = "theo"
CREEP_HOURS = 4.0  # internal hours on each of his working days lately
CREEP_NOTE = "Internal asset library: icon set clean-up"
RETAINER_PROJECT = "bright_brand"
RETAINER_NAME = "Bright Bank Brand Retainer"
RETAINER_FEE = 4000.0
# The included hours: this share of what the team's pace of the last 4 weeks
# would use up to the end of the month (at least MIN_INCLUDED_HOURS).
RETAINER_SHARE = 0.5
MIN_INCLUDED_HOURS = 8.0


def build(env, today=None):
    """The stories (once), then the evaluation of every warning."""
    if not ref(env, "employee_paula"):
        return
    plan = plan_for(env, today)
    company = env.ref("base.main_company")
    demo = demo_env(env, company)
    if not ref(demo, f"engagement_{RETAINER_PROJECT}"):
        mark_revisions(demo)
        extra_rounds(demo, plan)
        creeping_person(demo, company, plan)
        if ref(demo, "user_bruno"):
            burning_retainer(demo, company, plan)
    demo["agency.warning"]._cron_evaluate(plan.today)


def recent_workdays(plan, person, after=None):
    """The working days of `person` in the last 4 weeks (today excluded), by
    the plan (their leave and the studio's day off left out); only those
    after `after` if given."""
    days_off = plan.days_off(person)
    first = plan.today - timedelta(days=RECENT_DAYS)
    days = (first + timedelta(days=n) for n in range(RECENT_DAYS))
    return [
        day
        for day in days
        if day.weekday() in WORKDAYS
        and day not in days_off
        and (after is None or day > after)
    ]


def settle(lines, plan):
    """Approve the entries up to the plan's approved day, submit those of the
    week to review; later ones stay drafts (as everybody's time)."""
    approved = lines.filtered(lambda line: line.date <= plan.approved_until)
    approved._agency_set_state("submitted", {})
    approved._agency_set_state("approved", {"approved_on": fields.Datetime.now()})
    first, last = plan.review_week
    lines.filtered(lambda line: first <= line.date <= last)._agency_set_state(
        "submitted", {"submitted_on": fields.Datetime.now()}
    )


def log(env, person, project, task, day, hours, note):
    return {
        "employee_id": ref(env, f"employee_{person}").id,
        "project_id": project.id,
        "task_id": task.id if task else False,
        "date": day,
        "unit_amount": hours,
        "name": note,
    }


def mark_revisions(env):
    """Every "Revisions round" task of the studio is rework."""
    env["project.task"].search(
        [("name", "=like", "Revisions round %"), ("project_id.partner_id", "!=", False)]
    ).agency_revision = True


def extra_rounds(env, plan):
    """Foxglove Lookbook: three more revision rounds, with time on each."""
    project = ref(env, f"project_{REVISION_PROJECT}")
    vals_list = []
    for sequence, (name, person, hours) in enumerate(EXTRA_ROUNDS, start=10):
        task = env["project.task"].create(
            {
                "name": name,
                "project_id": project.id,
                "sequence": sequence,
                "agency_revision": True,
            }
        )
        register(env, f"task_{REVISION_PROJECT}_revisions_round_{sequence - 7}", task)
        # after the lock date: the billing month's run stays as it was
        for day in recent_workdays(plan, person, after=plan.lock_date)[:5]:
            vals_list.append(
                log(env, person, project, task, day, hours, f"{name}: client changes")
            )
    settle(env["account.analytic.line"].create(vals_list), plan)


def creeping_person(env, company, plan):
    """Théo's afternoons on internal work over the last 4 weeks (internal
    time is never billed: the locked month may have some too); Priya, who
    produces his projects, approves his time and hears of it."""
    ref(env, f"employee_{CREEP_PERSON}").agency_approver_id = ref(env, "user_priya")
    internal = company.internal_project_id
    task = internal.task_ids[:1]
    vals_list = [
        log(env, CREEP_PERSON, internal, task, day, CREEP_HOURS, CREEP_NOTE)
        for day in recent_workdays(plan, CREEP_PERSON)
    ]
    settle(env["account.analytic.line"].create(vals_list), plan)


def burning_retainer(env, company, plan):
    """Bright Bank's brand work on a monthly retainer from this month, with
    fewer included hours than its usual pace uses up by the month's end."""
    project = ref(env, f"project_{RETAINER_PROJECT}")
    first, last = retainer_period(plan.today)
    recent_from = plan.today - timedelta(days=RECENT_DAYS)
    [(hours,)] = env["account.analytic.line"]._read_group(
        [
            ("project_id", "=", project.id),
            ("date", ">=", recent_from),
            ("date", "<", plan.today),
        ],
        [],
        ["unit_amount:sum"],
    )
    per_day = (hours or 0.0) / RECENT_DAYS
    included = max(
        MIN_INCLUDED_HOURS,
        round(RETAINER_SHARE * per_day * ((last - plan.today).days + 1)),
    )
    engagement = env["agency.engagement"].create(
        {
            "name": RETAINER_NAME,
            "kind": "retainer",
            "company_id": company.id,
            "partner_id": project.partner_id.id,
            "user_id": ref(env, "user_bruno").id,
            "currency_id": company.currency_id.id,
            "date_start": first,
            "retainer_period": "month",
            "period_fee": RETAINER_FEE,
            "included_hours": included,
            "fee_timing": "advance",
        }
    )
    register(env, f"engagement_{RETAINER_PROJECT}", engagement)
    project.agency_engagement_id = engagement
    # this morning's hours on it (a draft, as today's time is): on a period's
    # first day too, the burn has used hours to measure (nothing used raises
    # nothing, warning_rules.budget_burn)
    last = env["account.analytic.line"].search(
        [("project_id", "=", project.id), ("date", "<", plan.today)],
        order="date desc, id desc",
        limit=1,
    )
    if last:
        env["account.analytic.line"].create(
            {
                "employee_id": last.employee_id.id,
                "project_id": project.id,
                "task_id": last.task_id.id,
                "date": plan.today,
                "unit_amount": max(round(per_day, 1), 1.0),
                "name": "Brand retainer: this month's first requests",
            }
        )
