"""The weekly margin facts (report/agency_margin_week.py): the buckets (pure
rules), the same figures as the margin view, kept incrementally in the same
transaction, identical to a full rebuild, and drill-down to the exact
sources."""

import datetime
import unittest
from unittest.mock import PropertyMock, patch

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.agency_forecast.report import margin_upkeep
from odoo.addons.agency_forecast.report.agency_margin_week import KEYS, SUMS

from .common import MarginMonthCase


class TestBuckets(unittest.TestCase):
    def test_a_week_is_cut_at_month_ends(self):
        """Monday 30 March 2026 to Sunday 5 April: two buckets, 30–31 March and
        1–5 April; a week inside a month is one bucket."""
        day = datetime.date
        self.assertEqual(margin_upkeep.bucket_start(day(2026, 3, 31)), day(2026, 3, 30))
        self.assertEqual(margin_upkeep.bucket_end(day(2026, 3, 30)), day(2026, 3, 31))
        self.assertEqual(margin_upkeep.bucket_start(day(2026, 4, 5)), day(2026, 4, 1))
        self.assertEqual(margin_upkeep.bucket_end(day(2026, 4, 1)), day(2026, 4, 5))
        self.assertEqual(margin_upkeep.bucket_start(day(2026, 3, 12)), day(2026, 3, 9))
        self.assertEqual(margin_upkeep.bucket_end(day(2026, 3, 9)), day(2026, 3, 15))
        self.assertEqual(margin_upkeep.bucket_end(day(2026, 12, 28)), day(2026, 12, 31))

    def test_aligned_periods(self):
        """Months, years and open ends are answered by the weekly facts; a
        period cut inside a bucket is not."""
        day = datetime.date
        self.assertTrue(margin_upkeep.aligned(day(2026, 3, 1), day(2026, 3, 31)))
        self.assertTrue(margin_upkeep.aligned(day(2026, 1, 1), day(2026, 12, 31)))
        self.assertTrue(margin_upkeep.aligned(None, None))
        self.assertTrue(margin_upkeep.aligned(day(2026, 3, 9), day(2026, 3, 15)))
        self.assertFalse(margin_upkeep.aligned(day(2026, 3, 10), None))
        self.assertFalse(margin_upkeep.aligned(None, day(2026, 3, 20)))


@tagged("post_install", "-at_install")
class TestMarginWeek(MarginMonthCase):
    def stored(self):
        """Every weekly fact, as comparable rows (after the dirty keys)."""
        Week = self.env["agency.margin.week"]
        Week._agency_refresh()
        self.assertEqual(margin_upkeep.dirty_count(self.env.cr), 0)
        return self._rows(SQL("SELECT * FROM agency_margin_week"))

    def from_view(self):
        """The margin view grouped by the weekly keys, computed now."""
        keys = SQL(", ").join(
            margin_upkeep.bucket_sql(SQL("date"))
            if key == "date"
            else SQL.identifier(key)
            for key in KEYS
        )
        sums = SQL(", ").join(
            SQL("sum(%s) AS %s", SQL.identifier(name), SQL.identifier(name))
            for name in SUMS
        )
        self.env.flush_all()
        return self._rows(
            SQL(
                "SELECT %s, %s FROM (%s) f GROUP BY %s",
                keys,
                sums,
                self.env["agency.margin.fact"]._table_query,
                SQL(", ").join(SQL(str(n)) for n in range(1, len(KEYS) + 1)),
            ),
            names=[*KEYS, *SUMS],
        )

    def _rows(self, query, names=None):
        self.env.cr.execute(query)
        columns = names or [column.name for column in self.env.cr.description]
        rows = []
        for values in self.env.cr.fetchall():
            row = dict(zip(columns, values, strict=True))
            rows.append(
                tuple(str(row[key]) for key in KEYS)
                + tuple(round(float(row[name] or 0.0), 2) for name in SUMS)
            )
        return sorted(rows)

    def test_same_figures_as_the_view(self):
        """After the month's approvals, invoices, the credit note and the
        write-downs, kept incrementally: the view grouped by week."""
        self.assertEqual(self.stored(), self.from_view())

    def test_rebuild_equals_incremental(self):
        """A sequence of changes, each read at once (incremental upkeep in the
        same transaction), then a full rebuild: identical rows, and the
        view's."""
        Week = self.env["agency.margin.week"]
        march = [("date", ">=", "2026-03-01"), ("date", "<=", "2026-03-31")]
        mine = [("engagement_id", "=", self.engagement.id), *march]
        before = Week._agency_totals(mine, ["engagement_id"])[self.engagement]
        # an approval
        entry = self.approved(1.0, day="2026-03-30")
        after = Week._agency_totals(mine, ["engagement_id"])[self.engagement]
        self.assertAlmostEqual(after.revenue - before.revenue, 100.0)
        # invoicing it, with a write-up
        run = self.new_run(date_from="2026-03-30", invoice_date="2026-04-02")
        run.action_collect()
        self.env["agency.billing.adjustment"].with_user(self.biller).create(
            {
                "run_line_id": run.line_ids.id,
                "entry_id": entry.id,
                "direction": "up",
                "basis": "amount",
                "amount": 10.0,
                "reason": "goodwill",
                "note": "Rush",
            }
        )
        invoice = self._invoice(run)
        self.assertEqual(self.stored(), self.from_view())
        # a credit note of it
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {"journal_id": invoice.journal_id.id, "reason": "dispute",
                 "date": "2026-04-03"}
            )
        )  # fmt: skip
        self.env["account.move"].browse(reversal.refund_moves()["res_id"]).action_post()
        self.assertEqual(self.stored(), self.from_view())
        # an entry edit: reopened, moved to another day and longer, approved
        internal = self.month["e8"]
        internal.action_reopen("more work")
        internal.write({"date": "2026-03-31", "unit_amount": 3.0})
        internal.action_submit()
        internal.action_approve()
        incremental = self.stored()
        self.assertEqual(incremental, self.from_view())
        self.env.cr.execute("DELETE FROM agency_margin_week")
        Week._agency_rebuild()
        self.assertEqual(self.stored(), incremental)

    def test_live_in_the_same_transaction(self):
        """An approval shows in the weekly figures of the same transaction."""
        Week = self.env["agency.margin.week"]
        domain = [("project_id", "=", self.internal.id)]
        hours = Week._agency_totals(domain, ["project_id"])[self.internal].hours
        self.approved(1.5, day="2026-03-24", project_id=self.internal.id, task_id=False)
        self.assertAlmostEqual(
            Week._agency_totals(domain, ["project_id"])[self.internal].hours,
            hours + 1.5,
        )

    def test_read_only_cursor_waits_for_the_cron(self):
        """A read-only cursor (a replica) reads what is stored; the cron
        recomputes the dirty keys."""
        Week = self.env["agency.margin.week"]
        Week._agency_refresh()
        self.approved(1.0, day="2026-03-24", project_id=self.internal.id, task_id=False)
        self.env.flush_all()
        self.assertTrue(margin_upkeep.dirty_count(self.env.cr))
        readonly = PropertyMock(return_value=True)  # what a replica's cursor says
        with patch.object(type(self.env.cr), "readonly", readonly):
            self.assertEqual(Week._agency_refresh(), 0)
        Week._cron_refresh()
        self.assertEqual(margin_upkeep.dirty_count(self.env.cr), 0)
        self.assertEqual(self.stored(), self.from_view())

    def test_drill_down_opens_exactly_the_sources(self):
        """The art director's week of 2 March holds e2 only; Acme's T&M weeks
        of March open e1, e2, e3, the write-down, the expense, the invoice and
        credit note lines."""
        Week = self.env["agency.margin.week"]
        march = [("date", ">=", "2026-03-01"), ("date", "<=", "2026-03-31")]
        art = Week.search([*march, ("role_id", "=", self.role_ad.id)])
        self.assertEqual(len(art), 1)
        action = art.action_open_sources()
        self.assertEqual(action["res_model"], "account.analytic.line")
        self.assertEqual(
            self.env["account.analytic.line"].search(action["domain"]), self.month["e2"]
        )
        acme = Week.search([*march, ("engagement_id", "=", self.engagement.id)])
        facts = self.env["agency.margin.fact"].search(acme._agency_fact_domain())
        self.assertEqual(
            facts.entry_id, self.month["e1"] | self.month["e2"] | self.month["e3"]
        )
        self.assertEqual(facts.adjustment_id, self.month["down"])
        self.assertEqual(facts.expense_id, self.month["x1"])
        self.assertAlmostEqual(sum(acme.mapped("revenue")), 838.0)
        self.assertAlmostEqual(sum(facts.mapped("revenue")), 838.0)
        action = acme.action_open_facts()
        self.assertEqual(action["res_model"], "agency.margin.fact")
        self.assertEqual(self.env["agency.margin.fact"].search(action["domain"]), facts)

    def test_rebuild_is_for_administrators(self):
        """The rebuild button: Administrators only; it marks every key and
        wakes the cron."""
        Week = self.env["agency.margin.week"]
        with self.assertRaises(AccessError):
            Week.with_user(self.biller).action_agency_rebuild()
        Week.with_user(self.users["admin"]).action_agency_rebuild()
        self.assertTrue(margin_upkeep.dirty_count(self.env.cr))
        self.assertEqual(self.stored(), self.from_view())
