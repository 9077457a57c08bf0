from odoo import fields, models

AGENCY_USER_FIELDS = [
    "agency_timer_switch",
    "agency_idle_minutes",
    "agency_suggestions_enabled",
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

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + AGENCY_USER_FIELDS

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + AGENCY_USER_FIELDS
