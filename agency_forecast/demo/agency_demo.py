"""agency_forecast's step of `agency.demo`, the model the demo data XML calls
(demo/agency_forecast_demo.xml); as in agency_billing/demo/agency_demo.py, one
call into a plain function of this ``demo/`` package."""

from odoo import api, models

from odoo.addons.agency_timesheet.demo.common import demo_env, plan_for, ref

from . import bookings, warnings


class AgencyDemo(models.AbstractModel):
    _inherit = "agency.demo"

    @api.model
    def _generate_forecast_demo(self, today=None):
        """The early warnings' stories and their evaluation (warnings.py)."""
        warnings.build(self.env, today)

    @api.model
    def _generate_booking_demo(self, today=None):
        """The bookings of the next 12 weeks and their stories (bookings.py)."""
        if not ref(self.env, "employee_paula"):
            return
        company = self.env.ref("base.main_company")
        bookings.build(demo_env(self.env, company), plan_for(self.env, today))
