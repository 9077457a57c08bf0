"""The demo agency's time: three months of entries, the week to review, the
rejected entry and the timers.

Dates, all from the plan (plan.py):

- **entries** on every working day of ``plan.history`` (about three months up
  to yesterday), leave and the studio's day off skipped, planned by
  :func:`plan_timesheets` (a plain function with a fixed seed: the same day
  always gives the same studio): Dani over capacity, Théo logging days late
  and missing some; each entry written at 17:40 on its day where its author
  lives (Théo's three days later);
- **approvals**: everything up to ``plan.approved_until`` approved, and locked
  up to ``plan.lock_date``; the week to review (``plan.review_week``)
  submitted by everyone but Théo;
- the **rejected entry**: Dani's entry of ``plan.rejected_day`` on the wrong
  project (Acme Spring), rejected by Paula with her reason;
- **timers**: Dani's and Paula's running now (started ``plan.running_timers``
  ago), Pedro's forgotten since the morning of ``plan.forgotten_timer_day``.
"""

import itertools
import random
from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

from .common import ref, register
from .people import CALENDARS, PEOPLE, ROLES
from .plan import FORGOTTEN_TIMER, local_to_utc
from .projects import PROJECTS, TASKS

SEED = 18

NOTES = {
    "AD": ["Art direction review", "Moodboard", "Shoot prep", "Layout critique"],
    "DES": ["Layout exploration", "Key visual", "Asset export", "Typography pass"],
    "CW": ["Headline options", "Body copy draft", "Tone of voice", "Proofreading"],
    "DEV": ["Front-end build", "Code review", "Bug fixing", "Deployment"],
    "PRD": ["Status call", "Schedule update", "Budget check", "Client email"],
    "STR": ["Research", "Workshop prep", "Insight deck", "Competitor audit"],
}

# Patterns the screens should show.
OVER_CAPACITY = "dani"  # logs 10-11 h most days
LATE_LOGGER = "theo"  # logs days late, misses some
MISSING_RATE = {"theo": 0.18, "jonas": 0.06}
DEFAULT_MISSING_RATE = 0.015
# Dani logs Citrus work on Acme Spring (Paula's project) in the week to review,
# and Paula rejects it.
REJECTED = {
    "person": "dani",
    "project": "acme_spring",
    "task": "Concepts",
    "hours": 2.0,
    "note": "Key visual for the summer launch",
}
REJECT_REASON = (
    "This looks like the Citrus launch, not Acme: please move it to the right project."
)


def workdays(first, last, weekdays):
    """The dates from first to last (inclusive) whose weekday is in weekdays."""
    day = first
    while day <= last:
        if day.weekday() in weekdays:
            yield day
        day += timedelta(days=1)


def split_hours(total, parts, rng, step=0.25):
    """Split total hours into parts chunks that are multiples of step."""
    units = round(total / step)
    parts = max(1, min(parts, units))
    cuts = sorted(rng.sample(range(1, units), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, units]
    return [(b - a) * step for a, b in itertools.pairwise(bounds) if b > a]


def plan_timesheets(people, projects, first, last, days_off, seed=SEED):
    """Plan the demo agency's timesheet entries.

    :param people: {key: {"role": code, "weekdays": set, "share": float}}
    :param projects: {key: {"team": [person keys], "tasks": [(name, weight)]}}
    :param days_off: {person key: set of dates} (leave and public holidays)
    :return: list of dicts {person, project, task, date, hours, note, late}
        where project is None for internal (non-billable) time.
    """
    rng = random.Random(seed)
    assignments = {key: [] for key in people}
    for project_key, project in projects.items():
        for person in project["team"]:
            assignments[person].append(project_key)
    entries = []
    for person, info in sorted(people.items()):
        missing = MISSING_RATE.get(person, DEFAULT_MISSING_RATE)
        for day in workdays(first, last, info["weekdays"]):
            if day in days_off.get(person, ()):
                continue
            if rng.random() < missing:
                continue  # a day nobody logged
            if person == OVER_CAPACITY:
                hours = rng.choice([10.0, 10.5, 11.0, 11.5])
            else:
                hours = rng.choice([7.5, 7.75, 8.0, 8.0, 8.0, 8.25, 8.5])
            client_hours = round(hours * info["share"] / 0.25) * 0.25
            late = person == LATE_LOGGER and rng.random() < 0.5
            mine = assignments[person]
            if mine and client_hours:
                chunks = split_hours(client_hours, rng.choice([1, 2, 2, 3]), rng)
                for chunk in chunks:
                    project_key = rng.choice(mine)
                    tasks = projects[project_key]["tasks"]
                    task = rng.choices(
                        [name for name, _w in tasks], [w for _n, w in tasks]
                    )[0]
                    entries.append(
                        {
                            "person": person,
                            "project": project_key,
                            "task": task,
                            "date": day,
                            "hours": chunk,
                            "note": rng.choice(NOTES[info["role"]]),
                            "late": late,
                        }
                    )
            else:
                client_hours = 0.0
            internal = hours - client_hours
            if internal > 0:
                entries.append(
                    {
                        "person": person,
                        "project": None,
                        "task": rng.choice(["Meeting", "Training"]),
                        "date": day,
                        "hours": internal,
                        "note": rng.choice(
                            ["Studio stand-up", "Team meeting", "Learning time"]
                        ),
                        "late": late,
                    }
                )
    return entries


def plan_rejected_entry(entries, person, project, day, task, hours, note):
    """Make sure the planned entries hold one of `person` on `project` on `day`
    (the entry a producer rejects), and return its index.

    Their first entry on a client project that day moves to `project` with
    `note` (its hours and task stay); on a day they logged nothing for clients,
    an entry of `hours` on `task` is added.
    """
    for index, entry in enumerate(entries):
        if entry["person"] == person and entry["date"] == day and entry["project"]:
            entry.update(project=project, note=note)
            return index
    entries.append(
        {
            "person": person,
            "project": project,
            "task": task,
            "date": day,
            "hours": hours,
            "note": note,
            "late": False,
        }
    )
    return len(entries) - 1


def build_timesheets(env, company, employees, projects, days_off, plan):
    """The entries of ``plan.history``, written at the end of their day."""
    first, last = plan.history
    share = {code: s for code, _name, s in ROLES}
    people = {
        key: {
            "role": role,
            "weekdays": set(CALENDARS[calendar][2]),
            "share": share[role],
        }
        for key, _name, role, calendar, _tz, _cost, _login in PEOPLE
    }
    plan_projects = {
        key: {"team": team, "tasks": TASKS} for key, _n, _c, _k, _p, team in PROJECTS
    }
    entries = plan_timesheets(people, plan_projects, first, last, days_off)
    rejected = plan_rejected_entry(
        entries,
        REJECTED["person"],
        REJECTED["project"],
        plan.rejected_day,
        REJECTED["task"],
        REJECTED["hours"],
        REJECTED["note"],
    )

    internal = company.internal_project_id
    task_ids = {
        (key, task.name): task.id
        for key, project in projects.items()
        for task in project.task_ids
    }
    internal_tasks = {task.name: task.id for task in internal.task_ids}
    vals_list = []
    for entry in entries:
        project = projects[entry["project"]] if entry["project"] else internal
        task_id = (
            task_ids[(entry["project"], entry["task"])]
            if entry["project"]
            else internal_tasks.get(entry["task"], False)
        )
        vals_list.append(
            {
                "employee_id": employees[entry["person"]].id,
                "project_id": project.id,
                "task_id": task_id,
                "date": entry["date"],
                "unit_amount": entry["hours"],
                "name": entry["note"],
            }
        )
    lines = env["account.analytic.line"].create(vals_list)
    register(env, "entry_dani_rejected", lines[rejected])
    # Entries are written at the end of their day where their author lives
    # (17:40 local time, daylight saving included), except by the late
    # logger, three days later.
    late_ids = [
        line.id for line, entry in zip(lines, entries, strict=True) if entry["late"]
    ]
    # The UPDATE reads the entries' date and person and the people's time zone.
    lines.flush_recordset(["date", "employee_id"])
    env["hr.employee"].flush_model(["resource_id"])
    env["resource.resource"].flush_model(["tz"])
    for ids, delay in (
        (list(set(lines.ids) - set(late_ids)), "17 hours 40 minutes"),
        (late_ids, "3 days 17 hours"),
    ):
        if not ids:
            continue
        # A bulk UPDATE of a column the ORM never writes (create_date).
        env.cr.execute(
            SQL(
                """UPDATE account_analytic_line line
                      SET create_date = (line.date + %s::interval)
                          AT TIME ZONE COALESCE(resource.tz, 'UTC')
                          AT TIME ZONE 'UTC'
                     FROM hr_employee employee
                     JOIN resource_resource resource
                       ON resource.id = employee.resource_id
                    WHERE employee.id = line.employee_id
                      AND line.id = ANY(%s)""",
                delay,
                ids,
            )
        )
    lines.invalidate_recordset(["create_date"])
    lines.modified(["create_date"])
    return lines


def build_timers(env, projects, plan):
    """Two timers running now, and one forgotten since the morning of the
    last working day (the forgotten-timer check stops it and tells its
    owner)."""
    now = fields.Datetime.now()
    forgotten, morning = FORGOTTEN_TIMER
    Timer = env["agency.timer"]
    specs = [
        ("dani", "acme_spring", "Concepts", "Hero"),
        ("paula", "bright_brand", "Client meetings", "Weekly status call"),
        (forgotten, "acme_web", "Production", "QA pass on the product pages"),
    ]
    for user_key, project_key, task_name, note in specs:
        user = ref(env, f"user_{user_key}")
        if user_key in plan.running_timers:
            started = now - plan.running_timers[user_key]
        else:
            started = local_to_utc(
                plan.forgotten_timer_day,
                morning,
                ref(env, f"employee_{user_key}").tz,
            )
        project = projects[project_key]
        task = project.task_ids.filtered(lambda t, name=task_name: t.name == name)
        timer = register(
            env,
            f"timer_{user_key}",
            Timer.create(
                {
                    "user_id": user.id,
                    "project_id": project.id,
                    "task_id": task[:1].id,
                    "note": note,
                    "state": "running",
                    "started_at": started,
                    "run_started_at": started,
                }
            ),
        )
        end = timer._workday_end() if user_key in plan.running_timers else None
        if end and started < end <= now:
            # Started before the end of a working day that is over: the
            # forgotten-timer check would stop it. It started after hours.
            later = end + (now - end) / 2
            timer.write({"started_at": later, "run_started_at": later})


def build_review(env, plan):
    """The approval conveyor in motion: everything before the week to
    review approved, and locked up to the lock date; the week to review
    submitted by most people, waiting for approval, Dani's entry of the
    wrong project rejected with its reason; consistency streaks."""
    company = env.ref("base.main_company")
    Line = env["account.analytic.line"]
    agency = [("role_id", "!=", False), ("project_id", "!=", False)]
    old = Line.search([*agency, ("date", "<=", plan.approved_until)])
    old._agency_set_state("submitted", {})
    old._agency_set_state("approved", {"approved_on": fields.Datetime.now()})
    first, last = plan.review_week
    week = Line.search(
        [
            *agency,
            ("date", ">=", first),
            ("date", "<=", last),
            ("employee_id", "!=", ref(env, f"employee_{LATE_LOGGER}").id),
        ]
    )
    week.action_submit()
    paula = ref(env, "user_paula")
    ref(env, "entry_dani_rejected").with_user(paula).action_reject(REJECT_REASON)
    company.agency_timesheet_lock_date = plan.lock_date
    env["agency.consistency"].with_company(company).action_refresh()
