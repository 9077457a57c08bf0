"""Engagements from invoiced history: the pure proposal (no database), then
the wizard on an imported batch: proposed per client and project, reviewed,
created all or none, and who may."""

import base64
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, tagged

from odoo.addons.agency_timesheet.tests.import_samples import harvest, harvest_row

from ..models.engagement_history import Invoiced, propose_engagements
from .common import BillingCase


class TestProposeEngagements(BaseCase):
    def test_one_per_client_and_project(self):
        rows = [
            Invoiced("acme", "web", date(2026, 2, 3), 2.0, 200.0, "GBP"),
            Invoiced("acme", "web", date(2026, 1, 5), 1.5, 150.0, "GBP"),
            Invoiced("acme", "app", date(2026, 1, 9), 4.0, 480.0, "GBP"),
            Invoiced("blue", "site", date(2026, 1, 7), 1.0, 90.0, "EUR"),
            Invoiced("blue", "site", date(2026, 1, 8), 1.0, 60.0, "USD"),
            Invoiced(None, "internal", date(2026, 1, 6), 3.0),
        ]
        proposals, without_client = propose_engagements(rows)
        self.assertEqual(
            [(p["client"], p["project"], p["date_start"], p["last_day"], p["hours"],
              p["amount"], p["currency"]) for p in proposals],
            [("acme", "web", date(2026, 1, 5), date(2026, 2, 3), 3.5, 350.0, "GBP"),
             ("acme", "app", date(2026, 1, 9), date(2026, 1, 9), 4.0, 480.0, "GBP"),
             ("blue", "site", date(2026, 1, 7), date(2026, 1, 8), 2.0, 90.0, "EUR")],
        )  # fmt: skip
        self.assertEqual(
            [p["other_currencies"] for p in proposals], [False, False, True]
        )
        self.assertEqual([r.project for r in without_client], ["internal"])

    def test_nothing_invoiced_nothing_proposed(self):
        self.assertEqual(propose_engagements([]), ([], []))


@tagged("post_install", "-at_install")
class TestEngagementsFromHistory(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.currency"].with_context(active_test=False).search(
            [("name", "=", "GBP")]
        ).active = True
        person = {"first": "Agency", "last": "user", "role": "Test Designer"}
        cls.content = harvest(
            harvest_row(day="2026-01-05", client="Harbor Books", project="Atlas",
                        hours="2.0", invoiced="Yes", approved="Yes", notes="a",
                        **person),
            harvest_row(day="2026-02-02", client="Harbor Books", project="Atlas",
                        hours="3.0", invoiced="Yes", approved="Yes", notes="b",
                        **person),
            # not invoiced: proposes nothing
            harvest_row(day="2026-02-03", client="Harbor Books", project="Beacon",
                        hours="1.0", approved="Yes", notes="c", **person),
            # already under an engagement (Acme's, in BillingCase)
            harvest_row(day="2026-01-06", client="Acme", project="Test Campaign",
                        hours="1.0", invoiced="Yes", approved="Yes", notes="d",
                        **person),
            # no client
            harvest_row(day="2026-01-07", client="", project="Studio Time",
                        hours="1.5", invoiced="Yes", approved="Yes", notes="e",
                        **person),
        )  # fmt: skip
        admin = cls.users["admin"]
        batch = (
            cls.env["agency.import.batch"]
            .with_user(admin)
            .create({"file": base64.b64encode(cls.content), "filename": "h.csv"})
        )
        batch.action_dry_run()
        batch.action_import()
        cls.batch = batch

    def wizard(self, user=None):
        return (
            self.env["agency.engagement.import"]
            .with_user(user or self.users["admin"])
            .create({"batch_id": self.batch.id})
        )

    def test_proposed_reviewed_then_created(self):
        wizard = self.wizard()
        wizard.action_propose()
        self.assertEqual(len(wizard.line_ids), 1)
        line = wizard.line_ids
        self.assertEqual(
            (line.partner_id.name, line.project_id.name, line.date_start,
             line.last_invoiced, line.hours, line.amount, line.currency_id.name),
            ("Harbor Books", "Atlas", date(2026, 1, 5), date(2026, 2, 2), 5.0,
             500.0, "GBP"),
        )  # fmt: skip
        self.assertIn("Test Campaign already has engagement", wizard.rejected)
        self.assertIn("Studio Time: no client, 1 invoiced rows", wizard.rejected)
        Engagement = self.env["agency.engagement"]
        before = Engagement.search_count([])
        action = wizard.action_create()
        engagement = Engagement.search(action["domain"])
        self.assertEqual(Engagement.search_count([]), before + 1)
        self.assertEqual(
            (engagement.kind, engagement.partner_id.name, engagement.date_start,
             engagement.currency_id.name, engagement.user_id),
            ("time_materials", "Harbor Books", date(2026, 1, 5), "GBP",
             self.users["admin"]),
        )  # fmt: skip
        self.assertEqual(engagement.project_ids, line.project_id)
        # proposed again: the project has its engagement now
        again = self.wizard()
        again.action_propose()
        self.assertFalse(again.line_ids)
        self.assertIn("Atlas already has engagement", again.rejected)

    def test_all_or_none(self):
        wizard = self.wizard()
        wizard.action_propose()
        wizard.line_ids.selected = False
        with self.assertRaisesRegex(UserError, "Tick the proposed engagements"):
            wizard.action_create()
        wizard.line_ids.selected = True
        # the project got an engagement meanwhile: nothing is created
        atlas = wizard.line_ids.project_id
        atlas.sudo().agency_engagement_id = self.engagement
        Engagement = self.env["agency.engagement"]
        before = Engagement.search_count([])
        with self.assertRaisesRegex(UserError, "Atlas have an engagement since"):
            wizard.action_create()
        self.assertEqual(Engagement.search_count([]), before)

    def test_only_administrators(self):
        for level in ("billing", "producer", "user"):
            with self.assertRaises(AccessError):
                self.wizard(self.users[level]).action_propose()
        with self.assertRaises(AccessError):
            self.wizard().with_user(self.users["billing"]).action_create()
