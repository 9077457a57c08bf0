"""The board pack: asked for at once, built by the cron job in batches with
Odoo 18's progress, then an XLSX (openpyxl) and a PDF (pdftotext) with the
same sections and numbers, an activity for its author and an audit row."""

import io
import subprocess
import tempfile
from datetime import date

import openpyxl

from odoo.tests import tagged

from ..models.agency_board_pack import STEPS
from .common_forecast import ForecastCase

TODAY = date(2026, 3, 18)
SHEETS = [
    "Margins summary",
    "Utilization by role",
    "Scenarios with assumptions",
    "Cash runway",
    "Forecast accuracy",
    "Top warnings",
]


@tagged("post_install", "-at_install")
class TestBoardPack(ForecastCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Scenario = cls.env["agency.forecast.scenario"]
        cls.snapshot = cls.env["agency.forecast.snapshot"]._agency_freeze(
            cls.base, today=TODAY
        )
        cls.cron = cls.env.ref("agency_forecast.agency_board_pack_cron")

    def run_batch(self):
        """One call of the cron job as the cron runner makes it."""
        cron, progress = self.cron.with_user(self.cron.user_id)._add_progress()
        cron._callback(cron.cron_name, cron.ir_actions_server_id.id)
        return progress

    def build(self):
        Pack = self.env["agency.board.pack"].with_user(self.biller)
        triggers = self.env["ir.cron.trigger"].search_count(
            [("cron_id", "=", self.cron.id)]
        )
        action = Pack.agency_request(today=TODAY)
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]),
            triggers + 1,
        )
        pack = Pack.search([], limit=1)
        self.assertEqual((pack.state, pack.step), ("queued", 0))
        return pack

    def test_built_in_batches_with_progress_then_notified(self):
        pack = self.build()
        progress = self.run_batch()
        self.assertEqual((progress.done, progress.remaining), (1, len(STEPS) - 1))
        self.assertEqual(pack.state, "running")
        self.assertEqual(pack.progress, 100.0 / len(STEPS))
        for left in range(len(STEPS) - 2, -1, -1):
            progress = self.run_batch()
            self.assertEqual((progress.done, progress.remaining), (1, left))
        self.assertEqual(pack.state, "done")
        self.assertEqual(pack.progress, 100.0)
        self.assertTrue(pack.xlsx_id.raw and pack.pdf_id.raw)
        activity = pack.activity_ids
        self.assertEqual(activity.user_id, self.biller)
        self.assertIn(pack.name, activity.summary)
        message = pack.message_ids.filtered("attachment_ids")
        self.assertEqual(message.attachment_ids, pack.xlsx_id | pack.pdf_id)
        audit = self.env["agency.audit"].search(
            [("res_model", "=", "agency.board.pack"), ("res_id", "=", pack.id)]
        )
        self.assertEqual(audit.operation, "export")
        # nothing left: the job reports no work
        progress = self.run_batch()
        self.assertEqual((progress.done, progress.remaining), (0, 0))

    def test_xlsx_and_pdf_have_the_sections_and_numbers(self):
        pack = self.build()
        for _step in STEPS:
            self.run_batch()
        book = openpyxl.load_workbook(io.BytesIO(pack.xlsx_id.raw), read_only=True)
        self.assertEqual(book.sheetnames, SHEETS)
        data = self.Scenario.agency_forecast_data(today=TODAY)
        base = next(s for s in data["scenarios"] if s["kind"] == "base")
        scenarios = list(book["Scenarios with assumptions"].values)
        header, *rows = scenarios
        by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
        self.assertEqual(set(by_name), {"Best", "Base", "Conservative"})
        self.assertEqual(
            by_name["Base"]["Billings 12 months"], round(base["billings"]["total"], 2)
        )
        self.assertEqual(by_name["Base"]["Tentative Probability (%)"], 50.0)
        self.assertEqual(by_name["Conservative"]["Extra Payment Delay (days)"], 15)
        runway = list(book["Cash runway"].values)
        self.assertEqual(runway[1][0], "Opening")
        self.assertEqual(runway[2][0], data["months"][0])
        base_column = runway[0].index("Base balance")
        self.assertEqual(
            runway[-1][base_column], round(base["balance"]["months"][-1], 2)
        )
        accuracy = list(book["Forecast accuracy"].values)
        self.assertIn(self.snapshot.name, {row[0] for row in accuracy[1:]})
        margins = list(book["Margins summary"].values)
        self.assertEqual(margins[-1][0], "Total")
        # the 2 hours approved on 2 March: 200.00 of T&M revenue of the year
        facts = self.env["agency.margin.fact"]._agency_totals(
            [("company_id", "=", self.company.id), ("date", ">", "2025-03-18"),
             ("date", "<=", "2026-03-18")], ["engagement_kind"],
        )  # fmt: skip
        self.assertGreaterEqual(facts["time_materials"].revenue, 200.0)
        by_kind = {row[0]: row for row in margins[1:]}
        self.assertEqual(
            by_kind["Time & materials"][1], facts["time_materials"].revenue
        )
        self.assertEqual(
            margins[-1][1], round(sum(t.revenue for t in facts.values()), 2)
        )
        roles = {row[0] for row in book["Utilization by role"].values}
        self.assertIn(self.dani.role_id.name, roles)
        # the PDF: the same sections and numbers, as text
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pack.pdf_id.raw)
            handle.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", handle.name, "-"],
                capture_output=True, check=True, text=True,
            ).stdout  # fmt: skip
        for title in SHEETS:
            self.assertIn(title, text)
        self.assertIn(self.snapshot.name, text)
        self.assertIn(str(round(base["billings"]["total"], 2)), text)
        self.assertIn("Conservative", text)

    def test_a_failed_step_is_named_and_can_be_built_again(self):
        pack = self.build()
        pack.sudo().user_id = self.users["producer"]  # may not read margins
        self.run_batch()
        self.assertEqual((pack.state, pack.step), ("failed", 0))
        self.assertIn("margins", pack.error)
        self.assertFalse(pack.sudo().sections)
        pack.sudo().user_id = self.biller
        pack.with_user(self.biller).action_retry()
        self.assertEqual(pack.state, "queued")
        for _step in STEPS:
            self.run_batch()
        self.assertEqual(pack.state, "done")
