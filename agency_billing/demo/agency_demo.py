"""agency_billing's step of `agency.demo`, the model the demo data XML calls
(demo/agency_rate_demo.xml).

As in agency_timesheet (agency_timesheet/demo/agency_demo.py): each method is
one call into a plain function of this ``demo/`` package, which builds the
records; the model lives beside them, not under ``models/``, so that no domain
model imports demo code.
"""

from odoo import api, models

from . import build, expenses


class AgencyDemo(models.AbstractModel):
    _inherit = "agency.demo"

    @api.model
    def _generate_billing_demo(self, today=None):
        """Rates, the conveyor, retainer, fixed fee and expenses (build.py)."""
        build.build(self.env, today)

    @api.model
    def _generate_expense_demo(self, today=None):
        """Expenses re-billed with their receipts (expenses.py)."""
        expenses.build(self.env, today)
