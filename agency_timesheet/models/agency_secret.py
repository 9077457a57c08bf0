"""Secrets at rest, one row per secret: whose it is, what kind, the ciphertext.

Every secret the add-ons keep (the personal calendar feed URL of the
suggestions today; the integration tokens and API keys of later add-ons) is
stored here, encrypted with the key of the server's configuration
(encryption.py: ``agency_encryption_key`` in odoo.conf or the environment
variable ``AGENCY_ENCRYPTION_KEY``). The table holds ciphertext only: raw SQL
never shows a secret. No group has any access to the model: the owning
record's code reads and writes through ``_agency_store`` / ``_agency_read``
(sudo, after its own check of who may).

Without a key, storing refuses with a message saying how to configure one,
and nothing is stored (never plain text instead). Rotation
(``_agency_rotate_key``, administrators only, see readme/CONFIGURE.md)
re-encrypts every row in place in one transaction; a wrong old key changes
nothing.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import config, ormcache

from ..encryption import SecretKeyError, configured_key, decrypt, encrypt, rotate


class AgencySecret(models.Model):
    _name = "agency.secret"
    _description = "Agency Encrypted Secret"
    _rec_name = "kind"

    res_model = fields.Char(string="Owner Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Owner", model_field="res_model", required=True, readonly=True
    )
    kind = fields.Selection(
        [
            ("calendar_feed", "Calendar Feed URL"),
            ("integration_token", "Integration Token"),
            ("api_key", "API Key"),
        ],
        required=True,
        readonly=True,
    )
    ciphertext = fields.Text(required=True, readonly=True)

    _sql_constraints = [  # noqa: RUF012 (Odoo reads this list)
        (
            "owner_kind_unique",
            "UNIQUE(res_model, res_id, kind)",
            "A record keeps one secret of each kind.",
        )
    ]

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _agency_read_cached
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    def _agency_key(self):
        """The key text of the server configuration, or None."""
        return configured_key(config)

    @api.model
    def _agency_error(self, error, record):
        return UserError(
            self.env._(
                "%(record)s: the secret could not be used. %(detail)s",
                record=record.display_name,
                detail=str(error),
            )
        )

    @api.model
    def _agency_find(self, record, kind):
        return self.sudo().search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("kind", "=", kind),
            ],
            limit=1,
        )

    @api.model
    def _agency_store(self, record, kind, plain):
        """Keep `plain` as the `kind` secret of `record` (encrypted); an empty
        value removes it. UserError (nothing stored) without a valid key."""
        record.ensure_one()
        secret = self._agency_find(record, kind)
        if not plain:
            secret.unlink()
            return
        try:
            token = encrypt(self._agency_key(), plain)
        except SecretKeyError as error:
            raise self._agency_error(error, record) from error
        if secret:
            secret.ciphertext = token
        else:
            self.sudo().create(
                {
                    "res_model": record._name,
                    "res_id": record.id,
                    "kind": kind,
                    "ciphertext": token,
                }
            )

    @api.model
    def _agency_has(self, record, kind):
        return bool(self._agency_find(record, kind))

    @api.model
    def _agency_read(self, record, kind):
        """The plain text of the `kind` secret of `record`, False without one;
        UserError when the key is missing or not the one that sealed it."""
        record.ensure_one()
        secret = self._agency_find(record, kind)
        if not secret:
            return False
        try:
            return decrypt(self._agency_key(), secret.ciphertext)
        except SecretKeyError as error:
            raise self._agency_error(error, record) from error

    @api.model
    def _agency_read_cached(self, record, kind):
        """:meth:`_agency_read`, kept decrypted in this worker's memory for the
        requests that read it on every call (the activity endpoints' tokens).
        Any change to a secret (a new token, a removed one, a rotation) clears
        the cache of every worker (Odoo's registry signalling, checked at the
        start of each request), so a replaced token stops working at once."""
        record.ensure_one()
        return self._agency_plain_cached(record._name, record.id, kind)

    @ormcache("res_model", "res_id", "kind")
    def _agency_plain_cached(self, res_model, res_id, kind):
        return self._agency_read(self.env[res_model].browse(res_id), kind)

    @api.model
    def _agency_rotate_key(self, old_key, new_key):
        """Re-encrypt every secret from `old_key` to `new_key` in place; the
        count. Administrators (Settings) only; with a wrong old key or a
        malformed new one, UserError and nothing changes. Then set the new key
        in odoo.conf and restart."""
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            raise AccessError(
                self.env._("Only a settings administrator rotates the encryption key.")
            )
        secrets = self.sudo().search([])
        try:
            tokens = rotate(
                old_key, new_key, {secret.id: secret.ciphertext for secret in secrets}
            )
        except SecretKeyError as error:
            raise UserError(
                self.env._("Key rotation refused: %(detail)s", detail=str(error))
            ) from error
        for secret in secrets:
            secret.ciphertext = tokens[secret.id]
        return len(secrets)
