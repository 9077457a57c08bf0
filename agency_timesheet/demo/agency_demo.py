"""`agency.demo`: the one model the demo data XML calls (demo/agency_demo.xml).

Odoo runs Python from data files through ``<function model=... name=.../>``
records, and a function record needs a model. This abstract model is that entry
point and nothing else: each method is one call into a plain function of this
``demo/`` package, which builds the records (build.py, suggestions.py). It
lives here, beside the generators, and not under ``models/`` (as Odoo's
``account/demo/account_demo.py`` does): the add-on's domain models never import
demo code (tests/test_layout.py holds that), and the add-on's ``__init__.py``
imports this package after its models. agency_billing adds its own step
(agency_billing/demo/agency_demo.py).
"""

from odoo import api, models

from . import build, integrations, pilot, suggestions
from .common import demo_env, plan_for


class AgencyDemo(models.AbstractModel):
    _name = "agency.demo"
    _description = "Agency demo data generator"

    @api.model
    def _demo_plan(self, today=None):
        """Every date of the demo (plan.py), planned from `today`; by default
        from the day the demo agency was built."""
        return plan_for(self.env, today)

    @api.model
    def _generate_timesheet_demo(self, today=None):
        """The people, projects and three months of time (build.py)."""
        build.build(self.env, today)

    @api.model
    def _generate_suggestion_demo(self, today=None):
        """A day of suggestions for Dani (suggestions.py)."""
        suggestions.build(self.env, today)

    @api.model
    def _generate_pilot_demo(self, addon="agency_timesheet"):
        """The pilot of two teams and its champions, the demo's last step
        (pilot.py: the last add-on with demo data turns it on)."""
        company = self.env.ref("base.main_company")
        pilot.build(demo_env(self.env, company), addon)

    @api.model
    def _generate_integration_demo(self, today=None):
        """Dani's calendar feed and webhook activity (integrations.py)."""
        integrations.build(self.env, today)
