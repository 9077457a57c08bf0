"""Personal data access: for one person, a spreadsheet of everything the
add-ons hold about them (their timesheet entries, timers, suggestions, the
activity events their tools sent, their calendar feed's state and their
connection settings, and the audit rows naming them or their entries,
approval batches included), for a data subject's
access request. Administrators only; each export is audited.

Secrets stay secret: the feed's address and the activity token are said to be
set or not, never shown (only the person reads their feed address, in their
Preferences). An activity event's raw payload is not copied (a push names
other people's commits); the sheet says whether one is kept."""

from odoo import api, fields, models
from odoo.osv import expression

from .. import xlsx
from ..models.agency_audit import audit_table
from ..sign_in import FEED_KIND


class AgencyPersonalExport(models.TransientModel):
    _name = "agency.personal.export"
    _description = "Agency Personal Data Export"

    employee_id = fields.Many2one(
        "hr.employee",
        string="Person",
        required=True,
        context={"active_test": False},
        help="Whose data to export (people who left included).",
    )

    @api.model
    def _agency_records(self, employee):
        """{kind: records} held about employee: exactly theirs."""
        employee = employee.sudo()
        user = employee.user_id
        Lines = self.env["account.analytic.line"].sudo().with_context(active_test=False)
        lines = Lines.search([("employee_id", "=", employee.id)])
        timers = (
            self.env["agency.timer"].sudo().search([("employee_id", "=", employee.id)])
        )
        suggestions = self.env["agency.suggestion"].sudo()
        audit_domain = [
            # their entries' own rows and the approval batches holding them
            [("entry_ids", "in", lines.ids)],
            [("res_model", "=", "hr.employee"), ("res_id", "=", employee.id)],
        ]
        if user:
            suggestions = suggestions.search(
                [("user_id", "=", user.id), ("company_id", "=", employee.company_id.id)]
            )
            audit_domain += [
                [("user_id", "=", user.id)],
                [("subject_user_id", "=", user.id)],
            ]
        audit = self.env["agency.audit"].sudo().search(expression.OR(audit_domain))
        events = self.env["agency.activity.event"].sudo()
        feeds = self.env["agency.calendar.feed"].sudo()
        emails = {
            (email or "").strip().lower()
            for email in (user.email, employee.work_email)
            if email
        }
        event_domain = [[("user_id", "=", user.id)]] if user else []
        if emails:
            # unassigned events whose author email is theirs
            event_domain.append(
                [("user_id", "=", False), ("email", "in", list(emails))]
            )
        if event_domain:
            events = events.search(expression.OR(event_domain))
        if user:
            feeds = feeds.search([("user_id", "=", user.id)])
        return {
            "entries": lines,
            "timers": timers,
            "suggestions": suggestions,
            "activity": events,
            "feed": feeds,
            "audit": audit,
        }

    @api.model
    def _agency_connections(self, employee, feeds):
        """(setting, value) rows: the person's suggestion and connection
        settings and their calendar feed's state; secrets as set / not set."""
        user = employee.sudo().user_id
        if not user:
            return []
        Secret = self.env["agency.secret"].sudo()
        settings = [
            (self.env._("Suggestions on"), user.agency_suggestions_enabled),
            (
                self.env._("Calendar feed address set"),
                Secret._agency_has(user, FEED_KIND),
            ),
            (self.env._("Activity: commits"), user.agency_activity_git),
            (self.env._("Activity: Jira and Asana"), user.agency_activity_tasks),
            (self.env._("Activity: design tools"), user.agency_activity_generic),
            (self.env._("Activity token set"), user.agency_activity_token_set),
        ]
        rows = [
            (label, self.env._("yes") if value else self.env._("no"))
            for label, value in settings
        ]
        for feed in feeds:
            rows += [
                (self.env._("Calendar feed last read"), feed.last_run),
                (self.env._("Calendar feed last worked"), feed.last_ok),
                (self.env._("Calendar feed last error"), feed.last_error),
                (self.env._("Calendar feed events remembered"), len(feed.given or {})),
            ]
        return rows

    def action_export(self):
        self.ensure_one()
        held = self._agency_records(self.employee_id)
        sheets = [
            (
                self.env._("Entries"),
                ["Date", "Project", "Task", "Hours", "Description", "Status"],
                [
                    (
                        line.date,
                        line.project_id.name,
                        line.task_id.name,
                        line.unit_amount,
                        line.name,
                        line.approval_state,
                    )
                    for line in held["entries"]
                ],
            ),
            (
                self.env._("Timers"),
                ["Day", "Project", "Task", "Note", "Status", "Started"],
                [
                    (
                        t.date,
                        t.project_id.name,
                        t.task_id.name,
                        t.note,
                        t.state,
                        t.started_at,
                    )
                    for t in held["timers"]
                ],
            ),
            (
                self.env._("Suggestions"),
                ["Day", "Source", "Project", "Task", "Hours", "Description", "Reason"],
                [
                    (
                        s.date,
                        s.source,
                        s.project_id.name,
                        s.task_id.name,
                        s.hours,
                        s.name,
                        s.reason,
                    )
                    for s in held["suggestions"]
                ],
            ),
            (
                self.env._("Activity"),
                [
                    "Started",
                    "Ended",
                    "Source",
                    "Title",
                    "Link",
                    "Project Hint",
                    "Author Email",
                    "Suggestion",
                    "Raw Payload Kept",
                ],
                [
                    (
                        e.started_at,
                        e.ended_at,
                        e.source,
                        e.title,
                        e.url,
                        e.project_hint,
                        e.email,
                        e.suggestion_id.name,
                        "yes" if e.payload else "no",
                    )
                    for e in held["activity"]
                ],
            ),
            (
                self.env._("Connections"),
                ["Setting", "Value"],
                self._agency_connections(self.employee_id, held["feed"]),
            ),
            # a batch row's ids: only this person's entries
            (self.env._("Audit"), *audit_table(held["audit"], held["entries"])),
        ]
        data = xlsx.workbook(sheets)
        self.env["agency.audit"]._log_operation(
            "export",
            self.employee_id,
            after={kind: len(records) for kind, records in held.items()},
            reason=self.env._("Personal data export"),
            subject=self.employee_id.user_id,
        )
        return xlsx.download(
            self, self.env._("Personal data %s.xlsx", self.employee_id.name), data
        )
