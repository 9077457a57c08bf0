"""Import batches on a real database: each source's sample imports with its
totals, dry runs write nothing, re-imports add nothing, overlapping files add
only their new rows, slices, historic states, rollback, all-or-nothing slices
and who may import."""

import base64
import hashlib
import io
import json
from unittest.mock import patch

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .. import import_engine
from .common import AgencyCase
from .import_samples import GENERIC_CSV_MAP, harvest, harvest_row, sample


@tagged("post_install", "-at_install")
class TestImportBatch(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.users["admin"]
        cls.env["res.currency"].with_context(active_test=False).search(
            [("name", "in", ("GBP", "EUR", "USD"))]
        ).active = True

    def batch(self, content, filename="file.csv", user=None, **vals):
        return (
            self.env["agency.import.batch"]
            .with_user(user or self.admin)
            .create(
                {
                    "file": base64.b64encode(content),
                    "filename": filename,
                    **vals,
                }
            )
        )

    def run_batch(self, content, **vals):
        batch = self.batch(content, **vals)
        batch.action_dry_run()
        self.assertEqual(batch.state, "checked", batch.message)
        batch.action_import()
        self.assertEqual(batch.state, "done", batch.message)
        return batch

    def entries(self, batch):
        return batch.sudo().record_ids.line_id

    def totals(self, lines, key):
        result = {}
        for line in lines:
            name = key(line)
            result[name] = round(result.get(name, 0.0) + line.unit_amount, 4)
        return result

    # -- each source --

    def test_harvest_sample(self):
        content = sample("harvest_detailed_time.csv")
        batch = self.batch(content, "harvest.csv")
        Line = self.env["account.analytic.line"]
        before = Line.search_count([])
        batch.action_dry_run()
        self.assertEqual(Line.search_count([]), before, "a dry run writes nothing")
        self.assertEqual(batch.source, "harvest")
        self.assertEqual(
            (batch.row_count, batch.new_count, batch.rejected_count), (7, 7, 0)
        )
        self.assertIn("clients: 2", batch.create_summary)
        self.assertEqual((batch.date_format, batch.decimal_mark), ("iso", "."))
        merge = batch.mapping_ids.filtered(lambda m: m.name == "Acme Inc.")
        self.assertEqual((merge.action, merge.merge_into), ("merge", "ACME Inc"))
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Blue Harbor Ltd")])
        )
        batch.action_import()
        lines = self.entries(batch)
        self.assertEqual(len(lines), 7)
        self.assertEqual(round(sum(lines.mapped("unit_amount")), 4), 21.25)
        self.assertEqual(
            self.totals(lines, lambda line: line.project_id.partner_id.name),
            {"ACME Inc": 10.0, "Blue Harbor Ltd": 11.25},
        )
        self.assertEqual(
            self.totals(lines, lambda line: line.employee_id.name),
            {"Mia Hart": 14.5, "Noah Quinn": 6.75},
        )
        self.assertEqual(
            self.totals(lines, lambda line: line.project_id.agency_code),
            {"BR-01": 10.0, "WEB-7": 11.25},
        )
        self.assertEqual(set(lines.mapped("entry_source")), {"import"})
        self.assertEqual(
            sorted(lines.mapped("approval_state")), ["approved"] * 3 + ["draft"] * 4
        )
        self.assertEqual(
            lines.employee_id.mapped("role_id.name"), ["Designer", "Copywriter"]
        )
        report = json.loads(batch.report_json)
        self.assertTrue(all(row["same"] for row in report), report)
        self.assertEqual(round(sum(row["odoo_hours"] for row in report), 4), 21.25)
        self.assertEqual(
            round(sum(row["odoo_billable_amount"] for row in report), 2), 2447.5
        )
        self.assertEqual(batch.checksum, hashlib.sha256(content).hexdigest())

    def test_report_spreadsheet(self):
        batch = self.run_batch(sample("harvest_detailed_time.csv"))
        action = batch.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        book = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        self.assertEqual(book.sheetnames, ["Side by side", "Rejected rows"])
        rows = list(book["Side by side"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(round(sum(row[4] for row in rows), 2), 21.25)
        self.assertEqual(round(sum(row[5] for row in rows), 2), 21.25)
        self.assertEqual({row[6] for row in rows}, {0})

    def test_queued_import_runs_in_the_cron_job(self):
        batch = self.batch(sample("toggl_detailed.csv"))
        batch.action_dry_run()
        batch.action_queue()
        self.assertEqual(batch.state, "queued")
        with self.assertRaises(UserError):
            batch.action_dry_run()
        self.env["agency.import.batch"]._cron_import()
        self.assertEqual(batch.state, "done")
        self.assertEqual((batch.progress_done, batch.progress_total), (4, 4))
        self.assertEqual(len(self.entries(batch)), 4)

    def test_toggl_sample(self):
        batch = self.run_batch(sample("toggl_detailed.csv"), tz="Europe/Paris")
        lines = self.entries(batch)
        self.assertEqual(
            self.totals(lines, lambda line: line.employee_id.name),
            {"Lea Park": round(10105 / 3600, 4), "Omar Diaz": round(18900 / 3600, 4)},
        )
        self.assertEqual(lines.employee_id.mapped("work_email"), [
            "lea@studio.example", "omar@studio.example"
        ])  # fmt: skip
        self.assertEqual(
            self.totals(lines, lambda line: line.project_id.name),
            {"App Redesign": round(25405 / 3600, 4), "Internal": 1.0},
        )

    def test_clockify_sample(self):
        batch = self.run_batch(sample("clockify_detailed.csv"))
        lines = self.entries(batch)
        self.assertEqual(
            self.totals(lines, lambda line: line.employee_id.name),
            {"Ana Silva": round(12660 / 3600, 4), "Ben Okoro": round(25260 / 3600, 4)},
        )
        tiny = lines.filtered(lambda line: line.name == "Colour check")
        self.assertEqual(round(tiny.unit_amount * 60, 6), 1.0, "one minute, not 1.2")
        approved = lines.filtered(lambda line: line.approval_state == "approved")
        self.assertEqual(sorted(approved.mapped("name")), ["Shot list", "Storyboard"])

    def test_generic_csv_asks_the_date_format(self):
        template = self.env["agency.import.template"].create(
            {"name": "Studio sheet", "source": "generic",
             "column_map": json.dumps(GENERIC_CSV_MAP)}
        )  # fmt: skip
        batch = self.batch(
            sample("generic_timesheet.csv"), source="generic", template_id=template.id
        )
        batch.action_dry_run()
        self.assertEqual(batch.state, "question")
        self.assertEqual(batch.question_choices, "dmy,mdy")
        self.assertIn("MM/DD/YYYY", batch.message)
        with self.assertRaises(UserError):
            batch.action_answer("iso")
        batch.action_answer("mdy")
        self.assertEqual(batch.state, "checked")
        self.assertEqual(template.date_format, "mdy", "remembered for the next file")
        batch.action_import()
        lines = self.entries(batch)
        self.assertEqual(min(lines.mapped("date")).isoformat(), "2026-03-04")
        self.assertEqual(round(sum(lines.mapped("unit_amount")), 4), 15.25)

    # -- idempotence --

    def test_second_import_adds_nothing_overlap_only_new_rows(self):
        content = sample("harvest_detailed_time.csv")
        self.run_batch(content)
        Line = self.env["account.analytic.line"]
        count = Line.search_count([("entry_source", "=", "import")])
        again = self.batch(content)
        again.action_dry_run()
        self.assertEqual((again.already_count, again.new_count), (7, 0))
        self.assertEqual(again.create_summary, "nothing")
        again.action_import()
        self.assertEqual(Line.search_count([("entry_source", "=", "import")]), count)
        self.assertEqual(again.created_count, 0)
        self.assertTrue(all(row["same"] for row in json.loads(again.report_json)))
        longer = content.replace(b"\r\n", b"\n") + (
            harvest_row(day="2026-02-04", hours="1.5", notes="Review").encode() + b"\n"
        )
        overlap = self.run_batch(longer)
        self.assertEqual((overlap.already_count, overlap.created_count), (7, 1))
        self.assertEqual(
            Line.search_count([("entry_source", "=", "import")]), count + 1
        )

    def test_twin_rows_are_two_entries(self):
        row = harvest_row(hours="1.0")
        batch = self.run_batch(harvest(row, row))
        self.assertEqual(len(self.entries(batch)), 2)

    # -- slices --

    def test_slices_by_month_and_client(self):
        content = sample("harvest_detailed_time.csv")
        january = self.run_batch(content, slice_kind="month", slice_month="2026-01")
        self.assertEqual(len(self.entries(january)), 4)
        february = january.action_next_slice()
        february = self.env["agency.import.batch"].browse(february["res_id"])
        february.write({"slice_kind": "month", "slice_month": "2026-02"})
        february.action_dry_run()
        self.assertEqual(february.new_count, 3)
        february.action_import()
        self.assertEqual(
            round(sum(self.entries(february).mapped("unit_amount")), 2), 9.75
        )
        whole = self.batch(content)
        whole.action_dry_run()
        self.assertEqual((whole.already_count, whole.new_count), (7, 0))
        client = self.run_batch(
            sample("toggl_detailed.csv"), slice_kind="client", slice_client="northwind"
        )
        self.assertEqual(len(self.entries(client)), 3)

    def test_big_slice_split_across_cron_runs(self):
        """At most N entries per run of the cron job: the next run resumes
        where the last one stopped, the last one finishes the batch."""
        self.env["ir.config_parameter"].sudo().set_param(
            "agency_timesheet.import_cron_rows", "3"
        )
        batch = self.batch(sample("harvest_detailed_time.csv"))
        batch.action_dry_run()
        batch.action_queue()
        Batch = self.env["agency.import.batch"]
        progress = []
        for _run in range(2):
            Batch._cron_import()
            self.assertEqual(batch.state, "queued")
            progress.append((batch.progress_done, batch.progress_total))
            self.assertEqual(batch.created_count, batch.progress_done)
        self.assertEqual(progress, [(3, 7), (6, 7)])
        self.assertEqual(len(self.entries(batch)), 6)
        Batch._cron_import()
        self.assertEqual(batch.state, "done", batch.message)
        self.assertEqual((batch.created_count, batch.already_count), (7, 0))
        lines = self.entries(batch)
        self.assertEqual(len(lines), 7)
        self.assertEqual(
            len(set(batch.sudo().record_ids.mapped("fingerprint")) - {False}), 7
        )
        self.assertEqual(round(batch.odoo_hours, 2), round(batch.file_hours, 2))
        self.assertEqual(round(sum(lines.mapped("unit_amount")), 2), 21.25)
        # each client and person once, though created over three runs
        self.assertEqual(
            sorted(lines.project_id.partner_id.mapped("name")),
            ["ACME Inc", "Blue Harbor Ltd"],
        )
        self.assertEqual(
            self.env["res.partner"].search_count([("name", "=", "ACME Inc")]), 1
        )
        self.assertEqual(len(lines.employee_id), 2)
        # the whole file again: everything is there already
        again = self.batch(sample("harvest_detailed_time.csv"))
        again.action_dry_run()
        self.assertEqual((again.already_count, again.new_count), (7, 0))

    def test_chunks_each_written_and_cache_emptied(self):
        """A slice of several chunks (2 rows here): every row imported once,
        the historic states given chunk by chunk with one audit row each, the
        counts right, and no created entry left in the record cache; with the
        cron job's 3 rows per run across chunk ends too."""
        content = sample("harvest_detailed_time.csv")
        Line = self.env["account.analytic.line"]
        with patch.object(import_engine, "CHUNK", 2):
            batch = self.run_batch(content)
            cached = self.env.cache.get_records(Line, Line._fields["date"])
            self.assertFalse(
                set(cached.ids) & set(self.entries(batch).ids), "the cache is emptied"
            )
            lines = self.entries(batch)
            self.assertEqual((batch.created_count, batch.already_count), (7, 0))
            self.assertEqual((batch.progress_done, batch.progress_total), (7, 7))
            self.assertEqual(len(lines), 7)
            rows = batch.sudo().record_ids.filtered("line_id")
            self.assertEqual(len(set(rows.mapped("file_line"))), 7)
            self.assertEqual(
                sorted(lines.mapped("approval_state")),
                ["approved"] * 3 + ["draft"] * 4,
            )
            approved = lines.filtered(lambda line: line.approval_state == "approved")
            audits = (
                self.env["agency.audit"]
                .sudo()
                .search(
                    [
                        ("entry_ids", "in", approved.ids),
                        ("field_name", "=", "approval_state"),
                    ]
                )
            )
            # one status row per chunk's batch (Per-Entry Audit Detail off)
            self.assertEqual(
                sorted(audits.mapped("entry_ids").ids), sorted(approved.ids)
            )
            self.assertEqual(set(audits.mapped("new_value")), {"approved"})
            self.assertEqual(round(batch.odoo_hours, 2), 21.25)
            self.assertEqual(round(batch.file_hours, 2), 21.25)
            batch.action_rollback()
            self.assertFalse(lines.exists())
            self.env["ir.config_parameter"].sudo().set_param(
                "agency_timesheet.import_cron_rows", "3"
            )
            queued = self.batch(content)
            queued.action_dry_run()
            queued.action_queue()
            for _run in range(3):
                self.env["agency.import.batch"]._cron_import()
            self.assertEqual(queued.state, "done", queued.message)
            self.assertEqual((queued.created_count, queued.already_count), (7, 0))
            lines = self.entries(queued)
            self.assertEqual(len(lines), 7)
            self.assertEqual(round(sum(lines.mapped("unit_amount")), 2), 21.25)
            self.assertEqual(
                sorted(lines.mapped("approval_state")),
                ["approved"] * 3 + ["draft"] * 4,
            )

    def test_failed_run_of_a_split_slice_leaves_nothing(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "agency_timesheet.import_cron_rows", "1"
        )
        content = harvest(
            harvest_row(hours="14.0", client="Split Client", notes="a"),
            harvest_row(hours="14.0", client="Split Client", notes="b"),
        )
        batch = self.batch(content)
        batch.action_dry_run()
        batch.action_queue()
        Batch = self.env["agency.import.batch"]
        Batch._cron_import()
        self.assertEqual((batch.state, len(self.entries(batch))), ("queued", 1))
        Batch._cron_import()  # the second row breaks the 24-hour rule
        self.assertEqual(batch.state, "checked")
        self.assertIn("24 hours", batch.message)
        self.assertIn("nothing of batch", batch.message)
        self.assertFalse(self.entries(batch))
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Split Client")])
        )

    def test_unreadable_rows_listed_once_per_file(self):
        content = harvest(
            harvest_row(day="2026-01-05"),
            harvest_row(day="2026-02-02", notes="February"),
            harvest_row(day="some day", notes="No date"),
            harvest_row(day="2026-02-03", hours="-1.0"),
        )
        january = self.batch(content, slice_kind="month", slice_month="2026-01")
        january.action_dry_run()
        # the line no month holds, in the first slice; February's in its own
        self.assertEqual(january.reject_ids.mapped("line"), [4])
        self.assertTrue(january.reject_ids.unreadable)
        february = self.batch(content, slice_kind="month", slice_month="2026-02")
        february.action_dry_run()
        self.assertEqual(february.reject_ids.mapped("line"), [5])
        self.assertFalse(february.reject_ids.unreadable)
        # dry run again: the first slice keeps them, the other still not
        january.action_dry_run()
        february.action_dry_run()
        self.assertEqual(january.reject_ids.mapped("line"), [4])
        self.assertEqual(february.reject_ids.mapped("line"), [5])
        # the unreadable line refuses only the slice that lists it
        with self.assertRaisesRegex(UserError, "1 rejected rows"):
            january.action_import()
        february.skip_rejected = True
        february.action_import()
        self.assertEqual(len(self.entries(february)), 1)

    # -- bad input, all or nothing --

    def test_bad_files_refused_with_the_reason(self):
        for content, pattern in (
            (b"", "empty"),
            (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV or XLSX"),
            (b"Date,Hours,Billable?,First Name,Last Name\n2026-01-01,1,Yes,A,B\n",
             "Project"),
        ):  # fmt: skip
            batch = self.batch(content or b" ")
            batch.action_dry_run()
            self.assertEqual(batch.state, "error")
            self.assertRegex(batch.message, pattern)
            with self.assertRaises(UserError):
                batch.action_import()

    def test_rejected_rows_listed_and_refuse_the_slice(self):
        content = harvest(
            harvest_row(hours="2.0"),
            harvest_row(hours="-1.0"),
            harvest_row(currency="Martian Credit - XMC"),
        )
        batch = self.batch(content)
        batch.action_dry_run()
        self.assertEqual(
            [(r.line, r.column, r.value) for r in batch.reject_ids],
            [(3, "Hours", "-1.0"), (4, "currency", "XMC")],
        )
        self.assertIn("Unknown currency XMC", batch.reject_ids[1].reason)
        with self.assertRaisesRegex(UserError, "2 rejected rows"):
            batch.action_import()
        self.assertFalse(self.env["hr.employee"].search([("name", "=", "Mia Hart")]))
        batch.skip_rejected = True
        batch.action_import()
        self.assertEqual(len(self.entries(batch)), 1)

    def test_failed_slice_writes_nothing(self):
        """14 h + 14 h on one day: the second row breaks the 24-hour rule, and
        neither the first row nor the new client, project or person stay."""
        content = harvest(
            harvest_row(hours="14.0", client="Solo Client", notes="a"),
            harvest_row(hours="14.0", client="Solo Client", notes="b"),
        )
        batch = self.batch(content)
        batch.action_dry_run()
        with self.assertRaisesRegex(UserError, "24 hours"):
            batch.action_import()
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Solo Client")]))
        self.assertFalse(batch.sudo().record_ids)
        self.assertEqual(batch.state, "checked")

    # -- rollback --

    def test_rollback_removes_exactly_the_batch(self):
        existing = self.env["res.partner"].create(
            {"name": "Blue Harbor Ltd", "is_company": True}
        )
        batch = self.run_batch(sample("harvest_detailed_time.csv"))
        lines = self.entries(batch)
        acme = lines.project_id.partner_id - existing
        self.assertEqual(acme.name, "ACME Inc")
        other = self.run_batch(sample("toggl_detailed.csv"))
        batch.action_rollback()
        self.assertEqual(batch.state, "rolled_back")
        self.assertFalse(lines.exists())
        self.assertFalse(acme.exists())
        self.assertTrue(existing.exists(), "mapped, not created: kept")
        self.assertFalse(self.env["hr.employee"].search([("name", "=", "Mia Hart")]))
        self.assertEqual(len(self.entries(other)), 4)
        again = self.batch(sample("harvest_detailed_time.csv"))
        again.action_dry_run()
        self.assertEqual(again.new_count, 7, "rolled back rows import again")
        with self.assertRaises(UserError):
            batch.action_rollback()

    def test_rollback_keeps_what_is_used_since(self):
        batch = self.run_batch(sample("toggl_detailed.csv"))
        project = self.entries(batch).project_id.filtered(
            lambda p: p.name == "App Redesign"
        )
        self.log(self.employees["user"], 1.0, project_id=project.id, task_id=False)
        batch.action_rollback()
        self.assertTrue(project.exists())
        self.assertIn("App Redesign", batch.message)

    # -- access --

    def test_only_administrators_import(self):
        content = sample("harvest_detailed_time.csv")
        for level in ("internal", "user", "producer", "billing"):
            with self.assertRaises(AccessError, msg=level):
                self.batch(content, user=self.users[level])
        batch = self.batch(content)
        for level in ("user", "producer", "billing"):
            with self.assertRaises(AccessError, msg=level):
                batch.with_user(self.users[level]).action_dry_run()
        with self.assertRaises(AccessError):
            batch.with_user(self.users["billing"]).with_context(
                import_as_admin=True
            ).action_import()

    def test_wizard_opens_the_dry_run(self):
        wizard = (
            self.env["agency.import.wizard"]
            .with_user(self.admin)
            .create(
                {
                    "file": base64.b64encode(sample("clockify_detailed.csv")),
                    "filename": "clockify.csv",
                    "slice_kind": "month",
                    "slice_month": "2026-04",
                }
            )
        )
        action = wizard.action_start()
        batch = self.env["agency.import.batch"].browse(action["res_id"])
        self.assertEqual(
            (batch.state, batch.source, batch.new_count), ("checked", "clockify", 4)
        )
        self.assertIn("Ana Silva", batch.report_html)
        with self.assertRaises(AccessError):
            self.env["agency.import.wizard"].with_user(self.users["billing"]).create(
                {"file": base64.b64encode(b"x")}
            )

    def test_stale_projects_proposed_for_archiving(self):
        content = harvest(
            harvest_row(day="2024-03-01", project="Old Site", notes="a"),
            harvest_row(day="2026-01-05", project="Live Site", notes="b"),
        )
        batch = self.batch(content)
        batch.action_dry_run()
        old = batch.mapping_ids.filtered(lambda m: m.name == "Old Site")
        self.assertTrue(old.archive)
        self.assertIn("proposed for archiving", old.note)
        self.assertFalse(
            batch.mapping_ids.filtered(lambda m: m.name == "Live Site").archive
        )
        batch.action_import()
        projects = self.entries(batch).project_id
        self.assertEqual(
            {project.name: project.active for project in projects},
            {"Old Site": False, "Live Site": True},
        )
