"""What every demo step shares: where its records are registered, the
environment it builds in, and the plan of its dates.

The demo agency's records are registered under the pseudo-module
``agency_demo`` (``env.ref("agency_demo.employee_paula")``): those external ids
survive an uninstall of the add-ons, so the sample data stays usable as plain
Odoo data. The day the demo is built for is kept in the system parameter
``agency_demo.today``, so that every step, agency_billing's included, plans its
dates (plan.py) from the same day.
"""

from odoo import fields

from .plan import demo_plan

DEMO_MODULE = "agency_demo"
# The system parameter that keeps the day the demo agency was built for.
TODAY_PARAM = "agency_demo.today"


def ref(env, name):
    """The demo record registered as `name`, or None."""
    return env.ref(f"{DEMO_MODULE}.{name}", raise_if_not_found=False)


def register(env, name, record):
    """Register `record` as the demo's `name` (not updated on module update)."""
    env["ir.model.data"]._update_xmlids(
        [{"xml_id": f"{DEMO_MODULE}.{name}", "record": record, "noupdate": True}]
    )
    return record


def slug(name):
    """`name` as a piece of an external id ("Revisions round 1" gives
    "revisions_round_1")."""
    return "".join(c if c.isalnum() else "_" for c in name.lower())


def demo_env(env, company, **context):
    """`env` in `company`, with no tracking or chatter notes (a demo step)."""
    return (
        env["agency.demo"]
        .with_company(company)
        .with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True, **context
        )
        .env
    )


def plan_for(env, today=None):
    """Every date of the demo (plan.py), planned from `today`; by default from
    the day the demo agency was built, or the real today before it is."""
    if not today:
        today = env["ir.config_parameter"].sudo().get_param(TODAY_PARAM)
    today = fields.Date.to_date(today) or fields.Date.context_today(env["agency.demo"])
    company = env.ref("base.main_company")
    return demo_plan(today, int(company.agency_week_start or 0))


def remember_today(env, today=None):
    """Keep the day the demo is built for (the real today by default) and
    return it."""
    today = fields.Date.to_date(today) or fields.Date.context_today(env["agency.demo"])
    env["ir.config_parameter"].sudo().set_param(
        TODAY_PARAM, fields.Date.to_string(today)
    )
    return today
