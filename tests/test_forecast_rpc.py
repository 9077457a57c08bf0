"""Who sees the forecast, over real HTTP JSON-RPC sessions: Billing and
Administrators read the scenarios, their figures and drill-down lines and edit
the levers; Producers, Users and internal users without an Agency role get an
access error, never a figure."""

from odoo.tests import HttpCase, tagged

from odoo.addons.agency_forecast.tests.common_forecast import ForecastCase

from .rpc import call_kw

ACCESS_ERROR = "odoo.exceptions.AccessError"
TODAY = "2026-03-18"


@tagged("post_install", "-at_install")
class TestForecastRpc(ForecastCase, HttpCase):
    def call(self, level, method, args, **kwargs):
        return call_kw(
            self,
            self.users[level].login,
            "agency.forecast.scenario",
            method,
            args,
            kwargs,
        )

    def test_billing_and_admin_read_and_edit(self):
        for level in ("billing", "admin"):
            answer = self.call(level, "agency_forecast_data", [], today=TODAY)
            self.assertIn("result", answer, level)
            kinds = {s["kind"] for s in answer["result"]["scenarios"]}
            self.assertEqual(kinds, {"best", "base", "conservative"}, level)
            base = next(s for s in answer["result"]["scenarios"] if s["kind"] == "base")
            row = next(
                r for r in base["rows"]["engagement"] if r["key"] == self.engagement.id
            )
            self.assertEqual(row["billings"]["total"], 200.0, level)
            args = [self.base.ids, "billings", "months", 1]
            drill = self.call(level, "agency_forecast_drill", args, today=TODAY)
            self.assertEqual(drill["result"]["res_model"], "agency.forecast.line")
            edit = self.call(
                level, "write", [self.base.ids, {"tentative_probability": 60}]
            )
            self.assertIs(edit.get("result"), True, level)

    def test_everyone_else_is_refused(self):
        for level in ("internal", "user", "producer"):
            for method, args, kwargs in (
                ("agency_forecast_data", [], {"today": TODAY}),
                ("agency_forecast_drill", [self.base.ids, "cash", "weeks", 0], {}),
                ("search_read", [[], ["name", "tentative_probability"]], {}),
                ("write", [self.base.ids, {"tentative_probability": 90}], {}),
            ):
                answer = self.call(level, method, args, **kwargs)
                self.assertIn("error", answer, f"{level} {method}")
                self.assertEqual(
                    answer["error"]["data"]["name"], ACCESS_ERROR, f"{level} {method}"
                )
