"""Who may freeze scenarios, read snapshots and their accuracy and ask for a
board pack, over real HTTP JSON-RPC sessions: Billing and Administrators;
Producers, Users and internal users without an Agency role get an access
error, never a figure. Nobody changes a snapshot."""

from odoo.tests import HttpCase, tagged

from odoo.addons.agency_forecast.tests.common_forecast import ForecastCase

from .rpc import call_kw

ACCESS_ERROR = "odoo.exceptions.AccessError"
TODAY = "2026-03-18"


@tagged("post_install", "-at_install")
class TestBoardPackRpc(ForecastCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.snapshot = cls.env["agency.forecast.snapshot"]._agency_freeze(
            cls.base, today=TODAY
        )

    def call(self, level, model, method, args, **kwargs):
        return call_kw(self, self.users[level].login, model, method, args, kwargs)

    def test_billing_and_admin(self):
        for level in ("billing", "admin"):
            answer = self.call(
                level, "agency.forecast.scenario", "action_freeze", [self.base.ids]
            )
            self.assertEqual(
                answer["result"]["res_model"], "agency.forecast.snapshot", level
            )
            answer = self.call(
                level, "agency.forecast.snapshot", "search_read",
                [[("id", "=", self.snapshot.id)], ["name", "lowest_balance"]],
            )  # fmt: skip
            self.assertEqual(answer["result"][0]["name"], self.snapshot.name, level)
            answer = self.call(
                level, "agency.forecast.accuracy", "read_group",
                [[("snapshot_id", "=", self.snapshot.id),
                  ("client_id", "=", self.acme.id), ("figure", "=", "billings")],
                 ["forecast:sum"], []],
            )  # fmt: skip
            self.assertEqual(answer["result"][0]["forecast"], 200.0, level)
            answer = self.call(level, "agency.board.pack", "agency_request", [])
            self.assertEqual(answer["result"]["tag"], "display_notification", level)
            # frozen: no write, no delete, no hand-made snapshot
            for method, args in (
                ("write", [self.snapshot.ids, {"name": "Better"}]),
                ("unlink", [self.snapshot.ids]),
            ):
                answer = self.call(level, "agency.forecast.snapshot", method, args)
                self.assertEqual(
                    answer["error"]["data"]["name"], ACCESS_ERROR, f"{level} {method}"
                )
            answer = call_kw(
                self, self.users[level].login, "agency.forecast.snapshot", "create",
                [{"name": "By hand", "date": TODAY}],
                {"context": {"agency_freeze": True}},
            )  # fmt: skip
            self.assertIn("error", answer, level)
        self.assertEqual(self.snapshot.name, f"Base, {TODAY}")

    def test_everyone_else_is_refused(self):
        for level in ("internal", "user", "producer"):
            for model, method, args in (
                ("agency.forecast.scenario", "action_freeze", [self.base.ids]),
                ("agency.forecast.snapshot", "search_read", [[], ["name"]]),
                ("agency.forecast.snapshot.line", "search_read", [[], ["amount"]]),
                ("agency.forecast.accuracy", "read_group",
                 [[], ["forecast:sum"], []]),
                ("agency.board.pack", "agency_request", []),
                ("agency.board.pack", "search_read", [[], ["name"]]),
            ):  # fmt: skip
                answer = self.call(level, model, method, args)
                self.assertIn("error", answer, f"{level} {model} {method}")
                self.assertEqual(
                    answer["error"]["data"]["name"],
                    ACCESS_ERROR,
                    f"{level} {model} {method}",
                )
