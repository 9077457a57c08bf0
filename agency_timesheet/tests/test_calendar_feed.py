"""Calendar feeds refreshed by the cron, against a local HTTP server started
here (tests/feed_server.py): suggestions as the .ics upload makes them,
conditional GET (ETag 304), a changed and a removed event updating or removing
their untouched suggestions, a repeating event, a timeout, a too-large feed,
broken lines, an address that is not http(s), the owner told once, opt-out,
and as many queries for a big feed as for a small one."""

from datetime import datetime, time, timedelta
from unittest import TestCase
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tools import config

from .. import calendar_feeds
from ..calendar_feeds import FeedError, normalize, plan
from ..encryption import new_key
from ..ics import MAX_ICS_BYTES
from .common import AgencyCase
from .feed_server import FeedServer
from .ics_samples import ics


def stamp(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute)).strftime("%Y%m%dT%H%M%SZ")


class TestFeedRules(TestCase):
    def test_plan_creates_updates_and_removes_only_untouched(self):
        given = {"a": ["A", 1, 0], "b": ["B", 1, 0], "c": ["C", 1, 0], "d": ["D", 1, 0]}
        existing = {
            "a": ("new", ["A", 1, 0]),  # untouched, changed in the feed
            "b": ("new", ["B", 2, 0]),  # edited by the person
            "c": ("new", ["C", 1, 0]),  # untouched, removed from the feed
            "d": ("accepted", ["D", 1, 0]),  # accepted: the person's
        }
        proposals = {"a": ["A2", 1, 0], "b": ["B2", 1, 0], "e": ["E", 1, 0]}
        self.assertEqual(plan(existing, proposals, given), (["e"], ["a"], ["c"]))

    def test_address_must_be_http(self):
        self.assertEqual(
            normalize("webcal://x.example/a.ics"), "https://x.example/a.ics"
        )
        for bad in ("ftp://x.example/a.ics", "file:///etc/passwd", "javascript:x", ""):
            with self.assertRaisesRegex(FeedError, "not an http"):
                normalize(bad)


class TestCalendarFeed(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(
            patch.dict(config.options, {"agency_encryption_key": new_key()})
        )
        # One given today for every run: 1 January 2029, a Monday (the feed's
        # events of the two days before fall in the month and year before).
        cls.startClassPatcher(freeze_time("2029-01-01 06:00:00", tick=True))
        cls.server = FeedServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.person = cls.users["user"]
        cls.person.write(
            {
                "agency_suggestions_enabled": True,
                "tz": "UTC",
                "email": "feed@example.com",
            }
        )
        cls.today = fields.Date.context_today(cls.person.with_user(cls.person))
        cls.day1 = cls.today - timedelta(days=1)
        cls.day2 = cls.today - timedelta(days=2)

    def setUp(self):
        super().setUp()
        self.server.feeds.clear()
        self.server.requests.clear()

    def events(self, kickoff="Kickoff", review=True):
        kick = (
            f"UID:kickoff@feed\nSUMMARY:{kickoff}\n"
            f"DTSTART:{stamp(self.day1, 9)}\nDTEND:{stamp(self.day1, 10)}"
        )
        standup = (
            f"UID:standup@feed\nSUMMARY:Stand-up\nDTSTART:{stamp(self.day2, 8)}\n"
            "DURATION:PT30M\nRRULE:FREQ=DAILY;COUNT=2"
        )
        bodies = [kick, standup]
        if review:
            bodies.append(
                f"UID:review@feed\nSUMMARY:Review\n"
                f"DTSTART:{stamp(self.day2, 14)}\nDTEND:{stamp(self.day2, 15)}"
            )
        return ics(*bodies)

    def connect(self, path, **feed):
        self.server.feeds[path] = feed
        self.env["agency.secret"]._agency_store(
            self.person, "calendar_feed", self.server.url(path)
        )
        self.env["agency.calendar.feed"]._agency_sync()
        return self.env["agency.calendar.feed"].search(
            [("user_id", "=", self.person.id)]
        )

    def mine(self):
        return self.env["agency.suggestion"].search(
            [("user_id", "=", self.person.id), ("source", "=", "feed")],
            order="event_start",
        )

    def messages(self):
        return self.env["mail.message"].search_count(
            [
                ("partner_ids", "in", self.person.partner_id.ids),
                ("subject", "=", "Your calendar feed could not be read"),
            ]
        )

    def test_refresh_conditional_get_change_and_removal(self):
        feed = self.connect("/a.ics", body=self.events(), etag='"v1"')
        self.assertEqual(feed._agency_refresh(), {feed.id: "ok"})
        found = self.mine()
        self.assertEqual(
            sorted(found.mapped("name")), ["Kickoff", "Review", "Stand-up", "Stand-up"]
        )
        standups = found.filtered(lambda s: s.name == "Stand-up")
        self.assertEqual(sorted(standups.mapped("date")), [self.day2, self.day1])
        self.assertEqual(standups.mapped("hours"), [0.5, 0.5])
        self.assertTrue(all(s.state == "new" for s in found), "drafts, to review")
        self.assertTrue(feed.last_ok)
        self.assertEqual(feed.etag, '"v1"')

        # Nothing changed: 304, nothing read, nothing duplicated.
        self.assertEqual(feed._agency_refresh(), {feed.id: "unchanged"})
        self.assertEqual(self.server.requests[-1], ("/a.ics", '"v1"'))
        self.assertEqual(self.mine(), found)

        # The person edits a stand-up; the kickoff is renamed, the review removed.
        edited = standups[0]
        edited.with_user(self.person).hours = 0.75
        self.server.feeds["/a.ics"] = {
            "body": self.events(kickoff="Kickoff (moved room)", review=False),
            "etag": '"v2"',
        }
        self.assertEqual(feed._agency_refresh(), {feed.id: "ok"})
        now = self.mine()
        self.assertEqual(
            sorted(now.mapped("name")), ["Kickoff (moved room)", "Stand-up", "Stand-up"]
        )
        self.assertIn(edited, now)
        self.assertEqual(edited.hours, 0.75, "the person's edit stays")
        self.assertEqual(len(now), 3, "the changed event updated, never duplicated")

        # A refresh after a new ETag with the same events adds nothing.
        self.server.feeds["/a.ics"]["etag"] = '"v3"'
        feed._agency_refresh()
        self.assertEqual(self.mine(), now)

    def test_failures_tell_the_owner_once(self):
        feed = self.connect("/slow.ics", body=self.events(), delay=2)
        with patch.object(calendar_feeds, "FEED_TIMEOUT", 0.5):
            result = feed._agency_refresh()[feed.id]
        self.assertIn("no answer within", result)
        self.assertEqual(self.messages(), 1)
        self.server.feeds["/slow.ics"] = {"body": b"x", "status": 500}
        self.assertIn("500", feed._agency_refresh()[feed.id])
        self.assertEqual(self.messages(), 1, "told once, not every run")
        self.assertFalse(self.mine(), "nothing imported")
        # It works again, then fails again: told again.
        self.server.feeds["/slow.ics"] = {"body": self.events()}
        self.assertEqual(feed._agency_refresh()[feed.id], "ok")
        self.assertFalse(feed.last_error)
        self.server.feeds["/slow.ics"] = {
            "body": b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"
            b"DTSTART:nonsense\r\n broken\r\n"
        }
        self.assertIn("not a readable calendar", feed._agency_refresh()[feed.id])
        self.assertEqual(self.messages(), 2)
        self.assertEqual(len(self.mine()), 4, "a broken feed removes nothing")

    def test_too_large_and_not_http(self):
        big = b"BEGIN:VCALENDAR\r\n" + b"X" * MAX_ICS_BYTES
        feed = self.connect("/big.ics", body=big)
        self.assertIn("bigger than", feed._agency_refresh()[feed.id])
        self.server.feeds["/big.ics"] = {"body": big, "no_length": True}
        self.assertIn("bigger than", feed._agency_refresh()[feed.id])
        self.env["agency.secret"]._agency_store(
            self.person, "calendar_feed", "ftp://127.0.0.1/a.ics"
        )
        self.assertIn("not an http", feed._agency_refresh()[feed.id])
        self.assertFalse(self.mine())

    def test_opt_out_reads_nothing_and_cron_batches(self):
        feed = self.connect("/a.ics", body=self.events())
        self.person.agency_suggestions_enabled = False
        self.assertEqual(feed._agency_refresh(), {feed.id: "off"})
        self.assertFalse(self.server.requests, "an opted-out feed is never read")
        self.person.agency_suggestions_enabled = True
        feed.last_run = False
        with patch.object(type(self.env["ir.cron"]), "_notify_progress") as progress:
            self.assertGreaterEqual(self.env["agency.calendar.feed"]._cron_refresh(), 1)
        progress.assert_called_once()
        self.assertEqual(len(self.mine()), 4)
        # Refreshed now: the next run leaves it alone.
        with patch.object(type(self.env["ir.cron"]), "_notify_progress"):
            self.env["agency.calendar.feed"]._cron_refresh()
        self.assertEqual(len(self.server.requests), 1)

    def test_refresh_my_feed_now(self):
        """The person's own button: their feed only, once every few minutes,
        a message that says what happened."""
        me = self.person.with_user(self.person)
        with self.assertRefused(UserError, "no calendar feed yet"):
            me.action_agency_refresh_feed()
        self.connect("/mine.ics", body=self.events())
        done = me.action_agency_refresh_feed()
        self.assertEqual(done["params"]["type"], "success")
        self.assertIn("are in your suggestions", done["params"]["message"])
        self.assertEqual(len(self.mine()), 4)
        with self.assertRefused(UserError, r"read 0 minute\(s\) ago.*again in 5"):
            me.action_agency_refresh_feed()
        self.assertEqual(len(self.server.requests), 1, "refused: nothing read")
        # Someone else's feed: refused, even for an administrator.
        admin = self.users["admin"]
        with self.assertRefused(UserError, "only the person refreshes"):
            self.person.with_user(admin).action_agency_refresh_feed()
        # Later, a feed that fails says why, and stays on screen.
        feed = self.env["agency.calendar.feed"].search(
            [("user_id", "=", self.person.id)]
        )
        feed.last_run -= timedelta(minutes=6)
        self.server.feeds["/mine.ics"] = {"body": b"x", "status": 500}
        failed = me.action_agency_refresh_feed()
        self.assertEqual(failed["params"]["type"], "warning")
        self.assertTrue(failed["params"]["sticky"])
        self.assertIn("could not be read", failed["params"]["message"])
        self.assertIn("500", failed["params"]["message"])

    def test_feed_state_is_nobody_readable(self):
        feed = self.connect("/a.ics", body=self.events())
        for level in ("user", "admin"):
            with self.assertRaises(AccessError):
                feed.with_user(self.users[level]).read(["etag"])

    def test_queries_do_not_grow_with_the_feed(self):
        """A fixed number of queries per refresh: the never-twice check reads
        the person's feed suggestions once, the new ones are created at once."""
        feed = self.connect("/q.ics", body=b"", etag='"q"')

        def meetings(count):
            return ics(
                *(
                    f"UID:q{n}@feed\nSUMMARY:Meeting {n}\n"
                    f"DTSTART:{stamp(self.today - timedelta(days=1 + n % 6), 7 + n // 6)}"  # noqa: E501
                    "\nDURATION:PT30M"
                    for n in range(count)
                )
            )

        def queries(data):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            feed._agency_apply(data)
            self.env.flush_all()
            return self.env.cr.sql_log_count - start

        queries(meetings(1))  # the caches of the first refresh (rules, fields)
        small = queries(meetings(2))
        big = queries(meetings(60))
        self.assertEqual(len(self.mine()), 60)
        self.assertEqual(big, small, "as many queries for 60 meetings as for 2")
        self.assertLessEqual(queries(meetings(60)), small, "again: nothing created")
        self.assertEqual(len(self.mine()), 60, "never twice")
