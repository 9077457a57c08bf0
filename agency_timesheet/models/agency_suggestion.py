"""Suggestions: proposed timesheet entries that help a person remember their day.

A suggestion belongs to one person and one day. It is only ever made for a
person who turned suggestions on (``res.users.agency_suggestions_enabled``) and
it is only ever seen by that person: global record rules keep everyone else out,
administrators included. Accepting one creates an editable draft entry
(``entry_source = "suggestion"``); nothing is submitted for the person.

For a chosen day, :meth:`AgencySuggestion._generate` reads:

1. calendar events the person attended (``calendar.event`` with their partner as
   an attendee who did not decline);
2. tasks the person wrote messages on or changed in the last few days (their
   own ``mail.message`` on ``project.task``, tracking changes included);
3. what teammates on the person's projects logged that day, as project, task
   and hours only (never who, never their descriptions).

Calendar files uploaded by the person (``.ics``) add suggestions of source
``ics`` (wizards/agency_suggestion_import.py, reading them with ics.py).

Each suggestion has a stable source key, unique per person, company and day, so
generating again never duplicates and a dismissed suggestion never comes back.
Suggestions about days older than the company's retention period are deleted by
a nightly cron; generating for such a day is refused, so a dismissed suggestion
cannot come back after the purge either.

The arithmetic (the limits, the hours an event counts for, a typical duration,
which proposals are new) lives in plain functions in suggestion_rules.py, tested
directly; a day's bounds in a time zone and the
"10:00–11:30" of a reason come from tools.py, the calendar file parser is ics.py.
"""

from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date

from odoo.addons.project.models.project_task import CLOSED_STATES

from ..suggestion_rules import (
    AVERAGE_DAYS,
    DEFAULT_DAY_HOURS,
    MAX_TASK_SUGGESTIONS,
    RECENT_DAYS,
    REGENERATED_SOURCES,
    TEAM_DAYS,
    event_hours,
    new_proposals,
    rank_teammate_work,
    tally_task_activity,
    task_hours,
    typical_hours,
)
from ..tools import day_bounds, time_range


class AgencySuggestion(models.Model):
    _name = "agency.suggestion"
    _description = "Suggested Time Entry"
    _order = "date desc, event_start, id"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        string="Person",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        readonly=True,
    )
    date = fields.Date(required=True, index=True, readonly=True)
    source = fields.Selection(
        [
            ("calendar", "Calendar Event"),
            ("task", "Task Activity"),
            ("teammates", "Teammates' Time"),
            ("ics", "Calendar File"),
        ],
        required=True,
        readonly=True,
    )
    source_key = fields.Char(
        required=True,
        readonly=True,
        help="What the suggestion comes from (an event, a task, a file's event): "
        "one suggestion per person, day and key.",
    )
    project_id = fields.Many2one(
        "project.project",
        check_company=True,
        domain="[('allow_timesheets', '=', True)]",
    )
    task_id = fields.Many2one(
        "project.task",
        check_company=True,
        domain="[('project_id', '=?', project_id)]",
    )
    hours = fields.Float(
        help="The time the draft entry gets; edit it before accepting."
    )
    name = fields.Char(string="Description", help="The draft entry's description.")
    reason = fields.Char(
        string="Why", readonly=True, help="What the suggestion was made from."
    )
    event_start = fields.Datetime(
        readonly=True, help="When the event started (calendar suggestions)."
    )
    state = fields.Selection(
        [("new", "To Review"), ("accepted", "Accepted"), ("dismissed", "Dismissed")],
        default="new",
        required=True,
        readonly=True,
        index=True,
    )
    line_id = fields.Many2one(
        "account.analytic.line",
        string="Draft Entry",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )

    _sql_constraints = [  # noqa: RUF012 (Odoo reads this list)
        (
            "source_unique",
            "unique(user_id, company_id, date, source_key)",
            "A suggestion from this source already exists for this person and day.",
        ),
    ]

    @api.onchange("task_id")
    def _onchange_task_id(self):
        if self.task_id and self.task_id.project_id:
            self.project_id = self.task_id.project_id

    @api.onchange("project_id")
    def _onchange_project_id(self):
        if self.task_id and self.task_id.project_id != self.project_id:
            self.task_id = False

    @api.constrains("hours")
    def _check_hours(self):
        for suggestion in self:
            if suggestion.hours <= 0 or suggestion.hours > 24:
                raise ValidationError(
                    self.env._(
                        "The suggestion %(name)s of %(date)s has %(hours)s hours: give "
                        "it between a minute and 24 hours, or dismiss it.",
                        name=suggestion.name or suggestion.reason,
                        date=suggestion.date,
                        hours=f"{suggestion.hours:g}",
                    )
                )

    @api.constrains("project_id", "task_id")
    def _check_task(self):
        for suggestion in self:
            task_project = suggestion.task_id.sudo().project_id
            if suggestion.task_id and task_project != suggestion.project_id:
                raise ValidationError(
                    self.env._(
                        "Task %(task)s is not part of project %(project)s. Choose a "
                        "task of the project, or no task.",
                        task=suggestion.task_id.sudo().display_name,
                        project=suggestion.project_id.sudo().display_name,
                    )
                )

    # -- actions -------------------------------------------------------------

    def action_accept(self):
        """Turn the suggestions into draft timesheet entries, all or none.

        :return: a notification, then the list reloads
        """
        todo = self.filtered(lambda s: s.state == "new")
        if not todo:
            return False
        unfinished = todo.filtered(lambda s: not s.project_id)
        if unfinished:
            raise UserError(
                self.env._(
                    "Choose a project for %(suggestions)s before accepting: the draft "
                    "entry needs one. Nothing was accepted.",
                    suggestions=", ".join(
                        f"'{s.name or s.reason}' ({s.date})" for s in unfinished[:5]
                    ),
                )
            )
        lines = self.env["account.analytic.line"].create(
            [suggestion._prepare_entry() for suggestion in todo]
        )
        for suggestion, line in zip(todo, lines, strict=True):
            suggestion.write({"state": "accepted", "line_id": line.id})
        hours = f"{sum(lines.mapped('unit_amount')):g}"
        if len(lines) == 1:
            message = self.env._(
                "Draft entry created (%(hours)s h): it is yours to edit in My Time "
                "before you submit your week.",
                hours=hours,
            )
        else:
            message = self.env._(
                "%(count)s draft entries created (%(hours)s h): they are yours to "
                "edit in My Time before you submit your week.",
                count=len(lines),
                hours=hours,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_dismiss(self):
        """Dismiss the suggestions: generating again never brings them back."""
        self.filtered(lambda s: s.state == "new").write({"state": "dismissed"})
        return False

    def action_restore(self):
        """Undo a dismissal: the suggestion is to review again."""
        self.filtered(lambda s: s.state == "dismissed").write({"state": "new"})
        return False

    def action_open_entry(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.analytic.line",
            "res_id": self.line_id.id,
            "views": [(False, "form")],
        }

    def action_open_generate(self):
        """The 'Suggest a Day' dialog (a button of the suggestions list)."""
        return self.env["ir.actions.act_window"]._for_xml_id(
            "agency_timesheet.agency_suggestion_generate_action"
        )

    def action_open_import(self):
        """The calendar file (.ics) upload dialog (a button of the list)."""
        return self.env["ir.actions.act_window"]._for_xml_id(
            "agency_timesheet.agency_suggestion_import_action"
        )

    @api.model
    def action_day(self, first, last=None):
        """The suggestions list for a day (or a range of days), to review."""
        last = last or first
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_timesheet.agency_suggestion_action"
        )
        if first == last:
            title = self.env._(
                "Suggestions for %(day)s", day=format_date(self.env, first)
            )
        else:
            title = self.env._(
                "Suggestions, %(first)s to %(last)s",
                first=format_date(self.env, first),
                last=format_date(self.env, last),
            )
        action.update(
            {
                "name": title,
                "domain": [
                    ("date", ">=", fields.Date.to_string(first)),
                    ("date", "<=", fields.Date.to_string(last)),
                ],
                "context": {"search_default_to_review": 1},
            }
        )
        return action

    # -- generation ----------------------------------------------------------

    @api.model
    def _check_enabled(self):
        """Refuse, in words, when the current user has not turned suggestions on."""
        if not self.env.user.agency_suggestions_enabled:
            raise UserError(
                self.env._(
                    "Suggestions are turned off for you. To turn them on, open your "
                    "avatar (top right) › My Profile (or Preferences) › Time Capture "
                    "and tick Suggest Time Entries.\n\nWhen on, suggestions read only: "
                    "calendar events you attended, tasks you wrote messages on or "
                    "changed in the last few days, the projects, tasks and hours "
                    "that teammates on your projects logged that day (never who, "
                    "never their descriptions), and calendar files you upload "
                    "yourself. Only you see your suggestions; nothing is submitted "
                    "for you."
                )
            )

    @api.model
    def _check_day(self, day):
        """Refuse days in the future and days older than the retention period."""
        today = fields.Date.context_today(self)
        keep = self.env.company.agency_suggestion_retention_days
        if day > today:
            raise UserError(
                self.env._(
                    "%(day)s has not happened yet: suggestions are for today or "
                    "earlier days.",
                    day=format_date(self.env, day),
                )
            )
        if day < today - timedelta(days=keep):
            raise UserError(
                self.env._(
                    "%(day)s is more than %(days)s days ago: suggestions are only kept "
                    "for %(days)s days (Settings › Agency), so none are made for it. "
                    "Log that day's time in My Time.",
                    day=format_date(self.env, day),
                    days=keep,
                )
            )

    @api.model
    def _employee(self, user=None, company=None):
        """The person's employee in the company, or a clear refusal."""
        user = user or self.env.user
        company = company or self.env.company
        employee = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [("user_id", "=", user.id), ("company_id", "=", company.id)], limit=1
            )
        )
        if not employee:
            raise UserError(
                self.env._(
                    "%(user)s has no employee in %(company)s, so no time can be "
                    "suggested or logged for them there. Ask HR to link the user to "
                    "an employee.",
                    user=user.name,
                    company=company.name,
                )
            )
        return employee

    @api.model
    def _tz(self):
        user = self.env.user
        return pytz.timezone(user.tz or user.employee_id.tz or "UTC")

    @api.model
    def _generate(self, day):
        """Make the current user's suggestions for a day from Odoo's own data.

        Suggestions already made for the day are kept as they are (edited or not,
        accepted or dismissed). Those to review whose source no longer applies
        (the event was cancelled, the person logged that task meanwhile) go.
        :return: {"created": n, "removed": n, "total": suggestions to review}
        """
        self._check_enabled()
        self._check_day(day)
        employee = self._employee()
        context = self._generation_context(day, employee)
        proposals = []
        proposals += self._from_calendar(context)
        proposals += self._from_tasks(context)
        # Teammates' time is the weakest hint: not for work proposed otherwise.
        covered = {(p.get("project_id"), p.get("task_id")) for p in proposals}
        covered |= {
            (s.project_id.id, s.task_id.id)
            for s in self.search(self._day_domain(day))
            if s.source != "teammates"
        }
        proposals += [
            p
            for p in self._from_teammates(context)
            if (p["project_id"], p["task_id"]) not in covered
        ]
        return self._store(day, proposals, REGENERATED_SOURCES, context)

    @api.model
    def _generation_context(self, day, employee):
        """What every source needs to know about the person and the day."""
        tz = self._tz()
        day_start, day_end = day_bounds(day, tz)
        logged = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "=", employee.id),
                    ("date", "=", day),
                    ("project_id", "!=", False),
                ],
                ["project_id", "task_id"],
            )
        )
        return {
            "day": day,
            "tz": tz,
            "day_start": day_start,
            "day_end": day_end,
            "employee": employee,
            "user": self.env.user,
            "company": self.env.company,
            "day_hours": employee.resource_calendar_id.hours_per_day
            or DEFAULT_DAY_HOURS,
            "logged": {(project.id, task.id) for project, task in logged},
        }

    @api.model
    def _store(self, day, proposals, sources, context):
        """Create the proposals not made before, skip what is logged, drop stale ones.

        :param proposals: dicts of suggestion values, each with a source_key
        :param sources: the sources these proposals replace (stale ones of these
            sources, still to review, are removed)
        """
        existing = self.search(self._day_domain(day))
        known = {suggestion.source_key: suggestion for suggestion in existing}
        to_create, wanted = new_proposals(proposals, set(known), context["logged"])
        to_create = [
            {
                **vals,
                "user_id": self.env.uid,
                "company_id": self.env.company.id,
                "date": day,
            }
            for vals in to_create
        ]
        stale = existing.filtered(
            lambda s: (
                s.state == "new" and s.source in sources and s.source_key not in wanted
            )
        )
        stale.unlink()
        created = self.create(to_create)
        return {
            "created": len(created),
            "removed": len(stale),
            "total": self.search_count(self._day_domain(day) + [("state", "=", "new")]),
        }

    @api.model
    def _day_domain(self, day):
        """The current user's suggestions of a day, in the current company."""
        return [
            ("user_id", "=", self.env.uid),
            ("company_id", "=", self.env.company.id),
            ("date", "=", day),
        ]

    @api.model
    def _readable(self, model, ids):
        """The records of ids the current user may read, as that user."""
        ids = [record_id for record_id in ids if record_id]
        if not ids:
            return self.env[model]
        return self.env[model].search([("id", "in", ids)])

    @api.model
    def _loggable_projects(self, projects, company):
        return projects.filtered(
            lambda p: (
                p.active
                and p.allow_timesheets
                and (not p.company_id or p.company_id == company)
            )
        )

    # -- source 1: calendar events -------------------------------------------

    @api.model
    def _from_calendar(self, context):
        partner = context["user"].partner_id
        attendances = (
            self.env["calendar.attendee"]
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
            project, task, guess = self._guess_event_project(event, context)
            local = pytz.utc.localize
            start = local(event.start).astimezone(context["tz"])
            stop = local(event.stop).astimezone(context["tz"])
            reason = self.env._(
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

    @api.model
    def _guess_event_project(self, event, context):
        """The project (and task) a meeting was about, when it can be told.

        In order: the task or project the event was scheduled from; else the
        one project of the clients who attended (their company is the project's
        customer), preferring the projects the person logged time on lately.
        :return: (project, task, explanation or "")
        """
        Task = self.env["project.task"]
        company = context["company"]
        if event.res_model == "project.task" and event.res_id:
            task = self._readable("project.task", [event.res_id])
            project = self._loggable_projects(task.project_id, company)
            if project:
                return project, task, self.env._("linked to the task")
        if event.res_model == "project.project" and event.res_id:
            project = self._loggable_projects(
                self._readable("project.project", [event.res_id]), company
            )
            if project:
                return project, Task, self.env._("linked to the project")
        return self._guess_project_from_partners(event.partner_ids, context)

    @api.model
    def _guess_project_from_partners(self, partners, context):
        """The one project of the clients among a meeting's attendees, if any.

        A client is the company of an attendee who is not staff. When a client
        has several projects, those the person logged time on lately win. The
        projects of all clients are read once per context
        (:meth:`_client_projects`), not once per meeting.
        :return: (project, task, explanation or "")
        """
        Project, Task = self.env["project.project"], self.env["project.task"]
        staff, by_client = self._client_projects(context)
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
            mine = candidates & self._my_projects(context)
            candidates = mine if mine else candidates
        if len(candidates) == 1:
            return (
                candidates,
                Task,
                self.env._(
                    "%(client)s attended",
                    client=candidates.partner_id.commercial_partner_id.name,
                ),
            )
        return Project, Task, ""

    @api.model
    def _client_projects(self, context):
        """(ids of the companies' own partners, {client id: ids of the
        client's projects the person may log time on}), read with a fixed
        number of queries the first time a context asks and kept in it:
        guessing the project of any number of meetings reads them once."""
        if "client_projects" not in context:
            staff = set(self.env["res.company"].sudo().search([]).partner_id.ids)
            projects = self._loggable_projects(
                self.env["project.project"].search([("partner_id", "!=", False)]),
                context["company"],
            )
            by_client = defaultdict(list)
            for project in projects:
                by_client[project.partner_id.commercial_partner_id.id].append(
                    project.id
                )
            context["client_projects"] = (staff, dict(by_client))
        return context["client_projects"]

    # -- source 2: tasks worked on recently ----------------------------------

    @api.model
    def _from_tasks(self, context):
        day = context["day"]
        window_start, _end = day_bounds(
            day - timedelta(days=RECENT_DAYS - 1), context["tz"]
        )
        messages = (
            self.env["mail.message"]
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
        tasks = self._readable("project.task", list(activity))
        tasks = tasks.filtered(
            lambda t: (
                t.project_id
                and self._loggable_projects(t.project_id, context["company"])
            )
        )
        tasks = tasks.sorted(lambda t: activity[t.id]["last"], reverse=True)
        tasks = tasks[:MAX_TASK_SUGGESTIONS]
        averages = dict(
            self.env["account.analytic.line"]
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
            hours = task_hours(averages.get(task))
            last_day = pytz.utc.localize(info["last"]).astimezone(context["tz"]).date()
            proposals.append(
                {
                    "source": "task",
                    "source_key": f"task:{task.id}",
                    "project_id": task.project_id.id,
                    "task_id": task.id,
                    "hours": hours,
                    "name": task.name,
                    "reason": self._task_reason(info, last_day, day),
                }
            )
        return proposals

    @api.model
    def _task_reason(self, info, last_day, day):
        _ = self.env._
        what = []
        if info["messages"] == 1:
            what.append(_("1 message"))
        elif info["messages"]:
            what.append(_("%(count)s messages", count=info["messages"]))
        if info["changes"] == 1:
            what.append(_("1 change"))
        elif info["changes"]:
            what.append(_("%(count)s changes", count=info["changes"]))
        if last_day == day:
            return _("You worked on this task that day: %(what)s", what=", ".join(what))
        return _(
            "You worked on this task lately, last on %(day)s: %(what)s",
            day=format_date(self.env, last_day),
            what=", ".join(what),
        )

    # -- source 3: what teammates logged --------------------------------------

    @api.model
    def _my_projects(self, context):
        """The projects the person is on: recent time, or an open task of theirs."""
        if "my_projects" in context:
            return context["my_projects"]
        day = context["day"]
        recent = (
            self.env["account.analytic.line"]
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
            self.env["project.task"]
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
        projects = self._loggable_projects(
            self._readable("project.project", list(ids)), context["company"]
        )
        context["my_projects"] = projects
        return projects

    @api.model
    def _from_teammates(self, context):
        projects = self._my_projects(context)
        if not projects:
            return []
        per_teammate = (
            self.env["account.analytic.line"]
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
        readable_tasks = self._readable(
            "project.task", list({task.id for _p, task, _e, _h in per_teammate})
        )
        work = rank_teammate_work(
            (
                (project.id, task.id, teammate.id, hours)
                for project, task, teammate, hours in per_teammate
            ),
            readable_tasks.ids,
        )
        proposals = []
        Project, Task = self.env["project.project"], self.env["project.task"]
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
                    "reason": self._teammates_reason(project, task, hours, typical),
                }
            )
        return proposals

    @api.model
    def _teammates_reason(self, project, task, hours, typical):
        """Who logged is never said: only how many, on what, and how long."""
        work = f"{project.name} \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "
        work = work + task.name if task else project.name
        if len(hours) == 1:
            return self.env._(
                "A teammate logged %(hours)s h on %(work)s that day",
                hours=f"{typical:g}",
                work=work,
            )
        return self.env._(
            "%(count)s teammates logged time on %(work)s that day, typically "
            "%(hours)s h each",
            count=len(hours),
            work=work,
            hours=f"{typical:g}",
        )

    # -- retention ------------------------------------------------------------

    @api.model
    def _cron_purge(self):
        """Delete the suggestions about days older than each company's retention."""
        today = fields.Date.context_today(self)
        Suggestion = self.sudo()
        for company in self.env["res.company"].sudo().search([]):
            keep = max(1, company.agency_suggestion_retention_days or 0)
            Suggestion.search(
                [
                    ("company_id", "=", company.id),
                    ("date", "<", today - timedelta(days=keep)),
                ]
            ).unlink()

    # -- helpers -------------------------------------------------------------

    def _prepare_entry(self):
        """The values of the draft timesheet entry this suggestion becomes."""
        self.ensure_one()
        employee = self._employee(self.user_id, self.company_id)
        return {
            "employee_id": employee.id,
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
            "project_id": self.project_id.id,
            "task_id": self.task_id.id,
            "date": self.date,
            "unit_amount": self.hours,
            "name": self.name or self.reason or "/",
            "entry_source": "suggestion",
            "approval_state": "draft",
        }
