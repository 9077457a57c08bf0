"""The pilot's champions (Agency › Champion, security/agency_security.xml):
the people who bring the team along. They are the members of their company's
champions' channel (Settings › Agency › Pilot; *Send feedback* posts there)
and read the adoption dashboard.

Membership follows the group: whenever a person becomes a champion, or a
company names its channel, the champions of that company join it. Nobody is
removed: people an administrator invited stay, and a former champion leaves
the channel as anyone leaves a Discuss channel.
"""

CHAMPION_GROUP = "agency_timesheet.group_agency_champion"


def champions(env, company):
    """The active champions who work in `company`."""
    group = env.ref(CHAMPION_GROUP, raise_if_not_found=False)
    if not group:
        return env["res.users"]
    return group.sudo().users.filtered(
        lambda user: user.active and company in user.company_ids
    )


def sync_channels(env, companies=None):
    """Make every champion a member of their company's champions' channel
    (of `companies`, by default every company that names one)."""
    Company = env["res.company"].sudo()
    companies = (
        companies.sudo()
        if companies is not None
        else Company.search([("agency_champion_channel_id", "!=", False)])
    )
    for company in companies:
        channel = company.agency_champion_channel_id
        if not channel:
            continue
        missing = champions(env, company).partner_id - (
            channel.sudo().channel_member_ids.partner_id
        )
        if missing:
            channel.sudo().add_members(
                partner_ids=missing.ids, post_joined_message=False
            )
