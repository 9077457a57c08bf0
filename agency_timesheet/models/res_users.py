"""The agency's preferences of a user (timers, suggestions, reminders), who joins
Billing and Administrators (audited), and the person's secrets and sign-in
rules: the calendar feed URL, the activity webhooks' opt-ins and token,
SSO, two-factor.

* ``agency_calendar_feed_url``: the personal calendar feed (an .ics URL, which
  usually carries a private token) the suggestions import from. It is never a
  column of res_users: it is kept encrypted in ``agency.secret``
  (models/agency_secret.py); only the person reads and sets it.
* Activity webhooks (controllers/activity_webhook.py): each source is off
  until the person turns it on (git pushes, Jira/Asana updates, generic
  events); the person's endpoint token is an encrypted secret
  (``integration_token``), shown once when made and never readable after.
* SSO (``auth_oauth``): with the setting "SSO users get Agency User" on, a user
  created by an identity provider's sign-up gets exactly Internal User + Agency
  User, whatever groups the sign-up template carries.
* Two-factor (``auth_totp``): with the setting "Require two-factor for Billing
  and Administrators" on, a Billing user or Agency Administrator without
  two-factor authentication is refused: adding them to those groups, turning
  two-factor off while in them, and signing in (the password alone is not
  enough).
"""

import logging

from odoo import Command, api, fields, models
from odoo.exceptions import AccessDenied, UserError, ValidationError

from .. import champions, membership
from ..activity_tokens import TOKEN_KIND, new_token_action
from ..sign_in import FEED_KIND, MONEY_GROUPS, SSO_PARAM, TOTP_PARAM
from .res_groups import touches_groups

_logger = logging.getLogger(__name__)

AGENCY_USER_FIELDS = [
    "agency_timer_switch",
    "agency_idle_minutes",
    "agency_suggestions_enabled",
    "agency_reminder_enabled",
    "agency_reminder_hour",
    "agency_activity_git",
    "agency_activity_tasks",
    "agency_activity_generic",
]
FEED_FIELDS = [
    "agency_calendar_feed_url",
    "agency_calendar_feed_set",
    "agency_activity_token_set",
]
ACTIVITY_FIELDS = {  # activity_events.SOURCE_GROUPS → the opt-in field
    "git": "agency_activity_git",
    "tasks": "agency_activity_tasks",
    "generic": "agency_activity_generic",
}


class ResUsers(models.Model):
    _inherit = "res.users"

    agency_timer_switch = fields.Selection(
        [("pause", "Pause it"), ("stop", "Stop it")],
        string="When I Start Another Timer",
        default="pause",
        required=True,
        help="What happens to your running timer when you start another one.",
    )
    agency_idle_minutes = fields.Integer(
        string="Idle After (minutes)",
        default=10,
        help="With a timer running and no keyboard or mouse input for this long, "
        "you are asked on your return whether to keep, discard or split the idle "
        "time. 0 turns the question off.",
    )
    agency_suggestions_enabled = fields.Boolean(
        string="Suggest Time Entries",
        help="Off by default. When on, the Suggestions screen proposes draft "
        "entries for a day from: calendar events you attended, tasks you wrote "
        "messages on or changed, what teammates on the same projects logged "
        "that day (project, task and hours only) and calendar files (.ics) you "
        "upload. Only you see your suggestions; nothing is ever submitted for you.",
    )

    agency_reminder_enabled = fields.Boolean(
        string="Timesheet Reminders",
        default=True,
        help="A gentle message at your chosen hour, on your working days only, when "
        "a day of the week so far has less time logged than expected.",
    )
    agency_reminder_hour = fields.Integer(
        string="Remind Me At",
        default=16,
        help="The hour of the day, in your own time zone (0-23).",
    )
    agency_reminded_on = fields.Date(
        readonly=True, copy=False, help="Technical: the last day you were reminded."
    )
    agency_digest_sent_on = fields.Date(
        readonly=True, copy=False, help="Technical: the last weekly digest sent."
    )

    agency_calendar_feed_url = fields.Char(
        string="Calendar Feed URL",
        compute="_compute_agency_calendar_feed_url",
        inverse="_inverse_agency_calendar_feed_url",
        help="The private address (https://... .ics) of your calendar's feed, as "
        "Google Calendar ('Secret address in iCal format'), Outlook ('Publish "
        "calendar', ICS link) or Apple Calendar give it. Suggestions can import "
        "its events. Stored encrypted; only you see it.",
    )
    agency_calendar_feed_set = fields.Boolean(
        string="Calendar Feed Set", compute="_compute_agency_calendar_feed_url"
    )

    agency_activity_git = fields.Boolean(
        string="Suggest From My Commits",
        help="Off by default. When on, GitHub or GitLab push events sent to your "
        "endpoint (or your company's, matched by your email) become suggestions: "
        "they read each commit's time, message, link, repository and author email, "
        "nothing else of the code.",
    )
    agency_activity_tasks = fields.Boolean(
        string="Suggest From Jira and Asana",
        help="Off by default. When on, Jira issue and Asana task updates become "
        "suggestions: they read the issue key or task, its title, link, project, "
        "the time of the update and who made it.",
    )
    agency_activity_generic = fields.Boolean(
        string="Suggest From Design Tools",
        help="Off by default. When on, events a design tool or script posts "
        "(source, title, start, end or duration, link, project hint) become "
        "suggestions.",
    )
    agency_activity_token_set = fields.Boolean(
        string="Activity Token Set", compute="_compute_agency_activity_token_set"
    )

    @api.depends_context("uid")
    def _compute_agency_activity_token_set(self):
        Secret = self.env["agency.secret"]
        for user in self:
            user.agency_activity_token_set = bool(user.id) and Secret._agency_has(
                user, TOKEN_KIND
            )

    def _agency_activity_on(self, source):
        """Whether the person lets activity of `source` in (and suggestions
        are on for them)."""
        from ..activity_events import SOURCE_GROUPS

        self.ensure_one()
        field = ACTIVITY_FIELDS[SOURCE_GROUPS[source]]
        return bool(self.active and self.agency_suggestions_enabled and self[field])

    def _agency_check_own(self, refusal):
        """Refuse (UserError `refusal`) unless the signed-in person is `self`."""
        self.ensure_one()
        if self.id != self.env.uid:
            raise UserError(refusal)

    def action_agency_activity_token(self):
        """A new endpoint token for the person (the old one stops working),
        shown once in a notification that stays until closed."""
        self._agency_check_own(
            self.env._(
                "%(user)s: only the person makes their own activity token, in "
                "their Preferences.",
                user=self.name,
            )
        )
        return new_token_action(self, "person")

    def action_agency_refresh_feed(self):
        """Read the person's own calendar feed now (agency.calendar.feed:
        at most once every few minutes) and say what came of it."""
        self._agency_check_own(
            self.env._(
                "%(user)s: only the person refreshes their own calendar feed, "
                "in their Preferences.",
                user=self.name,
            )
        )
        return self.env["agency.calendar.feed"]._agency_refresh_mine()

    @api.constrains("agency_reminder_hour")
    def _check_agency_reminder_hour(self):
        for user in self:
            if not 0 <= user.agency_reminder_hour <= 23:
                raise ValidationError(
                    self.env._(
                        "%(user)s: the reminder hour must be between 0 and 23 (it "
                        "is %(hour)s).",
                        user=user.name,
                        hour=user.agency_reminder_hour,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        before = membership.members(self.env)
        users = super().create(vals_list)
        # Who may see stock costs follows the Agency role (res_groups.py).
        self.env["res.groups"]._agency_sync_costs_visible()
        membership.log_changes(self.env, before)
        champions.sync_channels(self.env)
        return users

    def write(self, vals):
        if not touches_groups(vals):
            return super().write(vals)
        before = membership.members(self.env)
        result = super().write(vals)
        self.env["res.groups"]._agency_sync_costs_visible()
        membership.log_changes(self.env, before)
        champions.sync_channels(self.env)
        return result

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + AGENCY_USER_FIELDS + FEED_FIELDS

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return (
            super().SELF_WRITEABLE_FIELDS
            + AGENCY_USER_FIELDS
            + ["agency_calendar_feed_url"]
        )

    @api.depends_context("uid")
    def _compute_agency_calendar_feed_url(self):
        Secret = self.env["agency.secret"]
        for user in self:
            has = bool(user.id) and Secret._agency_has(user, FEED_KIND)
            user.agency_calendar_feed_set = has
            # Only the person reads it (an administrator does not).
            if has and user.id == self.env.uid:
                user.agency_calendar_feed_url = Secret._agency_read(user, FEED_KIND)
            else:
                user.agency_calendar_feed_url = False

    def _inverse_agency_calendar_feed_url(self):
        for user in self:
            if user.id != self.env.uid:
                raise UserError(
                    self.env._(
                        "%(user)s: only the person sets their own calendar feed, "
                        "in their Preferences.",
                        user=user.name,
                    )
                )
            url = (user.agency_calendar_feed_url or "").strip()
            if url and not url.lower().startswith(("https://", "http://", "webcal://")):
                raise UserError(
                    self.env._(
                        "%(user)s: the calendar feed must be a web address "
                        "starting with https:// (or webcal://). Nothing was saved.",
                        user=user.name,
                    )
                )
            self.env["agency.secret"]._agency_store(user, FEED_KIND, url)

    # -- two-factor for money roles --------------------------------------------
    @api.model
    def _agency_totp_required(self):
        return bool(self.env["ir.config_parameter"].sudo().get_param(TOTP_PARAM))

    def _agency_money_user(self):
        self.ensure_one()
        return any(self.has_group(group) for group in MONEY_GROUPS)

    def _agency_without_totp(self):
        """The active users of `self` in Billing or Administrators without
        two-factor authentication."""
        return self.sudo().filtered(
            lambda user: (
                user.active
                and not user.share
                and user._agency_money_user()
                and not user.totp_enabled
            )
        )

    @api.constrains("groups_id")
    def _check_agency_money_totp(self):
        if not self._agency_totp_required():
            return
        missing = self._agency_without_totp()
        if missing:
            raise ValidationError(
                self.env._(
                    "%(users)s cannot be in Billing or Agency Administrators without "
                    "two-factor authentication (required in Settings › Agency). Ask "
                    "them to turn it on in their Preferences › Account Security "
                    "first, then add them.",
                    users=", ".join(missing.mapped("name")),
                )
            )

    def action_totp_disable(self):
        if self._agency_totp_required():
            money = self.sudo().filtered(lambda user: user._agency_money_user())
            if money:
                raise UserError(
                    self.env._(
                        "%(users)s: two-factor authentication is required for "
                        "Billing and Agency Administrators. Take them out of those "
                        "groups first, or turn the requirement off in Settings.",
                        users=", ".join(money.mapped("name")),
                    )
                )
        return super().action_totp_disable()

    def _check_credentials(self, credential, env):
        auth = super()._check_credentials(credential, env)
        user = self.env.user
        if self._agency_totp_required() and user._agency_without_totp():
            _logger.warning(
                "Login refused for %s: two-factor authentication is required for "
                "Billing and Agency Administrators",
                user.login,
            )
            raise AccessDenied(
                self.env._(
                    "Two-factor authentication is required for Billing and Agency "
                    "Administrators: ask an administrator to take you out of those "
                    "groups while you set it up, or to turn two-factor on for you."
                )
            )
        return auth

    # -- SSO sign-up ------------------------------------------------------------
    @api.model
    def _auth_oauth_signin(self, provider, validation, params):
        # Marks the sign-ups of this sign-in (it only ever lowers the groups).
        return super(
            ResUsers, self.with_context(agency_oauth_signup=True)
        )._auth_oauth_signin(provider, validation, params)

    @api.model
    def _signup_create_user(self, values):
        """A user created by an identity provider's sign-up gets exactly
        Internal User + Agency User when the setting is on (an invited person
        who already has a user keeps their groups)."""
        sso = self.env["ir.config_parameter"].sudo().get_param(SSO_PARAM)
        if sso and self.env.context.get("agency_oauth_signup"):
            values = dict(
                values,
                groups_id=[
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("agency_timesheet.group_agency_user").id,
                        ]
                    )
                ],
            )
        return super()._signup_create_user(values)
