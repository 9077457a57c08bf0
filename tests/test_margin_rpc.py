"""Who sees margins, over real HTTP JSON-RPC sessions: Billing and
Administrators read the margin facts and the margins on engagement and project
forms; Producers and Users get an access error, never a figure (Producers keep
their hours-based screens); the margin pivot's own calls (read_group,
web_read_group) are refused the same way."""

from odoo.tests import HttpCase, tagged

from odoo.addons.agency_billing.tests.common import BillingCase

from .rpc import call_kw

ACCESS_ERROR = "odoo.exceptions.AccessError"
MONEY = ["revenue", "cost", "margin"]


@tagged("post_install", "-at_install")
class TestMarginRpc(BillingCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line = cls.approved(2.0, day="2026-03-02")
        cls.domain = [("entry_id", "=", cls.line.id)]
        # the calls run on read-only cursors (as on a read replica): the
        # weekly margins are what the minute's cron has recomputed
        cls.env["agency.margin.week"]._cron_refresh()

    def call(self, level, model, method, args, **kwargs):
        return call_kw(self, self.users[level].login, model, method, args, kwargs)

    def assertRefused(self, answer, what):
        self.assertIn("error", answer, what)
        self.assertEqual(answer["error"]["data"]["name"], ACCESS_ERROR, what)

    def test_billing_and_admin_read_the_facts(self):
        for level in ("billing", "admin"):
            answer = self.call(
                level, "agency.margin.fact", "search_read", [self.domain, MONEY]
            )
            self.assertEqual(
                [(row["revenue"], row["cost"]) for row in answer["result"]],
                [(200.0, 80.0)],
                level,
            )
            grouped = self.call(
                level,
                "agency.margin.fact",
                "web_read_group",
                [self.domain, ["margin:sum"], ["role_id"]],
            )
            self.assertEqual(grouped["result"]["groups"][0]["margin"], 120.0)
            form = self.call(
                level,
                "agency.engagement",
                "read",
                [self.engagement.ids, ["margin_revenue", "margin_amount"]],
            )
            self.assertEqual(form["result"][0]["margin_amount"], 120.0, level)
            project = self.call(
                level,
                "project.project",
                "read",
                [self.project.ids, ["agency_margin_amount"]],
            )
            self.assertEqual(project["result"][0]["agency_margin_amount"], 120.0)

    def test_producers_and_users_see_no_money(self):
        for level in ("internal", "user", "producer"):
            for method, args in (
                ("search_read", [self.domain, MONEY]),
                ("search_read", [self.domain, ["hours"]]),
                ("read_group", [self.domain, ["hours:sum"], []]),
                ("web_read_group", [self.domain, ["revenue:sum"], ["role_id"]]),
            ):
                self.assertRefused(
                    self.call(level, "agency.margin.fact", method, args),
                    f"{level} {method}",
                )
            self.assertRefused(
                self.call(
                    level,
                    "project.project",
                    "read",
                    [self.project.ids, ["agency_margin_amount"]],
                ),
                f"{level} project margin",
            )
            self.assertRefused(
                self.call(
                    level,
                    "agency.engagement",
                    "read",
                    [self.engagement.ids, ["margin_amount"]],
                ),
                f"{level} engagement margin",
            )
            # the project itself still reads (hours screens are theirs)
            project = self.call(
                level, "project.project", "read", [self.project.ids, ["name"]]
            )
            self.assertEqual(project["result"][0]["name"], "Test Campaign", level)
