"""Settings › Agency: the company's time capture, approval and retention settings,
and the global sign-in settings (SSO users' level, two-factor for money roles,
kept as system parameters; what they do is in models/res_users.py). Turning the
two-factor requirement on is refused while a Billing user or Agency
Administrator has no two-factor authentication (named, with the way out), so
nobody is locked out by the switch.
"""

from odoo import fields, models
from odoo.exceptions import UserError

from ..sign_in import MONEY_GROUPS, SSO_PARAM, TOTP_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    agency_timer_max_hours = fields.Float(
        related="company_id.agency_timer_max_hours", readonly=False
    )
    agency_timer_stop_at_day_end = fields.Boolean(
        related="company_id.agency_timer_stop_at_day_end", readonly=False
    )
    agency_timers_visible_to_producers = fields.Boolean(
        related="company_id.agency_timers_visible_to_producers", readonly=False
    )
    agency_timesheet_lock_date = fields.Date(
        related="company_id.agency_timesheet_lock_date", readonly=False
    )
    agency_week_start = fields.Selection(
        related="company_id.agency_week_start", readonly=False
    )
    agency_pilot_scope = fields.Selection(
        related="company_id.agency_pilot_scope", readonly=False
    )
    agency_pilot_department_ids = fields.Many2many(
        related="company_id.agency_pilot_department_ids", readonly=False
    )
    agency_pilot_employee_ids = fields.Many2many(
        related="company_id.agency_pilot_employee_ids", readonly=False
    )
    agency_pilot_project_ids = fields.Many2many(
        related="company_id.agency_pilot_project_ids", readonly=False
    )
    agency_champion_channel_id = fields.Many2one(
        related="company_id.agency_champion_channel_id", readonly=False
    )
    agency_submit_deadline_weekday = fields.Selection(
        related="company_id.agency_submit_deadline_weekday", readonly=False
    )
    agency_submit_deadline_hour = fields.Integer(
        related="company_id.agency_submit_deadline_hour", readonly=False
    )
    agency_reminder_share = fields.Float(
        related="company_id.agency_reminder_share", readonly=False
    )
    agency_allow_self_approval = fields.Boolean(
        related="company_id.agency_allow_self_approval", readonly=False
    )
    agency_suggestion_retention_days = fields.Integer(
        related="company_id.agency_suggestion_retention_days", readonly=False
    )
    agency_retention_timer_months = fields.Integer(
        related="company_id.agency_retention_timer_months", readonly=False
    )
    agency_retention_departed_months = fields.Integer(
        related="company_id.agency_retention_departed_months", readonly=False
    )
    agency_retention_import_months = fields.Integer(
        related="company_id.agency_retention_import_months", readonly=False
    )
    agency_retention_audit_years = fields.Integer(
        related="company_id.agency_retention_audit_years", readonly=False
    )
    agency_retention_activity_days = fields.Integer(
        related="company_id.agency_retention_activity_days", readonly=False
    )
    agency_audit_per_entry = fields.Boolean(
        related="company_id.agency_audit_per_entry", readonly=False
    )
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

    def action_agency_company_activity_token(self):
        """The company's activity endpoint token (Agency administrators)."""
        return self.company_id.action_agency_activity_token()
