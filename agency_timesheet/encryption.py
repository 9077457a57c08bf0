"""Secrets at rest: the encryption key, encrypting, decrypting and rotating.

Plain functions (text in, text out, tested without a database). Every secret
the add-ons store (a personal calendar feed URL with its token, the
integration tokens and API keys of later add-ons) goes through the model
``agency.secret`` (models/agency_secret.py), which calls these.

The key is a Fernet key (the ``cryptography`` library Odoo already requires:
AES-128-CBC with an HMAC-SHA256, authenticated): 32 random bytes in URL-safe
base64, 44 characters. It is read from the server's configuration, never from
the database: ``agency_encryption_key`` in odoo.conf, else the environment
variable ``AGENCY_ENCRYPTION_KEY``. Make one with :func:`new_key`
(``python3 -c "from cryptography.fernet import Fernet;
print(Fernet.generate_key().decode())"``).

No key → :class:`SecretKeyError` (``missing``): nothing is ever stored in plain
text instead. A key of the wrong length or alphabet → :class:`SecretKeyError`
(``format``). A token the key cannot open → :class:`SecretKeyError`
(``wrong_key``). :func:`rotate` opens every token with the old key before
sealing any with the new one, so a wrong old key changes nothing.
"""

import base64
import binascii
import os

from cryptography.fernet import Fernet, InvalidToken

CONFIG_KEY = "agency_encryption_key"
ENV_KEY = "AGENCY_ENCRYPTION_KEY"
KEY_BYTES = 32


class SecretKeyError(ValueError):
    """A key that is missing, malformed or not the one that sealed a secret.
    ``kind`` is ``missing``, ``format`` or ``wrong_key``; the message says
    what to do."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


def new_key():
    """A fresh key, as text to paste into odoo.conf."""
    return Fernet.generate_key().decode()


def configured_key(config, environ=None):
    """The key text of the server configuration (`config`: a mapping such as
    ``odoo.tools.config``), else of the environment; None when neither has
    one."""
    environ = os.environ if environ is None else environ
    value = config.get(CONFIG_KEY) or environ.get(ENV_KEY) or ""
    value = str(value).strip()
    return value or None


def parse_key(text):
    """The Fernet of key `text`; SecretKeyError when it is missing or not 32
    bytes in URL-safe base64."""
    if not text:
        raise SecretKeyError(
            "missing",
            f"No encryption key is configured: set {CONFIG_KEY} in the server's "
            f"odoo.conf (or the environment variable {ENV_KEY}) to a key made "
            'with python3 -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())", then restart the server. '
            "Nothing was stored.",
        )
    text = text.strip()
    try:
        raw = base64.urlsafe_b64decode(text.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raw = None
    if raw is None or len(raw) != KEY_BYTES or len(text) != 44:
        raise SecretKeyError(
            "format",
            f"The encryption key is not valid: it must be {KEY_BYTES} random "
            "bytes in URL-safe base64 (44 characters, as Fernet.generate_key() "
            f"makes), this one has {len(text)} characters. Replace "
            f"{CONFIG_KEY} with a generated key. Nothing was stored.",
        )
    return Fernet(text.encode("ascii"))


def encrypt(key_text, plain):
    """The ciphertext (text) of `plain` (text) under key `key_text`."""
    return parse_key(key_text).encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(key_text, token):
    """The plain text of `token`; SecretKeyError (``wrong_key``) when key
    `key_text` did not seal it (or the token was altered)."""
    fernet = parse_key(key_text)
    try:
        return fernet.decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as error:
        raise SecretKeyError(
            "wrong_key",
            "A stored secret cannot be opened with the configured encryption "
            "key: the key was changed without rotating the secrets. Put the "
            "previous key back, or rotate from the previous key to the new one.",
        ) from error


def rotate(old_key, new_key_text, tokens):
    """{id: token sealed with `new_key_text`} for `tokens` ({id: token} sealed
    with `old_key`). Every token is opened before any is sealed again: with a
    wrong old key SecretKeyError is raised and nothing is returned."""
    parse_key(new_key_text)
    plain = {}
    for ident, token in tokens.items():
        try:
            plain[ident] = decrypt(old_key, token)
        except SecretKeyError as error:
            if error.kind != "wrong_key":
                raise
            raise SecretKeyError(
                "wrong_key",
                "The old key given for the rotation does not open the stored "
                "secrets: give the key the server used until now. Nothing was "
                "re-encrypted.",
            ) from error
    return {ident: encrypt(new_key_text, text) for ident, text in plain.items()}
