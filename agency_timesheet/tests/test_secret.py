"""Encrypted secrets: the calendar feed URL in agency.secret, the key from the
server configuration, refusals without a (valid) key, rotation, the feed
fetched into suggestions."""

import os
from contextlib import contextmanager
from unittest.mock import MagicMock, patch

import requests
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, config

from ..encryption import ENV_KEY, new_key
from .common import AgencyCase
from .ics_samples import DAY, KICKOFF, STANDUP, ics

URL = "https://calendar.example.com/private-7f3a9c0d/basic.ics"
WIZARD = "odoo.addons.agency_timesheet.wizards.agency_suggestion_import.requests.get"


@contextmanager
def server_key(key):
    """odoo.conf's agency_encryption_key is `key` (None: unset), and no
    environment variable."""
    environ = {name: value for name, value in os.environ.items() if name != ENV_KEY}
    with (
        patch.dict(config.options, {"agency_encryption_key": key}),
        patch.dict(os.environ, environ, clear=True),
    ):
        yield


class TestSecret(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = cls.users["user"]
        cls.key = new_key()

    def rows(self):
        self.env.flush_all()
        return dict(
            self.env.execute_query(
                SQL(
                    "SELECT id, ciphertext FROM agency_secret WHERE res_model = %s",
                    "res.users",
                )
            )
        )

    def set_url(self, user, url):
        user.with_user(user).write({"agency_calendar_feed_url": url})

    def test_stored_as_ciphertext_read_in_plain_by_its_owner_only(self):
        with server_key(self.key):
            self.set_url(self.user, URL)
            rows = self.rows()
            self.assertEqual(len(rows), 1)
            (cipher,) = rows.values()
            self.assertNotIn("7f3a9c0d", cipher)
            self.assertNotIn("example.com", cipher)
            self.env.invalidate_all()
            mine = self.user.with_user(self.user)
            self.assertEqual(mine.agency_calendar_feed_url, URL)
            self.assertTrue(mine.agency_calendar_feed_set)
            # Nobody else reads it, the administrator included.
            admin = self.env.ref("base.user_admin")
            other = self.user.with_user(admin)
            self.assertFalse(other.agency_calendar_feed_url)
            self.assertTrue(other.agency_calendar_feed_set)
            with self.assertRaisesRegex(UserError, "only the person sets"):
                other.agency_calendar_feed_url = "https://evil.example.com/x.ics"
            # No group reaches the table.
            for level, someone in self.users.items():
                with self.subTest(level=level), self.assertRaises(AccessError):
                    self.env["agency.secret"].with_user(someone).search([])
            # Emptying the field removes the secret.
            self.set_url(self.user, False)
            self.assertEqual(self.rows(), {})

    def test_without_a_key_nothing_is_stored(self):
        with (
            server_key(None),
            self.assertRaisesRegex(UserError, "No encryption key is configured"),
        ):
            self.set_url(self.user, URL)
        self.assertEqual(self.rows(), {})

    def test_key_of_the_wrong_format_is_refused(self):
        with (
            server_key("not-a-key"),
            self.assertRaisesRegex(UserError, "is not valid.*44 characters"),
        ):
            self.set_url(self.user, URL)
        self.assertEqual(self.rows(), {})

    def test_environment_variable(self):
        with server_key(None), patch.dict(os.environ, {ENV_KEY: self.key}):
            self.set_url(self.user, URL)
            self.env.invalidate_all()
            self.assertEqual(
                self.user.with_user(self.user).agency_calendar_feed_url, URL
            )

    def test_a_changed_key_says_so(self):
        with server_key(self.key):
            self.set_url(self.user, URL)
        self.env.invalidate_all()
        with (
            server_key(new_key()),
            self.assertRaisesRegex(UserError, "rotate from the previous key"),
        ):
            self.user.with_user(self.user).agency_calendar_feed_url  # noqa: B018

    def test_not_a_web_address(self):
        with (
            server_key(self.key),
            self.assertRaisesRegex(UserError, "must be a web address"),
        ):
            self.set_url(self.user, "file:///etc/passwd")
        self.assertEqual(self.rows(), {})

    def test_rotation_in_place(self):
        second = self.users["producer"]
        with server_key(self.key):
            self.set_url(self.user, URL)
            self.set_url(second, URL + "?2")
        before = self.rows()
        new = new_key()
        Secret = self.env["agency.secret"].with_user(self.env.ref("base.user_admin"))
        self.assertEqual(Secret._agency_rotate_key(self.key, new), 2)
        after = self.rows()
        self.assertEqual(set(after), set(before), "re-encrypted in place")
        self.assertFalse(set(after.values()) & set(before.values()))
        self.env.invalidate_all()
        with server_key(new):
            self.assertEqual(
                self.user.with_user(self.user).agency_calendar_feed_url, URL
            )
            self.assertEqual(
                second.with_user(second).agency_calendar_feed_url, URL + "?2"
            )

    def test_rotation_with_the_wrong_old_key_changes_nothing(self):
        with server_key(self.key):
            self.set_url(self.user, URL)
        before = self.rows()
        Secret = self.env["agency.secret"].with_user(self.env.ref("base.user_admin"))
        with self.assertRaisesRegex(UserError, "Nothing was re-encrypted"):
            Secret._agency_rotate_key(new_key(), new_key())
        with self.assertRaisesRegex(UserError, "44 characters"):
            Secret._agency_rotate_key(self.key, "short")
        self.assertEqual(self.rows(), before)
        with self.assertRaises(AccessError):
            self.env["agency.secret"].with_user(self.users["admin"])._agency_rotate_key(
                self.key, new_key()
            )
        self.env.invalidate_all()
        with server_key(self.key):
            self.assertEqual(
                self.user.with_user(self.user).agency_calendar_feed_url, URL
            )

    @freeze_time("2026-03-03 08:00:00")
    def test_feed_becomes_suggestions(self):
        self.user.agency_suggestions_enabled = True
        response = MagicMock()
        response.raw.read.return_value = ics(KICKOFF, STANDUP)
        with server_key(self.key):
            self.set_url(self.user, URL.replace("https://", "webcal://"))
            wizard = (
                self.env["agency.suggestion.import"]
                .with_user(self.user)
                .create({"date_from": DAY, "date_to": DAY})
            )
            self.assertTrue(wizard.feed_set)
            with patch(WIZARD, return_value=response) as get:
                action = wizard.action_fetch_feed()
        self.assertEqual(get.call_args.args[0], URL)
        self.assertIn("2 new suggestion(s)", action["params"]["message"])
        found = self.env["agency.suggestion"].search(
            [("user_id", "=", self.user.id), ("source", "=", "ics")]
        )
        self.assertEqual(len(found), 2)

    @freeze_time("2026-03-03 08:00:00")
    def test_feed_unreachable_or_missing(self):
        self.user.agency_suggestions_enabled = True
        wizard = (
            self.env["agency.suggestion.import"]
            .with_user(self.user)
            .create({"date_from": DAY, "date_to": DAY})
        )
        with self.assertRaisesRegex(UserError, "You have no calendar feed"):
            wizard.action_fetch_feed()
        with server_key(self.key):
            self.set_url(self.user, URL)
            with (
                patch(WIZARD, side_effect=requests.ConnectionError("down")),
                self.assertRaisesRegex(UserError, "could not be read.*ConnectionError"),
            ):
                wizard.action_fetch_feed()
