"""Per-client confidentiality: only named people log time on and see a
confidential engagement's projects; notes never reach invoices or the run's
spreadsheet; a list leaving out someone who logged time is refused; the notes
are anonymised sooner."""

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.agency_timesheet.retention import ANONYMISED

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestConfidential(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.named = cls.users["user"]  # Dani, cls.dani
        cls.outsider = cls.users["producer"]  # Paula, producer of cls.project
        cls.note_line = cls.approved(2.0, name="Secret launch of Project Nova")
        cls.engagement.write(
            {
                "confidential": True,
                "confidential_user_ids": [Command.set(cls.named.ids)],
            }
        )

    def test_only_named_people_see_projects_tasks_entries(self):
        for model, record in (
            ("project.project", self.project),
            ("project.task", self.task),
            ("account.analytic.line", self.note_line),
        ):
            Model = self.env[model]
            self.assertIn(record, Model.with_user(self.named).search([]), model)
            self.assertNotIn(record, Model.with_user(self.outsider).search([]), model)
            self.assertIn(record, Model.with_user(self.biller).search([]), model)
            self.assertIn(record, Model.with_user(self.users["admin"]).search([]))
            with self.assertRaises(AccessError):
                record.with_user(self.outsider).read(["display_name"])
        # a project on no confidential engagement stays visible
        Projects = self.env["project.project"].with_user(self.outsider)
        self.assertIn(self.bright_project, Projects.search([]))

    def test_only_named_people_log_time(self):
        with self.assertRefused(ValidationError, "Agency producer cannot log time"):
            self.entry(1.0, employee=self.paula)
        self.assertTrue(self.entry(1.0))  # Dani is named

    def test_list_leaving_out_someone_who_logged_time_is_refused(self):
        with self.assertRefused(ValidationError, r"Agency user already logged time"):
            self.engagement.confidential_user_ids = [Command.set(self.outsider.ids)]
        self.assertEqual(self.engagement.confidential_user_ids, self.named)
        self.engagement.confidential = False
        with self.assertRefused(ValidationError, "Name them, or move their entries"):
            self.engagement.write(
                {
                    "confidential": True,
                    "confidential_user_ids": [Command.set(self.outsider.ids)],
                }
            )
        # named by the server, not only by the form
        with self.assertRefused(ValidationError, "confidential but names nobody"):
            self.engagement.write(
                {"confidential": True, "confidential_user_ids": [Command.clear()]}
            )

    def test_notes_never_reach_invoices_or_the_spreadsheet(self):
        run = self.new_run()
        invoices = self.review_and_invoice(run)
        self.assertTrue(invoices)
        labels = " ".join(invoices.invoice_line_ids.mapped("name"))
        self.assertNotIn("Nova", labels)
        rows = self.env["agency.billing.run.xlsx"]._agency_entry_rows(run)
        self.assertIn(self.note_line.id, [row["id"] for row in rows])
        self.assertFalse([row for row in rows if row["name"] and "Nova" in row["name"]])

    @freeze_time("2027-02-01")
    def test_stricter_retention(self):
        today = fields.Date.today()
        old = self.approved(1.0, day=str(today - relativedelta(months=8)), name="Old")
        recent = self.approved(1.0, day=str(today - relativedelta(days=3)), name="New")
        self.company.agency_timesheet_lock_date = today - relativedelta(days=1)
        Retention = self.env["agency.retention"]
        preview = {
            kind.code: records
            for company, kind, records in Retention._agency_preview(self.company)
        }
        self.assertIn(old, preview["confidential"])
        self.assertNotIn(recent, preview["confidential"])
        counts = Retention._agency_purge(self.company)
        self.assertEqual(
            counts[self.company.id, "confidential"], len(preview["confidential"])
        )
        self.env.invalidate_all()
        self.assertEqual(old.name, ANONYMISED)
        self.assertEqual(old.unit_amount, 1.0)
        self.assertEqual(recent.name, "New")
