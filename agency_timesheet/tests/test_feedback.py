"""Send feedback reaches the champions' channel with the text, the page and
the person; an empty text (or no channel) is refused and nothing is posted."""

from odoo.exceptions import UserError

from .common import AgencyCase


class TestFeedback(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel = cls.env["discuss.channel"].create({"name": "Pilot Champions"})
        cls.company.agency_champion_channel_id = cls.channel

    def send(self, body, user=None):
        user = user or self.users["user"]
        wizard = (
            self.env["agency.feedback"]
            .with_user(user)
            .with_context(
                default_page="http://localhost/odoo/action-agency_my_week",
                default_page_name="My Week",
            )
            .create({"body": body})
        )
        return wizard.action_send()

    def posted(self):
        return self.env["mail.message"].search(
            [("model", "=", "discuss.channel"), ("res_id", "=", self.channel.id),
             ("message_type", "=", "comment")]
        )  # fmt: skip

    def test_reaches_the_channel(self):
        result = self.send("Submitting a week <b>on the phone</b> is hard")
        self.assertEqual(result["params"]["type"], "success")
        message = self.posted()
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.users["user"].partner_id)
        self.assertIn("Submitting a week &lt;b&gt;on the phone&lt;/b&gt;", message.body)
        self.assertIn("Agency user", message.body)
        self.assertIn("My Week", message.body)
        self.assertIn("http://localhost/odoo/action-agency_my_week", message.body)

    def test_empty_refused(self):
        for body in ("", "   \n "):
            with self.assertRefused(UserError, "Your feedback is empty"):
                self.send(body)
        self.assertFalse(self.posted())

    def test_no_channel_refused(self):
        self.company.agency_champion_channel_id = False
        with self.assertRefused(UserError, "no champions' channel yet"):
            self.send("Timers are great")
        self.assertFalse(self.posted())
