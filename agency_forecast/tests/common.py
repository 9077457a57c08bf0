"""A hand-computed month for the margin tests (March 2026, fixed dates).

Built on agency_billing's BillingCase (its clients, projects, people, the
company default rate of 100 an hour and the Acme T&M engagement rounding up to
15 minutes). Figures in the company's currency ($); the foreign currency (€
below) is worth 0.8 per $ all year (so €100 = $125).

People: Dani (designer, hourly cost 40), Paula (designer, hourly cost 55; as
art director her rate line says 150 an hour and a cost rate of 70).

Acme, time & materials on "Test Campaign" (one project):
  e1 Dani 2.10 h on 2 Mar: rate-card value 210.00, cost 84.00; rounded up to
     2.25 h, billed 225.00; a write-down of 25.00 on it (inefficiency)
  e2 Paula (art director) 3 h on 3 Mar: value 450.00, cost 210.00, billed 450.00
  x1 a taxi of Dani's, 80.00, re-billed with the engagement's 10 % markup: 88.00
  run 1 (to 15 Mar, invoiced 16 Mar): 225 + 450 (one time line) − 25 + 88 = 738
  e3 Dani 1 h on 20 Mar: value 100.00, cost 40.00; run 2 (invoiced 31 Mar)
     bills it (100.00), a credit note of 31 Mar reverses it all: e3 is free
     again, work in progress at its frozen 100.00
  revenue 225 + 450 − 25 + 88 + 100 (e3, WIP) + 100 (run 2's line) − 100
          (its credit note) = 838.00
  cost 84 + 210 + 80 + 40 = 414.00; billed 738.00; write-downs 25.00;
  value at rate cards 210 + 450 + 100 = 760.00; hours 6.10

Acme, fixed fee "Acme rebrand" on "Acme Web" (allocated 10 h): fee 1,000 due
1 Mar + change order CO-1 of 200 due 5 Mar = 1,200
  e4 Dani 8 h on 4 Mar (value 800, cost 320), e5 Paula 6 h on 5 Mar (value
  600, cost 330): 14 h, value 1,400 > fee 1,200: the run writes off 200
  (over-run, never billed)
  revenue 1,200.00 (both schedule lines, invoiced 31 Mar); cost 650.00;
  write-downs 200.00; earned 1,200 × min(14 / 10, 1) = 1,200.00; over-run 4 h

Bright, retainer in € on "Bright Brand": €1,000 a month for 10 h, no rollover,
overage €150 an hour, billed in arrears; the client's rate line is €100 an hour
  e6 Dani 6 h on 10 Feb (cost 240): 4 h expire: breakage 4 × €100 = €400 = $500;
     February's fee €1,000 = $1,250
  e7 Dani 11 h on 10 Mar (value €1,100 = $1,375, cost 440): 1 h over: March
     invoices €1,000 + €150 = €1,150 = $1,437.50
  March: revenue 1,437.50, cost 440.00, margin 997.50

Internal: e8 Dani 2 h on 6 Mar on "Studio Internal": cost 80, not billable.

March by client: Acme revenue 2,038.00, cost 1,064.00, margin 974.00, 20.10 h;
Bright 1,437.50 / 440.00 / 997.50, 11 h; no client: 0 / 80.00, 2 h.
March by person: Dani revenue 225 + 100 − 25 + 88 = 388.00 (the fees have no
person), cost 84 + 80 + 40 + 320 + 440 + 80 = 1,044.00, hours 2.10 + 1 + 8 +
11 + 2 = 24.10; Paula 450.00 / 540.00, 9 h.
By role: art director 450.00 / 210.00, 3 h; designer the rest.
"""

import base64

from odoo.addons.agency_billing.tests.common import BillingCase

MARCH = ("2026-03-01", "2026-03-31")


class MarginMonthCase(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.foreign = next(
            env.ref(xmlid)
            for xmlid in ("base.EUR", "base.GBP", "base.CHF")
            if env.ref(xmlid) != cls.currency
        )
        cls.foreign.active = True
        Rate = env["res.currency.rate"]
        Rate.search([("currency_id", "=", cls.foreign.id)]).unlink()
        Rate.create(
            {
                "name": "2026-01-01",
                "currency_id": cls.foreign.id,
                "rate": 0.8,
                "company_id": cls.company.id,
            }
        )
        cls.rate(150.0, role_id=cls.role_ad.id, cost_rate=70.0, date_from="2026-01-01")
        cls.rate(
            100.0,
            partner_id=cls.bright.id,
            currency_id=cls.foreign.id,
            date_from="2026-01-01",
        )
        cls.engagement.expense_markup = 10.0
        cls.fixed = env["agency.engagement"].create(
            {
                "name": "Acme rebrand",
                "partner_id": cls.acme.id,
                "user_id": cls.biller.id,
                "kind": "fixed_fee",
                "fee_amount": 1000.0,
                "schedule_line_ids": [
                    (0, 0, {"name": "Fee", "trigger": "date",
                            "date_due": "2026-03-01", "percent": 100.0}),
                ],
            }
        )  # fmt: skip
        cls.acme_web.write(
            {"agency_engagement_id": cls.fixed.id, "allocated_hours": 10}
        )
        env["agency.change.order"].create(
            {
                "name": "CO-1",
                "engagement_id": cls.fixed.id,
                "date": "2026-03-05",
                "amount": 200.0,
                "reason": "Two more layouts",
            }
        )
        cls.retainer = env["agency.engagement"].create(
            {
                "name": "Bright retainer",
                "partner_id": cls.bright.id,
                "user_id": cls.biller.id,
                "kind": "retainer",
                "currency_id": cls.foreign.id,
                "date_start": "2026-02-01",
                "period_fee": 1000.0,
                "included_hours": 10.0,
                "rollover_periods": 0,
                "overage_rate_kind": "fixed",
                "overage_rate": 150.0,
                "fee_timing": "arrears",
            }
        )
        cls.bright_project.agency_engagement_id = cls.retainer
        cls.month = cls._build_month()

    @classmethod
    def _build_month(cls):
        env = cls.env
        paula, dani = cls.paula, cls.dani
        month = {
            "e1": cls.approved(2.10, day="2026-03-02"),
            "e2": cls.approved(
                3.0, day="2026-03-03", employee=paula, role_id=cls.role_ad.id
            ),
            "e4": cls.approved(
                8.0, day="2026-03-04", project_id=cls.acme_web.id, task_id=False
            ),
            "e5": cls.approved(
                6.0,
                day="2026-03-05",
                employee=paula,
                project_id=cls.acme_web.id,
                task_id=False,
            ),
            "e6": cls.approved(
                6.0, day="2026-02-10", project_id=cls.bright_project.id, task_id=False
            ),
            "e7": cls.approved(
                11.0, day="2026-03-10", project_id=cls.bright_project.id, task_id=False
            ),
            "e8": cls.approved(
                2.0, day="2026-03-06", project_id=cls.internal.id, task_id=False
            ),
        }
        product = env["product.product"].create(
            {"name": "Margin Taxi", "type": "service", "can_be_expensed": True,
             "standard_price": 0.0, "supplier_taxes_id": [(5, 0, 0)]}
        )  # fmt: skip
        expense = env["hr.expense"].create(
            {
                "name": "Taxi to the shoot",
                "employee_id": dani.id,
                "product_id": product.id,
                "total_amount_currency": 80.0,
                "date": "2026-03-10",
                "agency_project_id": cls.project.id,
                "agency_rebill": True,
            }
        )
        env["ir.attachment"].create(
            {"name": "taxi.pdf", "datas": base64.b64encode(b"receipt"),
             "res_model": "hr.expense", "res_id": expense.id}
        )  # fmt: skip
        sheet = env["hr.expense.sheet"].create(
            {"name": "March", "employee_id": dani.id,
             "expense_line_ids": [(6, 0, expense.ids)]}
        )  # fmt: skip
        sheet.action_submit_sheet()
        sheet.action_approve_expense_sheets()
        month["x1"] = expense
        # run 1: T&M to 15 March, with a write-down on e1
        run1 = cls.new_run(date_to="2026-03-15", invoice_date="2026-03-16")
        run1.action_collect()
        month["down"] = (
            env["agency.billing.adjustment"]
            .with_user(cls.biller)
            .create(
                {
                    "run_line_id": run1.line_ids.id,
                    "entry_id": month["e1"].id,
                    "direction": "down",
                    "basis": "amount",
                    "amount": 25.0,
                    "reason": "inefficiency",
                    "note": "Learning the new tool",
                }
            )
        )
        month["invoice1"] = cls._invoice(run1)
        # run 2: e3, invoiced then credited
        month["e3"] = cls.approved(1.0, day="2026-03-20")
        month["invoice2"] = cls._invoice(
            cls.new_run(date_from="2026-03-16", invoice_date="2026-03-31")
        )
        reversal = (
            env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=month["invoice2"].ids)
            .create(
                {
                    "journal_id": month["invoice2"].journal_id.id,
                    "reason": "client dispute",
                    "date": "2026-03-31",
                }
            )
        )
        month["credit"] = env["account.move"].browse(reversal.refund_moves()["res_id"])
        month["credit"].action_post()
        # the fixed fee in March, the retainer in February and March
        month["fixed_invoice"] = cls._invoice(
            cls.new_run(
                engagement_ids=[(6, 0, cls.fixed.ids)], invoice_date="2026-03-31"
            )
        )
        month["overrun"] = env["agency.billing.adjustment"].search(
            [("engagement_id", "=", cls.fixed.id), ("reason", "=", "overrun")]
        )
        for end in ("2026-02-28", "2026-03-31"):
            month[f"retainer_{end[5:7]}"] = cls._invoice(
                cls.new_run(
                    engagement_ids=[(6, 0, cls.retainer.ids)],
                    date_to=end,
                    invoice_date=end,
                )
            )
        return month

    @classmethod
    def _invoice(cls, run):
        """BillingCase.review_and_invoice, from setUpClass, then posted."""
        invoices = BillingCase.review_and_invoice(cls, run)
        invoices.action_post()
        return invoices

    def facts(self, domain=(), date_range=MARCH):
        start, end = date_range
        return self.env["agency.margin.fact"].search(
            [("date", ">=", start), ("date", "<=", end), *domain]
        )
