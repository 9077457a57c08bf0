"""Activity webhooks over real HTTP (HttpCase url_open): GitHub signatures
valid / invalid / missing, the GitLab token, Jira through the company's
endpoint (authors by email, project keys mapped), generic events, bad input
(4xx, nothing written), redeliveries stored once, merged slots, opt-out,
unknown authors reported once, and who reads what. The endpoint stores the
events pending and triggers the batch step (the cron) that makes their
suggestions; a replaced token stops working at once despite the workers'
cache of decrypted tokens."""

import hashlib
import hmac
import json
from datetime import UTC, timedelta
from unittest import TestCase
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import config

from ..activity_events import EventError, load, parse, slot, union, verify
from ..encryption import new_key
from .common import GROUPS

TOKEN = "person-token-0123456789"
COMPANY_TOKEN = "company-token-9876543210"


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class TestActivityRules(TestCase):
    NOW = fields.Datetime.from_string("2026-03-02 12:00:00")

    def test_signatures(self):
        body = b'{"commits": []}'
        good = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
        verify("github", "s3cret", body, {"X-Hub-Signature-256": good})
        for headers, reason in (
            ({}, "missing"),
            ({"X-Hub-Signature-256": "sha256=00"}, "does not match"),
        ):
            with self.assertRaisesRegex(EventError, reason):
                verify("github", "s3cret", body, headers)
        with self.assertRaisesRegex(EventError, "no signing secret"):
            verify("github", False, body, {"X-Hub-Signature-256": good})
        verify("gitlab", "t", body, {"X-Gitlab-Token": "t"})
        with self.assertRaisesRegex(EventError, "not this endpoint"):
            verify("gitlab", "t", body, {"X-Gitlab-Token": "u"})

    def test_bad_input(self):
        with self.assertRaisesRegex(EventError, "malformed JSON"):
            load(b"{not json")
        with self.assertRaisesRegex(EventError, "JSON object"):
            load(b"[1, 2]")
        with self.assertRaisesRegex(EventError, "payload over"):
            load(b" " * (300 * 1024))
        with self.assertRaisesRegex(EventError, "unknown source"):
            parse("figma", {}, self.NOW)
        base = {
            "source": "figma",
            "title": "Logo",
            "started_at": "2026-03-02T10:00:00Z",
        }
        with self.assertRaisesRegex(EventError, "negative"):
            parse("generic", {**base, "duration": -5}, self.NOW)
        with self.assertRaisesRegex(EventError, "in the future"):
            parse(
                "generic",
                {**base, "started_at": "2027-01-01T10:00:00Z", "duration": 5},
                self.NOW,
            )
        with self.assertRaisesRegex(EventError, "ends before"):
            parse("generic", {**base, "ended_at": "2026-03-02T09:00:00Z"}, self.NOW)
        with self.assertRaisesRegex(EventError, "time zone"):
            parse(
                "generic",
                {**base, "started_at": "2026-03-02T10:00:00", "duration": 5},
                self.NOW,
            )
        with self.assertRaisesRegex(EventError, "ended_at or duration"):
            parse("generic", base, self.NOW)
        with self.assertRaisesRegex(EventError, "missing title"):
            parse(
                "generic",
                {"source": "x", "started_at": "2026-03-02T10:00:00Z"},
                self.NOW,
            )

    def test_slots(self):
        at = fields.Datetime.from_string("2026-03-02 10:47:12")
        start, end = slot(at, None)
        self.assertEqual(
            (str(start), str(end)), ("2026-03-02 10:30:00", "2026-03-02 11:00:00")
        )
        self.assertEqual(
            slot(start, end + timedelta(hours=1)), (start, end + timedelta(hours=1))
        )

    def test_union(self):
        at = fields.Datetime.from_string("2026-03-02 10:00:00")
        meeting = (at, at + timedelta(minutes=30))
        session = (at + timedelta(minutes=15), at + timedelta(hours=2))
        self.assertEqual(union(meeting, session), (at, at + timedelta(hours=2)))
        self.assertEqual(union(session, meeting), (at, at + timedelta(hours=2)))
        inside = (at + timedelta(minutes=5), at + timedelta(minutes=10))
        self.assertEqual(union(meeting, inside), meeting)
        day = (at + timedelta(minutes=20), at + timedelta(hours=24, minutes=20))
        self.assertEqual(union(meeting, day), meeting, "never over 24 hours")


FROZEN_NOW = "2029-01-01 01:30:00"


@tagged("post_install", "-at_install")
class TestActivityWebhook(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(
            patch.dict(config.options, {"agency_encryption_key": new_key()})
        )
        # One given now for every run (the server checks events against it):
        # 1 January 2029, a Monday, early enough that the events three hours
        # before fall on the last day of the month and of the year before.
        cls.startClassPatcher(freeze_time(FROZEN_NOW, tick=True))
        env = cls.env
        cls.company = env.company
        groups = f"base.group_user,{GROUPS['user']}"
        cls.dev = env["res.users"].create(
            {
                "name": "Hook Dev",
                "login": "hook_dev",
                "email": "Dev@Studio.example.com",
                "tz": "UTC",
                "groups_id": [(6, 0, [env.ref(g).id for g in groups.split(",")])],
                "agency_suggestions_enabled": True,
                "agency_activity_git": True,
                "agency_activity_tasks": True,
                "agency_activity_generic": True,
            }
        )
        cls.other = env["res.users"].create(
            {
                "name": "Hook Other",
                "login": "hook_other",
                "email": "other@studio.example.com",
                "groups_id": [(6, 0, [env.ref(g).id for g in groups.split(",")])],
                "agency_suggestions_enabled": True,
            }
        )
        role = env["agency.role"].create({"name": "Hook Dev", "code": "HOOK"})
        for user in (cls.dev, cls.other):
            env["hr.employee"].create(
                {"name": user.name, "user_id": user.id, "role_id": role.id}
            )
        cls.project = env["project.project"].create(
            {"name": "Hook Website", "allow_timesheets": True}
        )
        env["agency.activity.mapping"].create(
            [
                {
                    "kind": "repository",
                    "key": "Studio/Web",
                    "project_id": cls.project.id,
                },
                {"kind": "jira", "key": "WEB", "project_id": cls.project.id},
            ]
        )
        Secret = env["agency.secret"]
        Secret._agency_store(cls.dev, "integration_token", TOKEN)
        Secret._agency_store(cls.company, "integration_token", COMPANY_TOKEN)
        # The demo's events are not this test's.
        cls.earlier = env["agency.activity.event"].sudo().search([]).ids
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        cls.base = now - timedelta(hours=3)

    def setUp(self):
        super().setUp()
        # No user: the session only names the database (a server serving one
        # database, or its dbfilter, does that for the tools).
        self.authenticate(None, None)

    def post(self, path, body, headers=None, process=True):
        """POST a delivery; then, unless `process` is False, run the batch
        step the delivery triggers (the cron, which no test server runs)."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        response = self.url_open(
            path,
            data=data,
            headers={"Content-Type": "application/json", **(headers or {})},
            timeout=30,
        )
        if process:
            self.env["agency.activity.event"]._cron_process()
        return response

    def person(self, source):
        return f"/agency/activity/person/{self.dev.id}/{source}"

    def company_path(self, source):
        return f"/agency/activity/company/{self.company.id}/{source}"

    def push(self, *commits, repo="studio/web", email="dev@studio.example.com"):
        return {
            "repository": {"full_name": repo},
            "commits": [
                {
                    "id": cid,
                    "message": f"{message}\n\nlong body",
                    "timestamp": iso(at),
                    "url": f"https://github.com/{repo}/commit/{cid}",
                    "author": {"email": email},
                }
                for cid, message, at in commits
            ],
        }

    def signed(self, payload, secret=TOKEN):
        body = json.dumps(payload).encode()
        sig = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return body, {"X-Hub-Signature-256": sig}

    def events(self):
        return (
            self.env["agency.activity.event"]
            .sudo()
            .search([("id", "not in", self.earlier)])
        )

    def suggestions(self, user=None):
        return self.env["agency.suggestion"].search(
            [("user_id", "=", (user or self.dev).id), ("source", "=", "activity")]
        )

    def test_github_signature_valid_invalid_missing(self):
        payload = self.push(("c1", "Header layout", self.base + timedelta(minutes=5)))
        body, headers = self.signed(payload)
        response = self.post(self.person("github"), body, headers)
        self.assertEqual(response.status_code, 202, response.text)
        self.assertEqual(response.json()["stored"], 1)
        suggestion = self.suggestions()
        self.assertEqual(suggestion.project_id, self.project, "repository mapped")
        self.assertEqual(suggestion.hours, 0.5)
        self.assertEqual(suggestion.state, "new", "a draft, never submitted")
        self.assertIn("GitHub: studio/web: Header layout", suggestion.reason)
        # Redelivered: stored once.
        response = self.post(self.person("github"), body, headers)
        self.assertEqual(response.json()["duplicates"], 1)
        self.assertEqual(len(self.events()), 1)
        # Invalid and missing signatures: 401, one line, nothing written.
        other = self.push(("c2", "Footer", self.base))
        body2, _headers = self.signed(other)
        bad = self.post(self.person("github"), body2, headers)
        self.assertEqual(bad.status_code, 401)
        self.assertEqual(
            bad.json()["reason"], "X-Hub-Signature-256 does not match the body"
        )
        missing = self.post(self.person("github"), body2)
        self.assertEqual(missing.status_code, 401)
        self.assertIn("missing X-Hub-Signature-256", missing.json()["reason"])
        wrong = self.post(self.person("github"), *self.signed(other, "guess"))
        self.assertEqual(wrong.status_code, 401)
        self.assertEqual(len(self.events()), 1)

    def test_gitlab_token(self):
        payload = {
            "project": {"path_with_namespace": "studio/web"},
            "commits": self.push(("g1", "Fix", self.base))["commits"],
        }
        bad = self.post(self.person("gitlab"), payload, {"X-Gitlab-Token": "nope"})
        self.assertEqual(bad.status_code, 401)
        self.assertFalse(self.events())
        good = self.post(self.person("gitlab"), payload, {"X-Gitlab-Token": TOKEN})
        self.assertEqual(good.status_code, 202, good.text)
        self.assertEqual(self.suggestions().project_id, self.project)

    def test_jira_by_company_endpoint_and_unknown_authors(self):
        def issue(email, stamp):
            return {
                "webhookEvent": "jira:issue_updated",
                "timestamp": int(stamp.replace(tzinfo=UTC).timestamp() * 1000),
                "user": {"emailAddress": email},
                "issue": {
                    "key": "WEB-42",
                    "self": "https://studio.atlassian.net/rest/api/2/issue/1",
                    "fields": {"summary": "Checkout page", "project": {"key": "WEB"}},
                },
            }

        at = self.base.replace(tzinfo=None)
        path = self.company_path("jira") + f"?token={COMPANY_TOKEN}"
        response = self.post(path, issue("DEV@studio.example.com", at))
        self.assertEqual(response.status_code, 202, response.text)
        suggestion = self.suggestions()
        self.assertEqual(suggestion.project_id, self.project, "Jira key mapped")
        self.assertIn("Jira: WEB-42: Checkout page", suggestion.reason)
        # Nobody has this address: kept unassigned, administrators told once.
        admins = self.env.ref("agency_timesheet.group_agency_admin").users
        before = self.env["mail.message"].search_count(
            [("subject", "=", "Activity from an unknown author")]
        )
        for minutes in (10, 20):
            answer = self.post(
                path, issue("ghost@elsewhere.example", at + timedelta(minutes=minutes))
            ).json()
            self.assertEqual(answer["unassigned"], ["ghost@elsewhere.example"])
        ghost = self.events().filtered(lambda e: not e.user_id)
        self.assertEqual(len(ghost), 2)
        told = self.env["mail.message"].search_count(
            [("subject", "=", "Activity from an unknown author")]
        )
        self.assertEqual(told - before, 1 if admins else 0, "reported once")
        no_token = self.post(
            self.company_path("jira"), issue("dev@studio.example.com", at)
        )
        self.assertEqual(no_token.status_code, 401)

    def test_generic_bad_input_and_merge(self):
        headers = {"X-Agency-Token": TOKEN}
        session = {
            "source": "figma",
            "title": "Homepage hero",
            "started_at": iso(self.base),
            "duration": 60,
            "url": "https://figma.com/file/abc",
            "project": "studio/web",
        }
        refusals = [
            (b"{broken", 400, "malformed JSON"),
            ({**session, "duration": -10}, 422, "negative"),
            (
                {**session, "started_at": iso(self.base + timedelta(days=30))},
                422,
                "in the future",
            ),
            ({"title": "x"}, 422, "missing source, started_at"),
        ]
        for body, status, reason in refusals:
            response = self.post(self.person("generic"), body, headers)
            self.assertEqual(response.status_code, status, response.text)
            self.assertIn(reason, response.json()["reason"])
        unknown = self.post(self.person("sketch"), session, headers)
        self.assertEqual(unknown.status_code, 404)
        big = self.post(
            self.person("generic"), b"{" + b" " * (300 * 1024) + b"}", headers
        )
        self.assertEqual(big.status_code, 413)
        self.assertFalse(self.events(), "nothing written by a refused payload")

        response = self.post(self.person("generic"), session, headers)
        self.assertEqual(response.status_code, 202, response.text)
        design = self.suggestions()
        self.assertEqual(design.hours, 1.0)
        # A commit during the design session: one suggestion, two reasons.
        commit = self.push(("m1", "Hero image", self.base + timedelta(minutes=20)))
        self.post(self.person("github"), *self.signed(commit))
        self.assertEqual(self.suggestions(), design)
        self.assertIn("Activity: figma: Homepage hero", design.reason)
        self.assertIn("+ GitHub: studio/web: Hero image", design.reason)
        self.assertEqual(len(self.events()), 2)

    def test_merged_into_a_shorter_meeting_covers_both(self):
        """A two-hour design session that began during a half-hour meeting:
        one suggestion from the meeting's start to the session's end."""
        meeting = (
            self.env["agency.suggestion"]
            .with_user(self.dev)
            .create(
                {
                    "date": self.base.date(),
                    "source": "calendar",
                    "source_key": "test:standup",
                    "name": "Stand-up",
                    "reason": "Calendar: Stand-up",
                    "hours": 0.5,
                    "event_start": self.base,
                }
            )
        )
        session = {
            "source": "figma",
            "title": "Pricing page",
            "started_at": iso(self.base + timedelta(minutes=15)),
            "duration": 120,
        }
        response = self.post(self.person("generic"), session, {"X-Agency-Token": TOKEN})
        self.assertEqual(response.status_code, 202, response.text)
        self.assertEqual(self.events().suggestion_id, meeting)
        self.assertEqual(meeting.event_start, self.base)
        self.assertEqual(
            meeting.hours, 2.25, "from the meeting's start to the session's end"
        )
        self.assertIn("+ Activity: figma: Pricing page", meeting.reason)
        # A commit inside the span changes nothing but the reasons.
        commit = self.push(("m9", "Prices", self.base + timedelta(minutes=40)))
        self.post(self.person("github"), *self.signed(commit))
        self.assertEqual((meeting.event_start, meeting.hours), (self.base, 2.25))
        self.assertIn("+ GitHub: studio/web: Prices", meeting.reason)

    def test_opt_out_stops_ingestion(self):
        self.dev.agency_activity_git = False
        commit = self.push(("o1", "Nope", self.base))
        response = self.post(self.person("github"), *self.signed(commit))
        self.assertEqual(response.status_code, 403)
        self.assertIn("off for this person", response.json()["reason"])
        company = self.post(
            self.company_path("github"), *self.signed(commit, COMPANY_TOKEN)
        )
        self.assertEqual(company.json()["off"], 1)
        self.assertFalse(self.events())
        self.assertFalse(self.suggestions())

    def test_access(self):
        commit = self.push(("a1", "Secret work", self.base))
        response = self.post(self.person("github"), *self.signed(commit))
        self.assertEqual(response.status_code, 202, response.text)
        mine = self.suggestions()
        self.assertTrue(mine)
        Suggestion = self.env["agency.suggestion"].with_user(self.other)
        self.assertFalse(Suggestion.search([("id", "=", mine.id)]))
        for user in (self.other, self.dev):
            for model in ("agency.secret", "agency.activity.event"):
                with self.assertRaises(AccessError):
                    self.env[model].with_user(user).search_read([], ["id"])
        self.assertTrue(self.dev.with_user(self.dev).agency_activity_token_set)

    def test_request_stores_pending_and_triggers_the_batch(self):
        cron = self.env.ref("agency_timesheet.ir_cron_agency_activity_process")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", cron.id)]).unlink()  # no wake-up due
        commits = [
            ("p1", "Nav", self.base + timedelta(minutes=1)),
            ("p2", "Nav again", self.base + timedelta(minutes=7)),
            ("p3", "Footer", self.base + timedelta(hours=1)),
        ]
        response = self.post(
            self.person("github"), *self.signed(self.push(*commits)), process=False
        )
        self.assertEqual(response.status_code, 202, response.text)
        self.assertEqual(response.json()["stored"], 3)
        events = self.events()
        self.assertTrue(all(events.mapped("pending")), "stored, not processed yet")
        self.assertEqual(len(events.filtered("payload")), 1, "raw payload once")
        self.assertFalse(self.suggestions(), "no suggestion made in the request")
        # What the delivery's commit runs (a test never commits): a wake-up.
        Event = self.env["agency.activity.event"]
        Event._agency_wake(cron.id)
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
        # A wake-up is due already: the next delivery adds none.
        later = self.push(("p4", "Later", self.base + timedelta(hours=2)))
        self.post(self.person("github"), *self.signed(later), process=False)
        Event._agency_wake(cron.id)
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
        self.assertEqual(self.env["agency.activity.event"]._cron_process(), 4)
        events = self.events()
        self.assertFalse(any(events.mapped("pending")))
        suggestions = self.suggestions()
        self.assertEqual(len(suggestions), 3, "two commits of one slot: one")
        self.assertEqual(events.suggestion_id, suggestions)
        first = events.filtered(lambda e: e.external_id == "p1").suggestion_id
        self.assertIn("+ GitHub: studio/web: Nav again", first.reason)
        self.assertEqual(self.env["agency.activity.event"]._cron_process(), 0)

    def test_a_delivery_costs_two_queries(self):
        """What a burst pays per delivery: its owner read once with the
        opt-ins, and one INSERT that also says whether a wake-up of the batch
        step is due (the token comes from the worker's cache). A delivery
        wakes the batch step only when none is due."""
        Event = self.env["agency.activity.event"]
        cron = self.env.ref("agency_timesheet.ir_cron_agency_activity_process")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        headers = {"X-Agency-Token": TOKEN}

        def deliver(n):
            body = json.dumps(
                {
                    "source": "figma",
                    "id": f"budget-{n}",
                    "title": f"Budget {n}",
                    "started_at": iso(self.base),
                    "duration": 5,
                }
            ).encode()
            return Event._agency_receive(
                "person", self.dev.id, "generic", body, headers
            )

        with patch.object(type(Event), "_agency_trigger") as trigger:
            self.assertEqual(deliver(0)[0], 202)  # caches warm
            self.assertEqual(trigger.call_count, 1, "no wake-up due: one")
            Trigger.create({"cron_id": cron.id, "call_at": fields.Datetime.now()})
            self.env.invalidate_all()
            with self.assertQueryCount(2):
                status, answer = deliver(1)
            self.assertEqual((status, answer["stored"]), (202, 1))
            self.assertEqual(trigger.call_count, 1, "a wake-up due: none more")
        self.assertEqual(len(self.events()), 2)

    def test_new_token_replaces_the_cached_one(self):
        commit = self.push(("t1", "Cached", self.base))
        self.assertEqual(
            self.post(self.person("github"), *self.signed(commit)).status_code, 202
        )
        self.env["agency.secret"]._agency_store(self.dev, "integration_token", "new")
        commit = self.push(("t2", "Old token", self.base))
        old = self.post(self.person("github"), *self.signed(commit))
        self.assertEqual(old.status_code, 401, "the old token stops at once")
        new = self.post(self.person("github"), *self.signed(commit, "new"))
        self.assertEqual(new.status_code, 202, new.text)
