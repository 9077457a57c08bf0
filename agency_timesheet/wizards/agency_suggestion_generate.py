from odoo import fields, models
from odoo.tools.misc import format_date


class AgencySuggestionGenerate(models.TransientModel):
    """Suggest a Day: pick a date, get suggestions for it, review them."""

    _name = "agency.suggestion.generate"
    _description = "Suggest a Day"

    date = fields.Date(
        string="Day",
        required=True,
        default=fields.Date.context_today,
        help="Today or an earlier day within the retention period.",
    )
    suggestions_enabled = fields.Boolean(
        default=lambda self: self.env.user.agency_suggestions_enabled, readonly=True
    )

    def action_generate(self):
        """Make the day's suggestions and open them."""
        self.ensure_one()
        Suggestion = self.env["agency.suggestion"]
        result = Suggestion._generate(self.date)
        day = format_date(self.env, self.date)
        if result["created"]:
            message = self.env._(
                "%(created)s new suggestion(s) for %(day)s; %(total)s to review.",
                created=result["created"],
                day=day,
                total=result["total"],
            )
        else:
            message = self.env._(
                "Nothing new to suggest for %(day)s; %(total)s to review.",
                day=day,
                total=result["total"],
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if result["created"] else "info",
                "message": message,
                "next": Suggestion.action_day(self.date),
            },
        }
