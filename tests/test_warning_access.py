"""Who sees and acknowledges early warnings, over real HTTP JSON-RPC sessions
(tests/rpc.py): Producers read the hours warnings of their own projects (and
every staffing signal) and no money field, never a money warning; Billing and
Administrators read all; Agency Users none. Acknowledging goes through the
dialog, checked on the server: no reason, or somebody else's warning, is
refused, and the state is never written by a client."""

from odoo.tests import HttpCase, tagged

from odoo.addons.agency_forecast.warning_rules import (
    HOURS_RULES,
    RULES,
    STAFFING_RULES,
)
from odoo.addons.agency_timesheet.tests.common import AgencyCase

from .rpc import call_kw

ACCESS_ERROR = "odoo.exceptions.AccessError"
USER_ERROR = "odoo.exceptions.UserError"


@tagged("post_install", "-at_install")
class TestWarningAccessOverRpc(AgencyCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Warning = cls.env["agency.warning"].sudo()
        Warning.search([]).unlink()
        other = cls.env["project.project"].create(
            {"name": "Not Paula's", "allow_timesheets": True}
        )
        cls.mine = Warning.browse()
        for rule in RULES:
            cls.mine |= Warning.create(
                {
                    "name": f"RPC {rule}",
                    "rule": rule,
                    "key": f"rpc:{rule}",
                    "company_id": cls.company.id,
                    "project_id": cls.project.id,
                    "owner_id": cls.users["producer"].id,
                    "amount": 100.0,
                    "first_seen": "2026-03-02",
                    "last_seen": "2026-03-02",
                }
            )
        cls.theirs = Warning.create(
            {
                "name": "RPC other project",
                "rule": "revisions",
                "key": "rpc:other",
                "company_id": cls.company.id,
                "project_id": other.id,
                "first_seen": "2026-03-02",
                "last_seen": "2026-03-02",
            }
        )
        # the staffing signals are hours only: every producer reads them
        cls.hours = cls.mine.filtered(lambda w: w.rule in HOURS_RULES + STAFFING_RULES)

    def call(self, level, model, method, args, **kwargs):
        return call_kw(self, self.users[level].login, model, method, args, kwargs)

    def test_who_reads_what(self):
        domain = [("id", "in", (self.mine | self.theirs).ids)]
        answer = self.call(
            "producer", "agency.warning", "search_read", [domain, ["name"]]
        )
        self.assertEqual(
            {row["id"] for row in answer["result"]}, set(self.hours.ids), answer
        )
        for level in ("billing", "admin"):
            answer = self.call(level, "agency.warning", "search", [domain])
            self.assertEqual(set(answer["result"]), set((self.mine | self.theirs).ids))
            answer = self.call(
                level, "agency.warning", "read", [self.mine.ids, ["amount"]]
            )
            self.assertEqual(answer["result"][0]["amount"], 100.0)
        for level in ("user", "internal"):
            answer = self.call(level, "agency.warning", "search", [domain])
            self.assertEqual(answer["error"]["data"]["name"], ACCESS_ERROR, level)
        answer = self.call(
            "producer", "agency.warning", "read", [self.hours[:1].ids, ["amount"]]
        )
        self.assertEqual(answer["error"]["data"]["name"], ACCESS_ERROR)
        money = self.mine - self.hours
        answer = self.call(
            "producer", "agency.warning", "read", [money[:1].ids, ["name"]]
        )
        self.assertEqual(answer["error"]["data"]["name"], ACCESS_ERROR)

    def test_acknowledge_is_checked_on_the_server(self):
        warning = self.hours[:1]
        # a client cannot write the state, nor call the server method
        for level in ("producer", "billing", "admin"):
            answer = self.call(
                level,
                "agency.warning",
                "write",
                [warning.ids, {"state": "acknowledged"}],
            )
            self.assertEqual(answer["error"]["data"]["name"], ACCESS_ERROR, level)
        answer = self.call(
            "producer", "agency.warning", "_agency_acknowledge", [warning.ids, "ok"]
        )
        self.assertIn("error", answer)

        def dialog(level, warnings, reason):
            created = self.call(
                level,
                "agency.warning.acknowledge",
                "create",
                [{"warning_ids": [(6, 0, warnings.ids)], "reason": reason}],
            )
            if "error" in created:
                return created
            return self.call(
                level,
                "agency.warning.acknowledge",
                "action_apply",
                [[created["result"]]],
            )

        answer = dialog("producer", warning, "")
        self.assertEqual(answer["error"]["data"]["name"], USER_ERROR)
        self.assertIn(warning.name, answer["error"]["data"]["message"])
        answer = dialog("producer", self.theirs, "not mine")
        self.assertEqual(answer["error"]["data"]["name"], ACCESS_ERROR)
        self.assertEqual(self.theirs.state, "open")
        answer = dialog("producer", warning, "Agreed with the client on Monday.")
        self.assertNotIn("error", answer, answer)
        self.assertEqual(warning.state, "acknowledged")
        self.assertEqual(warning.ack_reason, "Agreed with the client on Monday.")
        answer = dialog("billing", self.theirs, "Billing looked at it.")
        self.assertNotIn("error", answer, answer)
        self.assertEqual(self.theirs.state, "acknowledged")
