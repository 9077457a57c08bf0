"""Rate cards brought along: a rate-card CSV (Billing imports it) and the rates
of imported history (Administrators), proposed and reviewed before they are
created; others cannot."""

import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.agency_timesheet.tests.import_samples import harvest, harvest_row

from .common import RateCase


@tagged("post_install", "-at_install")
class TestImportRates(RateCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.currency"].with_context(active_test=False).search(
            [("name", "in", ("GBP", "EUR"))]
        ).active = True

    def wizard(self, user, **vals):
        return self.env["agency.rate.import"].with_user(user).create(vals)

    def test_billing_imports_a_rate_card(self):
        content = (
            b"client,project,role,person,bill rate,cost rate,currency,from,to\n"
            b"Acme,,,,150.00,,EUR,2026-01-01,\n"
            b",Acme Web,Test Designer,,120.00,55.00,EUR,2026-01-01,2026-06-30\n"
            b",,,Agency user,110.00,45.00,EUR,2026-01-01,\n"
            b",Nowhere,,,99,,EUR,2026-01-01,\n"
        )
        wizard = self.wizard(
            self.users["billing"], file=base64.b64encode(content), filename="card.csv"
        )
        wizard.action_propose()
        self.assertEqual(len(wizard.line_ids), 3)
        self.assertIn("line 5", wizard.rejected)
        self.assertIn("Nowhere", wizard.rejected)
        Rate = self.env["agency.rate"]
        before = Rate.search_count([])
        self.assertEqual(Rate.search_count([]), before, "proposals only")
        wizard.line_ids.filtered(lambda line: line.employee_id).selected = False
        wizard.action_create()
        created = Rate.search([("id", ">", 0)], order="id desc", limit=2)
        self.assertEqual(
            sorted((r.partner_id.name or "", r.project_id.name or "", r.bill_rate)
                   for r in created),
            [("", "Acme Web", 120.0), ("Acme", "", 150.0)],
        )  # fmt: skip
        self.assertEqual(Rate.search_count([]), before + 2)

    def test_overlap_creates_nothing(self):
        content = (
            b"client,bill rate,currency,from,to\n"
            b"Acme,150,EUR,2026-01-01,2026-12-31\n"
            b"Acme,160,EUR,2026-06-01,\n"
        )
        wizard = self.wizard(self.users["billing"], file=base64.b64encode(content))
        wizard.action_propose()
        Rate = self.env["agency.rate"]
        before = Rate.search_count([])
        with self.assertRaises(UserError):
            wizard.action_create()
        self.assertEqual(Rate.search_count([]), before)

    def test_rates_from_history(self):
        row = {"client": "Acme", "project": "Acme Web", "first": "Agency",
               "last": "user", "role": "Test Designer", "task": "Design"}  # fmt: skip
        content = harvest(
            harvest_row(day="2026-01-05", hours="2.0", rate="100.0", **row),
            harvest_row(day="2026-02-02", hours="2.0", rate="120.0", **row),
        )
        batch = (
            self.env["agency.import.batch"]
            .with_user(self.users["admin"])
            .create({"file": base64.b64encode(content), "filename": "h.csv"})
        )
        batch.action_dry_run()
        batch.action_import()
        wizard = self.wizard(self.users["admin"], origin="history", batch_id=batch.id)
        wizard.action_propose()
        self.assertEqual(
            [(line.project_id, line.date_from.isoformat(),
              line.date_to and line.date_to.isoformat(), line.bill_rate,
              line.currency_id.name) for line in wizard.line_ids],
            [(self.acme_web, "2026-01-05", "2026-02-01", 100.0, "GBP"),
             (self.acme_web, "2026-02-02", False, 120.0, "GBP")],
        )  # fmt: skip
        theirs = self.wizard(self.users["billing"], origin="history", batch_id=batch.id)
        with self.assertRaises(AccessError):
            theirs.action_propose()

    def test_others_cannot(self):
        for level in ("internal", "user", "producer"):
            with self.assertRaises(AccessError, msg=level):
                self.wizard(self.users[level])
