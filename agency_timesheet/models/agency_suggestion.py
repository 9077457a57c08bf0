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
directly; what each source proposes (calendar, tasks, teammates) is built in
suggestion_sources.py; a day's bounds in a time zone come from tools.py, the
calendar file parser is ics.py.
"""

from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date

from .. import suggestion_sources as sources
from ..suggestion_rules import DEFAULT_DAY_HOURS, REGENERATED_SOURCES, new_proposals
from ..tools import day_bounds


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
            ("feed", "Calendar Feed"),
            ("activity", "Activity (Git, Jira, Asana, Design Tools)"),
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
        proposals += sources.from_calendar(self.env, context)
        proposals += sources.from_tasks(self.env, context)
        # Teammates' time is the weakest hint: not for work proposed otherwise.
        covered = {(p.get("project_id"), p.get("task_id")) for p in proposals}
        covered |= {
            (s.project_id.id, s.task_id.id)
            for s in self.search(self._day_domain(day))
            if s.source != "teammates"
        }
        proposals += [
            p
            for p in sources.from_teammates(self.env, context)
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

    # -- retention ------------------------------------------------------------

    @api.model
    def _cron_purge(self):
        """Delete the suggestions about days older than each company's retention
        (the retention purge's suggestion kind, audited with it)."""
        self.env["agency.retention"]._agency_purge(kinds=["suggestion"])

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
