from odoo import api, fields, models
from odoo.exceptions import ValidationError

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
        default=30,
        help="Suggestions older than this are deleted every night.",
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

    @api.constrains("agency_suggestion_retention_days")
    def _check_agency_suggestion_retention_days(self):
        for company in self:
            if company.agency_suggestion_retention_days < 1:
                raise ValidationError(
                    self.env._(
                        "%(company)s: keep suggestions for at least one day (30 is "
                        "the default).",
                        company=company.name,
                    )
                )
