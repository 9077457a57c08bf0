"""The early warnings' stories in the demo agency (filled in below), then one
evaluation of every warning as of the demo's `today`."""

from odoo.addons.agency_timesheet.demo.common import demo_env, plan_for, ref


def build(env, today=None):
    """Evaluate the demo agency's warnings (once: a second call only
    re-evaluates)."""
    if not ref(env, "employee_paula"):
        return
    plan = plan_for(env, today)
    company = env.ref("base.main_company")
    demo = demo_env(env, company)
    demo["agency.warning"]._cron_evaluate(plan.today)
