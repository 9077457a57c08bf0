"""The demo agency of agency_timesheet, built in one call, in this order:

roles, calendars and people (people.py), their days off (the studio's day off
and three weeks of leave), clients and projects (projects.py), three months of
time, the timers and the approval conveyor (timesheets.py). Every date comes
from one plan (plan.py) made from the day the demo is built, kept for the
steps that follow (agency_billing's, suggestions.py) in the system parameter
``agency_demo.today``.
"""

from . import adoption, people, projects, timesheets
from .common import demo_env, plan_for, ref, remember_today


def build(env, today=None):
    """Build the demo agency once (a second call does nothing), its dates
    planned from `today` (a date; the real today by default)."""
    if ref(env, "employee_paula"):
        return
    today = remember_today(env, today)
    plan = plan_for(env, today)
    company = env.ref("base.main_company")
    env = demo_env(env, company)
    roles = people.build_roles(env)
    calendars = people.build_calendars(env, company)
    employees = people.build_people(env, company, roles, calendars)
    days_off = people.build_leaves(env, company, employees, calendars, plan)
    studio = projects.build_projects(env, company, employees)
    timesheets.build_timesheets(env, company, employees, studio, days_off, plan)
    timesheets.build_timers(env, studio, plan)
    timesheets.build_review(env, plan)
    adoption.build_adoption(env, company, employees, plan)
