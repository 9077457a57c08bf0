"""The demo agency's rate cards (agency_billing's step of `agency.demo`).

Built on the studio agency_timesheet generates (its records are under the
pseudo-module ``agency_demo``), its dates from the same plan
(agency_timesheet/demo/plan.py: "last month" below is the plan's billing month,
the month that ends on the lock date, and "the month before last" the one
before it):

- a company default rate and one rate per role;
- Bright Bank's card in the company's currency (a discount on every role);
- Foxglove Fashion's card in another currency (EUR, or USD when the company
  already bills in EUR), which is activated and given rates over the period;
- project overrides (one blended rate on Dune Exhibition Identity, and Art
  Direction on Acme Spring Campaign) and a person override (Kai Nakamura,
  lead developer, with a cost rate of his own);
- one rate change mid-quarter: designers go from 110 to 120 an hour on the
  first day of the month in the middle of the demo period.

And the billing conveyor in motion, with Bruno (Billing) as the billing owner:

- four time & materials engagements (Acme Spring, rounded up to 15 minutes;
  Citrus Summer Launch, to the nearest 6 minutes; Evergreen Patient App, with a
  not-to-exceed cap; Foxglove Lookbook, in the client's currency, signed at the
  start of last month);
- the month before last billed and posted for Acme and Evergreen;
- last month's run collected and checked: Acme (with a write-down), Citrus and
  Evergreen reviewed and invoiced as drafts; Foxglove held back by a blocking
  check (time logged before the engagement started) and a warning (an entry
  logged twice);
- a posted credit note on one line of the earlier Acme invoice: its entries are
  free again, and the next run bills them.

Then the other two kinds of engagement, each billed by runs of its own:

- a retainer, Dune Museum's social content (a project of its own, with time
  logged by hand for it: fixed hours on fixed working days), over the three
  months up to last month: a quiet first month whose unused hours roll over, a
  quieter second one in which they expire, and a busy last one with overage;
  one run a month, its invoice (fee, and overage in the last) posted;
- a fixed fee on Acme Website Refresh that over-ran: a schedule (kick-off on
  the start date, design sign-off at a milestone reached last month, launch at
  the end of next month), a change order last month, the kick-off invoiced the
  month before last and the milestone and change order last month (posted); the
  effort beyond the fee is written off by last month's run.

Expenses re-billed with their receipts have a step of their own
(`_generate_expense_demo`).
"""

import itertools
import logging
import math
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.agency_timesheet.demo.plan import month_end

_logger = logging.getLogger(__name__)

# role code: (bill rate, cost rate or 0 for the person's hourly cost)
ROLE_RATES = {
    "AD": (150.0, 0.0),
    "DES": (110.0, 0.0),
    "CW": (105.0, 0.0),
    "DEV": (120.0, 0.0),
    "PRD": (95.0, 0.0),
    "STR": (165.0, 0.0),
}
DESIGNER_RAISE = 120.0
# Bright Bank pays 10 % less on every role, in the company's currency.
BRIGHT_DISCOUNT = 0.9
# Foxglove Fashion's card, in its own currency, and one client-wide rate.
FOXGLOVE_RATES = {"AD": 135.0, "DES": 95.0, "CW": 90.0}
FOXGLOVE_DEFAULT = 100.0
# Units of the foreign currency per unit of the company currency, month by month.
FOREIGN_RATES = (0.91, 0.93, 0.92, 0.94)

# key, name, client key, project keys, round to (minutes), method, invoice lines
ENGAGEMENTS = [
    ("acme_spring", "Acme Spring Campaign", "acme", ["acme_spring"], "15", "up",
     "task"),
    ("citrus_launch", "Citrus Summer Launch", "citrus", ["citrus_launch"], "6",
     "nearest", "role"),
    ("evergreen_app", "Evergreen Patient App", "evergreen", ["evergreen_app"], "15",
     "nearest", "employee"),
    ("foxglove_lookbook", "Foxglove Lookbook", "foxglove", ["foxglove_lookbook"],
     "15", "nearest", "task"),
]  # fmt: skip
# Evergreen's cap: this much above what its approved time is worth, in steps.
CAP_HEADROOM = 1.25
CAP_STEP = 10000.0
WRITE_DOWN_NOTE = (
    "Second moodboard round was our call after the internal review, not the "
    "client's brief"
)
CREDIT_TASK = "Revisions round 2"
CREDIT_REASON = (
    "Revisions round 2 disputed by the client: credited, billed again once the "
    "scope is agreed"
)


# The retainer: Dune Museum's social content, 12 h a month, unused hours usable
# one month more, overage at a fixed rate, the fee billed once the month is over.
RETAINER = {
    "name": "Dune Museum Social Retainer",
    "period_fee": 1500.0,
    "included_hours": 12.0,
    "rollover_periods": 1,
    "overage_rate_kind": "fixed",
    "overage_rate": 140.0,
    "overage_billing": "period",
    "fee_timing": "arrears",
}
RETAINER_TASKS = ("Content plan", "Social posts", "Newsletter")
# Its time, month by month from three months before this one: (person, working
# day of the month for that person (1 = their first, -1 = their last), hours,
# task, note).
RETAINER_TIME = (
    # the end of the month: 7 h of 12 used, 5 h roll over into the next month
    [
        ("marc", -2, 2.0, "Content plan", "Content plan for the quarter"),
        ("ines", -1, 2.5, "Social posts", "Key visuals for the month"),
        ("clara", -1, 2.5, "Social posts", "Captions and hashtags"),
    ],
    # the museum closed for works: 2 h used, taken from the 5 rolled over; the
    # other 3 expire, this month's 12 roll over
    [
        ("clara", 3, 1.0, "Newsletter", "Closure notice for the newsletter"),
        ("ines", 5, 1.0, "Social posts", "Closure visual"),
    ],
    # the exhibition opens: 27 h against 12 rolled over and 12 included, 3 h over
    [
        ("marc", 1, 2.5, "Content plan", "Opening campaign plan"),
        ("ines", 2, 2.5, "Social posts", "Opening key visual"),
        ("clara", 3, 2.5, "Social posts", "Opening posts copy"),
        ("ines", 4, 2.5, "Social posts", "Story series"),
        ("marc", 5, 2.5, "Social posts", "Art direction of the story series"),
        ("clara", 6, 2.5, "Newsletter", "Opening newsletter"),
        ("ines", 7, 2.5, "Newsletter", "Newsletter layout"),
        ("clara", 8, 2.5, "Social posts", "Live coverage of the opening night"),
        ("ines", 10, 2.5, "Social posts", "Photo selection after the opening"),
        ("marc", 11, 2.0, "Content plan", "Post-opening review with the museum"),
        ("clara", 12, 2.5, "Newsletter", "Visitor stories for the newsletter"),
    ],
)
# The fixed fee: Acme Website Refresh, shares of the fee by date and milestone.
FIXED_FEE_NAME = "Acme Website Refresh"
FIXED_MILESTONE = "Design signed off"
FIXED_SCHEDULE = (("Kick-off", 30.0), ("Design sign-off", 40.0), ("Launch", 30.0))
# The fee is what the effort was worth up to the month before last, rounded up
# to this step: the over-run comes last month. The change order covers this
# share of last month's effort.
FIXED_FEE_STEP = 1000.0
CHANGE_ORDER_SHARE = 0.5
CHANGE_ORDER_STEP = 500.0
CHANGE_ORDER_NAME = "CO-1 Store locator and second language"
CHANGE_ORDER_REASON = (
    "After the design sign-off Acme asked for a store locator page and the site "
    "in a second language: agreed by email with their marketing lead"
)


class AgencyDemo(models.AbstractModel):
    _inherit = "agency.demo"

    @api.model
    def _generate_billing_demo(self, today=None):
        """Add the rate cards, then the billing conveyor, to the demo agency
        (each once; a second call does nothing). Its dates are planned from
        `today`, by default the day the demo agency was built for."""
        if not self._demo_ref("employee_paula"):
            return
        plan = self._demo_plan(today)
        company = self.env.ref("base.main_company")
        demo = self.with_company(company).with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        if not self._demo_ref("rate_company_default"):
            foreign = demo._demo_foreign_currency(company, plan)
            # From the retainer's first month too (it may start before the
            # time generated for everyone): its time is priced.
            demo._demo_rates(company, plan, foreign)
        if not self._demo_ref("engagement_acme_spring"):
            try:
                with self.env.cr.savepoint():
                    demo._demo_conveyor(company, plan)
            except UserError as error:
                # An older demo database whose time no longer fits the dates:
                # the rest of the demo stands without the conveyor.
                self.env.invalidate_all()
                _logger.warning("Demo billing conveyor not built: %s", error)
        for key, step, what in (
            ("engagement_dune_social", demo._demo_retainer, "retainer"),
            ("engagement_acme_web", demo._demo_fixed_fee, "fixed fee"),
        ):
            if self._demo_ref(key):
                continue
            try:
                with self.env.cr.savepoint():
                    step(company, plan)
            except UserError as error:
                self.env.invalidate_all()
                _logger.warning("Demo %s not built: %s", what, error)
        demo._generate_expense_demo(plan.today)

    @api.model
    def _generate_expense_demo(self, today=None):
        """Expenses re-billed with their receipts on an invoice: a taxi and a
        print proof on the Dune retainer last month, approved, re-billed with a
        10 % markup (print at cost: its category has its own markup of 0 %) by
        a billing run whose posted invoice carries both receipts."""
        engagement = self._demo_ref("engagement_dune_social")
        if not engagement or self._demo_ref("expense_dune_taxi"):
            return
        company = engagement.company_id
        demo = self.with_company(company).with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        try:
            with self.env.cr.savepoint():
                demo._demo_expenses(engagement, demo._demo_plan(today))
        except UserError as error:
            self.env.invalidate_all()
            _logger.warning("Demo expenses not built: %s", error)

    @api.model
    def _demo_expenses(self, engagement, plan):
        project = engagement.project_ids[:1]
        employee = (
            self.env["account.analytic.line"]
            .search([("project_id", "=", project.id)], limit=1)
            .employee_id
        )
        if not project or not employee:
            return
        end_last = plan.billing_month[1]
        Product = self.env["product.product"]
        travel = self._demo_register(
            "expense_category_travel",
            Product.create(
                {
                    "name": "Travel (re-billed)",
                    "type": "service",
                    "can_be_expensed": True,
                    "supplier_taxes_id": [(5, 0, 0)],
                    "agency_expense_limit": 150.0,
                }
            ),
        )
        printing = self._demo_register(
            "expense_category_print",
            Product.create(
                {
                    "name": "Print proofs (re-billed at cost)",
                    "type": "service",
                    "can_be_expensed": True,
                    "supplier_taxes_id": [(5, 0, 0)],
                    "agency_expense_markup_set": True,
                    "agency_expense_markup": 0.0,
                }
            ),
        )
        engagement.expense_markup = 10.0
        expenses = self.env["hr.expense"]
        taxi_day, print_day = plan.expense_days
        for key, name, product, amount, day in (
            ("expense_dune_taxi", "Taxi to the museum shoot", travel, 42.5, taxi_day),
            ("expense_dune_print", "Poster proofs", printing, 180.0, print_day),
        ):
            expense = self.env["hr.expense"].create(
                {
                    "name": name,
                    "employee_id": employee.id,
                    "product_id": product.id,
                    "total_amount_currency": amount,
                    "date": day,
                    "agency_project_id": project.id,
                    "agency_rebill": True,
                }
            )
            self.env["ir.attachment"].create(
                {
                    "name": f"{name} receipt.pdf",
                    "raw": _receipt_pdf(name, amount),
                    "mimetype": "application/pdf",
                    "res_model": "hr.expense",
                    "res_id": expense.id,
                }
            )
            expenses |= self._demo_register(key, expense)
        sheet = self.env["hr.expense.sheet"].create(
            {
                "name": "Dune shoot expenses",
                "employee_id": employee.id,
                "expense_line_ids": [(6, 0, expenses.ids)],
            }
        )
        sheet.action_submit_sheet()
        sheet.action_approve_expense_sheets()
        run = self._demo_billed_run(
            engagement,
            engagement.user_id,
            self.env.ref("base.user_admin"),
            end_last,
            end_last,
            self._demo_can_invoice(engagement.company_id),
        )
        self._demo_register("billing_run_dune_expenses", run)
        if run.invoice_ids:
            self._demo_register("invoice_dune_expenses", run.invoice_ids[:1])

    @api.model
    def _demo_foreign_currency(self, company, plan):
        """EUR (USD for a company in EUR), active, with a rate a month."""
        code = "USD" if company.currency_id.name == "EUR" else "EUR"
        currency = self.env.ref(f"base.{code}")
        currency.active = True
        Rate = self.env["res.currency.rate"]
        for day, rate in zip(
            plan.currency_rate_days, itertools.cycle(FOREIGN_RATES), strict=False
        ):
            existing = Rate.search(
                [
                    ("currency_id", "=", currency.id),
                    ("company_id", "=", company.id),
                    ("name", "=", day),
                ]
            )
            if existing:
                continue
            Rate.create(
                {
                    "currency_id": currency.id,
                    "company_id": company.id,
                    "name": day,
                    # Odoo stores units of the currency per unit of the company's.
                    "rate": rate if code == "EUR" else round(1 / rate, 6),
                }
            )
        return currency

    @api.model
    def _demo_rates(self, company, plan, foreign):
        """Create the demo rate lines in one batch (one re-pricing of the time)."""
        ref = self._demo_ref
        base = {
            "company_id": company.id,
            "currency_id": company.currency_id.id,
            "date_from": plan.rates_from,
        }
        change = plan.rate_change
        lines = {
            "rate_company_default": dict(
                base,
                bill_rate=100.0,
                note="Studio rate for anything without a rate of its own",
            )
        }
        for code, (bill, cost) in ROLE_RATES.items():
            values = dict(base, role_id=ref(f"role_{code.lower()}").id, bill_rate=bill)
            if cost:
                values["cost_rate"] = cost
            if code == "DES":
                lines["rate_role_des_old"] = dict(
                    values, date_to=change - timedelta(days=1), note="Last year's card"
                )
                values = dict(
                    values,
                    bill_rate=DESIGNER_RAISE,
                    date_from=change,
                    note="Designer rate raised mid-quarter",
                )
            lines[f"rate_role_{code.lower()}"] = values

        bright = ref("client_bright")
        for code, (bill, _cost) in ROLE_RATES.items():
            lines[f"rate_bright_{code.lower()}"] = dict(
                base,
                partner_id=bright.id,
                role_id=ref(f"role_{code.lower()}").id,
                bill_rate=round(bill * BRIGHT_DISCOUNT, 2),
                note="Framework agreement: 10 % off the studio rates",
            )

        foxglove = dict(
            base, currency_id=foreign.id, partner_id=ref("client_foxglove").id
        )
        lines["rate_foxglove_default"] = dict(
            foxglove,
            bill_rate=FOXGLOVE_DEFAULT,
            note=f"Foxglove Fashion is invoiced in {foreign.name}",
        )
        for code, bill in FOXGLOVE_RATES.items():
            lines[f"rate_foxglove_{code.lower()}"] = dict(
                foxglove, role_id=ref(f"role_{code.lower()}").id, bill_rate=bill
            )

        lines["rate_dune_identity"] = dict(
            base,
            project_id=ref("project_dune_identity").id,
            bill_rate=115.0,
            note="Museum project: one blended rate for everyone",
        )
        lines["rate_acme_spring_ad"] = dict(
            base,
            project_id=ref("project_acme_spring").id,
            role_id=ref("role_ad").id,
            bill_rate=175.0,
            note="Campaign art direction, quoted separately",
        )
        lines["rate_kai"] = dict(
            base,
            employee_id=ref("employee_kai").id,
            bill_rate=140.0,
            cost_rate=60.0,
            note="Lead developer: billed and costed above the developer rate",
        )
        rates = self.env["agency.rate"].create(list(lines.values()))
        for name, rate in zip(lines, rates, strict=True):
            self._demo_register(name, rate)
        return rates

    # -- the billing conveyor --

    @api.model
    def _demo_conveyor(self, company, plan):
        """Engagements, the month before last invoiced and posted, last month's
        run in review with its draft invoices, and a credit note."""
        bruno = self._demo_ref("user_bruno")
        accountant = self.env.ref("base.user_admin")
        start_last, end_last = plan.billing_month
        end_before = plan.earlier_month[1]
        foreign = self._demo_ref("rate_foxglove_default").currency_id
        engagements = self._demo_engagements(
            company, bruno, start_last, end_last, foreign
        )
        invoicing = self._demo_can_invoice(company)
        earlier = self._demo_earlier_run(
            engagements,
            bruno,
            accountant,
            end_before,
            plan.earlier_invoice_date,
            invoicing,
        )
        self._demo_duplicate_entry(start_last, end_last)
        self._demo_last_month_run(
            engagements, bruno, end_last, plan.review_invoice_date, invoicing
        )
        if invoicing:
            self._demo_credit_note(
                earlier, engagements["acme_spring"], accountant, plan.credit_note_day
            )

    @api.model
    def _demo_engagements(self, company, bruno, start_last, end_last, foreign):
        """The time & materials projects' engagements, Bruno owning them all."""
        ref = self._demo_ref
        engagements = {}
        for key, name, client, projects, increment, method, grouping in ENGAGEMENTS:
            values = {
                "name": name,
                "company_id": company.id,
                "partner_id": ref(f"client_{client}").id,
                "user_id": bruno.id,
                "currency_id": company.currency_id.id,
                "rounding_increment": increment,
                "rounding_method": method,
                "grouping": grouping,
            }
            if key == "evergreen_app":
                values["cap_amount"] = self._demo_cap(
                    [ref(f"project_{p}").id for p in projects], end_last
                )
            if key == "foxglove_lookbook":
                values.update(currency_id=foreign.id, date_start=start_last)
                self._demo_client_currency(company, ref("client_foxglove"), foreign)
            engagement = self.env["agency.engagement"].create(values)
            self._demo_register(f"engagement_{key}", engagement)
            for project in projects:
                ref(f"project_{project}").agency_engagement_id = engagement
            engagements[key] = engagement
        return engagements

    @api.model
    def _demo_cap(self, project_ids, end_last):
        """A round cap above what the approved time up to last month is worth."""
        [(worth,)] = self.env["account.analytic.line"]._read_group(
            [
                ("project_id", "in", project_ids),
                ("approval_state", "=", "approved"),
                ("date", "<=", end_last),
            ],
            [],
            ["agency_amount:sum"],
        )
        return max(1.0, math.ceil((worth or 0.0) * CAP_HEADROOM / CAP_STEP)) * CAP_STEP

    @api.model
    def _demo_client_currency(self, company, client, currency):
        """Foxglove buys in its own currency (its pricelist says so)."""
        pricelist = self._demo_register(
            "pricelist_foxglove",
            self.env["product.pricelist"].create(
                {
                    "name": f"Foxglove Fashion ({currency.name})",
                    "currency_id": currency.id,
                    "company_id": company.id,
                }
            ),
        )
        client.with_company(company).property_product_pricelist = pricelist

    @api.model
    def _demo_can_invoice(self, company):
        """Invoices need a sales journal (a chart of accounts)."""
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        if not journal:
            _logger.info(
                "Demo billing: %s has no sales journal (no chart of accounts): "
                "runs are collected and checked, no invoice is made.",
                company.name,
            )
        return bool(journal)

    @api.model
    def _demo_mark_reviewed(self, lines, owner):
        """The owner acknowledges the warnings they own and marks the lines
        reviewed."""
        warnings = lines.check_ids.filtered(
            lambda c: (
                c.state == "open" and c.severity == "warning" and c.owner_id == owner
            )
        )
        warnings.with_user(owner).action_acknowledge()
        lines.with_user(owner).action_mark_reviewed()

    @api.model
    def _demo_earlier_run(
        self, engagements, bruno, accountant, day, invoice_date, invoicing
    ):
        """The month before last for Acme and Evergreen: collected, reviewed,
        invoiced and posted by the accountant."""
        run = (
            self.env["agency.billing.run"]
            .with_user(bruno)
            .create(
                {
                    "date_to": day,
                    "invoice_date": invoice_date,
                    "engagement_ids": [
                        (
                            6,
                            0,
                            (
                                engagements["acme_spring"]
                                | engagements["evergreen_app"]
                            ).ids,
                        )
                    ],
                }
            )
        )
        self._demo_register("billing_run_earlier", run)
        run.action_collect()
        self._demo_mark_reviewed(run.line_ids, bruno)
        if invoicing:
            run.with_user(bruno).action_create_invoices()
            invoices = run.invoice_ids
            invoices.with_user(accountant).action_post()
            for invoice in invoices:
                key = next(
                    k
                    for k, e in engagements.items()
                    if e == invoice.agency_engagement_id
                )
                self._demo_register(f"invoice_earlier_{key}", invoice)
        return run

    @api.model
    def _demo_duplicate_entry(self, start_last, end_last):
        """Yuki logged a Foxglove entry twice (the timer and by hand)."""
        Line = self.env["account.analytic.line"]
        original = Line.search(
            [
                ("project_id", "=", self._demo_ref("project_foxglove_lookbook").id),
                ("employee_id", "=", self._demo_ref("employee_yuki").id),
                ("approval_state", "=", "approved"),
                ("date", ">=", start_last),
                ("date", "<=", end_last),
            ],
            order="date, id",
            limit=1,
        )
        if not original:
            return Line
        copy = Line.create(
            {
                "employee_id": original.employee_id.id,
                "project_id": original.project_id.id,
                "task_id": original.task_id.id,
                "date": original.date,
                "unit_amount": original.unit_amount,
                "name": original.name,
            }
        )
        copy._agency_set_state("submitted", {})
        copy._agency_set_state("approved", {"approved_on": fields.Datetime.now()})
        copy._agency_freeze_rates()
        return self._demo_register("entry_foxglove_duplicate", copy)

    @api.model
    def _demo_last_month_run(
        self, engagements, bruno, end_last, invoice_date, invoicing
    ):
        """Last month's run: Acme written down, Acme, Citrus and Evergreen
        reviewed and invoiced (drafts); Foxglove blocked."""
        run = (
            self.env["agency.billing.run"]
            .with_user(bruno)
            .create(
                {
                    "date_to": end_last,
                    "invoice_date": invoice_date,
                    "engagement_ids": [(6, 0, [e.id for e in engagements.values()])],
                }
            )
        )
        self._demo_register("billing_run_last_month", run)
        run.action_collect()
        acme = run.line_ids.filtered(
            lambda line: line.engagement_id == engagements["acme_spring"]
        )
        entry = self.env["account.analytic.line"].search(
            [
                ("agency_run_id", "=", run.id),
                ("project_id", "=", self._demo_ref("project_acme_spring").id),
                ("unit_amount", ">=", 1.5),
            ],
            order="date, id",
            limit=1,
        )
        if entry:
            adjustment = (
                self.env["agency.billing.adjustment"]
                .with_user(bruno)
                .create(
                    {
                        "run_line_id": acme.id,
                        "entry_id": entry.id,
                        "direction": "down",
                        "basis": "hours",
                        "hours": 1.0,
                        "reason": "inefficiency",
                        "note": WRITE_DOWN_NOTE,
                    }
                )
            )
            self._demo_register("billing_adjustment_acme_write_down", adjustment)
        reviewed = run.line_ids.filtered(
            lambda line: line.engagement_id != engagements["foxglove_lookbook"]
        )
        self._demo_mark_reviewed(reviewed, bruno)
        if invoicing:
            run.with_user(bruno).action_create_invoices()
        return run

    @api.model
    def _demo_credit_note(self, run, engagement, accountant, day):
        """A credit note for one line of the earlier Acme invoice: its entries
        are free for the next run."""
        invoice = run.invoice_ids.filtered(
            lambda move: move.agency_engagement_id == engagement
        )
        if not invoice:
            return self.env["account.move"]
        lines = invoice.invoice_line_ids.sorted("sequence")
        kept = (
            lines.filtered(lambda line: CREDIT_TASK in (line.name or ""))[:1]
            or lines[-1:]
        )
        reversal = (
            self.env["account.move.reversal"]
            .with_user(accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "journal_id": invoice.journal_id.id,
                    "reason": CREDIT_REASON,
                    "date": day,
                }
            )
        )
        action = reversal.refund_moves()
        refund = self.env["account.move"].browse(action["res_id"])
        refund.invoice_line_ids.filtered(
            lambda line: line.agency_reversed_line_id != kept
        ).unlink()
        refund.with_user(accountant).action_post()
        return self._demo_register("credit_note_acme", refund)

    # -- the retainer --

    @api.model
    def _demo_workday(self, employee, month_start, nth):
        """The person's nth working day of the month (1: the first, -1: the
        last), by their calendar, leave and the studio's days off skipped."""
        tz = pytz.timezone(employee.tz or "UTC")
        start = tz.localize(datetime.combine(month_start, time.min))
        end = tz.localize(datetime.combine(month_end(month_start), time.max))
        resource = employee.resource_id
        intervals = employee.resource_calendar_id._work_intervals_batch(
            start, end, resources=resource, tz=tz
        )[resource.id]
        days = sorted({begin.date() for begin, _stop, _records in intervals})
        if not days:
            return month_start
        index = nth - 1 if nth > 0 else nth
        return days[max(-len(days), min(index, len(days) - 1))]

    @api.model
    def _demo_retainer(self, company, plan):
        """Dune Museum's social retainer over the three months up to last
        month: a roll-over, an expiry and an overage month, each billed by a
        run of its own and posted."""
        ref = self._demo_ref
        bruno = ref("user_bruno")
        accountant = self.env.ref("base.user_admin")
        months = plan.retainer_months
        engagement = self._demo_register(
            "engagement_dune_social",
            self.env["agency.engagement"].create(
                dict(
                    RETAINER,
                    kind="retainer",
                    company_id=company.id,
                    partner_id=ref("client_dune").id,
                    user_id=bruno.id,
                    currency_id=company.currency_id.id,
                    date_start=months[0],
                    retainer_period="month",
                )
            ),
        )
        project = self._demo_register(
            "project_dune_social",
            self.env["project.project"].create(
                {
                    "name": RETAINER["name"],
                    "partner_id": ref("client_dune").id,
                    "user_id": ref("user_pedro").id,
                    "company_id": company.id,
                    "allow_timesheets": True,
                    "privacy_visibility": "employees",
                    "tag_ids": [(6, 0, ref("tag_retainer").ids)],
                    "agency_engagement_id": engagement.id,
                    "task_ids": [
                        (0, 0, {"name": name, "sequence": sequence})
                        for sequence, name in enumerate(RETAINER_TASKS)
                    ],
                }
            ),
        )
        tasks = {task.name: task for task in project.task_ids}
        for name, task in tasks.items():
            slug = "".join(c if c.isalnum() else "_" for c in name.lower())
            self._demo_register(f"task_dune_social_{slug}", task)
        vals_list = []
        for month, entries in zip(months, RETAINER_TIME, strict=True):
            for person, nth, hours, task, note in entries:
                employee = ref(f"employee_{person}")
                vals_list.append(
                    {
                        "employee_id": employee.id,
                        "project_id": project.id,
                        "task_id": tasks[task].id,
                        "date": self._demo_workday(employee, month, nth),
                        "unit_amount": hours,
                        "name": note,
                    }
                )
        lines = self.env["account.analytic.line"].create(vals_list)
        lines._agency_set_state("submitted", {})
        lines._agency_set_state("approved", {"approved_on": fields.Datetime.now()})
        lines._agency_freeze_rates()
        invoicing = self._demo_can_invoice(company)
        for number, month in enumerate(months, start=1):
            end = month_end(month)
            run = self._demo_register(
                f"billing_run_dune_social_{number}",
                self._demo_billed_run(
                    engagement,
                    bruno,
                    accountant,
                    end,
                    end + timedelta(days=1),
                    invoicing,
                ),
            )
            if run.invoice_ids:
                self._demo_register(f"invoice_dune_social_{number}", run.invoice_ids)
        for number, period in enumerate(
            engagement.retainer_period_ids.sorted("date_start"), start=1
        ):
            self._demo_register(f"retainer_period_dune_social_{number}", period)
        return engagement

    @api.model
    def _demo_billed_run(
        self, engagement, owner, accountant, day, invoice_date, invoicing
    ):
        """A run of one engagement up to `day`: collected, reviewed by its
        owner, invoiced and posted by the accountant."""
        run = (
            self.env["agency.billing.run"]
            .with_user(owner)
            .create(
                {
                    "date_to": day,
                    "invoice_date": invoice_date,
                    "engagement_ids": [(6, 0, engagement.ids)],
                }
            )
        )
        run.action_collect()
        self._demo_mark_reviewed(run.line_ids, owner)
        if invoicing:
            run.with_user(owner).action_create_invoices()
            run.invoice_ids.with_user(accountant).action_post()
        return run

    # -- the fixed fee --

    @api.model
    def _demo_effort(self, project, day):
        """What the approved time of the project up to `day` is worth at the
        cards."""
        [(worth,)] = self.env["account.analytic.line"]._read_group(
            [
                ("project_id", "=", project.id),
                ("approval_state", "=", "approved"),
                ("agency_rate_state", "=", "priced"),
                ("date", "<=", day),
            ],
            [],
            ["agency_amount:sum"],
        )
        return worth or 0.0

    @api.model
    def _demo_fixed_fee(self, company, plan):
        """Acme Website Refresh at a fixed fee: the kick-off invoiced the month
        before last, the design milestone and a change order last month, and
        the effort beyond the fee written off by last month's run."""
        ref = self._demo_ref
        bruno = ref("user_bruno")
        accountant = self.env.ref("base.user_admin")
        end_last = plan.billing_month[1]
        end_before = plan.earlier_month[1]
        first = plan.fixed_fee_start
        project = ref("project_acme_web")
        project.allow_milestones = True
        milestone = self._demo_register(
            "milestone_acme_web_design",
            self.env["project.milestone"].create(
                {
                    "name": FIXED_MILESTONE,
                    "project_id": project.id,
                    "deadline": plan.milestone_deadline,
                }
            ),
        )
        fee = max(
            FIXED_FEE_STEP,
            math.ceil(self._demo_effort(project, end_before) / FIXED_FEE_STEP)
            * FIXED_FEE_STEP,
        )
        launch = plan.launch_day
        (kickoff, design, final), shares = zip(*FIXED_SCHEDULE, strict=True)
        engagement = self._demo_register(
            "engagement_acme_web",
            self.env["agency.engagement"].create(
                {
                    "name": FIXED_FEE_NAME,
                    "kind": "fixed_fee",
                    "company_id": company.id,
                    "partner_id": ref("client_acme").id,
                    "user_id": bruno.id,
                    "currency_id": company.currency_id.id,
                    "date_start": first,
                    "fee_amount": fee,
                    "schedule_line_ids": [
                        (0, 0, {"sequence": 1, "name": kickoff, "trigger": "date",
                                "date_due": first, "percent": shares[0]}),
                        (0, 0, {"sequence": 2, "name": design,
                                "trigger": "milestone",
                                "milestone_id": milestone.id, "percent": shares[1]}),
                        (0, 0, {"sequence": 3, "name": final, "trigger": "date",
                                "date_due": launch, "percent": shares[2]}),
                    ],
                }
            ),
        )  # fmt: skip
        project.agency_engagement_id = engagement
        for key, line in zip(
            ("kickoff", "design", "launch"),
            engagement.schedule_line_ids.sorted("sequence"),
            strict=True,
        ):
            self._demo_register(f"schedule_acme_web_{key}", line)
        invoicing = self._demo_can_invoice(company)
        earlier = self._demo_billed_run(
            engagement,
            bruno,
            accountant,
            end_before,
            plan.earlier_invoice_date,
            invoicing,
        )
        self._demo_register("billing_run_acme_web_earlier", earlier)
        # Last month: the design was signed off, then the scope grew.
        milestone.is_reached = True
        milestone.reached_date = plan.milestone_reached
        extra = self._demo_effort(project, end_last) - fee
        self._demo_register(
            "change_order_acme_web",
            self.env["agency.change.order"].create(
                {
                    "engagement_id": engagement.id,
                    "name": CHANGE_ORDER_NAME,
                    "date": plan.change_order_day,
                    "amount": max(
                        CHANGE_ORDER_STEP,
                        math.floor(extra * CHANGE_ORDER_SHARE / CHANGE_ORDER_STEP)
                        * CHANGE_ORDER_STEP,
                    ),
                    "reason": CHANGE_ORDER_REASON,
                    "user_id": bruno.id,
                }
            ),
        )
        last = self._demo_billed_run(
            engagement,
            bruno,
            accountant,
            end_last,
            plan.closing_invoice_date,
            invoicing,
        )
        self._demo_register("billing_run_acme_web_last_month", last)
        writeoff = last.adjustment_ids.filtered(lambda a: a.reason == "overrun")
        if writeoff:
            self._demo_register("billing_adjustment_acme_web_overrun", writeoff[:1])
        for key, run in (("earlier", earlier), ("last_month", last)):
            if run.invoice_ids:
                self._demo_register(f"invoice_acme_web_{key}", run.invoice_ids)
        return engagement


def _receipt_pdf(title, amount):
    """A one-page PDF receipt (the demo's scan)."""
    text = f"BT /F1 18 Tf 72 720 Td ({title}: {amount:.2f}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out
