from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import membership
from .res_groups import touches_groups

AGENCY_USER_FIELDS = [
    "agency_timer_switch",
    "agency_idle_minutes",
    "agency_suggestions_enabled",
    "agency_reminder_enabled",
    "agency_reminder_hour",
]


class ResUsers(models.Model):
    _inherit = "res.users"

    agency_timer_switch = fields.Selection(
        [("pause", "Pause it"), ("stop", "Stop it")],
        string="When I Start Another Timer",
        default="pause",
        required=True,
        help="What happens to your running timer when you start another one.",
    )
    agency_idle_minutes = fields.Integer(
        string="Idle After (minutes)",
        default=10,
        help="With a timer running and no keyboard or mouse input for this long, "
        "you are asked on your return whether to keep, discard or split the idle "
        "time. 0 turns the question off.",
    )
    agency_suggestions_enabled = fields.Boolean(
        string="Suggest Time Entries",
        help="Off by default. When on, the Suggestions screen proposes draft "
        "entries for a day from: calendar events you attended, tasks you wrote "
        "messages on or changed, what teammates on the same projects logged "
        "that day (project, task and hours only) and calendar files (.ics) you "
        "upload. Only you see your suggestions; nothing is ever submitted for you.",
    )

    agency_reminder_enabled = fields.Boolean(
        string="Timesheet Reminders",
        default=True,
        help="A gentle message at your chosen hour, on your working days only, when "
        "a day of the week so far has less time logged than expected.",
    )
    agency_reminder_hour = fields.Integer(
        string="Remind Me At",
        default=16,
        help="The hour of the day, in your own time zone (0-23).",
    )
    agency_reminded_on = fields.Date(
        readonly=True, copy=False, help="Technical: the last day you were reminded."
    )
    agency_digest_sent_on = fields.Date(
        readonly=True, copy=False, help="Technical: the last weekly digest sent."
    )

    @api.constrains("agency_reminder_hour")
    def _check_agency_reminder_hour(self):
        for user in self:
            if not 0 <= user.agency_reminder_hour <= 23:
                raise ValidationError(
                    self.env._(
                        "%(user)s: the reminder hour must be between 0 and 23 (it "
                        "is %(hour)s).",
                        user=user.name,
                        hour=user.agency_reminder_hour,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        before = membership.members(self.env)
        users = super().create(vals_list)
        # Who may see stock costs follows the Agency role (res_groups.py).
        self.env["res.groups"]._agency_sync_costs_visible()
        membership.log_changes(self.env, before)
        return users

    def write(self, vals):
        if not touches_groups(vals):
            return super().write(vals)
        before = membership.members(self.env)
        result = super().write(vals)
        self.env["res.groups"]._agency_sync_costs_visible()
        membership.log_changes(self.env, before)
        return result

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + AGENCY_USER_FIELDS

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + AGENCY_USER_FIELDS
