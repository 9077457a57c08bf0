import csv
import os

from odoo.tests import TransactionCase, tagged

from odoo.addons.agency_timesheet.tests.common import stock_policies
from odoo.addons.agency_timesheet.tests.demo_common import require_demo

SAMPLE = os.path.join(
    os.path.dirname(__file__), "..", "data", "timesheets_import_sample.csv"
)


@tagged("post_install", "-at_install")
class TestImportSample(TransactionCase):
    """data/timesheets_import_sample.csv imports as Odoo's import screen would."""

    def test_sample_imports_with_roles(self):
        # the sample names the demo agency's people: needs demo data
        require_demo(self, "agency_demo.employee_dani")
        # the sample is dated in March 2026: clear the demo's lock date
        stock_policies(self.env.company)
        with open(SAMPLE, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header, data = rows[0], rows[1:]
        result = self.env["account.analytic.line"].load(header, data)
        self.assertFalse(result["messages"], result["messages"])
        lines = self.env["account.analytic.line"].browse(result["ids"])
        self.assertEqual(len(lines), len(data))
        self.assertEqual(sum(lines.mapped("unit_amount")), 16.25)
        dani = self.env.ref("agency_demo.employee_dani")
        self.assertEqual(
            lines.filtered(lambda line: line.employee_id == dani).role_id.code, "DES"
        )
