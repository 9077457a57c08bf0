"""agency_billing's step of the demo agency, built in one call, in this order:

the rate cards (rates.py), the time & materials conveyor (billing.py), the
retainer (retainer.py), the fixed fee (fixed_fee.py) and the expenses
(expenses.py); each once (a second call does nothing). Built on the studio
agency_timesheet generates (agency_timesheet/demo/build.py), its dates from the
same plan (agency_timesheet/demo/plan.py), made from the day the demo agency
was built.

The conveyor, the retainer, the fixed fee and the expenses are each built in a
savepoint: an older demo database whose time no longer fits the dates keeps
the rest of the demo (a warning in the log says what was not built).
"""

import logging

from odoo.exceptions import UserError

from odoo.addons.agency_timesheet.demo.common import demo_env, plan_for, ref

from . import billing, expenses, fixed_fee, rates, retainer

_logger = logging.getLogger(__name__)


def build(env, today=None):
    """Add the rate cards, then the billing conveyor, to the demo agency
    (each once; a second call does nothing). Its dates are planned from
    `today`, by default the day the demo agency was built for."""
    if not ref(env, "employee_paula"):
        return
    plan = plan_for(env, today)
    company = env.ref("base.main_company")
    demo = demo_env(env, company)
    if not ref(env, "rate_company_default"):
        foreign = rates.build_foreign_currency(demo, company, plan)
        # From the retainer's first month too (it may start before the
        # time generated for everyone): its time is priced.
        rates.build_rates(demo, company, plan, foreign)
    if not ref(env, "engagement_acme_spring"):
        try:
            with env.cr.savepoint():
                billing.build_conveyor(demo, company, plan)
        except UserError as error:
            # An older demo database whose time no longer fits the dates:
            # the rest of the demo stands without the conveyor.
            env.invalidate_all()
            _logger.warning("Demo billing conveyor not built: %s", error)
    for key, step, what in (
        ("engagement_dune_social", retainer.build_retainer, "retainer"),
        ("engagement_acme_web", fixed_fee.build_fixed_fee, "fixed fee"),
    ):
        if ref(env, key):
            continue
        try:
            with env.cr.savepoint():
                step(demo, company, plan)
        except UserError as error:
            env.invalidate_all()
            _logger.warning("Demo %s not built: %s", what, error)
    expenses.build(demo, plan.today)
