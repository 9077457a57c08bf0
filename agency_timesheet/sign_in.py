"""Sign-in rules' names: the settings (system parameters) for SSO users' level
and two-factor for money roles, the groups that count as money roles, and the
kind of the person's calendar feed secret (models/res_users.py)."""

SSO_PARAM = "agency_timesheet.sso_agency_user"
TOTP_PARAM = "agency_timesheet.require_totp_money"
MONEY_GROUPS = (
    "agency_timesheet.group_agency_billing",
    "agency_timesheet.group_agency_admin",
)
FEED_KIND = "calendar_feed"
