"""Send feedback: what hurts, said in a sentence from wherever it hurts.

Opened from the timer menu in the top bar and from the command palette (Ctrl+K,
"Send feedback"), with the page the person was on. It posts the text, the page
and the person to the Discuss channel of the pilot's champions (Settings ›
Agency › Pilot), so the team can adjust quickly.
"""

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError


class AgencyFeedback(models.TransientModel):
    _name = "agency.feedback"
    _description = "Feedback to the pilot's champions"

    body = fields.Text(string="Your Feedback")
    page = fields.Char(readonly=True)
    page_name = fields.Char(string="Screen", readonly=True)

    def action_send(self):
        self.ensure_one()
        text = (self.body or "").strip()
        if not text:
            raise UserError(
                self.env._(
                    "Your feedback is empty: write a sentence about what helps or "
                    "what hurts, then Send. Nothing was sent."
                )
            )
        channel = self.env.company.sudo().agency_champion_channel_id
        if not channel:
            raise UserError(
                self.env._(
                    "%(company)s has no champions' channel yet, so your feedback "
                    "cannot reach anyone. Ask an Agency administrator to choose one "
                    "(Settings › Agency › Pilot). Nothing was sent.",
                    company=self.env.company.name,
                )
            )
        user = self.env.user
        where = self.page_name or self.env._("(unknown screen)")
        body = Markup(
            "<p><b>%(title)s</b></p><p>%(text)s</p>"
            "<p>%(from_label)s %(person)s · %(where_label)s %(where)s</p>%(link)s"
        ) % {
            "title": self.env._("Feedback"),
            "text": text,
            "from_label": self.env._("From:"),
            "person": user.name,
            "where_label": self.env._("On:"),
            "where": where,
            "link": Markup('<p><a href="%s">%s</a></p>') % (self.page, self.page)
            if self.page and self.page.startswith(("http://", "https://", "/"))
            else "",
        }
        channel.message_post(
            body=body,
            author_id=user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Thank you: the champions got your feedback."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
