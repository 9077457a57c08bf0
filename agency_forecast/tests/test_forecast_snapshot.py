"""Snapshots and forecast accuracy on a hand-computed case.

Acme's T&M engagement (BillingCase: 100 an hour, net 30, billed 3 days after
month end): 2 hours approved on 2 March 2026, forecast on 18 March, are 200.00
billed on 3 April. Frozen then; Acme is really invoiced 150.00 on 10 April
(before tax) and pays 150.00 on 20 May, and an invoice of 10 March (before the
snapshot) counts for nothing.
"""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.agency_billing.tests.common import BillingCase
from odoo.addons.agency_timesheet.demo.common import plan_for, ref

from ..demo.snapshot import THREE_MONTHS

TODAY = date(2026, 3, 18)
APRIL, MAY = date(2026, 4, 1), date(2026, 5, 1)


@tagged("post_install", "-at_install")
class TestForecastSnapshot(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engagement.write(
            {
                "payment_term_id": cls.env.ref(
                    "account.account_payment_term_30days"
                ).id,
                "forecast_days_after_set": True,
                "forecast_days_after": 3,
            }
        )
        cls.approved(2.0, day="2026-03-02")
        cls.base = cls.env["agency.forecast.scenario"].search(
            [("company_id", "=", cls.company.id), ("kind", "=", "base")], limit=1
        )
        cls.base.note = "Clients pay as they do."
        cls.snapshot = (
            cls.env["agency.forecast.snapshot"]
            .with_user(cls.biller)
            ._agency_freeze(cls.base, today=TODAY)
        )

    def invoice(self, day, amount):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.acme.id,
                "invoice_date": day,
                "invoice_line_ids": [(0, 0, {"name": "Work", "price_unit": amount,
                                             "quantity": 1, "tax_ids": [(6, 0, [])]})],
            }
        )  # fmt: skip
        move.action_post()
        return move

    def pay(self, invoice, day, amount):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": day, "amount": amount}).action_create_payments()

    def accuracy(self, figure, client, month):
        rows = self.env["agency.forecast.accuracy"].search(
            [
                ("snapshot_id", "=", self.snapshot.id),
                ("figure", "=", figure),
                ("client_id", "=", client.id if client else False),
                ("month", "=", month),
            ]
        )
        self.assertLessEqual(len(rows), 1)
        return rows

    def test_freeze_stores_the_figures_levers_and_date(self):
        snapshot = self.snapshot
        self.assertEqual(len(snapshot), 1)
        self.assertEqual(snapshot.date, TODAY)
        self.assertEqual(snapshot.kind, "base")
        self.assertEqual(snapshot.levers["tentative_probability"], 50.0)
        self.assertIn("Tentative Probability (%): 50.0", snapshot.assumptions)
        self.assertIn("Clients pay as they do.", snapshot.assumptions)
        acme = snapshot.line_ids.filtered(
            lambda l: l.client_id == self.acme and l.figure == "billings"
        )
        self.assertEqual([(l.month, l.amount) for l in acme], [(APRIL, 200.0)])
        # each month adds up to the scenario's total of that day
        data = self.base.agency_forecast_data(today=TODAY, scenario_ids=self.base.ids)
        figures = data["scenarios"][0]
        for figure in ("revenue", "billings", "cash"):
            for index, month in enumerate(data["months"]):
                self.assertAlmostEqual(
                    sum(
                        snapshot.line_ids.filtered(
                            lambda l, f=figure, m=month: (
                                l.figure == f and str(l.month) == m
                            )
                        ).mapped("amount")
                    ),
                    figures[figure]["months"][index],
                    places=1,
                    msg=f"{figure} {month}",
                )
        audit = self.env["agency.audit"].search(
            [
                ("res_model", "=", "agency.forecast.snapshot"),
                ("operation", "=", "create"),
            ]
        )
        self.assertTrue(audit)
        self.assertEqual(audit[0].user_id, self.biller)

    def test_snapshot_is_read_only_for_everyone(self):
        # the superuser: the ORM itself refuses
        for who in (self.env, self.env(user=self.users["admin"].id, su=True)):
            snapshot = self.snapshot.with_env(who)
            with self.assertRaises(UserError):
                snapshot.write({"name": "Better"})
            with self.assertRaises(UserError):
                snapshot.unlink()
            with self.assertRaises(UserError):
                snapshot.line_ids[:1].write({"amount": 1.0})
            with self.assertRaises(UserError):
                snapshot.line_ids[:1].unlink()
            with self.assertRaises(UserError):
                snapshot.create({"name": "By hand", "date": TODAY})
        # Billing and Administrators: no right to change or delete at all
        for level in ("billing", "admin"):
            as_user = self.snapshot.with_user(self.users[level])
            with self.assertRaises(AccessError):
                as_user.write({"name": "Better"})
            with self.assertRaises(AccessError):
                as_user.unlink()
            with self.assertRaises(AccessError):
                as_user.line_ids[:1].write({"amount": 1.0})
        as_billing = self.snapshot.with_user(self.biller)
        with self.assertRaises(UserError):
            as_billing.with_context(agency_freeze=True).create(
                {"name": "By hand", "date": TODAY}
            )
        self.assertEqual(self.snapshot.name, f"Base, {TODAY}")
        acme = self.snapshot.line_ids.filtered(
            lambda l: l.client_id == self.acme and l.figure == "billings"
        )
        self.assertEqual(acme.mapped("amount"), [200.0])

    def test_accuracy_against_real_invoices_and_payments(self):
        self.invoice("2026-03-10", 999.0)  # before the snapshot: not compared
        april = self.invoice("2026-04-10", 150.0)
        self.pay(april, "2026-05-20", 150.0)
        billed = self.accuracy("billings", self.acme, APRIL)
        self.assertEqual((billed.forecast, billed.actual), (200.0, 150.0))
        self.assertEqual(billed.difference, -50.0)
        self.assertEqual(billed.error_percent, 33.3)
        self.assertFalse(self.accuracy("billings", self.acme, date(2026, 3, 1)).actual)
        cash = self.accuracy("cash", self.acme, MAY)
        self.assertEqual(cash.actual, 150.0)
        frozen = sum(
            self.snapshot.line_ids.filtered(
                lambda l: l.figure == "cash" and l.client_id == self.acme
                and l.month == MAY
            ).mapped("amount")
        )  # fmt: skip
        self.assertEqual(cash.forecast, frozen)
        # overall: every client's and the remainder, as the board pack reads it
        Accuracy = self.env["agency.forecast.accuracy"]
        overall = Accuracy.agency_accuracy_by_month(self.snapshot.ids)[self.snapshot.id]
        april_row = next(
            r for r in overall if r["figure"] == "billings" and r["month"] == APRIL
        )
        rows = Accuracy.search(
            [("snapshot_id", "=", self.snapshot.id), ("figure", "=", "billings"),
             ("month", "=", APRIL)]
        )  # fmt: skip
        self.assertAlmostEqual(april_row["actual"], sum(rows.mapped("actual")))
        self.assertAlmostEqual(april_row["forecast"], sum(rows.mapped("forecast")))
        self.assertLessEqual(150.0, april_row["actual"])
        # the pivot's grouped read gives the same
        [(forecast, actual)] = Accuracy._read_group(
            [("snapshot_id", "=", self.snapshot.id), ("client_id", "=", self.acme.id),
             ("figure", "=", "billings")],
            [], ["forecast:sum", "actual:sum"],
        )  # fmt: skip
        self.assertEqual((forecast, actual), (200.0, 150.0))

    def test_freeze_action_opens_the_snapshots(self):
        action = self.base.with_user(self.biller).action_freeze()
        snapshot = self.env["agency.forecast.snapshot"].search(action["domain"])
        self.assertEqual(snapshot.scenario_id, self.base)
        self.assertEqual(action["res_model"], "agency.forecast.snapshot")
        accuracy = snapshot.action_open_accuracy()
        self.assertEqual(accuracy["res_model"], "agency.forecast.accuracy")


@tagged("post_install", "-at_install")
class TestSnapshotDemo(TransactionCase):
    def test_the_demo_snapshot_of_three_months_ago_shows_its_accuracy(self):
        company = self.env.ref("base.main_company")
        snapshot = self.env["agency.forecast.snapshot"].search(
            [("company_id", "=", company.id)], order="date", limit=1
        )
        if not ref(self.env, "employee_paula"):
            self.skipTest("no demo data")
        plan = plan_for(self.env)
        self.assertEqual(snapshot.date, plan.today - THREE_MONTHS)
        self.assertEqual(snapshot.kind, "base")
        self.assertTrue(snapshot.assumptions)
        rows = self.env["agency.forecast.accuracy"].search(
            [("snapshot_id", "=", snapshot.id), ("figure", "=", "billings"),
             ("month", "<=", plan.today)]
        )  # fmt: skip
        self.assertTrue(rows.filtered("actual"), "real invoices since the snapshot")
        self.assertTrue(rows.filtered(lambda r: r.forecast and r.difference))
