from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import TransactionCase

from ..models.agency_consistency import consistency
from .common import AgencyCase


class TestConsistencyRule(TransactionCase):
    def test_streak_and_share(self):
        d = [date(2026, 3, 2) + timedelta(days=n) for n in range(5)]
        days = [(d[0], 8, 8), (d[1], 8, 2), (d[2], 8, 8), (d[3], 4, 4), (d[4], 8, 7)]
        self.assertEqual(consistency(days, 0.8), (3, 4, 5))
        self.assertEqual(consistency(days, 0.9), (0, 3, 5), "7 of 8 is not 90%")
        self.assertEqual(consistency(days, 0.8, share_from=d[2]), (3, 3, 3))
        self.assertEqual(consistency([], 0.8), (0, 0, 0))


class TestLeaderboard(AgencyCase):
    def test_ranks_consistency_not_hours(self):
        steady = self.employees["user"]
        busy = self.employees["producer"]
        # A fortnight of working days before 18 March 2026 (a Wednesday).
        days = [date(2026, 3, 2) + timedelta(days=n) for n in range(16)]
        days = [day for day in days if day.weekday() < 5]
        for day in days:
            self.log(steady, 8.0, day=str(day))
            if day != date(2026, 3, 12):  # one day skipped
                self.log(busy, 11.0, day=str(day))
        late = self.log(steady, 0.5, day=str(days[-1]))  # logged days later: fine
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_analytic_line SET create_date = %s WHERE id = %s",
            [datetime(2026, 3, 25), late.id],
        )
        # every line above was created "now" (2026 test clock) - make them on time
        lines = self.env["account.analytic.line"].search(
            [("employee_id", "in", (steady | busy).ids), ("id", "!=", late.id)]
        )
        self.env.cr.execute(
            "UPDATE account_analytic_line SET create_date = date + interval '18 hours'"
            " WHERE id = ANY(%s)",
            [lines.ids],
        )
        with freeze_time("2026-03-18 08:00:00"):
            self.env["agency.consistency"].action_refresh()
        board = self.env["agency.consistency"].search(
            [("employee_id", "in", (steady | busy).ids)]
        )
        by_person = {row.employee_id: row for row in board}
        self.assertEqual(by_person[steady].streak, 12)
        self.assertEqual(by_person[busy].streak, 3, "the skipped day breaks it")
        self.assertLess(by_person[steady].rank, by_person[busy].rank)
        self.assertNotIn("unit_amount", self.env["agency.consistency"]._fields)
        row = board.with_user(self.users["user"]).search([("id", "in", board.ids)])
        self.assertEqual(len(row), 2, "the leaderboard is public to the agency")
