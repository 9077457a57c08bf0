"""Where a day's suggestions come from: the proposals of each source.

``agency.suggestion._generate`` (models/agency_suggestion.py) builds a
generation context for the person and the day (a dict: ``day``, ``tz``,
``day_start``, ``day_end``, ``employee``, ``user``, ``company``, ``day_hours``,
``logged``) and asks each source here for its proposals, dicts of suggestion
values with a ``source_key``:

1. :func:`from_calendar`: meetings the person attended, with the project they
   were about when it can be told (:func:`guess_event_project`,
   :func:`guess_project_from_partners`, also used for calendar files);
2. :func:`from_tasks`: tasks the person wrote on or changed lately;
3. :func:`from_teammates`: what teammates on the person's projects logged
   that day (never who, never their descriptions).

What is read once per context (the clients' projects, the person's projects)
is kept in it. The reasons in words are plain functions of plain values
(:func:`task_reason`, :func:`teammates_reason`), tested without a database in
tests/test_suggestion_rules.py; the arithmetic is suggestion_rules.py's.
"""

from collections import defaultdict
from datetime import timedelta

import pytz

from odoo.tools.misc import format_date

from odoo.addons.project.models.project_task import CLOSED_STATES

from .suggestion_rules import (
    AVERAGE_DAYS,
    MAX_TASK_SUGGESTIONS,
    RECENT_DAYS,
    TEAM_DAYS,
    event_hours,
    rank_teammate_work,
    tally_task_activity,
    task_hours,
    typical_hours,
)
from .tools import day_bounds, time_range


def readable(env, model, ids):
    """The records of ids the current user may read, as that user."""
    ids = [record_id for record_id in ids if record_id]
    if not ids:
        return env[model]
    return env[model].search([("id", "in", ids)])


def loggable_projects(projects, company):
    """The projects of `projects` time can be logged on in `company`."""
    return projects.filtered(
        lambda p: (
            p.active
            and p.allow_timesheets
            and (not p.company_id or p.company_id == company)
        )
    )


# -- source 1: calendar events ---------------------------------------------------


def from_calendar(env, context):
    """A proposal per timed meeting of the day the person did not decline."""
    partner = context["user"].partner_id
    attendances = (
        env["calendar.attendee"]
        .sudo()
        .search(
            [
                ("partner_id", "=", partner.id),
                ("state", "!=", "declined"),
                ("event_id.allday", "=", False),
                ("event_id.start", ">=", context["day_start"]),
                ("event_id.start", "<", context["day_end"]),
            ]
        )
    )
    proposals = []
    for event in attendances.event_id.sorted("start"):
        hours = event_hours(
            event.start, event.stop, context["day_end"], context["day_hours"]
        )
        if hours <= 0:
            continue
        project, task, guess = guess_event_project(env, event, context)
        local = pytz.utc.localize
        start = local(event.start).astimezone(context["tz"])
        stop = local(event.stop).astimezone(context["tz"])
        reason = env._(
            "Meeting '%(name)s' %(time)s",
            name=event.name,
            time=time_range(start, stop),
        )
        if guess:
            reason = f"{reason} \N{EM DASH} {guess}"
        proposals.append(
            {
                "source": "calendar",
                "source_key": f"calendar:{event.id}",
                "project_id": project.id,
                "task_id": task.id,
                "hours": hours,
                "name": event.name,
                "reason": reason,
                "event_start": event.start,
            }
        )
    return proposals


def guess_event_project(env, event, context):
    """The project (and task) a meeting was about, when it can be told.

    In order: the task or project the event was scheduled from; else the one
    project of the clients who attended (their company is the project's
    customer), preferring the projects the person logged time on lately.
    :return: (project, task, explanation or "")
    """
    Task = env["project.task"]
    company = context["company"]
    if event.res_model == "project.task" and event.res_id:
        task = readable(env, "project.task", [event.res_id])
        project = loggable_projects(task.project_id, company)
        if project:
            return project, task, env._("linked to the task")
    if event.res_model == "project.project" and event.res_id:
        project = loggable_projects(
            readable(env, "project.project", [event.res_id]), company
        )
        if project:
            return project, Task, env._("linked to the project")
    return guess_project_from_partners(env, event.partner_ids, context)


def guess_project_from_partners(env, partners, context):
    """The one project of the clients among a meeting's attendees, if any.

    A client is the company of an attendee who is not staff. When a client has
    several projects, those the person logged time on lately win. The projects
    of all clients are read once per context (:func:`client_projects`), not
    once per meeting.
    :return: (project, task, explanation or "")
    """
    Project, Task = env["project.project"], env["project.task"]
    staff, by_client = client_projects(env, context)
    clients = partners.sudo().commercial_partner_id.filtered(
        lambda client: client.id not in staff
    )
    candidates = Project.browse(
        {
            project_id
            for client in clients
            for project_id in by_client.get(client.id, ())
        }
    )
    if len(candidates) > 1:
        mine = candidates & my_projects(env, context)
        candidates = mine if mine else candidates
    if len(candidates) == 1:
        return (
            candidates,
            Task,
            env._(
                "%(client)s attended",
                client=candidates.partner_id.commercial_partner_id.name,
            ),
        )
    return Project, Task, ""


def client_projects(env, context):
    """(ids of the companies' own partners, {client id: ids of the client's
    projects the person may log time on}), read with a fixed number of queries
    the first time a context asks and kept in it: guessing the project of any
    number of meetings reads them once."""
    if "client_projects" not in context:
        staff = set(env["res.company"].sudo().search([]).partner_id.ids)
        projects = loggable_projects(
            env["project.project"].search([("partner_id", "!=", False)]),
            context["company"],
        )
        by_client = defaultdict(list)
        for project in projects:
            by_client[project.partner_id.commercial_partner_id.id].append(project.id)
        context["client_projects"] = (staff, dict(by_client))
    return context["client_projects"]


# -- source 2: tasks worked on recently ------------------------------------------


def from_tasks(env, context):
    """A proposal per task the person wrote on or changed in the last
    RECENT_DAYS days (the most recent first), at their usual hours on it."""
    day = context["day"]
    window_start, _end = day_bounds(
        day - timedelta(days=RECENT_DAYS - 1), context["tz"]
    )
    messages = (
        env["mail.message"]
        .sudo()
        .search(
            [
                ("author_id", "=", context["user"].partner_id.id),
                ("model", "=", "project.task"),
                ("res_id", "!=", False),
                ("message_type", "in", ("comment", "email", "notification")),
                ("date", ">=", window_start),
                ("date", "<", context["day_end"]),
            ],
            order="date desc",
            limit=500,
        )
    )
    activity = tally_task_activity(
        (message.res_id, bool(message.tracking_value_ids), message.date)
        for message in messages
    )
    tasks = readable(env, "project.task", list(activity))
    tasks = tasks.filtered(
        lambda t: t.project_id and loggable_projects(t.project_id, context["company"])
    )
    tasks = tasks.sorted(lambda t: activity[t.id]["last"], reverse=True)
    tasks = tasks[:MAX_TASK_SUGGESTIONS]
    averages = dict(
        env["account.analytic.line"]
        .sudo()
        ._read_group(
            [
                ("employee_id", "=", context["employee"].id),
                ("task_id", "in", tasks.ids),
                ("date", ">=", day - timedelta(days=AVERAGE_DAYS)),
            ],
            ["task_id"],
            ["unit_amount:avg"],
        )
    )
    proposals = []
    for task in tasks:
        info = activity[task.id]
        last_day = pytz.utc.localize(info["last"]).astimezone(context["tz"]).date()
        proposals.append(
            {
                "source": "task",
                "source_key": f"task:{task.id}",
                "project_id": task.project_id.id,
                "task_id": task.id,
                "hours": task_hours(averages.get(task)),
                "name": task.name,
                "reason": task_reason(
                    env._,
                    info["messages"],
                    info["changes"],
                    None if last_day == day else format_date(env, last_day),
                ),
            }
        )
    return proposals


def task_reason(_, messages, changes, last_day=None):
    """'You worked on this task that day: 2 messages, 1 change'.

    :param _: the translation function (``env._``)
    :param last_day: the last day worked on it, in words, when not the day
        suggested
    """
    what = []
    if messages == 1:
        what.append(_("1 message"))
    elif messages:
        what.append(_("%(count)s messages", count=messages))
    if changes == 1:
        what.append(_("1 change"))
    elif changes:
        what.append(_("%(count)s changes", count=changes))
    if not last_day:
        return _("You worked on this task that day: %(what)s", what=", ".join(what))
    return _(
        "You worked on this task lately, last on %(day)s: %(what)s",
        day=last_day,
        what=", ".join(what),
    )


# -- source 3: what teammates logged ---------------------------------------------


def my_projects(env, context):
    """The projects the person is on: recent time, or an open task of theirs
    (read once per context)."""
    if "my_projects" in context:
        return context["my_projects"]
    day = context["day"]
    recent = (
        env["account.analytic.line"]
        .sudo()
        ._read_group(
            [
                ("employee_id", "=", context["employee"].id),
                ("project_id", "!=", False),
                ("date", ">=", day - timedelta(days=TEAM_DAYS)),
                ("date", "<=", day),
            ],
            ["project_id"],
        )
    )
    assigned = (
        env["project.task"]
        .sudo()
        ._read_group(
            [
                ("user_ids", "in", context["user"].ids),
                ("state", "not in", list(CLOSED_STATES)),
                ("project_id", "!=", False),
            ],
            ["project_id"],
        )
    )
    ids = {project.id for (project,) in recent + assigned}
    projects = loggable_projects(
        readable(env, "project.project", list(ids)), context["company"]
    )
    context["my_projects"] = projects
    return projects


def from_teammates(env, context):
    """A proposal per project and task teammates logged time on that day, at
    their typical hours."""
    projects = my_projects(env, context)
    if not projects:
        return []
    per_teammate = (
        env["account.analytic.line"]
        .sudo()
        ._read_group(
            [
                ("date", "=", context["day"]),
                ("project_id", "in", projects.ids),
                ("employee_id", "!=", context["employee"].id),
                ("company_id", "=", context["company"].id),
            ],
            ["project_id", "task_id", "employee_id"],
            ["unit_amount:sum"],
        )
    )
    readable_tasks = readable(
        env, "project.task", list({task.id for _p, task, _e, _h in per_teammate})
    )
    work = rank_teammate_work(
        (
            (project.id, task.id, teammate.id, hours)
            for project, task, teammate, hours in per_teammate
        ),
        readable_tasks.ids,
    )
    proposals = []
    Project, Task = env["project.project"], env["project.task"]
    for project_id, task_id, hours in work:
        project, task = Project.browse(project_id), Task.browse(task_id)
        typical = typical_hours(hours)
        proposals.append(
            {
                "source": "teammates",
                "source_key": f"teammates:{project_id}:{task_id or 0}",
                "project_id": project_id,
                "task_id": task_id or False,
                "hours": typical,
                "name": task.name or project.name,
                "reason": teammates_reason(
                    env._, project.name, task.name, len(hours), typical
                ),
            }
        )
    return proposals


def teammates_reason(_, project, task, teammates, typical):
    """'2 teammates logged time on Acme › Key visual that day, typically 3 h
    each'. Who logged is never said: only how many, on what, and how long.

    :param _: the translation function (``env._``)
    :param project: the project's name; task: the task's name or False
    """
    work = f"{project} \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} {task}"
    work = work if task else project
    if teammates == 1:
        return _(
            "A teammate logged %(hours)s h on %(work)s that day",
            hours=f"{typical:g}",
            work=work,
        )
    return _(
        "%(count)s teammates logged time on %(work)s that day, typically "
        "%(hours)s h each",
        count=teammates,
        work=work,
        hours=f"{typical:g}",
    )
