"""The "Agency Profitability" spreadsheet dashboard: in the Dashboards menu for
Billing and Administrators, and every pivot and chart of it reads fields that
exist (a renamed field would leave empty cells, not an error)."""

import base64
import json

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMarginDashboard(TransactionCase):
    def test_dashboard_reads_existing_fields(self):
        dashboard = self.env.ref("agency_forecast.spreadsheet_dashboard_profitability")
        self.assertEqual(dashboard.name, "Agency Profitability")
        self.assertTrue(dashboard.is_published)
        self.assertEqual(
            dashboard.group_ids, self.env.ref("agency_timesheet.group_agency_billing")
        )
        data = json.loads(base64.b64decode(dashboard.spreadsheet_binary_data))
        self.assertEqual(len(data["pivots"]), 6)
        for pivot in data["pivots"].values():
            Model = self.env[pivot["model"]]
            for measure in pivot["measures"]:
                self.assertIn(measure["fieldName"], Model._fields, pivot["name"])
            for row in pivot["rows"]:
                self.assertIn(row["fieldName"], Model._fields, pivot["name"])
            self.assertTrue(self.env.ref(pivot["actionXmlId"]))
        for sheet in data["sheets"]:
            for figure in sheet["figures"]:
                meta = figure["data"]["metaData"]
                self.assertIn(meta["measure"], self.env[meta["resModel"]]._fields)
        labels = {cell["content"] for cell in data["sheets"][0]["cells"].values()}
        for kpi in ("Revenue", "Cost", "Margin", "Margin %", "Billable share",
                    "Days from period end to invoice",
                    "Days from invoice to payment"):  # fmt: skip
            self.assertIn(kpi, labels)
        columns = {data["sheets"][0]["cells"][f"{c}4"]["content"] for c in "BCD"}
        self.assertEqual(columns, {"This month", "Last month", "Year to date"})
