from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestRetainer(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.retainer = cls.env["agency.engagement"].create(
            {
                "name": "Acme retainer",
                "partner_id": cls.acme.id,
                "user_id": cls.biller.id,
                "kind": "retainer",
                "date_start": "2026-01-01",
                "period_fee": 1000.0,
                "included_hours": 10.0,
                "rollover_periods": 1,
                "overage_rate_kind": "fixed",
                "overage_rate": 150.0,
                "fee_timing": "arrears",
            }
        )
        (cls.project | cls.acme_web).agency_engagement_id = cls.retainer

    def run_month(self, month_end):
        return self.new_run(
            engagement_ids=[(6, 0, self.retainer.ids)],
            date_to=month_end,
            invoice_date=month_end,
        )

    def ledger(self):
        return {
            period.date_start.month: period
            for period in self.retainer.retainer_period_ids
            if period.date_start.year == 2026  # periods run up to today's month
        }

    def test_rollover_expiry_and_overage_billed(self):
        self.approved(6.0, day="2026-01-10")  # 4 h unused roll into February
        self.approved(12.0, day="2026-02-10")  # 14 available: 2 left
        self.approved(13.0, day="2026-03-10")  # 10 + 2: 1 h over
        january = self.review_and_invoice(self.run_month("2026-01-31"))
        self.assertEqual(january.amount_untaxed, 1000.0)
        february = self.review_and_invoice(self.run_month("2026-02-28"))
        self.assertEqual(february.amount_untaxed, 1000.0)
        march = self.review_and_invoice(self.run_month("2026-03-31"))
        self.assertEqual(march.amount_untaxed, 1150.0)
        rows = self.ledger()
        self.assertEqual(rows[1].rolled_over_hours, 4.0)
        self.assertEqual(rows[2].opening_hours, 4.0)
        self.assertEqual(rows[2].used_hours, 12.0)
        self.assertEqual(rows[2].rolled_over_hours, 2.0)
        self.assertEqual(rows[3].overage_hours, 1.0)
        self.assertEqual(rows[3].billed_overage_hours, 1.0)
        self.assertEqual({r.state for r in rows.values()}, {"closed"})
        overage = march.invoice_line_ids.filtered(lambda l: "overage" in l.name)
        self.assertEqual((overage.quantity, overage.price_unit), (1.0, 150.0))

    def test_unused_hours_expire(self):
        self.retainer.rollover_periods = 0
        self.approved(4.0, day="2026-01-10")
        self.review_and_invoice(self.run_month("2026-01-31"))
        rows = self.ledger()
        self.assertEqual(rows[1].expired_hours, 6.0)
        self.assertEqual(rows[1].rolled_over_hours, 0.0)

    def test_late_time_lands_in_next_open_period(self):
        self.approved(4.0, day="2026-01-10")
        self.review_and_invoice(self.run_month("2026-01-31"))
        # approved after January was billed
        self.approved(3.0, day="2026-01-20")
        self.approved(2.0, day="2026-02-05")
        self.review_and_invoice(self.run_month("2026-02-28"))
        rows = self.ledger()
        self.assertEqual(rows[1].used_hours, 4.0)
        self.assertEqual(rows[2].used_hours, 5.0)

    def test_ledger_follows_time_until_billed(self):
        line = self.approved(4.0, day="2026-01-10")
        self.retainer.action_refresh_ledger()
        self.assertEqual(self.ledger()[1].used_hours, 4.0)
        line.sudo().write({"approval_state": "draft"})
        self.retainer.retainer_period_ids.invalidate_recordset()
        self.assertEqual(self.ledger()[1].used_hours, 0.0)

    def test_fee_in_advance(self):
        self.retainer.fee_timing = "advance"
        invoice = self.review_and_invoice(self.run_month("2026-01-31"))
        # January's fee (its first day is reached), nothing for February yet
        self.assertEqual(invoice.amount_untaxed, 1000.0)

    def test_time_billed_by_a_period_is_not_held(self):
        self.approved(4.0, day="2026-01-10")
        self.review_and_invoice(self.run_month("2026-01-31"))
        run = self.run_month("2026-02-28")
        run.action_collect()
        # January's time is marked billed by January's run: no other run holds it
        self.assertFalse(run.check_ids.filtered(lambda c: c.code == "held"))

    def test_bad_retainer_terms(self):
        Engagement = self.env["agency.engagement"]
        base = {"name": "Bad", "partner_id": self.acme.id, "kind": "retainer",
                "date_start": "2026-01-01"}  # fmt: skip
        with self.assertRefused(ValidationError, "neither included hours nor a fee"):
            Engagement.create({**base, "included_hours": 0, "period_fee": 0})
        with self.assertRefused(ValidationError, "rollover cannot be -1"):
            Engagement.create(
                {**base, "included_hours": 5, "period_fee": 1, "rollover_periods": -1}
            )


@tagged("post_install", "-at_install")
class TestRetainerMore(BillingCase):
    def retainer(self, **vals):
        engagement = self.env["agency.engagement"].create(
            {
                "name": vals.pop("name", "Retainer"),
                "partner_id": self.acme.id,
                "user_id": self.biller.id,
                "kind": "retainer",
                "date_start": "2026-01-01",
                "period_fee": 1000.0,
                "included_hours": 10.0,
                "overage_rate_kind": "fixed",
                "overage_rate": 150.0,
                "fee_timing": "arrears",
                **vals,
            }
        )
        return engagement

    def test_overage_billed_at_the_end(self):
        engagement = self.retainer(overage_billing="end", date_end="2026-03-31")
        (self.project | self.acme_web).agency_engagement_id = engagement
        self.approved(12.0, day="2026-01-10")  # 2 over
        self.approved(11.0, day="2026-02-10")  # 1 over
        self.approved(5.0, day="2026-03-10")
        amounts = []
        for month_end in ("2026-01-31", "2026-02-28", "2026-03-31"):
            run = self.new_run(
                engagement_ids=[(6, 0, engagement.ids)],
                date_to=month_end,
                invoice_date=month_end,
            )
            amounts.append(self.review_and_invoice(run).amount_untaxed)
        self.assertEqual(amounts, [1000.0, 1000.0, 1000.0 + 3 * 150.0])

    def test_multi_currency_retainer(self):
        eur = self.env.ref("base.EUR")
        if eur == self.company.currency_id:
            eur = self.env.ref("base.USD")
        eur.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": eur.id, "name": "2026-01-01", "rate": 2.0,
             "company_id": self.company.id}
        )  # fmt: skip
        engagement = self.retainer(
            currency_id=eur.id, overage_rate_kind="cards", period_fee=900.0
        )
        (self.project | self.acme_web).agency_engagement_id = engagement
        self.approved(11.0, day="2026-01-10")  # 1 h over, card rate 100 (company)
        run = self.new_run(
            engagement_ids=[(6, 0, engagement.ids)],
            date_to="2026-01-31",
            invoice_date="2026-01-31",
        )
        invoice = self.review_and_invoice(run)
        self.assertEqual(invoice.currency_id, eur)
        overage = invoice.invoice_line_ids.filtered(lambda l: "overage" in l.name)
        self.assertEqual(overage.price_unit, 200.0)  # 100 converted at 2.0
        self.assertEqual(invoice.amount_untaxed, 1100.0)

    def test_ledger_queries_do_not_grow(self):
        def queries(count):
            engagements = self.env["agency.engagement"]
            for index in range(count):
                engagements |= self.retainer(name=f"R{count}-{index}")
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            ledgers = self.env["agency.retainer.period"]._agency_ledgers(
                engagements, until=self.day("2027-12-31")
            )
            self.assertEqual(len(ledgers), count)
            self.assertEqual(len(ledgers[engagements[0].id]), 24)
            return self.env.cr.sql_log_count - start

        self.assertEqual(queries(2), queries(20))


@tagged("post_install", "-at_install")
class TestRetainerLedgerMail(BillingCase):
    def test_send_ledger_as_a_table(self):
        retainer = self.env["agency.engagement"].create(
            {
                "name": "Mail retainer",
                "partner_id": self.acme.id,
                "kind": "retainer",
                "date_start": "2026-01-01",
                "date_end": "2026-02-28",
                "period_fee": 500.0,
                "included_hours": 8.0,
            }
        )
        (self.project | self.acme_web).agency_engagement_id = retainer
        self.approved(3.0, day="2026-01-05")
        action = retainer.action_send_ledger()
        body = str(action["context"]["default_body"])
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertIn("<table", body)
        self.assertIn("3.00 h", body)
        self.assertEqual(len(retainer.retainer_period_ids), 2)
