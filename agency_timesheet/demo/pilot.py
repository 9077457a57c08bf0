"""The demo's pilot: two teams, Design and Development, with Dani and Paula as
its champions in a *Pilot Champions* channel, turned on as the demo's last
step.

Everything before it (three months of time, approvals, billing runs,
adoption history) is built as it would have been with everyone on the new
habits; the pilot then narrows reminders, lock dates, the approval requirement
and the unapproved-time check to the two teams. The last add-on with demo data
being installed turns it on: agency_timesheet's step does nothing when
agency_billing or agency_forecast follow (their steps turn it on instead).
Tests start from stock policies (tests/common.py: ``stock_policies``).
"""

from .common import ref, register

PILOT_TEAMS = ("Design", "Development")
CHAMPIONS = ("dani", "paula")
ADDONS = ("agency_timesheet", "agency_billing", "agency_forecast")


def later_demo(env, addon):
    """Whether an add-on whose demo follows `addon`'s is installed or being
    installed."""
    later = ADDONS[ADDONS.index(addon) + 1 :]
    return bool(
        env["ir.module.module"]
        .sudo()
        .search_count(
            [
                ("name", "in", list(later)),
                ("state", "in", ("installed", "to install", "to upgrade")),
            ]
        )
    )


def build(env, addon):
    """Turn the pilot on, unless a later add-on's demo will (or the demo
    agency was not built)."""
    if not ref(env, "employee_paula") or later_demo(env, addon):
        return
    company = env.ref("base.main_company")
    teams = env["hr.department"].search(
        [("name", "in", PILOT_TEAMS), ("company_id", "=", company.id)]
    )
    channel = ref(env, "channel_champions") or register(
        env,
        "channel_champions",
        env["discuss.channel"].create(
            {
                "name": "Pilot Champions",
                "description": "Send feedback lands here: what helps, what hurts.",
            }
        ),
    )
    champion = env.ref("agency_timesheet.group_agency_champion")
    users = env["res.users"].concat(
        *(ref(env, f"user_{key}") for key in CHAMPIONS if ref(env, f"user_{key}"))
    )
    users.write({"groups_id": [(4, champion.id)]})
    company.write(
        {
            "agency_pilot_scope": "selected",
            "agency_pilot_department_ids": [(6, 0, teams.ids)],
            "agency_champion_channel_id": channel.id,
        }
    )
