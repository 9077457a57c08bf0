"""Capacity over JSON-RPC, as the web client sends it: a user's heatmap holds
their own row only; a user may not book; a producer books on their projects
only (agency_forecast/tests/test_heatmap.py has the studio)."""

from odoo.tests import HttpCase, tagged

from odoo.addons.agency_forecast.tests.common_capacity import MON
from odoo.addons.agency_forecast.tests.test_heatmap import HeatmapCase

from .rpc import call_kw


@tagged("post_install", "-at_install")
class TestCapacityOverRpc(HeatmapCase, HttpCase):
    def rpc(self, login, model, method, *args):
        return call_kw(self, login, model, method, list(args), {})

    def test_rows_and_bookings_over_rpc(self):
        answer = self.rpc(
            "agency_user", "agency.capacity", "agency_heatmap_data", str(MON), 3
        )
        people = [p["id"] for r in answer["result"]["roles"] for p in r["people"]]
        self.assertEqual(people, [self.employees["user"].id])
        values = {
            "employee_id": self.pat.id,
            "project_id": self.project.id,
            "date_from": str(MON),
            "date_to": str(MON),
            "hours": 4.0,
        }
        answer = self.rpc("agency_user", "agency.booking", "create", values)
        self.assertIn("AccessError", answer["error"]["data"]["name"])
        answer = self.rpc("agency_producer", "agency.booking", "create", values)
        self.assertTrue(answer.get("result"), answer)
        other = self.env["project.project"].create(
            {"name": "Not the producer's", "allow_timesheets": True}
        )
        answer = self.rpc(
            "agency_producer",
            "agency.booking",
            "create",
            {**values, "project_id": other.id},
        )
        self.assertIn("AccessError", answer["error"]["data"]["name"])
