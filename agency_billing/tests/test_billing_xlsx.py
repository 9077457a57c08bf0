"""The billing run's spreadsheet for the review meeting."""

import io
import re
import zipfile
from datetime import date, datetime
from xml.etree import ElementTree

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import BillingCase

try:
    import openpyxl
except ImportError:  # pragma: no cover - read the XML instead
    openpyxl = None

NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def read_workbook(data):
    """{sheet name: [row tuples]} of an .xlsx (formulas give their value)."""
    if openpyxl:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        return {
            sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets
        }
    return _read_xml(data)


def _read_xml(data):
    """The same without openpyxl: the sheets' XML, numbers as floats (dates
    stay serial numbers)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in archive.namelist():
        root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        shared = ["".join(si.itertext()) for si in root.findall("x:si", NS)]
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheets = {}
    for sheet in book.findall("x:sheets/x:sheet", NS):
        root = ElementTree.fromstring(archive.read(f"xl/{targets[sheet.get(REL)]}"))
        rows = []
        for row in root.findall("x:sheetData/x:row", NS):
            cells = {}
            for cell in row.findall("x:c", NS):
                letters = re.match(r"[A-Z]+", cell.get("r")).group()
                col = 0
                for letter in letters:
                    col = col * 26 + ord(letter) - 64
                kind, value = cell.get("t"), cell.find("x:v", NS)
                if kind == "inlineStr":
                    cells[col] = "".join(cell.find("x:is", NS).itertext())
                elif kind == "s":
                    cells[col] = shared[int(value.text)]
                elif kind == "str":
                    cells[col] = value.text if value is not None else None
                elif value is not None:
                    cells[col] = float(value.text)
            width = max(cells, default=0)
            rows.append(tuple(cells.get(i) for i in range(1, width + 1)))
        sheets[sheet.get("name")] = rows
    return sheets


@tagged("post_install", "-at_install")
class TestBillingXlsx(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rounded = cls.approved(1.1, day="2026-03-02", name="Key visual")
        cls.exact = cls.approved(
            2.0,
            day="2026-03-04",
            project_id=cls.acme_web.id,
            task_id=cls.web_task.id,
            name="Landing page build",
        )
        cls.spare = cls.approved(0.5, day="2026-03-05", name="Extra round")
        cls.entry(3.0, day="2026-03-06")  # not approved: a warning

    def export(self, run, user=None):
        action = run.with_user(user or self.biller).action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(re.search(r"/web/content/(\d+)", action["url"]).group(1))
        self.assertIn("download=true", action["url"])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        return attachment, read_workbook(attachment.raw)

    def rows_by(self, rows, column, value):
        return [row for row in rows[1:] if row[column] == value]

    def test_export_for_the_review_meeting(self):
        run = self.new_run()
        run.action_collect()
        self.env["agency.billing.exclude.wizard"].with_user(self.biller).create(
            {
                "run_id": run.id,
                "entry_ids": [(6, 0, self.spare.ids)],
                "reason": "Client asked to bill it in April",
            }
        ).action_apply()
        self.env["agency.billing.adjustment"].with_user(self.biller).create(
            {
                "run_line_id": run.line_ids.id,
                "entry_id": self.exact.id,
                "direction": "down",
                "basis": "hours",
                "hours": 0.5,
                "reason": "inefficiency",
                "note": "Rebuilt the page twice",
            }
        )
        attachment, sheets = self.export(run)
        self.assertEqual(attachment.res_model, "agency.billing.run")
        self.assertEqual(attachment.res_id, run.id)
        self.assertEqual(
            attachment.name, f"{run.name.replace('/', '-')} billing review.xlsx"
        )
        self.assertNotIn("/", attachment.name)
        self.assertEqual(
            list(sheets), ["Engagements", "Entries", "Adjustments", "Checks"]
        )

        engagements = sheets["Engagements"]
        self.assertEqual(
            engagements[0][:8],
            (
                "Engagement",
                "Client",
                "Billing Owner",
                "Rounding",
                "Entries",
                "Raw Hours",
                "Billed Hours",
                "Billed − Raw",
            ),
        )
        acme = self.rows_by(engagements, 0, "Acme T&M")
        self.assertEqual(len(acme), 1)
        acme = acme[0]
        self.assertEqual(acme[1], "Acme")
        self.assertEqual(acme[2], self.biller.name)
        self.assertEqual(acme[3], "Up to 15 min")
        self.assertEqual(acme[4], 2)  # the excluded entry left the run
        self.assertAlmostEqual(acme[5], 3.1)
        self.assertAlmostEqual(acme[6], 3.25)
        self.assertAlmostEqual(acme[7], 0.15)
        self.assertAlmostEqual(acme[8], 325.0)  # amount
        self.assertAlmostEqual(acme[9], -50.0)  # adjustments
        self.assertAlmostEqual(acme[10], 275.0)  # total
        self.assertEqual(acme[11], self.currency.name)

        entries = sheets["Entries"]
        header = entries[0]
        for title in (
            "Date",
            "Person",
            "Raw Hours",
            "Billed Hours",
            "Bill Rate",
            "Rate Source",
            "Invoice",
            "Excluded Because",
        ):
            self.assertIn(title, header)
        col = {title: header.index(title) for title in header}
        key_visual = self.rows_by(entries, col["Note"], "Key visual")
        self.assertEqual(len(key_visual), 1)
        key_visual = key_visual[0]
        day = key_visual[col["Date"]]
        self.assertIn(day, (date(2026, 3, 2), datetime(2026, 3, 2), 46083.0))
        self.assertEqual(key_visual[col["Person"]], self.dani.name)
        self.assertEqual(key_visual[col["Project"]], self.project.name)
        self.assertEqual(key_visual[col["Task"]], self.task.name)
        self.assertAlmostEqual(key_visual[col["Raw Hours"]], 1.1)
        self.assertAlmostEqual(key_visual[col["Billed Hours"]], 1.25)
        self.assertAlmostEqual(key_visual[col["Billed − Raw"]], 0.15)
        self.assertAlmostEqual(key_visual[col["Bill Rate"]], 100.0)
        self.assertAlmostEqual(key_visual[col["Billed Amount"]], 125.0)
        self.assertEqual(key_visual[col["Rate Source"]], self.default_rate.display_name)
        excluded = self.rows_by(entries, col["Note"], "Extra round")[0]
        self.assertEqual(
            excluded[col["Excluded Because"]], "Client asked to bill it in April"
        )
        self.assertIsNone(excluded[col["Billed Hours"]])
        # two held entries and the excluded one, then the totals
        self.assertEqual(len(entries), 5)
        totals = entries[-1]
        self.assertEqual(totals[0], "Total")
        self.assertAlmostEqual(totals[col["Raw Hours"]], 3.6)
        self.assertAlmostEqual(totals[col["Billed Hours"]], 3.25)

        adjustments = sheets["Adjustments"]
        self.assertEqual(adjustments[0][:3], ("Engagement", "Entry", "Direction"))
        write_down = adjustments[1]
        self.assertEqual(write_down[2], "Write-down")
        self.assertEqual(write_down[3], "Inefficiency")
        self.assertEqual(write_down[4], "Rebuilt the page twice")
        self.assertAlmostEqual(write_down[6], 0.5)
        self.assertAlmostEqual(write_down[8], -50.0)

        checks = sheets["Checks"]
        self.assertEqual(
            checks[0],
            ("Engagement", "Severity", "Check", "Message", "Owner", "Entries", "State"),
        )
        unapproved = self.rows_by(checks, 2, "Time not approved")
        self.assertEqual(len(unapproved), 1)
        self.assertEqual(unapproved[0][1], "Warning")
        self.assertEqual(unapproved[0][5], 1)

    def test_invoice_on_entries_and_one_file_per_run(self):
        run = self.new_run()
        invoice = self.review_and_invoice(run)
        first, _sheets = self.export(run)
        attachment, sheets = self.export(run)
        self.assertFalse(first.exists(), "the latest export replaces the previous")
        entries = sheets["Entries"]
        col = entries[0].index("Invoice")
        label = f"Draft Invoice (* {invoice.id})"
        self.assertEqual({row[col] for row in entries[1:-1]}, {label})
        self.assertEqual(sheets["Engagements"][1][-1], label)
        self.assertEqual(sheets["Engagements"][1][-2], "Invoiced")
        self.assertTrue(attachment.exists())
        invoice.action_post()
        _attachment, sheets = self.export(run)
        self.assertEqual(sheets["Engagements"][1][-1], invoice.name)

    def test_only_billing_exports(self):
        run = self.new_run()
        run.action_collect()
        producer = self.users["producer"]
        with self.assertRefused(AccessError, "Only Billing users"):
            run.with_user(producer).action_export_xlsx()
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", run._name), ("res_id", "=", run.id)]
            )
        )
