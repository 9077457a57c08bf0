"""SSO sign-up gets Agency User only; two-factor required for Billing and
Administrators. The identity provider's token validation is stubbed, as Odoo's
own auth_oauth tests do."""

import json
from unittest.mock import patch

from odoo.exceptions import AccessDenied, UserError, ValidationError
from odoo.tests import tagged

from ..sign_in import SSO_PARAM, TOTP_PARAM
from .common import GROUPS, AgencyCase

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
RES_USERS = "odoo.addons.auth_oauth.models.res_users.ResUsers"


@tagged("post_install", "-at_install")
class TestSso(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env["auth.oauth.provider"].create(
            {
                "name": "Test IdP",
                "body": "Sign in with Test IdP",
                "client_id": "agency-test",
                "auth_endpoint": "https://idp.example.com/auth",
                "validation_endpoint": "https://idp.example.com/userinfo",
                "enabled": True,
            }
        )
        # A sign-up template that carries far too much.
        cls.template = cls.new_user("sso_template", "admin", name="Template")
        cls.template.groups_id |= cls.env.ref("base.group_system")
        cls.template.active = False
        ICP = cls.env["ir.config_parameter"].sudo()
        ICP.set_param("base.template_portal_user_id", cls.template.id)
        ICP.set_param("auth_signup.invitation_scope", "b2c")

    def sign_in(self, subject, email):
        # What _auth_oauth_validate returns once the provider said yes.
        validation = {
            "user_id": subject,
            "email": email,
            "name": email.split("@")[0],
        }
        with patch(f"{RES_USERS}._auth_oauth_validate", return_value=validation):
            _db, login, token = (
                self.env["res.users"]
                .sudo()
                .auth_oauth(
                    self.provider.id,
                    {"access_token": f"tok-{subject}", "state": json.dumps({})},
                )
            )
        self.assertEqual(token, f"tok-{subject}")
        return self.env["res.users"].search([("login", "=", login)])

    def test_sso_sign_up_gets_agency_user_only(self):
        self.env["ir.config_parameter"].sudo().set_param(SSO_PARAM, "True")
        user = self.sign_in("idp-1", "nina@example.com")
        self.assertEqual(user.oauth_uid, "idp-1")
        self.assertTrue(user.has_group(GROUPS["user"]))
        for group in ("producer", "billing", "admin"):
            self.assertFalse(user.has_group(GROUPS[group]), group)
        self.assertFalse(user.has_group("base.group_system"))
        self.assertFalse(user.has_group("base.group_erp_manager"))
        self.assertFalse(user.share)
        # Signing in again keeps what an administrator gave since.
        user.groups_id |= self.env.ref(GROUPS["producer"])
        self.assertEqual(self.sign_in("idp-1", "nina@example.com"), user)
        self.assertTrue(user.has_group(GROUPS["producer"]))

    def test_without_the_setting_the_template_decides(self):
        user = self.sign_in("idp-2", "omar@example.com")
        self.assertTrue(user.has_group(GROUPS["admin"]))

    def test_a_bad_token_signs_nobody_in(self):
        self.env["ir.config_parameter"].sudo().set_param(SSO_PARAM, "True")
        with (
            patch(f"{RES_USERS}._auth_oauth_validate", side_effect=AccessDenied()),
            self.assertRaises(AccessDenied),
        ):
            self.env["res.users"].sudo().auth_oauth(
                self.provider.id, {"access_token": "forged", "state": "{}"}
            )
        self.assertFalse(self.env["res.users"].search([("oauth_uid", "!=", False)]))


@tagged("post_install", "-at_install")
class TestTwoFactor(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ICP = cls.env["ir.config_parameter"].sudo()

    def enable_totp(self, user):
        user.sudo().totp_secret = TOTP_SECRET
        self.assertTrue(user.totp_enabled)

    def require(self):
        self.ICP.set_param(TOTP_PARAM, "True")

    def login(self, user):
        return user.with_user(user)._check_credentials(
            {"type": "password", "password": user.login}, {"interactive": True}
        )

    def test_adding_to_billing_without_totp_is_refused(self):
        self.require()
        someone = self.users["user"]
        for group in ("billing", "admin"):
            with (
                self.assertRefused(
                    ValidationError,
                    r"Agency user cannot be in Billing.*Account Security",
                ),
                self.env.cr.savepoint(),
            ):
                someone.groups_id |= self.env.ref(GROUPS[group])
            self.env.invalidate_all()
            self.env.registry.clear_cache()
        self.assertFalse(someone.has_group(GROUPS["billing"]))
        self.enable_totp(someone)
        someone.groups_id |= self.env.ref(GROUPS["billing"])
        self.assertTrue(someone.has_group(GROUPS["billing"]))
        with self.assertRefused(UserError, "required for Billing"):
            someone.action_totp_disable()
        self.assertTrue(someone.totp_enabled)

    def test_producers_need_no_totp(self):
        self.require()
        someone = self.users["user"]
        someone.groups_id |= self.env.ref(GROUPS["producer"])
        self.assertTrue(self.login(someone))

    def test_sign_in_refused_without_totp(self):
        billing = self.users["billing"]
        self.assertTrue(self.login(billing), "not required: signs in")
        self.require()
        with self.assertRefused(AccessDenied, "Two-factor authentication is required"):
            self.login(billing)
        self.enable_totp(billing)
        self.assertTrue(self.login(billing))
        self.assertTrue(self.login(self.users["user"]))

    def test_turning_on_is_refused_while_someone_lacks_totp(self):
        Settings = self.env["res.config.settings"]
        with self.assertRefused(UserError, "Agency billing.*Nothing was changed"):
            Settings.create({"agency_require_totp_money": True}).execute()
        self.assertFalse(self.ICP.get_param(TOTP_PARAM))
        money = (
            self.env.ref(GROUPS["billing"]).users | self.env.ref(GROUPS["admin"]).users
        )
        for user in money.filtered("active"):
            self.enable_totp(user)
        Settings.create({"agency_require_totp_money": True}).execute()
        self.assertTrue(self.ICP.get_param(TOTP_PARAM))
