"""agency_forecast's step of `agency.demo`, the model the demo data XML calls
(demo/agency_forecast_demo.xml); as in agency_billing/demo/agency_demo.py, one
call into a plain function of this ``demo/`` package."""

from odoo import api, models

from . import warnings


class AgencyDemo(models.AbstractModel):
    _inherit = "agency.demo"

    @api.model
    def _generate_forecast_demo(self, today=None):
        """The early warnings' stories and their evaluation (warnings.py)."""
        warnings.build(self.env, today)
