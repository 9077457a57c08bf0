"""Settings › Agency › Sign-in: SSO users' level and two-factor for money roles.

Both are global (sign-in happens before a company is chosen), kept as system
parameters; what they do is in models/res_users_security.py. Turning the
two-factor requirement on is refused while a Billing user or Agency
Administrator has no two-factor authentication (named, with the way out), so
nobody is locked out by the switch.
"""

from odoo import fields, models
from odoo.exceptions import UserError

from .res_users_security import MONEY_GROUPS, SSO_PARAM, TOTP_PARAM


# A second _inherit on purpose: sign-in and secrets are one concern, apart from
# res_config_settings.py (the company's settings).
class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    agency_sso_agency_user = fields.Boolean(
        string="SSO Users Get Agency User",
        config_parameter=SSO_PARAM,
        help="People who sign up through an identity provider (OAuth: Google, "
        "Microsoft Entra ID, Keycloak...) get the Internal User and Agency User "
        "groups only, whatever the sign-up template user has. An administrator "
        "raises them afterwards.",
    )
    agency_require_totp_money = fields.Boolean(
        string="Require Two-Factor for Billing and Administrators",
        config_parameter=TOTP_PARAM,
        help="Billing users and Agency Administrators must use two-factor "
        "authentication: without it they cannot sign in, be added to those "
        "groups, or turn it off.",
    )

    def set_values(self):
        if self.agency_require_totp_money:
            users = self.env["res.users"].sudo()
            for group in MONEY_GROUPS:
                users |= self.env.ref(group).sudo().users
            missing = users._agency_without_totp()
            if missing:
                raise UserError(
                    self.env._(
                        "Two-factor authentication cannot be required yet: "
                        "%(users)s have no two-factor authentication. Ask them to "
                        "turn it on in their Preferences › Account Security (or take "
                        "them out of Billing and Agency Administrators), then try "
                        "again. Nothing was changed.",
                        users=", ".join(missing.mapped("name")),
                    )
                )
        return super().set_values()
