from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .. import champions
from ..activity_tokens import new_token_action
from ..pilot import EVERYONE, SCOPES
from ..retention import BY_CODE, BY_FIELD, too_short

# The company settings whose changes write an audit row, and its operation.
AUDITED_SETTINGS = {
    "agency_timesheet_lock_date": "lock",
    "agency_audit_per_entry": "setting",
}

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    agency_timer_max_hours = fields.Float(
        string="Forgotten Timer Limit (hours)",
        default=10.0,
        help="A timer running longer than this is stopped automatically; only the "
        "time up to the limit is kept and its owner is told.",
    )
    agency_timer_stop_at_day_end = fields.Boolean(
        string="Stop Forgotten Timers at the End of the Working Day",
        default=True,
        help="Also stop a timer at the end of its owner's working day (their "
        "working schedule, in their own time zone) when it was started during "
        "that day.",
    )
    agency_timers_visible_to_producers = fields.Boolean(
        string="Producers See Timers on Their Projects",
        help="Off (the default): running timers and their notes are private to "
        "their owner. On: producers also see the timers running on the projects "
        "they manage.",
    )
    agency_timesheet_lock_date = fields.Date(
        string="Timesheet Lock Date",
        help="Nothing dated on or before this day can be created, changed or "
        "deleted, except by Agency administrators, and each of their changes is "
        "written to the audit log.",
    )
    agency_pilot_scope = fields.Selection(
        SCOPES,
        string="Pilot",
        default=EVERYONE,
        required=True,
        help="Who reminders, the approval requirement, lock dates and the billing "
        "check about unapproved time apply to. Everyone (the default), or the "
        "teams, people and projects of a pilot: everyone else keeps Odoo's stock "
        "behaviour (their time is billed without approval, no reminders, no lock "
        "date).",
    )
    agency_pilot_department_ids = fields.Many2many(
        "hr.department",
        "agency_pilot_department_rel",
        string="Pilot Teams",
        help="Everyone in these departments is in the pilot.",
    )
    agency_pilot_employee_ids = fields.Many2many(
        "hr.employee",
        "agency_pilot_employee_rel",
        string="Pilot People",
    )
    agency_pilot_project_ids = fields.Many2many(
        "project.project",
        "agency_pilot_project_rel",
        string="Pilot Projects",
        help="All time logged on these projects is in the pilot, whoever logs it.",
    )
    agency_champion_channel_id = fields.Many2one(
        "discuss.channel",
        string="Champions' Channel",
        help="The Discuss channel of the pilot's champions: Send feedback posts there.",
    )
    agency_week_start = fields.Selection(
        WEEKDAYS,
        string="Weeks Start On",
        default="0",
        required=True,
    )
    agency_submit_deadline_weekday = fields.Selection(
        WEEKDAYS,
        string="Weeks Are Due On",
        default="0",
        required=True,
        help="The day of the following week by which a week should be submitted. "
        "Approvers get their digest then.",
    )
    agency_submit_deadline_hour = fields.Integer(
        string="Due At (hour)",
        default=10,
        help="The hour of the deadline day, in each person's own time zone (0-23).",
    )
    agency_reminder_share = fields.Float(
        string="Nudge Below (% of the day)",
        default=80.0,
        help="A working day with less than this share of its expected hours logged "
        "gets a gentle reminder.",
    )
    agency_allow_self_approval = fields.Boolean(
        string="People May Approve Their Own Time",
        help="Off (the default): nobody approves their own timesheet entries, not "
        "even a producer on their own project.",
    )
    agency_suggestion_retention_days = fields.Integer(
        string="Keep Suggestions (days)",
        default=BY_CODE["suggestion"].default,
        help="Suggestions older than this are deleted every night.",
    )

    agency_retention_timer_months = fields.Integer(
        string="Keep Notes of Stopped Timers (months)",
        default=BY_CODE["timer"].default,
        help="This many months after a timer stopped, the retention purge "
        "blanks its note; the timer, its hours and its entry stay.",
    )
    agency_retention_departed_months = fields.Integer(
        string="Anonymise Descriptions of People Who Left (months)",
        default=BY_CODE["departed"].default,
        help="This many months after a person's departure, the descriptions of "
        "their entries dated on or before the lock date are anonymised; hours "
        "and amounts stay.",
    )
    agency_retention_import_months = fields.Integer(
        string="Keep Uploaded Import Files (months)",
        default=BY_CODE["import_file"].default,
        help="Uploaded import files older than this are deleted; the batches, "
        "their reports and what they created stay.",
    )
    agency_retention_activity_days = fields.Integer(
        string="Keep Activity Events (days)",
        default=BY_CODE["activity"].default,
        help="Activity received from git, Jira, Asana and design tools (with the "
        "raw payloads) older than this is deleted; the suggestions it made stay "
        "until their own retention.",
    )
    agency_retention_audit_years = fields.Integer(
        string="Keep Audit Rows (years)",
        default=BY_CODE["audit"].default,
        help="Audit rows older than this are deleted. Never fewer than 6 years "
        "(the legal minimum the add-on keeps, see the readme).",
    )

    agency_audit_per_entry = fields.Boolean(
        string="Per-Entry Audit Detail",
        groups="agency_timesheet.group_agency_admin",
        help="Off (the default): an approve, reject or reopen writes one audit row "
        "for the whole batch, with the number of entries and their ids (each "
        "entry's history still finds it). On: one audit row per entry, as well. "
        "Changing it is audited.",
    )

    def write(self, vals):
        audited = [name for name in AUDITED_SETTINGS if name in vals]
        if not audited:
            result = super().write(vals)
        else:
            Audit = self.env["agency.audit"]
            before = {name: Audit._snapshot(self.sudo(), [name]) for name in audited}
            result = super().write(vals)
            for name in audited:
                Audit._log_snapshot_changes(
                    AUDITED_SETTINGS[name], self.sudo(), before[name]
                )
        if vals.get("agency_champion_channel_id"):
            champions.sync_channels(self.env, self)
        return result

    @api.constrains(*BY_FIELD)
    def _check_agency_retention(self):
        for company in self:
            for name, kind in BY_FIELD.items():
                if too_short(kind, company[name]):
                    raise ValidationError(
                        self.env._(
                            "%(company)s: %(setting)s must be at least %(minimum)s "
                            "%(unit)s (it is %(value)s); %(default)s is the default.",
                            company=company.name,
                            setting=self._fields[name].string,
                            minimum=kind.minimum,
                            unit=kind.unit,
                            value=company[name],
                            default=kind.default,
                        )
                    )

    @api.constrains("agency_timesheet_lock_date")
    def _check_agency_timesheet_lock_date(self):
        today = fields.Date.context_today(self)
        for company in self:
            if (
                company.agency_timesheet_lock_date
                and company.agency_timesheet_lock_date > today
            ):
                raise ValidationError(
                    self.env._(
                        "The timesheet lock date of %(company)s cannot be in the "
                        "future (%(date)s): it would stop people from logging the "
                        "time they are working now. Choose today or an earlier day.",
                        company=company.name,
                        date=company.agency_timesheet_lock_date,
                    )
                )

    @api.constrains("agency_submit_deadline_hour", "agency_reminder_share")
    def _check_agency_review_window(self):
        for company in self:
            if not 0 <= company.agency_submit_deadline_hour <= 23:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the deadline hour must be between 0 and 23 "
                        "(it is %(hour)s).",
                        company=company.name,
                        hour=company.agency_submit_deadline_hour,
                    )
                )
            if not 0 < company.agency_reminder_share <= 100:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the reminder share is a percentage of the day, "
                        "above 0 and at most 100.",
                        company=company.name,
                    )
                )

    def action_agency_activity_token(self):
        """A new token for the company's activity endpoints (authors matched
        by email), shown once; Agency administrators only."""
        self.ensure_one()
        if not self.env.user.has_group("agency_timesheet.group_agency_admin"):
            raise AccessError(
                self.env._(
                    "%(company)s: only an Agency administrator makes the company's "
                    "activity token.",
                    company=self.name,
                )
            )
        return new_token_action(self, "company")
