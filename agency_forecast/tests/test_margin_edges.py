"""Margins at the edges of billing (issues 13 and 19): an entry's rate
multiplier in its work in progress, history invoiced outside Odoo at its
imported amount or as *amount unknown* (never 0 revenue at a 100 % loss),
excluded time as non-billable as the warnings count it."""

import base64

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.agency_billing.tests.common import BillingCase
from odoo.addons.agency_forecast.report.agency_margin_fact import fact_ids


@tagged("post_install", "-at_install")
class TestMarginEdges(BillingCase):
    def fact(self, entry):
        Fact = self.env["agency.margin.fact"]
        Fact.invalidate_model()
        return Fact.browse(fact_ids(entry))

    def set_sql(self, entry, **values):
        """Write server-set billing columns as a billing run or an import
        does (in SQL), then tell the ORM (and the weekly margins) as they
        do."""
        entry.flush_recordset()
        for name, value in values.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE account_analytic_line SET %s = %s WHERE id = %s",
                    SQL.identifier(name),
                    value,
                    entry.id,
                )
            )
        entry._agency_sql_written(values)

    def imported(self, entry, **values):
        template = self.env["agency.import.template"].create(
            {"name": "Harvest", "source": "harvest"}
        )
        batch = self.env["agency.import.batch"].create(
            {
                "file": base64.b64encode(b"Date\n"),
                "filename": "history.csv",
                "template_id": template.id,
            }
        )
        return self.env["agency.import.record"].create(
            {"batch_id": batch.id, "line_id": entry.id, **values}
        )

    def test_work_in_progress_includes_the_multiplier(self):
        """2 h at 100 are 200 of work in progress; a run that bills them at a
        weekend multiplier of 1.5 makes them 300 before the invoice."""
        entry = self.approved(2.0, day="2026-03-07")
        self.assertEqual(self.fact(entry).revenue, 200.0)
        self.set_sql(entry, agency_multiplier=1.5)
        fact = self.fact(entry)
        self.assertEqual(fact.revenue, 300.0)
        self.assertEqual(fact.margin, 300.0 - 80.0)
        self.assertEqual(fact.standard_value, 200.0, "the rate card's value")

    def test_invoiced_outside_counts_its_imported_amount(self):
        entry = self.approved(2.0, day="2026-03-02")
        self.set_sql(entry, agency_invoiced_outside=True)
        self.imported(entry, billable=True, billable_amount=260.0)
        fact = self.fact(entry)
        self.assertEqual(fact.state, "invoiced")
        self.assertEqual((fact.revenue, fact.revenue_unknown_hours), (260.0, 0.0))
        self.assertEqual(fact.margin, 260.0 - 80.0)

    def test_invoiced_outside_without_an_amount_is_unknown_never_zero(self):
        """No amount and no rate in the file: the revenue is unknown (empty),
        its hours listed, the margin left out (not a 100 % loss)."""
        entry = self.approved(2.0, day="2026-03-02")
        other = self.approved(1.0, day="2026-03-03")
        self.set_sql(entry, agency_invoiced_outside=True)
        record = self.imported(entry, billable=True, billable_amount=0.0)
        Fact = self.env["agency.margin.fact"]
        rows = self.env.execute_query(
            SQL(
                "SELECT revenue, margin, revenue_unknown_hours FROM (%s) f"
                " WHERE id = %s",
                Fact._table_query,
                fact_ids(entry)[0],
            )
        )
        self.assertEqual(rows, [(None, None, 2.0)])
        listed = Fact.search([("revenue_unknown_hours", "!=", 0)])
        self.assertIn(entry, listed.entry_id)
        self.assertNotIn(other, listed.entry_id)
        figures = self.engagement._agency_margin_figures("2026-03-01", "2026-03-31")
        row = figures[self.engagement.id]
        self.assertEqual(row["revenue_unknown_hours"], 2.0)
        self.assertEqual(row["revenue"], 100.0, "the other entry's hour only")
        # the engagement's and the project's Margin tabs say it too
        self.engagement.invalidate_recordset()
        self.assertEqual(self.engagement.margin_revenue_unknown_hours, 2.0)
        self.assertEqual(self.engagement.margin_revenue, 100.0)
        project = entry.project_id
        project.invalidate_recordset()
        self.assertEqual(project.agency_margin_revenue_unknown_hours, 2.0)
        self.assertEqual(project.agency_margin_revenue, 100.0)
        # the amount found later: the weekly margins have it at once
        record.billable_amount = 260.0
        row = self.engagement._agency_margin_figures("2026-03-01", "2026-03-31")[
            self.engagement.id
        ]
        self.assertEqual((row["revenue"], row["revenue_unknown_hours"]), (360.0, 0.0))

    def test_excluded_time_is_not_billable(self):
        """The one definition of non-billable (profitability.py): time a run
        left out counts as non-billable in the margins, as in the warnings."""
        entry = self.approved(2.0, day="2026-03-02")
        self.assertTrue(self.fact(entry).billable)
        self.set_sql(entry, agency_excluded_reason="client disputes it")
        fact = self.fact(entry)
        self.assertFalse(fact.billable)
        self.assertEqual(fact.billable_hours, 0.0)
