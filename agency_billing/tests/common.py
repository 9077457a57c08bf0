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
