from datetime import date

from odoo.addons.agency_timesheet.tests.common import AgencyCase


class RateCase(AgencyCase):
    """AgencyCase plus clients with projects, and helpers to write rate lines.

    Dates are fixed (March–April 2026) so that boundaries read plainly.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # The tests write their own cards: the demo agency's are put aside.
        env["agency.rate"].search([]).active = False
        cls.currency = cls.company.currency_id
        cls.acme = env["res.partner"].create({"name": "Acme", "is_company": True})
        cls.acme_contact = env["res.partner"].create(
            {"name": "Jo Acme", "parent_id": cls.acme.id}
        )
        cls.bright = env["res.partner"].create({"name": "Bright", "is_company": True})
        cls.project.partner_id = cls.acme
        cls.acme_web = env["project.project"].create(
            {"name": "Acme Web", "allow_timesheets": True, "partner_id": cls.acme.id}
        )
        cls.bright_project = env["project.project"].create(
            {
                "name": "Bright Brand",
                "allow_timesheets": True,
                "partner_id": cls.bright.id,
            }
        )
        cls.internal = env["project.project"].create(
            {"name": "Studio Internal", "allow_timesheets": True}
        )
        cls.dani = cls.employees["user"]
        cls.dani.hourly_cost = 40.0
        cls.paula = cls.employees["producer"]
        cls.paula.hourly_cost = 55.0

    @classmethod
    def rate(cls, bill_rate, **vals):
        """A rate line in the company's currency (dates as 'YYYY-MM-DD')."""
        return cls.env["agency.rate"].create(
            {
                "bill_rate": bill_rate,
                "currency_id": vals.pop("currency_id", cls.currency.id),
                **vals,
            }
        )

    @classmethod
    def entry(cls, hours=2.0, day="2026-03-02", employee=None, **vals):
        return cls.log(employee or cls.dani, hours, day=day, **vals)

    @staticmethod
    def day(text):
        return date.fromisoformat(text)

    @classmethod
    def two_currencies(cls):
        """Two active currencies other than the company's (EUR, GBP or CHF):
        the rates' and the client's."""
        others = [
            cls.env.ref(xmlid)
            for xmlid in ("base.EUR", "base.GBP", "base.CHF")
            if cls.env.ref(xmlid) != cls.currency
        ]
        (others[0] | others[1]).active = True
        return others[0], others[1]


class BillingCase(RateCase):
    """RateCase plus an engagement for Acme (both its projects), a company
    default rate of 100 an hour and helpers to approve time and run billing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["agency.engagement"].search([]).active = False
        env["project.project"].search([]).sudo().write({"agency_engagement_id": False})
        cls.default_rate = cls.rate(100.0, date_from="2026-01-01")
        cls.biller = cls.users["billing"]
        cls.engagement = env["agency.engagement"].create(
            {
                "name": "Acme T&M",
                "partner_id": cls.acme.id,
                "user_id": cls.biller.id,
                "rounding_increment": "15",
                "rounding_method": "up",
                "grouping": "task",
            }
        )
        (cls.project | cls.acme_web).agency_engagement_id = cls.engagement
        cls.web_task = env["project.task"].create(
            {"name": "Landing page", "project_id": cls.acme_web.id}
        )

    @classmethod
    def approved(cls, hours=2.0, day="2026-03-02", **vals):
        line = cls.entry(hours, day=day, **vals)
        line.sudo().write({"approval_state": "approved"})
        return line

    @classmethod
    def new_run(cls, **vals):
        return (
            cls.env["agency.billing.run"]
            .with_user(vals.pop("user", cls.biller))
            .create(
                {
                    "date_to": "2026-03-31",
                    "invoice_date": "2026-04-01",
                    "engagement_ids": [(6, 0, cls.engagement.ids)],
                    **vals,
                }
            )
        )

    def review_and_invoice(self, run):
        """Collect, mark every engagement reviewed and invoice: the invoices."""
        if run.state == "draft":
            run.action_collect()
        run.line_ids.filtered(lambda line: line.state == "review").with_user(
            self.users["admin"]
        ).action_mark_reviewed()
        run.action_create_invoices()
        return run.invoice_ids

    def credit_in_full(self, invoice, day=None):
        """Post invoice and a credit note of all of it (dated day): the
        posted credit note, which frees the invoice's entries."""
        invoice.action_post()
        values = {"journal_id": invoice.journal_id.id, "reason": "dispute"}
        if day:
            values["date"] = day
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(values)
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.action_post()
        return refund

    def assert_phase_over_after_invoiced(self, log):
        """log(hours, day) 3 h, invoiced; then 1.5 h: 4.5 h past a 4 h phase
        budget, a blocking check on the new entry only."""
        log(3.0, "2026-03-02")
        self.review_and_invoice(self.new_run())
        later = log(1.5, "2026-03-10")
        run = self.new_run()
        run.action_collect()
        check = run.check_ids.filtered(lambda check: check.code == "phase_budget")
        self.assertEqual(check.severity, "blocking")
        self.assertEqual(check.entry_ids, later)
        self.assertIn(
            "1.5 h after 3 h already billed, past its budget of 4 h", check.message
        )
